"""On "find partners", typing a few letters of a coordinator offers CORDIS organisations by
name; the one picked goes into the search as its PIC."""

import pytest
from django.test import Client

from klaster.partners.tests.trackrecord_rows import make_track_record, pic_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_is_picked_by_name(live_server, page, coordinator):
    make_track_record(months=6)
    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/partners/")
    field = page.get_by_label("Koordynator (nazwa lub PIC)")
    field.press_sequentially("Cyber Org", delay=30)
    options = page.locator("#coordinator-suggestions option")
    options.first.wait_for(state="attached")
    assert options.count() == 6
    labels = [options.nth(i).inner_text() for i in range(options.count())]
    assert all(label.startswith("Cyber Organisation") for label in labels)
    assert "Polska" in labels[0] and "projekt" in labels[0]
    assert options.first.get_attribute("value") == pic_of("cyber", 0)
