"""Factories for events, registrations and meeting requests."""

import datetime
import secrets

import factory
from django.utils import timezone

from klaster.events.models import Event, MeetingRequest, Registration

NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.BROKERAGE
    title = factory.Sequence(lambda n: f"Dzień kooperacji B2B {n}")
    description_pl = "Spotkania B2B firm z sektora energii i kosmosu."
    description_en = "B2B meetings of energy and space companies."
    place = "Warszawa, Pałac Kultury"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=8))
    b2b_starts_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1))
    is_published = True
    has_b2b = True
    slot_minutes = 20
    slot_count = 4
    table_count = 2
    request_expiry_hours = 72


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Uczestnik {n}")
    email = factory.Sequence(lambda n: f"uczestnik{n}@example.org")
    organisation_name = factory.Sequence(lambda n: f"Firma {n}")
    country = "PL"
    offers = "oprogramowanie do magazynowania energii"
    looking_for = "producent baterii"
    status = Registration.Status.CONFIRMED
    code = factory.Sequence(lambda n: f"T{n:05d}")
    access_token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class MeetingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRequest

    sender = factory.SubFactory(RegistrationFactory)
    recipient = factory.SubFactory(
        RegistrationFactory, event=factory.SelfAttribute("..sender.event")
    )
    event = factory.SelfAttribute("sender.event")
    message = "Porozmawiajmy o współpracy."
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda r: r.created_at + datetime.timedelta(hours=72))
