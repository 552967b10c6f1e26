"""REST API of the marketplace, with the same rules as the pages: the published profiles for
anyone (the organisation hidden unless its owner shows it), a member editor's own profiles in
every status, creating, changing and submitting them, and expressions of interest by signed-in
members. Every write goes through the services the pages use."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from klaster.calls.models import Call
from klaster.common.roles import is_member_editor
from klaster.common.schemas import (
    ANONYMOUS_ALLOWED,
    MAX_PAGE,
    MAX_ROW_ID,
    RowId,
    SaneDate,
    Text,
    errors,
)
from klaster.marketplace import selectors, selectors_interest, services, services_interest
from klaster.marketplace.models import TRL_MAX, TRL_MIN, Interest, Profile
from klaster.members.models import Organisation

router = Router(tags=["marketplace"])

MAX_PAGE_SIZE = 100
MAX_LIST_ITEMS = 30

ProfileKind = Literal[tuple(Profile.Kind.values)]
ProfileId = Path(..., ge=1, le=MAX_ROW_ID)


class ProfileOut(Schema):
    id: int
    reference: str | None
    kind: str
    status: str
    title_pl: str
    title_en: str
    summary_pl: str
    summary_en: str
    description_pl: str
    description_en: str
    advantages_pl: str
    advantages_en: str
    partner_sought_pl: str
    partner_sought_en: str
    trl: int | None
    ipr_status: str
    ipr_comment: str
    technology_keywords: list[str]
    market_keywords: list[str]
    nace_codes: list[str]
    partner_kinds: list[str]
    partner_sizes: list[str]
    partnership_types: list[str]
    languages: list[str]
    call_id: int | None
    deadline: date | None
    published_at: datetime | None
    expires_at: datetime | None
    is_demo: bool
    organisation_id: int | None = Field(
        description="Shown when the owner opted in, and to the owner and staff."
    )
    organisation_name: str | None


class ProfilePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ProfileOut]


class ProfileFilters(Schema):
    q: Text(200) = Field("", description="words that must all be found in the texts or keywords")
    kind: ProfileKind | Literal[""] = ""
    trl_min: int | None = Field(None, ge=TRL_MIN, le=TRL_MAX)
    trl_max: int | None = Field(None, ge=TRL_MIN, le=TRL_MAX)
    partnership: Literal[tuple(Profile.Partnership.values)] | Literal[""] = ""
    keyword: Text(100) = ""
    language: str = Field("", pattern=r"^([a-z]{2})?$", description="ISO 639-1, e.g. en")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def _keywords(description: str = ""):
    return Field(None, max_length=MAX_LIST_ITEMS, description=description)


class ProfileIn(Schema):
    """A profile's fields; on a change, the fields left out keep their values."""

    kind: ProfileKind | None = None
    organisation_id: RowId | None = Field(
        None, description="Staff only: whose profile it is (member editors: always their own)."
    )
    title_pl: Text(200) | None = None
    title_en: Text(200) | None = None
    summary_pl: Text(1500) | None = None
    summary_en: Text(1500) | None = None
    description_pl: Text(20000) | None = None
    description_en: Text(20000) | None = None
    advantages_pl: Text(10000) | None = None
    advantages_en: Text(10000) | None = None
    partner_sought_pl: Text(5000) | None = None
    partner_sought_en: Text(5000) | None = None
    trl: int | None = Field(None, ge=TRL_MIN, le=TRL_MAX, description="technology readiness")
    ipr_status: Literal[tuple(Profile.IprStatus.values)] | Literal[""] | None = None
    ipr_comment: Text(5000) | None = None
    technology_keywords: list[Text(100)] | None = _keywords()
    market_keywords: list[Text(100)] | None = _keywords()
    nace_codes: list[Text(20)] | None = _keywords("e.g. C26.1")
    partner_kinds: list[Literal[tuple(Organisation.Kind.values)]] | None = _keywords()
    partner_sizes: list[Literal[tuple(Profile.PartnerSize.values)]] | None = _keywords()
    partnership_types: list[Literal[tuple(Profile.Partnership.values)]] | None = _keywords()
    languages: list[Text(2, pattern=r"^[a-z]{2}$")] | None = _keywords("ISO 639-1 codes")
    call_id: RowId | None = Field(None, description="the funding call the profile aims at")
    deadline: SaneDate | None = None
    show_organisation: bool | None = None


class RefusedOut(Schema):
    """400: the data break a rule of the profile (the same rules as the pages)."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class InterestIn(Schema):
    message: Text(services_interest.MESSAGE_MAX_LENGTH, min_length=1)


class InterestOut(Schema):
    id: int
    profile_id: int
    profile_reference: str | None
    profile_title: str
    side: str = Field(description="interested (you expressed it) or owner (in your profile)")
    status: str
    closed_reason: str
    organisation_name: str | None = Field(description="the interested organisation")
    created_at: datetime
    updated_at: datetime


# --- Reading ----------------------------------------------------------------------------------


def _out(profile: Profile, user) -> dict:
    return selectors.profile_public_dict(profile, viewer=user)


def _visible(user, profile_id: int) -> Profile:
    """The profile if `user` may see it; a 404 otherwise (another's draft is not there)."""
    return selectors.profile_for_viewer(user=user, pk=profile_id)


@router.get(
    "/profiles",
    response={200: ProfilePage, **errors(401, 422)},
    summary="List and filter published profiles",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_profiles(request: HttpRequest, filters: Query[ProfileFilters]):
    """Published offers and requests, newest first, filtered as on the marketplace's page."""
    found = selectors.profiles_published(
        filters=filters.dict(exclude={"page", "page_size"}), user=request.auth
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "count": found.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_out(p, request.auth) for p in found[start : start + filters.page_size]],
    }


@router.get(
    "/profiles/mine",
    response={200: list[ProfileOut], **errors(401, 403, 422)},
    summary="Your organisation's profiles, in every status (member editors)",
)
def my_profiles(request: HttpRequest):
    if not request.auth.is_authenticated:
        return Status(401, {"detail": _("Sign in or send an API token.")})
    if not is_member_editor(request.auth):
        return Status(403, {"detail": _("Only member editors have profiles on the marketplace.")})
    profiles = selectors.profiles_of_organisation(user=request.auth).select_related("organisation")
    return [_out(profile, request.auth) for profile in profiles]


@router.get(
    "/profiles/{profile_id}",
    response={200: ProfileOut, **errors(401, 404, 422)},
    summary="One profile (published, or your own in any status)",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_profile(request: HttpRequest, profile_id: int = ProfileId):
    return _out(_visible(request.auth, profile_id), request.auth)


# --- Writing ----------------------------------------------------------------------------------


def _refused(error: ValidationError) -> Status:
    if hasattr(error, "error_dict"):
        named = {
            field: [str(m) for m in messages] for field, messages in error.message_dict.items()
        }
        return Status(400, {"detail": _("Invalid data."), "errors": named})
    return Status(400, {"detail": " ".join(error.messages), "errors": {}})


def _service_data(payload: ProfileIn) -> dict:
    """The payload as the services take it: the fields sent, the call as a Call."""
    data = payload.dict(exclude_unset=True, exclude={"organisation_id"})
    if "call_id" in data:
        call_id = data.pop("call_id")
        data["call"] = Call.objects.filter(pk=call_id).first() if call_id else None
        if call_id and data["call"] is None:
            raise ValidationError({"call_id": [_("No such funding call.")]})
    for field in ("kind", "ipr_status"):
        if field in data and data[field] is None:
            data[field] = ""
    return {
        field: "" if value is None and field in services.TEXT_FIELDS else value
        for field, value in data.items()
    }


def _signed_in_or_401(request) -> Status | None:
    if not request.auth.is_authenticated:
        return Status(401, {"detail": _("Sign in or send an API token.")})
    return None


def _written(request, write, *, status: int = 200, shown=None) -> Status:
    """The answer of a write by a signed-in user: `write()`'s result as `shown` gives it, or
    the service's refusal (403 not allowed, 400 a broken rule); 404 passes through."""
    if refusal := _signed_in_or_401(request):
        return refusal
    try:
        result = write()
    except PermissionDenied as denied:
        return Status(403, {"detail": str(denied)})
    except ValidationError as error:
        return _refused(error)
    return Status(status, (shown or _out)(result, request.auth))


@router.post(
    "/profiles",
    response={201: ProfileOut, 400: RefusedOut, **errors(401, 403, 422)},
    summary="Create a draft profile (member editors for their organisation; staff name one)",
)
def create_profile(request: HttpRequest, payload: ProfileIn):
    def create() -> Profile:
        data = _service_data(payload)
        if payload.organisation_id is not None:
            data["organisation"] = payload.organisation_id
        return services.profile_create(user=request.auth, data=data)

    return _written(request, create, status=201)


@router.patch(
    "/profiles/{profile_id}",
    response={200: ProfileOut, 400: RefusedOut, **errors(401, 403, 404, 422)},
    summary="Change your profile (a published one goes back to review)",
)
def update_profile(request: HttpRequest, payload: ProfileIn, profile_id: int = ProfileId):
    def update() -> Profile:
        profile = _visible(request.auth, profile_id)
        if payload.organisation_id not in (None, profile.organisation_id):
            raise PermissionDenied(_("A profile does not move to another organisation."))
        return services.profile_update(
            user=request.auth, profile=profile, data=_service_data(payload)
        )

    return _written(request, update)


@router.post(
    "/profiles/{profile_id}/submit",
    response={200: ProfileOut, 400: RefusedOut, **errors(401, 403, 404, 422)},
    summary="Submit your draft (or a profile on hold) for the staff's review",
)
def submit_profile(request: HttpRequest, profile_id: int = ProfileId):
    return _written(
        request,
        lambda: services.profile_submit(
            user=request.auth, profile=_visible(request.auth, profile_id)
        ),
    )


# --- Expressions of interest --------------------------------------------------------------------


def _interest_out(interest: Interest, user) -> dict:
    side = selectors_interest.interest_side(user=user, interest=interest)
    return {
        "id": interest.pk,
        "profile_id": interest.profile_id,
        "profile_reference": interest.profile.reference,
        "profile_title": interest.profile.title,
        "side": str(side) if side else "",
        "status": interest.status,
        "closed_reason": interest.closed_reason,
        "organisation_name": interest.organisation.name if interest.organisation else None,
        "created_at": interest.created_at,
        "updated_at": interest.updated_at,
    }


@router.post(
    "/profiles/{profile_id}/interest",
    response={201: InterestOut, 400: RefusedOut, **errors(401, 403, 404, 422)},
    summary="Express interest in a published profile, with a first message (members)",
)
def express_interest(request: HttpRequest, payload: InterestIn, profile_id: int = ProfileId):
    """Visitors without an account express interest on the profile's page, which asks for
    their consent; the API is for signed-in members."""

    def express() -> Interest:
        profile = _visible(request.auth, profile_id)
        if profile.status != Profile.Status.PUBLISHED:
            raise Http404
        return services_interest.interest_express(
            profile=profile, user=request.auth, message=payload.message
        )

    return _written(request, express, status=201, shown=_interest_out)


@router.get(
    "/interests",
    response={200: list[InterestOut], **errors(401, 422)},
    summary="Your expressions of interest: sent, and received in your profiles",
)
def my_interests(request: HttpRequest, direction: Literal["sent", "received", ""] = Query("")):
    if refusal := _signed_in_or_401(request):
        return refusal
    user = request.auth
    if direction == "sent":
        interests = selectors_interest.interests_sent(user=user)
    elif direction == "received":
        interests = selectors_interest.interests_received(user=user)
    else:
        interests = selectors_interest.interests_sent(
            user=user
        ) | selectors_interest.interests_received(user=user)
    return [_interest_out(interest, user) for interest in interests.order_by("-created_at", "-pk")]
