from klaster.jobs.models import Job
from klaster.jobs.services import job_progress_read


def job_with_progress(*, job_id: int) -> Job:
    """The job with its live progress (from the cache while it runs)."""
    job = Job.objects.get(pk=job_id)
    if not job.is_finished:
        live = job_progress_read(job_id=job_id)
        if live:
            job.done, job.total, job.message = live["done"], live["total"], live["message"]
    return job
