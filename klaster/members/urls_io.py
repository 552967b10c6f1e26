from django.urls import path

from klaster.members import views_io

# Included by klaster/members/urls.py inside the "members" namespace.
urlpatterns = [
    path("import/", views_io.import_upload, name="import"),
    path("import/<str:token>/", views_io.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", views_io.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", views_io.import_cancel, name="import_cancel"),
    path("export/", views_io.export, name="export"),
]
