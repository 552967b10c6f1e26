from django.apps import AppConfig


class TrackrecordConfig(AppConfig):
    name = "klaster.trackrecord"
    label = "trackrecord"
