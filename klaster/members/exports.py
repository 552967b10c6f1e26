"""Export of the member directory (and, for staff, of contact people) to CSV and XLSX.

The columns are the import's columns, so a file exported by staff imports back unchanged.
Each visitor exports only what they may see on the pages: published profiles for the public,
fields for investors only for those allowed, staff everything.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from klaster.common.roles import is_cluster_staff, is_member_editor, sees_every_member
from klaster.core.tabular import write_csv, write_xlsx
from klaster.members import permissions
from klaster.members.models import Organisation, Person
from klaster.members.selectors import DirectoryFilters, organisation_search

ORGANISATION_COLUMNS = [
    "name",
    "short_name",
    "kind",
    "enterprise_size",
    "support_type",
    "nip",
    "regon",
    "krs",
    "vat_number",
    "pic",
    "sectors",
    "competences",
    "competences_text",
    "description_pl",
    "description_en",
    "street",
    "postcode",
    "city",
    "voivodeship",
    "nuts_code",
    "country",
    "website",
    "employees_band",
    "turnover_band",
    "year_founded",
]
# The registry's own bookkeeping: publication and membership, for coordinator staff.
STAFF_COLUMNS = ["is_published", "membership_status", "membership_joined_on", "membership_left_on"]
INVESTOR_COLUMNS = ["investment_readiness", "funding_sought_eur", "investor_notes"]
ALL_ORGANISATION_COLUMNS = ORGANISATION_COLUMNS + STAFF_COLUMNS + INVESTOR_COLUMNS

# People name their organisation by NIP, PIC or exact name (any one is enough).
PERSON_ORGANISATION_COLUMNS = ["organisation_name", "organisation_nip", "organisation_pic"]
PERSON_COLUMNS = [
    *PERSON_ORGANISATION_COLUMNS,
    "first_name",
    "last_name",
    "position",
    "email",
    "phone",
    "is_primary_contact",
    "consent_purpose",
    "consent_given_on",
    "consent_withdrawn_on",
]

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def organisation_export_columns(user) -> list[str]:
    columns = list(ORGANISATION_COLUMNS)
    if is_cluster_staff(user):
        columns += STAFF_COLUMNS
    # Member editors get the columns for their own organisation's row; other rows stay blank.
    if sees_every_member(user) or is_member_editor(user):
        columns += INVESTOR_COLUMNS
    return columns


def export_text(value) -> str:
    """A value as an export writes it: dates in ISO, booleans as true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def organisation_values(organisation: Organisation, *, show_investor_fields: bool) -> dict:
    """Every export column of one organisation as text (sectors by code, competences by name)."""
    membership = getattr(organisation, "membership", None)
    values = {
        column: export_text(getattr(organisation, column))
        for column in ORGANISATION_COLUMNS
        if column not in ("sectors", "competences")
    }
    values["sectors"] = "; ".join(sector.code for sector in organisation.sectors.all())
    values["competences"] = "; ".join(c.name for c in organisation.competences.all())
    values["is_published"] = export_text(organisation.is_published)
    values["membership_status"] = membership.status if membership else ""
    values["membership_joined_on"] = export_text(membership.joined_on) if membership else ""
    values["membership_left_on"] = export_text(membership.left_on) if membership else ""
    for column in INVESTOR_COLUMNS:
        values[column] = export_text(getattr(organisation, column)) if show_investor_fields else ""
    return values


def _organisation_rows(user, organisations, columns: list[str]) -> Iterator[list[str]]:
    for organisation in organisations:
        values = organisation_values(
            organisation,
            show_investor_fields=permissions.can_see_investor_fields(user, organisation),
        )
        yield [values[column] for column in columns]


def export_file(*, stem: str, file_format: str, columns: list[str], rows: Iterable) -> ExportFile:
    """`rows` under `columns` as a CSV or XLSX file named klaster-<stem>-<date>."""
    if file_format not in FORMATS:
        raise ValueError(f"Unknown export format {file_format!r}")
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content = write_xlsx(columns, rows, title=stem)
    else:
        content = write_csv(columns, rows)
    return ExportFile(
        filename=f"klaster-{stem}-{stamp}.{file_format}",
        content_type=FORMATS[file_format],
        content=content,
    )


def directory_export(*, user, filters: DirectoryFilters, file_format: str) -> ExportFile:
    """The organisations `user` may see that match `filters`, as a CSV or XLSX file."""
    organisations = (
        organisation_search(user=user, filters=filters)
        .select_related("membership")
        .prefetch_related("sectors", "competences")
        .iterator(chunk_size=500)
    )
    columns = organisation_export_columns(user)
    rows = _organisation_rows(user, organisations, columns)
    return export_file(stem="organisations", file_format=file_format, columns=columns, rows=rows)


def people_export(*, user, file_format: str) -> ExportFile:
    """Every contact person (personal data: staff only), in the import's columns."""
    if not is_cluster_staff(user):
        raise PermissionDenied("Only coordinator staff export contact people.")
    people = Person.objects.select_related("organisation").order_by(
        "organisation__name", "last_name", "first_name", "pk"
    )

    def rows() -> Iterator[list[str]]:
        for person in people.iterator(chunk_size=500):
            values = {
                "organisation_name": person.organisation.name,
                "organisation_nip": person.organisation.nip,
                "organisation_pic": person.organisation.pic or "",
            }
            for column in PERSON_COLUMNS[len(PERSON_ORGANISATION_COLUMNS) :]:
                values[column] = export_text(getattr(person, column))
            yield [values[column] for column in PERSON_COLUMNS]

    return export_file(stem="people", file_format=file_format, columns=PERSON_COLUMNS, rows=rows())
