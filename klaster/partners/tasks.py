"""Background work of partner search. The huey consumer imports every app's `tasks` module,
which is how the index build's job handler gets registered in the worker."""

from django.utils.translation import gettext as _

from klaster.jobs.registry import JobKind, JobWords, job_handler
from klaster.partners import serving


def index_summary(result: dict) -> str:
    """What a finished build made, in the reader's language."""
    return _(
        "Partner index ready: %(organisations)s organisations from %(projects)s EU projects."
    ) % {
        "organisations": result.get("organisations", 0),
        "projects": result.get("projects", 0),
    }


@job_handler(
    JobKind.PARTNER_INDEX_BUILD,
    words=JobWords(
        title=serving.BUILD_TITLE, steps=serving.BUILD_STEP_WORDS, summary=index_summary
    ),
)
def run_partner_index_build(job, progress) -> dict:
    """Build the partner engine over the track record as it is when the job runs."""
    # A build from the command line may have overtaken this queued job: nothing left to do.
    engine = serving.engine_get()
    if not engine.ready:
        serving.build_recommender_now(progress=progress)
        engine = serving.engine_get()
    result = {"projects": engine.projects, "organisations": engine.organisations}
    return {**result, "summary": index_summary(result)}
