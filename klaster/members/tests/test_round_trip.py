"""Export -> re-import round trip, and the identifier rules the registry shares with the import."""

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.utils import translation

from klaster.members import exports, imports
from klaster.members.forms import StaffOrganisationForm, form_data_from_instance
from klaster.members.models import Competence, Organisation, Sector
from klaster.members.selectors import DirectoryFilters
from klaster.members.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def registry():
    """Organisations with every kind of value an export carries."""
    enterprise = OrganisationFactory(
        name="Alfa Dane sp. z o.o.",
        krs="0000123456",
        pic="912345678",
        website="https://alfa.example.pl",
        year_founded=2011,
        funding_sought_eur="1500000.50",
        investor_notes="Runda A.",
        employees_band="10-49",
    )
    enterprise.sectors.set(Sector.objects.filter(code__in=["ict", "energy"]))
    enterprise.competences.set([Competence.objects.create(name="Internet rzeczy", slug="iot")])
    MembershipFactory(organisation=enterprise, joined_on="2023-05-01")
    university = OrganisationFactory(
        name="Politechnika Testowa",
        kind=Organisation.Kind.UNIVERSITY,
        enterprise_size="",
        krs="",
    )
    OrganisationFactory(name="Ukryta Spółka", is_published=False, krs="0000654321")
    PersonFactory(organisation=university, email="rektor@pt.example.pl", phone="+48 22 000")
    PersonFactory(
        organisation=enterprise,
        email="",
        consent_purpose="newsletter",
        consent_given_on="2024-02-01",
    )
    return {"enterprise": enterprise, "university": university}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["organisations", "people"])
def test_an_unchanged_export_imports_back_with_nothing_created_or_updated(
    registry, coordinator, file_format, kind
):
    if kind == "people":
        exported = exports.people_export(user=coordinator, file_format=file_format)
    else:
        exported = exports.directory_export(
            user=coordinator, filters=DirectoryFilters(), file_format=file_format
        )
    audit_entries = LogEntry.objects.count()

    report = imports.import_apply(
        data=exported.content, filename=exported.filename, kind=kind, editor=coordinator
    )

    assert report.ok, report.errors
    assert (report.creates, report.updates) == (0, 0)
    assert report.unchanged == report.total_rows > 0
    assert "0 new, 0 updated" in report.summary()
    assert LogEntry.objects.count() == audit_entries  # nothing was written


def test_a_changed_value_in_an_export_counts_as_one_update(registry, coordinator):
    exported = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format="csv"
    )
    changed = exported.content.replace(b"Politechnika Testowa,", b"Politechnika Testowa,PT")

    report = imports.import_check(
        data=changed, filename="registry.csv", kind="organisations", editor=coordinator
    )

    assert report.ok, report.errors
    assert (report.creates, report.updates, report.unchanged) == (0, 1, 2)


def test_the_database_refuses_a_second_organisation_with_the_same_krs(registry):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(name="Kopia", krs="0000123456")


def test_many_organisations_may_have_no_krs_or_regon(registry):
    OrganisationFactory(name="Bez KRS 1", krs="", regon="")
    OrganisationFactory(name="Bez KRS 2", krs="", regon="")

    assert Organisation.objects.filter(krs="").count() >= 3


@pytest.mark.parametrize(
    ("column", "typed", "message"),
    [
        ("krs", "123456", "KRS 0000123456 is already registered for “Alfa Dane sp. z o.o.”."),
        ("krs", "0000654321", "KRS 0000654321 is already registered for “Ukryta Spółka”."),
        ("pic", "912345678", "PIC 912345678 is already registered for “Alfa Dane sp. z o.o.”."),
    ],
)
def test_the_profile_form_refuses_an_identifier_another_organisation_has(
    registry, column, typed, message
):
    university = registry["university"]
    data = form_data_from_instance(StaffOrganisationForm, university)
    data[column] = typed

    form = StaffOrganisationForm(data=data, instance=university)

    assert not form.is_valid()
    assert form.errors[column] == [message]


def test_the_profile_form_refuses_the_nip_of_another_organisation(registry):
    university = registry["university"]
    data = form_data_from_instance(StaffOrganisationForm, university)
    data["nip"] = registry["enterprise"].nip
    data["vat_number"] = ""

    form = StaffOrganisationForm(data=data, instance=university)

    assert not form.is_valid()
    assert "already registered for “Alfa Dane sp. z o.o.”" in form.errors["nip"][0]


def test_an_organisation_keeps_its_own_identifiers_when_saved_again(registry):
    enterprise = registry["enterprise"]
    form = StaffOrganisationForm(
        data=form_data_from_instance(StaffOrganisationForm, enterprise), instance=enterprise
    )

    assert form.is_valid(), form.errors


def test_the_model_checks_identifier_check_digits_like_the_import(registry):
    from django.core.exceptions import ValidationError

    enterprise = registry["enterprise"]
    enterprise.nip = enterprise.nip[:-1] + str((int(enterprise.nip[-1]) + 1) % 10)

    with pytest.raises(ValidationError) as raised:
        enterprise.full_clean()

    assert "check digit" in str(raised.value.message_dict["nip"])


def test_the_api_refuses_a_krs_another_organisation_has_and_changes_nothing(
    client, editor_a, organisation_a
):
    from klaster.members.tests.test_api import bearer, patch

    OrganisationFactory(name="Właściciel KRS", krs="0000777777")

    response = patch(client, organisation_a.pk, {"krs": "777777"}, **bearer(editor_a))

    assert response.status_code == 400
    message = response.json()["errors"]["krs"][0]
    assert "jest już w rejestrze przypisany do innej organizacji" in message  # Polish default
    assert "Właściciel KRS" not in message  # members do not learn who holds the number
    organisation_a.refresh_from_db()
    assert organisation_a.krs == ""
