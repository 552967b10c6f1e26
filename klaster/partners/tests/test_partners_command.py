"""`klaster partners batch` on the committed CORDIS extract: the evaluation contract."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from klaster.core.cordis_files import read_cordis
from klaster.core.records import COORDINATOR

EXTRACTS = Path(__file__).resolve().parents[3] / "data" / "extracts"
HISTORY = EXTRACTS / "cordis-HORIZON-extract.zip"
H2020 = EXTRACTS / "h2020-participations-extract.csv.gz"


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("partners-cache")


def _idea_lines(count: int) -> list[dict]:
    history = read_cordis(HISTORY)
    coordinators = {
        p.project_id: p.organisation_id for p in history.participations if p.role == COORDINATOR
    }
    lines = []
    for project in sorted(history.projects, key=lambda p: p.id)[:count]:
        lines.append(
            {
                "project_id": project.id,
                "title": project.title,
                "objective": project.objective,
                "keywords": ", ".join(project.keywords),
                "topic": project.topics[0] if project.topics else "",
                "call": project.call,
                "funding_scheme": project.funding_scheme,
                "start_date": project.start_date.isoformat() if project.start_date else "",
                "coordinator": coordinators[project.id],
            }
        )
    return lines


def _write(path: Path, lines) -> Path:
    path.write_text(
        "".join(line if isinstance(line, str) else json.dumps(line) + "\n" for line in lines)
    )
    return path


def _batch(tmp_path, cache, queries: Path, *extra: str) -> Path:
    out = tmp_path / "out.jsonl"
    call_command(
        "partners", "batch", "--history", str(HISTORY), "--h2020", str(H2020),
        "--queries", str(queries), "--out", str(out), "--cache", str(cache), *extra,
        verbosity=0,
    )  # fmt: skip
    return out


def test_batch_writes_k_partners_per_idea_best_first_without_coordinator(tmp_path, cache):
    ideas = _idea_lines(4)
    out = _batch(tmp_path, cache, _write(tmp_path / "in.jsonl", ideas), "--k", "15")
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["project_id"] for r in results] == [idea["project_id"] for idea in ideas]
    organisations = {p.organisation_id for p in read_cordis(HISTORY).participations}
    for idea, result in zip(ideas, results, strict=True):
        assert len(result["partners"]) == 15 == len(set(result["partners"]))
        assert idea["coordinator"] not in result["partners"]
        assert all(isinstance(o, str) for o in result["partners"])
        assert set(result["partners"]) <= organisations | _h2020_organisations()


def _h2020_organisations() -> set[str]:
    import csv
    import gzip

    with gzip.open(H2020, "rt", encoding="utf-8") as stream:
        return {row["pic"] for row in csv.DictReader(stream)}


def test_second_run_reuses_the_cached_ranker(tmp_path, cache):
    ideas = _idea_lines(2)
    _batch(tmp_path, cache, _write(tmp_path / "in.jsonl", ideas), "--k", "5")
    assert len(list(Path(cache).glob("partner-ranker-*.json"))) == 1


def test_bad_line_is_named_and_no_output_is_left(tmp_path, cache):
    good = _idea_lines(1)[0]
    queries = _write(tmp_path / "in.jsonl", [good, "\n", '{"project_id": "2", "title": "x"}\n'])
    with pytest.raises(CommandError, match=r"in.jsonl, line 3: coordinator is missing"):
        _batch(tmp_path, cache, queries)
    assert not (tmp_path / "out.jsonl").exists()
    assert list(tmp_path.glob(".partners-*")) == []


def test_invalid_json_is_named_by_line(tmp_path, cache):
    queries = _write(tmp_path / "in.jsonl", [_idea_lines(1)[0], "{not json\n"])
    with pytest.raises(CommandError, match=r"line 2: not valid JSON"):
        _batch(tmp_path, cache, queries)


def test_unreadable_history_is_a_clear_error(tmp_path, cache):
    queries = _write(tmp_path / "in.jsonl", _idea_lines(1))
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "partners", "batch", "--history", str(tmp_path / "absent.zip"),
            "--queries", str(queries), "--out", str(tmp_path / "out.jsonl"), verbosity=0,
        )  # fmt: skip
