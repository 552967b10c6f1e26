"""Staff re-import an unchanged export: the preview says nothing changes; Cancel and a binary
file leave no upload behind; the help names every required column."""

import pytest
from playwright.sync_api import expect

from klaster.conftest import PASSWORD
from klaster.jobs.models import Upload
from klaster.members import exports
from klaster.members.selectors import DirectoryFilters
from klaster.members.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nazwa użytkownika").fill("koordynator")
    page.get_by_label("Hasło").fill(PASSWORD)
    page.get_by_role("button", name="Zaloguj").click()


def upload(page, live_server, *, name: str, content: bytes):
    page.goto(f"{live_server.url}/members/import/")
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Sprawdź plik").click()


def test_staff_reimport_an_unchanged_export_and_cancel_it(live_server, page, coordinator):
    OrganisationFactory(name="Alfa Dane sp. z o.o.", krs="0000123456")
    OrganisationFactory(name="Beta Energia S.A.", krs="0000654321")
    exported = exports.directory_export(
        user=coordinator, filters=DirectoryFilters(), file_format="csv"
    )
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/members/import/")
    help_text = page.locator("details", has_text="Kolumny pliku z organizacjami")
    help_text.get_by_text("Kolumny pliku z organizacjami").click()
    expect(help_text).to_contain_text("enterprise_size (gdy kind to enterprise)")

    upload(page, live_server, name=exported.filename, content=exported.content)
    expect(page.get_by_role("button", name="Importuj teraz")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("do dodania – 0, do aktualizacji – 0")
    expect(page.get_by_text("bez zmian (odnaleziono po: NIP)")).to_have_count(2)
    assert Upload.objects.count() == 1

    page.get_by_role("button", name="Anuluj").click()
    page.wait_for_url("**/members/import/")
    assert Upload.objects.count() == 0


def test_a_binary_file_named_csv_is_explained_and_not_kept(live_server, page, coordinator):
    sign_in(page, live_server)

    upload(page, live_server, name="lista.csv", content=b"PK\x03\x04" + bytes(range(256)) * 8)

    expect(page.get_by_test_id("import-file-error")).to_contain_text(
        "To nie jest tekstowy plik CSV"
    )
    assert "1250" not in page.content()
    assert Upload.objects.count() == 0
