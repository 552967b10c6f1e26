"""iCalendar (RFC 5545) text for events and agendas, written by hand: CRLF line ends, escaped
text values, lines folded at 75 octets, times in UTC. Pure text from plain values: the events
app builds the items (its addresses, its translated summaries) and passes the time stamp.

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
    """One VEVENT: an event or a meeting, with timezone-aware times; or a whole day (a call's
    deadline), with dates, `end` being the day after."""

    uid: str
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    r"""Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11).

    Examples
    --------
    >>> print(escape_text("Sala 1; piętro 2, wejście B\nWarszawa"))
    Sala 1\; piętro 2\, wejście B\nWarszawa
    """
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    r"""Split a content line into lines of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space.

    Examples
    --------
    >>> folded = fold_line("SUMMARY:" + "ż" * 40)
    >>> [len(part.encode("utf-8")) for part in folded.split("\r\n")]
    [74, 15]
    >>> fold_line("SUMMARY:short")
    'SUMMARY:short'
    """
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


def _when(name: str, moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        return f"{name}:{_utc(moment)}"
    return f"{name};VALUE=DATE:{moment.strftime('%Y%m%d')}"


def calendar(items: Iterable[CalendarItem], *, name: str, stamp: datetime.datetime) -> str:
    r"""A VCALENDAR named `name` holding `items`; `stamp` (when the text was made) is every
    item's DTSTAMP.

    Examples
    --------
    >>> utc = datetime.UTC
    >>> item = CalendarItem(uid="meeting-1@klaster", summary="B2B",
    ...     start=datetime.datetime(2026, 6, 1, 8, tzinfo=utc),
    ...     end=datetime.datetime(2026, 6, 1, 8, 20, tzinfo=utc), location="Stół 3")
    >>> print(calendar([item], name="Agenda", stamp=datetime.datetime(2026, 1, 1, tzinfo=utc)))
    ... # doctest: +NORMALIZE_WHITESPACE
    BEGIN:VCALENDAR VERSION:2.0 PRODID:-//Klaster//Calendar//PL CALSCALE:GREGORIAN
    METHOD:PUBLISH X-WR-CALNAME:Agenda BEGIN:VEVENT UID:meeting-1@klaster
    DTSTAMP:20260101T000000Z DTSTART:20260601T080000Z DTEND:20260601T082000Z SUMMARY:B2B
    LOCATION:Stół 3 END:VEVENT END:VCALENDAR
    >>> deadline = CalendarItem(uid="call-7@klaster", summary="Deadline",
    ...     start=datetime.date(2026, 9, 1), end=datetime.date(2026, 9, 2))
    >>> text = calendar([deadline], name="Calls", stamp=datetime.datetime(2026, 1, 1, tzinfo=utc))
    >>> [line for line in text.split("\r\n") if line.startswith("DT")]
    ['DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20260901', 'DTEND;VALUE=DATE:20260902']
    """
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Klaster//Calendar//PL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}",
            f"DTSTAMP:{_utc(stamp)}",
            _when("DTSTART", item.start),
            _when("DTEND", item.end),
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
