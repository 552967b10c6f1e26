"""Tokenisation for Polish and English texts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.core.text import detect_language, fold, stem, tokenize


def test_fold_still_strips_diacritics_and_case():
    assert fold("  Łódź  Wrocław ") == "lodz wroclaw"


def _fold_by_decomposition(text: str) -> str:
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "l"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped.lower()).strip()


@pytest.mark.parametrize("text", ["Zażółć gęślą JAŹŃ\t x ", "Café Łódź", "A.B/C-D – (x)", ""])
def test_fast_folding_of_generated_text_agrees_with_the_search_folding(text):
    assert fold(text) == _fold_by_decomposition(text)


@given(st.text(alphabet="aąbcćeęlłnńoóśszźżAĄCĆEĘLŁNŃOÓSŚZŹŻ09 .,-\t\n"))
def test_fold_of_polish_and_ascii_text_is_the_same_by_table_as_by_decomposition(text):
    assert fold(text) == _fold_by_decomposition(text)


def test_tokenize_drops_function_words_and_numbers():
    assert tokenize("The 2024 network of the cities") == ["network", "citi"]


def test_tokenize_meets_singular_and_plural_in_english():
    assert tokenize("sensor networks") == tokenize("sensor network")


def test_tokenize_meets_inflected_forms_in_polish():
    assert tokenize("sieci energetycznych dla miast") == tokenize("sieci energetyczne dla miast")
    assert tokenize("energetycznych", language="pl") == tokenize("energetyczne", language="pl")


def test_tokenize_folds_polish_letters():
    assert tokenize("Łódź") == ["lodz"]


def test_short_stems_are_left_alone():
    assert stem("gas") == "gas"
    assert stem("data", "pl") == "data"


def test_language_follows_function_words_then_polish_letters():
    assert detect_language("Sieć czujników dla rolnictwa i przemysłu") == "pl"
    assert detect_language("A network of sensors for the city of Łódź") == "en"
    assert detect_language("Żywność") == "pl"
    assert detect_language("") == "en"


def test_empty_text_has_no_tokens():
    assert tokenize("") == []
    assert tokenize("the and of") == []
