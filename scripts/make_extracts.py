#!/usr/bin/env python3
"""Make the small CORDIS extracts committed under data/extracts/ from ../shared/data.

Tests run from a clone alone, so they read these extracts, never ../shared. The extract keeps
the official layout (same files, same columns, same quoting) and whole consortia:

- cordis-HORIZON-extract.zip: the energy-supply destination of cluster 5 (topics
  HORIZON-CL5-*-D3-*) plus a seeded sample of other projects, with every organisation row,
  topic, field of science and programme part of the projects kept;
- h2020-participations-extract.csv.gz: the H2020 projects in which at least two of the
  extract's organisations took part (whole rows).

    python scripts/make_extracts.py [--shared ../shared/data] [--out data/extracts]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import zipfile
from pathlib import Path

csv.field_size_limit(2**31 - 1)
CORDIS_FILES = ("project.csv", "organization.csv", "topics.csv", "euroSciVoc.csv", "legalBasis.csv")
SAMPLE_OTHERS = 150
SEED = 2024
MAX_H2020_PROJECTS = 1200


def _read(archive: zipfile.ZipFile, name: str) -> tuple[list[str], list[dict]]:
    with archive.open(name) as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"), delimiter=";")
        return list(reader.fieldnames or []), list(reader)


def _write(archive: zipfile.ZipFile, name: str, header: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    archive.writestr(name, buffer.getvalue())


def make_extracts(shared: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    source = shared / "cordis" / "cordis-HORIZONprojects-csv.zip"
    with zipfile.ZipFile(source) as archive:
        tables = {name: _read(archive, name) for name in CORDIS_FILES}
    _, projects = tables["project.csv"]
    focus = {
        p["id"] for p in projects if "-D3-" in p["topics"] and p["topics"].startswith("HORIZON-CL5")
    }
    others = sorted(p["id"] for p in projects if p["id"] not in focus and p["startDate"])
    kept = focus | set(random.Random(SEED).sample(others, SAMPLE_OTHERS))
    target = out / "cordis-HORIZON-extract.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, (header, rows) in tables.items():
            key = "id" if name == "project.csv" else "projectID"
            _write(archive, name, header, [r for r in rows if r[key] in kept])
    organisations = {
        r["organisationID"] for r in tables["organization.csv"][1] if r["projectID"] in kept
    }
    print(f"{target}: {len(kept)} projects, {len(organisations)} organisations")

    with gzip.open(shared / "cordis" / "h2020_participations.csv.gz", "rt", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    known_per_project: dict[str, int] = {}
    for row in rows:
        if row["pic"] in organisations:
            known_per_project[row["rcn"]] = known_per_project.get(row["rcn"], 0) + 1
    chosen = sorted(rcn for rcn, n in known_per_project.items() if n >= 2)
    chosen = set(random.Random(SEED).sample(chosen, min(MAX_H2020_PROJECTS, len(chosen))))
    target = out / "h2020-participations-extract.csv.gz"
    with gzip.open(target, "wt", encoding="utf-8", newline="", compresslevel=9) as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        writer.writerows(r for r in rows if r["rcn"] in chosen)
    print(f"{target}: {len(chosen)} H2020 projects")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared/data", type=Path)
    parser.add_argument("--out", default="data/extracts", type=Path)
    arguments = parser.parse_args()
    make_extracts(arguments.shared, arguments.out)


if __name__ == "__main__":
    main()
