"""The layout at the widths people use: the coordinator's navigation in one row at 1280 px, the
public directory on a 390 px phone, drop-downs that show their whole label, a favicon, and a
table plan that prints every table."""

import pytest
from playwright.sync_api import expect

from klaster.events.tests.factories import EventFactory
from klaster.members.services import organisation_refresh_search_document
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in_one_row(page) -> bool:
    """Whether the navigation's top-level items share one row: items of different heights
    (a link, a button, the menu) all cross one horizontal line."""
    boxes = page.locator(".site-header nav > ul > li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect()).map(box => [box.top, box.bottom])"
    )
    return max(top for top, _bottom in boxes) < min(bottom for _top, bottom in boxes)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_coordinator_navigation_fits_one_row_at_1280_px(page, live_server, coordinator, language):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server, coordinator.username)
    if language == "en":
        page.locator(".language-switch button[value=en]").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/members/")

    assert _in_one_row(page)
    # The staff pages wait in one menu, which opens without a script.
    staff = page.get_by_test_id("nav-staff")
    dashboard = staff.locator("a[href='/dashboard/']")
    expect(dashboard).to_be_hidden()
    staff.locator("summary").click()
    expect(dashboard).to_be_visible()
    dashboard.click()
    page.wait_for_url("**/dashboard/")


def test_public_directory_works_on_a_390_px_phone(page, live_server, organisation_a):
    organisation_refresh_search_document(organisation=organisation_a)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/members/")
    expect(page.locator("#directory-results")).to_contain_text(organisation_a.name)

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("searchbox").first.fill(organisation_a.name.split()[0])
    expect(page.locator("#directory-results")).to_contain_text(organisation_a.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_filter_drop_downs_show_their_whole_label(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/members/")
    selects = page.locator(".filters select")
    assert selects.count() >= 3
    # A select whose chosen option is wider than the box cuts it off; Chromium reports the
    # option text's width through a probe element with the select's own font.
    cut = selects.evaluate_all(
        """selects => selects.filter(select => {
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(select).font;
            probe.style.whiteSpace = 'nowrap';
            probe.style.position = 'absolute';
            document.body.appendChild(probe);
            const widest = Math.max(...[...select.options].map(option => {
                probe.textContent = option.textContent;
                return probe.getBoundingClientRect().width;
            }));
            probe.remove();
            const style = getComputedStyle(select);
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return widest > room + 1;
        }).map(select => select.name)"""
    )
    assert cut == []


def test_favicon_is_linked_and_served(page, live_server):
    page.goto(f"{live_server.url}/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{href}").ok
    assert page.request.get(f"{live_server.url}/favicon.ico").ok


def test_table_plan_prints_every_table(page, live_server, coordinator):
    event = EventFactory(table_count=14)
    sign_in(page, live_server, coordinator.username)
    page.goto(f"{live_server.url}/events/{event.pk}/table-plan/")
    page.emulate_media(media="print")
    printed = page.get_by_test_id("table-plan-print").locator("thead th[scope=col]")
    # Every table's column is on paper (besides each part's "time" column), none cut off.
    headings = [text for text in printed.all_inner_texts() if any(c.isdigit() for c in text)]
    assert len(headings) == 14
    width = page.evaluate("document.documentElement.clientWidth")
    for part in page.locator(".table-plan-part").all():
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    expect(page.get_by_test_id("table-plan")).to_be_hidden()
