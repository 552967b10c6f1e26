"""Pure choices of the demo: which organisations the generated cluster holds, with their
people, identifiers and memberships, which fees they owe and paid, and which cooperation the
log records. Every choice is a function of a seed and the day `today`: no database, no clock.

Each organisation is drawn from its own random stream, seeded by (seed, slot, index), so the
i-th university is the same whether it is generated alone or together with 10,000 enterprises.
That is what makes loading idempotent and lets a later step add real CORDIS organisations first
and top up with generated ones only where the composition is still short
(`missing_composition`).

Examples
--------
>>> import datetime
>>> plans = plan_organisations(
...     seed=2026, missing={("university", ""): 1}, today=datetime.date(2026, 5, 15)
... )
>>> plans[0].kind, plans[0].voivodeship
('university', 'mazowieckie')
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from klaster.core.dates import working_day_from
from klaster.core.meeting_matching import Profile, suggest_matches
from klaster.core.text import fold
from klaster.demo.vocabulary import (
    ADJECTIVES,
    COOPERATION,
    FALLBACK_LOOKING_FOR,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    INSTITUTION_INTROS,
    INVESTMENT_FUNDS,
    LAST_NAMES,
    LEGAL_FORMS,
    LOCAL_GOVERNMENT_TOWNS,
    LOOKING_FOR,
    NGOS,
    NOUNS,
    OFFERS,
    POSITIONS,
    RESEARCH_INSTITUTES,
    SECTOR_WEIGHTS,
    SECTORS,
    SECTORS_BY_CODE,
    SEEKS,
    SIZE_NOUNS,
    STREETS,
    SUPPORT_INSTITUTIONS,
    TAILS_BY_SECTOR,
    TOWN_WEIGHTS,
    TOWNS,
    TOWNS_BY_NAME,
    UNIVERSITIES,
)
from klaster.events.models import MeetingRequest
from klaster.members.models import Membership, Organisation

Kind = Organisation.Kind
Size = Organisation.EnterpriseSize
Support = Organisation.SupportType
Band = Organisation.EmployeesBand
Turnover = Organisation.TurnoverBand

DEFAULT_SEED = 2026

# A slot is one line of the composition: (kind, enterprise size or support type or "").
Slot = tuple[str, str]

# Mazovia Cluster ICT as the product describes it: 9 institutes, 6 universities, 3 funds,
# 500+ enterprises (mostly SMEs), business-environment institutions, local governments, NGOs.
MAZOVIA_CLUSTER_ICT: dict[Slot, int] = {
    (Kind.RESEARCH_INSTITUTE, ""): 9,
    (Kind.UNIVERSITY, ""): 6,
    (Kind.INVESTMENT_FUND, ""): 3,
    (Kind.ENTERPRISE, Size.MICRO): 215,
    (Kind.ENTERPRISE, Size.SMALL): 170,
    (Kind.ENTERPRISE, Size.MEDIUM): 90,
    (Kind.ENTERPRISE, Size.LARGE): 45,
    (Kind.BUSINESS_SUPPORT, Support.TECHNOLOGY_PARK): 4,
    (Kind.BUSINESS_SUPPORT, Support.INCUBATOR): 5,
    (Kind.BUSINESS_SUPPORT, Support.CHAMBER): 3,
    (Kind.BUSINESS_SUPPORT, Support.AGENCY): 3,
    (Kind.PUBLIC_ADMINISTRATION, ""): 12,
    (Kind.NGO, ""): 5,
}


def composition_scaled_to(total: int) -> dict[Slot, int]:
    """The Mazovia composition with enterprises grown (or shrunk) so that it sums to `total`.

    Everything but enterprises stays as in the real cluster; enterprises keep their size mix.
    Used by the directory benchmark (10,000 organisations) and by fast tests (small clusters).
    """
    fixed = {slot: n for slot, n in MAZOVIA_CLUSTER_ICT.items() if slot[0] != Kind.ENTERPRISE}
    enterprises = {slot: n for slot, n in MAZOVIA_CLUSTER_ICT.items() if slot[0] == Kind.ENTERPRISE}
    wanted = max(0, total - sum(fixed.values()))
    share = sum(enterprises.values())
    scaled = {slot: wanted * n // share for slot, n in enterprises.items()}
    # Rounding leftovers go to micro enterprises, the largest group.
    scaled[(Kind.ENTERPRISE, Size.MICRO)] += wanted - sum(scaled.values())
    return {**fixed, **scaled}


def missing_composition(*, target: dict[Slot, int], existing: Counter) -> dict[Slot, int]:
    """What the demo still lacks per slot to reach `target`, given organisations already there.

    Organisations in a slot the target does not name (say, a CORDIS company of unknown size)
    fill no slot: the generated part of the cluster is then a little larger, never smaller.
    """
    return {slot: n - existing[slot] for slot, n in target.items() if n > existing[slot]}


# --- Plans: what one generated organisation will be --------------------------------------------


@dataclass
class PersonPlan:
    first_name: str
    last_name: str
    position: str
    email: str
    phone: str
    is_primary_contact: bool
    consent_given_on: datetime.date | None
    consent_withdrawn_on: datetime.date | None


@dataclass
class OrganisationPlan:
    """Everything about one generated organisation, before it touches the database."""

    slot: Slot
    index: int
    name: str
    short_name: str
    kind: str
    enterprise_size: str
    support_type: str
    nip: str
    regon: str
    krs: str
    city: str
    postcode: str
    street: str
    nuts_code: str
    sector_codes: list[str]
    competence_names: list[str]
    competences_text: str
    description_pl: str
    description_en: str
    website: str
    employees_band: str
    turnover_band: str
    year_founded: int | None
    membership_status: str | None
    joined_on: datetime.date | None
    left_on: datetime.date | None
    people: list[PersonPlan] = field(default_factory=list)
    voivodeship: str = "mazowieckie"

    @property
    def is_sme(self) -> bool:
        return self.kind == Kind.ENTERPRISE and self.enterprise_size in Organisation.SME_SIZES

    @property
    def vat_number(self) -> str:
        return f"PL{self.nip}" if self.nip else ""


def _nip(rng: random.Random) -> str:
    """A NIP with a valid check digit; the first three digits look like a tax-office code."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        body = f"{rng.randint(101, 998)}{rng.randint(0, 999999):06d}"
        check = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:
            return body + str(check)


def _regon(rng: random.Random) -> str:
    """A nine-digit REGON with its check digit; 14 is the prefix of Mazowieckie registrations."""
    from stdnum.pl import regon as pl_regon

    body = f"14{rng.randint(0, 999999):06d}"
    return body + pl_regon.calc_check_digit(body)


def _krs(rng: random.Random) -> str:
    return f"0000{rng.randint(100000, 999999)}"


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _join_terms(terms: list[str], conjunction: str) -> str:
    if len(terms) <= 1:
        return "".join(terms)
    return f"{', '.join(terms[:-1])} {conjunction} {terms[-1]}"


def _web_slug(name: str) -> str:
    words = [
        w
        for w in slugify(fold(name)).split("-")
        if w not in {"sp", "z", "o", "s", "a", "k", "j", "p"}
    ]
    return "-".join(words[:4]) or "organizacja"


def _pick_competences(
    rng: random.Random, sector_codes: list[str], count: int
) -> list[tuple[str, str, bool]]:
    primary = SECTORS_BY_CODE[sector_codes[0]].terms
    picked = rng.sample(primary, min(count, len(primary)))
    for code in sector_codes[1:]:
        picked.append(rng.choice(SECTORS_BY_CODE[code].terms))
    unique: dict[str, tuple[str, str, bool]] = {}
    for term in picked:
        unique.setdefault(term[0], term)
    return list(unique.values())


def _people(
    rng: random.Random, *, kind: str, domain: str, phone_area: str, today: datetime.date, count: int
) -> list[PersonPlan]:
    people = []
    names_taken: set[tuple[str, str]] = set()
    for position_number in range(count):
        # Two people of one organisation never share a name: their e-mails would clash too.
        while True:
            female = rng.random() < 0.45
            first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
            last = rng.choice(LAST_NAMES)[1 if female else 0]
            if (first, last) not in names_taken:
                names_taken.add((first, last))
                break
        consent_given_on = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
        withdrawn = None
        roll = rng.random()
        if roll < 0.08:
            withdrawn = consent_given_on + datetime.timedelta(days=rng.randint(1, 25))
        elif roll < 0.12:
            consent_given_on = None  # asked, never answered: not shown publicly
        local_part = slugify(fold(f"{first}.{last}").replace(".", "-")).replace("-", ".")
        people.append(
            PersonPlan(
                first_name=first,
                last_name=last,
                position=rng.choice(POSITIONS[kind]),
                email=f"{local_part}@{domain}",
                # Polish subscriber numbers never start with 0: these reach no one.
                phone=f"+48 {phone_area} 0{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                is_primary_contact=position_number == 0,
                consent_given_on=consent_given_on,
                consent_withdrawn_on=withdrawn,
            )
        )
    return people


def _membership(
    rng: random.Random, *, kind: str, year_founded: int | None, today: datetime.date
) -> tuple[str | None, datetime.date | None, datetime.date | None]:
    """(status, joined on, left on). Some local governments cooperate without being members."""
    if kind == Kind.PUBLIC_ADMINISTRATION and rng.random() < 0.4:
        return None, None, None
    roll = rng.random()
    if roll < 0.06:
        return Membership.Status.CANDIDATE, None, None
    first_year = max(2007, year_founded or 2007)
    joined_year = rng.randint(first_year, max(first_year, today.year - 1))
    joined_on = datetime.date(joined_year, rng.randint(1, 12), rng.randint(1, 28))
    if roll < 0.11:
        return Membership.Status.SUSPENDED, joined_on, None
    if roll < 0.18 and joined_year < today.year - 1:
        left_year = rng.randint(joined_year + 1, today.year - 1)
        return Membership.Status.FORMER, joined_on, datetime.date(left_year, 12, 31)
    return Membership.Status.ACTIVE, joined_on, None


def _enterprise_name(rng: random.Random, size: str, sector_code: str) -> tuple[str, str]:
    adjective = rng.choice(ADJECTIVES)
    noun, gender = rng.choice(NOUNS)
    tail = rng.choice(TAILS_BY_SECTOR[sector_code])
    brand = f"{adjective[gender]} {noun} {tail}"
    return f"{brand} {_weighted(rng, LEGAL_FORMS[size])}", brand


def _bands(rng: random.Random, kind: str, size: str) -> tuple[str, str]:
    if kind == Kind.ENTERPRISE:
        return {
            Size.MICRO: (Band.UP_TO_9, Turnover.UP_TO_2M),
            Size.SMALL: (Band.UP_TO_49, rng.choice((Turnover.UP_TO_2M, Turnover.UP_TO_10M))),
            Size.MEDIUM: (Band.UP_TO_249, rng.choice((Turnover.UP_TO_10M, Turnover.UP_TO_50M))),
            Size.LARGE: (
                rng.choice((Band.UP_TO_999, Band.OVER_1000)),
                rng.choice((Turnover.UP_TO_50M, Turnover.OVER_50M)),
            ),
        }[size]
    return {
        Kind.RESEARCH_INSTITUTE: (rng.choice((Band.UP_TO_249, Band.UP_TO_999)), ""),
        Kind.UNIVERSITY: (Band.OVER_1000, ""),
        Kind.INVESTMENT_FUND: (Band.UP_TO_9, ""),
        Kind.BUSINESS_SUPPORT: (rng.choice((Band.UP_TO_9, Band.UP_TO_49)), ""),
        Kind.PUBLIC_ADMINISTRATION: (rng.choice((Band.UP_TO_249, Band.UP_TO_999)), ""),
        Kind.NGO: (Band.UP_TO_9, ""),
    }[kind]


def _founded(rng: random.Random, kind: str, today: datetime.date) -> int | None:
    ranges = {
        Kind.ENTERPRISE: (1991, today.year - 1),
        Kind.RESEARCH_INSTITUTE: (1951, 2005),
        Kind.UNIVERSITY: (1951, 2008),
        Kind.INVESTMENT_FUND: (2010, 2021),
        Kind.BUSINESS_SUPPORT: (1995, 2019),
        Kind.NGO: (2004, 2022),
    }
    if kind not in ranges:
        return None
    low, high = ranges[kind]
    # Young companies are more common than old ones: the later of two draws.
    year = rng.randint(low, high)
    return max(year, rng.randint(low, high)) if kind == Kind.ENTERPRISE else year


def _fixed_name(slot: Slot, index: int) -> tuple[str, str | None, str | None]:
    """(name, sector code, town) for kinds whose demo names come from a fixed list."""
    kind, variant = slot
    lists = {
        Kind.RESEARCH_INSTITUTE: [(n, s, None) for n, s in RESEARCH_INSTITUTES],
        Kind.UNIVERSITY: list(UNIVERSITIES),
        Kind.INVESTMENT_FUND: [(n, s, "Warszawa") for n, s in INVESTMENT_FUNDS],
        Kind.BUSINESS_SUPPORT: [(n, None, t) for n, t in SUPPORT_INSTITUTIONS.get(variant, ())],
        Kind.PUBLIC_ADMINISTRATION: [
            (f"Gmina {t} (demo)", None, t) for t in LOCAL_GOVERNMENT_TOWNS
        ],
        Kind.NGO: [(n, s, None) for n, s in NGOS],
    }[kind]
    name, sector, town = lists[index % len(lists)]
    if index >= len(lists):
        # More than the list holds (only in scaled-up benchmarks): keep names distinct.
        name = f"{name} {index // len(lists) + 1}"
    return name, sector, town


def plan_organisation(
    *, seed: int, slot: Slot, index: int, today: datetime.date, taken_names: set[str]
) -> OrganisationPlan:
    """The `index`-th generated organisation of `slot`: a pure function of its arguments."""
    rng = random.Random(f"klaster-demo/{seed}/{slot[0]}/{slot[1]}/{index}")
    kind, variant = slot
    size = variant if kind == Kind.ENTERPRISE else ""
    support_type = variant if kind == Kind.BUSINESS_SUPPORT else ""

    primary_sector = rng.choices([s.code for s in SECTORS], weights=SECTOR_WEIGHTS)[0]
    town = rng.choices(TOWNS, weights=TOWN_WEIGHTS)[0]
    if kind == Kind.ENTERPRISE:
        for _attempt in range(20):
            name, short_name = _enterprise_name(rng, size, primary_sector)
            if name not in taken_names:
                break
        else:
            name = f"{name} {index}"
    else:
        name, fixed_sector, fixed_town = _fixed_name(slot, index)
        short_name = ""
        primary_sector = fixed_sector or primary_sector
        if fixed_town:
            town = TOWNS_BY_NAME[fixed_town]
        elif kind == Kind.RESEARCH_INSTITUTE:
            # Most institutes sit in Warsaw; energy ones near the Płock refinery and Kozienice.
            town = TOWNS_BY_NAME[
                "Płock" if primary_sector == "energy" and index % 2 else "Warszawa"
            ]
    taken_names.add(name)

    sector_codes = [primary_sector]
    broad = kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE, Kind.BUSINESS_SUPPORT)
    extra_sectors = rng.randint(1, 3) if broad else (1 if rng.random() < 0.3 else 0)
    for code in rng.sample([s.code for s in SECTORS if s.code != primary_sector], extra_sectors):
        sector_codes.append(code)
    terms = _pick_competences(rng, sector_codes, rng.randint(2, 5))
    tools = rng.sample(SECTORS_BY_CODE[primary_sector].tools, 2)

    year_founded = _founded(rng, kind, today)
    employees_band, turnover_band = _bands(rng, kind, size)
    status, joined_on, left_on = _membership(rng, kind=kind, year_founded=year_founded, today=today)
    domain = f"{_web_slug(short_name or name)}.example"

    tags_pl = [t[0] for t in terms]
    tags_en = [t[1] for t in terms]
    if kind == Kind.ENTERPRISE:
        size_pl, size_en = SIZE_NOUNS[size]
        sector = SECTORS_BY_CODE[primary_sector]
        offer_pl, offer_en = rng.choice(OFFERS)
        seek_pl, seek_en = rng.choice(SEEKS)
        description_pl = (
            f"{short_name} to {size_pl} z siedzibą {town.locative}, działające od {year_founded} r. "
            f"w branży {sector.genitive_pl}. Specjalizujemy się w obszarach: "
            f"{_join_terms(tags_pl, 'oraz')}. {offer_pl} {seek_pl}"
        ).strip()
        description_en = (
            f"{short_name} is {size_en} based in {town.locative_en}, active in {sector.name_en} "
            f"since {year_founded}. We specialise in {_join_terms(tags_en, 'and')}. "
            f"{offer_en} {seek_en}"
        ).strip()
    else:
        intro_pl, intro_en = INSTITUTION_INTROS[kind]
        values = {
            "name": name,
            "loc": town.locative,
            "town_en": town.locative_en,
            "terms": _join_terms(tags_pl, "oraz"),
            "terms_en": _join_terms(tags_en, "and"),
        }
        description_pl = intro_pl.format(**values)
        description_en = intro_en.format(**values)
    if joined_on:
        description_pl += " " + COOPERATION[0].format(joined=joined_on.year)
        description_en += " " + COOPERATION[1].format(joined=joined_on.year)

    # Universities and local governments are not in the court register (KRS); the rest are.
    has_krs = kind not in (Kind.UNIVERSITY, Kind.PUBLIC_ADMINISTRATION)
    people_count = rng.choice((1, 1, 2, 2, 3) if kind == Kind.ENTERPRISE else (2, 3))
    return OrganisationPlan(
        slot=slot,
        index=index,
        name=name,
        short_name=short_name[:60],
        kind=kind,
        enterprise_size=size,
        support_type=support_type,
        nip=_nip(rng),
        regon=_regon(rng),
        krs=_krs(rng) if has_krs else "",
        city=town.name,
        postcode=rng.choice(town.postcodes),
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        nuts_code=town.nuts_code,
        sector_codes=sector_codes,
        competence_names=tags_pl,
        competences_text=f"Narzędzia i standardy / tools and standards: {', '.join(tools)}.",
        description_pl=description_pl,
        description_en=description_en,
        website=f"https://www.{domain}",
        employees_band=employees_band,
        turnover_band=turnover_band,
        year_founded=year_founded,
        membership_status=status,
        joined_on=joined_on,
        left_on=left_on,
        people=_people(
            rng,
            kind=kind,
            domain=domain,
            phone_area=town.phone_area,
            today=today,
            count=people_count,
        ),
    )


_IDENTIFIER_DRAWS = {"nip": _nip, "regon": _regon, "krs": _krs}


def _redraws(plan: OrganisationPlan, column: str, *, seed: int):
    """The plan's own value, then an endless deterministic sequence of further draws."""
    yield getattr(plan, column)
    kind, variant = plan.slot
    for attempt in itertools.count(1):
        rng = random.Random(f"klaster-demo/{seed}/{kind}/{variant}/{plan.index}/{column}/{attempt}")
        yield _IDENTIFIER_DRAWS[column](rng)


def _with_unique_identifiers(
    plan: OrganisationPlan, taken: dict[str, set[str]], *, seed: int, skip_nips: set[str]
) -> OrganisationPlan | None:
    """The plan with each NIP, REGON and KRS drawn again until no organisation has it (the
    registry holds each at most once), or None when its NIP shows it was generated before."""
    values = {}
    for column in _IDENTIFIER_DRAWS:
        if not getattr(plan, column):
            continue  # no KRS for universities and local governments
        for candidate in _redraws(plan, column, seed=seed):
            if column == "nip" and candidate in skip_nips:
                return None
            if candidate not in taken[column]:
                values[column] = candidate
                break
    return dataclasses.replace(plan, **values)


def plan_organisations(
    *,
    seed: int,
    missing: dict[Slot, int],
    today: datetime.date,
    skip_nips: set[str] | None = None,
    taken_names: set[str] | None = None,
    taken_identifiers: dict[str, set[str]] | None = None,
) -> list[OrganisationPlan]:
    """Plans for the organisations that fill `missing`, slot by slot, from index 0 upwards.

    Indices whose NIP is in `skip_nips` were generated before and are still there: they are
    passed over, so a second run re-creates only what was deleted and never duplicates.
    No two plans, and no plan and an organisation of `taken_identifiers` (column -> values
    already in the registry), share a NIP, REGON or KRS: clashing numbers are drawn again.
    """
    skip_nips = skip_nips or set()
    taken_names = set() if taken_names is None else taken_names
    taken = {column: set((taken_identifiers or {}).get(column, ())) for column in _IDENTIFIER_DRAWS}
    plans: list[OrganisationPlan] = []
    planned_nips: set[str] = set()
    for slot in sorted(missing):
        wanted, index = missing[slot], 0
        while wanted > 0:
            plan = plan_organisation(
                seed=seed, slot=slot, index=index, today=today, taken_names=taken_names
            )
            index += 1
            if plan.nip in skip_nips or plan.nip in planned_nips:
                continue
            plan = _with_unique_identifiers(plan, taken, seed=seed, skip_nips=skip_nips)
            if plan is None:
                continue
            planned_nips.add(plan.nip)
            for column in _IDENTIFIER_DRAWS:
                taken[column].add(getattr(plan, column))
            plans.append(plan)
            wanted -= 1
    return plans


# --- Fees -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeePlan:
    """A membership fee of one year: how much, when due, and when it was paid, if it was."""

    year: int
    amount: Decimal
    due_on: datetime.date
    paid_on: datetime.date | None
    reference: str


def plan_fee(
    *,
    seed: int,
    nip: str,
    year: int,
    today: datetime.date,
    status: str,
    joined_on: datetime.date | None,
    left_on: datetime.date | None,
    annual_fee: Decimal,
) -> FeePlan | None:
    """The fee of `year` of one membership (the organisation's `nip` seeds it), paid or not, or
    None when the membership owed nothing that year.

    Most members pay by the end of March; some agreed on half-year or year-end terms, so the fee
    dashboard shows money still due (not yet late) at any time of the year.

    Examples
    --------
    >>> fee = plan_fee(seed=1, nip="5260001246", year=2025, today=datetime.date(2026, 5, 15),
    ...                status="active", joined_on=datetime.date(2020, 3, 1), left_on=None,
    ...                annual_fee=Decimal("1200.00"))
    >>> fee.amount, fee.due_on.year, fee.paid_on is None or fee.paid_on <= datetime.date(2026, 5, 15)
    (Decimal('1200.00'), 2025, True)
    >>> plan_fee(seed=1, nip="5260001246", year=2019, today=datetime.date(2026, 5, 15),
    ...          status="active", joined_on=datetime.date(2020, 3, 1), left_on=None,
    ...          annual_fee=Decimal("1200.00")) is None
    True
    """
    if not joined_on or joined_on.year > year or not annual_fee:
        return None
    if left_on and left_on.year < year:
        return None
    rng = random.Random(f"klaster-demo-fee/{seed}/{nip}/{year}")
    due_on = datetime.date(year, *rng.choices(((3, 31), (9, 30), (12, 31)), weights=(6, 2, 2))[0])
    if status == Membership.Status.SUSPENDED:
        pay_probability = 0.15  # suspended for not paying, mostly
    elif year < today.year:
        pay_probability = 0.92
    else:
        pay_probability = 0.72 if today > due_on else 0.35
    paid_on, reference = None, ""
    if rng.random() < pay_probability:
        invoiced_on = due_on - datetime.timedelta(days=80)
        paid_on = min(invoiced_on + datetime.timedelta(days=rng.randint(0, 110)), today)
        reference = f"KL/{year}/{nip[-6:]}"
    return FeePlan(year, annual_fee, due_on, paid_on, reference)


# --- Cooperation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CooperationPlan:
    """One entry of the cooperation log between two members (ids of organisations)."""

    kind: str
    date: datetime.date
    organisation_a: int
    organisation_b: int
    public: bool


@dataclass(frozen=True)
class ClusterProjectPlan:
    """A project of the cluster; `partners` is empty when the project exists already."""

    name: str
    thematic_area: str
    status: str
    budget_eur: Decimal
    partners: tuple[int, ...]


def plan_cooperation(
    *,
    seed: int,
    today: datetime.date,
    members: list[tuple[int, str, bool]],
    kinds: list[str],
    introduction: str,
    projects: tuple[tuple[str, str, str], ...],
    existing_projects: set[str],
) -> tuple[list[CooperationPlan], list[ClusterProjectPlan]]:
    """A cooperation log among `members` (id, kind, is SME; ordered by id) over the three years
    before `today`, and the cluster `projects` (name, thematic area, status) with partners.

    Every third entry goes from an SME to science (a university or institute): half of those
    are the coordinator's introductions (`introduction`), the rest of a kind of `kinds`, as are
    all entries between any two members. Half the entries are public. No members to pair: none.

    Examples
    --------
    >>> members = [(1, "university", False), (2, "enterprise", True), (3, "enterprise", False)]
    >>> entries, projects = plan_cooperation(
    ...     seed=1, today=datetime.date(2026, 5, 15), members=members, kinds=["meeting"],
    ...     introduction="introduction", projects=(("Hub", "ict", "idea"),), existing_projects=set(),
    ... )
    >>> len(entries), {(e.organisation_a, e.organisation_b) for e in entries[::3]}
    (6, {(2, 1)})
    >>> len(projects[0].partners), set(projects[0].partners) <= {1, 2, 3}
    (3, True)
    """
    rng = random.Random(f"klaster-demo-cooperation/{seed}")
    science = [pk for pk, kind, _ in members if kind in (Kind.UNIVERSITY, Kind.RESEARCH_INSTITUTE)]
    smes = [pk for pk, _, sme in members if sme]
    everyone = [pk for pk, _, _ in members]
    if len(everyone) < 2:
        return [], []
    entries = []
    for index in range(min(900, 2 * len(everyone))):
        if science and smes and index % 3 == 0:
            a, b = rng.choice(smes), rng.choice(science)
            kind = introduction if index % 2 else rng.choice(kinds)
        else:
            a, b = rng.sample(everyone, 2)
            kind = rng.choice(kinds)
        date = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        entries.append(CooperationPlan(kind, date, a, b, public=rng.random() < 0.5))
    planned = []
    for name, area, status in projects:
        budget = Decimal(rng.randrange(200, 5000) * 1000)
        partners = (
            () if name in existing_projects else tuple(rng.sample(everyone, min(4, len(everyone))))
        )
        planned.append(ClusterProjectPlan(name, area, status, budget, partners))
    return entries, planned


# --- Brokerage day ----------------------------------------------------------------------------

BROKERAGE_PARTICIPANTS = 60
BROKERAGE_SLOTS = 12
BROKERAGE_REQUEST_EXPIRY_HOURS = 72


@dataclass(frozen=True)
class Candidate:
    """An organisation that could take part: its id, what it offers, its sector codes."""

    id: int
    offers: str
    sector_codes: tuple[str, ...]


@dataclass(frozen=True)
class ParticipantPlan:
    organisation_id: int
    offers: str
    sector_codes: tuple[str, ...]
    looking_for: str
    unavailable_slots: list[int]


@dataclass(frozen=True)
class MeetingRequestPlan:
    """A request from one participant to another (positions in the participants' list)."""

    sender: int
    recipient: int
    status: str
    sent: datetime.datetime
    responded: datetime.datetime | None


@dataclass(frozen=True)
class BrokerageDayPlan:
    day: datetime.date
    participants: list[ParticipantPlan]
    requests: list[MeetingRequestPlan]


def plan_brokerage_day(
    *,
    seed: int,
    today: datetime.date,
    now: datetime.datetime,
    editors: list[Candidate],
    pool: list[Candidate],
) -> BrokerageDayPlan:
    """The demo's brokerage day: three weeks after `today` on a working day, the organisations
    of the member `editors` and a draw from `pool` (ordered by id) up to
    `BROKERAGE_PARTICIPANTS`, what each looks for (from its sectors), a quarter of them away for
    three slots, and meeting requests among the suggested matches, sent in the hours before
    `now`, in every state: accepted, declined, pending and expired (sent long ago, unanswered).

    Examples
    --------
    >>> energy = [Candidate(i, "magazyny energii", ("energy",)) for i in range(1, 5)]
    >>> plan = plan_brokerage_day(
    ...     seed=1, today=datetime.date(2026, 12, 4), now=datetime.datetime(2026, 12, 4, 12),
    ...     editors=energy[:1], pool=energy[1:],
    ... )
    >>> plan.day, [p.organisation_id for p in plan.participants][0], len(plan.participants)
    (datetime.date(2026, 12, 28), 1, 4)
    >>> all(r.sender != r.recipient for r in plan.requests) and len(plan.requests) > 0
    True
    """
    Status = MeetingRequest.Status
    rng = random.Random(seed)
    # Three weeks ahead, moved to a working day: never a weekend, Christmas or New Year.
    day = working_day_from(today + datetime.timedelta(days=21))
    chosen = editors + rng.sample(pool, min(BROKERAGE_PARTICIPANTS - len(editors), len(pool)))
    participants = []
    for candidate in chosen:
        options = [t for code in candidate.sector_codes for t in LOOKING_FOR.get(code, [])]
        options = options or FALLBACK_LOOKING_FOR
        looking_for = ", ".join(rng.sample(options, min(2, len(options))))
        away = rng.random() < 0.25
        participants.append(
            ParticipantPlan(
                organisation_id=candidate.id,
                offers=candidate.offers,
                sector_codes=candidate.sector_codes,
                looking_for=looking_for,
                unavailable_slots=sorted(rng.sample(range(BROKERAGE_SLOTS), 3)) if away else [],
            )
        )
    profiles = [
        Profile(position, p.offers, p.looking_for, frozenset(p.sector_codes))
        for position, p in enumerate(participants)
    ]
    asked: set[frozenset] = set()
    requests = []
    for profile in profiles:
        matches = suggest_matches(profile, profiles, limit=6)
        for match in rng.sample(matches, min(len(matches), rng.randint(1, 3))):
            pair = frozenset((profile.id, match.id))
            if pair in asked:
                continue
            asked.add(pair)
            roll = rng.random()
            sent = now - datetime.timedelta(hours=rng.randint(1, 60))
            status = Status.PENDING
            if roll < 0.6:
                status = Status.ACCEPTED
            elif roll < 0.7:
                status = Status.DECLINED
            elif roll < 0.8:  # sent long ago and never answered: expired
                sent = now - datetime.timedelta(hours=100)
            responded = sent + datetime.timedelta(hours=2) if status != Status.PENDING else None
            requests.append(MeetingRequestPlan(profile.id, match.id, status, sent, responded))
    return BrokerageDayPlan(day, participants, requests)
