"""Reads of the track record: profiles' EU projects, the cooperation log, the network."""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import networkx as nx
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q, Sum

from klaster.common.roles import is_cluster_staff, is_member_editor
from klaster.core import network
from klaster.members.models import Membership, Organisation
from klaster.trackrecord import permissions
from klaster.trackrecord.models import (
    ClusterProject,
    Cooperation,
    CordisImport,
    CordisOrganisation,
    CordisParticipation,
    CordisProject,
    LinkSuggestion,
)

PARTNERS_SHOWN = 12
PROJECTS_PAGE_SIZE = 20
NETWORK_CACHE_SECONDS = 24 * 3600


# --- Track record on a profile -----------------------------------------------------------------


@dataclass
class ProjectLine:
    project: CordisProject
    role: str
    ec_contribution: Decimal | None
    partners: list[tuple[str, str, int | None]] = field(default_factory=list)  # name, country, org
    partner_count: int = 0
    countries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


@dataclass
class TrackRecord:
    projects: list[ProjectLine]
    total_ec_contribution: Decimal
    coordinated: int
    countries: list[tuple[str, int]]
    fields: list[tuple[str, int]]
    timeline: list[tuple[int, int]]  # (start year, projects)
    pics: list[str]
    page: Page | None = None  # the projects listed on the profile (figures count them all)

    @property
    def timeline_max(self) -> int:
        return max((n for _, n in self.timeline), default=1)


def track_record_for(*, organisation: Organisation, projects_page=None) -> TrackRecord | None:
    """The organisation's EU projects from CORDIS (public data), or None when it has none.

    The figures cover every project; `page` holds the `projects_page`-th page of the list
    (a university has hundreds: one long list made a profile ten thousand pixels high).
    """
    records = list(CordisOrganisation.objects.filter(organisation=organisation).only("pk", "pic"))
    if not records:
        return None
    own = list(
        CordisParticipation.objects.filter(cordis_organisation__in=records)
        .select_related("project")
        .prefetch_related("project__fields_of_science")
        .order_by("-project__start_date", "project__project_id")
    )
    if not own:
        return None
    project_pks = {p.project_id for p in own}
    own_record_pks = {r.pk for r in records}
    partners_by_project: dict[int, list[tuple[str, str, int | None]]] = defaultdict(list)
    for project_pk, name, pic, country, organisation_id in (
        CordisParticipation.objects.filter(project_id__in=project_pks)
        .exclude(cordis_organisation__in=own_record_pks)
        .order_by("project_id", "order", "cordis_organisation__name")
        .values_list(
            "project_id",
            "cordis_organisation__name",
            "cordis_organisation__pic",
            "country",
            "cordis_organisation__organisation_id",
        )
    ):
        partners_by_project[project_pk].append((name or f"PIC {pic}", country, organisation_id))

    lines: dict[int, ProjectLine] = {}
    countries: Counter = Counter()
    fields: Counter = Counter()
    years: Counter = Counter()
    total = Decimal(0)
    coordinated = 0
    for participation in own:
        project = participation.project
        if project.pk in lines:  # two PICs of one organisation in one project
            continue
        partners = partners_by_project.get(project.pk, [])
        project_countries = sorted({c for _, c, _ in partners if c})
        project_fields = [f.title for f in project.fields_of_science.all()]
        lines[project.pk] = ProjectLine(
            project=project,
            role=participation.role,
            ec_contribution=participation.ec_contribution,
            partners=partners[:PARTNERS_SHOWN],
            partner_count=len({name for name, _, _ in partners}),
            countries=project_countries,
            fields=project_fields,
        )
        countries.update(project_countries)
        fields.update(project_fields)
        if project.start_date:
            years[project.start_date.year] += 1
        total += participation.ec_contribution or 0
        coordinated += participation.role == "coordinator"
    projects = list(lines.values())
    return TrackRecord(
        projects=projects,
        page=Paginator(projects, PROJECTS_PAGE_SIZE).get_page(projects_page),
        total_ec_contribution=total,
        coordinated=coordinated,
        countries=countries.most_common(),
        fields=fields.most_common(8),
        timeline=sorted(years.items()),
        pics=[r.pic for r in records],
    )


def cordis_organisation_get(*, pic: str) -> CordisOrganisation:
    return CordisOrganisation.objects.select_related("organisation").get(pic=pic)


def cordis_organisation_projects(*, record: CordisOrganisation):
    return (
        CordisParticipation.objects.filter(cordis_organisation=record)
        .select_related("project")
        .order_by("-project__start_date")
    )


# --- Cooperation log and cluster projects -------------------------------------------------------


def cooperations_list(*, user, organisation_id: int | None = None, kind: str = ""):
    queryset = Cooperation.objects.select_related(
        "organisation_a", "organisation_b", "cluster_project", "recorded_by"
    )
    if organisation_id:
        queryset = queryset.filter(
            Q(organisation_a_id=organisation_id) | Q(organisation_b_id=organisation_id)
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    return permissions.cooperations_visible_to(user, queryset)


def cooperation_get_visible(*, user, cooperation_id: int) -> Cooperation:
    return cooperations_list(user=user).get(pk=cooperation_id)


def cluster_projects_list(*, user, status: str = ""):
    queryset = ClusterProject.objects.prefetch_related("partners")
    if status:
        queryset = queryset.filter(status=status)
    return permissions.cluster_projects_visible_to(user, queryset).order_by("status", "name")


def cluster_project_ids_editable(*, user) -> set[int]:
    return set(permissions.cluster_projects_editable_by(user).values_list("pk", flat=True))


@dataclass(frozen=True)
class ClusterProjectPage:
    """A cluster project as the viewer may read it: its partners and the cooperation-log
    entries linked to it that the viewer may see."""

    project: ClusterProject
    partners: list[Organisation]
    cooperations: list[Cooperation]
    can_edit: bool


def cluster_project_page(*, user, project_id: int) -> ClusterProjectPage | None:
    """None when there is no such project or the viewer may not see it."""
    project = (
        permissions.cluster_projects_visible_to(user, ClusterProject.objects.all())
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        return None
    cooperations = permissions.cooperations_visible_to(
        user,
        project.cooperations.select_related("organisation_a", "organisation_b"),
    )
    return ClusterProjectPage(
        project=project,
        partners=list(project.partners.order_by("name")),
        cooperations=list(cooperations),
        can_edit=permissions.can_edit_cluster_project(user, project),
    )


def cluster_projects_by_status(*, user) -> list[tuple[str, str, int, Decimal]]:
    rows = {
        status: (count, budget)
        for status, count, budget in permissions.cluster_projects_visible_to(user)
        .values("status")
        .annotate(n=Count("pk", distinct=True), budget=Sum("budget_eur"))
        .values_list("status", "n", "budget")
    }
    return [
        (value, label, *rows.get(value, (0, None)))
        for value, label in ClusterProject.Status.choices
    ]


# --- Linking review queue and imports -----------------------------------------------------------


def link_suggestions_pending():
    return (
        LinkSuggestion.objects.filter(status=LinkSuggestion.Status.PENDING)
        .select_related("cordis_organisation", "organisation")
        .order_by("-score", "pk")
    )


def link_suggestions_decided(limit: int = 20):
    return (
        LinkSuggestion.objects.exclude(status=LinkSuggestion.Status.PENDING)
        .select_related("cordis_organisation", "organisation", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def cordis_imports_recent(limit: int = 10):
    return CordisImport.objects.select_related("created_by")[:limit]


def track_record_totals() -> dict:
    return {
        "projects": CordisProject.objects.count(),
        "organisations": CordisOrganisation.objects.count(),
        "linked": CordisOrganisation.objects.exclude(organisation=None).count(),
        "participations": CordisParticipation.objects.count(),
    }


# --- The network ----------------------------------------------------------------------------------


@dataclass
class NetworkFilters:
    sector: str = ""
    group: str = ""
    country: str = ""
    year_from: int | None = None
    year_to: int | None = None
    min_shared: int = 2
    focus: str = ""  # a node id: only its neighbourhood


@dataclass
class NetworkData:
    actors: list[network.Actor]
    ties: list[network.Tie]  # CORDIS and public log ties
    private_ties: list[tuple[int, network.Tie]]  # (cooperation id, tie): filtered per viewer
    private_parties: dict[int, tuple[int, int]]


def _fingerprint() -> str:
    parts = [
        CordisParticipation.objects.aggregate(n=Count("pk"), m=Max("pk")),
        CordisOrganisation.objects.exclude(organisation=None).aggregate(
            n=Count("pk"), m=Max("organisation_id")
        ),
        # Confirming, declining or hiding an entry changes who sees its tie, not the row count.
        Cooperation.objects.aggregate(
            n=Count("pk"),
            m=Max("pk"),
            public=Count(
                "pk",
                filter=Q(
                    visibility=Cooperation.Visibility.PUBLIC,
                    confirmation=Cooperation.Confirmation.CONFIRMED,
                ),
            ),
            declined=Count("pk", filter=Q(confirmation=Cooperation.Confirmation.DECLINED)),
        ),
        Membership.objects.filter(status=Membership.Status.ACTIVE).aggregate(
            n=Count("pk"), m=Max("pk")
        ),
    ]
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


NETWORK_WRITES_KEY = "trackrecord-network-writes"


def network_writes_mark() -> None:
    """Called after a write to the rows the network is built from (see `signals`): the row
    counts in `_fingerprint` miss edits such as a renamed organisation or a changed sector."""
    cache.set(NETWORK_WRITES_KEY, time.time_ns(), None)


def network_version() -> str:
    """The data version every cached network computation is keyed by: the rows' fingerprint
    (catches bulk imports, which send no signals) and the moment of the last single write."""
    writes = cache.get(NETWORK_WRITES_KEY)
    if writes is None:
        # Evicted or never set: a fresh value, so nothing computed before can be taken as
        # current (only costs one recomputation).
        cache.add(NETWORK_WRITES_KEY, time.time_ns(), None)
        writes = cache.get(NETWORK_WRITES_KEY)
    return f"{_fingerprint()}-{writes}"


def node_id_of_organisation(organisation_id: int) -> str:
    return f"o{organisation_id}"


def _network_data() -> NetworkData:
    members = Organisation.objects.filter(membership__status=Membership.Status.ACTIVE)
    sectors: dict[int, list[str]] = defaultdict(list)
    for organisation_id, code in Organisation.sectors.through.objects.filter(
        organisation__in=members
    ).values_list("organisation_id", "sector__code"):
        sectors[organisation_id].append(code)
    actors = {}
    for pk, name, kind, sme, country in members.values_list(
        "pk", "name", "kind", "is_sme", "country"
    ):
        node = node_id_of_organisation(pk)
        actors[node] = network.Actor(
            id=node,
            label=name,
            group=network.group_of_kind(kind),
            sme=sme,
            country=country or "PL",
            sectors=tuple(sorted(sectors[pk])),
            member=True,
            organisation_id=pk,
        )
    member_ids = {a.organisation_id for a in actors.values()}
    linked = CordisOrganisation.objects.filter(organisation_id__in=member_ids)
    node_of_record = {
        pk: node_id_of_organisation(org) for pk, org in linked.values_list("pk", "organisation_id")
    }
    member_projects = CordisParticipation.objects.filter(
        cordis_organisation_id__in=list(node_of_record)
    ).values("project_id")
    rows = CordisParticipation.objects.filter(project_id__in=member_projects).values_list(
        "project_id",
        "cordis_organisation_id",
        "project__start_date",
        "cordis_organisation__name",
        "cordis_organisation__pic",
        "cordis_organisation__activity_type",
        "cordis_organisation__sme",
        "cordis_organisation__country",
        "cordis_organisation__organisation_id",
    )
    participations = []
    for project, record, start, name, pic, activity, sme, country, organisation_id in rows:
        node = node_of_record.get(record)
        if node is None:
            node = f"c{record}"
            if node not in actors:
                actors[node] = network.Actor(
                    id=node,
                    label=name or f"PIC {pic}",
                    group=network.group_of_cordis_activity(activity),
                    sme=bool(sme),
                    country=country,
                    organisation_id=organisation_id,
                )
        participations.append((f"p{project}", node, start.year if start else None))
    ties = network.co_participation_ties(participations, focus=set(node_of_record.values()))

    private_ties, parties = [], {}
    # A declined claim is no tie at all; a pending one is seen only by its two parties and staff.
    for pk, a, b, date, visibility, confirmation in (
        Cooperation.objects.filter(
            organisation_a_id__in=member_ids, organisation_b_id__in=member_ids
        )
        .exclude(confirmation=Cooperation.Confirmation.DECLINED)
        .values_list(
            "pk", "organisation_a_id", "organisation_b_id", "date", "visibility", "confirmation"
        )
    ):
        tie = network.Tie(
            node_id_of_organisation(a), node_id_of_organisation(b), date.year, "log", f"log{pk}"
        )
        if (
            visibility == Cooperation.Visibility.PUBLIC
            and confirmation == Cooperation.Confirmation.CONFIRMED
        ):
            ties.append(tie)
        else:
            private_ties.append((pk, tie))
            parties[pk] = (a, b)
    return NetworkData(list(actors.values()), ties, private_ties, parties)


def network_data() -> NetworkData:
    """The actors and ties of the cluster's network, cached until the data changes."""
    key = f"trackrecord-network-data:{network_version()}"
    data = cache.get(key)
    if data is None:
        data = _network_data()
        cache.set(key, data, NETWORK_CACHE_SECONDS)
    return data


def _visible_ties(user, data: NetworkData) -> list[network.Tie]:
    if is_cluster_staff(user):
        return data.ties + [tie for _, tie in data.private_ties]
    if is_member_editor(user):
        own = user.organisation_id
        return data.ties + [tie for pk, tie in data.private_ties if own in data.private_parties[pk]]
    return list(data.ties)


def _pruned(graph: nx.Graph, min_shared: int) -> nx.Graph:
    """Members, plus partners abroad or at home tied to members by `min_shared` ties or more."""
    keep = [
        node
        for node, attrs in graph.nodes(data=True)
        if attrs["member"] or sum(w for _, _, w in graph.edges(node, data="weight")) >= min_shared
    ]
    return graph.subgraph(keep).copy()


def network_graph(*, user, filters: NetworkFilters) -> nx.Graph:
    """The graph the viewer may see, filtered; private log entries only for their parties."""
    data = network_data()
    graph = network.build_cooperation_graph(
        data.actors,
        _visible_ties(user, data),
        start_year=filters.year_from,
        end_year=filters.year_to,
    )
    graph = _pruned(graph, max(filters.min_shared, 1))
    if filters.focus:
        graph = network.neighbourhood(graph, filters.focus)
    # Kind applies to everyone shown; sector to members (CORDIS partners carry no sector);
    # country to partners, since the members are the cluster's own, mostly at home.
    drop = []
    for node, attrs in graph.nodes(data=True):
        if (
            filters.group
            and attrs["group"] != filters.group
            or attrs["member"]
            and filters.sector
            and filters.sector not in attrs["sectors"]
            or not attrs["member"]
            and filters.country
            and attrs["country"] != filters.country
        ):
            drop.append(node)
    graph.remove_nodes_from(drop)
    if filters.sector or filters.group or filters.country or filters.year_from or filters.year_to:
        # Partners left without a tie to anyone shown only clutter the map.
        graph.remove_nodes_from(
            [n for n, d in graph.degree() if d == 0 and not graph.nodes[n]["member"]]
        )
    return graph


def network_layout(*, min_shared: int) -> dict[str, tuple[float, float]]:
    """Positions of the public network (CORDIS and public log ties), computed once per data.

    A force-directed layout on the server, cached, keeps the browser fast: it only draws.
    Filtered views reuse these positions, so the map does not jump when a filter changes.
    """
    key = f"trackrecord-network-layout:{network_version()}:{min_shared}"
    positions = cache.get(key)
    if positions is None:
        data = network_data()
        graph = _pruned(network.build_cooperation_graph(data.actors, data.ties), min_shared)
        positions = network.layout(graph, seed=7)
        cache.set(key, positions, NETWORK_CACHE_SECONDS)
    return positions


def network_elements(*, user, filters: NetworkFilters, url_of) -> dict:
    """Cytoscape.js elements (nodes with preset positions, edges) plus counts."""
    graph = network_graph(user=user, filters=filters)
    if filters.focus:
        # One organisation's neighbourhood: laid out on its own, around it.
        positions = network.layout(graph, seed=7, scale=400, core_size=150, iterations=30)
    else:
        positions = network_layout(min_shared=max(filters.min_shared, 1))
    missing = [n for n in graph if n not in positions]
    if missing:
        positions = {**positions, **network.layout(graph.subgraph(missing), seed=7, scale=200)}
    degrees = dict(graph.degree())
    nodes = []
    for node, attrs in graph.nodes(data=True):
        x, y = positions[node]
        nodes.append(
            {
                "data": {
                    "id": node,
                    "label": attrs["label"],
                    "group": attrs["group"],
                    "country": attrs["country"],
                    "sectors": list(attrs["sectors"]),
                    "member": attrs["member"],
                    "sme": attrs["sme"],
                    "degree": degrees[node],
                    "url": url_of(node, attrs),
                },
                "position": {"x": x, "y": y},
            }
        )
    edges = [
        {
            "data": {
                "id": f"{a}-{b}",
                "source": a,
                "target": b,
                "weight": attrs["weight"],
                "projects": attrs["projects"],
                "logged": attrs["logged"],
                "first_year": attrs["first_year"],
                "last_year": attrs["last_year"],
            }
        }
        for a, b, attrs in graph.edges(data=True)
    ]
    return {"nodes": nodes, "edges": edges, "counts": {"nodes": len(nodes), "edges": len(edges)}}


def _viewer_scope(user) -> str:
    """Which ties a viewer sees (see `_visible_ties`): viewers with the same scope share the
    cached figures."""
    if is_cluster_staff(user):
        return "staff"
    if is_member_editor(user):
        return f"organisation{user.organisation_id}"
    return "public"


def network_summary_key(*, user, filters: NetworkFilters) -> str:
    # Filters and scope are hashed: a key stays short and safe whatever the query string holds.
    wanted = repr((_viewer_scope(user), sorted(asdict(filters).items())))
    digest = hashlib.blake2b(wanted.encode(), digest_size=12).hexdigest()
    return f"trackrecord-network-summary:{network_version()}:{digest}"


def network_summary(*, user, filters: NetworkFilters) -> dict:
    """The cluster figures and the organisations staff look for before a strategy meeting.

    Seconds of CPU on the cluster's network: computed once per data version, viewer scope and
    filters, and kept in the cache; pages ask `network_summary_when_ready` instead, so that a
    web worker never computes it.
    """
    key = network_summary_key(user=user, filters=filters)
    summary = cache.get(key)
    if summary is None:
        summary = _network_summary_compute(user=user, filters=filters)
        cache.set(key, summary, NETWORK_CACHE_SECONDS)
    return summary


# How long a queued computation holds its place: a worker stopped mid-computation (a restart)
# never releases it, and the figures are asked for again once this has passed.
SUMMARY_QUEUED_SECONDS = 60


def network_summary_when_ready(*, user, filters: NetworkFilters) -> dict | None:
    """The summary if it is computed for the current data, else None after making sure the task
    worker computes it (the page asks again shortly).

    The worker computes each (version, scope, filters) once however many ask, and each person
    has at most one computation queued: trying filter after filter cannot pile up work that
    would starve everyone else's pages.
    """
    key = network_summary_key(user=user, filters=filters)
    summary = cache.get(key)
    if summary is not None:
        return summary
    queued_key, person_key = f"{key}:queued", f"trackrecord-network-summary-person:{user.pk}"
    if cache.get(queued_key) or not cache.add(person_key, key, SUMMARY_QUEUED_SECONDS):
        return None
    if not cache.add(queued_key, True, SUMMARY_QUEUED_SECONDS):
        cache.delete(person_key)  # someone else queued the same figures a moment ago
        return None
    from klaster.trackrecord.tasks import network_summary_compute

    network_summary_compute(user.pk, asdict(filters), key)
    return cache.get(key)  # already there when tasks run immediately (tests, TASKS_IMMEDIATE)


def network_summary_computed(*, user_id: int, filters: dict, key: str) -> None:
    """The task worker's side of `network_summary_when_ready`: compute, cache, release."""
    from klaster.accounts.models import User

    try:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is not None:
            network_summary(user=user, filters=NetworkFilters(**filters))
    finally:
        cache.delete_many([f"{key}:queued", f"trackrecord-network-summary-person:{user_id}"])


def _network_summary_compute(*, user, filters: NetworkFilters) -> dict:
    graph = network_graph(user=user, filters=filters)
    data = network_data()
    years = sorted({t.year for t in data.ties if t.year})
    summary = network.cluster_summary(graph, _visible_ties(user, data), years=years[-8:])
    metrics = network.organisation_metrics(graph, betweenness_sample=300, seed=7)
    members = [n for n, m in graph.nodes(data="member") if m]
    label = dict(graph.nodes(data="label"))
    org_of = dict(graph.nodes(data="organisation_id"))
    science_bridges = sorted(
        (
            n
            for n in members
            if graph.nodes[n]["group"] == network.SCIENCE
            and metrics[n]["science_industry"] + metrics[n]["sme_research"] > 0
        ),
        key=lambda n: (-metrics[n]["science_industry"], -metrics[n]["sme_research"], label[n]),
    )[:10]
    brokers = sorted(members, key=lambda n: (-metrics[n]["betweenness"], label[n]))[:10]
    lonely = network.smes_without_research_partner(graph)
    summary.update(
        {
            "science_bridges": [
                (label[n], org_of[n], metrics[n]["science_industry"], metrics[n]["sme_research"])
                for n in science_bridges
            ],
            "brokers": [
                (label[n], org_of[n], metrics[n]["betweenness"], metrics[n]["degree"])
                for n in brokers
            ],
            "smes_without_research_partner": [(label[n], org_of[n]) for n in lonely],
            "communities": len({m["community"] for m in metrics.values()}),
        }
    )
    return summary


def network_countries() -> list[str]:
    # Cached on its own: every network request builds the filter form, and loading the whole
    # network from the cache for a list of country codes would cost more than the page.
    key = f"trackrecord-network-countries:{network_version()}"
    countries = cache.get(key)
    if countries is None:
        countries = sorted({a.country for a in network_data().actors if a.country})
        cache.set(key, countries, NETWORK_CACHE_SECONDS)
    return countries
