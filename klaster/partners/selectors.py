"""Reads for partner search: an idea in, ranked and explained partners out.

Everything shown comes from public CORDIS data and from member profiles the viewer may see;
the cooperation log is never read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from klaster.calls.models import Call
from klaster.core.partners.explanations import PartnerExplanation, PastProject, explain
from klaster.core.partners.features import PartnerQuery
from klaster.core.partners.index import ACTIVITY_TYPES
from klaster.jobs.models import Job
from klaster.members.models import Membership, Organisation
from klaster.members.permissions import organisations_visible_to
from klaster.partners.serving import Engine
from klaster.trackrecord.models import CordisOrganisation, CordisProject

RESULTS_SHOWN = 20
# Ranked before filtering, so that a narrow filter (one country, SMEs only) still finds enough.
RANKED_BEFORE_FILTERS = 1500
SCHEMES_OFFERED = 30

ACTIVITY_TYPE_LABELS = {
    "PRC": _("Company (private for-profit)"),
    "HES": _("Higher or secondary education"),
    "REC": _("Research organisation"),
    "PUB": _("Public body"),
    "OTH": _("Other"),
}
SIGNAL_LABELS = {
    "text": _("Similar texts of past projects"),
    "organisation name": _("Words of the idea in the organisation's name"),
    "collaboration": _("Past collaboration with the coordinator"),
    "team ties": _("Worked with the organisations that similar projects bring"),
    "work programme": _("Activity in the same topic, call or scheme"),
    "consortium mix": _("Type and country that fit the scheme"),
    "activity": _("Overall activity in EU projects"),
    "recency": _("Recent projects"),
    "other": _("Other signals"),
}
WORK_PROGRAMME_LABELS = {
    "topic": _("topic"),
    "call": _("call"),
    "destination": _("destination"),
    "cluster": _("cluster"),
    "scheme": _("funding scheme"),
}


@dataclass(frozen=True)
class PartnerFilters:
    country: str = ""
    activity_type: str = ""
    sme: bool | None = None
    cluster_members_only: bool = False


@dataclass
class PathStep:
    pic: str
    name: str


@dataclass
class SignalPart:
    signal: str
    label: str
    value: float
    width: int  # percent of the largest effect, for a bar


@dataclass
class PartnerResult:
    rank: int
    pic: str
    name: str
    country: str
    activity_type: str
    activity_type_label: str
    sme: bool | None
    score: float
    cordis_url: str
    member_id: int | None
    member_name: str
    member_url: str
    past_projects: tuple[PastProject, ...]
    work_programme: list[tuple[str, str, int]]  # (kind label, key, past projects)
    shared_work_programme: tuple[tuple[str, str, int], ...]  # (kind, key, past projects)
    collaboration_path: list[PathStep]
    projects_with_coordinator: int
    projects_led_by_coordinator: int
    name_words: tuple[str, ...]
    team_mates: list[PathStep]  # organisations of similar projects it worked with
    signals: list[SignalPart]
    summary: str

    @property
    def is_cluster_member(self) -> bool:
        return self.member_id is not None

    @property
    def url(self) -> str:
        return self.member_url or self.cordis_url


@dataclass
class PartnerSearch:
    engine: Engine  # ready, or the state of its build with the job to follow
    coordinator_name: str = ""
    coordinator_known: bool = False
    results: list[PartnerResult] = field(default_factory=list)
    ranked: int = 0  # candidates ranked before the filters

    @property
    def ready(self) -> bool:
        return self.engine.ready

    @property
    def job(self) -> Job | None:
        return self.engine.job


# --- Choices for the form ----------------------------------------------------------------------


def calls_for_ideas(*, today: date):
    """Funding calls a member may start an idea from: those still open on `today` (or without a
    deadline), EU topics first, by identifier."""
    return (
        Call.objects.filter(Q(deadline__gte=today) | Q(deadline__isnull=True))
        .only("pk", "identifier", "title")
        .order_by("-source", "identifier")
    )


def funding_schemes() -> list[str]:
    """The funding schemes most used in the track record, most used first."""
    return list(
        CordisProject.objects.exclude(funding_scheme="")
        .values("funding_scheme")
        .annotate(n=Count("pk"))
        .order_by("-n", "funding_scheme")
        .values_list("funding_scheme", flat=True)[:SCHEMES_OFFERED]
    )


def partner_countries() -> list[str]:
    return list(
        CordisOrganisation.objects.exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def idea_from_call(*, call: Call) -> dict:
    """What a funding call says about an idea: its topic, call, scheme and texts."""
    scheme = ""
    if call.identifier.upper().startswith("HORIZON") and call.action_type in ("RIA", "IA", "CSA"):
        scheme = f"HORIZON-{call.action_type}"
    return {
        "topic": call.identifier,
        "call": call.call_identifier,
        "funding_scheme": scheme,
        "title": call.title,
        "objective": call.description,
        "keywords": ", ".join(call.keyword_list),
    }


COORDINATOR_SUGGESTIONS = 10
# Fewer letters match too much of CORDIS to help anyone pick.
SUGGEST_FROM_LETTERS = 3


@dataclass(frozen=True)
class CoordinatorSuggestion:
    pic: str
    name: str
    country: str
    projects: int


def coordinator_suggestions(
    *, text: str, limit: int = COORDINATOR_SUGGESTIONS
) -> list[CoordinatorSuggestion]:
    """CORDIS organisations whose name, short name or PIC starts or contains `text`, the most
    active first: who a person may mean when typing a coordinator."""
    text = " ".join(text.split())
    if len(text) < SUGGEST_FROM_LETTERS:
        return []
    matching = Q(name__icontains=text) | Q(short_name__icontains=text)
    if text.isdigit():
        matching |= Q(pic__startswith=text)
    rows = (
        CordisOrganisation.objects.filter(matching)
        .annotate(projects=Count("participations"))
        .order_by("-projects", "name", "pic")
        .values_list("pic", "name", "country", "projects")[:limit]
    )
    return [CoordinatorSuggestion(*row) for row in rows]


def coordinator_pic_named(name: str) -> str | None:
    """The PIC of the one CORDIS organisation called exactly `name` (any case), else None."""
    name = " ".join(name.split())
    pics = list(
        CordisOrganisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name))
        .values_list("pic", flat=True)
        .distinct()[:2]
    )
    return pics[0] if len(pics) == 1 else None


def coordinator_pic_for(*, organisation: Organisation | None) -> str:
    """The PIC under which the organisation appears in CORDIS, or "" when it does not.

    An organisation linked to several CORDIS records coordinates under the most active one.
    """
    if organisation is None:
        return ""
    linked = Q(organisation=organisation)
    if organisation.pic:
        linked |= Q(pic=organisation.pic)
    best = (
        CordisOrganisation.objects.filter(linked)
        .annotate(n=Count("participations"))
        .order_by("-n", "pic")
        .values_list("pic", flat=True)
        .first()
    )
    return best or organisation.pic or ""


# --- The search ---------------------------------------------------------------------------------


def _visible_members(user, pics: Iterable[str]) -> dict[str, tuple[int, str]]:
    """PIC -> (organisation id, name) of active cluster members the viewer may see."""
    pics = list(pics)
    members = organisations_visible_to(
        user, Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
    )
    found: dict[str, tuple[int, str]] = {}
    for pic, organisation_id, name in CordisOrganisation.objects.filter(
        pic__in=pics, organisation__in=members
    ).values_list("pic", "organisation_id", "organisation__name"):
        found[pic] = (organisation_id, name)
    for pic, organisation_id, name in members.filter(pic__in=pics).values_list("pic", "pk", "name"):
        found.setdefault(pic, (organisation_id, name))
    return found


def _member_pics(user) -> set[str]:
    members = organisations_visible_to(
        user, Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
    )
    pics = set(
        CordisOrganisation.objects.filter(organisation__in=members).values_list("pic", flat=True)
    )
    pics.update(members.exclude(pic=None).exclude(pic="").values_list("pic", flat=True))
    return pics


def _matches(index, position: int, filters: PartnerFilters, members: set[str] | None) -> bool:
    if filters.country and index.org_country[position] != filters.country:
        return False
    if filters.activity_type:
        code = int(index.org_type[position])
        if code < 0 or ACTIVITY_TYPES[code] != filters.activity_type:
            return False
    if filters.sme is not None:
        sme = index.org_sme[position]
        if sme != sme or bool(sme) != filters.sme:  # nan: unknown never matches
            return False
    return members is None or index.organisations[position] in members


def _signals(explanation: PartnerExplanation) -> list[SignalPart]:
    largest = max((abs(v) for _, v in explanation.signal_contributions), default=0) or 1
    return [
        SignalPart(
            signal=signal,
            label=str(SIGNAL_LABELS.get(signal, signal)),
            value=value,
            width=max(1, round(100 * abs(value) / largest)),
        )
        for signal, value in explanation.signal_contributions
        if abs(value) >= 0.005
    ]


def _step(pic: str, index, names: dict[str, str]) -> PathStep:
    return PathStep(
        pic=pic, name=names.get(pic) or index.org_name[index.position[pic]] or f"PIC {pic}"
    )


def _result(rank: int, explanation: PartnerExplanation, index, members, names) -> PartnerResult:
    pic = explanation.organisation_id
    member = members.get(pic)
    sme = index.org_sme[index.position[pic]]
    return PartnerResult(
        rank=rank,
        pic=pic,
        name=names.get(pic) or explanation.name or f"PIC {pic}",
        country=explanation.country,
        activity_type=explanation.activity_type,
        activity_type_label=str(ACTIVITY_TYPE_LABELS.get(explanation.activity_type, "")),
        sme=None if sme != sme else bool(sme),
        score=explanation.score,
        cordis_url=reverse("trackrecord:cordis_organisation", args=[pic]),
        member_id=member[0] if member else None,
        member_name=member[1] if member else "",
        member_url=reverse("members:detail", args=[member[0]]) if member else "",
        past_projects=explanation.past_projects,
        work_programme=[
            (str(WORK_PROGRAMME_LABELS.get(kind, kind)), key, count)
            for kind, key, count in explanation.shared_work_programme
        ],
        shared_work_programme=explanation.shared_work_programme,
        collaboration_path=[_step(p, index, names) for p in explanation.collaboration_path],
        projects_with_coordinator=explanation.projects_with_coordinator,
        projects_led_by_coordinator=explanation.projects_led_by_coordinator,
        name_words=explanation.name_words,
        team_mates=[_step(p, index, names) for p in explanation.team_mates],
        signals=_signals(explanation),
        summary=explanation.summary(),
    )


def partners_find(
    *,
    user,
    idea: PartnerQuery,
    engine: Engine,
    filters: PartnerFilters = PartnerFilters(),
    limit: int = RESULTS_SHOWN,
) -> PartnerSearch:
    """Ranked, explained partners for an idea from a ready `engine` (`serving.engine_get()`);
    an engine that is not ready gives a search that says so."""
    if not engine.ready:
        return PartnerSearch(engine=engine)
    recommender = engine.recommender
    index = recommender.index
    ranked = recommender.rank(idea, k=min(RANKED_BEFORE_FILTERS, index.size))
    members = _member_pics(user) if filters.cluster_members_only else None
    kept = [r for r in ranked if _matches(index, r.position, filters, members)][:limit]
    explanations = explain(recommender, idea, kept) if kept else []
    pics = {e.organisation_id for e in explanations}
    pics.update(p for e in explanations for p in (*e.collaboration_path, *e.team_mates))
    if idea.coordinator:
        pics.add(idea.coordinator)
    # Names as the database has them now (the index keeps those of its build).
    names = dict(
        CordisOrganisation.objects.filter(pic__in=pics).exclude(name="").values_list("pic", "name")
    )
    visible_members = _visible_members(user, pics)
    return PartnerSearch(
        engine=engine,
        coordinator_name=names.get(idea.coordinator, ""),
        coordinator_known=idea.coordinator in index.position,
        results=[
            _result(rank, e, index, visible_members, names)
            for rank, e in enumerate(explanations, start=1)
        ],
        ranked=len(ranked),
    )
