"""Ids typed into addresses (?focus=, ?owner=, ?participant=) never cause a server error: a
superscript "²" passes str.isdigit() but not int(), and 20 digits overflow the database."""

import pytest

from klaster.events.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

NOT_IDS = ["²", "12345678901234567890", "-3", "abc"]


@pytest.mark.parametrize("focus", NOT_IDS)
@pytest.mark.parametrize("path", ["/trackrecord/network.json", "/trackrecord/network.graphml"])
def test_network_export_with_a_focus_that_is_no_id_shows_the_whole_network(
    coordinator, client_for, path, focus
):
    assert client_for(coordinator).get(path, {"focus": focus}).status_code == 200


@pytest.mark.parametrize("owner", NOT_IDS)
def test_staff_starting_a_consortium_for_an_owner_that_is_no_id_is_refused(
    coordinator, client_for, owner
):
    response = client_for(coordinator).post("/consortia/new/", {"owner": owner, "title": "x"})

    assert response.status_code == 403


@pytest.mark.parametrize("participant", NOT_IDS)
def test_staff_opening_an_agenda_of_a_participant_that_is_no_id_get_not_found(
    coordinator, client_for, participant
):
    event = EventFactory(slot_count=3, table_count=1)

    response = client_for(coordinator).get(
        f"/events/{event.pk}/agenda/", {"participant": participant}
    )

    assert response.status_code == 404
