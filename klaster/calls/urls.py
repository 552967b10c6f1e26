from django.urls import path

from klaster.calls import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("deadlines.ics", views.calls_feed, name="feed"),
    path("<int:call_id>/", views.call_detail, name="detail"),
]
