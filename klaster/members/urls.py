from django.urls import include, path

from klaster.members import views

app_name = "members"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:organisation_id>/", views.organisation_detail, name="detail"),
    path("<int:organisation_id>/edit/", views.organisation_edit, name="edit"),
    path("<int:organisation_id>/people/", views.people, name="people"),
    path("<int:organisation_id>/people/<int:person_id>/", views.person_edit, name="person_edit"),
    path(
        "<int:organisation_id>/people/<int:person_id>/delete/",
        views.person_delete,
        name="person_delete",
    ),
    path("history/", views.audit_log, name="audit_log"),
    path("<int:organisation_id>/history/", views.organisation_history, name="history"),
    path("mine/", views.my_organisation, name="my_organisation"),
    path("join/", views.join, name="join"),
    path("candidates/", views.candidates, name="candidates"),
    path(
        "candidates/<int:organisation_id>/decide/",
        views.candidate_decide,
        name="candidate_decide",
    ),
    path("fees/", views.fees, name="fees"),
    path("fees/<int:fee_id>/paid/", views.fee_paid, name="fee_paid"),
    # Import and export of organisations and people (CSV / XLSX): klaster/members/urls_io.py
    path("", include("klaster.members.urls_io")),
]
