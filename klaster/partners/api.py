"""REST API of partner search: the find-partners page as JSON, with the same rules."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from klaster.common.schemas import ErrorOut, Text, errors
from klaster.partners import selectors, services
from klaster.partners.ideas import idea_parse
from klaster.partners.serving import EngineState

router = Router(tags=["partners"])


class IdeaIn(Schema):
    title: Text(600) = ""
    objective: Text(20000) = ""
    keywords: list[Text(200)] | Text(4000) = Field(default_factory=list, max_length=100)
    topic: Text(120) = Field("", description="work-programme topic, e.g. HORIZON-CL5-…")
    call: Text(120) = ""
    funding_scheme: Text(80) = Field("", description="e.g. HORIZON-RIA")
    coordinator: Text(400) = Field(
        "", description="the coordinator's PIC, or the exact name of one CORDIS organisation"
    )
    country: Text(4) = Field("", description="only partners from this country")
    activity_type: str = Field("", pattern=r"^(PRC|HES|REC|PUB|OTH)?$")
    sme: bool | None = None
    cluster_members_only: bool = False
    limit: int = Field(selectors.RESULTS_SHOWN, ge=1, le=100)


class PastProjectOut(Schema):
    project_id: str
    acronym: str
    title: str
    start_year: int | None
    similarity: float


class WorkProgrammeOut(Schema):
    kind: str
    key: str
    past_projects: int


class SignalOut(Schema):
    signal: str
    value: float


class PartnerOut(Schema):
    rank: int
    pic: str
    name: str
    country: str
    activity_type: str
    sme: bool | None
    cluster_member_id: int | None
    score: float
    past_projects: list[PastProjectOut]
    work_programme: list[WorkProgrammeOut]
    collaboration_path: list[str]
    projects_with_coordinator: int
    projects_led_by_coordinator: int
    name_words: list[str] = Field(description="words of its name that the idea also uses")
    team_mates: list[str] = Field(
        description="PICs of organisations that similar projects bring and it worked with"
    )
    signals: list[SignalOut]


class RecommendationOut(Schema):
    ready: bool
    partners: list[PartnerOut]


class BuildingOut(Schema):
    ready: bool
    job_id: int | None
    detail: str


@router.post(
    "/recommend",
    response={200: RecommendationOut, 202: BuildingOut, 400: ErrorOut, **errors(401, 422)},
    summary="Ranked, explained partners for a project idea",
)
def recommend(request: HttpRequest, payload: IdeaIn):
    """202 with the index build's job while the partner index is built; ask again later.

    For members and staff only, as the page: a token or a signed-in session.
    """
    if not request.user.is_authenticated:
        return Status(401, {"detail": _("Sign in or send an API token.")})
    try:
        idea = idea_parse(payload.model_dump())
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # the idea as a whole: it describes nothing
            return Status(400, {"detail": " ".join(error.messages)})
        # A field of the idea, such as the coordinator: told as the schema's own checks are.
        return Status(
            422,
            {
                "detail": [
                    {"type": "value_error", "loc": ["body", "payload", name], "msg": message}
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            },
        )
    # The engine as it is, a build started when there is none (as the page does).
    engine = services.engine_build_start(user=request.user)
    search = selectors.partners_find(
        user=request.user,
        idea=idea,
        engine=engine,
        filters=selectors.PartnerFilters(
            country=payload.country,
            activity_type=payload.activity_type,
            sme=payload.sme,
            cluster_members_only=payload.cluster_members_only,
        ),
        limit=payload.limit,
    )
    if not search.ready:
        detail = {
            EngineState.NO_DATA: "No EU projects imported yet.",
            EngineState.FAILED: "The partner index could not be built; cluster staff can retry.",
        }.get(engine.state, "The partner index is being built.")
        job_id = engine.job.pk if engine.job else None
        return Status(202, {"ready": False, "job_id": job_id, "detail": detail})
    return {
        "ready": True,
        "partners": [
            {
                "rank": p.rank,
                "pic": p.pic,
                "name": p.name,
                "country": p.country,
                "activity_type": p.activity_type,
                "sme": p.sme,
                "cluster_member_id": p.member_id,
                "score": p.score,
                "past_projects": [vars_of(project) for project in p.past_projects],
                "work_programme": [
                    {"kind": kind, "key": key, "past_projects": count}
                    for kind, key, count in p.shared_work_programme
                ],
                "collaboration_path": [step.pic for step in p.collaboration_path],
                "projects_with_coordinator": p.projects_with_coordinator,
                "projects_led_by_coordinator": p.projects_led_by_coordinator,
                "name_words": list(p.name_words),
                "team_mates": [step.pic for step in p.team_mates],
                "signals": [{"signal": s.signal, "value": s.value} for s in p.signals],
            }
            for p in search.results
        ],
    }


def vars_of(project) -> dict:
    return {
        "project_id": project.project_id,
        "acronym": project.acronym,
        "title": project.title,
        "start_year": project.start_year,
        "similarity": project.similarity,
    }
