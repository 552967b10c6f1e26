from django.urls import path

from klaster.calls import views
from klaster.imports import views as import_views

app_name = "calls"
pages = {"pages": views.IMPORT_PAGES}
urlpatterns = [
    path("", views.call_list, name="list"),
    path("calendar/", views.call_calendar, name="calendar"),
    path("deadlines.ics", views.calls_feed, name="feed"),
    path("import/", import_views.import_upload, pages, name="import"),
    path("import/<str:token>/", import_views.import_preview, pages, name="import_preview"),
    path("import/<str:token>/confirm/", import_views.import_confirm, pages, name="import_confirm"),
    path("import/<str:token>/cancel/", import_views.import_cancel, pages, name="import_cancel"),
    path("<int:call_id>/", views.call_detail, name="detail"),
]
