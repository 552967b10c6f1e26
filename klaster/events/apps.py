from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "klaster.events"
    label = "events"

    def ready(self):
        from klaster.events import erasure
        from klaster.members.signals import person_contact_removed

        person_contact_removed.connect(
            erasure.contact_registrations_anonymise, dispatch_uid="events-contact-removed"
        )
