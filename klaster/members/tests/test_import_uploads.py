"""The import page's help, required columns row by row, and uploads deleted once rejected."""

import pytest
from django.urls import reverse
from django.utils import translation

from klaster.imports.report import ImportReport
from klaster.jobs.models import Upload
from klaster.members import imports
from klaster.members.models import Organisation
from klaster.members.tests.factories import OrganisationFactory, valid_nip
from klaster.members.tests.test_views_io import BAD_CSV, GOOD_CSV, preview, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.LANGUAGE_CODE = "en"


def token_of(response) -> str:
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def test_the_import_page_lists_every_column_the_import_requires(coordinator, client_for):
    page = client_for(coordinator).get(reverse("members:import")).content.decode()

    for kind in imports.KINDS:
        for rule in imports.REQUIRED_COLUMNS[kind]:
            assert f"<code>{rule.column}</code>" in page
    assert "<code>kind</code>" in page
    assert "<code>enterprise_size</code> (when kind is enterprise)" in page


def check_csv(text: str, editor) -> ImportReport:
    with translation.override("en"):
        return imports.import_check(
            data=text.encode(), filename="m.csv", kind="organisations", editor=editor
        )


def test_a_new_organisation_without_kind_is_refused_once_on_that_column(coordinator):
    report = check_csv(f"name,nip\nBez Rodzaju,{valid_nip(5101)}\n", coordinator)

    assert [(e.column, e.message) for e in report.errors] == [("kind", "“kind” is required.")]


def test_an_enterprise_without_its_size_is_refused_on_that_column(coordinator):
    report = check_csv(f"name,kind,nip\nFirma,enterprise,{valid_nip(5102)}\n", coordinator)

    assert [(e.column, e.message) for e in report.errors] == [
        ("enterprise_size", "“enterprise_size” is required when kind is enterprise.")
    ]


def test_an_update_may_leave_out_the_kind_column_and_keep_the_stored_kind(coordinator):
    existing = OrganisationFactory(name="Stara Firma")

    report = check_csv(f"name,nip,city\nStara Firma,{existing.nip},Płock\n", coordinator)

    assert report.ok, report.errors
    assert report.updates == 1


def test_a_file_rejected_by_the_check_is_deleted(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    location = upload(client, BAD_CSV)["Location"]

    page = preview(client, location, django_capture_on_commit_callbacks).content.decode()

    assert "check digit" in page and "Import now" not in page
    assert not Upload.objects.exists()
    again = client.get(location)  # a reload still says why
    assert again.status_code == 200 and "check digit" in again.content.decode()


def test_a_correct_file_is_kept_until_it_is_imported(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)

    page = preview(client, upload(client, GOOD_CSV)["Location"], django_capture_on_commit_callbacks)

    assert "Import now" in page.content.decode()
    assert Upload.objects.count() == 1


def test_cancelling_the_preview_deletes_the_upload(coordinator, client_for):
    client = client_for(coordinator)
    token = token_of(upload(client, GOOD_CSV))

    response = client.post(reverse("members:import_cancel", args=[token]))

    assert response.status_code == 302
    assert response["Location"] == reverse("members:import")
    assert not Upload.objects.exists()


def test_the_preview_offers_a_cancel_that_deletes_the_upload(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    token = token_of(upload(client, GOOD_CSV))
    location = reverse("members:import_preview", args=[token])

    page = preview(client, location, django_capture_on_commit_callbacks).content.decode()

    assert f'formaction="{reverse("members:import_cancel", args=[token])}"' in page


def test_a_member_cannot_cancel_and_another_coordinator_cannot_delete_an_upload(
    coordinator, editor_a, client_for
):
    from klaster.members.tests.factories import UserFactory

    token = token_of(upload(client_for(coordinator), GOOD_CSV))
    url = reverse("members:import_cancel", args=[token])

    assert client_for(editor_a).post(url).status_code == 403
    client_for(UserFactory(role="coordinator")).post(url)

    assert Upload.objects.count() == 1


def test_a_file_refused_at_confirmation_is_deleted(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    token = token_of(upload(client, BAD_CSV))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:import_confirm", args=[token]))

    assert not Upload.objects.exists()
    assert not Organisation.objects.filter(name="Dobra").exists()


def test_a_binary_file_named_csv_is_called_not_a_text_csv_and_deleted(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    workbook_renamed = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 8

    location = upload(client, workbook_renamed)["Location"]
    page = preview(client, location, django_capture_on_commit_callbacks).content.decode()

    assert "not a text CSV file" in page
    assert "1250" not in page
    assert not Upload.objects.exists()


def test_a_cancelled_correct_file_cannot_be_confirmed_from_a_stale_preview(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    token = token_of(upload(client, GOOD_CSV))
    location = reverse("members:import_preview", args=[token])
    preview(client, location, django_capture_on_commit_callbacks)

    client.post(reverse("members:import_cancel", args=[token]))

    assert client.get(location).status_code == 404
    assert client.post(reverse("members:import_confirm", args=[token])).status_code == 404
