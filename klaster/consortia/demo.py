"""Demo partner clusters abroad for `klaster demo`: clearly labelled, in the three partnerships.

Their organisations are real CORDIS organisations of the clusters' countries already in the
database (so they have a PIC and a track record, and the builder can propose them); without
CORDIS data the clusters still appear, with organisations that have no PIC.
"""

from __future__ import annotations

from django.db import transaction

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
