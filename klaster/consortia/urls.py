from django.urls import path

from klaster.consortia import views

app_name = "consortia"
urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="new"),
    path("new/call/<int:call_id>/", views.idea_create, name="new_for_call"),
    path("notifications/", views.notifications, name="notifications"),
    path("invitations/<int:invitation_id>/answer/", views.invitation_answer, name="answer"),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_by_token, name="invitation_token"),
    path("<int:idea_id>/", views.idea_detail, name="detail"),
    path("<int:idea_id>/edit/", views.idea_edit, name="edit"),
    path("<int:idea_id>/propose/", views.idea_propose, name="propose"),
    path("<int:idea_id>/engine/", views.engine_status, name="engine"),
    path("<int:idea_id>/choice/", views.partner_choice, name="choice"),
    path("<int:idea_id>/invite/", views.invite, name="invite"),
    path("<int:idea_id>/notes/", views.note_add, name="note"),
    path("<int:idea_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:idea_id>/export.pdf", views.export_pdf, name="export_pdf"),
]
