"""REST API of the track record: EU projects of an organisation, the cooperation log, the
network (for reports and other tools), with the same permissions as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from klaster.common.roles import is_cluster_staff
from klaster.common.schemas import (
    ANONYMOUS_ALLOWED,
    MAX_ROW_ID,
    ErrorOut,
    RowId,
    SaneDate,
    Text,
    errors,
)
from klaster.members.models import Organisation
from klaster.members.selectors import organisation_get_visible
from klaster.trackrecord import permissions, selectors, services
from klaster.trackrecord.forms import COOPERATION_NOTES_LIMIT, CooperationForm
from klaster.trackrecord.models import Cooperation

router = Router(tags=["track record"])


class ProjectOut(Schema):
    project_id: str
    acronym: str
    title: str
    programme: str
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    ec_contribution: float | None
    partner_count: int
    countries: list[str]
    fields_of_science: list[str]
    cordis_url: str


class TrackRecordOut(Schema):
    organisation_id: int
    pics: list[str]
    total_ec_contribution: float
    coordinated: int
    projects: list[ProjectOut]


class CooperationOut(Schema):
    id: int
    kind: str
    date: datetime.date
    organisation_a: int
    organisation_b: int
    people: str
    notes: str
    visibility: str
    confirmation: str = Field(
        "confirmed",
        description="confirmed, pending (a public entry waiting for the other party) or declined",
    )


class CooperationIn(Schema):
    kind: Text(20) = Field(description=", ".join(Cooperation.Kind.values))
    date: SaneDate
    organisation_a: RowId
    organisation_b: RowId
    people: Text(500) = ""
    notes: Text(COOPERATION_NOTES_LIMIT) = ""
    visibility: Text(20) = Field(Cooperation.Visibility.PRIVATE, description="private or public")


class InvalidCooperationOut(Schema):
    """400: the entry breaks a rule of the cooperation log (the same rules as the page's form)."""

    detail: str
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="messages by field; absent for an unreadable body"
    )


def _user(request: HttpRequest):
    return request.auth if request.auth is not None else request.user


@router.get(
    "/organisations/{organisation_id}",
    response={200: TrackRecordOut, **errors(401, 404, 422)},
    summary="EU projects (CORDIS) of an organisation",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def track_record(request: HttpRequest, organisation_id: int = Path(..., ge=1, le=MAX_ROW_ID)):
    try:
        organisation = organisation_get_visible(
            user=_user(request), organisation_id=organisation_id
        )
    except Organisation.DoesNotExist:
        raise HttpError(404, _("No such organisation.")) from None
    record = selectors.track_record_for(organisation=organisation)
    if record is None:
        return TrackRecordOut(
            organisation_id=organisation.pk,
            pics=[],
            total_ec_contribution=0,
            coordinated=0,
            projects=[],
        )
    return TrackRecordOut(
        organisation_id=organisation.pk,
        pics=record.pics,
        total_ec_contribution=float(record.total_ec_contribution),
        coordinated=record.coordinated,
        projects=[
            ProjectOut(
                project_id=line.project.project_id,
                acronym=line.project.acronym,
                title=line.project.title,
                programme=line.project.programme,
                role=line.role,
                start_date=line.project.start_date,
                end_date=line.project.end_date,
                ec_contribution=float(line.ec_contribution)
                if line.ec_contribution is not None
                else None,
                partner_count=line.partner_count,
                countries=line.countries,
                fields_of_science=line.fields,
                cordis_url=line.project.cordis_url,
            )
            for line in record.projects
        ],
    )


def _cooperation_out(entry: Cooperation) -> CooperationOut:
    return CooperationOut(
        id=entry.pk,
        kind=entry.kind,
        date=entry.date,
        organisation_a=entry.organisation_a_id,
        organisation_b=entry.organisation_b_id,
        people=entry.people,
        notes=entry.notes,
        visibility=entry.visibility,
        confirmation=entry.confirmation,
    )


@router.get(
    "/cooperation",
    response={200: list[CooperationOut], **errors(401, 422)},
    summary="The cooperation log",
    openapi_extra=ANONYMOUS_ALLOWED,
)
def cooperation_list(
    request: HttpRequest,
    organisation: int | None = Query(None, ge=1, le=MAX_ROW_ID),
    limit: int = Query(200, ge=1, le=1000),
):
    entries = selectors.cooperations_list(user=_user(request), organisation_id=organisation)
    return [_cooperation_out(e) for e in entries[:limit]]


@router.post(
    "/cooperation",
    response={201: CooperationOut, 400: InvalidCooperationOut, **errors(401, 403, 422)},
    summary="Record cooperation (members: only their own organisation's)",
)
def cooperation_create(request: HttpRequest, payload: CooperationIn):
    """The entry passes the same form as on the cooperation page, so the same rules hold."""
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(401, _("Sign in or use an API token."))
    first, second = payload.organisation_a, payload.organisation_b
    if not permissions.can_record_cooperation(user, first, second):
        raise HttpError(403, _("You may record only cooperation of your own organisation."))
    if not is_cluster_staff(user) and user.organisation_id == second:
        # The page's form puts a member's own organisation first; the log is symmetric.
        first, second = second, first
    form = CooperationForm(
        data={**payload.dict(), "organisation_a": first, "organisation_b": second},
        user=user,
    )
    if not form.is_valid():
        problems = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return Status(400, {"detail": _("Invalid data."), "errors": problems})
    try:
        entry = services.cooperation_record(user=user, data=form.cleaned_data)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValueError as error:
        return Status(400, {"detail": str(error), "errors": {}})
    return Status(201, _cooperation_out(entry))


class CooperationDecisionIn(Schema):
    confirm: bool = Field(description="true confirms the entry (it becomes public); false declines")


@router.post(
    "/cooperation/{cooperation_id}/confirmation",
    # 400: a body that is not JSON at all.
    response={200: CooperationOut, 400: ErrorOut, **errors(401, 403, 404, 422)},
    summary="Confirm or decline a pending public entry (the other party, or staff)",
)
def cooperation_confirmation(
    request: HttpRequest,
    payload: CooperationDecisionIn,
    cooperation_id: int = Path(..., ge=1, le=MAX_ROW_ID),
):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(401, _("Sign in or use an API token."))
    try:
        entry = selectors.cooperation_get_visible(user=user, cooperation_id=cooperation_id)
    except Cooperation.DoesNotExist:
        raise HttpError(404, _("No such cooperation entry, or it is not visible to you.")) from None
    try:
        entry = services.cooperation_confirm(user=user, cooperation=entry, accept=payload.confirm)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return Status(200, _cooperation_out(entry))


@router.get(
    "/network",
    response={200: dict, **errors(401, 422)},
    summary="The cooperation network as Cytoscape.js elements",
)
def network(
    request: HttpRequest,
    min_shared: int = Query(2, ge=1, le=1000),
    focus: int | None = Query(None, ge=1, le=MAX_ROW_ID),
):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(401, _("Sign in or use an API token."))
    filters = selectors.NetworkFilters(min_shared=min_shared)
    if focus:
        filters.focus, filters.min_shared = selectors.node_id_of_organisation(focus), 1
    return selectors.network_elements(user=user, filters=filters, url_of=lambda n, a: "")


@router.get(
    "/network/summary",
    response={200: dict, **errors(401, 422)},
    summary="Cluster network figures (density, SMEs, ties abroad)",
)
def network_summary(
    request: HttpRequest,
    # The same choices as the map page's filter (1 to 5 ties): each is computed once per data
    # version and cached, so no caller can make the server compute figures over and over.
    min_shared: int = Query(2, ge=1, le=5),
):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(401, _("Sign in or use an API token."))
    summary = selectors.network_summary(
        user=user, filters=selectors.NetworkFilters(min_shared=min_shared)
    )
    if not is_cluster_staff(user):
        summary = {k: v for k, v in summary.items() if k != "smes_without_research_partner"}
    return summary
