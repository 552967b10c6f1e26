"""The coordinator's fee list comes in pages of 50."""

import datetime

from klaster.members.models import FeePayment
from klaster.members.tests.factories import MembershipFactory


def test_fee_list_comes_in_pages_that_keep_the_year_and_state(coordinator, client_for):
    for n in range(55):
        membership = MembershipFactory(organisation__name=f"Dłużnik {n:02d}")
        FeePayment.objects.create(
            membership=membership, year=2025, amount=1000, due_on=datetime.date(2025, 3, 31)
        )
    client = client_for(coordinator)

    first = client.get("/members/fees/", {"year": 2025, "state": "overdue"}).content.decode()
    second = client.get(
        "/members/fees/", {"year": 2025, "state": "overdue", "page": 2}
    ).content.decode()

    assert first.count("Dłużnik ") == 50 and second.count("Dłużnik ") == 5
    assert "?year=2025&amp;state=overdue&amp;page=2" in first
