"""A member meets today's date and the error pages: closed calls are hidden until asked for, a
closed call's page says so and offers no consortium, and a wrong address gets a page in the
site's layout and in Polish, with the way back."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klaster.calls.models import Call
from klaster.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_closed_call_is_hidden_then_shown_without_a_start_button_and_404_is_styled(
    live_server, page, editor_a
):
    today = timezone.localdate()
    closed = Call.objects.create(identifier="OLD-1", title="Nabór zamknięty wczoraj",
                                 deadline=today - datetime.timedelta(days=1))  # fmt: skip
    Call.objects.create(identifier="NEW-1", title="Nabór otwarty",
                        deadline=today + datetime.timedelta(days=30))  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(editor_a.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # The list shows open calls only, until Anna asks for the closed ones too.
    page.get_by_test_id("nav-calls").click()
    table = page.get_by_test_id("call-table")
    expect(table).to_contain_text("Nabór otwarty")
    expect(table).not_to_contain_text("Nabór zamknięty wczoraj")
    page.locator("#id_show_closed").check()
    expect(table.get_by_test_id("call-closed")).to_have_text("zamknięty")
    expect(page.get_by_test_id("call-table")).to_contain_text("Nabór zamknięty wczoraj")

    # The closed call's page says so, and offers no consortium to start.
    page.get_by_role("link", name="Nabór zamknięty wczoraj").click()
    page.wait_for_url(f"**/calls/{closed.pk}/")
    expect(page.get_by_test_id("call-closed")).to_contain_text("Ten nabór zamknięto")
    expect(page.get_by_test_id("start-consortium")).to_have_count(0)

    # A wrong address: the site's own page, in Polish, still signed in, with a way home.
    page.goto(f"{live_server.url}/no-such-page/")
    error = page.get_by_test_id("error-page")
    expect(error.get_by_role("heading")).to_have_text("Nie znaleziono strony")
    expect(page.locator("header")).to_contain_text(editor_a.username)
    error.get_by_role("button", name="Przejdź na stronę główną").click()
    page.wait_for_url(f"{live_server.url}/")
