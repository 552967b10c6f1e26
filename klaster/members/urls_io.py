from django.urls import path

from klaster.imports import views as import_views
from klaster.members import views_io

# Included by klaster/members/urls.py inside the "members" namespace.
pages = {"pages": views_io.IMPORT_PAGES}
urlpatterns = [
    path("import/", import_views.import_upload, pages, name="import"),
    path("import/<str:token>/", import_views.import_preview, pages, name="import_preview"),
    path("import/<str:token>/confirm/", import_views.import_confirm, pages, name="import_confirm"),
    path("import/<str:token>/cancel/", import_views.import_cancel, pages, name="import_cancel"),
    path("export/", views_io.export, name="export"),
]
