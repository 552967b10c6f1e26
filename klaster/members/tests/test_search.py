"""Directory search: short words and acronyms match whole words, longer ones anywhere."""

import pytest
from django.contrib.auth.models import AnonymousUser

from klaster.members.models import Organisation
from klaster.members.selectors import DirectoryFilters, organisation_search, search_terms
from klaster.members.services import organisation_refresh_search_document
from klaster.members.tests.factories import OrganisationFactory


def make(name: str, description: str = "", city: str = "Warszawa") -> Organisation:
    organisation = OrganisationFactory(
        name=name, description_pl=description, description_en="", city=city
    )
    organisation_refresh_search_document(organisation=organisation)
    return organisation


def found(q: str) -> set[str]:
    return set(
        organisation_search(user=AnonymousUser(), filters=DirectoryFilters(q=q)).values_list(
            "name", flat=True
        )
    )


@pytest.fixture
def registry(db):
    make("Działające Systemy", "Działające rozwiązania dla przemysłu.")
    make("Maintenance Pro", "Serwis i utrzymanie ruchu.")
    make("Neuron AI", "Uczenie maszynowe.")
    make("Kognitywa", "Sztuczna inteligencja (AI) w medycynie.")
    make("Sieci Przyszłości", "Wdrożenia 5G/6G i kampusowe sieci prywatne.")
    make("Pięćgie", "Usługi 5Ghz Wi-Fi.")
    make("Czujniki Polska", "Platforma IoT dla rolnictwa.")
    make("Idiota Software", "Narzędzia dla programistów.")
    make("Łódzka Robotyka", "Roboty przemysłowe.", city="Łódź")


def test_ai_does_not_match_inside_folded_words_like_dzialajace(registry):
    assert found("AI") == {"Neuron AI", "Kognitywa"}


def test_ai_matches_the_acronym_in_parentheses_and_lower_case_search_too(registry):
    assert "Kognitywa" in found("ai")
    assert "Kognitywa" in found("sztuczna inteligencja")


def test_5g_matches_the_token_not_a_longer_word(registry):
    assert found("5G") == {"Sieci Przyszłości"}


def test_iot_matches_the_word_not_idiota(registry):
    assert found("IoT") == {"Czujniki Polska"}


def test_longer_words_keep_matching_as_prefixes(registry):
    assert found("robot") == {"Łódzka Robotyka"}
    assert found("dzialaj") == {"Działające Systemy"}


def test_search_ignores_diacritics_in_both_directions(registry):
    assert found("lodz") == {"Łódzka Robotyka"}
    assert found("łódź") == {"Łódzka Robotyka"}
    assert found("Łódzka robotyka") == {"Łódzka Robotyka"}


def test_long_acronyms_written_in_capitals_match_whole_words():
    assert search_terms("HPC LIDAR lidary c++") == [
        ("hpc", True),
        ("lidar", True),
        ("lidary", False),
        ("c++", False),
    ]


def test_directory_page_search_for_ai_lists_only_whole_word_matches(anonymous, registry):
    page = anonymous.get("/members/", {"q": "AI"}).content.decode()

    assert "Kognitywa" in page
    assert "Działające Systemy" not in page
