"""Demo data of the consortium builder for `klaster demo`, clearly labelled.

Partner clusters abroad in the three partnerships: their organisations are real CORDIS
organisations of the clusters' countries already in the database (so they have a PIC and a
track record, and the builder can propose them); without CORDIS data the clusters still appear,
with organisations that have no PIC. And one project idea of the first demo member editor's
organisation, started from a real Horizon Europe topic, so the builder has something to propose
for at once.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from klaster.consortia.models import PartnerCluster, PartnerOrganisation

DEMO_CLUSTERS = (
    ("Demo: Bavarian ICT cluster", "DE", PartnerCluster.Partnership.ESCP_4X),
    ("Demo: Catalan energy cluster", "ES", PartnerCluster.Partnership.ESCP_4X),
    ("Demo: Flemish space cluster", "BE", PartnerCluster.Partnership.ESCP_4I),
    ("Demo: Lombardy cleantech cluster", "IT", PartnerCluster.Partnership.ESCP_4I),
    ("Demo: Occitanie smart-grid cluster", "FR", PartnerCluster.Partnership.EAI),
)
ORGANISATIONS_PER_CLUSTER = 3
KINDS = ("PRC", "REC", "HES")


@transaction.atomic
def build_demo_partner_clusters() -> tuple[int, int]:
    """Create the demo partner clusters once; returns (clusters, organisations) added now."""
    from klaster.trackrecord.models import CordisOrganisation

    clusters = organisations = 0
    for name, country, partnership in DEMO_CLUSTERS:
        cluster, created = PartnerCluster.objects.get_or_create(
            name=name, partnership=partnership, defaults={"country": country, "is_demo": True}
        )
        clusters += created
        if cluster.organisations.exists():
            continue
        rows = []
        for kind in KINDS:
            found = (
                CordisOrganisation.objects.filter(country=country, activity_type=kind)
                .exclude(name="")
                .order_by("pic")
                .first()
            )
            if found is not None:
                rows.append(
                    PartnerOrganisation(
                        cluster=cluster,
                        name=found.name[:255],
                        country=country,
                        kind=kind,
                        pic=found.pic if len(found.pic) == 9 else "",
                    )  # fmt: skip
                )
        if not rows:
            rows = [
                PartnerOrganisation(
                    cluster=cluster, name=f"{name}: demo member {i + 1}", country=country, kind=kind
                )
                for i, kind in enumerate(KINDS[:ORGANISATIONS_PER_CLUSTER])
            ]
        PartnerOrganisation.objects.bulk_create(rows)
        organisations += len(rows)
    return clusters, organisations


DEMO_IDEA_PREFIX = "Demo: "
DEMO_IDEA_ROLES = (
    {"kind": "end user", "field": "energy"},
    {"kind": "research partner", "field": ""},
)


@transaction.atomic
def build_demo_idea(*, editor_username: str, today: datetime.date | None = None) -> int:
    """One consortium idea for the editor's organisation, from the Horizon Europe research or
    innovation action closing first among the calls still open (any open call when none is);
    1 if added now, 0 if it exists already."""
    from klaster.accounts.models import User
    from klaster.calls.models import Call
    from klaster.consortia import selectors, services

    editor = User.objects.filter(username=editor_username).select_related("organisation").first()
    if editor is None or editor.organisation is None:
        return 0
    if editor.organisation.project_ideas.filter(title__startswith=DEMO_IDEA_PREFIX).exists():
        return 0
    # A closed call takes no new consortium: the demo's idea is dated by a call still open.
    open_calls = Call.objects.filter(deadline__gte=today or timezone.localdate())
    topics = open_calls.filter(identifier__startswith="HORIZON-").order_by("deadline", "pk")
    call = (
        topics.filter(action_type__in=("RIA", "IA")).first()
        or topics.first()
        or open_calls.order_by("deadline", "pk").first()
    )
    if call is None:
        return 0
    data = selectors.idea_defaults_for_call(call=call)
    data["title"] = (DEMO_IDEA_PREFIX + data["title"])[:300]
    services.idea_create(
        owner=editor.organisation, user=editor, data=data, roles=list(DEMO_IDEA_ROLES), call=call
    )
    return 1
