"""Spreadsheets built to hurt: zip bombs and sheets of a million blank rows are refused before
they are walked; exported cells never run as formulas."""

import io
import zipfile

import openpyxl
import pytest

from klaster.core import tabular
from klaster.core.limits import row_id, sane_year
from klaster.core.tabular import TabularError, read_table, text_cell, write_xlsx

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook(rows_xml: str, *, dimension: str, padding: int = 0) -> bytes:
    """A minimal XLSX written by hand, as an attacker would, compressed."""
    sheet = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>{rows_xml}'
        f"</sheetData></worksheet>" + " " * padding
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, xml)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


_HEADER_AND_ONE_ROW = (
    '<row r="1">' + _cell("A1", "name") + '</row><row r="2">' + _cell("A2", "Alfa") + "</row>"
)


def test_a_small_workbook_of_a_million_blank_rows_is_refused():
    # Given a 2 kB file whose last row is number 1,048,576: every row between is blank
    data = _workbook(
        _HEADER_AND_ONE_ROW + '<row r="1048576">' + _cell("A1048576", "x") + "</row>",
        dimension="A1:A1048576",
    )
    assert len(data) < 5_000

    with pytest.raises(TabularError) as error:
        read_table(data, filename="members.xlsx", max_rows=20_000)

    assert error.value.code == "too_many_rows"
    assert error.value.params == {"limit": 20_000}


def test_explicit_blank_rows_count_against_the_row_cap():
    blank = "".join(f'<row r="{number}"/>' for number in range(3, 30_000))
    data = _workbook(_HEADER_AND_ONE_ROW + blank, dimension="A1:A30000")

    with pytest.raises(TabularError) as error:
        read_table(data, filename="members.xlsx", max_rows=1_000)

    assert error.value.code == "too_many_rows"


def test_a_workbook_that_unpacks_beyond_the_cap_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_UNPACKED_BYTES", 1024 * 1024)
    data = _workbook(_HEADER_AND_ONE_ROW, dimension="A1:A2", padding=2 * 1024 * 1024)
    assert len(data) < 50_000
    monkeypatch.setattr(
        openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the bomb was opened")
    )

    with pytest.raises(TabularError) as error:
        read_table(data, filename="members.xlsx")

    assert error.value.code == "too_big_unpacked"
    assert error.value.params == {"megabytes": 1}


def test_a_few_blank_rows_between_data_are_still_fine():
    rows = _HEADER_AND_ONE_ROW + '<row r="900">' + _cell("A900", "Beta") + "</row>"

    table = read_table(_workbook(rows, dimension="A1:A900"), filename="members.xlsx")

    assert [row.values["name"] for row in table.rows] == ["Alfa", "Beta"]
    assert [row.number for row in table.rows] == [2, 900]


def test_a_declared_width_of_16384_columns_is_read_only_to_the_column_cap(monkeypatch):
    # Each of these rows would otherwise be padded to 16,384 values.
    rows = "".join(f'<row r="{n}">' + _cell(f"A{n}", f"Org {n}") + "</row>" for n in range(2, 200))
    data = _workbook('<row r="1">' + _cell("A1", "name") + "</row>" + rows, dimension="A1:XFD199")
    widths = []
    cell_text = tabular._cell_text
    monkeypatch.setattr(tabular, "_cell_text", lambda value: widths.append(1) or cell_text(value))

    table = read_table(data, filename="members.xlsx")

    assert len(table.rows) == 198
    assert len(widths) <= 199 * (tabular.MAX_COLUMNS + 1)


def test_exported_xlsx_cells_that_look_like_formulas_stay_text():
    data = write_xlsx(["name"], [['=HYPERLINK("http://evil.example","x")'], ["+48 22"]], title="T")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active

    assert sheet["A2"].value == '=HYPERLINK("http://evil.example","x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].data_type == "s"


def test_text_cell_turns_a_formula_into_text():
    sheet = openpyxl.Workbook().active
    sheet.append(["=1+1", "@SUM(A1)", 7, None])

    for cell in sheet[1]:
        text_cell(cell)

    assert [cell.data_type for cell in sheet[1]] == ["s", "s", "s", "n"]
    assert sheet["C1"].value == "7"


def test_row_ids_beyond_64_bits_name_no_row():
    assert row_id("12345678901234567890") is None
    assert row_id("9223372036854775807") == 2**63 - 1
    assert row_id("0") is None
    assert row_id("٣") is None  # an Arabic-Indic digit: isdigit() says yes, int() would too


def test_years_outside_1900_to_2100_are_not_sane():
    assert not sane_year(9999)
    assert not sane_year(1899)
    assert sane_year(2100)
