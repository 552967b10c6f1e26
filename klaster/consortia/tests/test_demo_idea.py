"""The demo's consortium idea is dated by a call still open, whatever day the demo is loaded."""

import datetime

from klaster.calls.models import Call
from klaster.consortia.demo import build_demo_idea
from klaster.consortia.models import ProjectIdea
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
