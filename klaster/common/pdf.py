"""PDF documents (fpdf2) the apps print, in DejaVu Sans so that Polish letters print."""

from __future__ import annotations

from pathlib import Path

FONT = "DejaVu"


def font_path() -> Path:
    """DejaVu Sans as shipped inside matplotlib (a dependency), else the system's copy."""
    import matplotlib

    shipped = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    if shipped.exists():
        return shipped
    return Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf_document(title: str):
    """An A4 `fpdf.FPDF` titled `title`, with the `FONT` added and its first page started."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Klaster")
    pdf.add_font(FONT, "", str(font_path()))
    pdf.add_page()
    return pdf
