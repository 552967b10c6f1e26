"""Metrics of the cooperation network, per organisation and for the cluster.

All functions take a graph built by `build_cooperation_graph` (node attributes `group`, `sme`,
`country`, `sectors`, `member`) and return plain dicts, lists and numbers.

Examples
--------
>>> from klaster.core.network.graph import Actor, Tie, build_cooperation_graph
>>> g = build_cooperation_graph(
...     [Actor("u", "Uni", "science", member=True), Actor("f", "Firm", "industry", sme=True,
...      member=True), Actor("g", "Firm 2", "industry", member=True)],
...     [Tie("u", "f", 2023), Tie("u", "g", 2023)],
... )
>>> brokerage(g)["u"].science_industry
0
>>> smes_with_research_partner(g)
(1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import networkx as nx

from klaster.core.network.graph import INDUSTRY, SCIENCE, Tie, build_cooperation_graph

HOME_COUNTRY = "PL"


def degree(graph: nx.Graph) -> dict[str, int]:
    """Number of distinct partners of each organisation."""
    return dict(graph.degree())


def betweenness(graph: nx.Graph, *, sample: int | None = None, seed: int = 0) -> dict[str, float]:
    """Normalised betweenness centrality; with `sample`, estimated from that many sources."""
    if sample is not None and sample >= graph.number_of_nodes():
        sample = None
    return nx.betweenness_centrality(graph, k=sample, seed=seed if sample else None)


@dataclass(frozen=True)
class BrokerageRole:
    """How many pairs of an organisation's partners are not tied to each other but to it.

    `science_industry`: a science partner and an industry partner; `sme_research`: an SME and a
    science partner; `across_sectors`: two partners sharing no sector.
    """

    science_industry: int = 0
    sme_research: int = 0
    across_sectors: int = 0


def _bridged_pairs(graph: nx.Graph, node: str, left: set[str], right: set[str]) -> int:
    """Pairs (l, r) of neighbours, l in `left`, r in `right`, l != r, with no edge l–r."""
    if not left or not right:
        return 0
    both = left & right
    # Unordered pairs: |L||R| counts each pair inside L∩R twice and (x, x) once.
    pairs = len(left) * len(right) - len(both) - len(both) * (len(both) - 1) // 2
    tied = 0
    for l_node in left:
        for other in graph.adj[l_node]:
            if other in (node, l_node):
                continue
            if other in right:
                tied += 1
    # Tied pairs inside both sets were seen from each end.
    tied_inside = sum(1 for a in both for b in graph.adj[a] if b in both and b != node and a < b)
    tied -= tied_inside
    return max(pairs - tied, 0)


def brokerage(graph: nx.Graph) -> dict[str, BrokerageRole]:
    """Brokerage between kinds for every organisation (see `BrokerageRole`)."""
    result = {}
    for node in graph:
        neighbours = set(graph.adj[node])
        science = {n for n in neighbours if graph.nodes[n].get("group") == SCIENCE}
        industry = {n for n in neighbours if graph.nodes[n].get("group") == INDUSTRY}
        smes = {n for n in neighbours if graph.nodes[n].get("sme")}
        across = 0
        with_sectors = [n for n in neighbours if graph.nodes[n].get("sectors")]
        if len(with_sectors) > 1:
            for i, a in enumerate(with_sectors):
                sectors_a = set(graph.nodes[a]["sectors"])
                adjacent = graph.adj[a]
                for b in with_sectors[i + 1 :]:
                    if b not in adjacent and not sectors_a & set(graph.nodes[b]["sectors"]):
                        across += 1
        result[node] = BrokerageRole(
            science_industry=_bridged_pairs(graph, node, science, industry),
            sme_research=_bridged_pairs(graph, node, smes, science),
            across_sectors=across,
        )
    return result


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities (weighted), largest first; the same seed gives the same split."""
    if graph.number_of_edges() == 0:
        return [{node} for node in sorted(graph)]
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def organisation_metrics(
    graph: nx.Graph, *, betweenness_sample: int | None = None, seed: int = 0
) -> dict[str, dict]:
    """Degree, betweenness, brokerage and community of every organisation, one dict each."""
    degrees = degree(graph)
    between = betweenness(graph, sample=betweenness_sample, seed=seed)
    brokers = brokerage(graph)
    community_of = {n: i for i, c in enumerate(communities(graph, seed=seed)) for n in c}
    return {
        node: {
            "degree": degrees[node],
            "betweenness": between[node],
            "community": community_of.get(node),
            **asdict(brokers[node]),
        }
        for node in graph
    }


def _members(graph: nx.Graph) -> list[str]:
    return [n for n, member in graph.nodes(data="member") if member]


def density_over_time(
    actors_graph: nx.Graph, ties: Iterable[Tie], years: Iterable[int]
) -> dict[int, float]:
    """Density among cluster members counting every tie up to the end of each year.

    `actors_graph` supplies the nodes (any graph with the actor attributes); only members count.
    """
    members = _members(actors_graph)
    ties = list(ties)
    actors = [(n, d) for n, d in actors_graph.nodes(data=True) if d.get("member")]
    result = {}
    for year in sorted(years):
        graph = nx.Graph()
        graph.add_nodes_from(actors)
        for tie in ties:
            inside = tie.a in graph and tie.b in graph and tie.a != tie.b
            if inside and (tie.year is None or tie.year <= year):
                graph.add_edge(tie.a, tie.b)
        result[year] = nx.density(graph) if len(members) > 1 else 0.0
    return result


def smes_with_research_partner(graph: nx.Graph) -> tuple[int, int]:
    """(member SMEs tied to at least one science organisation, all member SMEs)."""
    smes = [n for n in _members(graph) if graph.nodes[n].get("sme")]
    with_partner = sum(
        1 for n in smes if any(graph.nodes[m].get("group") == SCIENCE for m in graph.adj[n])
    )
    return with_partner, len(smes)


def smes_without_research_partner(graph: nx.Graph) -> list[str]:
    """Member SMEs with no science partner: whom the coordinator should introduce first."""
    return sorted(
        n
        for n in _members(graph)
        if graph.nodes[n].get("sme")
        and not any(graph.nodes[m].get("group") == SCIENCE for m in graph.adj[n])
    )


def _is_science_industry(graph: nx.Graph, a: str, b: str) -> bool:
    groups = {graph.nodes[a].get("group"), graph.nodes[b].get("group")}
    return groups == {SCIENCE, INDUSTRY}


def science_industry_ties(graph: nx.Graph, *, members_only: bool = False) -> int:
    """Edges between a science organisation and a company (optionally both cluster members)."""
    count = 0
    for a, b in graph.edges():
        if members_only and not (graph.nodes[a].get("member") and graph.nodes[b].get("member")):
            continue
        if _is_science_industry(graph, a, b):
            count += 1
    return count


def international_ties_by_country(graph: nx.Graph, *, home: str = HOME_COUNTRY) -> dict[str, int]:
    """Ties of cluster members with organisations abroad, by the partner's country."""
    counts: Counter = Counter()
    for a, b in graph.edges():
        for inside, outside in ((a, b), (b, a)):
            country = graph.nodes[outside].get("country") or ""
            if graph.nodes[inside].get("member") and country and country != home:
                counts[country] += 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def cluster_summary(
    graph: nx.Graph,
    ties: Iterable[Tie] = (),
    *,
    years: Iterable[int] = (),
    label: Callable[[str], str] | None = None,
) -> dict:
    """The figures staff quote: members, ties, density over time, SMEs and science, abroad."""
    ties = list(ties)
    with_partner, smes = smes_with_research_partner(graph)
    members = _members(graph)
    member_graph = graph.subgraph(members)
    return {
        "members": len(members),
        "organisations": graph.number_of_nodes(),
        "ties": graph.number_of_edges(),
        "member_ties": member_graph.number_of_edges(),
        "member_density": nx.density(member_graph) if len(members) > 1 else 0.0,
        "density_over_time": density_over_time(graph, ties, years) if years else {},
        "smes_with_research_partner": with_partner,
        "member_smes": smes,
        "share_smes_with_research_partner": with_partner / smes if smes else 0.0,
        "science_industry_ties": science_industry_ties(graph),
        "member_science_industry_ties": science_industry_ties(graph, members_only=True),
        "international_ties_by_country": international_ties_by_country(graph),
    }


__all__ = [
    "BrokerageRole",
    "betweenness",
    "brokerage",
    "build_cooperation_graph",
    "cluster_summary",
    "communities",
    "degree",
    "density_over_time",
    "international_ties_by_country",
    "organisation_metrics",
    "science_industry_ties",
    "smes_with_research_partner",
    "smes_without_research_partner",
]
