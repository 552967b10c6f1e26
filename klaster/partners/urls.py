from django.urls import path

from klaster.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.find_partners, name="find"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("coordinators/", views.coordinator_suggestions, name="coordinators"),
]
