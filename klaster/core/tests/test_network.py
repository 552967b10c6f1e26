"""The cooperation network on small graphs checked by hand, plus invariants."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.core import network
from klaster.core.network import Actor, Tie

# A small cluster: university U and institute R (science), SMEs S1, S2, large firm L, all
# members; foreign partners D (Germany, company) and F (France, institute).
ACTORS = [
    Actor("U", "University", network.SCIENCE, country="PL", sectors=("ict",), member=True),
    Actor("R", "Institute", network.SCIENCE, country="PL", sectors=("energy",), member=True),
    Actor("S1", "SME one", network.INDUSTRY, sme=True, country="PL", sectors=("ict",), member=True),
    Actor(
        "S2", "SME two", network.INDUSTRY, sme=True, country="PL", sectors=("space",), member=True
    ),
    Actor("L", "Large", network.INDUSTRY, country="PL", sectors=("energy",), member=True),
    Actor("D", "German firm", network.INDUSTRY, country="DE"),
    Actor("F", "French lab", network.SCIENCE, country="FR"),
]


def graph(ties, **kwargs):
    return network.build_cooperation_graph(ACTORS, ties, **kwargs)


def test_co_participation_gives_every_pair_of_a_consortium_once():
    ties = network.co_participation_ties([("p", "U", 2021), ("p", "S1", 2021), ("p", "D", 2021)])
    assert sorted((t.a, t.b) for t in ties) == [("D", "S1"), ("D", "U"), ("S1", "U")]


def test_focus_keeps_only_ties_touching_the_cluster():
    rows = [("p", "U", 2021), ("p", "D", 2021), ("p", "F", 2021)]
    ties = network.co_participation_ties(rows, focus={"U"})
    assert sorted((t.a, t.b) for t in ties) == [("D", "U"), ("F", "U")]


def test_edge_weight_counts_projects_and_log_entries_within_the_window():
    ties = [
        Tie("U", "S1", 2020, "cordis", "p1"),
        Tie("U", "S1", 2023, "cordis", "p2"),
        Tie("U", "S1", 2024, "log", "m1"),
    ]
    whole = graph(ties)
    assert whole.edges["U", "S1"]["weight"] == 3
    assert (whole.edges["U", "S1"]["projects"], whole.edges["U", "S1"]["logged"]) == (2, 1)
    assert (whole.edges["U", "S1"]["first_year"], whole.edges["U", "S1"]["last_year"]) == (
        2020,
        2024,
    )
    assert graph(ties, start_year=2022).edges["U", "S1"]["weight"] == 2
    assert not graph(ties, end_year=2019).has_edge("U", "S1")


def test_star_centre_has_all_betweenness_and_bridges_science_and_industry():
    # U is tied to S1, S2 and R; nobody else is tied: U bridges every pair.
    g = graph([Tie("U", "S1", 2022), Tie("U", "S2", 2022), Tie("U", "R", 2022)])
    assert network.degree(g)["U"] == 3
    between = network.betweenness(g)
    assert between["U"] == pytest.approx(3 / 15)  # 3 pairs of 6 among 7 nodes, normalised
    roles = network.brokerage(g)
    assert roles["U"].science_industry == 2  # (R, S1), (R, S2)
    assert roles["U"].sme_research == 2
    assert roles["U"].across_sectors == 3  # S1 ict, S2 space, R energy: no pair shares a sector
    assert roles["S1"] == network.BrokerageRole()


def test_a_tie_between_the_brokers_partners_removes_the_bridge():
    g = graph([Tie("U", "S1", 2022), Tie("U", "R", 2022), Tie("R", "S1", 2022)])
    assert network.brokerage(g)["U"].science_industry == 0


def test_cluster_figures_on_a_small_cluster():
    g = graph(
        [
            Tie("U", "S1", 2021),
            Tie("R", "L", 2023),
            Tie("S1", "D", 2022),
            Tie("U", "F", 2022),
            Tie("L", "D", 2024),
        ]
    )
    assert network.smes_with_research_partner(g) == (1, 2)  # S1 yes, S2 no
    assert network.smes_without_research_partner(g) == ["S2"]
    assert network.science_industry_ties(g) == 2  # U–S1, R–L
    assert network.science_industry_ties(g, members_only=True) == 2
    assert network.international_ties_by_country(g) == {"DE": 2, "FR": 1}
    summary = network.cluster_summary(g)
    assert summary["members"] == 5 and summary["member_ties"] == 2
    assert summary["share_smes_with_research_partner"] == 0.5


def test_density_over_time_grows_with_ties_among_members():
    ties = [Tie("U", "S1", 2021), Tie("R", "L", 2023), Tie("S1", "D", 2022)]
    density = network.density_over_time(graph(ties), ties, [2020, 2021, 2023])
    # 5 members -> 10 possible ties among them; D is not a member.
    assert density == {2020: 0.0, 2021: 0.1, 2023: 0.2}


def test_communities_are_seeded_and_split_two_cliques():
    ties = [Tie(a, b, 2022) for a, b in [("U", "S1"), ("S1", "S2"), ("U", "S2")]]
    ties += [Tie(a, b, 2022) for a, b in [("R", "L"), ("L", "D"), ("R", "D")]]
    g = graph(ties)
    found = network.communities(g, seed=3)
    assert found == network.communities(g, seed=3)
    assert {"U", "S1", "S2"} in found and {"R", "L", "D"} in found


def test_neighbourhood_is_the_organisation_and_its_partners():
    g = graph([Tie("U", "S1", 2022), Tie("S1", "D", 2022)])
    assert set(network.neighbourhood(g, "U")) == {"U", "S1"}
    assert set(network.neighbourhood(g, "nobody")) == set()


def test_layout_places_every_organisation_the_same_way_for_the_same_seed():
    g = nx.path_graph(30)
    g.add_node(99)
    first = network.layout(g, seed=1, core_size=10)
    assert set(first) == set(g)
    assert first == network.layout(g, seed=1, core_size=10)


PAIRS = st.lists(
    st.tuples(st.sampled_from([a.id for a in ACTORS]), st.sampled_from([a.id for a in ACTORS])),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(PAIRS)
def test_invariants_on_random_ties(pairs):
    ties = [Tie(a, b, 2020 + i % 5) for i, (a, b) in enumerate(pairs)]
    g = graph(ties)
    # No self-ties; weights add up to the distinct-end ties.
    assert not any(a == b for a, b in g.edges())
    assert sum(w for _, _, w in g.edges(data="weight")) == sum(1 for a, b in pairs if a != b)
    with_partner, smes = network.smes_with_research_partner(g)
    assert 0 <= with_partner <= smes == 2
    assert network.science_industry_ties(g, members_only=True) <= network.science_industry_ties(g)
    for role in network.brokerage(g).values():
        assert role.science_industry >= 0 and role.sme_research >= 0
    communities = network.communities(g, seed=0)
    assert sorted(n for c in communities for n in c) == sorted(g)
    density = network.density_over_time(g, ties, [2020, 2022, 2024])
    assert density[2020] <= density[2022] <= density[2024] <= 1.0
