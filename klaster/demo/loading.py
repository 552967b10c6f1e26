"""Loading the demo's member registry: the generated organisations of `planning`, written in
bulk with their sectors, competences, contact people, memberships and fees, and one login per
role. Idempotent: organisations already there (generated earlier, or real ones from CORDIS)
count towards the composition, and only what is missing is added.

Everything here is fictitious and marked as such: organisations carry
`Source.DEMO_GENERATED`, names are composed from word lists, websites and e-mails live under the
reserved `.example` domain, phone numbers use a subscriber range that is never assigned, and
no organisation gets a PIC (an invented EU track record would mislead the partner search).
Identifiers have valid check digits, so that every form and import path accepts them.
"""

from __future__ import annotations

import datetime
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from klaster.accounts.models import User
from klaster.demo.planning import (
    DEFAULT_SEED,
    MAZOVIA_CLUSTER_ICT,
    OrganisationPlan,
    Slot,
    missing_composition,
    plan_fee,
    plan_organisations,
)
from klaster.demo.vocabulary import CONSENT_PURPOSE, SECTORS, SECTORS_BY_CODE
from klaster.members.models import (
    Competence,
    FeePayment,
    Membership,
    MembershipTier,
    Organisation,
    Person,
    Sector,
)
from klaster.members.services import search_document_from

Kind = Organisation.Kind
Size = Organisation.EnterpriseSize

DEMO_SOURCES = (Organisation.Source.DEMO_GENERATED, Organisation.Source.DEMO_CORDIS)


def existing_demo_composition() -> Counter:
    """How many demo organisations (generated or from CORDIS) each slot already holds."""
    counts: Counter = Counter()
    rows = Organisation.objects.filter(source__in=DEMO_SOURCES).values_list(
        "kind", "enterprise_size", "support_type"
    )
    for kind, size, support_type in rows:
        variant = (
            size
            if kind == Kind.ENTERPRISE
            else support_type
            if kind == Kind.BUSINESS_SUPPORT
            else ""
        )
        counts[(kind, variant)] += 1
    return counts


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    organisation: str


DEMO_LOGINS = (
    # (role as printed, username, password): fixed, so that the README can name them.
    ("coordinator", "koordynator", "demo-koordynator-2026"),
    ("member editor", "redaktor-a", "demo-redaktor-a-2026"),
    ("member editor", "redaktor-b", "demo-redaktor-b-2026"),
    ("investor", "inwestor", "demo-inwestor-2026"),
)


@dataclass
class DemoReport:
    created_organisations: int
    organisations_by_kind: dict[str, int]
    smes: int
    people: int
    memberships_by_status: dict[str, int]
    fees_created: int
    logins: list[DemoLogin]
    seconds: float


def _sectors_by_code() -> dict[str, Sector]:
    sectors = {sector.code: sector for sector in Sector.objects.filter(code__in=SECTORS_BY_CODE)}
    for vocabulary in SECTORS:
        if vocabulary.code not in sectors:
            # The built-in sectors come with migration 0002; recreate any that staff deleted.
            sectors[vocabulary.code] = Sector.objects.create(
                code=vocabulary.code,
                name_pl=vocabulary.genitive_pl.capitalize(),
                name_en=vocabulary.name_en.capitalize(),
                is_builtin=True,
            )
    return sectors


def _search_document(plan: OrganisationPlan, sectors_by_code: dict[str, Sector]) -> str:
    """The registry's own search document for a planned organisation, without reading its tags
    back: competences and sectors in the order the database lists them (by name; built-in
    sectors first, by English name), as `search_document_for` would."""
    sectors = sorted(
        (sectors_by_code[code] for code in plan.sector_codes),
        key=lambda sector: (not sector.is_builtin, sector.name_en),
    )
    return search_document_from(
        vars(plan),
        competence_names=sorted(plan.competence_names),
        sector_names=[(sector.name_pl, sector.name_en) for sector in sectors],
    )


def _competences_by_name(names: set[str]) -> dict[str, Competence]:
    technology = {term[0] for sector in SECTORS for term in sector.terms if term[2]}
    # In name order, not the set's: a set's order changes with each process's string hashing,
    # and the competences' ids with it; the same seed must give the same rows.
    slugs = {name: slugify(name, allow_unicode=True) for name in sorted(names)}
    existing = {c.slug: c for c in Competence.objects.filter(slug__in=slugs.values())}
    Competence.objects.bulk_create(
        [
            Competence(
                name=name,
                slug=slug,
                kind=Competence.Kind.TECHNOLOGY
                if name in technology
                else Competence.Kind.COMPETENCE,
            )
            for name, slug in slugs.items()
            if slug not in existing
        ],
        ignore_conflicts=True,
    )
    by_slug = {c.slug: c for c in Competence.objects.filter(slug__in=slugs.values())}
    return {name: by_slug[slug] for name, slug in slugs.items()}


def _tiers_by_rank() -> list[MembershipTier | None]:
    """[basic, standard, strategic]: the tiers from cheapest to dearest (migration 0002)."""
    tiers: list[MembershipTier | None] = list(MembershipTier.objects.order_by("annual_fee"))
    if not tiers:
        return [None, None, None]
    return [tiers[0], tiers[len(tiers) // 2], tiers[-1]]


def _tier_rank(plan: OrganisationPlan) -> int:
    if plan.kind == Kind.ENTERPRISE:
        return {Size.MICRO: 0, Size.SMALL: 0, Size.MEDIUM: 1, Size.LARGE: 2}[plan.enterprise_size]
    if plan.kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE, Kind.INVESTMENT_FUND):
        return 2
    return 1


def _write_plans(plans: list[OrganisationPlan], *, batch_size: int = 500) -> list[Organisation]:
    sectors = _sectors_by_code()
    competences = _competences_by_name({name for plan in plans for name in plan.competence_names})
    tiers = _tiers_by_rank()

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=plan.name,
                short_name=plan.short_name,
                kind=plan.kind,
                enterprise_size=plan.enterprise_size,
                support_type=plan.support_type,
                is_sme=plan.is_sme,  # bulk_create skips Organisation.save, which sets it
                nip=plan.nip,
                regon=plan.regon,
                krs=plan.krs,
                vat_number=plan.vat_number,
                pic=None,
                competences_text=plan.competences_text,
                description_pl=plan.description_pl,
                description_en=plan.description_en,
                street=plan.street,
                postcode=plan.postcode,
                city=plan.city,
                voivodeship=plan.voivodeship,
                nuts_code=plan.nuts_code,
                country="PL",
                website=plan.website,
                employees_band=plan.employees_band,
                turnover_band=plan.turnover_band,
                year_founded=plan.year_founded,
                is_published=plan.membership_status != Membership.Status.CANDIDATE,
                source=Organisation.Source.DEMO_GENERATED,
                search_document=_search_document(plan, sectors),
            )
            for plan in plans
        ],
        batch_size=batch_size,
    )
    if any(o.pk is None for o in organisations):
        # Databases that return no keys from a bulk insert: look them up by the stable NIP.
        by_nip = dict(
            Organisation.objects.filter(
                source=Organisation.Source.DEMO_GENERATED, nip__in=[p.nip for p in plans]
            ).values_list("nip", "pk")
        )
        for organisation in organisations:
            organisation.pk = by_nip[organisation.nip]

    SectorLink = Organisation.sectors.through
    CompetenceLink = Organisation.competences.through
    SectorLink.objects.bulk_create(
        [
            SectorLink(organisation_id=organisation.pk, sector_id=sectors[code].pk)
            for organisation, plan in zip(organisations, plans, strict=True)
            for code in plan.sector_codes
        ],
        batch_size=batch_size * 4,
    )
    CompetenceLink.objects.bulk_create(
        [
            CompetenceLink(organisation_id=organisation.pk, competence_id=competences[name].pk)
            for organisation, plan in zip(organisations, plans, strict=True)
            for name in plan.competence_names
        ],
        batch_size=batch_size * 4,
    )
    Person.objects.bulk_create(
        [
            Person(
                organisation_id=organisation.pk,
                first_name=person.first_name,
                last_name=person.last_name,
                position=person.position,
                email=person.email,
                phone=person.phone,
                is_primary_contact=person.is_primary_contact,
                consent_purpose=CONSENT_PURPOSE if person.consent_given_on else "",
                consent_given_on=person.consent_given_on,
                consent_withdrawn_on=person.consent_withdrawn_on,
            )
            for organisation, plan in zip(organisations, plans, strict=True)
            for person in plan.people
        ],
        batch_size=batch_size * 2,
    )
    memberships = []
    for organisation, plan in zip(organisations, plans, strict=True):
        if plan.membership_status is None:
            continue
        tier = tiers[_tier_rank(plan)]
        memberships.append(
            Membership(
                organisation_id=organisation.pk,
                status=plan.membership_status,
                joined_on=plan.joined_on,
                left_on=plan.left_on,
                tier=tier,
                annual_fee=tier.annual_fee if tier else Decimal("0"),
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=batch_size)
    return organisations


def _top_up_fees(*, seed: int, today: datetime.date) -> int:
    """Fees of demo memberships for the previous and the current year, where still missing."""
    years = (today.year - 1, today.year)
    memberships = Membership.objects.filter(
        organisation__source__in=DEMO_SOURCES,
        status__in=(
            Membership.Status.ACTIVE,
            Membership.Status.SUSPENDED,
            Membership.Status.FORMER,
        ),
    ).select_related("organisation")
    have = set(
        FeePayment.objects.filter(membership__in=memberships, year__in=years).values_list(
            "membership_id", "year"
        )
    )
    fees = []
    for membership in memberships:
        for year in years:
            if (membership.pk, year) in have:
                continue
            fee = plan_fee(
                seed=seed,
                nip=membership.organisation.nip,
                year=year,
                today=today,
                status=membership.status,
                joined_on=membership.joined_on,
                left_on=membership.left_on,
                annual_fee=membership.annual_fee,
            )
            if fee:
                fees.append(
                    FeePayment(
                        membership=membership,
                        year=fee.year,
                        amount=fee.amount,
                        due_on=fee.due_on,
                        paid_on=fee.paid_on,
                        reference=fee.reference,
                    )
                )
    FeePayment.objects.bulk_create(fees, batch_size=1000)
    return len(fees)


def _ensure_login(
    *, username: str, password: str, role: str, organisation: Organisation | None, staff: bool
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@klaster-demo.example",
            "first_name": {"koordynator": "Koordynator", "inwestor": "Inwestor"}.get(
                username, "Redaktor"
            ),
            "last_name": "Demo",
        },
    )
    user.role = role
    user.is_staff = staff
    user.is_superuser = staff
    user.is_active = True
    if user.organisation_id is None or created:
        user.organisation = organisation
    # Hashing is slow on purpose; keep a working password rather than rehash on every run.
    if created or not user.check_password(password):
        user.set_password(password)
    user.save()
    return user


def _ensure_logins() -> list[DemoLogin]:
    demo = Organisation.objects.filter(source__in=DEMO_SOURCES, is_published=True)
    editable_smes = list(
        demo.filter(is_sme=True, membership__status=Membership.Status.ACTIVE).order_by("nip")[:2]
    )
    fund = demo.filter(kind=Kind.INVESTMENT_FUND).order_by("nip").first()
    roles = [
        (User.Role.COORDINATOR, None, True),
        (User.Role.MEMBER_EDITOR, editable_smes[0] if editable_smes else None, False),
        (User.Role.MEMBER_EDITOR, editable_smes[1] if len(editable_smes) > 1 else None, False),
        (User.Role.INVESTOR, fund, False),
    ]
    logins = []
    for (label, username, password), (role, organisation, staff) in zip(
        DEMO_LOGINS, roles, strict=True
    ):
        user = _ensure_login(
            username=username,
            password=password,
            role=role,
            organisation=organisation,
            staff=staff,
        )
        logins.append(
            DemoLogin(
                role=label,
                username=username,
                password=password,
                organisation=user.organisation.name if user.organisation else "",
            )
        )
    return logins


@transaction.atomic
def build_demo_cluster(
    *,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    composition: dict[Slot, int] | None = None,
    with_logins: bool = True,
) -> DemoReport:
    """Fill the database with the demo cluster, adding only what is missing (idempotent).

    Demo organisations already present (generated earlier, or real ones from CORDIS) count
    towards `composition`; generated organisations top up each slot to its target.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    target = MAZOVIA_CLUSTER_ICT if composition is None else composition
    missing = missing_composition(target=target, existing=existing_demo_composition())
    generated = Organisation.objects.filter(source=Organisation.Source.DEMO_GENERATED)
    plans = plan_organisations(
        seed=seed,
        missing=missing,
        today=today,
        skip_nips=set(generated.values_list("nip", flat=True)),
        taken_names=set(Organisation.objects.values_list("name", flat=True)),
        taken_identifiers={
            column: set(Organisation.objects.exclude(**{column: ""}).values_list(column, flat=True))
            for column in ("nip", "regon", "krs")
        },
    )
    _write_plans(plans)
    fees_created = _top_up_fees(seed=seed, today=today)
    logins = _ensure_logins() if with_logins else []

    demo = Organisation.objects.filter(source__in=DEMO_SOURCES)
    by_kind = Counter(demo.values_list("kind", flat=True))
    return DemoReport(
        created_organisations=len(plans),
        organisations_by_kind={kind: by_kind.get(kind, 0) for kind in Kind.values},
        smes=demo.filter(is_sme=True).count(),
        people=Person.objects.filter(organisation__source__in=DEMO_SOURCES).count(),
        memberships_by_status=dict(
            Counter(
                Membership.objects.filter(organisation__source__in=DEMO_SOURCES).values_list(
                    "status", flat=True
                )
            )
        ),
        fees_created=fees_created,
        logins=logins,
        seconds=time.perf_counter() - started,
    )
