from django.apps import AppConfig


class TrackrecordConfig(AppConfig):
    name = "klaster.trackrecord"
    label = "trackrecord"

    def ready(self):
        from klaster.trackrecord import signals

        signals.connect()
