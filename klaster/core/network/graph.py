"""Building the cooperation graph from ties.

Examples
--------
>>> actors = [Actor("a", "Uni", SCIENCE, member=True), Actor("b", "Firm", INDUSTRY, member=True)]
>>> ties = co_participation_ties([("p1", "a", 2022), ("p1", "b", 2022)])
>>> graph = build_cooperation_graph(actors, ties)
>>> sorted(graph.edges(data="weight"))
[('a', 'b', 1)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

import networkx as nx

# Groups of organisations, as brokerage and the reports speak of them.
SCIENCE, INDUSTRY, PUBLIC, SUPPORT, FINANCE, OTHER = (
    "science",
    "industry",
    "public",
    "support",
    "finance",
    "other",
)
CORDIS = "cordis"
LOG = "log"

_CORDIS_GROUPS = {"HES": SCIENCE, "REC": SCIENCE, "PRC": INDUSTRY, "PUB": PUBLIC, "OTH": OTHER}
_KIND_GROUPS = {
    "university": SCIENCE,
    "research_institute": SCIENCE,
    "enterprise": INDUSTRY,
    "investment_fund": FINANCE,
    "business_support": SUPPORT,
    "public_administration": PUBLIC,
    "ngo": OTHER,
}


def group_of_cordis_activity(activity_type: str) -> str:
    """CORDIS activity type (HES, REC, PRC, PUB, OTH) -> group."""
    return _CORDIS_GROUPS.get(activity_type.upper(), OTHER)


def group_of_kind(kind: str) -> str:
    """Kind of a cluster organisation -> group."""
    return _KIND_GROUPS.get(kind, OTHER)


@dataclass(frozen=True, slots=True)
class Actor:
    """An organisation in the network."""

    id: str
    label: str
    group: str
    sme: bool = False
    country: str = ""
    sectors: tuple[str, ...] = ()
    member: bool = False
    organisation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Tie:
    """One reason two organisations are connected: a shared project or a logged cooperation."""

    a: str
    b: str
    year: int | None
    source: str = CORDIS
    reference: str = ""


def co_participation_ties(
    participations: Iterable[tuple[str, str, int | None]],
    *,
    focus: set[str] | None = None,
) -> list[Tie]:
    """Ties between every two organisations of a project, from (project, actor, year) rows.

    With `focus`, only ties touching a focus actor are kept: the cluster's view of Europe, not
    all of Europe (a 50-partner consortium alone would give 1,225 ties).
    """
    members: dict[str, set[str]] = defaultdict(set)
    years: dict[str, int | None] = {}
    for project, actor, year in participations:
        members[project].add(actor)
        years.setdefault(project, year)
    ties = []
    for project, actors in members.items():
        ordered = sorted(actors)
        if focus is not None:
            inside = [a for a in ordered if a in focus]
            if not inside:
                continue
            pairs = {tuple(sorted((a, b))) for a in inside for b in ordered if a != b}
        else:
            pairs = combinations(ordered, 2)
        ties.extend(Tie(a, b, years[project], CORDIS, project) for a, b in sorted(pairs))
    return ties


def build_cooperation_graph(
    actors: Iterable[Actor],
    ties: Iterable[Tie],
    *,
    start_year: int | None = None,
    end_year: int | None = None,
) -> nx.Graph:
    """An undirected graph; an edge's `weight` is its number of ties within the time window.

    Nodes carry the actor's fields as attributes; edges carry `weight`, `projects` (shared EU
    projects), `logged` (cooperation-log entries), `first_year` and `last_year`. Ties whose
    ends are not among `actors` are skipped; ties without a year count in every window.
    """
    graph = nx.Graph()
    for actor in actors:
        graph.add_node(
            actor.id,
            label=actor.label,
            group=actor.group,
            sme=actor.sme,
            country=actor.country,
            sectors=actor.sectors,
            member=actor.member,
            organisation_id=actor.organisation_id,
        )
    for tie in ties:
        if tie.a == tie.b or tie.a not in graph or tie.b not in graph:
            continue
        if tie.year is not None:
            if start_year is not None and tie.year < start_year:
                continue
            if end_year is not None and tie.year > end_year:
                continue
        if graph.has_edge(tie.a, tie.b):
            data = graph.edges[tie.a, tie.b]
            data["weight"] += 1
        else:
            graph.add_edge(
                tie.a, tie.b, weight=1, projects=0, logged=0, first_year=None, last_year=None
            )
            data = graph.edges[tie.a, tie.b]
        data["projects" if tie.source == CORDIS else "logged"] += 1
        if tie.year is not None:
            data["first_year"] = min(tie.year, data["first_year"] or tie.year)
            data["last_year"] = max(tie.year, data["last_year"] or tie.year)
    return graph


def neighbourhood(graph: nx.Graph, node: str, *, radius: int = 1) -> nx.Graph:
    """The organisation, its partners (within `radius` steps) and the ties among them."""
    if node not in graph:
        return nx.Graph()
    return nx.ego_graph(graph, node, radius=radius)


def layout(
    graph: nx.Graph,
    *,
    seed: int = 0,
    scale: float = 1000.0,
    iterations: int = 40,
    core_size: int = 500,
) -> dict[str, tuple[float, float]]:
    """Positions for drawing, the same for the same seed; computed on the server, once.

    A force-directed layout (Fruchterman–Reingold) costs time quadratic in the nodes, so it is
    run on the `core_size` best-connected organisations only; every other organisation is put
    next to the partners already placed (their centre, plus a small seeded offset), which is
    where a force layout would pull it anyway. Isolated organisations go on a ring around.
    """
    import random

    if graph.number_of_nodes() == 0:
        return {}
    rng = random.Random(seed)
    connected = [n for n in graph if graph.degree(n) > 0]
    isolated = sorted(n for n in graph if graph.degree(n) == 0)
    positions: dict[str, tuple[float, float]] = {}
    if connected:
        by_degree = sorted(connected, key=lambda n: (-graph.degree(n), str(n)))
        core = by_degree[:core_size]
        raw = nx.spring_layout(graph.subgraph(core), seed=seed, iterations=iterations, scale=scale)
        positions = {n: (float(x), float(y)) for n, (x, y) in raw.items()}
        spread = scale / max(len(core) ** 0.5, 1.0)
        pending = by_degree[core_size:]
        while pending:
            left = []
            for node in pending:
                placed = [positions[m] for m in graph.adj[node] if m in positions]
                if not placed:
                    left.append(node)
                    continue
                x = sum(p[0] for p in placed) / len(placed) + rng.uniform(-spread, spread)
                y = sum(p[1] for p in placed) / len(placed) + rng.uniform(-spread, spread)
                positions[node] = (x, y)
            if len(left) == len(pending):  # parts of the graph that do not touch the core
                sub = nx.spring_layout(graph.subgraph(left), seed=seed, scale=scale / 4)
                positions.update(
                    {n: (float(x) + scale * 1.1, float(y)) for n, (x, y) in sub.items()}
                )
                break
            pending = left
    if isolated:
        ring = nx.circular_layout(isolated, scale=scale * 1.25 if connected else scale)
        positions.update({n: (float(x), float(y)) for n, (x, y) in ring.items()})
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in positions.items()}
