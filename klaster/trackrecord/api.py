"""REST API of the track record: EU projects of an organisation, the cooperation log, the
network (for reports and other tools), with the same permissions as the pages."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from klaster.members.models import Organisation
from klaster.members.selectors import organisation_get_visible
from klaster.trackrecord import selectors, services
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


class CooperationIn(Schema):
    kind: str
    date: datetime.date
    organisation_a: int
    organisation_b: int
    people: str = ""
    notes: str = ""
    visibility: str = Field(Cooperation.Visibility.PRIVATE)


class ErrorOut(Schema):
    detail: str


def _user(request: HttpRequest):
    return request.auth if request.auth is not None else request.user


@router.get(
    "/organisations/{organisation_id}",
    response={200: TrackRecordOut, 404: ErrorOut},
    summary="EU projects (CORDIS) of an organisation",
)
def track_record(request: HttpRequest, organisation_id: int):
    try:
        organisation = organisation_get_visible(
            user=_user(request), organisation_id=organisation_id
        )
    except Organisation.DoesNotExist:
        raise HttpError(404, "No such organisation.") from None
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
    )


@router.get("/cooperation", response=list[CooperationOut], summary="The cooperation log")
def cooperation_list(request: HttpRequest, organisation: int | None = None, limit: int = 200):
    entries = selectors.cooperations_list(user=_user(request), organisation_id=organisation)
    return [_cooperation_out(e) for e in entries[: max(1, min(limit, 1000))]]


@router.post(
    "/cooperation",
    response={201: CooperationOut, 400: ErrorOut, 403: ErrorOut},
    summary="Record cooperation (members: only their own organisation's)",
)
def cooperation_create(request: HttpRequest, payload: CooperationIn):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(403, "Sign in or use an API token.")
    if payload.kind not in Cooperation.Kind.values:
        raise HttpError(400, f"kind must be one of {', '.join(Cooperation.Kind.values)}")
    if payload.visibility not in Cooperation.Visibility.values:
        raise HttpError(400, "visibility must be private or public")
    organisations = Organisation.objects.in_bulk([payload.organisation_a, payload.organisation_b])
    if len(organisations) != 2:
        raise HttpError(400, "Give two different, existing organisations.")
    try:
        entry = services.cooperation_record(
            user=user,
            data={
                **payload.dict(),
                "organisation_a": organisations[payload.organisation_a],
                "organisation_b": organisations[payload.organisation_b],
            },
        )
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    return Status(201, _cooperation_out(entry))


@router.get("/network", summary="The cooperation network as Cytoscape.js elements")
def network(request: HttpRequest, min_shared: int = 2, focus: int | None = None):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(403, "Sign in or use an API token.")
    filters = selectors.NetworkFilters(min_shared=max(min_shared, 1))
    if focus:
        filters.focus, filters.min_shared = selectors.node_id_of_organisation(focus), 1
    return selectors.network_elements(user=user, filters=filters, url_of=lambda n, a: "")


@router.get("/network/summary", summary="Cluster network figures (density, SMEs, ties abroad)")
def network_summary(request: HttpRequest, min_shared: int = 2):
    user = _user(request)
    if not user.is_authenticated:
        raise HttpError(403, "Sign in or use an API token.")
    summary = selectors.network_summary(
        user=user, filters=selectors.NetworkFilters(min_shared=max(min_shared, 1))
    )
    if not user.is_coordinator:
        summary = {k: v for k, v in summary.items() if k != "smes_without_research_partner"}
    return summary
