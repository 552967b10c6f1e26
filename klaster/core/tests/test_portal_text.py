"""Portal topic texts: double-decoded characters repaired, paragraphs and headings apart."""

import re

from hypothesis import given
from hypothesis import strategies as st

from klaster.core.portal_text import repair_double_decoding, tidy_portal_text


def test_double_decoded_punctuation_and_letters_are_repaired():
    assert repair_double_decoding("solutions â€“ Boosting") == "solutions – Boosting"
    assert repair_double_decoding("beneficiariesâ€™ costs") == "beneficiaries’ costs"
    assert repair_double_decoding("â€œRestrictionsâ€\x9d") == "“Restrictions”"
    assert repair_double_decoding("EUR 5 â‚¬ and cafÃ©") == "EUR 5 € and café"


def test_text_that_was_never_double_decoded_is_left_as_it_is():
    text = "Łódź, Kraków — café, “quotes”, 50 % Â"
    assert repair_double_decoding(text) == text


def test_headings_stand_on_their_own_line_and_paragraphs_come_back():
    text = (
        "Expected Outcome:Projects will show results.Scope:Pilots in two regions."
        "They run for 3 years.Expected Impact:Lower costs."
    )
    assert tidy_portal_text(text).split("\n") == [
        "Expected Outcome:",
        "Projects will show results.",
        "",
        "Scope:",
        "Pilots in two regions.",
        "",
        "They run for 3 years.",
        "",
        "Expected Impact:",
        "Lower costs.",
    ]


def test_numbered_conditions_and_a_leftover_tag_are_laid_out():
    text = '">Conditions1. Admissibility: as in the call document.2. Eligible countries: all.'
    assert tidy_portal_text(text) == (
        "Conditions\n\n1. Admissibility: as in the call document.\n\n2. Eligible countries: all."
    )


def test_a_numbered_heading_glued_to_its_text_stands_on_its_own_line():
    text = (
        "2. Eligible CountriesThe conditions are described in Annex B."
        "1. Admissibility conditions: Proposal page limit and layoutAs described in Annex A."
    )
    assert tidy_portal_text(text).split("\n") == [
        "2. Eligible Countries",
        "The conditions are described in Annex B.",
        "",
        "1. Admissibility conditions: Proposal page limit and layout",
        "As described in Annex A.",
    ]


def test_headings_glued_to_a_paragraph_start_stand_on_their_own_lines():
    text = (
        "SecurityApplications involving classified information must comply."
        "Dr Pascoal Mocumbi PrizeAward criteriaThis prize goes to one person."
    )
    assert tidy_portal_text(text).split("\n") == [
        "Security",
        "Applications involving classified information must comply.",
        "",
        "Dr Pascoal Mocumbi Prize",
        "Award criteria",
        "This prize goes to one person.",
    ]


def test_a_heading_glued_twice_the_same_way_is_split_both_times():
    text = "1. For 1st stage callsProposal template A.2. For 2nd stage callsProposal template B."
    assert tidy_portal_text(text).split("\n") == [
        "1. For 1st stage calls",
        "Proposal template A.",
        "",
        "2. For 2nd stage calls",
        "Proposal template B.",
    ]


def test_names_that_run_two_words_together_are_not_taken_for_headings():
    # Written the same way further on: a name, even right after a numbered item's first words.
    repeated = (
        "1. A sustainable European HealthCare Incubator Network.The HealthCare Incubator helps."
    )
    assert tidy_portal_text(repeated).split("\n\n")[0] == (
        "1. A sustainable European HealthCare Incubator Network."
    )
    # The end of a run of lower-case words, where a heading would be in title case.
    sentence = "Proposals should build on the work done by the SoilWise project and its partners."
    assert tidy_portal_text(sentence) == sentence


def test_brand_names_outside_numbered_headings_keep_their_shape():
    text = "Funded by NextGenerationEU and the EuroHPC JU, with eHealth pilots."
    assert tidy_portal_text(text) == text
    numbered = "3. Budget: EUR 2 million from NextGenerationEU."  # past the heading's first words
    assert tidy_portal_text(numbered) == numbered


def test_abbreviations_and_numbers_are_not_split():
    text = "A Ph.D holder, e.g. Dr Smith, in the U.S.A. with EUR 1.5 million."
    assert tidy_portal_text(text) == text


def test_a_colon_glued_to_the_next_sentence_gets_its_space():
    assert tidy_portal_text("general objective:To prevent fraud.") == (
        "general objective: To prevent fraud."
    )


def test_empty_text_stays_empty():
    assert tidy_portal_text("") == ""
    assert tidy_portal_text("   ") == ""


# Pieces of portal-like text: words, punctuation, digits, headings, Polish letters.
portal_like = st.lists(
    st.sampled_from(
        [*"abcXYZ .:;,!?12\n", "Scope:", "Objective:", "Conditions", "ąę", "The", "2. Eligible"]
        + ["Security", "Soil", "Wise", "Prize"]
    ),
    max_size=60,
).map("".join)


@given(portal_like)
def test_tidying_only_moves_whitespace_and_can_be_repeated(text):
    tidied = tidy_portal_text(text)
    assert re.sub(r"\s", "", tidied) == re.sub(r"\s", "", text)
    assert tidy_portal_text(tidied) == tidied
    assert "\n\n\n" not in tidied
