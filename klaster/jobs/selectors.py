from klaster.jobs.models import Job
from klaster.jobs.registry import result_url_for, words_for
from klaster.jobs.services import job_progress_read


def job_with_progress(*, job_id: int) -> Job:
    """The job with its live progress (from the cache while it runs), told in the reader's
    language where its kind says how (`JobWords`), and the address of the page that shows what
    it made (`result_url`, from the registry)."""
    job = Job.objects.get(pk=job_id)
    job.result_url = result_url_for(job.kind, job.parameters)
    if not job.is_finished:
        live = job_progress_read(job_id=job_id)
        if live:
            job.done, job.total, job.message = live["done"], live["total"], live["message"]
    words = words_for(job.kind)
    if words is not None:
        if words.title:
            job.title = str(words.title)
        if job.status != Job.Status.FAILED and job.done in words.steps:
            job.message = str(words.steps[job.done])
        if job.status == Job.Status.SUCCEEDED and words.summary and job.result:
            job.result = {**job.result, "summary": words.summary(job.result)}
    return job
