"""Explanations that hold up: no scheme-fit reason without a scheme, and every text score comes
with the projects behind it."""

from dataclasses import replace

import numpy as np
import pytest

from klaster.core.partners.explanations import (
    SCHEME_FIT_SIGNAL,
    explain,
    nearest_projects,
    signal_contributions,
)
from klaster.core.partners.index import PartnerIndex
from klaster.core.partners.ranker import PartnerRecommender, fit_ranker
from klaster.core.tests.test_partners import SMALL_SETTINGS, SOLAR_IDEA, synthetic_history


@pytest.fixture(scope="module")
def recommender():
    history = synthetic_history()
    index = PartnerIndex.build(history, dense_dimensions=16)
    return PartnerRecommender(index, fit_ranker(history, SMALL_SETTINGS))


def test_without_a_scheme_the_scheme_fit_is_no_reason_even_when_it_weighs_most():
    parts = [("activity_type", 2.0), ("scheme_family", 1.0), ("text_full", 0.5)]
    assert signal_contributions(parts, scheme_chosen=True) == (
        (SCHEME_FIT_SIGNAL, 3.0),
        ("text", 0.5),
    )
    assert signal_contributions(parts, scheme_chosen=False) == (("text", 0.5),)


def test_signals_are_summed_per_kind_and_ordered_by_effect_either_way():
    parts = [("votes", 0.25), ("text_short", 0.25), ("partners", -0.75), ("recent_projects", 0.1)]
    assert signal_contributions(parts, scheme_chosen=False) == (
        ("collaboration", -0.75),
        ("text", 0.5),
        ("recency", 0.1),
    )


def test_nearest_projects_put_shared_words_first_then_meaning_and_leave_out_the_unrelated():
    term = np.array([0.0, 0.3, 0.0, 0.1, 0.0])
    dense = np.array([0.2, 0.0, 0.0, 0.4, 0.5])
    assert nearest_projects(np.arange(5), term, dense, 10) == [1, 3, 4, 0]
    assert nearest_projects(np.arange(5), term, dense, 2) == [1, 3]
    assert nearest_projects(np.array([2]), term, dense, 3) == []


def test_an_idea_without_a_scheme_never_gets_the_scheme_fit_as_a_reason(recommender):
    idea = replace(SOLAR_IDEA, funding_scheme="")
    explanations = explain(recommender, idea, recommender.rank(idea, 15))
    assert explanations
    for explanation in explanations:
        assert SCHEME_FIT_SIGNAL not in dict(explanation.signal_contributions)
        assert SCHEME_FIT_SIGNAL not in explanation.summary()


def test_with_a_scheme_the_scheme_fit_is_told_as_the_model_weighs_it(recommender):
    explanations = explain(recommender, SOLAR_IDEA, recommender.rank(SOLAR_IDEA, 15))
    assert any(SCHEME_FIT_SIGNAL in dict(e.signal_contributions) for e in explanations)


@pytest.mark.parametrize("scheme", ["HORIZON-RIA", ""])
def test_a_positive_text_score_always_comes_with_the_projects_behind_it(recommender, scheme):
    index = recommender.index
    idea = replace(SOLAR_IDEA, funding_scheme=scheme, coordinator="")
    explanations = explain(recommender, idea, recommender.rank(idea, 40))
    backed = [e for e in explanations if dict(e.signal_contributions).get("text", 0) > 0]
    assert backed  # the check cannot pass on nothing
    for explanation in backed:
        assert explanation.past_projects
        position = index.position[explanation.organisation_id]
        own = {index.text_projects[j].id for j in index.organisation_projects[position].indices}
        assert {p.project_id for p in explanation.past_projects} <= own
        for project in explanation.past_projects:
            assert project.title and project.start_year
        similarities = [p.similarity for p in explanation.past_projects]
        assert all(s > 0 for s in similarities)
