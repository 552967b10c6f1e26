"""The staff's participant list of an event comes in pages of 50."""

import pytest

from klaster.events.tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded_event():
    event = EventFactory()
    for n in range(60):
        RegistrationFactory(event=event, organisation_name=f"Firma {n:02d}")
    return event


def organisations_on(html: str) -> set[str]:
    return {f"Firma {n:02d}" for n in range(60) if f"Firma {n:02d} (" in html}


def test_manage_page_lists_fifty_participants_then_the_rest_on_page_two(
    crowded_event, coordinator, client_for
):
    client = client_for(coordinator)
    url = f"/events/{crowded_event.pk}/manage/"

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert len(organisations_on(first)) == 50 and len(organisations_on(second)) == 10
    assert organisations_on(first) | organisations_on(second) == organisations_on(
        "".join(f"Firma {n:02d} (" for n in range(60))
    )
    assert "?page=2#participants-h" in first
    assert 'data-testid="page-previous"' in second
