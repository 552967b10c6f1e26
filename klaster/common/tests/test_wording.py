"""The core's sentences reach pages in the reader's language, with Polish plural forms."""

import json

import pytest
from django.utils import translation

from klaster.common.wording import TRANSLATED_VALUES, WORDING, say
from klaster.core.consortium.rules import Entity, check, load_rule_set, rule_set_names
from klaster.core.consortium.selection import ACTIVITY_NAMES
from klaster.core.messages import Message, message
from klaster.core.partners.features import SIGNAL_OF_FEATURE

# Words that read the same in both languages.
SAME_IN_POLISH = {"partner", "EIC Pathfinder Open"}


def _wordings() -> list:
    return list(WORDING.values())


def _rule_words() -> set[str]:
    words = set()
    for name in rule_set_names():
        rules = load_rule_set(name)
        words.add(rules.title)
        words.add(rules.max_entities_reason)
        for need in (*rules.at_least_from, *rules.at_least_of_type):
            words.add(need.label)
        for need in (rules.all_from, rules.distinct_countries):
            if need is not None:
                words.add(need.label)
    return {w for w in words if w}


def _untranslated(wording) -> bool:
    if isinstance(wording, tuple):  # (singular, plural, the value that counts)
        return translation.ngettext(wording[0], wording[1], 1) == wording[0]
    return translation.gettext(wording) == wording


@pytest.mark.parametrize(
    "words",
    [
        pytest.param(_wordings(), id="sentences"),
        pytest.param(sorted(ACTIVITY_NAMES.values()), id="kinds"),
        pytest.param(sorted(set(SIGNAL_OF_FEATURE.values())), id="signals"),
        pytest.param(sorted(_rule_words()), id="rule-sets"),
    ],
)
def test_every_sentence_and_word_has_its_polish_form(words):
    with translation.override("pl"):
        untranslated = [w for w in words if w not in SAME_IN_POLISH and _untranslated(w)]
    assert untranslated == []


def test_a_sentence_reads_in_the_active_language_with_polish_plurals():
    def partners(count):
        return message(
            "projects_with_coordinator", "{count} past project(s) with the coordinator", count=count
        )

    with translation.override("en"):
        assert say(partners(1)) == "1 past project with the coordinator"
        assert say(partners(3)) == "3 past projects with the coordinator"
    with translation.override("pl"):
        assert say(partners(1)) == "1 wspólny projekt z koordynatorem"
        assert say(partners(3)) == "3 wspólne projekty z koordynatorem"
        assert say(partners(5)) == "5 wspólnych projektów z koordynatorem"


def test_stored_sentences_translate_their_words_but_keep_names_and_numbers():
    rules = load_rule_set("horizon-ria")
    missing = check(rules, [Entity("1", "NO"), Entity("2", "UK"), Entity("3", "CH")]).missing
    stored = json.loads(json.dumps([m.as_json() for m in missing]))  # as the database keeps it
    with translation.override("en"):
        assert [say(m) for m in stored] == [
            "at least 1 legal entity from the EU Member States (has 0)"
        ]
    with translation.override("pl"):
        assert (
            say(stored[0])
            == "co najmniej 1 podmiot prawny z grupy: państwa członkowskie UE (jest 0)"
        )
    assert "label" in TRANSLATED_VALUES


def test_names_are_not_translated_and_odd_sentences_still_read():
    with translation.override("pl"):
        # A country code or a person's role stays as written.
        adds = message(
            "adds_country", "the only partner from {country}: adds a country", country="DE"
        )
        assert say(adds) == "jedyny partner z kraju DE: dodaje kraj"
        # A role: the kind is the product's word, the field the member's own.
        covers = message("covers_role", "covers the required role: {role}", role="end user in AI")
        assert say(covers) == "obsadza wymaganą rolę: Użytkownik końcowy – AI"
        assert say("research partner") == "Partner badawczy" and say("university") == "Uczelnia"
        assert say("research organisation") == "organizacja badawcza"  # a kind of organisation
        # Older records hold plain strings; an unknown code falls back to its English text.
        assert say("cluster member") == "członek klastra"
        assert say("a sentence from long ago") == "a sentence from long ago"
        assert say(Message("new_code", "new sentence about {x}", (("x", 1),))) == (
            "new sentence about 1"
        )
        # Numbers with the reader's decimal sign.
        fit = message("fit", "fit {fit:.2f} (rank {rank} of {candidates})", fit=0.9, rank=2,
                      candidates=40)  # fmt: skip
        assert say(fit) == "dopasowanie 0,90 do pomysłu (miejsce 2 z 40 kandydatów)"
        assert str(fit) == "fit 0.90 (rank 2 of 40)"
        # A stored sentence whose values no longer fit the wording still reads, in English.
        assert say({"code": "fit", "text": "fit {fit}", "values": {"fit": "0.5"}}) == "fit 0.5"
