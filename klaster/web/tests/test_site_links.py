"""Links in e-mails and iCal feeds start from SITE_URL; unset, from the port the server was
started on, so a demo on port 8100 does not send links to 8000."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from klaster.calls.models import Call
from klaster.calls.services import calls_remind
from klaster.web.env import default_site_url, served_site_url

DEMO = "http://demo.example:8100"


def test_site_url_follows_the_port_when_it_is_not_set():
    assert default_site_url({}) == "http://127.0.0.1:8000"
    assert default_site_url({"PORT": "8100"}) == "http://127.0.0.1:8100"
    assert default_site_url({"PORT": "8100", "SITE_URL": "https://klaster.example"}) == (
        "https://klaster.example"
    )


def test_a_server_on_every_address_is_reached_on_the_loopback():
    assert served_site_url("0.0.0.0", 8100) == "http://127.0.0.1:8100"
    assert served_site_url("::1", 8100) == "http://[::1]:8100"
    assert served_site_url("klaster.local", 80) == "http://klaster.local:80"


@pytest.mark.django_db
def test_reminder_e_mail_links_to_the_site_url(settings, editor_a):
    settings.SITE_URL = DEMO + "/"  # a trailing slash does not double
    today = datetime.date(2026, 9, 1)
    call = Call.objects.create(identifier="SOON", title="Closing soon", deadline=today)

    calls_remind(today=today)

    assert f"{DEMO}/calls/{call.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_ical_feed_links_to_the_site_url_not_the_host_asked(settings, client):
    settings.SITE_URL = DEMO
    call = Call.objects.create(identifier="A", title="Solar", deadline=datetime.date(2026, 9, 1))

    text = client.get(reverse("calls:feed")).content.decode()

    assert f"URL:{DEMO}/calls/{call.pk}/" in text
