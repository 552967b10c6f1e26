from django.urls import path

from klaster.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.events_feed, name="feed"),
    path("new/", views.event_create, name="create"),
    path("r/<str:token>/", views.registration_link, name="registration_link"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/event.ics", views.event_ics, name="ics"),
    path("<int:event_id>/register/", views.event_register, name="register"),
    path("<int:event_id>/me/", views.event_me, name="me"),
    path("<int:event_id>/cancel/", views.registration_cancel, name="cancel"),
    path("<int:event_id>/participants/", views.catalogue, name="catalogue"),
    path("<int:event_id>/requests/", views.my_requests, name="requests"),
    path("<int:event_id>/requests/send/", views.request_send, name="request_send"),
    path(
        "<int:event_id>/requests/<int:request_id>/respond/",
        views.request_respond,
        name="request_respond",
    ),
    path("<int:event_id>/availability/", views.availability, name="availability"),
    path("<int:event_id>/agenda/", views.agenda, name="agenda"),
    path("<int:event_id>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path("<int:event_id>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/publish/", views.event_publish, name="publish"),
    path("<int:event_id>/manage/", views.manage, name="manage"),
    path("<int:event_id>/check-in/", views.check_in, name="check_in"),
    path("<int:event_id>/export.<str:fmt>", views.export_participants, name="export"),
    path("<int:event_id>/schedule/", views.schedule, name="schedule"),
    path("<int:event_id>/announce/", views.announce, name="announce"),
    path("<int:event_id>/meetings/add/", views.meeting_add, name="meeting_add"),
    path("<int:event_id>/table-plan/", views.table_plan, name="table_plan"),
]
