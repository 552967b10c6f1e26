"""Staff open the network map, find a member, and click it to open its profile."""

from pathlib import Path

import pytest
from django.test import Client

from klaster.members.tests.factories import MembershipFactory, OrganisationFactory
from klaster.trackrecord import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TINY = Path(__file__).resolve().parents[2] / "klaster" / "trackrecord" / "tests" / "cordis_tiny"


def test_staff_open_the_map_find_a_member_and_click_it(live_server, page, coordinator):
    services.cordis_import(cordis_path=TINY)
    university = OrganisationFactory(
        name="Politechnika Testowa", kind="university", enterprise_size="", pic="999000001"
    )
    MembershipFactory(organisation=university)
    services.organisations_link()

    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/")
    page.locator("a[href='/trackrecord/network/']").click()
    page.wait_for_selector("#network-map[data-rendered='true']")
    # The cluster's figures follow once the map is drawn.
    page.wait_for_selector("#network-summary .stat-grid")

    # Search by keyboard, then click the node on the canvas where Cytoscape drew it.
    page.locator("#network-map-query").fill("Politechnika")
    page.locator("#network-map-query").press("Enter")
    page.wait_for_timeout(500)
    # The canvas must be on screen for a mouse click to reach it, whatever sits above it.
    page.locator("#network-map").scroll_into_view_if_needed()
    box = page.locator("#network-map").bounding_box()
    point = page.evaluate(
        """() => { const cy = window.klasterNetworks["network-map"];
                   const node = cy.nodes().filter(n => n.data("member"))[0];
                   const p = node.renderedPosition(); return {x: p.x, y: p.y}; }"""
    )
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url(f"**/members/{university.pk}/")
    assert "GRIDTWIN" in page.content()
