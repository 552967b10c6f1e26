"""REST API of partner search: the find-partners page as JSON, with the same rules."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from klaster.partners import selectors
from klaster.web.schemas import ErrorOut, Text, errors

router = Router(tags=["partners"])


class IdeaIn(Schema):
    title: Text(600) = ""
    objective: Text(20000) = ""
    keywords: list[Text(200)] | Text(4000) = Field(default_factory=list, max_length=100)
    topic: Text(120) = Field("", description="work-programme topic, e.g. HORIZON-CL5-…")
    call: Text(120) = ""
    funding_scheme: Text(80) = Field("", description="e.g. HORIZON-RIA")
    coordinator: str = Field("", pattern=r"^(\d{9})?$", description="the coordinator's PIC")
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
    keywords = payload.keywords
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    idea = selectors.Idea(
        title=payload.title.strip(),
        objective=payload.objective.strip(),
        keywords=tuple(k.strip() for k in keywords if k.strip()),
        topic=payload.topic.strip(),
        call=payload.call.strip(),
        funding_scheme=payload.funding_scheme.strip(),
        coordinator=payload.coordinator,
    )
    if not (idea.title or idea.objective or idea.keywords or idea.topic):
        return Status(
            400, {"detail": _("Describe the idea: a title, an objective, keywords or a topic.")}
        )
    search = selectors.partners_find(
        user=request.user,
        idea=idea,
        filters=selectors.PartnerFilters(
            country=payload.country,
            activity_type=payload.activity_type,
            sme=payload.sme,
            cluster_members_only=payload.cluster_members_only,
        ),
        limit=payload.limit,
    )
    if not search.ready:
        detail = (
            "The partner index is being built." if search.job else "No EU projects imported yet."
        )
        return Status(202, {"ready": False, "job_id": search.status["job_id"], "detail": detail})
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
