"""`demo_load`: the whole demo, app by app, in the order each part needs the one before."""

from __future__ import annotations

from dataclasses import dataclass

from klaster.calls.services import ImportResult
from klaster.demo.calls import load_demo_calls
from klaster.demo.consortia import build_demo_idea, build_demo_partner_clusters
from klaster.demo.events import DemoEventsReport, build_demo_events
from klaster.demo.loading import DEMO_LOGINS, DemoReport, build_demo_cluster
from klaster.demo.marketplace import DemoMarketplaceReport, build_demo_marketplace
from klaster.demo.planning import DEFAULT_SEED
from klaster.demo.trackrecord import DemoCordisReport, demo_cooperation_log, demo_cordis_load


@dataclass
class DemoSummary:
    """What one run of the demo found and added, part by part."""

    cluster: DemoReport
    cordis: DemoCordisReport
    cooperation_entries: int
    events: DemoEventsReport
    calls: ImportResult
    partner_clusters: int
    partner_organisations: int
    ideas: int
    ideas_editor: str
    marketplace: DemoMarketplaceReport


def demo_load(*, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Load the demo into the database, adding only what is missing (idempotent).

    Real CORDIS members of the region come first, so that the generated cluster only tops up
    the composition; the cooperation log, the brokerage day, the consortium idea and the
    marketplace's offers and requests then draw on the members, and the idea on the calls.
    """
    cordis = demo_cordis_load(seed=seed)
    cluster = build_demo_cluster(seed=seed)
    cooperation_entries = demo_cooperation_log(seed=seed)
    events = build_demo_events(seed=seed)
    calls = load_demo_calls()
    partner_clusters, partner_organisations = build_demo_partner_clusters()
    ideas_editor = DEMO_LOGINS[1][1]
    ideas = build_demo_idea(editor_username=ideas_editor)
    marketplace = build_demo_marketplace(seed=seed)
    return DemoSummary(
        cluster=cluster,
        cordis=cordis,
        cooperation_entries=cooperation_entries,
        events=events,
        calls=calls,
        partner_clusters=partner_clusters,
        partner_organisations=partner_organisations,
        ideas=ideas,
        ideas_editor=ideas_editor,
        marketplace=marketplace,
    )
