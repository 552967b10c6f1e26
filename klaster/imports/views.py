"""The pages of an import, the same for every importer: upload, preview (the dry run in the
background), confirm (the import job) and cancel (the upload deleted). A domain app declares
its `ImportPages` and routes its URLs here with it (`path(..., {"pages": PAGES}, name=...)`)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klaster.common.roles import is_cluster_staff
from klaster.imports.forms import ImportUploadForm
from klaster.imports.report import ImportReport
from klaster.imports.uploads import ImporterFor, rejected_report, upload_cancel, upload_store
from klaster.jobs.models import Upload
from klaster.jobs.services import job_create, job_enqueue, job_for_upload, upload_get
from klaster.jobs.views import follow_job


@dataclass(frozen=True)
class ImportPages:
    """One domain's import pages. URL names are `<namespace>:import`, `:import_preview`,
    `:import_confirm` and `:import_cancel`; `describe` tells an upload's kind in the reader's
    words (the preview says it, and the import job's title as `%(kind)s`)."""

    namespace: str
    check_job: str
    import_job: str
    form_class: type[ImportUploadForm]
    importer_for: ImporterFor
    refused: Any
    title: Any
    intro: Any
    help_template: str
    describe: Callable[[str], str]
    import_title: Any
    help_context: Mapping[str, Any] = field(default_factory=dict)
    allowed: Callable[[Any], bool] = is_cluster_staff
    back_url: str = ""  # URL name of a page the upload page links back to
    back_text: Any = ""
    form_testid: str = ""

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)

    def owns(self, kind: str) -> bool:
        try:
            self.importer_for(kind)
        except LookupError:
            return False
        return True


def _allowed_or_403(request, pages: ImportPages) -> None:
    if not pages.allowed(request.user):
        raise PermissionDenied(pages.refused)


def _upload_or_404(request, pages: ImportPages, token: str) -> Upload:
    try:
        upload = upload_get(token=token, owner=request.user)
    except LookupError:
        upload = None
    if upload is None or not pages.owns(upload.kind):
        raise Http404(_("This upload does not exist or has expired; upload the file again."))
    return upload


@login_required
def import_upload(request, pages: ImportPages):
    _allowed_or_403(request, pages)
    form = pages.form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        kind = form.upload_kind()
        upload = upload_store(
            importer=pages.importer_for(kind)[0],
            user=request.user,
            data=uploaded.read(),
            filename=uploaded.name,
            kind=kind,
        )
        return redirect(pages.url("import_preview", upload.token))
    context = {
        "pages": pages,
        "form": form,
        "choice_field": form[form.choice],
        "back_url": reverse(pages.back_url) if pages.back_url else "",
        **pages.help_context,
    }
    return render(request, "imports/upload.html", context)


def _preview(request, pages: ImportPages, *, report: ImportReport, kind: str, upload):
    try:
        importer, what = pages.importer_for(kind)[0], pages.describe(kind)
    except LookupError:  # a check from before its kind was kept with it
        importer, what = None, ""
    context = {
        "upload": upload,
        "report": report,
        "what": what,
        "importer": importer,
        "confirm_url": pages.url("import_confirm", upload.token),
        "cancel_url": pages.url("import_cancel", upload.token),
        "back_url": pages.url("import"),
    }
    return render(request, "imports/preview.html", context)


@login_required
@require_GET
def import_preview(request, token: str, pages: ImportPages):
    """The dry run of the uploaded file: rows to create and update, and row errors. It runs in
    the background; the page follows its progress and shows the report when it ends."""
    _allowed_or_403(request, pages)
    try:
        upload = _upload_or_404(request, pages, token)
    except Http404:
        # A rejected file is deleted once checked; a reload still shows why it was rejected.
        rejected = rejected_report(job_kind=pages.check_job, token=token, user=request.user)
        if rejected is None:
            raise
        report, kind = rejected
        gone = SimpleNamespace(filename=report.filename, token=token)
        return _preview(request, pages, report=report, kind=kind, upload=gone)
    check = job_for_upload(
        kind=pages.check_job,
        token=upload.token,
        user=request.user,
        title=_("Check of %(file)s") % {"file": upload.filename},
        parameters={"kind": upload.kind, "filename": upload.filename},
    )

    def show_report(job):
        importer = pages.importer_for(upload.kind)[0]
        report = ImportReport.of_check_job(job, kind=importer.kind, filename=upload.filename)
        return _preview(request, pages, report=report, kind=upload.kind, upload=upload)

    return follow_job(request, check, show_report)


@login_required
@require_POST
def import_confirm(request, token: str, pages: ImportPages):
    """The import, in the background. The rows are checked again inside its transaction (the
    data may have changed since the preview); errors then fail the job with the report, and
    nothing is written."""
    _allowed_or_403(request, pages)
    upload = _upload_or_404(request, pages, token)
    job = job_create(
        kind=pages.import_job,
        title=pages.import_title % {"kind": pages.describe(upload.kind), "file": upload.filename},
        parameters={"token": upload.token, "kind": upload.kind, "filename": upload.filename},
        user=request.user,
    )
    job_enqueue(job=job)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def import_cancel(request, token: str, pages: ImportPages):
    """The preview's Cancel: the uploaded file is deleted, and the upload page shown again."""
    _allowed_or_403(request, pages)
    upload_cancel(importer_for=pages.importer_for, user=request.user, token=token)
    return redirect(pages.url("import"))
