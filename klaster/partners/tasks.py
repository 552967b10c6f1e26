"""Background work of partner search. The huey consumer imports every app's `tasks` module,
which is how the index build's job handler gets registered in the worker."""

from klaster.jobs.registry import job_handler
from klaster.partners import serving


@job_handler(serving.BUILD_JOB)
def run_partner_index_build(job, progress) -> dict:
    """Build the partner engine over the track record as it is when the job runs."""
    # A build from the command line may have overtaken this queued job: nothing left to do.
    if not serving.recommender_status()["ready"]:
        serving.build_recommender_now(progress=progress)
    status = serving.recommender_status()
    return {
        "projects": status["projects"],
        "organisations": status["organisations"],
        "summary": f"Partner index ready: {status['organisations']} organisations "
        f"from {status['projects']} EU projects.",
    }
