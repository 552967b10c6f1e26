"""The sector rules of funding calls: data in sector_rules.json, matched by `keyword_rules`.

Rules are keyed by sector code. A sector that staff added without rules of its own is
recognised by its Polish and English names; rules for a code with no sector are skipped.
The calls app passes the sectors it holds as plain `(code, name_pl, name_en)` tuples.

Examples
--------
>>> rule_set = sector_rule_set([("space", "Kosmos", "Space")])
>>> sector_codes_of_call(rule_set, {"title": "Usługi oparte na danych satelitarnych"})
('space',)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from klaster.core.keyword_rules import KeywordRule, RuleSet

RULES_FILE = Path(__file__).resolve().parent / "sector_rules.json"
DESCRIPTION_LIMIT = 8000  # the opening of a topic text says what it is about
# A description mentions much in passing; three mentions of a sector's terms make it a theme.
MIN_DESCRIPTION_HITS = 3


def read_rules(path: Path = RULES_FILE) -> dict[str, dict]:
    """The rules of `path` by sector code (keys starting with "_" are comments).

    Examples
    --------
    >>> rules = read_rules()
    >>> "_about" in rules, sorted(rules["space"])
    (False, ['codes', 'en', 'pl'])
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    return {code: rule for code, rule in data.items() if not code.startswith("_")}


def sector_rule_set(
    sectors: Iterable[tuple[str, str, str]], rules: Mapping[str, dict] | None = None
) -> RuleSet:
    """Rules for the sectors `(code, name_pl, name_en)` that exist, in their order; a sector
    without rules in `rules` (by default those of `read_rules()`) is known by its two names.

    Examples
    --------
    >>> rule_set = sector_rule_set(
    ...     [("ict", "ICT", "ICT"), ("agri", "Rolnictwo", "Agriculture")],
    ...     rules={"ict": {"en": ["software"], "codes": ["CL4"]}, "gone": {"en": ["x"]}},
    ... )
    >>> [rule.label for rule in rule_set.rules]
    ['ict', 'agri']
    >>> rule_set.match(headline="Rolnictwo precyzyjne"), rule_set.match(headline="Software")
    (('agri',), ('ict',))
    """
    rules = read_rules() if rules is None else rules
    keyword_rules = []
    for code, name_pl, name_en in sectors:
        rule = rules.get(code)
        if rule is None:
            rule = {"en": [name_en], "pl": [name_pl]}
        keyword_rules.append(
            KeywordRule(
                code,
                terms={language: tuple(rule.get(language, ())) for language in ("en", "pl")},
                codes=tuple(rule.get("codes", ())),
            )
        )
    return RuleSet(keyword_rules, min_body_hits=MIN_DESCRIPTION_HITS)


def sector_codes_of_call(rule_set: RuleSet, fields: Mapping[str, str]) -> tuple[str, ...]:
    """Sector codes for a call's `title`, `keywords`, `description`, identifiers, programme.

    A code or one term in the title or keywords is enough; the description needs
    `MIN_DESCRIPTION_HITS` mentions.

    Examples
    --------
    >>> rule_set = sector_rule_set(
    ...     [("ict", "ICT", "ICT"), ("energy", "Energetyka", "Energy")],
    ...     rules={"ict": {"en": ["software"], "codes": ["CL4"]}, "energy": {"en": ["grid"]}},
    ... )
    >>> sector_codes_of_call(rule_set, {"identifier": "HORIZON-CL4-2026-01", "title": "Grids"})
    ('ict', 'energy')
    >>> sector_codes_of_call(rule_set, {"title": "Call", "description": "grid " * 2})
    ()
    >>> sector_codes_of_call(rule_set, {"title": "Call", "description": "grid " * 3})
    ('energy',)
    """
    return rule_set.match(
        headline=" ".join([fields.get("title") or "", fields.get("keywords") or ""]),
        body=(fields.get("description") or "")[:DESCRIPTION_LIMIT],
        codes=[
            fields.get("identifier") or "",
            fields.get("call_identifier") or "",
            fields.get("programme") or "",
        ],
    )
