"""Pages for importing profiles (staff for any organisation, member editors for their own) and
exporting them, in Klaster's columns or POD's. The import's pages are the shared ones of
`klaster.imports`, with the marketplace's importers."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from klaster.imports.views import ImportPages
from klaster.jobs.registry import JobKind
from klaster.marketplace import imports
from klaster.members.exports import FORMATS

IMPORT_PAGES = ImportPages(
    namespace="marketplace",
    check_job=JobKind.MARKETPLACE_IMPORT_CHECK,
    import_job=JobKind.MARKETPLACE_IMPORT,
    form_class=imports.ProfileImportUploadForm,
    importer_for=imports.importer_for,
    refused=gettext_lazy("Only coordinator staff and member editors import marketplace profiles."),
    title=gettext_lazy("Import marketplace profiles"),
    intro=gettext_lazy(
        "Upload profiles as a CSV (UTF-8, comma or semicolon) or XLSX file, in Klaster's "
        "columns or in those of the EEN partnering database (POD). You will first see a "
        "preview: which profiles will be added (as drafts) and which updated, and every error "
        "with its row and column. Nothing is saved until you confirm, and then either every "
        "row is saved or none."
    ),
    help_template="marketplace/partials/import_help.html",
    help_context={
        "native_columns": imports.NATIVE_COLUMNS,
        "pod_columns": list(imports.POD_COLUMNS),
    },
    describe=imports.describe,
    import_title=gettext_lazy("Import of %(kind)s from %(file)s"),
    allowed=imports.may_import,
    back_url="marketplace:list",
    back_text=gettext_lazy("The marketplace"),
    form_testid="profile-import-form",
)


@login_required
@require_GET
def profile_export(request):
    """The profiles the user keeps (staff: all), as ?format=csv|xlsx in ?layout=native|pod."""
    file_format = request.GET.get("format", "csv")
    layout = request.GET.get("layout", imports.NATIVE)
    if file_format not in FORMATS or layout not in imports.LAYOUTS:
        raise Http404(_("Choose the format csv or xlsx and the layout native or pod."))
    exported = imports.profiles_export(user=request.user, layout=layout, file_format=file_format)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
