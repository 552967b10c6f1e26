"""Eligibility rule sets: every named set loads, and the check says in words what is missing."""

import json

import pytest

from klaster.core.consortium.rules import (
    Entity,
    RuleSetError,
    check,
    load_rule_set,
    rule_set_names,
)


def words(messages) -> tuple[str, ...]:
    return tuple(map(str, messages))


NAMES = [
    "horizon-ria", "horizon-ia", "horizon-csa", "eic-pathfinder", "msca-dn", "erc",
    "digital-europe", "life", "pl-rd-consortium",
]  # fmt: skip


def entities(*specs: str) -> list[Entity]:
    """'PL:PRC' -> an entity from Poland of type PRC, numbered in order."""
    out = []
    for i, spec in enumerate(specs):
        country, _, kind = spec.partition(":")
        out.append(Entity(str(i + 1), country, kind or "REC"))
    return out


def test_every_rule_set_of_the_issue_is_shipped_and_loads():
    assert set(NAMES) <= set(rule_set_names())
    for name in NAMES:
        assert load_rule_set(name).title


def test_unknown_rule_set_is_refused_with_the_known_names():
    with pytest.raises(RuleSetError, match="unknown rule set 'horizon-xyz'.*horizon-ria"):
        load_rule_set("horizon-xyz")
    with pytest.raises(RuleSetError, match="unknown rule set"):
        load_rule_set("../countries")
    with pytest.raises(RuleSetError, match="unknown rule set"):
        load_rule_set("countries")


def test_ria_needs_three_entities_from_three_countries_one_in_a_member_state():
    rules = load_rule_set("horizon-ria")
    assert check(rules, entities("PL", "DE", "FR")).eligible
    # Associated countries count for the three countries, but one must be a Member State.
    assert check(rules, entities("PL", "NO", "UK")).eligible
    result = check(rules, entities("NO", "UK", "CH"))
    assert words(result.missing) == ("at least one legal entity from the EU Member States (has 0)",)
    result = check(rules, entities("PL", "PL", "US"))
    assert words(result.missing) == (
        "legal entities from at least 3 different EU Member States or Horizon Europe "
        "Associated Countries (has 1: PL)",
    )
    assert str(check(rules, entities("PL", "DE")).missing[0]) == (
        "at least 3 independent legal entities (has 2)"
    )


def test_the_same_organisation_twice_counts_once():
    rules = load_rule_set("horizon-ia")
    twice = [Entity("1", "PL"), Entity("1", "PL"), Entity("2", "DE")]
    assert str(check(rules, twice).missing[0]) == "at least 3 independent legal entities (has 2)"


def test_csa_and_life_accept_a_single_entity():
    assert check(load_rule_set("horizon-csa"), entities("PL")).eligible
    assert check(load_rule_set("life"), entities("IT")).eligible
    assert not check(load_rule_set("life"), entities("US")).eligible


def test_erc_has_a_single_host_institution():
    rules = load_rule_set("erc")
    assert check(rules, entities("PL")).eligible
    result = check(rules, entities("PL", "DE"))
    assert words(result.missing) == (
        "at most 1 legal entity: an ERC grant has a single host institution (has 2)",
    )


def test_msca_doctoral_network_needs_an_academic_or_research_organisation():
    rules = load_rule_set("msca-dn")
    assert check(rules, entities("PL:HES", "DE:PRC", "FR:PRC")).eligible
    result = check(rules, entities("PL:PRC", "DE:PRC", "FR:PRC"))
    assert words(result.missing) == (
        "at least one academic or research organisation to award the doctoral degree "
        "(HES, REC; has 0)",
    )


def test_polish_consortium_needs_an_enterprise_and_a_research_organisation_in_poland():
    rules = load_rule_set("pl-rd-consortium")
    assert check(rules, entities("PL:PRC", "PL:HES")).eligible
    assert words(check(rules, entities("PL:PRC", "PL:PRC")).missing) == (
        "at least one research organisation (HES, REC; has 0)",
    )
    assert words(check(rules, entities("PL:PRC", "DE:REC")).missing) == (
        "every legal entity established in Poland (also has DE)",
    )


def test_digital_europe_counts_its_own_associated_countries():
    rules = load_rule_set("digital-europe")
    assert check(rules, entities("PL", "NO", "UA")).eligible
    # Canada is associated to Horizon Europe, not to Digital Europe.
    assert not check(rules, entities("PL", "DE", "CA")).eligible


def test_staff_can_add_a_rule_set_as_a_data_file(tmp_path):
    countries = load_rule_set("horizon-ria").at_least_from[0].lists[0]
    (tmp_path / "countries.json").write_text(
        json.dumps({"eu": {"label": countries.label, "countries": sorted(countries.countries)}})
    )
    (tmp_path / "regional.json").write_text(
        json.dumps(
            {
                "title": "Regional call",
                "min_entities": 2,
                "at_least_of_type": [{"min": 1, "activity_types": ["PRC"], "label": "enterprise"}],
            }
        )  # fmt: skip
    )
    rules = load_rule_set("regional", folder=tmp_path)
    assert rule_set_names(tmp_path) == ["regional"]
    assert check(rules, entities("PL:PRC", "PL:REC")).eligible
    assert words(check(rules, entities("PL:REC", "PL:REC")).missing) == (
        "at least one enterprise (PRC; has 0)",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not valid JSON"),
        ('{"min_entities": 2}', "title is missing"),
        ('{"title": "x", "min_entities": 0}', "min_entities must be a whole number"),
        ('{"title": "x", "colour": "red"}', "unknown field"),
        ('{"title": "x", "at_least_from": [{"min": 1, "from": ["mars"]}]}', "unknown country list"),
        ('{"title": "x", "at_least_of_type": [{"activity_types": ["XYZ"]}]}', "activity_types"),
        ('{"title": "x", "min_entities": 3, "max_entities": 2}', "below min_entities"),
    ],
)
def test_malformed_rule_set_is_refused_naming_the_field(tmp_path, content, message):
    (tmp_path / "countries.json").write_text('{"eu": {"label": "EU", "countries": ["PL"]}}')
    (tmp_path / "broken.json").write_text(content)
    with pytest.raises(RuleSetError, match=message):
        load_rule_set("broken", folder=tmp_path)
