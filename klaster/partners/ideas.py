"""A project idea as the core speaks it (`PartnerQuery`), parsed once for every way one arrives:
the find-partners form, the partners API and the consortium builder.

The parser applies the same rules to all three: texts trimmed, keywords split, the coordinator
given as a PIC (9 digits) or as the exact name of one CORDIS organisation, a funding call filling
in the topic, call and scheme (and the texts, when the idea has none of its own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from klaster.calls.models import Call
from klaster.core.partners.features import PartnerQuery
from klaster.members.identifiers import clean_pic
from klaster.partners.selectors import coordinator_pic_named, idea_from_call

DESCRIBING_FIELDS = ("title", "objective", "keywords")


def keyword_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Keywords given as one comma-separated text or as a list, trimmed, empty ones left out."""
    if not value:
        return ()
    parts = value.split(",") if isinstance(value, str) else value
    return tuple(part.strip() for part in parts if part and part.strip())


def coordinator_parse(given: str | None) -> str:
    """The coordinator's PIC: a PIC as it is, or the name of one CORDIS organisation turned into
    its PIC; "" when none is given. `ValidationError` when neither fits."""
    given = " ".join((given or "").split())
    if not given:
        return ""
    if given.replace(" ", "").isdigit():
        return clean_pic(given)  # digits are meant as a PIC: say so when they are not one
    pic = coordinator_pic_named(given)
    if pic is None:
        raise ValidationError(
            _("No single organisation in CORDIS is called “%(name)s”: pick one of the "
              "suggestions, or give its 9-digit PIC.") % {"name": given},
            code="unknown_coordinator",
        )  # fmt: skip
    return pic


def idea_parse(data: Mapping[str, object], *, call: Call | None = None) -> PartnerQuery:
    """The idea in `data` (title, objective, keywords as text or list, topic, call identifier,
    funding_scheme, coordinator as PIC or name), with a funding `call` filling in what it says.

    Raises `ValidationError` with a message per field (`coordinator`) or for the whole idea when
    it describes nothing.
    """

    def text(name: str) -> str:
        value = data.get(name)
        return value.strip() if isinstance(value, str) else ""

    try:
        coordinator = coordinator_parse(text("coordinator"))
    except ValidationError as error:
        raise ValidationError({"coordinator": error.messages}) from None
    from_call = idea_from_call(call=call) if call is not None else {}
    keywords = keyword_tuple(data.get("keywords"))
    described = bool(text("title") or text("objective") or keywords)
    if not described and from_call:
        title, objective = from_call["title"], from_call["objective"]
        keywords = keyword_tuple(from_call["keywords"])
    else:
        title, objective = text("title"), text("objective")
    idea = PartnerQuery(
        title=title,
        objective=objective,
        keywords=keywords,
        topic=from_call.get("topic") or text("topic"),
        call=from_call.get("call") or text("call"),
        funding_scheme=text("funding_scheme") or from_call.get("funding_scheme", ""),
        coordinator=coordinator,
    )
    if not (idea.title or idea.objective or idea.keywords or idea.topic):
        raise ValidationError(
            _("Describe the idea (a title, an objective or keywords) or pick a funding call."),
            code="empty_idea",
        )
    return idea
