"""Ideas written in Polish reach the English partner index through the glossary and lemmas."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.core.partners.language import (
    GLOSSARY_PATH,
    AsWritten,
    Glossary,
    PolishReader,
    default_reader,
)
from klaster.core.partners.ranker import PartnerRecommender
from klaster.core.tests.test_partners import (  # noqa: F401 - fixtures of the synthetic cluster
    SOLAR_IDEA,
    history,
    index,
    recommender,
)
from klaster.core.text import detect_language

POLISH_IDEAS = Path(__file__).resolve().parents[3] / "data" / "bench" / "polish-ideas.jsonl"


@pytest.fixture(scope="module")
def reader():
    return default_reader()


def test_inflected_phrase_finds_its_glossary_term(reader):
    assert reader.english_text("magazynów energii") == "energy storage"
    assert reader.english_text("w Magazynach Energii") == "energy storage"


def test_longest_phrase_wins_over_its_words(reader):
    # "sieć" alone is "network", "inteligentny" alone "smart intelligent".
    assert reader.english_text("inteligentnych sieci") == "smart grid"
    assert reader.english_text("sieci") == "network networks"


def test_function_words_go_and_unknown_words_stay_folded(reader):
    assert reader.english_text("Szukamy partnerów do budowy magazynu energii w Łodzi") == (
        "szukamy partner budowy energy storage lodzi"
    )


def test_without_lemmas_only_the_dictionary_form_matches():
    stems_only = PolishReader.default(lemmas=False)
    assert stems_only.english_text("rynek") == "market"
    assert stems_only.english_text("rynku") == "rynku"


def test_lemmas_match_forms_whose_stem_changes(reader):
    assert reader.english_text("rynku") == "market"
    assert reader.english_text("w mieście") == "city cities"


def test_short_texts_are_told_apart():
    assert detect_language("Magazyny energii dla gmin") == "pl"
    assert detect_language("Ogniwa słoneczne") == "pl"
    assert detect_language("Energy storage for municipalities") == "en"
    assert detect_language("Perovskite solar cells") == "en"


def test_english_idea_passes_through_as_the_same_object(reader):
    assert reader.english_query(SOLAR_IDEA) is SOLAR_IDEA


def test_polish_idea_becomes_an_english_query_with_its_other_fields(reader):
    polish = replace(
        SOLAR_IDEA,
        title="Moduły ogniw słonecznych z perowskitów",
        objective="Tańsze panele fotowoltaiczne z ogniw tandemowych na bazie perowskitu.",
        keywords=("fotowoltaika",),
    )
    english = reader.english_query(polish)
    assert english.title == "moduly solar cells perovskite"
    assert "photovoltaic panels PV" in english.objective and "perovskite" in english.objective
    assert english.keywords == ("photovoltaics PV",)
    assert (english.topic, english.coordinator) == (polish.topic, polish.coordinator)


def test_glossary_refuses_a_line_without_a_tab():
    with pytest.raises(ValueError, match="line 2"):
        Glossary.parse(["# header", "magazyn energii energy storage"], key=str.lower)


def test_every_glossary_entry_reads_back_as_its_english_term(reader):
    # An entry shadowed by an earlier one with the same key, or cut by a longer one, is dead data.
    seen = set()
    for line in GLOSSARY_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        polish, english = line.split("\t")
        assert reader.english_text(polish) == english, polish
        key = tuple(reader.key(w) for w in polish.split())
        assert key not in seen, f"{polish!r} repeats an earlier entry"
        seen.add(key)


def test_glossary_states_its_source_and_licence():
    header = GLOSSARY_PATH.read_text(encoding="utf-8").split("\n", 4)[:4]
    assert any("Source: written by the Klaster project team" in line for line in header)
    assert any("licence" in line for line in header)


def test_committed_polish_ideas_read_as_english_without_polish_letters(reader):
    rows = [json.loads(line) for line in POLISH_IDEAS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 50
    for row in rows:
        assert detect_language(row["objective_pl"]) == "pl"
        assert 60 <= len(row["objective_pl"].split()) <= 150
        english = reader.english_text(row["title_pl"] + ". " + row["objective_pl"])
        assert detect_language(english) == "en"
        assert not set(english) & set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")


POLISH_WORDS = ["magazynów", "energii", "sieci", "w", "i", "dla", "Łódź", "ogniw", "zdrowia", "AI"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(POLISH_WORDS), min_size=1, max_size=12))
def test_reading_is_stable_on_its_own_output(words):
    reader = default_reader()
    query = replace(SOLAR_IDEA, title="", objective=" ".join(words), keywords=())
    english = reader.english_query(query)
    assert reader.english_query(english) is english


def test_english_idea_ranks_exactly_as_without_a_reader(recommender):  # noqa: F811
    unread = PartnerRecommender(recommender.index, recommender.model, reader=AsWritten())
    assert recommender.rank(SOLAR_IDEA, 20) == unread.rank(SOLAR_IDEA, 20)


def test_polish_solar_idea_finds_the_solar_community(recommender):  # noqa: F811
    polish = replace(
        SOLAR_IDEA,
        title="Moduły ogniw słonecznych z perowskitu",
        objective="Tańsze moduły paneli fotowoltaicznych z tandemowych ogniw perowskitowych.",
        keywords=(),
        topic="",
        call="",
        coordinator="",
    )
    unread = PartnerRecommender(recommender.index, recommender.model, reader=AsWritten())
    top = [r.organisation_id for r in recommender.rank(polish, 10)]
    assert all(organisation.startswith("solar-") for organisation in top)
    # As written, the Polish words match at most a term of the English index ("panel").
    assert unread.score_pool(polish)[0].query_vector.nnz <= 1
    assert recommender.score_pool(polish)[0].query_vector.nnz >= 4
