"""National and regional calls from CSV or XLSX: preview, all-or-nothing import, staff only."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from klaster.calls.imports import calls_import_apply, calls_import_check
from klaster.calls.models import Call
from klaster.core.tabular import write_xlsx
from klaster.imports.report import ImportRejected
from klaster.imports.uploads import CommandLineOperator
from klaster.jobs.models import Job, Upload
from klaster.members.tests.test_views_io import preview

pytestmark = pytest.mark.django_db

HEADER = (
    "identifier;title;programme;action_type;deadline;budget_min;budget_max;description;url;sectors"
)
GOOD_ROWS = [
    "FENG-2026-01;Ścieżka SMART: magazyny energii;FENG;grant;31.10.2026;1 000 000;5 000 000;"
    "Prace B+R nad magazynami energii.;https://www.parp.gov.pl/smart;energy",
    "RPO-SL-2026-07;Fotowoltaika dla gmin;FESL;dotacja;2026-11-15;;2 500 000,00;"
    "Instalacje fotowoltaiczne na budynkach gmin.;;",
]


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def operator():
    return CommandLineOperator()


def test_good_file_imports_calls_with_their_sectors(operator):
    report = calls_import_apply(data=csv_file(*GOOD_ROWS), filename="calls.csv",
                                source="regional", editor=operator)  # fmt: skip
    assert report.written and (report.creates, report.updates) == (2, 0)
    smart = Call.objects.get(identifier="FENG-2026-01")
    assert smart.source == "regional"
    assert smart.deadline == datetime.date(2026, 10, 31)
    assert (smart.budget_min, smart.budget_max) == (Decimal(1_000_000), Decimal(5_000_000))
    assert smart.sectors_by_hand and set(smart.sectors.values_list("code", flat=True)) == {"energy"}
    solar = Call.objects.get(identifier="RPO-SL-2026-07")
    assert solar.budget_max == Decimal(2_500_000) and solar.budget_min is None
    # no sectors in the file: the rules find them in the text
    assert not solar.sectors_by_hand
    assert "renewable-energy" in set(solar.sectors.values_list("code", flat=True))


def test_the_same_file_again_updates_the_calls(operator):
    calls_import_apply(
        data=csv_file(*GOOD_ROWS), filename="c.csv", source="national", editor=operator
    )
    changed = GOOD_ROWS[1].replace("Fotowoltaika dla gmin", "Fotowoltaika dla gmin i powiatów")
    report = calls_import_apply(data=csv_file(GOOD_ROWS[0], changed), filename="c.csv",
                                source="national", editor=operator)  # fmt: skip
    assert (report.creates, report.updates) == (0, 2)
    assert Call.objects.get(identifier="RPO-SL-2026-07").title == "Fotowoltaika dla gmin i powiatów"


def test_xlsx_workbook_is_read_like_csv(operator):
    rows = [line.split(";") for line in GOOD_ROWS]
    data = write_xlsx(HEADER.split(";"), rows, title="Nabory")
    report = calls_import_apply(
        data=data, filename="nabory.xlsx", source="national", editor=operator
    )
    assert report.creates == 2


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Nabór;Ścieżka".encode("cp1250") + b"\n", "not in UTF-8"),
        (
            csv_file(GOOD_ROWS[0], header=HEADER.replace("title;", "name;")),
            "Missing columns: title",
        ),
    ],
)
def test_unreadable_file_is_refused_whole(operator, data, expected):
    with translation.override("en"):
        report = calls_import_check(data=data, filename="c.csv", editor=operator)
    assert expected in report.file_error and not report.ok
    with pytest.raises(ImportRejected):
        calls_import_apply(data=data, filename="c.csv", source="national", editor=operator)
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (GOOD_ROWS[1].replace("2026-11-15", "koniec listopada"), "deadline", "date"),
        (GOOD_ROWS[1].replace("RPO-SL-2026-07", "FENG-2026-01"), "identifier", "also in row 2"),
        (GOOD_ROWS[1].replace(";;\n", "").rstrip(";") + ";;kosmos", "sectors", "Unknown sector"),
        (GOOD_ROWS[1].replace("2 500 000,00", "dużo"), "budget_max", ""),
        (GOOD_ROWS[1].replace(";;2 500 000,00", ";9000000;2 500 000,00"), "budget_min", "above"),
    ],
)
def test_one_bad_row_among_good_ones_and_nothing_is_written(operator, bad_row, column, message):
    with translation.override("en"):
        data = csv_file(GOOD_ROWS[0], bad_row)
        report = calls_import_check(data=data, filename="c.csv", editor=operator)
        assert [(e.row, e.column) for e in report.errors] == [(3, column)]
        assert message in report.errors[0].message
        assert [plan.row for plan in report.plans] == [2]
        with pytest.raises(ImportRejected):
            calls_import_apply(data=data, filename="c.csv", source="national", editor=operator)
    assert not Call.objects.exists()


def test_an_eu_topic_cannot_be_overwritten_from_a_file(operator):
    Call.objects.create(identifier="FENG-2026-01", title="EU topic", source=Call.Source.EU)
    report = calls_import_check(data=csv_file(GOOD_ROWS[0]), filename="c.csv", editor=operator)
    assert [e.column for e in report.errors] == ["identifier"]


def test_command_imports_and_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "nabory.csv"
    path.write_bytes(csv_file(*GOOD_ROWS))
    call_command("calls", "import-csv", str(path), "--dry-run")
    assert "Ready to import: 2 new, 0 updated." in capsys.readouterr().out
    assert not Call.objects.exists()
    call_command("calls", "import-csv", str(path), "--source", "regional")
    assert "Imported: 2 new, 0 updated." in capsys.readouterr().out
    assert set(Call.objects.values_list("source", flat=True)) == {"regional"}


def test_command_reports_row_errors_and_writes_nothing(tmp_path):
    path = tmp_path / "nabory.csv"
    path.write_bytes(csv_file(GOOD_ROWS[0], GOOD_ROWS[0]))
    with pytest.raises(CommandError, match="Row 3, identifier"):
        call_command("calls", "import-csv", str(path))
    assert not Call.objects.exists()


# --- The pages ---------------------------------------------------------------------------------


def upload(client, data: bytes, name: str = "nabory.csv", source: str = "national"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("calls:import"),
                       {"source": source, "file": SimpleUploadedFile(name, data)})  # fmt: skip


def test_staff_upload_preview_and_confirm(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    assert client.get(reverse("calls:list")).content.decode().count(reverse("calls:import")) == 1
    response = upload(client, csv_file(*GOOD_ROWS), source="regional")
    assert response.status_code == 302
    page = preview(client, response["Location"], django_capture_on_commit_callbacks)
    assert page.context["report"].ok and page.context["report"].creates == 2
    assert not Call.objects.exists()  # the preview writes nothing
    token = page.context["upload"].token
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("calls:import_confirm", args=[token]))
    job = Job.objects.get(kind="calls.import")
    assert done.status_code == 302 and done["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["creates"] == 2 and job.done == job.total == 4  # checked, then saved
    assert Call.objects.filter(source="regional").count() == 2
    assert reverse("calls:list") in client.get(done["Location"]).content.decode()
    # the upload is gone once imported
    assert client.get(reverse("calls:import_preview", args=[token])).status_code == 404


def test_preview_lists_row_errors_and_offers_no_import(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    bad = GOOD_ROWS[1].replace("2026-11-15", "15/13/2026")
    location = upload(client, csv_file(GOOD_ROWS[0], bad))["Location"]
    page = preview(client, location, django_capture_on_commit_callbacks).content.decode()
    assert 'data-testid="import-errors"' in page and 'data-testid="import-confirm"' not in page
    token = location.rstrip("/").rsplit("/", 1)[1]
    # A rejected file is never imported, so no copy of it is kept; a reload still says why.
    assert not Upload.objects.filter(token=token).exists()
    again = client.get(location)
    assert again.status_code == 200 and 'data-testid="import-errors"' in again.content.decode()
    # Confirming anyway (a stale page, a crafted request) finds nothing and writes nothing.
    assert client.post(reverse("calls:import_confirm", args=[token])).status_code == 404
    assert not Job.objects.filter(kind="calls.import").exists()
    assert not Call.objects.exists()


def test_a_file_refused_on_confirmation_is_not_kept(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    location = upload(client, csv_file(*GOOD_ROWS))["Location"]
    preview(client, location, django_capture_on_commit_callbacks)
    token = location.rstrip("/").rsplit("/", 1)[1]
    # Between the preview and the confirmation the file's call became an EU topic's identifier.
    Call.objects.create(identifier="FENG-2026-01", title="EU topic", source=Call.Source.EU)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:import_confirm", args=[token]))
    assert Job.objects.get(kind="calls.import").status == Job.Status.FAILED
    assert not Upload.objects.filter(token=token).exists()


def test_cancel_deletes_the_uploaded_file(
    client_for, coordinator, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    location = upload(client, csv_file(*GOOD_ROWS))["Location"]
    page = preview(client, location, django_capture_on_commit_callbacks)
    token = location.rstrip("/").rsplit("/", 1)[1]
    cancel_url = reverse("calls:import_cancel", args=[token])
    assert cancel_url in page.content.decode()

    assert client.get(cancel_url).status_code == 405  # deleting is a POST
    cancelled = client.post(cancel_url)

    assert cancelled.status_code == 302 and cancelled["Location"] == reverse("calls:import")
    assert not Upload.objects.filter(token=token).exists()
    assert client.get(location).status_code == 404


@pytest.mark.parametrize("persona", ["editor_a", "investor"])
def test_only_staff_may_import_calls(request, client_for, coordinator, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("calls:import")).status_code == 403
    assert upload(client, csv_file(*GOOD_ROWS)).status_code == 403
    assert reverse("calls:import") not in client.get(reverse("calls:list")).content.decode()
    # nor reach someone else's upload
    staff_upload = upload(client_for(coordinator), csv_file(*GOOD_ROWS))["Location"]
    token = staff_upload.rstrip("/").rsplit("/", 1)[1]
    assert client.get(staff_upload).status_code == 403
    assert client.post(reverse("calls:import_confirm", args=[token])).status_code == 403
    assert not Call.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(anonymous):
    response = anonymous.get(reverse("calls:import"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert upload(anonymous, csv_file(*GOOD_ROWS)).status_code == 302
    assert not Call.objects.exists()
