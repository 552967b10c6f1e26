"""Export of the directory: each visitor gets what they may see; staff files import back as is."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from klaster.core.tabular import read_table
from klaster.members import exports, imports
from klaster.members.models import Competence, Membership, Organisation, Person, Sector
from klaster.members.selectors import DirectoryFilters
from klaster.members.services import organisation_refresh_search_document
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def registry(organisation_a, organisation_b):
    """Two published enterprises (the personas'), a hidden one, and a published institute."""
    organisation_a.investor_notes = "Szuka 2 mln EUR na rundę A."
    organisation_a.funding_sought_eur = 2_000_000
    organisation_a.pic = "911111111"
    organisation_a.save()
    organisation_a.sectors.set(Sector.objects.filter(code__in=["ict", "energy"]))
    organisation_a.competences.set(
        [
            Competence.objects.create(name="sztuczna inteligencja", slug="sztuczna-inteligencja"),
            Competence.objects.create(name="IoT", slug="iot"),
        ]
    )
    organisation_refresh_search_document(organisation=organisation_a)
    MembershipFactory(organisation=organisation_a, joined_on="2023-05-01")
    hidden = OrganisationFactory(name="Ukryta Spółka", is_published=False, investor_notes="tajne")
    institute = OrganisationFactory(
        name="Instytut Łączności",
        kind=Organisation.Kind.RESEARCH_INSTITUTE,
        enterprise_size="",
        description_pl='=HYPERLINK("http://example.org")',
    )
    return {"a": organisation_a, "b": organisation_b, "hidden": hidden, "institute": institute}


def exported_table(user, *, file_format="csv", **filters):
    exported = exports.directory_export(
        user=user, filters=DirectoryFilters(**filters), file_format=file_format
    )
    return read_table(exported.content, filename=exported.filename)


def rows_by_name(table) -> dict[str, dict]:
    return {row.values["name"]: row.values for row in table.rows}


def test_anonymous_export_has_only_published_organisations_and_no_investor_fields(registry):
    table = exported_table(AnonymousUser())

    assert set(rows_by_name(table)) == {
        registry["a"].name,
        registry["b"].name,
        registry["institute"].name,
    }
    for hidden_column in exports.INVESTOR_COLUMNS + exports.STAFF_COLUMNS:
        assert hidden_column not in table.headers


def test_investor_export_has_every_profile_with_investor_fields(registry, investor):
    rows = rows_by_name(exported_table(investor))

    assert "Ukryta Spółka" in rows
    assert rows[registry["a"].name]["investor_notes"] == "Szuka 2 mln EUR na rundę A."
    assert "membership_status" not in rows[registry["a"].name]


def test_member_editor_sees_investor_fields_of_their_own_organisation_only(registry, editor_b):
    registry["b"].investor_notes = "Notatki Bety"
    registry["b"].save()

    rows = rows_by_name(exported_table(editor_b))

    assert rows[registry["b"].name]["investor_notes"] == "Notatki Bety"
    assert rows[registry["a"].name]["investor_notes"] == ""
    assert "Ukryta Spółka" not in rows


def test_staff_export_has_everything_including_membership(registry, coordinator):
    rows = rows_by_name(exported_table(coordinator))

    alfa = rows[registry["a"].name]
    assert alfa["sectors"] == "energy; ict" or alfa["sectors"] == "ict; energy"
    assert alfa["competences"] == "IoT; sztuczna inteligencja"
    assert (alfa["membership_status"], alfa["membership_joined_on"]) == ("active", "2023-05-01")
    assert alfa["funding_sought_eur"] == "2000000.00"
    assert rows["Ukryta Spółka"]["is_published"] == "false"


def test_export_follows_the_directory_filters(registry, coordinator):
    rows = rows_by_name(exported_table(coordinator, kind=Organisation.Kind.RESEARCH_INSTITUTE))

    assert list(rows) == ["Instytut Łączności"]


def test_csv_starts_with_a_byte_order_mark_and_neutralises_formulas(registry, coordinator):
    exported = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format="csv"
    )

    assert exported.content.startswith(b"\xef\xbb\xbf")
    assert exported.filename.endswith(".csv")
    assert b"'=HYPERLINK" in exported.content


def test_xlsx_cells_are_text_so_formulas_and_leading_zeros_survive(registry, coordinator):
    registry["b"].krs = "0000123456"
    registry["b"].save()
    exported = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format="xlsx"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '=HYPERLINK("http://example.org")' in values
    assert "0000123456" in values


def test_people_export_is_for_staff_only(organisation_a, investor):
    from django.core.exceptions import PermissionDenied

    PersonFactory(organisation=organisation_a)
    with pytest.raises(PermissionDenied):
        exports.people_export(user=investor, file_format="csv")
    with pytest.raises(PermissionDenied):
        exports.people_export(user=AnonymousUser(), file_format="csv")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_staff_export_imports_back_as_updates_that_change_nothing(
    registry, coordinator, file_format
):
    first = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format=file_format
    )

    preview = imports.import_check(
        data=first.content, filename=first.filename, kind="organisations", editor=coordinator
    )
    imports.import_apply(
        data=first.content, filename=first.filename, kind="organisations", editor=coordinator
    )

    assert preview.ok, preview.errors
    assert (preview.creates, preview.updates, preview.unchanged) == (0, 0, 4)
    assert Organisation.objects.count() == 4
    second = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format=file_format
    )
    assert read_table(second.content, filename=second.filename) == read_table(
        first.content, filename=first.filename
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_staff_export_rebuilds_the_registry_in_an_empty_database(
    registry, coordinator, file_format
):
    PersonFactory(organisation=registry["a"], phone="+48 22 123 45 67", email="anna@alfa.pl")
    PersonFactory(
        organisation=registry["institute"],
        email="",
        consent_purpose="newsletter",
        consent_given_on="2024-02-01",
    )
    organisations = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format=file_format
    )
    people = exports.people_export(user=coordinator, file_format=file_format)
    coordinator.organisation = None
    coordinator.save()
    Membership.objects.all().delete()
    Organisation.objects.all().delete()
    Competence.objects.all().delete()

    imports.import_apply(
        data=organisations.content,
        filename=organisations.filename,
        kind="organisations",
        editor=coordinator,
    )
    imports.import_apply(
        data=people.content, filename=people.filename, kind="people", editor=coordinator
    )

    again = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format=file_format
    )
    people_again = exports.people_export(user=coordinator, file_format=file_format)
    assert read_table(again.content, filename=again.filename) == read_table(
        organisations.content, filename=organisations.filename
    )
    assert read_table(people_again.content, filename=people_again.filename) == read_table(
        people.content, filename=people.filename
    )
    assert Person.objects.get(email="anna@alfa.pl").phone == "+48 22 123 45 67"


def test_command_line_export_writes_every_organisation(registry, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "registry.xlsx"
    call_command("members", "export", str(path))

    table = read_table(path.read_bytes(), filename=path.name)
    assert len(table.rows) == 4
    assert "investor_notes" in table.headers and "membership_status" in table.headers
