"""Import of organisations and people: bad files explained, nothing written unless all is well."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from klaster.imports.report import ImportRejected
from klaster.jobs.models import Job
from klaster.jobs.registry import JobKind
from klaster.jobs.services import job_create, job_run
from klaster.members import imports
from klaster.members.models import Competence, Membership, Organisation, Person
from klaster.members.tests.factories import OrganisationFactory, PersonFactory, valid_nip

pytestmark = pytest.mark.django_db

NIP_1, NIP_2, NIP_3 = valid_nip(9001), valid_nip(9002), valid_nip(9003)
BAD_CHECK_DIGIT_NIP = NIP_1[:-1] + str((int(NIP_1[-1]) + 1) % 10)


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def csv_bytes(rows: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=headers, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def organisation_row(**values) -> dict:
    row = {
        "name": "Gamma Dane sp. z o.o.",
        "kind": "enterprise",
        "enterprise_size": "small",
        "nip": NIP_1,
        "city": "Radom",
        "sectors": "ict; energy",
        "competences": "sztuczna inteligencja, IoT",
    }
    row.update(values)
    return row


def check(data: bytes, editor, *, kind="organisations", filename="members.csv"):
    return imports.import_check(data=data, filename=filename, kind=kind, editor=editor)


def apply(data: bytes, editor, *, kind="organisations", filename="members.csv"):
    return imports.import_apply(data=data, filename=filename, kind=kind, editor=editor)


# --- Bad files ---------------------------------------------------------------------------------


def test_file_saved_as_windows_1250_is_refused_with_its_line_and_how_to_save_utf8(coordinator):
    data = csv_bytes(
        [organisation_row(), organisation_row(name="Łódzka Spółka Źródłowa", nip=NIP_2)],
        delimiter=";",
        encoding="cp1250",
    )

    report = check(data, coordinator)

    assert not report.ok
    assert "not in UTF-8" in report.file_error
    assert "line 3" in report.file_error
    assert "Łódzka Spółka Źródłowa" in report.file_error  # the line, as its author wrote it
    assert "CSV UTF-8" in report.file_error
    assert report.plans == []


def test_excel_csv_with_bom_and_semicolons_is_read(coordinator):
    data = b"\xef\xbb\xbf" + csv_bytes([organisation_row(name="Żółta Łąka S.A.")], delimiter=";")

    report = check(data, coordinator)

    assert report.ok, report.errors
    assert [plan.label for plan in report.plans] == ["Żółta Łąka S.A."]


def test_missing_required_columns_are_named(coordinator):
    report = check(csv_bytes([{"nip": NIP_1, "city": "Radom"}]), coordinator)
    assert "Missing columns: name" in report.file_error

    people = check(csv_bytes([{"email": "a@example.org"}]), coordinator, kind="people")
    assert "first_name, last_name" in people.file_error


def test_people_file_without_any_organisation_column_is_refused(coordinator):
    report = check(
        csv_bytes([{"first_name": "Jan", "last_name": "Nowak"}]), coordinator, kind="people"
    )

    assert "organisation_name | organisation_nip | organisation_pic" in report.file_error


def test_empty_file_and_file_of_headers_only_are_refused(coordinator):
    assert check(b"", coordinator).file_error == "The file is empty."
    assert "no rows" in check(b"name,nip\n", coordinator).file_error


def test_unknown_file_types_are_refused_with_what_to_do(coordinator):
    assert (
        "neither a CSV nor an XLSX" in check(b"%PDF-1.4", coordinator, filename="a.pdf").file_error
    )
    old_excel = check(b"\xd0\xcf\x11\xe0rest", coordinator, filename="a.xls").file_error
    assert "old Excel file" in old_excel


def test_invalid_nip_is_reported_with_row_column_and_check_digit(coordinator):
    data = csv_bytes(
        [organisation_row(nip=NIP_2), organisation_row(name="Zła", nip=BAD_CHECK_DIGIT_NIP)]
    )

    report = check(data, coordinator)

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "nip")]
    assert "check digit" in report.errors[0].message


def test_same_identifier_twice_in_the_file_is_reported_on_the_later_row(coordinator):
    data = csv_bytes(
        [
            organisation_row(name="Pierwsza", nip=NIP_1, pic="912345678"),
            organisation_row(name="Druga", nip=NIP_2, pic=""),
            organisation_row(name="Trzecia", nip=NIP_1, pic="912345678"),
        ]
    )

    report = check(data, coordinator)

    assert {(e.row, e.column) for e in report.errors} == {(4, "nip"), (4, "pic")}
    assert "appears also in row 2" in report.errors[0].message


def test_unknown_sector_code_is_reported_with_the_known_codes(coordinator):
    report = check(csv_bytes([organisation_row(sectors="ict; biotech")]), coordinator)

    [error] = report.errors
    assert error.column == "sectors"
    assert "biotech" in error.message and "renewable-energy" in error.message


def test_enterprise_without_size_gets_the_forms_message(coordinator):
    report = check(csv_bytes([organisation_row(enterprise_size="")]), coordinator)

    assert [(e.row, e.column) for e in report.errors] == [(2, "enterprise_size")]


# --- All or nothing ----------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_writes_nothing(coordinator):
    OrganisationFactory(name="Istniejąca", nip=NIP_3, city="Płock")
    organisations_before = Organisation.objects.count()
    competences_before = Competence.objects.count()
    data = csv_bytes(
        [
            organisation_row(name="Dobra 1", nip=NIP_1),
            organisation_row(name="Istniejąca", nip=NIP_3, city="Siedlce"),
            organisation_row(name="Zła", nip=BAD_CHECK_DIGIT_NIP[:-1] + "x"),
            organisation_row(name="Dobra 2", nip=NIP_2, competences="nowa kompetencja"),
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        apply(data, coordinator)

    assert Organisation.objects.count() == organisations_before
    assert Competence.objects.count() == competences_before
    assert Organisation.objects.get(nip=NIP_3).city == "Płock"
    assert "Nothing was imported" in str(rejected.value)
    assert rejected.value.report.errors[0].row == 4


def test_dry_run_writes_nothing_and_says_what_would_happen(coordinator):
    OrganisationFactory(name="Istniejąca", nip=NIP_3)
    before = Organisation.objects.count(), Competence.objects.count(), Membership.objects.count()
    data = csv_bytes(
        [
            organisation_row(name="Nowa", nip=NIP_1, membership_status="active"),
            organisation_row(name="Istniejąca po zmianie", nip=NIP_3),
        ]
    )

    report = check(data, coordinator)

    assert report.ok and not report.written
    assert (report.creates, report.updates) == (1, 1)
    assert before == (
        Organisation.objects.count(),
        Competence.objects.count(),
        Membership.objects.count(),
    )
    assert Organisation.objects.get(nip=NIP_3).name == "Istniejąca"


def test_good_file_creates_organisations_with_sectors_competences_and_membership(coordinator):
    data = csv_bytes(
        [
            organisation_row(
                name="Nowa Energia",
                membership_status="Active",  # the label works as well as the code
                membership_joined_on="15.03.2024",
                is_published="tak",
            )
        ]
    )

    report = apply(data, coordinator)

    organisation = Organisation.objects.get(nip=NIP_1)
    assert report.written and report.creates == 1
    assert organisation.name == "Nowa Energia"
    assert organisation.source == Organisation.Source.IMPORT
    assert organisation.vat_number == f"PL{NIP_1}"
    assert organisation.is_sme and organisation.is_published
    assert sorted(s.code for s in organisation.sectors.all()) == ["energy", "ict"]
    assert sorted(c.name for c in organisation.competences.all()) == [
        "IoT",
        "sztuczna inteligencja",
    ]
    assert "sztuczna inteligencja" in organisation.search_document
    assert organisation.membership.status == Membership.Status.ACTIVE
    assert organisation.membership.joined_on == datetime.date(2024, 3, 15)


def test_row_with_known_nip_updates_that_organisation_and_keeps_columns_not_in_the_file(
    coordinator,
):
    existing = OrganisationFactory(
        name="Alfa Stara", nip=NIP_1, city="Płock", description_pl="Opis zostaje."
    )
    data = csv_bytes([{"name": "Alfa Nowa", "nip": NIP_1, "city": "Ostrołęka"}])

    preview = check(data, coordinator)
    apply(data, coordinator)

    [plan] = preview.plans
    assert (plan.action, plan.matched_by, plan.target_id) == ("update", "NIP", existing.pk)
    existing.refresh_from_db()
    assert (existing.name, existing.city) == ("Alfa Nowa", "Ostrołęka")
    assert existing.description_pl == "Opis zostaje."
    assert existing.kind == Organisation.Kind.ENTERPRISE
    assert Organisation.objects.filter(nip=NIP_1).count() == 1


def test_identifiers_of_two_different_organisations_in_one_row_are_a_conflict(coordinator):
    OrganisationFactory(name="Ma NIP", nip=NIP_1)
    OrganisationFactory(name="Ma PIC", nip=NIP_2, pic="998877665")

    report = check(csv_bytes([organisation_row(nip=NIP_1, pic="998877665")]), coordinator)

    [error] = report.errors
    assert "different organisations" in error.message
    assert "Ma NIP" in error.message and "Ma PIC" in error.message


# --- People ------------------------------------------------------------------------------------


def test_people_are_linked_to_their_organisation_by_nip_pic_or_exact_name(coordinator):
    by_nip = OrganisationFactory(name="Przez NIP", nip=NIP_1)
    by_pic = OrganisationFactory(name="Przez PIC", nip=NIP_2, pic="900000001")
    by_name = OrganisationFactory(name="Instytut Przez Nazwę", nip="")
    data = csv_bytes(
        [
            {
                "organisation_nip": NIP_1,
                "first_name": "Jan",
                "last_name": "Nowak",
                "email": "jan@przeznip.pl",
            },
            {"organisation_pic": "900000001", "first_name": "Ewa", "last_name": "Lis"},
            {
                "organisation_name": "Instytut  przez nazwę",
                "first_name": "Olga",
                "last_name": "Wróbel",
                "consent_purpose": "kontakt w sprawach klastra",
                "consent_given_on": "2024-01-10",
            },
        ]
    )

    report = apply(data, coordinator, kind="people")

    assert report.creates == 3
    assert by_nip.people.get().email == "jan@przeznip.pl"
    assert by_pic.people.get().last_name == "Lis"
    olga = by_name.people.get()
    assert olga.has_valid_consent and olga.consent_given_on == datetime.date(2024, 1, 10)


def test_person_with_known_email_is_updated_not_duplicated(coordinator):
    organisation = OrganisationFactory(nip=NIP_1)
    person = PersonFactory(organisation=organisation, email="anna@firma.pl", position="Specjalista")
    data = csv_bytes(
        [
            {
                "organisation_nip": NIP_1,
                "first_name": "Anna",
                "last_name": "Kowalska",
                "email": "ANNA@firma.pl",
                "position": "Dyrektor",
            }
        ]
    )

    report = apply(data, coordinator, kind="people")

    assert report.updates == 1
    person.refresh_from_db()
    assert person.position == "Dyrektor"
    assert organisation.people.count() == 1


def test_person_of_an_unknown_organisation_or_with_bad_consent_is_reported(coordinator):
    OrganisationFactory(nip=NIP_1)
    data = csv_bytes(
        [
            {
                "organisation_nip": NIP_2,
                "first_name": "Jan",
                "last_name": "Nowak",
                "consent_withdrawn_on": "",
            },
            {
                "organisation_nip": NIP_1,
                "first_name": "Ewa",
                "last_name": "Lis",
                "consent_withdrawn_on": "2024-01-01",
            },
        ]
    )

    with pytest.raises(ImportRejected) as rejected:
        apply(data, coordinator, kind="people")

    errors = [(e.row, e.column) for e in rejected.value.report.errors]
    assert errors == [(2, "organisation_nip"), (3, "consent_withdrawn_on")]
    assert Person.objects.count() == 0


# --- Permissions, the background job and the command line --------------------------------------


def test_only_coordinator_staff_may_import(editor_a, investor):
    from django.core.exceptions import PermissionDenied

    data = csv_bytes([organisation_row()])
    for outsider in (editor_a, investor):
        with pytest.raises(PermissionDenied):
            check(data, outsider)
        with pytest.raises(PermissionDenied):
            apply(data, outsider)
    assert not Organisation.objects.filter(nip=NIP_1).exists()


def test_real_run_goes_through_a_job_with_progress(coordinator, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(
        csv_bytes([organisation_row(name=f"Firma {n}", nip=valid_nip(100 + n)) for n in range(30)])
    )
    job = job_create(
        kind=JobKind.MEMBERS_IMPORT,
        title="import",
        parameters={"path": str(path), "kind": "organisations", "filename": path.name},
        user=coordinator,
    )
    seen = []

    job = job_run(job_id=job.pk, echo=lambda done, total, message: seen.append((done, total)))

    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["creates"] == 30
    assert "30 new" in job.result["summary"]
    assert Organisation.objects.filter(name__startswith="Firma ").count() == 30
    assert seen[-1] == (60, 60)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_job_with_a_bad_row_fails_and_writes_nothing(coordinator, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(
        csv_bytes([organisation_row(), organisation_row(name="Zła", nip=BAD_CHECK_DIGIT_NIP)])
    )
    job = job_create(
        kind=JobKind.MEMBERS_IMPORT,
        title="import",
        parameters={"path": str(path), "kind": "organisations", "filename": path.name},
        user=coordinator,
    )

    job = job_run(job_id=job.pk)

    assert job.status == Job.Status.FAILED
    assert "Row 3, nip" in job.error and "check digit" in job.error
    assert not Organisation.objects.filter(nip=NIP_1).exists()


def test_command_line_dry_run_reports_and_real_run_imports(tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([organisation_row()]))

    call_command("members", "import", str(path), "--kind", "organisations", "--dry-run")
    assert not Organisation.objects.filter(nip=NIP_1).exists()
    assert "row 2: add: Gamma Dane sp. z o.o." in capsys.readouterr().out

    call_command("members", "import", str(path), "--kind", "organisations")
    assert Organisation.objects.filter(nip=NIP_1).exists()


def test_command_line_import_of_a_bad_file_fails_with_the_row_errors(tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([organisation_row(nip=BAD_CHECK_DIGIT_NIP)]))

    with pytest.raises(CommandError, match="Row 2, nip"):
        call_command("members", "import", str(path))
    assert Organisation.objects.count() == 0
