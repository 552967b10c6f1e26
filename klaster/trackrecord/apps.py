from django.apps import AppConfig


class TrackrecordConfig(AppConfig):
    name = "klaster.trackrecord"
    label = "trackrecord"

    def ready(self):
        from klaster.members.profile import ProfileSection, profile_section_add
        from klaster.trackrecord import signals, views

        signals.connect()
        profile_section_add(
            ProfileSection("trackrecord/partials/track_record.html", views.profile_track_record)
        )
