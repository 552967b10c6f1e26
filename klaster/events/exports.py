"""Participant lists of an event as CSV and XLSX files for staff."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from klaster.events.models import Registration


def _header() -> list[str]:
    return [
        _("Code"), _("Name"), _("E-mail"), _("Organisation"), _("Country"), _("Member"),
        _("Status"), _("Checked in"), _("Sectors"), _("What we offer"), _("What we look for"),
        _("Registered at"),
    ]  # fmt: skip


def _rows(registrations: Iterable[Registration]) -> Iterable[list]:
    for r in registrations:
        yield [
            r.code,
            r.name,
            r.email,
            r.organisation_name,
            r.country,
            _("yes") if r.organisation_id else _("no"),
            r.get_status_display(),
            r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else "",
            ", ".join(s.name_pl for s in r.sectors.all()),
            r.offers,
            r.looking_for,
            r.created_at.strftime("%Y-%m-%d %H:%M"),
        ]


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def participants_csv(registrations: Iterable[Registration]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for row in _rows(registrations):
        writer.writerow([_safe(v) for v in row])
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8


def participants_xlsx(registrations: Iterable[Registration], *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append(_header())
    for row in _rows(registrations):
        sheet.append([_safe(v) for v in row])
    sheet.freeze_panes = "A2"
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
