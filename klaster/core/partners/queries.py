"""Project ideas as JSON lines: the batch contract of the partner engine.

One JSON object a line: project_id, title, objective, keywords, topic, call, funding_scheme,
start_date, coordinator (a CORDIS organisationID). Text fields may be missing or null; keywords
may be a comma-separated string or a list. Any other shape is refused with the line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from klaster.core.partners.features import PartnerQuery

QUERY_FIELDS = (
    "project_id", "title", "objective", "keywords", "topic", "call", "funding_scheme",
    "start_date", "coordinator",
)  # fmt: skip
_TEXT_FIELDS = ("title", "objective", "topic", "call", "funding_scheme")


class QueryFormatError(ValueError):
    """A query line that does not follow the contract; names the line."""

    def __init__(self, source: str, line: int, message: str):
        self.source, self.line = source, line
        super().__init__(f"{source}, line {line}: {message}")


def _identifier(value, name: str, fail) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        fail(f"{name} must be a string or an integer, not {type(value).__name__}")
    text = str(value).strip()
    if not text:
        fail(f"{name} is empty")
    return text


def parse_query(data: object, *, source: str = "<queries>", line: int = 1) -> PartnerQuery:
    """One decoded JSON value as a `PartnerQuery`, or `QueryFormatError` naming the line.

    Examples
    --------
    >>> parse_query({"project_id": "1", "coordinator": 999, "keywords": "a, b"}).keywords
    ('a', 'b')
    """

    def fail(message: str):
        raise QueryFormatError(source, line, message)

    if not isinstance(data, dict):
        fail(f"expected a JSON object, got {type(data).__name__}")
    for required in ("project_id", "coordinator"):
        if data.get(required) in (None, ""):
            fail(f"{required} is missing")
    project_id = _identifier(data["project_id"], "project_id", fail)
    coordinator = _identifier(data["coordinator"], "coordinator", fail)
    texts = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            fail(f"{name} must be a string, not {type(value).__name__}")
        texts[name] = (value or "").strip()
    keywords = data.get("keywords")
    if keywords is None:
        keywords = ()
    elif isinstance(keywords, str):
        keywords = tuple(k.strip() for k in keywords.split(",") if k.strip())
    elif isinstance(keywords, list) and all(isinstance(k, str) for k in keywords):
        keywords = tuple(k.strip() for k in keywords if k.strip())
    else:
        fail("keywords must be a string or a list of strings")
    start_date = data.get("start_date")
    if start_date in (None, ""):
        start_date = None
    elif isinstance(start_date, str):
        try:
            start_date = date.fromisoformat(start_date[:10])
        except ValueError:
            fail(f"start_date {start_date!r} is not a date (YYYY-MM-DD)")
    else:
        fail("start_date must be a string (YYYY-MM-DD)")
    return PartnerQuery(
        project_id=project_id,
        coordinator=coordinator,
        keywords=keywords,
        start_date=start_date,
        **texts,
    )


def read_queries(lines: Iterable[str], *, source: str = "<queries>") -> list[PartnerQuery]:
    """Every query of a JSON-lines text; blank lines are skipped, anything else must parse.

    Raises `QueryFormatError` at the first bad line, before any query is answered.
    """
    queries = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QueryFormatError(source, number, f"not valid JSON ({exc.msg})") from None
        query = parse_query(data, source=source, line=number)
        if query.project_id in seen:
            raise QueryFormatError(source, number, f"project_id {query.project_id} repeats")
        seen.add(query.project_id)
        queries.append(query)
    return queries
