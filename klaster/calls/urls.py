from django.urls import path

from klaster.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("calendar/", views.call_calendar, name="calendar"),
    path("deadlines.ics", views.calls_feed, name="feed"),
    path("import/", views.import_upload, name="import"),
    path("import/<str:token>/", views.import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
    path("<int:call_id>/", views.call_detail, name="detail"),
]
