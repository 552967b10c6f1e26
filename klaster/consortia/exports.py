"""The consortium as PDF (fpdf2, DejaVu Sans for Polish letters) and XLSX (openpyxl): partners,
roles, countries, eligibility check, why each partner."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from klaster.common.pdf import pdf_document
from klaster.consortia.selectors import ConsortiumExport
from klaster.core.tabular import escape_cell, text_cell


def _headers() -> list[str]:
    return [
        _("Organisation"), _("PIC"), _("Country"), _("Kind"), _("SME"), _("Role"),
        _("Invitation"), _("Why this partner"),
    ]  # fmt: skip


def _verdict(export: ConsortiumExport) -> str:
    if export.eligible is None:
        return _("No proposal yet.")
    if export.eligible:
        return _("Eligible under %(rules)s.") % {"rules": export.rule_set_title}
    return _("Not yet eligible under %(rules)s.") % {"rules": export.rule_set_title}


def consortium_xlsx(export: ConsortiumExport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Consortium")[:31]
    sheet.append([export.idea.title])
    sheet["A1"].font = Font(bold=True, size=14)
    if export.idea.call:
        sheet.append([_("Call"), f"{export.idea.call.identifier}: {export.idea.call.title}"])
    sheet.append([_("Eligibility check"), _verdict(export)])
    for item in export.missing:
        sheet.append([_("Missing"), item])
    sheet.append([])
    sheet.append(_headers())
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in export.rows:
        sheet.append(
            [row.name, row.pic, row.country, row.kind, row.sme, row.role, row.status, row.reasons]
        )
        sheet.cell(sheet.max_row, 8).alignment = Alignment(wrap_text=True, vertical="top")
    # Titles, names and reasons come from members and CORDIS: none may run as a formula.
    for cells in sheet.iter_rows():
        for cell in cells:
            text_cell(cell)
    for column, width in zip("ABCDEFGH", (40, 12, 8, 8, 6, 30, 12, 80), strict=True):
        sheet.column_dimensions[column].width = width
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def consortium_pdf(export: ConsortiumExport) -> bytes:
    pdf = pdf_document(export.idea.title)
    width = pdf.epw

    def line(text: str, size: int = 10, height: float = 5.5) -> None:
        pdf.set_font("DejaVu", size=size)
        # Text copied from the PDF into a spreadsheet must not run as a formula either.
        pdf.multi_cell(width, height, escape_cell(text), new_x="LMARGIN", new_y="NEXT")

    line(export.idea.title, size=16, height=9)
    line(_("Coordinator: %(name)s") % {"name": export.idea.owner.name})
    if export.idea.call:
        line(f"{_('Call')}: {export.idea.call.identifier}: {export.idea.call.title}")
    pdf.ln(2)
    line(_verdict(export), size=12, height=7)
    for item in export.missing:
        line(f"– {item}")
    pdf.ln(3)
    for number, row in enumerate(export.rows, start=1):
        sme = f" · {_('SME')}" if row.sme == _("yes") else ""
        line(f"{number}. {row.name}", size=12, height=7)
        line(
            f"{row.country} · {row.kind}{sme} · PIC {row.pic} · {_('Role')}: {row.role} · "
            f"{_('Invitation')}: {row.status}"
        )
        line(f"{_('Why this partner')}: {row.reasons}", size=9, height=5)
        pdf.ln(2)
    return bytes(pdf.output())
