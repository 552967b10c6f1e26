"""Starting and running background jobs.

Progress goes to the cache, not to the Job row: the work itself often runs inside one long
transaction (imports are all-or-nothing), and rows written from inside it stay invisible to
the page until it commits. The cache is a file cache on one machine and Redis when scaled out.
"""

import contextlib
import datetime
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from klaster.jobs.models import Job, Upload
from klaster.jobs.registry import Progress, handler_for

PROGRESS_TTL_SECONDS = 24 * 3600
UPLOAD_TTL = datetime.timedelta(days=1)


def _progress_key(job_id: int) -> str:
    return f"job-progress:{job_id}"


def job_progress_write(*, job_id: int, done: int, total: int, message: str) -> None:
    cache.set(
        _progress_key(job_id),
        {"done": done, "total": total, "message": message[:500]},
        PROGRESS_TTL_SECONDS,
    )


def job_progress_read(*, job_id: int) -> dict | None:
    return cache.get(_progress_key(job_id))


def job_create(*, kind: str, title: str, parameters: dict, user=None) -> Job:
    """A queued job that will speak the language active now (the page's or the command's)."""
    handler_for(kind)  # fail early on an unknown kind
    return Job.objects.create(
        kind=kind,
        title=title,
        parameters=parameters,
        created_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@transaction.atomic
def job_for_upload(*, kind: str, token: str, user, title: str, parameters: dict) -> Job:
    """The job of `kind` that works on the upload `token` for `user`: the latest one, or a new
    one queued now. Pages ask for it on every visit, so a reload never starts the work twice."""
    existing = (
        Job.objects.filter(kind=kind, created_by=user, parameters__token=token)
        .order_by("-pk")
        .first()
    )
    if existing is not None:
        return existing
    job = job_create(kind=kind, title=title, parameters={**parameters, "token": token}, user=user)
    return job_enqueue(job=job)


def job_enqueue(*, job: Job) -> Job:
    """Queue the job for a worker (or run it at once when tasks run immediately)."""
    from klaster.jobs.tasks import run_job_task

    transaction.on_commit(lambda: run_job_task(job.pk))
    return job


def job_run(*, job_id: int, echo: Progress | None = None) -> Job:
    """Run a job in this process; `echo` also receives progress (the command line prints it)."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())

    def progress(done: int, total: int, message: str = "") -> None:
        job_progress_write(job_id=job.pk, done=done, total=total, message=message)
        if echo:
            echo(done, total, message)

    # A worker has no reader of its own: it speaks the language of the one who asked.
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = handler_for(job.kind)(job, progress)
        except Exception as error:  # the job records any failure for the person who started it
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=str(error) or error.__class__.__name__,
                message=traceback.format_exception_only(error)[-1].strip()[:500],
                finished_at=timezone.now(),
            )
        else:
            final = job_progress_read(job_id=job.pk) or {}
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.SUCCEEDED,
                result=result or {},
                done=final.get("total", 0),
                total=final.get("total", 0),
                message=final.get("message", ""),
                finished_at=timezone.now(),
            )
    cache.delete(_progress_key(job.pk))
    job.refresh_from_db()
    return job


# --- Uploaded files waiting for their job ------------------------------------------------------


@transaction.atomic
def upload_keep(*, owner, kind: str, filename: str, chunks: Iterable[bytes]) -> Upload:
    """Keep an uploaded file for `owner` under a random token (and forget expired ones)."""
    Upload.objects.filter(created_at__lt=timezone.now() - UPLOAD_TTL).delete()
    data = b"".join(chunks)
    return Upload.objects.create(
        owner=owner if getattr(owner, "pk", None) else None,
        kind=kind,
        filename=Path(filename).name[:200] or "upload",
        size=len(data),
        data=data,
    )


def upload_get(*, token: str, owner) -> Upload:
    """The upload behind `token` if `owner` made it and it has not expired; LookupError
    otherwise. Its bytes are read only when asked for (`read()`)."""
    upload = (
        Upload.objects.defer("data")
        .filter(token=token or "", created_at__gte=timezone.now() - UPLOAD_TTL)
        .first()
    )
    if upload is None or upload.owner_id != getattr(owner, "pk", None):
        raise LookupError("No such upload.")
    return upload


def upload_drop(*, token: str) -> None:
    Upload.objects.filter(token=token).delete()


@contextlib.contextmanager
def upload_as_file(upload: Upload) -> Iterator[Path]:
    """The upload as a file on this machine, for readers that need a path (a zip archive)."""
    with tempfile.TemporaryDirectory(prefix="klaster-upload-") as directory:
        path = Path(directory) / upload.filename
        path.write_bytes(upload.read())
        yield path
