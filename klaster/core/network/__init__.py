"""The cooperation network: graph building (`graph`) and metrics (`metrics`), pure NetworkX.

Nodes are organisations (cluster members and their CORDIS partners), edges are ties: a shared
EU project or an entry of the cooperation log. Everything here takes plain data and returns plain
data; randomness is a `seed` parameter.
"""

from klaster.core.network.graph import (
    FINANCE,
    INDUSTRY,
    OTHER,
    PUBLIC,
    SCIENCE,
    SUPPORT,
    Actor,
    Tie,
    build_cooperation_graph,
    co_participation_ties,
    group_of_cordis_activity,
    group_of_kind,
    layout,
    neighbourhood,
)
from klaster.core.network.metrics import (
    BrokerageRole,
    betweenness,
    brokerage,
    cluster_summary,
    communities,
    degree,
    density_over_time,
    international_ties_by_country,
    organisation_metrics,
    science_industry_ties,
    smes_with_research_partner,
    smes_without_research_partner,
)

__all__ = [
    "FINANCE",
    "INDUSTRY",
    "OTHER",
    "PUBLIC",
    "SCIENCE",
    "SUPPORT",
    "Actor",
    "BrokerageRole",
    "Tie",
    "betweenness",
    "brokerage",
    "build_cooperation_graph",
    "cluster_summary",
    "co_participation_ties",
    "communities",
    "degree",
    "density_over_time",
    "group_of_cordis_activity",
    "group_of_kind",
    "international_ties_by_country",
    "layout",
    "neighbourhood",
    "organisation_metrics",
    "science_industry_ties",
    "smes_with_research_partner",
    "smes_without_research_partner",
]
