"""Import and export pages: staff upload, preview and confirm; everyone exports what they see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core.tabular import read_table
from klaster.jobs.models import Job
from klaster.members.models import Organisation
from klaster.members.tests.factories import OrganisationFactory, valid_nip

pytestmark = pytest.mark.django_db

NIP_NEW = valid_nip(7001)
GOOD_CSV = (
    "name;kind;enterprise_size;nip;city;sectors\n"
    f"Nowa Spółka Importowana;enterprise;micro;{NIP_NEW};Radom;ict\n"
).encode()
BAD_CSV = (
    "name;kind;enterprise_size;nip\n"
    f"Dobra;enterprise;micro;{NIP_NEW}\n"
    "Zła;enterprise;micro;1234567890\n"
).encode()


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.LANGUAGE_CODE = "en"


def upload(client, content: bytes, *, name="members.csv", kind="organisations"):
    return client.post(
        reverse("members:import"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def preview(client, location: str, capture):
    """Open the preview: the first visit starts the check in the background and follows it;
    once the check has run (tasks run at commit in tests), the next visit shows the report."""
    with capture(execute=True):
        waiting = client.get(location)
    assert waiting.status_code == 200 and "<progress" in waiting.content.decode()
    return client.get(location)


# --- Who may import ----------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_for_the_import_page(anonymous):
    response = anonymous.get(reverse("members:import"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["editor_a", "investor"])
def test_member_editor_and_investor_cannot_import(persona, request, client_for, tmp_path):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("members:import")).status_code == 403
    assert upload(client, GOOD_CSV).status_code == 403
    assert not Organisation.objects.filter(nip=NIP_NEW).exists()
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_coordinator_sees_the_upload_form(coordinator, client_for):
    response = client_for(coordinator).get(reverse("members:import"))

    assert response.status_code == 200
    assert b'type="file"' in response.content


# --- Upload, preview, confirm ------------------------------------------------------------------


def test_upload_shows_a_preview_and_confirm_imports_through_a_job(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)

    uploaded = upload(client, GOOD_CSV)
    preview_page = preview(client, uploaded["Location"], django_capture_on_commit_callbacks)

    assert uploaded.status_code == 302
    assert preview_page.status_code == 200
    assert "Nowa Spółka Importowana" in preview_page.content.decode()
    assert not Organisation.objects.filter(nip=NIP_NEW).exists()  # the preview wrote nothing

    token = uploaded["Location"].rstrip("/").rsplit("/", 1)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("members:import_confirm", args=[token]))

    job = Job.objects.get(kind="members.import")
    assert confirmed["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.error
    organisation = Organisation.objects.get(nip=NIP_NEW)
    assert organisation.is_sme and organisation.sectors.get().code == "ict"
    page = client.get(confirmed["Location"])
    assert "1 new, 0 updated" in page.content.decode()


def test_preview_of_a_bad_file_lists_row_errors_and_offers_no_confirmation(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)

    page = preview(client, upload(client, BAD_CSV)["Location"], django_capture_on_commit_callbacks)

    content = page.content.decode()
    assert "check digit" in content
    assert "<td>3</td><td>nip</td>" in content
    assert "/confirm/" not in content
    assert "Import now" not in content


def test_preview_of_a_file_in_the_wrong_encoding_explains_it(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    windows_1250 = "name;city\nŁódzka Spółka;Łódź\n".encode("cp1250")

    page = preview(
        client, upload(client, windows_1250)["Location"], django_capture_on_commit_callbacks
    )

    assert "not in UTF-8" in page.content.decode()


def test_the_check_runs_once_in_the_background_and_the_page_follows_it(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    location = upload(client, GOOD_CSV)["Location"]

    # Before a worker takes it: the page shows the queued check and polls its own address.
    first = client.get(location).content.decode()
    poll = client.get(location, headers={"HX-Request": "true"})
    assert f'hx-get="{location}"' in first and f'hx-get="{location}"' in poll.content.decode()
    assert "<html" not in poll.content.decode()
    check = Job.objects.get()
    assert check.kind == "members.import_check" and check.status == Job.Status.QUEUED
    client.get(location)
    assert Job.objects.count() == 1  # a reload does not start the check again

    # The worker runs it; the next poll tells the page to reload, which shows the report.
    from klaster.jobs.services import job_run

    finished = job_run(job_id=check.pk)
    assert finished.status == Job.Status.SUCCEEDED and finished.result["creates"] == 1
    assert finished.done == finished.total == 1
    done = client.get(location, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert "Nowa Spółka Importowana" in client.get(location).content.decode()
    assert not Organisation.objects.filter(nip=NIP_NEW).exists()


def test_a_check_that_cannot_run_offers_no_confirmation(coordinator, client_for):
    client = client_for(coordinator)
    location = upload(client, GOOD_CSV)["Location"]
    client.get(location)
    # The worker died on it, say.
    Job.objects.update(status=Job.Status.FAILED, error="the worker stopped")
    content = client.get(location).content.decode()
    assert "could not be checked: the worker stopped" in content and "Import now" not in content


def test_an_upload_gone_before_its_check_fails_the_check_and_the_page_says_so(
    coordinator, client_for
):
    from klaster.jobs.models import Upload
    from klaster.jobs.services import job_run

    client = client_for(coordinator)
    location = upload(client, GOOD_CSV)["Location"]
    client.get(location)
    Upload.objects.all().delete()  # expired between the page and the worker
    assert job_run(job_id=Job.objects.get().pk).status == Job.Status.FAILED
    gone = client.get(location)
    assert gone.status_code == 404


def test_confirming_a_bad_file_fails_the_job_and_writes_nothing(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    token = upload(client, BAD_CSV)["Location"].rstrip("/").rsplit("/", 1)[-1]
    before = Organisation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("members:import_confirm", args=[token]))

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert Organisation.objects.count() == before
    assert "check digit" in client.get(confirmed["Location"]).content.decode()


def test_another_users_upload_token_is_refused(coordinator, client_for):
    from klaster.members.tests.factories import UserFactory

    other_coordinator = UserFactory(role="coordinator")
    token = upload(client_for(coordinator), GOOD_CSV)["Location"].rstrip("/").rsplit("/", 1)[-1]
    other = client_for(other_coordinator)

    assert other.get(reverse("members:import_preview", args=[token])).status_code == 404
    assert other.post(reverse("members:import_confirm", args=[token])).status_code == 404
    assert not Job.objects.exists()


def test_made_up_tokens_are_refused(coordinator, client_for):
    client = client_for(coordinator)

    for token in ["nope", "..%2F..%2Fetc", "a" * 30]:
        assert client.get(reverse("members:import_preview", args=[token])).status_code == 404


# --- The job page ------------------------------------------------------------------------------


def test_job_page_polls_while_running_and_stops_when_finished(coordinator, client_for):
    client = client_for(coordinator)
    job = Job.objects.create(kind="members.import", title="Import", created_by=coordinator)

    running = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result={"summary": "Gotowe"})
    finished = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "<html" not in running.content.decode()  # a fragment for htmx
    assert "hx-trigger" not in finished.content.decode()
    assert "Gotowe" in finished.content.decode()


def test_job_page_is_only_for_its_author_and_staff(coordinator, editor_a, client_for, anonymous):
    job = Job.objects.create(kind="members.import", title="Import", created_by=coordinator)
    url = reverse("jobs:detail", args=[job.pk])

    assert client_for(editor_a).get(url).status_code == 404
    assert anonymous.get(url).status_code == 302


# --- Export ------------------------------------------------------------------------------------


def test_anonymous_export_leaves_out_unpublished_profiles_and_investor_fields(
    anonymous, organisation_a
):
    OrganisationFactory(name="Niepublikowana", is_published=False)

    response = anonymous.get(reverse("members:export"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = read_table(response.content, filename="export.csv")
    assert [row.values["name"] for row in table.rows] == [organisation_a.name]
    assert "investor_notes" not in table.headers


def test_export_uses_the_directory_query_string(coordinator, client_for, organisation_a):
    OrganisationFactory(name="Uczelnia", kind="university", enterprise_size="")

    response = client_for(coordinator).get(
        reverse("members:export"), {"format": "xlsx", "kind": "university"}
    )

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_table(response.content, filename="export.xlsx")
    assert [row.values["name"] for row in table.rows] == ["Uczelnia"]


def test_people_export_and_unknown_formats_are_refused_to_outsiders(
    anonymous, investor, client_for
):
    assert anonymous.get(reverse("members:export"), {"kind": "people"}).status_code == 403
    investor_client = client_for(investor)
    assert investor_client.get(reverse("members:export"), {"kind": "people"}).status_code == 403
    assert anonymous.get(reverse("members:export"), {"format": "pdf"}).status_code == 404


def test_a_long_file_lists_its_first_rows_and_counts_the_rest(
    coordinator, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from klaster.members.imports import ImportReport

    monkeypatch.setattr(ImportReport, "ROWS_SHOWN", 1)
    client = client_for(coordinator)
    two_good = GOOD_CSV + f"Druga Spółka;enterprise;micro;{valid_nip(7002)};Radom;ict\n".encode()
    page = preview(client, upload(client, two_good)["Location"], django_capture_on_commit_callbacks)
    content = page.content.decode()
    assert "Nowa Spółka Importowana" in content and "Druga Spółka" not in content
    assert "1 more row, not listed here" in content
    assert page.context["report"].creates == 2  # the count covers every row

    two_bad = "name;kind;enterprise_size;nip\nZła;enterprise;micro;1\nGorsza;enterprise;micro;2\n"
    page = preview(
        client, upload(client, two_bad.encode())["Location"], django_capture_on_commit_callbacks
    )
    content = page.content.decode()
    assert content.count('class="row-error"') == 1 and "1 more row, not listed here" in content
