from django.urls import path

from klaster.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # The GDPR pages reach into every app, so they live here, at their old addresses.
    path("accounts/me/data.json", views.account_data, name="account_data"),
    path("accounts/me/delete/", views.account_delete, name="account_delete"),
    path(
        "members/<int:organisation_id>/people/<int:person_id>/data.json",
        views.person_data_download,
        name="person_data",
    ),
    path(
        "members/<int:organisation_id>/people/<int:person_id>/erase/",
        views.person_erase,
        name="person_erase",
    ),
]
