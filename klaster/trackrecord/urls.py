from django.urls import path

from klaster.trackrecord import views

app_name = "trackrecord"
urlpatterns = [
    path("network/", views.network_map, name="network"),
    path("network/summary/", views.network_summary, name="network_summary"),
    path("network.json", views.network_json, name="network_json"),
    path("network.graphml", views.network_graphml, name="network_graphml"),
    path("cooperation/", views.cooperation_list, name="cooperation"),
    path("cooperation/new/", views.cooperation_edit, name="cooperation_new"),
    path("cooperation/<int:cooperation_id>/", views.cooperation_edit, name="cooperation_edit"),
    path(
        "cooperation/<int:cooperation_id>/delete/",
        views.cooperation_delete,
        name="cooperation_delete",
    ),
    path(
        "cooperation/<int:cooperation_id>/confirm/",
        views.cooperation_confirm,
        name="cooperation_confirm",
    ),
    path("projects/", views.cluster_projects, name="cluster_projects"),
    path("projects/new/", views.cluster_project_edit, name="cluster_project_new"),
    path("projects/<int:project_id>/", views.cluster_project_detail, name="cluster_project"),
    path(
        "projects/<int:project_id>/edit/",
        views.cluster_project_edit,
        name="cluster_project_edit",
    ),
    path("review/", views.review_queue, name="review"),
    path("review/<int:suggestion_id>/", views.review_decide, name="review_decide"),
    path("import/", views.cordis_import, name="import"),
    path("cordis/<str:pic>/", views.cordis_organisation, name="cordis_organisation"),
    path(
        "cordis-record/<int:record_id>/",
        views.cordis_organisation_by_node,
        name="cordis_organisation_by_node",
    ),
]
