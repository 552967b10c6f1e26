"""Uploaded files between the preview and the confirmation, and the background jobs that check
and import them.

A file is kept only while it may still be imported: a rejected file (row or file errors) is
deleted once checked, a refused or cancelled one at once, an imported one when the import
ends. The check's report stays with its job, so a reload of the preview still says why a file
was rejected.
"""

from collections.abc import Callable
from pathlib import Path

from klaster.imports.plan import Importer, import_apply, import_check
from klaster.imports.report import ImportReport
from klaster.jobs.models import Job, Upload
from klaster.jobs.registry import Progress
from klaster.jobs.services import upload_drop, upload_get, upload_keep

# An upload's kind -> the importer of such files and its options (domain apps say which).
ImporterFor = Callable[[str], tuple[type[Importer], dict]]


class CommandLineOperator:
    """Whoever runs an import at the server's shell: trusted like coordinator staff."""

    pk = None
    is_authenticated = True
    is_active = True
    is_coordinator = True
    is_investor = False
    is_member_editor = False
    organisation_id = None

    def __str__(self) -> str:
        return "command line"


def upload_store(*, importer: type[Importer], user, data: bytes, filename: str, kind: str):
    """Keep an uploaded file under a random token, for its owner only, for a day; only someone
    who may import such files may leave one."""
    importer.check_user(user)
    return upload_keep(owner=user, kind=kind, filename=filename, chunks=[data])


def upload_cancel(*, importer_for: ImporterFor, user, token: str) -> None:
    """The preview's Cancel: the file is not imported, so it is not kept either. Only its
    owner's upload goes, and only if they may import it; an unknown or expired token is
    already gone."""
    try:
        upload = upload_get(token=token, owner=user)
        importer, _options = importer_for(upload.kind)
    except LookupError:
        return
    importer.check_user(user)
    upload_drop(token=upload.token)


def check_job_of(*, job_kind: str, token: str, user) -> Job | None:
    """The latest check (a job of `job_kind`) of the upload `token` of `user`."""
    return (
        Job.objects.filter(kind=job_kind, created_by=user, parameters__token=token)
        .order_by("-pk")
        .first()
    )


def rejected_report(*, job_kind: str, token: str, user) -> tuple[ImportReport, str] | None:
    """The report of the completed check that rejected the upload `token` of `user` (whose
    file is deleted by then: the preview page may be reloaded) and the upload's kind, or None
    if there is none."""
    job = check_job_of(job_kind=job_kind, token=token, user=user)
    if job is None or job.status != Job.Status.SUCCEEDED:
        return None
    report = ImportReport.from_dict(job.result)
    # A correct file whose upload is gone was imported or cancelled: nothing to show.
    return None if report.ok else (report, job.parameters.get("kind", ""))


def run_check_job(job, progress: Progress, *, importer_for: ImporterFor) -> dict:
    """The preview's dry run, in the background (a file of thousands of rows takes seconds).
    Parameters: the upload token. A file that is rejected, or that cannot be checked, is
    deleted."""
    upload = upload_get(token=job.parameters["token"], owner=job.created_by)
    try:
        importer, options = importer_for(upload.kind)
        report = import_check(
            importer,
            data=upload.read(),
            filename=upload.filename,
            editor=job.created_by,
            progress=progress,
            **options,
        )
    except Exception:
        upload_drop(token=upload.token)
        raise
    if not report.ok:
        # A rejected file is never imported: keep no copy of it (it may hold personal data).
        upload_drop(token=upload.token)
    return report.as_dict()


def run_import_job(job, progress: Progress, *, importer_for: ImporterFor) -> dict:
    """The import, all-or-nothing; row errors fail the job with the report's summary. Parameters:
    an upload token (from the page), or a path, a filename and the kind (from the command
    line)."""
    parameters = job.parameters
    token = parameters.get("token")
    editor = job.created_by or CommandLineOperator()
    try:
        if token:
            upload: Upload = upload_get(token=token, owner=job.created_by)
            kind, filename, data = upload.kind, upload.filename, upload.read()
        else:
            path = Path(parameters["path"])
            kind, filename, data = parameters["kind"], parameters["filename"], path.read_bytes()
        importer, options = importer_for(kind)
        report = import_apply(
            importer, data=data, filename=filename, editor=editor, progress=progress, **options
        )
    finally:
        # Imported or refused, the file has served: a refused one is uploaded again corrected.
        if token:
            upload_drop(token=token)
    progress(2 * report.total_rows, 2 * report.total_rows, report.summary())
    return report.as_dict()
