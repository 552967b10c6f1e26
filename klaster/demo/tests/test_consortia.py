"""The demo of the consortium builder: partner clusters abroad once, and an idea dated by a call
still open, whatever day the demo is loaded."""

import datetime

from klaster.calls.models import Call
from klaster.consortia.models import PartnerCluster, PartnerOrganisation, ProjectIdea
from klaster.demo.consortia import build_demo_idea, build_demo_partner_clusters
from klaster.members.tests.factories import MembershipFactory


def test_demo_idea_starts_from_a_call_still_open(editor_a):
    MembershipFactory(organisation=editor_a.organisation)
    today = datetime.date(2026, 12, 4)
    Call.objects.create(identifier="HORIZON-CL4-2026-01", title="Closed in spring",
                        action_type="RIA", deadline=datetime.date(2026, 3, 10))  # fmt: skip
    still_open = Call.objects.create(identifier="HORIZON-CL4-2027-01", title="Open in 2027",
                                     action_type="RIA", deadline=datetime.date(2027, 3, 18))  # fmt: skip

    assert build_demo_idea(editor_username=editor_a.username, today=today) == 1

    assert ProjectIdea.objects.get().call == still_open


def test_demo_partner_clusters_cover_the_three_partnerships_once(db):
    first = build_demo_partner_clusters()
    again = build_demo_partner_clusters()
    assert first[0] == 5 and again == (0, 0)
    assert set(PartnerCluster.objects.values_list("partnership", flat=True)) == set(
        PartnerCluster.Partnership.values
    )
    assert all(c.name.startswith("Demo:") and c.is_demo for c in PartnerCluster.objects.all())
    assert PartnerOrganisation.objects.count() == first[1] > 0
