"""Tokenisation for Polish and English texts."""

from klaster.core.text import detect_language, fold, stem, tokenize


def test_fold_still_strips_diacritics_and_case():
    assert fold("  Łódź  Wrocław ") == "lodz wroclaw"


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
