"""The real part of the demo cluster: Mazowieckie organisations found in CORDIS.

`klaster demo` calls `demo_cordis_load` before the generator: it imports the committed regional
extract (the projects with a participant in NUTS PL91/PL92 with their whole consortia), and
makes members of the region's CORDIS organisations, labelled "demo: public CORDIS record", up to
what the composition of Mazovia Cluster ICT still misses per slot (the most active first). The
generator then tops every slot up with fictitious organisations, which get no EU track record.
Everything here is idempotent: a second run finds the records in place and adds nothing.
"""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q

from klaster.core import cordis_extract, thematic
from klaster.core.text import fold
from klaster.demo.loading import DEMO_SOURCES, existing_demo_composition
from klaster.demo.planning import (
    DEFAULT_SEED,
    MAZOVIA_CLUSTER_ICT,
    missing_composition,
    plan_cooperation,
)
from klaster.demo.vocabulary import TOWNS
from klaster.members.models import Membership, MembershipTier, Organisation, Sector
from klaster.members.services import organisation_refresh_search_document
from klaster.trackrecord import services
from klaster.trackrecord.importer import import_summary
from klaster.trackrecord.models import CordisOrganisation, CordisProject

Kind = Organisation.Kind
Size = Organisation.EnterpriseSize
Support = Organisation.SupportType
REGION_NUTS = ("PL91", "PL92")

_SUPPORT_WORDS = (
    ("park", Support.TECHNOLOGY_PARK),
    ("inkubator", Support.INCUBATOR),
    ("incubator", Support.INCUBATOR),
    ("izba", Support.CHAMBER),
    ("chamber", Support.CHAMBER),
    ("agencja", Support.AGENCY),
    ("agency", Support.AGENCY),
)
_UNIVERSITY_WORDS = ("uniwersytet", "politechnika", "university", "szkola glowna", "akademia")


@dataclass
class DemoCordisReport:
    import_result: dict  # `ImportResult.as_dict()`
    created_organisations: int
    region_organisations: int
    by_slot: dict[str, int]

    @property
    def import_summary(self) -> str:
        """What the import did, in the language active when asked."""
        return import_summary(self.import_result)


def _slot_options(record: CordisOrganisation) -> list[tuple[str, str]]:
    """Slots of the composition this CORDIS organisation could fill, best first."""
    name = fold(record.name)
    activity = record.activity_type
    if activity == "HES" or any(word in name for word in _UNIVERSITY_WORDS) and activity != "PRC":
        return [(Kind.UNIVERSITY, "")]
    if activity == "REC":
        return [(Kind.RESEARCH_INSTITUTE, "")]
    if activity == "PRC":
        if record.sme:
            return [
                (Kind.ENTERPRISE, Size.SMALL),
                (Kind.ENTERPRISE, Size.MICRO),
                (Kind.ENTERPRISE, Size.MEDIUM),
            ]
        return [(Kind.ENTERPRISE, Size.LARGE)]
    if "fundusz" in name or "fund " in name:
        return [(Kind.INVESTMENT_FUND, "")]
    for word, support in _SUPPORT_WORDS:
        if re.search(rf"\b{word}", name):
            return [(Kind.BUSINESS_SUPPORT, support)]
    if activity == "PUB":
        return [(Kind.PUBLIC_ADMINISTRATION, "")]
    return [(Kind.NGO, "")]


def _city(city: str) -> str:
    folded = fold(city)
    if folded in ("warszawa", "warsaw"):
        return "Warszawa"
    town = next((t.name for t in TOWNS if fold(t.name) == folded), None)
    return town or city.title()


def _nip(vat_number: str) -> str:
    compact = re.sub(r"[^0-9A-Za-z]", "", vat_number).upper()
    return compact[2:] if compact.startswith("PL") and len(compact) == 12 else ""


def _website(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    return url if url.startswith(("http://", "https://")) else f"https://{url}"


def _descriptions(projects: int, sectors: tuple[str, ...]) -> tuple[str, str]:
    return (
        f"Organizacja z województwa mazowieckiego, uczestnik {projects} projektów programów "
        "ramowych UE (Horyzont Europa, Horyzont 2020) według publicznych danych CORDIS.",
        f"An organisation from the Mazowieckie region taking part in {projects} projects of the "
        "EU framework programmes (Horizon Europe, Horizon 2020), from public CORDIS data.",
    )


def _project_sectors(pks: list[int]) -> dict[int, tuple[str, ...]]:
    topics, fields = defaultdict(list), defaultdict(list)
    Topic = CordisProject.topics.through
    Field = CordisProject.fields_of_science.through
    for project, code in Topic.objects.filter(cordisproject_id__in=pks).values_list(
        "cordisproject_id", "cordistopic__code"
    ):
        topics[project].append(code)
    for project, path in Field.objects.filter(cordisproject_id__in=pks).values_list(
        "cordisproject_id", "fieldofscience__path"
    ):
        fields[project].append(path)
    return {pk: thematic.sectors_of_project(topics[pk], fields[pk]) for pk in pks}


@transaction.atomic
def demo_cordis_members(*, seed: int = DEFAULT_SEED, today=None) -> tuple[int, int, Counter]:
    """Make cluster organisations (and members) of the region's CORDIS organisations."""
    today = today or datetime.date.today()
    region = list(
        CordisOrganisation.objects.filter(
            Q(nuts_code__startswith=REGION_NUTS[0]) | Q(nuts_code__startswith=REGION_NUTS[1])
        )
        .annotate(projects=Count("participations__project", distinct=True))
        .order_by("-projects", "pic")
    )
    existing_pics = set(Organisation.objects.exclude(pic=None).values_list("pic", flat=True))
    missing = missing_composition(target=MAZOVIA_CLUSTER_ICT, existing=existing_demo_composition())
    taken_names = {fold(n) for n in Organisation.objects.values_list("name", flat=True)}
    chosen: list[tuple[CordisOrganisation, tuple[str, str]]] = []
    for record in region:
        if record.pic in existing_pics or fold(record.name) in taken_names:
            continue
        slot = next((s for s in _slot_options(record) if missing.get(s, 0) > 0), None)
        if slot is None:
            continue
        missing[slot] -= 1
        taken_names.add(fold(record.name))
        chosen.append((record, slot))
    if not chosen:
        return 0, len(region), Counter()

    participations = defaultdict(list)
    Participation = CordisOrganisation.participations.rel.related_model
    for organisation_pk, project_pk in Participation.objects.filter(
        cordis_organisation__in=[r for r, _ in chosen]
    ).values_list("cordis_organisation_id", "project_id"):
        participations[organisation_pk].append(project_pk)
    sectors_of = _project_sectors(sorted({p for ps in participations.values() for p in ps}))
    sector_rows = {s.code: s for s in Sector.objects.filter(code__in=thematic.SECTOR_CODES)}
    tiers = list(MembershipTier.objects.order_by("annual_fee"))

    created = Counter()
    for record, (kind, variant) in chosen:
        rng = random.Random(f"klaster-demo-cordis/{seed}/{record.pic}")
        projects = participations.get(record.pk, [])
        sector_counts = Counter(s for p in projects for s in sectors_of.get(p, ()))
        sectors = tuple(code for code, _n in sector_counts.most_common(2)) or ("ict",)
        description_pl, description_en = _descriptions(len(set(projects)), sectors)
        organisation = Organisation(
            name=record.name[:255],
            short_name=record.short_name[:60],
            kind=kind,
            enterprise_size=variant if kind == Kind.ENTERPRISE else "",
            support_type=variant if kind == Kind.BUSINESS_SUPPORT else "",
            nip=_nip(record.vat_number),
            vat_number=record.vat_number[:20],
            pic=record.pic if re.fullmatch(r"\d{9}", record.pic) else None,
            street=record.street[:200],
            postcode=record.postcode[:12],
            city=_city(record.city)[:100],
            voivodeship="mazowieckie",
            nuts_code=record.nuts_code[:5],
            country="PL",
            website=_website(record.url)[:200],
            description_pl=description_pl,
            description_en=description_en,
            is_published=True,
            source=Organisation.Source.DEMO_CORDIS,
        )
        organisation.save()
        organisation.sectors.set([sector_rows[c] for c in sectors if c in sector_rows])
        organisation_refresh_search_document(organisation=organisation)
        rank = 2 if kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE) else 0
        if kind == Kind.ENTERPRISE and variant == Size.LARGE:
            rank = 2
        tier = tiers[min(rank, len(tiers) - 1)] if tiers else None
        Membership.objects.create(
            organisation=organisation,
            status=Membership.Status.ACTIVE,
            joined_on=datetime.date(rng.randint(2008, today.year - 1), rng.randint(1, 12), 1),
            tier=tier,
            annual_fee=tier.annual_fee if tier else Decimal("0"),
        )
        CordisOrganisation.objects.filter(pk=record.pk).update(
            organisation=organisation, link_method=CordisOrganisation.LinkMethod.DEMO
        )
        created[f"{kind}:{variant}" if variant else kind] += 1
    return len(chosen), len(region), created


def demo_cordis_load(*, seed: int = DEFAULT_SEED, progress=None) -> DemoCordisReport:
    """Import the committed extract, then add the region's CORDIS organisations as members."""
    directory = cordis_extract.DEFAULT_EXTRACT_DIR
    result = services.cordis_import(
        cordis_path=directory / cordis_extract.HORIZON_EXTRACT,
        h2020_path=directory / cordis_extract.H2020_EXTRACT,
        h2020_programme_parts=directory / cordis_extract.H2020_PARTS_EXTRACT,
        progress=progress,
    )
    created, region, by_slot = demo_cordis_members(seed=seed)
    return DemoCordisReport(
        import_result=result.as_dict(),
        created_organisations=created,
        region_organisations=region,
        by_slot=dict(by_slot),
    )


# In the cluster's language, as its staff would write them; "Demo" says that they are generated.
DEMO_COOPERATION_NOTE = "Demo: wpis wygenerowany w rejestrze współpracy."
DEMO_PROJECT_DESCRIPTION = "Demo: wygenerowany projekt klastra."
DEMO_PROJECTS = (
    ("Cyfrowy bliźniak sieci ciepłowniczej", "energy", "running"),
    ("Platforma danych satelitarnych dla rolnictwa", "space", "submitted"),
    ("Mazowiecki hub cyberbezpieczeństwa MŚP", "ict", "funded"),
    ("Magazyny energii dla klastrów energii", "renewable-energy", "in_preparation"),
    ("Monitoring jakości powietrza w gminach", "ecology", "idea"),
    ("Inteligentne liczniki w spółdzielniach", "energy", "finished"),
    ("Wspólna misja handlowa do Kanady", "ict", "rejected"),
)


def demo_cooperation_log(*, seed: int = DEFAULT_SEED, today=None) -> int:
    """A seeded cooperation log and a few cluster projects among demo members (once), then
    the network map's layout computed ahead, so that the first visitor does not wait for it.

    Introductions by the coordinator go from SMEs to science; meetings, agreements, joint
    events and services fill the rest, over the last three years. Marked as demo entries.
    """
    from klaster.trackrecord import selectors

    created = _demo_cooperation_entries(seed=seed, today=today)
    selectors.network_layout(min_shared=2)
    return created


@transaction.atomic
def _demo_cooperation_entries(*, seed: int, today) -> int:
    from klaster.trackrecord.models import ClusterProject, Cooperation

    if Cooperation.objects.filter(is_demo=True).exists():
        return 0
    members = list(
        Organisation.objects.filter(
            source__in=DEMO_SOURCES, membership__status=Membership.Status.ACTIVE
        )
        .order_by("pk")
        .values_list("pk", "kind", "is_sme")
    )
    introduction = Cooperation.Kind.INTRODUCTION
    entries, projects = plan_cooperation(
        seed=seed,
        today=today or datetime.date.today(),
        members=members,
        kinds=[kind for kind in Cooperation.Kind.values if kind != introduction],
        introduction=introduction,
        projects=DEMO_PROJECTS,
        existing_projects=set(
            ClusterProject.objects.filter(
                name__in=[name for name, _area, _status in DEMO_PROJECTS]
            ).values_list("name", flat=True)
        ),
    )
    if not entries:
        return 0
    Cooperation.objects.bulk_create(
        [
            Cooperation(
                kind=entry.kind,
                date=entry.date,
                organisation_a_id=entry.organisation_a,
                organisation_b_id=entry.organisation_b,
                notes=DEMO_COOPERATION_NOTE,
                visibility=Cooperation.Visibility.PUBLIC
                if entry.public
                else Cooperation.Visibility.PRIVATE,
                is_demo=True,
            )
            for entry in entries
        ],
        batch_size=500,
    )
    for plan in projects:
        project, created = ClusterProject.objects.get_or_create(
            name=plan.name,
            defaults={
                "thematic_area": plan.thematic_area,
                "status": plan.status,
                "budget_eur": plan.budget_eur,
                "description": DEMO_PROJECT_DESCRIPTION,
            },
        )
        if created:
            project.partners.set(plan.partners)
    return len(entries)
