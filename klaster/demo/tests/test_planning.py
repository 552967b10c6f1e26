"""The demo's planning is pure: the same seed and day give the same choices, without a
database; its examples run."""

import datetime
import doctest

from klaster.demo import planning
from klaster.demo.planning import Candidate, plan_brokerage_day, plan_cooperation

TODAY = datetime.date(2026, 5, 15)
NOW = datetime.datetime(2026, 5, 15, 12, tzinfo=datetime.UTC)


def test_the_examples_of_the_planning_hold():
    outcome = doctest.testmod(planning, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted > 5
    assert outcome.failed == 0


def _candidates(first: int, count: int) -> list[Candidate]:
    sectors = (("energy",), ("ict",), ("space", "ecology"), ())
    return [
        Candidate(i, f"oferta {i} magazyny energii analiza danych", sectors[i % len(sectors)])
        for i in range(first, first + count)
    ]


def test_a_brokerage_day_holds_the_editors_first_and_never_asks_one_pair_twice():
    editors, pool = _candidates(1, 2), _candidates(10, 80)

    plan = plan_brokerage_day(seed=3, today=TODAY, now=NOW, editors=editors, pool=pool)

    ids = [p.organisation_id for p in plan.participants]
    assert ids[:2] == [1, 2] and len(ids) == planning.BROKERAGE_PARTICIPANTS == len(set(ids))
    pairs = [frozenset((r.sender, r.recipient)) for r in plan.requests]
    assert len(pairs) == len(set(pairs)) and all(len(pair) == 2 for pair in pairs)
    assert {r.status for r in plan.requests} >= {"accepted", "declined", "pending"}
    assert all(r.sent < NOW and (r.responded is None) == (r.status == "pending")
               for r in plan.requests)  # fmt: skip
    assert plan.day.weekday() < 5 and plan.day >= TODAY + datetime.timedelta(days=21)


def test_the_same_seed_plans_the_same_day_and_another_seed_another():
    def plan(seed):
        return plan_brokerage_day(
            seed=seed, today=TODAY, now=NOW, editors=_candidates(1, 2), pool=_candidates(10, 80)
        )

    assert plan(3) == plan(3)
    assert plan(3).participants != plan(4).participants


def test_cooperation_goes_from_smes_to_science_every_third_entry():
    members = [(1, "university", False), (2, "research_institute", False)] + [
        (pk, "enterprise", pk % 2 == 0) for pk in range(3, 30)
    ]
    entries, _projects = plan_cooperation(
        seed=5, today=TODAY, members=members, kinds=["meeting", "agreement"],
        introduction="introduction", projects=(), existing_projects=set(),
    )  # fmt: skip

    smes = {pk for pk, _kind, sme in members if sme}
    assert len(entries) == 2 * len(members)
    assert all(e.organisation_a in smes and e.organisation_b in {1, 2} for e in entries[::3])
    assert all(TODAY - datetime.timedelta(days=3 * 365) <= e.date <= TODAY for e in entries)
    assert all(e.organisation_a != e.organisation_b for e in entries)
