"""Keyword rules: labels from terms (Polish and English, inflected) and from identifier codes."""

import pytest

from klaster.core.keyword_rules import KeywordRule, RuleSet, match_rules

RULES = [
    KeywordRule("ict", terms={"en": ("artificial intelligence",), "pl": ("sztuczna inteligencja",)}, codes=("CL4", "Digital Europe")),
    KeywordRule("energy", terms={"en": ("energy", "power grid")}, codes=("CL5",)),
    KeywordRule("space", terms={"en": ("satellite",), "pl": ("satelita",)}),
]  # fmt: skip


def test_a_term_in_the_headline_is_enough():
    assert match_rules(RULES, headline="Satellites for farming") == ("space",)


def test_phrases_match_across_inflection_and_function_words_in_both_languages():
    assert match_rules(RULES, headline="Smart power grids of the future") == ("energy",)
    assert match_rules(RULES, headline="Zastosowania sztucznej inteligencji") == ("ict",)
    assert match_rules(RULES, headline="Obrazy z satelitów") == ("space",)


def test_words_of_a_phrase_apart_do_not_match():
    assert match_rules(RULES, headline="Artificial grass and human intelligence") == ()


def test_codes_match_whole_segments_of_identifiers_and_programme_names():
    assert match_rules(RULES, headline="", codes=["HORIZON-CL5-2026-D3-01"]) == ("energy",)
    assert match_rules(RULES, headline="", codes=["Digital Europe"]) == ("ict",)
    # CL50 is not CL5, and "Europe" alone is not "Digital Europe"
    assert match_rules(RULES, headline="", codes=["X-CL50-1", "Creative Europe"]) == ()


def test_the_body_needs_several_mentions():
    once = "Outreach to schools. Some energy may be saved."
    thrice = "Energy storage. Energy prices. Energy communities."
    assert match_rules(RULES, headline="Schools", body=once) == ()
    assert match_rules(RULES, headline="Schools", body=thrice, min_body_hits=3) == ("energy",)


def test_labels_come_in_rule_order_each_once():
    rules = [*RULES, KeywordRule("energy", terms={"en": ("satellite",)})]
    found = RuleSet(rules).match(headline="Satellite energy", codes=["HORIZON-CL4-1"])
    assert found == ("ict", "energy", "space")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language"):
        RuleSet([KeywordRule("x", terms={"de": ("Energie",)})])
