"""Reads of the member registry."""

import datetime
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from klaster.common.roles import is_cluster_staff, is_member_editor, sees_every_member
from klaster.core.text import fold
from klaster.members import identifiers, permissions
from klaster.members.models import (
    Competence,
    FeePayment,
    Membership,
    Organisation,
    Sector,
)

VOIVODESHIPS = [
    "dolnośląskie",
    "kujawsko-pomorskie",
    "lubelskie",
    "lubuskie",
    "łódzkie",
    "małopolskie",
    "mazowieckie",
    "opolskie",
    "podkarpackie",
    "podlaskie",
    "pomorskie",
    "śląskie",
    "świętokrzyskie",
    "warmińsko-mazurskie",
    "wielkopolskie",
    "zachodniopomorskie",
]


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    sector: str = ""
    competence: str = ""
    city: str = ""
    voivodeship: str = ""
    sme: bool | None = None
    membership_status: str = ""


# Each word of a search is one more condition of the query; a thousand of them overflow the
# database's expression depth. The API refuses more (422); pages search with the first ones.
MAX_SEARCH_WORDS = 20


# Terms this short, or written as acronyms ("5G", "HPC"), are whole words: as a substring of
# the folded text "AI" matched "działające" in a third of the registry.
WHOLE_WORD_MAX_LENGTH = 3
_ALNUM = re.compile(r"[a-z0-9]+")


def search_terms(q: str) -> list[tuple[str, bool]]:
    """The folded words of a search, each with whether it must match a whole word.

    Examples
    --------
    >>> search_terms("AI Łódź 5G robotyka")
    [('ai', True), ('lodz', False), ('5g', True), ('robotyka', False)]
    """
    terms = []
    for raw in q.split():
        is_acronym = raw.upper() == raw and any(ch.isalpha() for ch in raw)
        for word in fold(raw).split():
            # Only letters and digits: the pattern below then means the same to SQLite's
            # Python regex and PostgreSQL's; "c++" or "r&d" keep substring matching.
            whole = bool(_ALNUM.fullmatch(word)) and (
                len(word) <= WHOLE_WORD_MAX_LENGTH or is_acronym
            )
            terms.append((word, whole))
    return terms[:MAX_SEARCH_WORDS]


def organisation_search(*, user, filters: DirectoryFilters) -> QuerySet:
    """Organisations the user may see that match every filter; `q` matches all its words.

    Longer words match anywhere ("robot" finds "robotyka"); short words and acronyms match
    whole words only, punctuation counting as a word boundary ("(AI)", "5G/6G").
    """
    queryset = permissions.organisations_visible_to(user)
    for word, whole in search_terms(filters.q):
        # The substring test first: it narrows the rows cheaply (trigram index on PostgreSQL).
        queryset = queryset.filter(search_document__contains=word)
        if whole:
            queryset = queryset.filter(search_document__regex=rf"(^|[^a-z0-9]){word}([^a-z0-9]|$)")
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.sector:
        queryset = queryset.filter(sectors__code=filters.sector)
    if filters.competence:
        queryset = queryset.filter(competences__slug=filters.competence)
    if filters.city:
        queryset = queryset.filter(city__iexact=filters.city)
    if filters.voivodeship:
        queryset = queryset.filter(voivodeship=filters.voivodeship)
    if filters.sme is not None:
        queryset = queryset.filter(is_sme=filters.sme)
    if filters.membership_status:
        queryset = queryset.filter(membership__status=filters.membership_status)
    return queryset.order_by("name", "pk")


def organisation_get_visible(*, user, organisation_id: int) -> Organisation:
    """The organisation if the user may see it, else Organisation.DoesNotExist."""
    return (
        permissions.organisations_visible_to(user)
        .select_related("membership", "membership__tier")
        .prefetch_related("sectors", "competences")
        .get(pk=organisation_id)
    )


def sector_choices() -> list[Sector]:
    return list(Sector.objects.all())


# The directory's suggestion lists change slowly and cost a scan of the registry each, so a
# few minutes of staleness buys every page view tens of milliseconds.
FACETS_CACHE_SECONDS = 300


def competence_facets(*, limit: int = 60) -> list[tuple[str, str]]:
    """The most used competences as (slug, name), for the directory's filter."""

    def compute():
        return list(
            Competence.objects.annotate(uses=Count("organisation"))
            .filter(uses__gt=0)
            .order_by("-uses", "name")
            .values_list("slug", "name")[:limit]
        )

    return cache.get_or_set(f"directory:competences:{limit}", compute, FACETS_CACHE_SECONDS)


def city_facets(*, user, limit: int = 40) -> list[str]:
    """The most frequent cities among what the user may see (staff and investors see all)."""
    sees_all = sees_every_member(user)

    def compute():
        return list(
            permissions.organisations_visible_to(user)
            .exclude(city="")
            .values_list("city", flat=True)
            .annotate(n=Count("pk"))
            .order_by("-n", "city")[:limit]
        )

    if is_member_editor(user):
        return compute()[:limit]  # includes their own unpublished organisation's city
    key = f"directory:cities:{'all' if sees_all else 'public'}:{limit}"
    return cache.get_or_set(key, compute, FACETS_CACHE_SECONDS)


@dataclass(frozen=True)
class FeeSituation:
    year: int
    expected: float
    paid: float
    overdue: float
    overdue_count: int
    due_count: int
    paid_count: int


def fee_situation(*, year: int | None = None, today: datetime.date | None = None) -> FeeSituation:
    today = today or timezone.localdate()
    year = year or today.year
    fees = FeePayment.objects.filter(year=year)
    paid = fees.filter(paid_on__isnull=False)
    unpaid = fees.filter(paid_on__isnull=True)
    overdue = unpaid.filter(due_on__lt=today)
    return FeeSituation(
        year=year,
        expected=float(fees.aggregate(s=Sum("amount"))["s"] or 0),
        paid=float(paid.aggregate(s=Sum("amount"))["s"] or 0),
        overdue=float(overdue.aggregate(s=Sum("amount"))["s"] or 0),
        overdue_count=overdue.count(),
        due_count=unpaid.filter(due_on__gte=today).count(),
        paid_count=paid.count(),
    )


def fees_list(*, year: int, state: str, today: datetime.date | None = None) -> QuerySet:
    """Fees of a year in one state: "overdue", "due", "paid" or "all"."""
    today = today or timezone.localdate()
    fees = FeePayment.objects.filter(year=year).select_related("membership__organisation")
    if state == "paid":
        fees = fees.filter(paid_on__isnull=False)
    elif state == "due":
        fees = fees.filter(paid_on__isnull=True, due_on__gte=today)
    elif state == "overdue":
        fees = fees.filter(paid_on__isnull=True, due_on__lt=today)
    return fees.order_by("due_on", "membership__organisation__name")


def overdue_fees(*, today: datetime.date | None = None, limit: int = 50) -> QuerySet:
    today = today or timezone.localdate()
    return (
        FeePayment.objects.filter(paid_on__isnull=True, due_on__lt=today)
        .select_related("membership__organisation")
        .order_by("due_on")[:limit]
    )


def dashboard_counts() -> dict:
    """Counts for the staff dashboard: by kind, sector and membership status, plus SMEs."""
    organisations = Organisation.objects.all()
    by_kind = dict(organisations.values_list("kind").annotate(n=Count("pk")))
    by_status = dict(Membership.objects.values_list("status").annotate(n=Count("pk")))
    by_sector = list(
        Sector.objects.annotate(
            n=Count("organisation", filter=Q(organisation__membership__status="active"))
        ).order_by("-n")
    )
    return {
        "total": organisations.count(),
        "members_active": by_status.get(Membership.Status.ACTIVE, 0),
        "smes": organisations.filter(is_sme=True).count(),
        "by_kind": [
            (label, by_kind.get(value, 0), value) for value, label in Organisation.Kind.choices
        ],
        "by_status": [
            (label, by_status.get(value, 0), value) for value, label in Membership.Status.choices
        ],
        "by_sector": by_sector,
    }


def membership_candidates() -> QuerySet:
    return (
        Organisation.objects.filter(membership__status=Membership.Status.CANDIDATE)
        .select_related("membership")
        .prefetch_related("people")
        .order_by("created_at")
    )


# --- Audit trail --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    model: str = ""  # a label of audit.AUDITED_MODELS, e.g. "members.Person"
    actor: str = ""  # a username
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_models() -> list[tuple[str, str]]:
    """(label, verbose name) of every audited model, for the filter."""
    from django.apps import apps

    from klaster.members.audit import AUDITED_MODELS

    return [(label, str(apps.get_model(label)._meta.verbose_name)) for label in AUDITED_MODELS]


def audit_entries(*, filters: AuditFilters) -> QuerySet:
    """Changes of the audited rows, newest first, as staff filter them."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from klaster.members.audit import AUDITED_MODELS

    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if filters.model in AUDITED_MODELS:
        model = apps.get_model(filters.model)
        entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
    if filters.actor:
        entries = entries.filter(actor__username=filters.actor)
    if filters.date_from:
        entries = entries.filter(timestamp__date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(timestamp__date__lte=filters.date_to)
    return entries


def organisation_history(*, user, organisation: Organisation) -> QuerySet:
    """The changes of one organisation: its profile, people, membership and fees, cooperation
    entries and project ideas, including rows deleted since. Its own editors do not see the
    account entries (their colleagues' accounts are staff business)."""
    from auditlog.models import LogEntry

    entries = LogEntry.objects.filter(
        Q(additional_data__organisation_id=organisation.pk)
        | Q(additional_data__partner_id=organisation.pk)
    )
    if not is_cluster_staff(user):
        entries = entries.exclude(content_type__app_label="accounts")
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def organisation_identifier_holders(
    *, values: dict[str, str | None], exclude_pk: int | None = None
) -> dict[str, Organisation]:
    """For each identifier in `values` (compact, as stored) that another organisation already
    holds: identifier column -> that organisation. Only the columns of
    `identifiers.UNIQUE_IDENTIFIERS` are unique; empty values are never a clash."""
    wanted = {c: v for c, v in values.items() if c in identifiers.UNIQUE_IDENTIFIERS and v}
    if not wanted:
        return {}
    query = Q()
    for column, value in wanted.items():
        query |= Q(**{column: value})
    holders = {}
    for organisation in Organisation.objects.filter(query).exclude(pk=exclude_pk).order_by("pk"):
        for column, value in wanted.items():
            if getattr(organisation, column) == value:
                holders.setdefault(column, organisation)
    return holders
