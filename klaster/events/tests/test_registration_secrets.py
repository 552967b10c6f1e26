"""A registration's private link and code belong to one person: re-registering an e-mail
address never hands over someone else's registration, and no page says who registered."""

import pytest
from django.core import mail

from klaster.events import services
from klaster.events.models import MeetingRequest, Registration
from klaster.events.tests.factories import EventFactory, MeetingRequestFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

GUEST = {
    "name": "Jan Nowak",
    "email": "jan@example.de",
    "organisation_name": "Nowak GmbH",
    "country": "DE",
}


def _register(client, event, **data):
    return client.post(f"/events/{event.pk}/register/", {**GUEST, **data})


def test_re_registering_a_cancelled_address_opens_nothing_of_the_old_registration(client):
    event = EventFactory(has_b2b=True)
    old = RegistrationFactory(
        event=event, email="jan@example.de", name="Jan Nowak", offers="Tajna oferta Jana"
    )
    partner = RegistrationFactory(event=event)
    MeetingRequestFactory(sender=partner, recipient=old, message="Wiadomość tylko dla Jana")
    services.registration_cancel(registration=old)

    response = _register(client, event, name="Ktoś Inny", organisation_name="Inna firma")

    assert response.status_code == 302
    new = Registration.objects.get(event=event, name="Ktoś Inny")
    assert new.pk != old.pk
    assert new.access_token != old.access_token and new.code != old.code
    page = client.get(f"/events/{event.pk}/me/").content.decode()
    assert new.code in page and "Tajna oferta Jana" not in page and old.code not in page
    requests_page = client.get(f"/events/{event.pk}/requests/").content.decode()
    assert "Wiadomość tylko dla Jana" not in requests_page
    assert not MeetingRequest.objects.filter(recipient=new).exists()


def test_the_private_link_of_a_cancelled_registration_stays_dead(client):
    event = EventFactory()
    old = RegistrationFactory(event=event, email="jan@example.de")
    services.registration_cancel(registration=old)
    _register(client, event)

    stranger = client.__class__()
    assert stranger.get(f"/events/r/{old.access_token}/").status_code == 404
    assert stranger.get(f"/events/{event.pk}/me/").status_code == 302  # to the public page


def test_registering_an_address_already_registered_reveals_nobody_and_mails_its_owner(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Dzień B2B Energia")
    owner = RegistrationFactory(
        event=event, email="jan@example.de", name="Jan Nowak", organisation_name="Nowak GmbH"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = _register(
            client, event, email="JAN@example.de", name="Intruz", organisation_name="X"
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Jan Nowak" not in page and "Nowak GmbH" not in page
    assert owner.code not in page and owner.access_token not in page
    assert "Masz już zgłoszenie" not in page  # the old message confirmed the address was in
    assert Registration.objects.filter(event=event).count() == 1
    assert [m.to for m in mail.outbox] == [["jan@example.de"]]
    assert f"/events/r/{owner.access_token}/" in mail.outbox[0].body
    assert client.get(f"/events/{event.pk}/me/").status_code == 302


def test_typing_a_registered_address_again_and_again_sends_only_a_few_reminders(client):
    event = EventFactory()
    RegistrationFactory(event=event, email="jan@example.de")
    pages = [
        _register(client, event).content.decode() for _ in range(services.REMINDERS_PER_DAY + 2)
    ]
    assert len(mail.outbox) == services.REMINDERS_PER_DAY
    assert all("wysłaliśmy na niego link" in page for page in pages)
