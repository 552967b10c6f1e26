"""A background job's page: a progress bar that follows the job (htmx polling) until it ends."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from klaster.common.roles import is_cluster_staff
from klaster.jobs.models import Job
from klaster.jobs.selectors import job_with_progress


@login_required
def job_detail(request, job_id: int):
    """Full page, or only the progress fragment when htmx polls."""
    try:
        job = job_with_progress(job_id=job_id)
    except Job.DoesNotExist:
        raise Http404(_("No such job.")) from None
    # A job can carry row-level detail of someone's data: only its author and staff follow it.
    if job.created_by_id != request.user.pk and not is_cluster_staff(request.user):
        raise Http404(_("No such job."))
    template = "jobs/partials/job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


def follow_job(request, job: Job, finished: Callable[[Job], HttpResponse]) -> HttpResponse:
    """A page that waits for `job`: its progress, polled by htmx on the page's own address,
    until the job ends; then `finished(job)`. The poll that sees the end reloads the page."""
    job = job_with_progress(job_id=job.pk)
    if job.is_finished:
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return finished(job)
    context = {"job": job, "poll_url": request.get_full_path()}
    template = "jobs/partials/job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)
