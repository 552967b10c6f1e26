"""What the track record stores from a CORDIS download beyond `cordis_files.read_cordis`.

`read_cordis` gives the partner engine what it ranks on; the track record also shows topic codes
with their titles, fields of science with their euroSciVoc codes, organisation addresses and
a checksum per record so that a second import of the same file can say that nothing changed.
Reading goes through the same reader, so errors name the file, the line and the column.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import astuple, dataclass, field
from pathlib import Path

from klaster.core import cordis_files
from klaster.core.cordis_files import CordisFormatError
from klaster.core.records import OrganisationRecord, Participation, Project, ProjectHistory

__all__ = [
    "CordisDetails",
    "CordisFormatError",
    "FieldOfScience",
    "OrganisationAddress",
    "TrackRecordData",
    "checksum",
    "read_details",
    "read_track_record",
]


@dataclass(frozen=True, slots=True)
class FieldOfScience:
    """One euroSciVoc field: code ("/23/53/373"), path ("/natural sciences/..."), title."""

    code: str
    path: str
    title: str


@dataclass(frozen=True, slots=True)
class OrganisationAddress:
    street: str = ""
    postcode: str = ""
    geolocation: str = ""


@dataclass(frozen=True)
class CordisDetails:
    topic_titles: dict[str, str] = field(default_factory=dict)  # topic code -> title
    fields: dict[str, tuple[FieldOfScience, ...]] = field(default_factory=dict)  # by project id
    addresses: dict[str, OrganisationAddress] = field(default_factory=dict)  # by PIC


@dataclass(frozen=True)
class TrackRecordData:
    """Everything one import writes: the history plus the details."""

    history: ProjectHistory
    details: CordisDetails


def read_details(path: str | Path) -> CordisDetails:
    """Topic titles, fields of science and addresses from a CORDIS download (zip or folder)."""
    source = cordis_files._Source(Path(path))
    topic_titles: dict[str, str] = {}
    if source.has("topics.csv"):
        for row in source.rows("topics.csv", ("projectID", "topic")):
            code = row.text("topic")
            if code and row.text("title"):
                topic_titles[code] = row.text("title")
    fields: dict[str, list[FieldOfScience]] = defaultdict(list)
    if source.has("euroSciVoc.csv"):
        for row in source.rows("euroSciVoc.csv", ("projectID",)):
            path_text = row.text("euroSciVocPath")
            if path_text or row.text("euroSciVocTitle"):
                fields[row.text("projectID")].append(
                    FieldOfScience(
                        code=row.text("euroSciVocCode") or path_text,
                        path=path_text,
                        title=row.text("euroSciVocTitle") or path_text.rsplit("/", 1)[-1],
                    )
                )
    addresses: dict[str, OrganisationAddress] = {}
    for row in source.rows("organization.csv", cordis_files.ORGANISATION_COLUMNS):
        addresses[row.text("organisationID")] = OrganisationAddress(
            street=row.text("street"),
            postcode=row.text("postCode"),
            geolocation=row.text("geolocation"),
        )
    return CordisDetails(
        topic_titles=topic_titles,
        fields={project: tuple(items) for project, items in fields.items()},
        addresses=addresses,
    )


def read_track_record(
    cordis_path: str | Path | None = None,
    h2020_path: str | Path | None = None,
    h2020_programme_parts: str | Path | None = None,
) -> TrackRecordData:
    """Horizon Europe download and/or Horizon 2020 participations, ready to be stored."""
    if cordis_path is None and h2020_path is None:
        raise ValueError("give a CORDIS download, a Horizon 2020 participation file, or both")
    history = ProjectHistory()
    details = CordisDetails()
    if cordis_path is not None:
        history = cordis_files.read_cordis(cordis_path)
        details = read_details(cordis_path)
    if h2020_path is not None:
        history = history.combined(
            cordis_files.read_h2020_participations(h2020_path, h2020_programme_parts)
        )
    return TrackRecordData(history=history, details=details)


def checksum(*parts: object) -> str:
    """A short stable digest of plain values (records, tuples, strings, numbers)."""
    flat = []
    for part in parts:
        if isinstance(part, Project | Participation | OrganisationRecord):
            part = astuple(part)
        flat.append(repr(part))
    return hashlib.blake2b("\x1f".join(flat).encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class StoredRecords:
    """Rows as the track record stores them, each with the checksum of its source record.

    Dicts keep the core free of the database layer; the importer turns them into model rows.
    Organisations without a name (Horizon 2020 rows carry only PIC, type and country) are
    `thin`: they fill a gap but never overwrite a fuller record of the same PIC.
    """

    topics: dict[str, str]
    fields: dict[str, FieldOfScience]
    projects: list[dict]
    organisations: list[dict]
    participations: list[dict]


def _programme(project: Project) -> str:
    if project.programme:
        return project.programme
    return "HORIZON" if not project.id.startswith(cordis_files.H2020_PROJECT_PREFIX) else "H2020"


def stored_records(data: TrackRecordData) -> StoredRecords:
    """Flatten what was read into rows with checksums; duplicate rows of a source are merged.

    CORDIS lists an organisation twice in one project now and then (two departments with the
    same PIC): the two participations become one, with the contributions added up.
    """
    history, details = data.history, data.details
    topics: dict[str, str] = {}
    fields: dict[str, FieldOfScience] = {}
    projects = []
    for project in history.projects:
        codes = tuple(dict.fromkeys(project.topics))
        for code in codes:
            topics.setdefault(code, details.topic_titles.get(code, ""))
        project_fields = details.fields.get(project.id, ())
        for item in project_fields:
            fields.setdefault(item.code, item)
        field_codes = tuple(dict.fromkeys(item.code for item in project_fields))
        row = {
            "project_id": project.id,
            "programme": _programme(project),
            "acronym": project.acronym[:100],
            "title": project.title[:600],
            "objective": project.objective,
            "keywords": ", ".join(project.keywords),
            "status": project.status[:20],
            "funding_scheme": project.funding_scheme[:80],
            "call": project.call[:120],
            "programme_parts": ", ".join(project.programme_parts)[:300],
            "start_date": project.start_date,
            "end_date": project.end_date,
            "total_cost": project.total_cost,
            "ec_max_contribution": project.ec_max_contribution,
            "topic_codes": codes,
            "field_codes": field_codes,
        }
        row["checksum"] = checksum(tuple(sorted(row.items())))
        projects.append(row)

    organisations = []
    for record in history.organisations:
        address = details.addresses.get(record.organisation_id, OrganisationAddress())
        row = {
            "pic": record.organisation_id,
            "name": record.name[:400],
            "short_name": record.short_name[:200],
            "vat_number": record.vat_number[:40],
            "activity_type": record.activity_type[:5],
            "sme": record.sme,
            "street": address.street[:300],
            "postcode": address.postcode[:30],
            "city": record.city[:200],
            "country": record.country[:4],
            "nuts_code": record.nuts_code[:10],
            "url": record.url[:500],
        }
        row["checksum"] = checksum(tuple(sorted(row.items())))
        row["thin"] = not record.name
        organisations.append(row)

    merged: dict[tuple[str, str, str], dict] = {}
    for participation in history.participations:
        key = (participation.project_id, participation.organisation_id, participation.role)
        row = merged.get(key)
        if row is None:
            merged[key] = {
                "project_id": participation.project_id,
                "pic": participation.organisation_id,
                "role": participation.role[:30],
                "order": participation.order,
                "ec_contribution": participation.ec_contribution,
                "country": participation.country[:4],
                "activity_type": participation.activity_type[:5],
            }
            continue
        if participation.ec_contribution is not None:
            row["ec_contribution"] = (row["ec_contribution"] or 0) + participation.ec_contribution
        if participation.order is not None and (
            row["order"] is None or participation.order < row["order"]
        ):
            row["order"] = participation.order
    participations = list(merged.values())
    for row in participations:
        row["checksum"] = checksum(tuple(sorted(row.items())))
    return StoredRecords(
        topics=topics,
        fields=fields,
        projects=projects,
        organisations=organisations,
        participations=participations,
    )
