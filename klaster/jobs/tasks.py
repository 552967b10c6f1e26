from huey.contrib.djhuey import db_task

from klaster.jobs.services import job_run


@db_task()
def run_job_task(job_id: int) -> None:
    job_run(job_id=job_id)
