"""REST API of the member registry, with the same permissions as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from klaster.common.roles import is_cluster_staff
from klaster.common.schemas import (
    ANONYMOUS_ALLOWED,
    MAX_PAGE,
    MAX_ROW_ID,
    Text,
    errors,
)
from klaster.members import permissions, selectors, services
from klaster.members.forms import (
    MAX_COMPETENCE_TAGS,
    TEXT_LIMITS,
    form_data_from_instance,
    organisation_form_class,
)
from klaster.members.models import Organisation, Sector

router = Router(tags=["organisations"])

MAX_PAGE_SIZE = 200


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    enterprise_size: str
    is_sme: bool
    support_type: str
    sectors: list[str]
    competences: list[str]
    competences_text: str
    description_pl: str
    description_en: str
    street: str
    postcode: str
    city: str
    voivodeship: str
    nuts_code: str
    country: str
    website: str
    nip: str
    regon: str
    krs: str
    vat_number: str
    pic: str | None
    employees_band: str
    turnover_band: str
    year_founded: int | None
    is_published: bool
    source: str
    is_demo: bool
    membership_status: str | None = Field(None, description="Staff and the organisation only.")
    investment_readiness: str | None = Field(None, description="Investors and staff only.")
    funding_sought_eur: float | None = None
    investor_notes: str | None = None


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OrganisationOut]


class OrganisationFilters(Schema):
    q: Text(200) = Field(
        "", description=f"words that must all match (at most {selectors.MAX_SEARCH_WORDS})"
    )
    kind: Text(30) = ""
    sector: Text(40) = ""
    competence: Text(120) = ""
    city: Text(100) = ""
    voivodeship: Text(40) = ""
    sme: bool | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("q")
    @classmethod
    def _few_words(cls, q: str) -> str:
        # Each word is one more condition on the query; a thousand of them overflow SQLite's
        # expression depth, and no person searches with more than a handful.
        if len(q.split()) > selectors.MAX_SEARCH_WORDS:
            raise ValueError(
                _("Search with at most %(count)d words.") % {"count": selectors.MAX_SEARCH_WORDS}
            )
        return q


class OrganisationPatch(Schema):
    """Any subset of the profile; fields left out keep their values."""

    name: Text(255) | None = None
    short_name: Text(60) | None = None
    kind: Text(30) | None = None
    enterprise_size: Text(10) | None = None
    support_type: Text(30) | None = None
    pic: Text(20) | None = None
    description_pl: Text(TEXT_LIMITS["description_pl"]) | None = None
    description_en: Text(TEXT_LIMITS["description_en"]) | None = None
    sectors: list[Text(40)] | None = Field(
        None, max_length=20, description="Sector codes, e.g. ict, energy"
    )
    competences: list[Text(100)] | None = Field(None, max_length=MAX_COMPETENCE_TAGS)
    competences_text: Text(TEXT_LIMITS["competences_text"]) | None = None
    nip: Text(20) | None = None
    regon: Text(20) | None = None
    krs: Text(20) | None = None
    vat_number: Text(20) | None = None
    street: Text(200) | None = None
    postcode: Text(12) | None = None
    city: Text(100) | None = None
    voivodeship: Text(40) | None = None
    nuts_code: Text(5) | None = None
    country: Text(2) | None = None
    website: Text(200) | None = None
    employees_band: Text(10) | None = None
    turnover_band: Text(10) | None = None
    year_founded: int | None = Field(None, ge=1800, le=2100)
    investment_readiness: Text(TEXT_LIMITS["investment_readiness"]) | None = None
    funding_sought_eur: float | None = Field(None, ge=0, lt=10**12)
    investor_notes: Text(TEXT_LIMITS["investor_notes"]) | None = None
    is_published: bool | None = None


class ValidationErrorOut(Schema):
    """400: the change breaks a rule of the profile (the same rules as the page's form)."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="messages by field; absent for an unreadable body"
    )


def _serialise(user, organisation: Organisation) -> dict:
    data = {
        field: getattr(organisation, field)
        for field in OrganisationOut.model_fields
        if hasattr(organisation, field)
    }
    data["sectors"] = [s.code for s in organisation.sectors.all()]
    data["competences"] = [c.name for c in organisation.competences.all()]
    data["logo"] = None
    data["is_demo"] = organisation.is_demo
    if is_cluster_staff(user) or permissions.can_edit_organisation(user, organisation):
        membership = getattr(organisation, "membership", None)
        data["membership_status"] = membership.status if membership else None
    else:
        data["membership_status"] = None
    if not permissions.can_see_investor_fields(user, organisation):
        data["investment_readiness"] = data["funding_sought_eur"] = data["investor_notes"] = None
    elif organisation.funding_sought_eur is not None:
        data["funding_sought_eur"] = float(organisation.funding_sought_eur)
    return data


@router.get(
    "",
    response={200: OrganisationPage, **errors(401, 422)},
    summary="List and search organisations",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]):
    user = request.auth
    found = selectors.organisation_search(
        user=user,
        filters=selectors.DirectoryFilters(
            q=filters.q,
            kind=filters.kind,
            sector=filters.sector,
            competence=filters.competence,
            city=filters.city,
            voivodeship=filters.voivodeship,
            sme=filters.sme,
        ),
    )
    start = (filters.page - 1) * filters.page_size
    items = found.select_related("membership").prefetch_related("sectors", "competences")[
        start : start + filters.page_size
    ]
    return {
        "count": found.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_serialise(user, o) for o in items],
    }


def _get_visible(user, organisation_id: int) -> Organisation:
    try:
        return selectors.organisation_get_visible(user=user, organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise HttpError(404, _("No such organisation, or it is not visible to you.")) from None


@router.get(
    "/{organisation_id}",
    response={200: OrganisationOut, **errors(401, 404, 422)},
    summary="One organisation's profile",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def get_organisation(request: HttpRequest, organisation_id: int = Path(..., ge=1, le=MAX_ROW_ID)):
    return _serialise(request.auth, _get_visible(request.auth, organisation_id))


@router.patch(
    "/{organisation_id}",
    response={
        200: OrganisationOut,
        400: ValidationErrorOut,
        **errors(401, 403, 404, 422),
    },
    summary="Change an organisation's profile (staff, or the organisation's own editors)",
)
def patch_organisation(
    request: HttpRequest,
    patch: OrganisationPatch,
    organisation_id: int = Path(..., ge=1, le=MAX_ROW_ID),
):
    user = request.auth
    if not user.is_authenticated:
        return Status(401, {"detail": _("Sign in or send an API token to change profiles.")})
    organisation = _get_visible(user, organisation_id)
    if not permissions.can_edit_organisation(user, organisation):
        return Status(403, {"detail": _("You may change only your own organisation.")})
    form_class = organisation_form_class(user, organisation)
    changes = patch.dict(exclude_unset=True)
    unknown = sorted(set(changes) - set(form_class._meta.fields) - {"sectors", "competences"})
    if unknown:
        return Status(
            403, {"detail": _("You may not change: %(fields)s.") % {"fields": ", ".join(unknown)}}
        )
    data = form_data_from_instance(form_class, organisation)
    for field, value in changes.items():
        if field == "sectors":
            codes = value or []
            sectors = {s.code: s.pk for s in Sector.objects.filter(code__in=codes)}
            missing = [c for c in codes if c not in sectors]
            if missing:
                return Status(
                    400,
                    {
                        "detail": _("Invalid data."),
                        "errors": {
                            "sectors": [
                                _("Unknown sector code: %(codes)s") % {"codes": ", ".join(missing)}
                            ]
                        },
                    },
                )
            data["sectors"] = list(sectors.values())
        elif field == "competences":
            data["competence_tags"] = ", ".join(value or [])
        else:
            data[field] = "" if value is None else value
    form = form_class(data=data, instance=organisation)
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return Status(400, {"detail": _("Invalid data."), "errors": errors})
    try:
        organisation = services.organisation_save_from_form(form=form, editor=user)
    except PermissionDenied as denied:
        return Status(403, {"detail": str(denied)})
    return Status(
        200,
        _serialise(
            user, selectors.organisation_get_visible(user=user, organisation_id=organisation.pk)
        ),
    )
