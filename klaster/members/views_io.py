"""Pages for importing organisations and people (staff) and exporting the directory (everyone)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from klaster.jobs.models import Upload
from klaster.jobs.services import job_create, job_enqueue, job_for_upload, upload_get
from klaster.jobs.views import follow_job
from klaster.members import exports, imports, permissions
from klaster.members.forms import DirectoryFilterForm


def _staff_only(request) -> None:
    if not permissions.can_manage_registry(request.user):
        raise PermissionDenied(_("Only coordinator staff import into the registry."))


def _upload_or_404(request, token: str) -> Upload:
    try:
        return upload_get(token=token, owner=request.user)
    except LookupError:
        raise Http404(
            _("This upload does not exist or has expired; upload the file again.")
        ) from None


@login_required
def import_upload(request):
    _staff_only(request)
    form = imports.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        upload = imports.upload_store(
            user=request.user,
            data=uploaded.read(),
            filename=uploaded.name,
            kind=form.cleaned_data["kind"],
        )
        return redirect("members:import_preview", token=upload.token)
    context = {
        "form": form,
        "organisation_columns": exports.ALL_ORGANISATION_COLUMNS,
        "person_columns": exports.PERSON_COLUMNS,
        "required": imports.REQUIRED_COLUMNS,
    }
    return render(request, "members/import.html", context)


@login_required
@require_GET
def import_preview(request, token: str):
    """The dry run of the uploaded file: rows to create and update, and row errors. It runs in
    the background; the page follows its progress and shows the report when it ends."""
    _staff_only(request)
    try:
        upload = upload_get(token=token, owner=request.user)
    except LookupError:
        # A rejected file is deleted once checked; a reload still shows why it was rejected.
        report = imports.import_check_report(token=token, user=request.user)
        if report is None:
            raise Http404(
                _("This upload does not exist or has expired; upload the file again.")
            ) from None
        context = {"upload": {"filename": report.filename, "token": token}, "report": report}
        return render(request, "members/import_preview.html", context)
    check = job_for_upload(
        kind=imports.IMPORT_CHECK_JOB_KIND,
        token=upload.token,
        user=request.user,
        title=_("Check of %(file)s") % {"file": upload.filename},
        parameters={"kind": upload.kind, "filename": upload.filename},
    )

    def show_report(job):
        report = imports.ImportReport.of_check_job(job, kind=upload.kind, filename=upload.filename)
        context = {"upload": upload, "report": report}
        return render(request, "members/import_preview.html", context)

    return follow_job(request, check, show_report)


@login_required
@require_POST
def import_confirm(request, token: str):
    _staff_only(request)
    upload = _upload_or_404(request, token)
    job = job_create(
        kind=imports.IMPORT_JOB_KIND,
        title=_("Import of %(kind)s from %(file)s")
        % {
            # The kind in the reader's words: "Import: organizacje z pliku …", not "organisations".
            "kind": _("contact people") if upload.kind == imports.PEOPLE else _("organisations"),
            "file": upload.filename,
        },
        parameters={
            "token": upload.token,
            "kind": upload.kind,
            "filename": upload.filename,
            "next_url": reverse("members:directory"),
        },
        user=request.user,
    )
    job_enqueue(job=job)
    return redirect("jobs:detail", job_id=job.pk)


@login_required
@require_POST
def import_cancel(request, token: str):
    """The preview's Cancel: the uploaded file is deleted, and the upload page shown again."""
    _staff_only(request)
    imports.upload_cancel(user=request.user, token=token)
    return redirect("members:import")


@require_GET
def export(request):
    """The directory as the visitor sees it (same filters), or contact people for staff."""
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.FORMATS:
        raise Http404(_("Choose the format csv or xlsx."))
    if request.GET.get("kind") == imports.PEOPLE:
        if not permissions.can_manage_registry(request.user):
            raise PermissionDenied(_("Only coordinator staff export contact people."))
        exported = exports.people_export(user=request.user, file_format=file_format)
    else:
        filters = DirectoryFilterForm(request.GET or None, language=get_language()).filters()
        exported = exports.directory_export(
            user=request.user, filters=filters, file_format=file_format
        )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
