"""A participant's agenda as a PDF (fpdf2), in DejaVu Sans so Polish letters print."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.common.pdf import pdf_document
from klaster.events.models import Registration
from klaster.events.selectors import AgendaItem


def agenda_pdf(*, registration: Registration, items: list[AgendaItem]) -> bytes:
    event = registration.event
    pdf = pdf_document(f"{event.title}: {registration.name}")
    width = pdf.epw

    def line(text: str, size: int = 11, height: float = 6) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")

    line(event.title, size=16, height=9)
    start = timezone.localtime(event.starts_at)
    line(f"{start:%Y-%m-%d %H:%M} · {event.place}")
    line(f"{registration.name} · {registration.organisation_name}")
    line(_("Check-in code: %(code)s") % {"code": registration.code}, size=13, height=8)
    pdf.ln(4)
    meetings = [item for item in items if item.partner is not None]
    if not meetings:
        line(_("No meetings announced yet."))
    for item in items:
        begin = timezone.localtime(item.start)
        end = timezone.localtime(item.end)
        when = f"{begin:%H:%M}–{end:%H:%M}"
        if item.is_break:
            line(f"{when}  {_('Break')}")
            continue
        line(
            f"{when}  "
            + _("Table %(table)s: %(partner)s (%(organisation)s, %(country)s)")
            % {
                "table": item.table + 1,
                "partner": item.partner.name,
                "organisation": item.partner.organisation_name,
                "country": item.partner.country,
            }
        )
    return bytes(pdf.output())
