"""Pages for importing organisations and people (staff) and exporting the directory (everyone).
The import's pages are the shared ones of `klaster.imports`, with the registry's importers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from klaster.common.roles import is_cluster_staff
from klaster.imports.views import ImportPages
from klaster.jobs.registry import JobKind
from klaster.members import exports, imports
from klaster.members.forms import DirectoryFilterForm

IMPORT_PAGES = ImportPages(
    namespace="members",
    check_job=JobKind.MEMBERS_IMPORT_CHECK,
    import_job=JobKind.MEMBERS_IMPORT,
    form_class=imports.RegistryUploadForm,
    importer_for=imports.importer_for,
    refused=gettext_lazy("Only coordinator staff import into the registry."),
    title=gettext_lazy("Import into the registry"),
    intro=gettext_lazy(
        "Upload a CSV (UTF-8, comma or semicolon) or XLSX file. You will first see a preview: "
        "which organisations or people will be added and which updated, and every error with "
        "its row and column. Nothing is saved until you confirm, and then either every row is "
        "saved or none."
    ),
    help_template="members/partials/import_help.html",
    help_context={
        "organisation_columns": exports.ALL_ORGANISATION_COLUMNS,
        "person_columns": exports.PERSON_COLUMNS,
        "required": imports.REQUIRED_COLUMNS,
    },
    describe=imports.describe,
    import_title=gettext_lazy("Import of %(kind)s from %(file)s"),
)


@require_GET
def export(request):
    """The directory as the visitor sees it (same filters), or contact people for staff."""
    file_format = request.GET.get("format", "csv")
    if file_format not in exports.FORMATS:
        raise Http404(_("Choose the format csv or xlsx."))
    if request.GET.get("kind") == imports.PEOPLE:
        if not is_cluster_staff(request.user):
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
