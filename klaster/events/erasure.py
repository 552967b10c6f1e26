"""Erasing people's data from event registrations: used by the GDPR erasure (`klaster.portal.gdpr`)
and when a member organisation removes a contact person (`members.signals.person_contact_removed`,
which the members app sends without knowing about events)."""

from __future__ import annotations

import secrets

from auditlog.context import disable_auditlog
from django.db.models import Q, QuerySet
from django.utils import timezone

from klaster.events.models import MeetingRequest, Registration
from klaster.events.services import registration_cancel

# What stands where erased personal data was.
ERASED = "[erased]"


def registrations_anonymise(registrations: QuerySet, *, now) -> int:
    """Blank the name, e-mail, texts and account of each registration; cancel those of events
    still to come (the seat goes to the waiting list). Returns how many were anonymised."""
    count = 0
    for registration in registrations:
        registration.name = ERASED
        # Unique per event, and in a domain that can never receive mail (RFC 2606).
        registration.email = f"erased-{registration.pk}@erased.invalid"
        registration.offers = registration.looking_for = ""
        registration.user = None
        # An old e-mailed link must not open the registration any more.
        registration.access_token = secrets.token_urlsafe(32)
        registration.save(
            update_fields=["name", "email", "offers", "looking_for", "user", "access_token"]
        )
        if registration.event.starts_at > now and registration.status != "cancelled":
            # The events' own cancellation: the freed seat goes to the waiting list, and the
            # meetings not yet announced are released for the others.
            registration_cancel(registration=registration)
        count += 1
    # What they wrote to others goes; what others wrote to them is the others' data.
    MeetingRequest.objects.filter(sender__in=[r.pk for r in registrations]).update(message="")
    return count


def contact_registrations_anonymise(sender, *, person, email: str, **kwargs) -> None:
    """An organisation's editor removed a contact person: the name and e-mail go from that
    organisation's event registrations too. Accounts are left alone: an editor may not delete
    someone's account by typing their e-mail into a contact."""
    registrations = (
        Registration.objects.filter(email__iexact=email)
        .filter(
            Q(organisation_id=person.organisation_id)
            | Q(organisation_name__iexact=person.organisation.name)
        )
        .select_related("event")
    )
    with disable_auditlog():
        registrations_anonymise(registrations, now=timezone.now())
