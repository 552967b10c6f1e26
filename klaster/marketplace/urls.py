from django.urls import path

from klaster.imports import views as import_views
from klaster.marketplace import views, views_alerts, views_interest, views_io, views_matching

app_name = "marketplace"
io_pages = {"pages": views_io.IMPORT_PAGES}

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("mine/", views.my_profiles, name="mine"),
    path("new/", views.profile_create, name="create"),
    path("<int:pk>/", views.profile_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/submit/", views.profile_submit, name="submit"),
    path("<int:pk>/archive/", views.profile_archive, name="archive"),
    path("<int:pk>/renew/", views.profile_renew, name="renew"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/review/", views.profile_review, name="review"),
    # Matches, saved searches and the weekly digest.
    path("<int:pk>/matches/", views_matching.profile_matches, name="matches"),
    path("for-you/", views_matching.for_you, name="for_you"),
    path("alerts/", views_alerts.alerts, name="alerts"),
    path("alerts/save/", views_alerts.search_save, name="search_save"),
    path("alerts/<int:search_id>/alert/", views_alerts.search_alert, name="search_alert"),
    path("alerts/<int:search_id>/delete/", views_alerts.search_delete, name="search_delete"),
    path("alerts/digest/", views_alerts.digest_settings, name="digest"),
    path("digest/unsubscribe/<str:token>/", views_alerts.digest_unsubscribe, name="unsubscribe"),
    # Expressions of interest and their threads.
    path("<int:pk>/interest/", views_interest.interest_express, name="interest_express"),
    path("interests/", views_interest.interest_list, name="interests"),
    path("interests/<int:pk>/", views_interest.interest_thread, name="interest_thread"),
    path("interests/<int:pk>/status/", views_interest.interest_status, name="interest_status"),
    path(
        "interests/<int:pk>/agreement/",
        views_interest.interest_agreement,
        name="interest_agreement",
    ),
    path("interests/t/<str:token>/", views_interest.interest_visitor, name="interest_visitor"),
    # Import and export of profiles (the shared import pages).
    path("export/", views_io.profile_export, name="export"),
    path("import/", import_views.import_upload, io_pages, name="import"),
    path("import/<str:token>/", import_views.import_preview, io_pages, name="import_preview"),
    path(
        "import/<str:token>/confirm/", import_views.import_confirm, io_pages, name="import_confirm"
    ),
    path("import/<str:token>/cancel/", import_views.import_cancel, io_pages, name="import_cancel"),
]
