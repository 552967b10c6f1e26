"""Ideas written in Polish find their partners on the committed CORDIS extract, end to end."""

import json
from pathlib import Path

from django.core.management import call_command

from klaster.core.cordis_files import read_cordis
from klaster.core.records import PARTICIPANT

EXTRACTS = Path(__file__).resolve().parents[3] / "data" / "extracts"
HISTORY = EXTRACTS / "cordis-HORIZON-extract.zip"
H2020 = EXTRACTS / "h2020-participations-extract.csv.gz"
# SINNOGENES, storage innovations for green energy systems: 29 participants in the extract.
STORAGE_PROJECT = "101096992"
POLISH_STORAGE_IDEA = {
    "project_id": "idea-pl",
    "title": "Innowacje w magazynowaniu energii dla zielonych systemów energetycznych",
    "objective": (
        "Chcemy zademonstrować różne technologie magazynowania energii i ich połączenia w systemie "
        "elektroenergetycznym z dużym udziałem odnawialnych źródeł energii. Magazyny energii mają "
        "zapewnić elastyczność sieci, stabilność częstotliwości i usługi systemowe. Opracujemy "
        "narzędzia do optymalizacji pracy magazynów, integracji z farmami wiatrowymi i "
        "fotowoltaiką oraz modele biznesowe."
    ),
    # A coordinator the history does not know: only the text can find the partners.
    "coordinator": "999999999",
}


def test_a_polish_idea_finds_the_partners_of_the_project_it_describes(tmp_path):
    queries = tmp_path / "ideas.jsonl"
    queries.write_text(json.dumps(POLISH_STORAGE_IDEA, ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    call_command(
        "partners", "batch", "--history", str(HISTORY), "--h2020", str(H2020),
        "--queries", str(queries), "--out", str(out), "--cache", str(tmp_path), "--k", "20",
        verbosity=0,
    )  # fmt: skip
    (result,) = [json.loads(line) for line in out.read_text().splitlines()]
    participants = {
        p.organisation_id
        for p in read_cordis(HISTORY).participations
        if p.project_id == STORAGE_PROJECT and p.role == PARTICIPANT
    }
    hits = participants & set(result["partners"])
    assert len(participants) >= 20
    assert len(hits) >= 10, f"only {len(hits)} of {len(participants)} in the top 20"
