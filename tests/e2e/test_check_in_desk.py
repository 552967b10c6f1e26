"""The check-in desk under the Content-Security-Policy: after each code the form is empty and
the cursor back in it (a site script, no inline handler), and the table plan prints."""

import pytest
from playwright.sync_api import expect

from klaster.conftest import PASSWORD
from klaster.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_check_in_one_code_after_another(page, live_server, coordinator):
    event = EventFactory()
    RegistrationFactory(event=event, code="ABC234")
    RegistrationFactory(event=event, code="XYZ789")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(coordinator.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/events/{event.pk}/check-in/")
    code = page.get_by_test_id("check-in-code")
    for typed in ("ABC234", "XYZ789"):
        code.fill(typed)
        page.get_by_test_id("check-in-submit").click()
        page.get_by_test_id("check-in-ok").wait_for()
        # expect() polls from Playwright's side: a string predicate would need eval, which
        # the page's policy forbids.
        expect(code).to_have_value("")
        assert page.evaluate("document.activeElement.name") == "code"

    page.goto(f"{live_server.url}/events/{event.pk}/table-plan/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.locator("button[data-print]").click()
    assert page.evaluate("window.printed") is True
