"""Bounds on what people and programs may write, shared by forms, the API and imports.

Pure Python. Each bound is far beyond any real value and keeps out what only a mistake or a
script produces: a date in the year 9999, a NUL character (PostgreSQL cannot store it).

Examples
--------
>>> sane_year(2025), sane_year(9999)
(True, False)
>>> has_nul("Alfa\\x00"), has_nul("Alfa")
(True, False)
>>> row_id("42"), row_id("12345678901234567890"), row_id("abc")
(42, None, None)
"""

# Row ids are 64-bit integers (BigAutoField) in SQLite and PostgreSQL. A larger number names no
# row, and the database driver overflows on it instead of finding nothing.
MAX_ROW_ID = 2**63 - 1

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


def sane_year(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def has_nul(text: str) -> bool:
    return "\x00" in text


def row_id(text: str | None) -> int | None:
    """The row id written in `text` (a query parameter), or None if it cannot name a row."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None
