from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.jobs.registry import JobKind


class Job(models.Model):
    """A long piece of work (an import, an index build) run in the background.

    The task updates `done`/`total`/`message` as it goes, so the page and the command line can
    show progress; the outcome lands in `result` or `error`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    # One of `JobKind` (tests add kinds of their own); no choices on the column, so that a new
    # kind is one line in the registry, not a migration as well.
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    # The work speaks the language of whoever started it: its progress, summary and row-level
    # report are read by that person (and staff), not by the worker that happens to run it.
    language = models.CharField(_("language"), max_length=12, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        """The kind in the reader's words (the stored code for a kind outside the registry)."""
        return str(JobKind(self.kind).label) if self.kind in JobKind.values else self.kind

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


def new_upload_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class Upload(models.Model):
    """A file uploaded for a background job (an import), kept in the database until the job is
    done or a day has passed: a worker on any machine reads it from there, with no shared disk."""

    token = models.CharField(max_length=64, unique=True, default=new_upload_token, editable=False)
    kind = models.CharField(_("kind"), max_length=60)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    data = models.BinaryField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.filename} ({self.kind})"

    def read(self) -> bytes:
        """The file's bytes (loaded on demand: pages that only name the upload never fetch it)."""
        return bytes(self.data)

    @property
    def user_id(self) -> int | None:
        return self.owner_id
