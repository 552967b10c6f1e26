"""iCalendar (RFC 5545) text for events and agendas, written by hand: CRLF line ends, escaped
text values, lines folded at 75 octets, times in UTC.

Examples
--------
>>> import datetime
>>> utc = datetime.UTC
>>> item = CalendarItem(uid="event-1@klaster", summary="Dzień B2B; energia",
...     start=datetime.datetime(2026, 5, 1, 8, tzinfo=utc),
...     end=datetime.datetime(2026, 5, 1, 9, tzinfo=utc))
>>> text = calendar([item], name="Klaster", stamp=datetime.datetime(2026, 1, 1, tzinfo=utc))
>>> "SUMMARY:Dzień B2B\\\\; energia\\r\\n" in text
True
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

LINE_OCTETS = 75


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    summary: str
    start: datetime.datetime
    end: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space."""
    parts: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    items: Iterable[CalendarItem], *, name: str, stamp: datetime.datetime | None = None
) -> str:
    stamp = stamp or datetime.datetime.now(datetime.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Klaster//Events//PL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(item.start)}",
            f"DTEND:{_utc(item.end)}",
            f"SUMMARY:{escape_text(item.summary)}",
        ]
        if item.description:
            lines.append(f"DESCRIPTION:{escape_text(item.description)}")
        if item.location:
            lines.append(f"LOCATION:{escape_text(item.location)}")
        if item.url:
            lines.append(f"URL:{item.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
