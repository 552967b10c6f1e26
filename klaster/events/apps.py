from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "klaster.events"
    label = "events"
