"""Country names in the reader's language, for the two-letter codes Klaster stores.

CORDIS writes Greece as EL and the United Kingdom as UK (the EU's own codes); ISO 3166 and the
name tables say GR and GB, so those two are looked up under their ISO codes. A code nobody
knows is shown as it is rather than hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from django_countries import countries

EU_TO_ISO = {"EL": "GR", "UK": "GB"}


def country_name(code: str | None) -> str:
    """The name of the country `code` stands for, translated; the code itself if unknown."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    return countries.name(EU_TO_ISO.get(code, code)) or code


def country_choices(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs ordered by name in the reader's language: the given codes, or all."""
    if codes is None:
        return [(code, str(name)) for code, name in countries]
    # django-countries knows how to order names in the reader's language; follow its order.
    order = {code: position for position, (code, _name) in enumerate(countries)}
    pairs = [(code, country_name(code)) for code in dict.fromkeys(codes) if code]
    return sorted(
        pairs,
        key=lambda pair: (order.get(EU_TO_ISO.get(pair[0], pair[0]), len(order)), pair[1]),
    )
