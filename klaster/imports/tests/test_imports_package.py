"""The import package on a tiny importer of user groups: the report, the row plan and its
all-or-nothing rule, the command-line runner's exit codes, and uploads deleted when done."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from klaster.imports.cli import EXIT_REJECTED, EXIT_UNREADABLE, command_line_import
from klaster.imports.plan import Importer, import_apply, import_check
from klaster.imports.report import (
    CREATE,
    UNCHANGED,
    UPDATE,
    ImportRejected,
    ImportReport,
    RowError,
    RowPlan,
)
from klaster.imports.uploads import (
    rejected_report,
    run_check_job,
    run_import_job,
    upload_cancel,
    upload_store,
)
from klaster.jobs.models import Job, Upload
from klaster.jobs.registry import job_handler
from klaster.jobs.services import job_create, job_for_upload, job_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


CHECK_JOB = "test.groups-import-check"
IMPORT_JOB = "test.groups-import"


class GroupImporter(Importer):
    """A file of user groups: `name`, and `new_name` to rename an existing group."""

    kind = "groups"
    columns = ("name", "new_name")
    required = ("name",)

    def __init__(self, table, **options):
        super().__init__(table, **options)
        self.seen: dict[str, int] = {}

    def validate_row(self, number, values):
        name, new_name = values.get("name", "").strip(), values.get("new_name", "").strip()
        if not name:
            return None, [RowError(number, "name", "A name is required.")]
        earlier = self.seen.setdefault(name, number)
        if earlier != number:
            return None, [RowError(number, "name", f"Also in row {earlier}.")]
        group = Group.objects.filter(name=name).first()
        if group is None:
            action = CREATE
        elif new_name and new_name != name:
            action = UPDATE
        else:
            action = UNCHANGED
        plan = RowPlan(
            row=number, action=action, label=new_name or name, target_id=group and group.pk
        )
        return plan, (group, new_name or name)

    def apply(self, plan, checked, *, editor):
        group, name = checked
        if plan.action == UNCHANGED:
            return
        group = group or Group()
        group.name = name
        group.save()
        plan.target_id = group.pk


def importer_for(kind: str):
    if kind != "groups":
        raise LookupError(kind)
    return GroupImporter, {}


@job_handler(CHECK_JOB)
def check_groups(job, progress):
    return run_check_job(job, progress, importer_for=importer_for)


@job_handler(IMPORT_JOB)
def import_groups(job, progress):
    return run_import_job(job, progress, importer_for=importer_for)


def csv(*lines: str) -> bytes:
    return ("name,new_name\n" + "\n".join(lines) + "\n").encode()


# --- The report --------------------------------------------------------------------------------


def test_report_counts_each_action_and_says_so():
    report = ImportReport(kind="groups", filename="g.csv", total_rows=3)
    report.plans = [RowPlan(2, CREATE, "a"), RowPlan(3, UPDATE, "b"), RowPlan(4, UNCHANGED, "c")]

    assert (report.creates, report.updates, report.unchanged) == (1, 1, 1)
    assert report.ok
    assert report.summary() == "Ready to import: 1 new, 1 updated, 1 unchanged."
    report.written = True
    assert report.summary() == "Imported: 1 new, 1 updated, 1 unchanged."


def test_report_with_errors_counts_rows_not_errors_and_lists_them():
    report = ImportReport(kind="groups", filename="g.csv", total_rows=5)
    report.errors = [RowError(2, "name", "x"), RowError(2, "new_name", "y"), RowError(4, "", "z")]

    assert not report.ok and report.rows_with_errors == 2
    assert report.summary().splitlines() == [
        "Nothing was imported: 2 of 5 rows have errors.",
        "Row 2, name: x",
        "Row 2, new_name: y",
        "Row 4, —: z",
    ]


def test_report_survives_its_trip_through_a_job_as_json():
    report = ImportReport(kind="groups", filename="g.csv", total_rows=2, ignored_columns=["q"])
    report.plans = [RowPlan(2, UPDATE, "a", matched_by="name", target_id=7)]
    report.errors = [RowError(3, "name", "bad")]

    again = ImportReport.from_dict(report.as_dict())

    assert again == report
    assert report.as_dict()["summary"] == report.summary()


def test_report_cuts_long_lists_for_the_page():
    report = ImportReport(kind="groups", filename="g.csv")
    report.plans = [RowPlan(n, CREATE, str(n)) for n in range(ImportReport.ROWS_SHOWN + 3)]

    assert len(report.plans_shown) == ImportReport.ROWS_SHOWN
    assert report.plans_not_shown == 3 and report.errors_not_shown == 0


# --- The row plan and the all-or-nothing rule ----------------------------------------------------


def test_dry_run_plans_every_row_and_writes_nothing(coordinator):
    Group.objects.create(name="kept")
    Group.objects.create(name="old")

    report = import_check(
        GroupImporter, data=csv("new,", "kept,", "old,renamed", ",x", "new,"), filename="g.csv",
        editor=coordinator,
    )  # fmt: skip

    assert [(plan.row, plan.action) for plan in report.plans] == [
        (2, CREATE),
        (3, UNCHANGED),
        (4, UPDATE),
    ]
    assert [(error.row, error.column) for error in report.errors] == [(5, "name"), (6, "name")]
    assert report.total_rows == 5 and not report.written
    assert set(Group.objects.values_list("name", flat=True)) == {"kept", "old"}


def test_one_bad_row_and_nothing_is_written(coordinator):
    with pytest.raises(ImportRejected) as rejected:
        import_apply(
            GroupImporter, data=csv("first,", "second,", ",x"), filename="g.csv", editor=coordinator
        )

    assert rejected.value.report.rows_with_errors == 1
    assert rejected.value.report.creates == 2  # the good rows were planned, then rolled back
    assert not Group.objects.exists()


def test_a_clean_file_is_written_with_the_saved_rows_ids(coordinator):
    Group.objects.create(name="old")
    seen = []

    report = import_apply(
        GroupImporter, data=csv("new,", "old,renamed"), filename="g.csv", editor=coordinator,
        progress=lambda done, total, message: seen.append((done, total)),
    )  # fmt: skip

    assert report.written and (report.creates, report.updates) == (1, 1)
    assert set(Group.objects.values_list("name", flat=True)) == {"new", "renamed"}
    assert {plan.target_id for plan in report.plans} == set(
        Group.objects.values_list("pk", flat=True)
    )
    assert seen[-1] == (4, 4)  # checking is half the work, saving the other half


def test_a_file_that_is_no_table_is_a_file_error(coordinator):
    report = import_check(GroupImporter, data=b"", filename="g.csv", editor=coordinator)
    assert report.file_error == "The file is empty." and not report.plans

    with pytest.raises(ImportRejected):
        import_apply(GroupImporter, data=b"new_name\nx\n", filename="g.csv", editor=coordinator)


def test_unknown_columns_are_reported_as_ignored(coordinator):
    data = b"name,colour\nred,#f00\n"
    report = import_check(GroupImporter, data=data, filename="g.csv", editor=coordinator)
    assert report.ok and report.ignored_columns == ["colour"]


def test_only_staff_may_import(editor_a, investor):
    for outsider in (editor_a, investor):
        with pytest.raises(PermissionDenied):
            import_check(GroupImporter, data=csv("a,"), filename="g.csv", editor=outsider)
        with pytest.raises(PermissionDenied):
            import_apply(GroupImporter, data=csv("a,"), filename="g.csv", editor=outsider)
    assert not Group.objects.exists()


# --- Uploads kept only while they may still be imported -----------------------------------------


def store(user, data: bytes) -> Upload:
    return upload_store(
        importer=GroupImporter, user=user, data=data, filename="g.csv", kind="groups"
    )


def check(user, upload: Upload) -> Job:
    job = job_for_upload(kind=CHECK_JOB, token=upload.token, user=user, title="check",
                         parameters={"kind": upload.kind})  # fmt: skip
    return job_run(job_id=job.pk)


def test_a_rejected_file_is_deleted_once_checked_and_its_report_stays(coordinator):
    upload = store(coordinator, csv(",x"))

    job = check(coordinator, upload)

    assert job.status == Job.Status.SUCCEEDED and job.result["errors"] != []
    assert not Upload.objects.filter(token=upload.token).exists()
    report, kind = rejected_report(job_kind=CHECK_JOB, token=upload.token, user=coordinator)
    assert report.rows_with_errors == 1 and kind == "groups"


def test_a_correct_file_is_kept_for_the_confirmation_then_deleted(coordinator):
    upload = store(coordinator, csv("a,"))
    check(coordinator, upload)
    assert Upload.objects.filter(token=upload.token).exists()
    assert rejected_report(job_kind=CHECK_JOB, token=upload.token, user=coordinator) is None

    job = job_create(kind=IMPORT_JOB, title="import", parameters={"token": upload.token},
                     user=coordinator)  # fmt: skip
    job = job_run(job_id=job.pk)

    assert job.status == Job.Status.SUCCEEDED and job.result["written"]
    assert Group.objects.filter(name="a").exists()
    assert not Upload.objects.filter(token=upload.token).exists()


def test_a_file_refused_at_the_import_is_deleted_too(coordinator):
    upload = store(coordinator, csv("a,"))
    Group.objects.create(name="x")
    # Between the preview and the confirmation the file's rows went wrong: refused, and dropped.
    Upload.objects.filter(pk=upload.pk).update(data=csv(",x", "b,"))

    job = job_run(job_id=job_create(kind=IMPORT_JOB, title="i", parameters={"token": upload.token},
                                    user=coordinator).pk)  # fmt: skip

    assert job.status == Job.Status.FAILED and "Row 2, name" in job.error
    assert not Group.objects.filter(name="b").exists()
    assert not Upload.objects.filter(token=upload.token).exists()


def test_cancel_deletes_only_the_owners_upload(coordinator, client_for):
    from klaster.accounts.models import User
    from klaster.members.tests.factories import UserFactory

    other_staff = UserFactory(username="druga", role=User.Role.COORDINATOR)
    upload = store(coordinator, csv("a,"))

    upload_cancel(importer_for=importer_for, user=other_staff, token=upload.token)
    assert Upload.objects.filter(token=upload.token).exists()

    upload_cancel(importer_for=importer_for, user=coordinator, token=upload.token)
    assert not Upload.objects.filter(token=upload.token).exists()
    upload_cancel(importer_for=importer_for, user=coordinator, token=upload.token)  # gone: no error


def test_outsiders_can_neither_leave_nor_cancel_an_upload(coordinator, editor_a):
    with pytest.raises(PermissionDenied):
        store(editor_a, csv("a,"))
    upload = store(coordinator, csv("a,"))
    Upload.objects.filter(pk=upload.pk).update(owner=editor_a)
    with pytest.raises(PermissionDenied):
        upload_cancel(importer_for=importer_for, user=editor_a, token=upload.token)
    assert Upload.objects.filter(token=upload.token).exists()


# --- The command-line runner ------------------------------------------------------------------


def run(path, *, dry_run: bool, capsys=None):
    command = BaseCommand()
    return command_line_import(
        command, path=path, kind="groups", importer_for=importer_for, job_kind=IMPORT_JOB,
        dry_run=dry_run,
    )  # fmt: skip


def test_runner_dry_run_prints_each_row_and_writes_nothing(tmp_path, capsys):
    Group.objects.create(name="old")
    path = tmp_path / "g.csv"
    path.write_bytes(csv("new,", "old,renamed"))

    report = run(path, dry_run=True)

    out = capsys.readouterr().out
    assert "row 2: add: new" in out and "row 3: update (found by ): renamed" in out
    assert "Ready to import: 1 new, 1 updated." in out
    assert report.ok and Group.objects.count() == 1


def test_runner_imports_through_a_job(tmp_path, capsys):
    path = tmp_path / "g.csv"
    path.write_bytes(csv("new,"))

    result = run(path, dry_run=False)

    assert result["written"] and Group.objects.filter(name="new").exists()
    assert "Imported: 1 new, 0 updated." in capsys.readouterr().out
    assert Job.objects.get(kind=IMPORT_JOB).status == Job.Status.SUCCEEDED


@pytest.mark.parametrize("dry_run", [True, False])
def test_runner_exits_rejected_on_row_errors(tmp_path, dry_run):
    path = tmp_path / "g.csv"
    path.write_bytes(csv("a,", ",x"))

    with pytest.raises(CommandError, match="Row 3, name") as failed:
        run(path, dry_run=dry_run)

    assert failed.value.returncode == EXIT_REJECTED
    assert not Group.objects.exists()


def test_runner_exits_unreadable_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read") as failed:
        run(tmp_path / "missing.csv", dry_run=True)
    assert failed.value.returncode == EXIT_UNREADABLE
    assert EXIT_UNREADABLE != EXIT_REJECTED
