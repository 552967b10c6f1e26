"""A project idea looking for a consortium, as the `consortium propose` contract writes it.

    {"title", "objective", "keywords", "topic", "call", "funding_scheme", "coordinator",
     "pinned": [], "excluded": []}

Text fields may be missing or null; keywords may be a comma-separated string or a list of
strings; the coordinator is a CORDIS organisationID (PIC). Optional extras: "required_roles"
(list of strings), "max_per_country" (integer), "include_sme" (true/false).
"""

from __future__ import annotations

from dataclasses import dataclass

from klaster.core.partners.features import PartnerQuery

TEXT_FIELDS = ("title", "objective", "topic", "call", "funding_scheme")


class IdeaFormatError(ValueError):
    """An idea that does not follow the contract; names the field."""


@dataclass(frozen=True)
class ConsortiumIdea:
    query: PartnerQuery
    pinned: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    required_roles: tuple[str, ...] = ()
    max_per_country: int | None = None
    include_sme: bool = False


def _organisation_id(value, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise IdeaFormatError(f"{field} must be an organisation id (string or integer)")
    text = str(value).strip()
    if not text:
        raise IdeaFormatError(f"{field} is empty")
    return text


def _id_list(data: dict, field: str) -> tuple[str, ...]:
    value = data.get(field)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise IdeaFormatError(f"{field} must be a list of organisation ids")
    return tuple(dict.fromkeys(_organisation_id(v, f"{field}[{i}]") for i, v in enumerate(value)))


def parse_idea(data: object) -> ConsortiumIdea:
    """A decoded idea.json as a `ConsortiumIdea`, or `IdeaFormatError` naming the field.

    Examples
    --------
    >>> parse_idea({"title": "Grid AI", "coordinator": 999, "keywords": "ai, grid"}).query.keywords
    ('ai', 'grid')
    """
    if not isinstance(data, dict):
        raise IdeaFormatError(f"the idea must be a JSON object, not {type(data).__name__}")
    if data.get("coordinator") in (None, ""):
        raise IdeaFormatError("coordinator is missing")
    coordinator = _organisation_id(data["coordinator"], "coordinator")
    texts = {}
    for field in TEXT_FIELDS:
        value = data.get(field)
        if value is not None and not isinstance(value, str):
            raise IdeaFormatError(f"{field} must be a string, not {type(value).__name__}")
        texts[field] = (value or "").strip()
    keywords = data.get("keywords")
    if keywords is None:
        keywords = ()
    elif isinstance(keywords, str):
        keywords = tuple(k.strip() for k in keywords.split(",") if k.strip())
    elif isinstance(keywords, list) and all(isinstance(k, str) for k in keywords):
        keywords = tuple(k.strip() for k in keywords if k.strip())
    else:
        raise IdeaFormatError("keywords must be a string or a list of strings")
    pinned = tuple(p for p in _id_list(data, "pinned") if p != coordinator)
    excluded = _id_list(data, "excluded")
    if coordinator in excluded:
        raise IdeaFormatError("excluded names the coordinator")
    both = sorted(set(pinned) & set(excluded))
    if both:
        raise IdeaFormatError(f"pinned and excluded both name {', '.join(both)}")
    roles = data.get("required_roles") or []
    if not isinstance(roles, list) or not all(isinstance(r, str) and r.strip() for r in roles):
        raise IdeaFormatError("required_roles must be a list of non-empty strings")
    max_per_country = data.get("max_per_country")
    if max_per_country is not None and (
        isinstance(max_per_country, bool)
        or not isinstance(max_per_country, int)
        or max_per_country < 1
    ):
        raise IdeaFormatError("max_per_country must be a whole number of at least 1")
    include_sme = data.get("include_sme", False)
    if not isinstance(include_sme, bool):
        raise IdeaFormatError("include_sme must be true or false")
    title = texts["title"] or texts["topic"]
    query = PartnerQuery(
        title=title,
        objective=texts["objective"],
        keywords=keywords,
        topic=texts["topic"],
        call=texts["call"],
        funding_scheme=texts["funding_scheme"],
        coordinator=coordinator,
    )
    return ConsortiumIdea(
        query=query,
        pinned=pinned,
        excluded=excluded,
        required_roles=tuple(r.strip() for r in roles),
        max_per_country=max_per_country,
        include_sme=include_sme,
    )
