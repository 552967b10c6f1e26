"""Consortium selection with CP-SAT: small cases checked by hand, and invariants by hypothesis."""

from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaster.core.consortium.rules import check, load_rule_set
from klaster.core.consortium.selection import (
    Candidate,
    Preferences,
    SelectionError,
    propose_consortium,
)


def words(messages) -> tuple[str, ...]:
    return tuple(map(str, messages))


LEAD = Candidate("lead", name="Warsaw University", country="PL", activity_type="HES")


def ids(proposal) -> list[str]:
    return [p.candidate.organisation_id for p in proposal.partners]


def test_coordinator_comes_first_and_best_fits_fill_the_rest_when_rules_allow():
    pool = [
        Candidate("de1", country="DE", activity_type="PRC", fit=0.9),
        Candidate("fr1", country="FR", activity_type="REC", fit=0.8),
        Candidate("it1", country="IT", activity_type="PRC", fit=0.1),
    ]
    proposal = propose_consortium(LEAD, pool, load_rule_set("horizon-ria"), Preferences(size=3))
    assert ids(proposal) == ["lead", "de1", "fr1"]
    assert proposal.eligible and proposal.missing == ()
    assert proposal.partners[0].role == "coordinator"
    assert "coordinator of the idea" in words(proposal.partners[0].reasons)


def test_rules_beat_fit_a_weaker_partner_from_a_third_country_is_chosen():
    pool = [
        Candidate("de1", country="DE", fit=0.95),
        Candidate("de2", country="DE", fit=0.9),
        Candidate("pl2", country="PL", fit=0.85),
        Candidate("fr1", country="FR", fit=0.05),
    ]
    proposal = propose_consortium(LEAD, pool, load_rule_set("horizon-ria"), Preferences(size=3))
    assert set(ids(proposal)) == {"lead", "de1", "fr1"}
    assert proposal.eligible
    french = next(p for p in proposal.partners if p.candidate.organisation_id == "fr1")
    assert "the only partner from FR: adds a country" in words(french.reasons)


def test_when_no_choice_meets_the_rules_the_best_comes_back_with_what_it_lacks():
    pool = [Candidate("pl2", country="PL", fit=0.9), Candidate("pl3", country="PL", fit=0.8)]
    proposal = propose_consortium(LEAD, pool, load_rule_set("horizon-ria"), Preferences(size=3))
    assert ids(proposal) == ["lead", "pl2", "pl3"]
    assert not proposal.eligible
    assert words(proposal.missing) == (
        "legal entities from at least 3 different EU Member States or Horizon Europe "
        "Associated Countries (has 1: PL)",
    )


def test_erc_keeps_only_the_host_whatever_the_size():
    pool = [Candidate("de1", country="DE", fit=0.9)]
    proposal = propose_consortium(LEAD, pool, load_rule_set("erc"), Preferences(size=4))
    assert ids(proposal) == ["lead"]
    assert proposal.eligible
    assert proposal.notes and "single host" in str(proposal.notes[0])


def test_polish_consortium_brings_in_an_enterprise():
    pool = [
        Candidate("pl-uni", country="PL", activity_type="HES", fit=0.9),
        Candidate("pl-sme", country="PL", activity_type="PRC", sme=True, fit=0.2),
        Candidate("de-co", country="DE", activity_type="PRC", fit=0.99),
    ]
    proposal = propose_consortium(
        LEAD, pool, load_rule_set("pl-rd-consortium"), Preferences(size=2)
    )
    assert ids(proposal) == ["lead", "pl-sme"]
    assert "counts as the enterprise the rules ask for" in words(proposal.partners[1].reasons)


def test_preferences_sme_member_country_cap_and_roles_shape_the_choice():
    pool = [
        Candidate("de1", country="DE", activity_type="PRC", fit=0.9),
        Candidate("de2", country="DE", activity_type="REC", fit=0.85),
        Candidate("fr-sme", country="FR", activity_type="PRC", sme=True, fit=0.3),
        Candidate("pl-member", country="PL", activity_type="PRC", fit=0.3, cluster_member=True),
        Candidate("es1", country="ES", activity_type="PUB", fit=0.2, roles=frozenset({"end user"})),
    ]
    preferences = Preferences(
        size=4, max_per_country=1, include_sme=True, required_roles=("end user",)
    )
    proposal = propose_consortium(LEAD, pool, load_rule_set("horizon-ia"), preferences)
    chosen = set(ids(proposal))
    # One per country keeps the member from Poland (the coordinator's country) out and one
    # German: de2, the research organisation, since the consortium has companies already.
    assert chosen == {"lead", "de2", "fr-sme", "es1"}
    assert proposal.eligible
    end_user = next(p for p in proposal.partners if p.candidate.organisation_id == "es1")
    assert end_user.role == "end user"
    assert "covers the required role: end user" in words(end_user.reasons)


def test_unmet_preferences_are_listed_apart_from_the_rules():
    pool = [Candidate("de1", country="DE", fit=0.9), Candidate("fr1", country="FR", fit=0.8)]
    preferences = Preferences(size=3, include_sme=True, required_roles=("investor",))
    proposal = propose_consortium(LEAD, pool, load_rule_set("horizon-ria"), preferences)
    assert proposal.eligible
    assert words(proposal.missing) == (
        "preference not met: include an SME (no SME among the candidates fits)",
        "required role not covered: investor",
    )


def test_past_collaboration_is_a_reason_and_tips_a_close_call():
    pool = [
        Candidate("de1", country="DE", fit=0.50),
        Candidate("de2", country="DE", fit=0.55),
        Candidate("fr1", country="FR", fit=0.9),
    ]
    trusted = [*pool[:1], Candidate("de1b", country="DE", fit=0.5, projects_with_coordinator=2)]
    proposal = propose_consortium(
        LEAD, [*trusted, pool[1], pool[2]], load_rule_set("horizon-ria"), Preferences(size=3)
    )
    assert set(ids(proposal)) == {"lead", "de1b", "fr1"}
    partner = next(p for p in proposal.partners if p.candidate.organisation_id == "de1b")
    assert "2 past project(s) with the coordinator" in words(partner.reasons)


def test_contradictory_requests_are_refused_in_words():
    pool = [Candidate("de1", country="DE")]
    rules = load_rule_set("horizon-csa")
    with pytest.raises(SelectionError, match="pinned and excluded at once: de1"):
        propose_consortium(
            LEAD,
            pool,
            rules,
            Preferences(size=2, pinned=frozenset({"de1"}), excluded=frozenset({"de1"})),
        )
    with pytest.raises(SelectionError, match="not among the candidates: xx"):
        propose_consortium(LEAD, pool, rules, Preferences(size=2, pinned=frozenset({"xx"})))
    with pytest.raises(SelectionError, match="coordinator cannot be excluded"):
        propose_consortium(LEAD, pool, rules, Preferences(size=2, excluded=frozenset({"lead"})))


def test_same_input_same_consortium():
    pool = [
        Candidate(f"c{i}", country=c, fit=0.5)
        for i, c in enumerate(["DE", "FR", "IT", "ES", "DE", "FR"])
    ]
    rules = load_rule_set("horizon-ria")
    first = propose_consortium(LEAD, pool, rules, Preferences(size=4), seed=3)
    assert all(
        ids(propose_consortium(LEAD, pool, rules, Preferences(size=4), seed=3)) == ids(first)
        for _ in range(3)
    )


# Invariants on random small instances.
COUNTRIES = ["PL", "DE", "FR", "NO", "US"]
TYPES = ["PRC", "HES", "REC", "PUB", "OTH"]
RULE_SETS = ["horizon-ria", "horizon-csa", "erc", "msca-dn", "pl-rd-consortium", "digital-europe"]

candidate = st.builds(
    lambda country, kind, sme, fit, trust, member: (country, kind, sme, fit, trust, member),
    st.sampled_from(COUNTRIES),
    st.sampled_from(TYPES),
    st.booleans(),
    st.floats(0, 1),
    st.integers(0, 3),
    st.booleans(),
)


@st.composite
def instances(draw):
    specs = draw(st.lists(candidate, min_size=0, max_size=7))
    pool = [
        Candidate(
            f"o{i}",
            country=c,
            activity_type=k,
            sme=s,
            fit=f,
            projects_with_coordinator=t,
            cluster_member=m,
        )  # fmt: skip
        for i, (c, k, s, f, t, m) in enumerate(specs)
    ]
    lead = Candidate("lead", country=draw(st.sampled_from(COUNTRIES)), activity_type="REC")
    names = [c.organisation_id for c in pool]
    pinned = set(draw(st.lists(st.sampled_from(names), max_size=3))) if names else set()
    rest = [n for n in names if n not in pinned]
    excluded = set(draw(st.lists(st.sampled_from(rest), max_size=3))) if rest else set()
    preferences = Preferences(
        size=draw(st.integers(1, 6)),
        pinned=frozenset(pinned),
        excluded=frozenset(excluded),
        max_per_country=draw(st.none() | st.integers(1, 3)),
        include_sme=draw(st.booleans()),
    )
    return lead, pool, load_rule_set(draw(st.sampled_from(RULE_SETS))), preferences


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_pinned_always_in_excluded_never_in_and_rules_met_whenever_possible(instance):
    lead, pool, rules, preferences = instance
    proposal = propose_consortium(lead, pool, rules, preferences, seed=0)
    chosen = ids(proposal)
    assert chosen[0] == "lead"
    assert len(chosen) == len(set(chosen))
    assert preferences.pinned <= set(chosen)
    assert not preferences.excluded & set(chosen)
    assert (
        proposal.eligible
        == check(rules, [p.candidate.entity() for p in proposal.partners]).eligible
    )
    # Brute force: is there any consortium of the same size, with the pins, without the
    # exclusions, that meets the rules? Then the proposal must meet them too.
    free = [c for c in pool if c.organisation_id not in preferences.pinned | preferences.excluded]
    fixed = [lead] + [c for c in pool if c.organisation_id in preferences.pinned]
    extra = len(chosen) - len(fixed)
    feasible = extra >= 0 and any(
        check(rules, [c.entity() for c in fixed + list(more)]).eligible
        for more in combinations(free, extra)
    )
    if feasible:
        assert proposal.eligible, proposal.missing
    for partner in proposal.partners:
        assert partner.reasons
