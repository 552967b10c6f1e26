"""The demo marketplace for `klaster demo`: offers and requests of all five kinds written from
the demo members' own competences and sectors, in Polish and English, in every status of the
workflow, and expressions of interest in every status with short threads.

Marked as demo (`Profile.is_demo`: a badge on every page; visitors' organisations carry
"(demo)" and `.example` addresses). Pure choices come from `plan_profiles` and
`plan_interests` (a seed and the day, no database); `build_demo_marketplace` writes them once:
when demo profiles exist, nothing is added. Private links of visitors' threads come from
`secrets`, never from the public seed.
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from klaster.accounts.models import User
from klaster.core.dates import months_later
from klaster.demo.loading import DEMO_LOGINS, DEMO_SOURCES
from klaster.demo.planning import DEFAULT_SEED
from klaster.demo.vocabulary import SECTORS, SECTORS_BY_CODE
from klaster.marketplace.models import (
    Interest,
    InterestMessage,
    Profile,
    ProfileReview,
)
from klaster.marketplace.services import (
    PUBLISHED_MONTHS,
    end_of_day,
    search_document_for,
)
from klaster.members.models import Organisation

Kind = Profile.Kind
Status = Profile.Status
OrgKind = Organisation.Kind

DEMO_PROFILES = 72
# Of every 24 profiles, in this order of statuses: mostly published, some in each other state.
STATUS_CYCLE = (
    [Status.PUBLISHED] * 17
    + [Status.DRAFT] * 2
    + [Status.SUBMITTED, Status.ON_HOLD, Status.EXPIRED, Status.ARCHIVED, Status.SUBMITTED]
)
KINDS = tuple(Kind)
# Which organisations publish which kind of profile.
KINDS_FOR = {
    OrgKind.ENTERPRISE: KINDS,
    OrgKind.RESEARCH_INSTITUTE: (Kind.TECHNOLOGY_OFFER, Kind.RD_PARTNER_REQUEST),
    OrgKind.UNIVERSITY: (Kind.TECHNOLOGY_OFFER, Kind.RD_PARTNER_REQUEST),
}
OTHER_KINDS = (Kind.BUSINESS_REQUEST, Kind.RD_PARTNER_REQUEST, Kind.TECHNOLOGY_REQUEST)

# --- Words --------------------------------------------------------------------------------------

# (Polish, English) pairs; {term}/{term_en} a competence, {other}/{other_en} a second one,
# {tool} a tool of the sector, {market}/{market_en} a market of the sector.
MARKETS = {
    "ict": (("administracja publiczna", "public administration"),
            ("handel detaliczny", "retail"), ("ochrona zdrowia", "healthcare"),
            ("przemysł", "manufacturing")),
    "energy": (("operatorzy sieci dystrybucyjnych", "distribution system operators"),
               ("przemysł energochłonny", "energy-intensive industry"),
               ("gminy i spółdzielnie energetyczne", "municipalities and energy cooperatives")),
    "space": (("rolnictwo precyzyjne", "precision agriculture"),
              ("zarządzanie kryzysowe", "emergency management"),
              ("planowanie przestrzenne", "spatial planning")),
    "ecology": (("gospodarka odpadami", "waste management"),
                ("wodociągi i kanalizacja", "water utilities"), ("budownictwo", "construction")),
    "renewable-energy": (("spółdzielnie energetyczne", "energy cooperatives"),
                         ("rolnictwo", "agriculture"), ("budownictwo mieszkaniowe", "housing")),
}  # fmt: skip
NACE = {
    "ict": ("J62.01", "J62.02", "J63.11"),
    "energy": ("D35.13", "M71.12", "C27.12"),
    "space": ("M72.19", "J61.30", "C30.30"),
    "ecology": ("E38.32", "M71.20", "E37.00"),
    "renewable-energy": ("D35.11", "C27.11", "F43.22"),
}
PARTNERSHIPS = {
    Kind.TECHNOLOGY_OFFER: ("licence", "technical_cooperation", "commercial_agreement"),
    Kind.TECHNOLOGY_REQUEST: ("licence", "technical_cooperation", "research_cooperation"),
    Kind.BUSINESS_OFFER: ("commercial_agreement", "services", "distribution", "subcontracting"),
    Kind.BUSINESS_REQUEST: ("distribution", "manufacturing", "subcontracting", "investment"),
    Kind.RD_PARTNER_REQUEST: ("research_cooperation",),
}
TRL_RANGE = {
    Kind.TECHNOLOGY_OFFER: (5, 9),
    Kind.TECHNOLOGY_REQUEST: (4, 8),
    Kind.BUSINESS_OFFER: (8, 9),
    Kind.BUSINESS_REQUEST: None,
    Kind.RD_PARTNER_REQUEST: (2, 5),
}
PARTNER_KINDS = {
    Kind.TECHNOLOGY_OFFER: ("enterprise",),
    Kind.TECHNOLOGY_REQUEST: ("enterprise", "research_institute", "university"),
    Kind.BUSINESS_OFFER: ("enterprise", "public_administration"),
    Kind.BUSINESS_REQUEST: ("enterprise",),
    Kind.RD_PARTNER_REQUEST: ("research_institute", "university", "enterprise"),
}
IPR = {
    Kind.TECHNOLOGY_OFFER: ("secret_know_how", "patent_applied", "copyright", "granted_patent"),
    Kind.TECHNOLOGY_REQUEST: ("none",),
    Kind.BUSINESS_OFFER: ("trademark", "copyright", "none"),
    Kind.BUSINESS_REQUEST: ("none",),
    Kind.RD_PARTNER_REQUEST: ("none", "other"),
}

TEXTS = {
    Kind.TECHNOLOGY_OFFER: {
        "title": (
            (
                "{Term} – sprawdzone rozwiązanie gotowe do wdrożenia",
                "{Term_en}: a proven solution ready for deployment",
            ),
            (
                "{Term} i {other}: system zbudowany na {tool}",
                "{Term_en} and {other_en}: a system built on {tool}",
            ),
        ),
        "summary": (
            (
                "Oferujemy technologię z obszaru „{term}”, działającą u klientów; szukamy "
                "licencjobiorców i partnerów wdrożeniowych w obszarze: {market}.",
                "We offer a technology in {term_en}, in use at customers' sites, and seek "
                "licensees and implementation partners in {market_en}.",
            ),
        ),
        "description": (
            (
                "Rozwiązanie łączy {term} z {other}. Zbudowaliśmy je na {tool} i utrzymujemy "
                "własny zespół, który przeprowadzi wdrożenie i szkolenia.",
                "The solution combines {term_en} with {other_en}. We built it on {tool} and keep "
                "our own team to run the deployment and the training.",
            ),
        ),
        "advantages": (
            (
                "Krótszy czas wdrożenia niż w rozwiązaniach z półki, otwarte interfejsy, "
                "dokumentacja po polsku i angielsku.",
                "Shorter deployment than off-the-shelf products, open interfaces, documentation "
                "in Polish and English.",
            ),
        ),
        "partner_sought": (
            (
                "Firma z obszaru: {market}, gotowa pilotażowo wdrożyć rozwiązanie (umowa "
                "licencyjna lub współpraca techniczna).",
                "A company in {market_en} ready to pilot the solution (licence or technical "
                "cooperation).",
            ),
        ),
    },
    Kind.TECHNOLOGY_REQUEST: {
        "title": (
            (
                "Poszukujemy technologii: {term} do wdrożenia u nas",
                "Technology sought: {term_en} for our own operations",
            ),
            (
                "Szukamy dostawcy technologii {other} zintegrowanej z {tool}",
                "Looking for a {other_en} technology that integrates with {tool}",
            ),
        ),
        "summary": (
            (
                "Rozwijamy {term} i potrzebujemy sprawdzonej technologii z obszaru „{other}”, "
                "którą wdrożymy w ciągu roku.",
                "We work on {term_en} and need a proven {other_en} technology to deploy within a "
                "year.",
            ),
        ),
        "description": (
            (
                "Technologia ma działać z naszym środowiskiem ({tool}) i spełniać wymagania "
                "klientów z obszaru: {market}. Rozważamy licencję lub wspólny rozwój.",
                "The technology must work with our environment ({tool}) and meet the needs of "
                "customers in {market_en}. We consider a licence or joint development.",
            ),
        ),
        "advantages": (
            (
                "Zapewniamy środowisko testowe, dane do walidacji i pierwszego klienta.",
                "We provide a test environment, validation data and a first customer.",
            ),
        ),
        "partner_sought": (
            (
                "Dostawca technologii (firma lub jednostka naukowa) z doświadczeniem w obszarze: "
                "{other}.",
                "A technology provider (a company or a research organisation) experienced in "
                "{other_en}.",
            ),
        ),
    },
    Kind.BUSINESS_OFFER: {
        "title": (
            (
                "Usługi z obszaru „{term}” dla firm i instytucji",
                "{Term_en} services for companies and institutions",
            ),
            ("Podwykonawstwo: {term} i {other}", "Subcontracting: {term_en} and {other_en}"),
        ),
        "summary": (
            (
                "Świadczymy usługi z obszaru „{term}” dla klientów w obszarze: {market}; "
                "przyjmujemy zlecenia podwykonawcze i umowy ramowe.",
                "We provide {term_en} services to customers in {market_en} and take subcontracts "
                "and framework agreements.",
            ),
        ),
        "description": (
            (
                "Zespół certyfikowanych specjalistów ({tool}) prowadzi projekty od analizy po "
                "utrzymanie; pracujemy po polsku i angielsku.",
                "A team of certified specialists ({tool}) runs projects from analysis to "
                "maintenance, in Polish and English.",
            ),
        ),
        "advantages": (
            (
                "Stałe ceny, krótkie terminy i referencje z obszaru: {market}.",
                "Fixed prices, short lead times and references in {market_en}.",
            ),
        ),
        "partner_sought": (
            (
                "Firmy szukające podwykonawcy lub dystrybutora usług z obszaru „{term}”.",
                "Companies seeking a subcontractor or a distributor of {term_en} services.",
            ),
        ),
    },
    Kind.BUSINESS_REQUEST: {
        "title": (
            (
                "Szukamy dystrybutorów rozwiązań: {term}",
                "Distributors sought for {term_en} solutions",
            ),
            (
                "Poszukujemy producenta kontraktowego: {other}",
                "Contract manufacturer sought: {other_en}",
            ),
        ),
        "summary": (
            (
                "Wchodzimy na nowe rynki z produktami z obszaru „{term}” i szukamy partnerów "
                "handlowych w obszarze: {market}.",
                "We are entering new markets with {term_en} products and seek commercial partners "
                "in {market_en}.",
            ),
        ),
        "description": (
            (
                "Nasze produkty ({other}) działają u klientów w Polsce. Szukamy partnera, który "
                "zna lokalny rynek i zapewni serwis.",
                "Our products ({other_en}) run at customers in Poland. We seek a partner who knows "
                "the local market and can provide service.",
            ),
        ),
        "advantages": (
            (
                "Marże dla dystrybutorów, szkolenia i wsparcie techniczne w języku angielskim.",
                "Distributor margins, training and technical support in English.",
            ),
        ),
        "partner_sought": (
            (
                "Dystrybutor lub producent z doświadczeniem w obszarze: {market}.",
                "A distributor or manufacturer experienced in {market_en}.",
            ),
        ),
    },
    Kind.RD_PARTNER_REQUEST: {
        "title": (
            (
                "Partner do projektu B+R: {term} i {other}",
                "R&D partner sought: {term_en} and {other_en}",
            ),
            ("Konsorcjum Horyzont Europa – {term}", "Horizon Europe consortium on {term_en}"),
        ),
        "summary": (
            (
                "Przygotowujemy projekt badawczy z obszaru „{term}” i szukamy partnerów "
                "naukowych oraz przemysłowych do konsorcjum.",
                "We are preparing a research project on {term_en} and seek research and industrial "
                "partners for the consortium.",
            ),
        ),
        "description": (
            (
                "Projekt obejmie badania, demonstrator i walidację u użytkowników z obszaru: "
                "{market}. Wnosimy kompetencje: {term}, {other}.",
                "The project covers research, a demonstrator and validation with users in "
                "{market_en}. We bring {term_en} and {other_en}.",
            ),
        ),
        "advantages": (
            (
                "Doświadczenie w projektach B+R, infrastruktura badawcza i dostęp do danych.",
                "Experience in R&D projects, research infrastructure and access to data.",
            ),
        ),
        "partner_sought": (
            (
                "Jednostka naukowa lub firma z kompetencjami w obszarze „{other}”, gotowa "
                "prowadzić pakiet roboczy.",
                "A research organisation or company with {other_en} skills, ready to lead a work "
                "package.",
            ),
        ),
    },
}
REVIEW_HOLD_COMMENT = (
    "Proszę doprecyzować, czego oczekujecie od partnera, i uzupełnić opis w języku angielskim."
)
THREADS = (
    ("Dzień dobry, jesteśmy zainteresowani współpracą. Czy możemy umówić rozmowę?",
     "Dziękujemy za kontakt. Proponujemy spotkanie online w przyszłym tygodniu."),
    ("Chętnie poznamy szczegóły techniczne i warunki licencji.",
     "Przesyłamy opis techniczny; warunki omówimy na spotkaniu."),
    ("Mamy doświadczenie w podobnych wdrożeniach. Czy oferta jest aktualna?",
     "Tak, jest aktualna. Prosimy o krótką prezentację firmy."),
)  # fmt: skip
INTEREST_STATUSES = (
    Interest.Status.NEW,
    Interest.Status.CONTACTED,
    Interest.Status.MEETING_HELD,
    Interest.Status.NEGOTIATION,
    Interest.Status.AGREEMENT_SIGNED,
    Interest.Status.CLOSED,
    Interest.Status.CONTACTED,
    Interest.Status.NEW,
)
VISITORS = (
    ("Lena Berg", "lena.berg@nordtech.example", "NordTech AB (demo)"),
    ("Tomás Novák", "tomas.novak@inovace.example", "Inovace Brno s.r.o. (demo)"),
)

# --- Plans --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    """What the plan needs of a demo organisation: its id, kind, sectors and competences
    (Polish names, as the registry keeps them)."""

    id: int
    kind: str
    sector_codes: tuple[str, ...]
    competences: tuple[str, ...]


@dataclass
class ProfilePlan:
    organisation_id: int
    kind: str
    status: str
    texts: dict[str, str]
    trl: int | None
    ipr_status: str
    technology_keywords: list[str]
    market_keywords: list[str]
    nace_codes: list[str]
    partner_kinds: list[str]
    partnership_types: list[str]
    languages: list[str]
    show_organisation: bool
    days_ago: int  # created this many days before `today`
    deadline: datetime.date | None = None


# Each competence of the sectors' vocabulary in English; other names stay as they are.
ENGLISH = {term: english for sector in SECTORS for term, english, _tech in sector.terms}


def _fill(template: tuple[str, str], words: dict[str, str]) -> tuple[str, str]:
    polish, english = template
    return polish.format(**words), english.format(**words)


def _words(rng: random.Random, owner: Owner) -> dict[str, str]:
    codes = [code for code in owner.sector_codes if code in SECTORS_BY_CODE] or ["ict"]
    sector = SECTORS_BY_CODE[codes[0]]
    terms = list(owner.competences) or [term for term, _en, _tech in sector.terms]
    term = rng.choice(terms)
    others = [t for t in terms if t != term] or [t for t, _en, _tech in sector.terms if t != term]
    other = rng.choice(others)
    market, market_en = rng.choice(MARKETS[sector.code])
    term_en, other_en = ENGLISH.get(term, term), ENGLISH.get(other, other)
    return {
        "term": term,
        "Term": term[:1].upper() + term[1:],
        "term_en": term_en,
        "Term_en": term_en[:1].upper() + term_en[1:],
        "other": other,
        "other_en": other_en,
        "tool": rng.choice(sector.tools),
        "market": market,
        "market_en": market_en,
        "sector": sector.code,
    }


def _kind_for(rng: random.Random, wanted: str, owner: Owner) -> str:
    allowed = KINDS_FOR.get(owner.kind, OTHER_KINDS)
    return wanted if wanted in allowed else rng.choice(allowed)


def plan_profiles(
    *, seed: int, owners: list[Owner], today: datetime.date, count: int = DEMO_PROFILES
) -> list[ProfilePlan]:
    """`count` profiles of the `owners` (the demo logins' organisations first: two each),
    every kind in turn, in the statuses of `STATUS_CYCLE`, texts composed from the owner's
    competences and sectors in Polish and English.

    Examples
    --------
    >>> owner = Owner(1, "enterprise", ("energy",), ("magazynowanie energii", "wodór"))
    >>> plans = plan_profiles(seed=1, owners=[owner], today=datetime.date(2026, 12, 4), count=5)
    >>> sorted({p.kind for p in plans}) == sorted(Profile.Kind.values)
    True
    >>> all(p.texts["title_pl"] and p.texts["title_en"] for p in plans)
    True
    """
    if not owners:
        return []
    rng = random.Random(seed)
    plans = []
    titles: set[tuple[int, str, str]] = set()
    for index in range(count):
        owner = owners[index // 2] if index < 2 * min(2, len(owners)) else rng.choice(owners)
        kind = _kind_for(rng, KINDS[index % len(KINDS)], owner)
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        # An organisation's profiles of one kind differ in title (a few draws, then as it is).
        for _attempt in range(8):
            words = _words(rng, owner)
            texts = {}
            for name, templates in TEXTS[kind].items():
                texts[f"{name}_pl"], texts[f"{name}_en"] = _fill(rng.choice(templates), words)
            if (owner.id, kind, texts["title_pl"]) not in titles:
                break
        titles.add((owner.id, kind, texts["title_pl"]))
        low_high = TRL_RANGE[kind]
        partnerships = PARTNERSHIPS[kind]
        plans.append(
            ProfilePlan(
                organisation_id=owner.id,
                kind=kind,
                status=status,
                texts=texts,
                trl=rng.randint(*low_high) if low_high else None,
                ipr_status=rng.choice(IPR[kind]),
                technology_keywords=list(dict.fromkeys([words["term"], words["other"]])),
                market_keywords=[words["market"]],
                nace_codes=[rng.choice(NACE[words["sector"]])],
                partner_kinds=list(PARTNER_KINDS[kind]),
                partnership_types=rng.sample(partnerships, min(2, len(partnerships))),
                languages=["pl", "en"] if rng.random() < 0.8 else ["pl", "en", "de"],
                show_organisation=rng.random() < 0.5,
                days_ago=rng.randint(3, 150),
                deadline=(
                    today + datetime.timedelta(days=rng.randint(60, 300))
                    if kind == Kind.RD_PARTNER_REQUEST
                    else None
                ),
            )
        )
    return plans


@dataclass(frozen=True)
class InterestPlan:
    """An expression of interest: in the profile at `profile` (a position in the plans), by
    the organisation `organisation_id` (a member) or by a visitor of `VISITORS`."""

    profile: int
    organisation_id: int | None
    visitor: int | None
    status: str
    messages: tuple[tuple[bool, str], ...]  # (from the owner side, text)
    hours_ago: int


def plan_interests(
    *, seed: int, plans: list[ProfilePlan], members: list[int]
) -> list[InterestPlan]:
    """Expressions of interest in the published profiles, one per status of
    `INTEREST_STATUSES`, the first ones from the demo logins' organisations (`members`, in
    order) in each other's profiles, two from visitors; threads of one to four messages.

    Examples
    --------
    >>> owner = Owner(1, "enterprise", ("ict",), ("IoT",))
    >>> plans = plan_profiles(seed=1, owners=[owner], today=datetime.date(2026, 12, 4), count=20)
    >>> interests = plan_interests(seed=1, plans=plans, members=[1, 2])
    >>> {i.status for i in interests} == set(Interest.Status.values)
    True
    """
    rng = random.Random(seed)
    published = [i for i, plan in enumerate(plans) if plan.status == Status.PUBLISHED]
    if not published:
        return []
    interests = []
    for number, status in enumerate(INTEREST_STATUSES):
        visitor = number - len(INTEREST_STATUSES) + len(VISITORS)
        position = published[number % len(published)]
        owner = plans[position].organisation_id
        organisation = None
        if visitor < 0:
            candidates = [m for m in members if m != owner] or [None]
            organisation = candidates[number % len(candidates)]
            if organisation is None:
                visitor = number % len(VISITORS)
        opening, answer = rng.choice(THREADS)
        messages = [(False, opening)]
        if status != Interest.Status.NEW:
            messages.append((True, answer))
        if status in (Interest.Status.NEGOTIATION, Interest.Status.AGREEMENT_SIGNED):
            messages += [
                (False, "Przesyłamy projekt umowy do komentarza."),
                (True, "Dziękujemy, uwagi odeślemy do piątku."),
            ]
        interests.append(
            InterestPlan(
                profile=position,
                organisation_id=organisation,
                visitor=visitor if visitor >= 0 else None,
                status=status,
                messages=tuple(messages),
                hours_ago=rng.randint(6, 400),
            )
        )
    return interests


# --- Loading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMarketplaceReport:
    created: bool
    profiles: int
    profiles_by_status: dict[str, int]
    interests: int


def _report(created: bool) -> DemoMarketplaceReport:
    demo = Profile.objects.filter(is_demo=True)
    by_status = {}
    for status in demo.values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    return DemoMarketplaceReport(
        created=created,
        profiles=demo.count(),
        profiles_by_status=dict(sorted(by_status.items())),
        interests=Interest.objects.filter(profile__is_demo=True).count(),
    )


def _owners() -> tuple[list[Owner], list[int], dict[int, User]]:
    """The demo's published organisations with competences (the demo logins' first), the
    logins' organisation ids, and each of those organisations' editor."""
    editors = {
        user.organisation_id: user
        for user in User.objects.filter(
            username__in=[login[1] for login in DEMO_LOGINS],
            role=User.Role.MEMBER_EDITOR,
            organisation__source__in=DEMO_SOURCES,
        ).order_by("username")
    }
    organisations = (
        Organisation.objects.filter(source__in=DEMO_SOURCES, is_published=True)
        .prefetch_related("sectors", "competences")
        .order_by("pk")
    )
    owners = [
        Owner(
            id=o.pk,
            kind=o.kind,
            sector_codes=tuple(s.code for s in o.sectors.all()),
            competences=tuple(c.name for c in o.competences.all()),
        )
        for o in organisations
    ]
    owners.sort(key=lambda owner: owner.id not in editors)  # stable: the logins' first
    return owners, list(editors), editors


def build_demo_marketplace(
    *, seed: int = DEFAULT_SEED, today: datetime.date | None = None
) -> DemoMarketplaceReport:
    """Write the demo marketplace once (idempotent): nothing is added when demo profiles
    exist, and nothing is written without demo organisations."""
    if Profile.objects.filter(is_demo=True).exists():
        return _report(created=False)
    owners, members, editors = _owners()
    if not owners:
        return _report(created=False)
    today = today or timezone.localdate()
    with transaction.atomic():
        plans = plan_profiles(seed=seed, owners=owners, today=today)
        profiles = _write_profiles(plans, editors=editors, today=today)
        _write_interests(plan_interests(seed=seed, plans=plans, members=members), profiles, editors)
    return _report(created=True)


def _moment(today: datetime.date, days_ago: float) -> datetime.datetime:
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 0)))
    return noon - datetime.timedelta(days=days_ago)


def _references(plans: list[ProfilePlan], year: int) -> list[str | None]:
    """Each submitted profile's reference, numbered after the year's references taken."""
    taken: dict[str, int] = {}
    for reference in Profile.objects.filter(reference__contains=f"-{year}-").values_list(
        "reference", flat=True
    ):
        prefix, _year, number = reference.split("-")
        if number.isdigit():
            taken[prefix] = max(taken.get(prefix, 0), int(number))
    references = []
    for plan in plans:
        if plan.status == Status.DRAFT:
            references.append(None)
            continue
        prefix = Profile.REFERENCE_PREFIX[plan.kind]
        taken[prefix] = taken.get(prefix, 0) + 1
        references.append(f"{prefix}-{year}-{taken[prefix]:04d}")
    return references


def _write_profiles(
    plans: list[ProfilePlan], *, editors: dict[int, User], today: datetime.date
) -> list[Profile]:
    staff = User.objects.filter(role=User.Role.COORDINATOR, is_active=True).order_by("pk").first()
    profiles = []
    for plan, reference in zip(plans, _references(plans, today.year), strict=True):
        created = _moment(today, plan.days_ago)
        submitted = created + datetime.timedelta(days=1) if reference else None
        reviewed = created + datetime.timedelta(days=2)
        profile = Profile(
            kind=plan.kind,
            organisation_id=plan.organisation_id,
            created_by=editors.get(plan.organisation_id),
            status=plan.status,
            reference=reference,
            trl=plan.trl,
            ipr_status=plan.ipr_status,
            technology_keywords=plan.technology_keywords,
            market_keywords=plan.market_keywords,
            nace_codes=plan.nace_codes,
            partner_kinds=plan.partner_kinds,
            partnership_types=plan.partnership_types,
            languages=plan.languages,
            deadline=plan.deadline,
            show_organisation=plan.show_organisation,
            is_demo=True,
            submitted_at=submitted,
            last_activity_at=submitted or created,
            **plan.texts,
        )
        if plan.status in (Status.PUBLISHED, Status.EXPIRED, Status.ARCHIVED):
            profile.published_at = reviewed
            profile.expires_at = (
                end_of_day(plan.deadline)
                if plan.deadline
                else months_later(reviewed, PUBLISHED_MONTHS)
            )
        if plan.status == Status.EXPIRED:
            # Published long ago and never renewed: its year ran out.
            profile.published_at = _moment(today, 400)
            profile.expires_at = _moment(today, 35)
        profile.search_document = search_document_for(profile)
        profiles.append(profile)
    Profile.objects.bulk_create(profiles)
    reviews = []
    for profile, plan in zip(profiles, plans, strict=True):
        if plan.status in (Status.DRAFT, Status.SUBMITTED):
            continue
        held = plan.status == Status.ON_HOLD
        reviews.append(
            ProfileReview(
                profile=profile,
                reviewer=staff,
                innovation=3 if held else 4,
                clarity=2 if held else 4,
                expectations=0 if held else 3,
                language=4,
                comment=REVIEW_HOLD_COMMENT if held else "",
                published=not held,
            )
        )
    ProfileReview.objects.bulk_create(reviews)
    return profiles


def _write_interests(
    plans: list[InterestPlan], profiles: list[Profile], editors: dict[int, User]
) -> None:
    now = timezone.now()
    for plan in plans:
        profile = profiles[plan.profile]
        interest = Interest(
            profile=profile,
            status=plan.status,
            closed_reason=(
                Interest.ClosedReason.NO_FIT if plan.status == Interest.Status.CLOSED else ""
            ),
            # The seed is public, so it must not make secrets: anyone could rebuild the links.
            access_token=secrets.token_urlsafe(32),
        )
        if plan.organisation_id is not None:
            interest.organisation_id = plan.organisation_id
            interest.user = editors.get(plan.organisation_id)
        else:
            name, email, organisation = VISITORS[plan.visitor]
            interest.visitor_name, interest.visitor_email = name, email
            interest.visitor_organisation = organisation
            interest.visitor_consent_at = now - datetime.timedelta(hours=plan.hours_ago)
        interest.save()
        owner = editors.get(profile.organisation_id)
        InterestMessage.objects.bulk_create(
            InterestMessage(
                interest=interest,
                author=owner if from_owner else interest.user,
                from_owner=from_owner,
                body=body,
            )
            for from_owner, body in plan.messages
        )
