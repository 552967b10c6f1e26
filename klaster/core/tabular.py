"""Reading and writing the tables people keep in spreadsheets: CSV and XLSX.

Pure Python (openpyxl, no Django), so that the import can report, in the person's own terms,
what is wrong with a file: which line is not UTF-8, which columns are missing. Errors carry a
`code` and parameters; the web layer turns them into translated sentences.

Examples
--------
>>> table = read_table("name;nip\\nAlfa;5260250995\\n".encode(), filename="a.csv")
>>> table.headers, table.rows[0].number, table.rows[0].values["nip"]
(['name', 'nip'], 2, '5260250995')
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import openpyxl
from openpyxl.cell import WriteOnlyCell

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
_UTF8_BOM = b"\xef\xbb\xbf"
# Spreadsheets run a cell that starts with one of these as a formula; exports neutralise it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An XLSX is a zip of XML: a few kilobytes can unpack to gigabytes, or declare a million empty
# rows that a reader walks one by one. These bounds are far above a real member list.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 200
BLANK_ROWS_ALLOWED = 1000


class TabularError(ValueError):
    """A file that cannot be read as a table. `code` names the problem; `params` its details.

    Codes: ``empty``, ``no_rows``, ``not_utf8`` (line, text), ``not_text`` (a binary file
    named .csv), ``unknown_type`` (filename),
    ``old_excel``, ``broken_xlsx``, ``missing_columns`` (columns), ``duplicate_column``
    (column), ``too_many_values`` (row), ``too_many_rows`` (limit), ``too_big_unpacked``
    (megabytes).
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        details = ", ".join(f"{key}={value!r}" for key, value in params.items())
        super().__init__(f"{code}: {details}" if details else code)


@dataclass(frozen=True)
class TableRow:
    """One data row: `number` is the row as a spreadsheet shows it (the header is row 1)."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)

    def unknown_columns(self, known: Iterable[str]) -> list[str]:
        known = set(known)
        return [header for header in self.headers if header not in known]


def normalise_header(text: str) -> str:
    """Headers compare without case and surrounding spaces: " NIP " is the column "nip"."""
    return " ".join(str(text).split()).lower()


def file_kind(data: bytes, filename: str) -> str:
    """ "csv" or "xlsx", from the name and, where the name is silent, the first bytes."""
    name = filename.lower()
    if data.startswith(_OLE2_MAGIC) or name.endswith(".xls"):
        raise TabularError("old_excel")
    if name.endswith(XLSX_EXTENSIONS):
        return "xlsx"
    if name.endswith(CSV_EXTENSIONS):
        return "csv"
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    raise TabularError("unknown_type", filename=filename)


def read_table(
    data: bytes,
    *,
    filename: str,
    required: Sequence[str] = (),
    max_rows: int = 20000,
) -> Table:
    """The file as a header list and data rows; blank rows are skipped.

    Raises TabularError for an empty, unreadable or incomplete file. `required` columns are
    compared after `normalise_header`.
    """
    if not data.replace(_UTF8_BOM, b"").strip():
        raise TabularError("empty")
    kind = file_kind(data, filename)
    raw_rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    table = _table_from_rows(raw_rows, max_rows=max_rows)
    missing = [column for column in required if column not in table.headers]
    if missing:
        raise TabularError("missing_columns", columns=missing)
    return table


def _table_from_rows(raw_rows: Iterable[tuple[int, list[str]]], *, max_rows: int) -> Table:
    headers: list[str] | None = None
    rows: list[TableRow] = []
    for number, cells in raw_rows:
        # Blank rows count too: a sheet can declare a million of them, and walking those is
        # the cost to bound, not only the rows that hold data.
        if number > max_rows + BLANK_ROWS_ALLOWED + 1:
            raise TabularError("too_many_rows", limit=max_rows)
        if not any(cells):
            continue
        if headers is None:
            headers = [normalise_header(cell) for cell in cells]
            while headers and not headers[-1]:
                headers.pop()
            seen = set()
            for header in headers:
                if header and header in seen:
                    raise TabularError("duplicate_column", column=header)
                seen.add(header)
            continue
        if any(cells[len(headers) :]):
            raise TabularError("too_many_values", row=number)
        if len(rows) >= max_rows:
            raise TabularError("too_many_rows", limit=max_rows)
        values = {
            header: (cells[index] if index < len(cells) else "")
            for index, header in enumerate(headers)
            if header
        }
        rows.append(TableRow(number=number, values=values))
    if headers is None:
        raise TabularError("empty")
    if not rows:
        raise TabularError("no_rows")
    return Table(headers=[header for header in headers if header], rows=rows)


# Text files hold no NUL and almost no control characters other than tab and line ends; a
# workbook, PDF or image holds many. Judged on the first bytes, as a person's eye would be.
_BINARY_SAMPLE = 8192
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def looks_binary(data: bytes, *, valid_utf8: bool = False) -> bool:
    """Whether `data` is not a text file at all (rather than text in another encoding). In
    valid UTF-8 only a NUL counts: a stray control character pasted into a cell is still text."""
    sample = data[:_BINARY_SAMPLE]
    if sample.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        return True
    if sample.startswith(_UTF16_BOMS):
        return False  # text, but UTF-16: the encoding message applies
    if b"\x00" in sample:
        return True
    if valid_utf8:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(sample) // 100


def _decode_utf8(data: bytes) -> str:
    # Not text in some other encoding: saying "probably Windows-1250" would mislead.
    if looks_binary(data, valid_utf8=True):
        raise TabularError("not_text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if looks_binary(data):
            raise TabularError("not_text") from error
        line_number = data[: error.start].count(b"\n") + 1
        line = data.splitlines()[line_number - 1] if data.splitlines() else b""
        # Shown as Windows-1250 would read it, the line is usually recognisable to its author.
        shown = line.decode("cp1250", errors="replace").strip()[:120]
        raise TabularError("not_utf8", line=line_number, text=shown) from error


def _sniff_delimiter(text: str) -> str:
    """Comma or semicolon (Polish Excel saves CSV with semicolons), judged on the header."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {delimiter: header.count(delimiter) for delimiter in ",;\t"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _csv_rows(data: bytes) -> Iterable[tuple[int, list[str]]]:
    text = _decode_utf8(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [unescape_cell(cell.strip()) for cell in cells]
    except csv.Error as error:
        raise TabularError("broken_csv", line=reader.line_num, detail=str(error)) from error


def _check_unpacked_size(data: bytes) -> None:
    """Refuses a zip bomb from its directory, before anything is unpacked.

    The declared sizes can be trusted as a bound: Python's zipfile (which openpyxl reads with)
    never unpacks a member past its declared size; a lie ends in a failed checksum.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise TabularError("broken_xlsx") from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TabularError("too_big_unpacked", megabytes=MAX_XLSX_UNPACKED_BYTES // 2**20)


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, list[str]]]:
    _check_unpacked_size(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise TabularError("broken_xlsx") from error
    try:
        sheet = workbook.worksheets[0]
        # A declared width of 16,384 columns would pad every row to that many values, so
        # columns past the cap are not read; one past it is, so a stray value just right of
        # the data is still reported (too many values).
        width = sheet.max_column
        rows = sheet.iter_rows(
            values_only=True, max_col=MAX_COLUMNS + 1 if width and width > MAX_COLUMNS else None
        )
        for number, values in enumerate(rows, start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def escape_cell(text: str) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula (OWASP)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def text_cell(cell):
    """The openpyxl cell, stored as text: "=HYPERLINK(…)" stays words, never runs (OWASP).

    openpyxl takes any string starting with "=" for a formula; a text cell is never evaluated,
    and keeps identifiers' leading zeros. Every XLSX export writes its cells through this.
    """
    if cell.value is not None:
        cell.value = str(cell.value)
        cell.data_type = "s"
    return cell


def unescape_cell(text: str) -> str:
    """The inverse of `escape_cell`, so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with a byte-order mark: Excel then opens Polish letters correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_cell(str(value)) for value in row])
    return _UTF8_BOM + buffer.getvalue().encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([text_cell(WriteOnlyCell(sheet, value=str(value))) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
