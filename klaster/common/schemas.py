"""What every API operation shares: error bodies, optional sign-in, bounded ids and safe text.

The OpenAPI schema is a promise to the programs that call us, so each operation lists the
errors it can answer with, all in these two shapes.
"""

import datetime
from typing import Annotated

from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator

from klaster.core.limits import EARLIEST_YEAR, LATEST_YEAR, MAX_ROW_ID, has_nul, sane_year

# A larger id than the database holds would overflow its driver: refused as bad input (422).
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

# Page numbers beyond this are refused instead of turned into an OFFSET that overflows.
MAX_PAGE = 100_000


def _no_nul(text: str) -> str:
    # PostgreSQL cannot store NUL in text; refusing it here keeps the write from failing later.
    if has_nul(text):
        raise ValueError(gettext("Text may not contain NUL characters."))
    return text


def _sane_date(day: datetime.date) -> datetime.date:
    if not sane_year(day.year):
        raise ValueError(
            gettext("Give a date between %(first)d and %(last)d.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return day


SaneDate = Annotated[datetime.date, AfterValidator(_sane_date)]


def Text(max_length: int, **kwargs):  # noqa: N802 (reads like a type in a schema)
    """A string of at most `max_length` characters without NUL, for API input."""
    return Annotated[str, AfterValidator(_no_nul), Field(max_length=max_length, **kwargs)]


class ErrorOut(Schema):
    """Refusals: 401 sign in, 403 not allowed, 404 no such thing (or not visible to you)."""

    detail: str


class InvalidInputItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class InvalidInputOut(Schema):
    """422: the request does not fit the operation's parameters or body; one item per problem."""

    detail: list[InvalidInputItem]


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidInputOut}


def errors(*codes: int) -> dict:
    """Documented error answers for an operation's `response=`, e.g. `**errors(401, 422)`."""
    return {code: ERRORS[code] for code in codes}


# Readable without signing in: the schema lists "no authentication" as an alternative to the
# token (ninja appends this to the operation's own security requirement).
ANONYMOUS_ALLOWED = {"security": [{}]}
