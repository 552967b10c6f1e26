"""A compact, regional extract of CORDIS in the official layout, for the demo and the tests.

It keeps every Horizon Europe project with at least one participant in the region (NUTS
prefixes, Mazowieckie = PL91 + PL92) with all rows of those projects in every file (the whole
consortium, topics, fields of science, programme parts), and every Horizon 2020 project in which
one of the region's organisations (known by PIC from the Horizon Europe file) took part, with all
its participations. Rows are copied byte-for-byte in meaning, columns in their original order,
so the extract reads like the full download. Files are written deterministically (fixed zip
timestamps, gzip without mtime): the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from klaster.core.cordis_files import CordisFormatError

csv.field_size_limit(2**31 - 1)

DEFAULT_EXTRACT_DIR = Path(__file__).resolve().parents[2] / "data" / "extracts"
HORIZON_EXTRACT = "cordis-mazowieckie-HORIZONprojects-csv.zip"
H2020_EXTRACT = "cordis-mazowieckie-h2020_participations.csv.gz"
H2020_PARTS_EXTRACT = "cordis-mazowieckie-h2020_programme_parts.csv.gz"
HORIZON_FILES = (
    "project.csv",
    "organization.csv",
    "euroSciVoc.csv",
    "topics.csv",
    "legalBasis.csv",
)
_PROJECT_KEY = {"project.csv": "id"}
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)


def _read(
    stream: io.TextIOBase, label: str, delimiter: str
) -> tuple[list[str], Iterator[list[str]]]:
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise CordisFormatError(label, 1, "the file is empty (no header row)") from None

    def rows() -> Iterator[list[str]]:
        try:
            for values in reader:
                if values and values != [""]:
                    if len(values) != len(header):
                        raise CordisFormatError(
                            label,
                            reader.line_num,
                            f"{len(values)} fields where the header has {len(header)}",
                        )
                    yield values
        except csv.Error as exc:
            raise CordisFormatError(label, reader.line_num, f"malformed CSV: {exc}") from None

    return header, rows()


def _column(header: list[str], name: str, label: str) -> int:
    try:
        return header.index(name)
    except ValueError:
        raise CordisFormatError(
            label, 1, "required column is missing from the header", name
        ) from None


def _zip_tables(path: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    tables = {}
    with zipfile.ZipFile(path) as archive:
        names = {n.rsplit("/", 1)[-1].lower(): n for n in archive.namelist()}
        for wanted in HORIZON_FILES:
            member = names.get(wanted.lower())
            if member is None:
                continue
            with archive.open(member) as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                header, rows = _read(stream, f"{path.name}/{wanted}", ";")
                tables[wanted] = (header, list(rows))
    if "project.csv" not in tables or "organization.csv" not in tables:
        raise CordisFormatError(path.name, None, "project.csv and organization.csv are required")
    return tables


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@dataclass
class ExtractReport:
    horizon_path: Path
    h2020_path: Path | None
    projects: int
    participations: int
    organisations: int
    regional_organisations: int
    h2020_projects: int
    h2020_participations: int

    def lines(self) -> list[str]:
        lines = [
            f"{self.horizon_path}: {self.projects} Horizon Europe projects, "
            f"{self.participations} participations, {self.organisations} organisations "
            f"({self.regional_organisations} in the region), "
            f"{self.horizon_path.stat().st_size / 1e6:.1f} MB",
        ]
        if self.h2020_path:
            lines.append(
                f"{self.h2020_path}: {self.h2020_projects} Horizon 2020 projects, "
                f"{self.h2020_participations} participations, "
                f"{self.h2020_path.stat().st_size / 1e6:.1f} MB"
            )
        return lines


def make_extract(
    *,
    cordis_path: str | Path,
    out_dir: str | Path = DEFAULT_EXTRACT_DIR,
    h2020_path: str | Path | None = None,
    h2020_programme_parts: str | Path | None = None,
    nuts_prefixes: tuple[str, ...] = ("PL91", "PL92"),
) -> ExtractReport:
    """Write the regional extract next to each other in `out_dir`; returns what it holds."""
    cordis_path, out_dir = Path(cordis_path), Path(out_dir)
    if not zipfile.is_zipfile(cordis_path):
        raise CordisFormatError(str(cordis_path), None, "not a zip file")
    tables = _zip_tables(cordis_path)
    label = f"{cordis_path.name}/organization.csv"
    header, rows = tables["organization.csv"]
    project_at = _column(header, "projectID", label)
    pic_at = _column(header, "organisationID", label)
    nuts_at = _column(header, "nutsCode", label)
    regional = {row[pic_at] for row in rows if row[nuts_at].startswith(nuts_prefixes)}
    projects = {row[project_at] for row in rows if row[pic_at] in regional}

    out_dir.mkdir(parents=True, exist_ok=True)
    horizon_out = out_dir / HORIZON_EXTRACT
    counts = {}
    with zipfile.ZipFile(horizon_out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in HORIZON_FILES:
            if name not in tables:
                continue
            header, rows = tables[name]
            key = _column(header, _PROJECT_KEY.get(name, "projectID"), f"{cordis_path.name}/{name}")
            kept = [row for row in rows if row[key] in projects]
            counts[name] = kept
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, _csv_text(header, kept, ";"))
    organisation_rows = counts["organization.csv"]

    h2020_out, h2020_projects, h2020_rows = None, 0, 0
    if h2020_path is not None:
        h2020_path = Path(h2020_path)
        with gzip.open(h2020_path, "rt", encoding="utf-8", newline="") as stream:
            header, rows_iter = _read(stream, h2020_path.name, ",")
            rows = list(rows_iter)
        rcn_at = _column(header, "rcn", h2020_path.name)
        pic_h_at = _column(header, "pic", h2020_path.name)
        rcns = {row[rcn_at] for row in rows if row[pic_h_at] in regional}
        kept = [row for row in rows if row[rcn_at] in rcns]
        h2020_out = out_dir / H2020_EXTRACT
        with (
            open(h2020_out, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz,
        ):
            gz.write(_csv_text(header, kept, ",").encode())
        h2020_projects, h2020_rows = len(rcns), len(kept)
        if h2020_programme_parts is not None:
            with gzip.open(h2020_programme_parts, "rt", encoding="utf-8", newline="") as stream:
                header, rows_iter = _read(stream, Path(h2020_programme_parts).name, ",")
                parts_rcn_at = _column(header, "rcn", Path(h2020_programme_parts).name)
                parts = [row for row in rows_iter if row[parts_rcn_at] in rcns]
            with (
                open(out_dir / H2020_PARTS_EXTRACT, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz,
            ):
                gz.write(_csv_text(header, parts, ",").encode())

    return ExtractReport(
        horizon_path=horizon_out,
        h2020_path=h2020_out,
        projects=len(projects),
        participations=len(organisation_rows),
        organisations=len({row[pic_at] for row in organisation_rows}),
        regional_organisations=len(regional),
        h2020_projects=h2020_projects,
        h2020_participations=h2020_rows,
    )
