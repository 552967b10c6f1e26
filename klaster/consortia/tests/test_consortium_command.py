"""`klaster consortium propose` on the committed CORDIS extract: the evaluation contract."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from klaster.consortia.management.commands import consortium as command
from klaster.core.consortium.rules import Entity, check, load_rule_set
from klaster.core.cordis_files import read_cordis

EXTRACTS = Path(__file__).resolve().parents[3] / "data" / "extracts"
HISTORY = EXTRACTS / "cordis-HORIZON-extract.zip"
H2020 = EXTRACTS / "h2020-participations-extract.csv.gz"
PROJECT = "101172988"  # ResMe2E, a Horizon Europe RIA coordinated from Poland (IMP PAN)
COORDINATOR = "999489650"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("consortium-cache")


@pytest.fixture(autouse=True)
def light_ranker(monkeypatch):
    # A smaller fitting of the same ranker: the contract is under test here, not its quality.
    monkeypatch.setattr(
        command,
        "RANKER_SETTINGS",
        {"windows": 1, "trees": 30, "negatives_per_query": 60, "hard_negatives": 30},
    )


@pytest.fixture(scope="module")
def history():
    return read_cordis(HISTORY)


def idea_of(history, **changes) -> dict:
    project = next(p for p in history.projects if p.id == PROJECT)
    idea = {
        "title": project.title,
        "objective": project.objective,
        "keywords": list(project.keywords),
        "topic": project.topics[0],
        "call": project.call,
        "funding_scheme": project.funding_scheme,
        "coordinator": COORDINATOR,
        "pinned": [],
        "excluded": [],
    }
    return {**idea, **changes}


def propose(tmp_path, cache, idea, *extra: str, rules="horizon-ria", size=5) -> dict:
    idea_path = tmp_path / "idea.json"
    idea_path.write_text(idea if isinstance(idea, str) else json.dumps(idea))
    out = tmp_path / "out.json"
    call_command(
        "consortium", "propose", "--history", str(HISTORY), "--h2020", str(H2020),
        "--idea", str(idea_path), "--rules", rules, "--size", str(size), "--out", str(out),
        "--cache", str(cache), *extra, verbosity=0,
    )  # fmt: skip
    return json.loads(out.read_text())


@pytest.mark.django_db
def test_proposes_an_eligible_explained_consortium_coordinator_first(tmp_path, cache, history):
    first = propose(tmp_path, cache, idea_of(history), size=5)
    partners = first["partners"]
    assert len(partners) == 5 == len({p["organisation_id"] for p in partners})
    assert partners[0]["organisation_id"] == COORDINATOR
    assert partners[0]["role"] == "coordinator"
    assert partners[0]["country"] == "PL"
    for partner in partners:
        assert set(partner) == {
            "organisation_id", "name", "country", "activity_type", "sme", "role", "reasons",
        }  # fmt: skip
        assert partner["reasons"] and all(isinstance(r, str) for r in partner["reasons"])
        assert partner["sme"] in (True, False, None)
    assert first["eligible"] is True and first["missing"] == []
    entities = [Entity(p["organisation_id"], p["country"], p["activity_type"]) for p in partners]
    assert check(load_rule_set("horizon-ria"), entities).eligible

    # When the member pins the last partner and excludes the second, then re-solves
    pinned, excluded = partners[-1]["organisation_id"], partners[1]["organisation_id"]
    again = propose(tmp_path, cache, idea_of(history, pinned=[pinned], excluded=[excluded]), size=5)
    chosen = [p["organisation_id"] for p in again["partners"]]
    assert pinned in chosen and excluded not in chosen
    assert (
        "pinned by you"
        in next(p for p in again["partners"] if p["organisation_id"] == pinned)["reasons"]
    )
    assert again["eligible"] is True


@pytest.mark.django_db
def test_erc_proposal_is_the_host_alone(tmp_path, cache, history):
    result = propose(tmp_path, cache, idea_of(history), rules="erc", size=4)
    assert [p["organisation_id"] for p in result["partners"]] == [COORDINATOR]
    assert result["eligible"] is True


@pytest.mark.django_db
def test_polish_consortium_keeps_every_partner_in_poland(tmp_path, cache, history):
    result = propose(tmp_path, cache, idea_of(history), rules="pl-rd-consortium", size=3)
    assert {p["country"] for p in result["partners"]} == {"PL"}
    kinds = {p["activity_type"] for p in result["partners"]}
    assert "PRC" in kinds and kinds & {"REC", "HES"}
    assert result["eligible"] is True


def test_unknown_rule_set_is_refused_with_the_known_names_and_no_output(tmp_path, cache, history):
    with pytest.raises(CommandError, match="unknown rule set 'horizon-xx'.*horizon-ria"):
        propose(tmp_path, cache, idea_of(history), rules="horizon-xx")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(
    ("idea", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "must be a JSON object"),
        ({"title": "x"}, "coordinator is missing"),
        ({"coordinator": "1", "keywords": 5}, "keywords must be a string or a list of strings"),
        ({"coordinator": "1", "title": 3}, "title must be a string"),
        ({"coordinator": "1", "pinned": "2"}, "pinned must be a list"),
        ({"coordinator": "1", "excluded": ["1"]}, "excluded names the coordinator"),
        ({"coordinator": "1", "pinned": ["2"], "excluded": ["2"]}, "pinned and excluded both"),
    ],
)
def test_malformed_idea_is_refused_naming_the_field(tmp_path, cache, idea, message):
    with pytest.raises(CommandError, match=message):
        propose(tmp_path, cache, idea)
    assert not (tmp_path / "out.json").exists()


def test_size_below_one_is_refused(tmp_path, cache, history):
    with pytest.raises(CommandError, match="--size must be at least 1"):
        propose(tmp_path, cache, idea_of(history), size=0)


@pytest.mark.django_db
def test_pinned_organisation_unknown_to_the_history_is_refused(tmp_path, cache, history):
    with pytest.raises(CommandError, match="not in the history: 000000001"):
        propose(tmp_path, cache, idea_of(history, pinned=["000000001"]))
    assert not (tmp_path / "out.json").exists()
