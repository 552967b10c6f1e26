"""The cooperation graph as GraphML, the file that Gephi, yEd and Cytoscape desktop open.

A file format, kept apart from the graph building: it takes the graph of
`build_cooperation_graph` and writes the attributes that mean something outside Klaster, in
types GraphML can hold (no None, no tuples: sectors become one comma-separated string, an
unknown year 0). The organisation's id in the registry stays out, it is an internal number.

Examples
--------
>>> from klaster.core.network.graph import INDUSTRY, SCIENCE, Actor, Tie, build_cooperation_graph
>>> actors = [Actor("m1", "Uni", SCIENCE, member=True, sectors=("ict", "space")),
...           Actor("c2", "Firm", INDUSTRY, sme=True, country="DE")]
>>> graph = build_cooperation_graph(actors, [Tie("m1", "c2", 2022, reference="p1")])
>>> text = graphml_text(graph)
>>> text.startswith("<graphml"), '<data key="d3">ict,space</data>' in text
(True, True)
"""

from __future__ import annotations

import networkx as nx


def graphml_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of the cooperation graph with only the exported attributes, GraphML-typed.

    Examples
    --------
    >>> from klaster.core.network.graph import INDUSTRY, SCIENCE, Actor, Tie
    >>> from klaster.core.network.graph import build_cooperation_graph
    >>> uni = Actor("a", "Uni", SCIENCE, member=True, organisation_id=7)
    >>> graph = build_cooperation_graph([uni, Actor("b", "Firm", INDUSTRY)], [Tie("a", "b", None)])
    >>> export = graphml_graph(graph)
    >>> export.nodes["a"]
    {'label': 'Uni', 'group': 'science', 'country': '', 'sectors': '', 'member': True, 'sme': False}
    >>> export.edges["a", "b"]
    {'weight': 1, 'projects': 1, 'logged': 0, 'first_year': 0, 'last_year': 0}
    """
    export = nx.Graph()
    for node, attrs in graph.nodes(data=True):
        export.add_node(
            node,
            label=attrs["label"],
            group=attrs["group"],
            country=attrs["country"] or "",
            sectors=",".join(attrs["sectors"]),
            member=bool(attrs["member"]),
            sme=bool(attrs["sme"]),
        )
    for a, b, attrs in graph.edges(data=True):
        export.add_edge(
            a,
            b,
            weight=attrs["weight"],
            projects=attrs["projects"],
            logged=attrs["logged"],
            first_year=attrs["first_year"] or 0,
            last_year=attrs["last_year"] or 0,
        )
    return export


def graphml_text(graph: nx.Graph) -> str:
    """The GraphML document of the cooperation graph (see `graphml_graph` for what it holds).

    Examples
    --------
    >>> from klaster.core.network.graph import INDUSTRY, Actor, build_cooperation_graph
    >>> text = graphml_text(build_cooperation_graph([Actor("a", "Firm", INDUSTRY)], []))
    >>> '<node id="a">' in text, "<edge" in text
    (True, False)
    """
    return "\n".join(nx.generate_graphml(graphml_graph(graph)))
