"""REST API of the member registry, with the same permissions as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from klaster.members import permissions, selectors, services
from klaster.members.forms import form_data_from_instance, organisation_form_class
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
    q: str = ""
    kind: str = ""
    sector: str = ""
    competence: str = ""
    city: str = ""
    voivodeship: str = ""
    sme: bool | None = None
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class OrganisationPatch(Schema):
    """Any subset of the profile; fields left out keep their values."""

    name: str | None = None
    short_name: str | None = None
    kind: str | None = None
    enterprise_size: str | None = None
    support_type: str | None = None
    pic: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    sectors: list[str] | None = Field(None, description="Sector codes, e.g. ict, energy")
    competences: list[str] | None = None
    competences_text: str | None = None
    nip: str | None = None
    regon: str | None = None
    krs: str | None = None
    vat_number: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    voivodeship: str | None = None
    nuts_code: str | None = None
    country: str | None = None
    website: str | None = None
    employees_band: str | None = None
    turnover_band: str | None = None
    year_founded: int | None = None
    investment_readiness: str | None = None
    funding_sought_eur: float | None = None
    investor_notes: str | None = None
    is_published: bool | None = None


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ErrorOut(Schema):
    detail: str


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
    if permissions.can_manage_registry(user) or permissions.can_edit_organisation(
        user, organisation
    ):
        membership = getattr(organisation, "membership", None)
        data["membership_status"] = membership.status if membership else None
    else:
        data["membership_status"] = None
    if not permissions.can_see_investor_fields(user, organisation):
        data["investment_readiness"] = data["funding_sought_eur"] = data["investor_notes"] = None
    elif organisation.funding_sought_eur is not None:
        data["funding_sought_eur"] = float(organisation.funding_sought_eur)
    return data


@router.get("", response=OrganisationPage, summary="List and search organisations")
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
        raise HttpError(404, "No such organisation, or it is not visible to you.") from None


@router.get("/{organisation_id}", response={200: OrganisationOut, 404: ErrorOut})
def get_organisation(request: HttpRequest, organisation_id: int):
    return _serialise(request.auth, _get_visible(request.auth, organisation_id))


@router.patch(
    "/{organisation_id}",
    response={
        200: OrganisationOut,
        400: ValidationErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
    },
    summary="Change an organisation's profile (staff, or the organisation's own editors)",
)
def patch_organisation(request: HttpRequest, organisation_id: int, patch: OrganisationPatch):
    user = request.auth
    if not user.is_authenticated:
        return Status(401, {"detail": "Sign in or send an API token to change profiles."})
    organisation = _get_visible(user, organisation_id)
    if not permissions.can_edit_organisation(user, organisation):
        return Status(403, {"detail": "You may change only your own organisation."})
    form_class = organisation_form_class(user)
    changes = patch.dict(exclude_unset=True)
    unknown = sorted(set(changes) - set(form_class._meta.fields) - {"sectors", "competences"})
    if unknown:
        return Status(403, {"detail": f"You may not change: {', '.join(unknown)}."})
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
                        "detail": "Invalid data.",
                        "errors": {"sectors": [f"Unknown sector code: {', '.join(missing)}"]},
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
        return Status(400, {"detail": "Invalid data.", "errors": errors})
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
