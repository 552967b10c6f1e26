"""Read the official CORDIS bulk CSV layout into core records.

A CORDIS download is a zip (or the folder it unpacks to) of semicolon-separated UTF-8 files with
one header row: project.csv, organization.csv, topics.csv, euroSciVoc.csv, legalBasis.csv.
Columns are read by header name, because the Commission adds and moves columns between releases;
extra columns are ignored. The Horizon 2020 participation table (comma-separated, gzip) is read
by `read_h2020_participations`. Anything malformed raises `CordisFormatError` naming the file,
the line and the column.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from klaster.core.records import OrganisationRecord, Participation, Project, ProjectHistory

csv.field_size_limit(2**31 - 1)

PROJECT_COLUMNS = ("id", "title", "startDate")
ORGANISATION_COLUMNS = ("projectID", "organisationID", "role")
H2020_COLUMNS = ("rcn", "role", "pic")
H2020_PROJECT_PREFIX = "h2020-"
# How the source files write "no value" in numeric columns.
_MISSING = frozenset({"NA", "N/A", "NAN", "NULL"})


class CordisFormatError(ValueError):
    """A CORDIS file that cannot be read; says where."""

    def __init__(self, file: str, line: int | None, message: str, column: str | None = None):
        self.file, self.line, self.column = file, line, column
        where = file + (f", line {line}" if line is not None else "")
        where += f", column {column!r}" if column else ""
        super().__init__(f"{where}: {message}")


class _Row:
    """One CSV row addressed by header name, which knows where it came from for errors."""

    __slots__ = ("_file", "_index", "line", "values")

    def __init__(self, file: str, index: dict[str, int], line: int, values: list[str]):
        self._file, self._index, self.line, self.values = file, index, line, values

    def text(self, column: str) -> str:
        position = self._index.get(column)
        return self.values[position].strip() if position is not None else ""

    def error(self, column: str, message: str) -> CordisFormatError:
        return CordisFormatError(self._file, self.line, message, column)

    def date(self, column: str) -> date | None:
        value = self.text(column)
        if not value or value.upper() in _MISSING:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.error(column, f"{value!r} is not a date (YYYY-MM-DD)") from None

    def number(self, column: str) -> float | None:
        value = self.text(column)
        if not value or value.upper() in _MISSING:
            return None
        try:
            return float(value.replace(",", "."))
        except ValueError:
            raise self.error(column, f"{value!r} is not a number") from None

    def integer(self, column: str) -> int | None:
        number = self.number(column)
        return None if number is None else int(number)

    def flag(self, column: str) -> bool | None:
        value = self.text(column).lower()
        if not value:
            return None
        if value in ("true", "1", "yes", "y"):
            return True
        if value in ("false", "0", "no", "n"):
            return False
        raise self.error(column, f"{value!r} is not true or false")


def _rows(
    stream: io.TextIOBase, file: str, required: tuple[str, ...], delimiter: str
) -> Iterator[_Row]:
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise CordisFormatError(file, 1, "the file is empty (no header row)") from None
    except csv.Error as exc:
        raise CordisFormatError(file, 1, f"unreadable header: {exc}") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    index = {name: i for i, name in enumerate(header)}
    for column in required:
        if column not in index:
            raise CordisFormatError(file, 1, "required column is missing from the header", column)
    width = len(header)
    line = 1
    try:
        for values in reader:
            line = reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != width:
                raise CordisFormatError(
                    file, line, f"{len(values)} fields where the header has {width}"
                )
            yield _Row(file, index, line, values)
    except csv.Error as exc:
        raise CordisFormatError(file, reader.line_num or line, f"malformed CSV: {exc}") from None
    except UnicodeDecodeError as exc:
        raise CordisFormatError(file, line + 1, f"not UTF-8 text: {exc.reason}") from None


class _Source:
    """A CORDIS download, zipped or unpacked."""

    def __init__(self, path: Path):
        self.path = path
        if not path.exists():
            raise CordisFormatError(str(path), None, "no such file or folder")
        if path.is_file() and not zipfile.is_zipfile(path):
            raise CordisFormatError(str(path), None, "neither a zip file nor a folder")

    def _names(self) -> list[str]:
        if self.path.is_dir():
            return [p.name for p in self.path.iterdir()]
        with zipfile.ZipFile(self.path) as archive:
            return archive.namelist()

    def _find(self, name: str) -> str | None:
        # Some releases nest the files in a folder or change the case of the name.
        for candidate in self._names():
            if candidate.rsplit("/", 1)[-1].lower() == name.lower():
                return candidate
        return None

    def has(self, name: str) -> bool:
        return self._find(name) is not None

    def rows(self, name: str, required: tuple[str, ...]) -> Iterator[_Row]:
        member = self._find(name)
        label = f"{self.path.name}/{name}"
        if member is None:
            raise CordisFormatError(label, None, "file is missing from the CORDIS download")
        if self.path.is_dir():
            with open(self.path / member, encoding="utf-8", newline="") as stream:
                yield from _rows(stream, label, required, ";")
        else:
            with zipfile.ZipFile(self.path) as archive, archive.open(member) as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                yield from _rows(stream, label, required, ";")


def _split_list(value: str) -> tuple[str, ...]:
    parts = value.replace(";", ",").split(",")
    return tuple(part.strip() for part in parts if part.strip())


def read_cordis(path: str | Path) -> ProjectHistory:
    """Read a CORDIS projects download (zip or folder) into a `ProjectHistory`.

    project.csv and organization.csv are required; topics.csv, euroSciVoc.csv and legalBasis.csv
    enrich the projects when present.

    Examples
    --------
    >>> history = read_cordis("../shared/data/cordis/cordis-HORIZONprojects-csv.zip")  # doctest: +SKIP
    >>> len(history.projects)  # doctest: +SKIP
    13464
    """
    source = _Source(Path(path))
    topic_titles: dict[str, list[str]] = defaultdict(list)
    if source.has("topics.csv"):
        for row in source.rows("topics.csv", ("projectID", "topic")):
            if row.text("title"):
                topic_titles[row.text("projectID")].append(row.text("title"))
    fields: dict[str, list[str]] = defaultdict(list)
    if source.has("euroSciVoc.csv"):
        for row in source.rows("euroSciVoc.csv", ("projectID",)):
            label = row.text("euroSciVocPath") or row.text("euroSciVocTitle")
            if label:
                fields[row.text("projectID")].append(label)
    parts: dict[str, list[str]] = defaultdict(list)
    if source.has("legalBasis.csv"):
        for row in source.rows("legalBasis.csv", ("projectID", "legalBasis")):
            parts[row.text("projectID")].append(row.text("legalBasis"))

    projects = []
    for row in source.rows("project.csv", PROJECT_COLUMNS):
        project_id = row.text("id")
        if not project_id:
            raise row.error("id", "project id is empty")
        projects.append(
            Project(
                id=project_id,
                title=row.text("title"),
                acronym=row.text("acronym"),
                objective=row.text("objective"),
                keywords=_split_list(row.text("keywords")),
                topics=_split_list(row.text("topics")),
                topic_titles=tuple(topic_titles.get(project_id, ())),
                call=row.text("masterCall") or row.text("call"),
                sub_call=row.text("subCall"),
                funding_scheme=row.text("fundingScheme"),
                programme=row.text("frameworkProgramme"),
                programme_parts=tuple(parts.get(project_id, ()))
                or _split_list(row.text("legalBasis")),
                fields_of_science=tuple(fields.get(project_id, ())),
                status=row.text("status"),
                start_date=row.date("startDate"),
                end_date=row.date("endDate"),
                total_cost=row.number("totalCost"),
                ec_max_contribution=row.number("ecMaxContribution"),
            )
        )

    participations = []
    organisations: dict[str, OrganisationRecord] = {}
    for row in source.rows("organization.csv", ORGANISATION_COLUMNS):
        organisation_id = row.text("organisationID")
        if not organisation_id:
            raise row.error("organisationID", "organisation id is empty")
        country, activity_type, sme = row.text("country"), row.text("activityType"), row.flag("SME")
        participations.append(
            Participation(
                project_id=row.text("projectID"),
                organisation_id=organisation_id,
                role=row.text("role"),
                order=row.integer("order"),
                ec_contribution=row.number("ecContribution"),
                country=country,
                activity_type=activity_type,
                sme=sme,
            )
        )
        organisations[organisation_id] = OrganisationRecord(
            organisation_id=organisation_id,
            name=row.text("name"),
            short_name=row.text("shortName"),
            vat_number=row.text("vatNumber"),
            country=country,
            nuts_code=row.text("nutsCode"),
            city=row.text("city"),
            activity_type=activity_type,
            sme=sme,
            url=row.text("organizationURL"),
        )
    return ProjectHistory(
        projects=tuple(projects),
        participations=tuple(participations),
        organisations=tuple(organisations.values()),
        sources=(str(path),),
    )


def read_h2020_participations(
    path: str | Path, programme_parts: str | Path | None = None
) -> ProjectHistory:
    """Read the Horizon 2020 participation table (csv.gz, one row per organisation in a project).

    Projects get the id ``"h2020-<rcn>"`` so they never collide with Horizon Europe grant numbers;
    they carry dates and, if `programme_parts` (rcn -> programme part, csv.gz) is given, the
    programme part, but no texts.
    """
    path = Path(path)
    label = path.name
    if not path.exists():
        raise CordisFormatError(str(path), None, "no such file")
    parts: dict[str, tuple[str, ...]] = {}
    if programme_parts is not None:
        with gzip.open(programme_parts, "rt", encoding="utf-8", newline="") as stream:
            for row in _rows(stream, Path(programme_parts).name, ("rcn", "programme_part"), ","):
                parts[row.text("rcn")] = (row.text("programme_part"),)
    projects: dict[str, Project] = {}
    participations = []
    organisations: dict[str, OrganisationRecord] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
            for row in _rows(stream, label, H2020_COLUMNS, ","):
                rcn, organisation_id = row.text("rcn"), row.text("pic")
                if not rcn:
                    raise row.error("rcn", "project record number is empty")
                if not organisation_id:
                    raise row.error("pic", "organisation id is empty")
                project_id = H2020_PROJECT_PREFIX + rcn
                if project_id not in projects:
                    projects[project_id] = Project(
                        id=project_id,
                        programme="H2020",
                        programme_parts=parts.get(rcn, ()),
                        start_date=row.date("start_date"),
                        end_date=row.date("end_date"),
                        total_cost=row.number("total_cost"),
                        ec_max_contribution=row.number("max_contribution"),
                    )
                country, activity_type = row.text("country"), row.text("type")
                participations.append(
                    Participation(
                        project_id=project_id,
                        organisation_id=organisation_id,
                        role=row.text("role"),
                        ec_contribution=row.number("contribution"),
                        country=country,
                        activity_type=activity_type,
                    )
                )
                organisations[organisation_id] = OrganisationRecord(
                    organisation_id=organisation_id, country=country, activity_type=activity_type
                )
    except (OSError, EOFError) as exc:
        raise CordisFormatError(label, None, f"not a readable gzip file: {exc}") from None
    return ProjectHistory(
        projects=tuple(projects.values()),
        participations=tuple(participations),
        organisations=tuple(organisations.values()),
        sources=(str(path),),
    )


def read_history(cordis_path: str | Path, h2020_path: str | Path | None = None) -> ProjectHistory:
    """A CORDIS Horizon Europe download, plus the Horizon 2020 participations when given."""
    history = read_cordis(cordis_path)
    if h2020_path is not None:
        history = history.combined(read_h2020_participations(h2020_path))
    return history


def files_checksum(*paths: str | Path | None) -> str:
    """SHA-256 over the bytes of the given files (every file of a folder, in name order)."""
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            digest.update(b"<none>")
            continue
        path = Path(path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode())
            with open(file, "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()
