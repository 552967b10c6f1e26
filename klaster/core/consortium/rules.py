"""Eligibility rule sets of funding schemes, read from data files, and the check of a consortium.

A rule set is a JSON file in `rules/` named after the set (`horizon-ria.json`, ...); country lists
live in `rules/countries.json`, so a new association agreement is an edit of data, not code.
Staff may add a set by dropping a file of the same shape into the folder (or another folder
passed as `folder`). The fields, all optional except `title`:

- ``min_entities`` / ``max_entities`` (with ``max_entities_reason``): how many legal entities;
- ``distinct_countries``: ``{"min": 3, "from": [<country list>, ...]}``, entities established in
  at least that many different countries of those lists;
- ``at_least_from``: ``[{"min": 1, "from": [<country list>, ...]}]``;
- ``all_from``: ``[<country list>, ...]``, every entity must be established there;
- ``at_least_of_type``: ``[{"min": 1, "activity_types": ["PRC"], "label": "enterprise"}]``, by
  CORDIS activity type (PRC, HES, REC, PUB, OTH).

Distinct organisation ids stand for independent legal entities; whether two entities are
affiliated is not known from the data and is left to the applicant.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from klaster.core.messages import Message, message

RULES_DIR = Path(__file__).resolve().parent / "rules"
COUNTRIES_FILE = "countries.json"
ACTIVITY_TYPES = ("PRC", "HES", "REC", "PUB", "OTH")
_KNOWN_FIELDS = frozenset(
    {
        "title", "source", "min_entities", "max_entities", "max_entities_reason",
        "distinct_countries", "at_least_from", "all_from", "at_least_of_type",
    }
)  # fmt: skip


class RuleSetError(ValueError):
    """A rule set that does not exist or cannot be read; says which and why."""


@dataclass(frozen=True)
class CountryList:
    name: str
    label: str
    countries: frozenset[str]


@dataclass(frozen=True)
class CountryRequirement:
    """At least `minimum` entities (or distinct countries) from the union of `lists`."""

    minimum: int
    lists: tuple[CountryList, ...]

    @property
    def countries(self) -> frozenset[str]:
        return frozenset().union(*(c.countries for c in self.lists))

    @property
    def label(self) -> str:
        return " or ".join(c.label for c in self.lists)


@dataclass(frozen=True)
class TypeRequirement:
    minimum: int
    activity_types: frozenset[str]
    label: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    min_entities: int = 1
    max_entities: int | None = None
    max_entities_reason: str = ""
    distinct_countries: CountryRequirement | None = None
    at_least_from: tuple[CountryRequirement, ...] = ()
    all_from: CountryRequirement | None = None
    at_least_of_type: tuple[TypeRequirement, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Entity:
    """What the rules look at in a consortium member."""

    organisation_id: str
    country: str = ""
    activity_type: str = ""
    sme: bool | None = None


@dataclass(frozen=True)
class CheckResult:
    eligible: bool
    missing: tuple[Message, ...] = field(default=())


def rule_set_names(folder: Path = RULES_DIR) -> list[str]:
    """Names of the rule sets in `folder`, sorted."""
    return sorted(p.stem for p in folder.glob("*.json") if p.name != COUNTRIES_FILE)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleSetError(f"cannot read {path.name}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RuleSetError(f"{path.name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RuleSetError(f"{path.name} must hold a JSON object")
    return data


def _country_lists(folder: Path) -> dict[str, CountryList]:
    data = _read_json(folder / COUNTRIES_FILE)
    lists = {}
    for name, entry in data.items():
        if name.startswith("_"):
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("countries"), list):
            raise RuleSetError(f"{COUNTRIES_FILE}: {name} needs a list of countries")
        lists[name] = CountryList(
            name, str(entry.get("label") or name), frozenset(map(str, entry["countries"]))
        )
    return lists


def _positive_int(value, where: str, *, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1):
        raise RuleSetError(f"{where} must be a whole number of at least {0 if zero else 1}")
    return value


def _country_requirement(entry, where: str, lists: dict[str, CountryList]) -> CountryRequirement:
    if not isinstance(entry, dict):
        raise RuleSetError(f"{where} must be an object with min and from")
    names = entry.get("from")
    if not isinstance(names, list) or not names:
        raise RuleSetError(f"{where}.from must name at least one country list")
    unknown = [n for n in names if n not in lists]
    if unknown:
        raise RuleSetError(
            f"{where}.from names unknown country list(s) {', '.join(map(str, unknown))}; "
            f"known: {', '.join(sorted(lists))}"
        )
    return CountryRequirement(
        _positive_int(entry.get("min", 1), f"{where}.min"), tuple(lists[n] for n in names)
    )


def parse_rule_set(name: str, data: dict, lists: dict[str, CountryList]) -> RuleSet:
    """A rule set from its decoded file, or `RuleSetError` naming the field at fault."""
    where = f"rule set {name}"
    unknown = sorted(set(data) - _KNOWN_FIELDS)
    if unknown:
        raise RuleSetError(f"{where}: unknown field(s) {', '.join(unknown)}")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        raise RuleSetError(f"{where}: title is missing")
    min_entities = _positive_int(data.get("min_entities", 1), f"{where}: min_entities")
    max_entities = data.get("max_entities")
    if max_entities is not None:
        max_entities = _positive_int(max_entities, f"{where}: max_entities")
        if max_entities < min_entities:
            raise RuleSetError(f"{where}: max_entities is below min_entities")
    distinct = data.get("distinct_countries")
    at_least_from = data.get("at_least_from", [])
    types = data.get("at_least_of_type", [])
    if not isinstance(at_least_from, list) or not isinstance(types, list):
        raise RuleSetError(f"{where}: at_least_from and at_least_of_type must be lists")
    all_from = data.get("all_from")
    if all_from is not None:
        all_from = _country_requirement({"min": 1, "from": all_from}, f"{where}: all_from", lists)
    type_requirements = []
    for i, entry in enumerate(types):
        spot = f"{where}: at_least_of_type[{i}]"
        activity_types = entry.get("activity_types") if isinstance(entry, dict) else None
        if not isinstance(activity_types, list) or not set(activity_types) <= set(ACTIVITY_TYPES):
            raise RuleSetError(
                f"{spot}.activity_types must be a list of {', '.join(ACTIVITY_TYPES)}"
            )
        type_requirements.append(
            TypeRequirement(
                _positive_int(entry.get("min", 1), f"{spot}.min"),
                frozenset(activity_types),
                str(entry.get("label") or "/".join(activity_types)),
            )
        )
    return RuleSet(
        name=name,
        title=data["title"].strip(),
        min_entities=min_entities,
        max_entities=max_entities,
        max_entities_reason=str(data.get("max_entities_reason", "")),
        distinct_countries=(
            _country_requirement(distinct, f"{where}: distinct_countries", lists)
            if distinct is not None
            else None
        ),
        at_least_from=tuple(
            _country_requirement(e, f"{where}: at_least_from[{i}]", lists)
            for i, e in enumerate(at_least_from)
        ),
        all_from=all_from,
        at_least_of_type=tuple(type_requirements),
        source=str(data.get("source", "")),
    )


@cache
def _load(name: str, folder: Path) -> RuleSet:
    path = folder / f"{name}.json"
    if name == COUNTRIES_FILE.removesuffix(".json") or not path.is_file():
        raise RuleSetError(f"unknown rule set {name!r}; known: {', '.join(rule_set_names(folder))}")
    return parse_rule_set(name, _read_json(path), _country_lists(folder))


def load_rule_set(name: str, *, folder: str | Path = RULES_DIR) -> RuleSet:
    """The rule set called `name` (e.g. ``horizon-ria``), or `RuleSetError` listing known names.

    Examples
    --------
    >>> load_rule_set("horizon-ria").min_entities
    3
    """
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise RuleSetError(f"unknown rule set {name!r}")
    return _load(name, Path(folder).resolve())


def _entities(n: int) -> str:
    return "legal entity" if n == 1 else "legal entities"


def check(rules: RuleSet, consortium: list[Entity] | tuple[Entity, ...]) -> CheckResult:
    """Whether `consortium` meets `rules`, and what it still lacks, in words.

    Examples
    --------
    >>> rules = load_rule_set("horizon-ria")
    >>> str(check(rules, [Entity("1", "PL"), Entity("2", "DE")]).missing[0])
    'at least 3 independent legal entities (has 2)'
    """
    unique = list({e.organisation_id: e for e in consortium}.values())
    count = len(unique)
    missing = []
    if count < rules.min_entities:
        missing.append(
            message(
                "min_entities",
                "at least {minimum} independent legal entities (has {count})",
                minimum=rules.min_entities,
                count=count,
            )
        )
    if rules.max_entities is not None and count > rules.max_entities:
        missing.append(
            message(
                "max_entities_because" if rules.max_entities_reason else "max_entities",
                f"at most {{maximum}} {_entities(rules.max_entities)}: {{reason}} (has {{count}})"
                if rules.max_entities_reason
                else f"at most {{maximum}} {_entities(rules.max_entities)} (has {{count}})",
                maximum=rules.max_entities,
                count=count,
                **({"reason": rules.max_entities_reason} if rules.max_entities_reason else {}),
            )
        )
    if rules.all_from is not None:
        outside = sorted({e.country or "unknown" for e in unique} - rules.all_from.countries)
        if outside:
            missing.append(
                message(
                    "all_from",
                    "every legal entity established in {label} (also has {countries})",
                    label=rules.all_from.label,
                    countries=", ".join(outside),
                )
            )
    if rules.distinct_countries is not None:
        need = rules.distinct_countries
        countries = sorted({e.country for e in unique if e.country in need.countries})
        if len(countries) < need.minimum:
            missing.append(
                message(
                    "distinct_countries",
                    "legal entities from at least {minimum} different {label} (has {count}{listed})",
                    minimum=need.minimum,
                    label=need.label,
                    count=len(countries),
                    listed=f": {', '.join(countries)}" if countries else "",
                )
            )
    for need in rules.at_least_from:
        have = sum(1 for e in unique if e.country in need.countries)
        if have < need.minimum:
            missing.append(
                message(
                    "at_least_from",
                    "at least {minimum} legal entities from the {label} (has {count})"
                    if need.minimum > 1
                    else "at least one legal entity from the {label} (has {count})",
                    minimum=need.minimum,
                    label=need.label,
                    count=have,
                )
            )
    for need in rules.at_least_of_type:
        have = sum(1 for e in unique if e.activity_type in need.activity_types)
        if have < need.minimum:
            missing.append(
                message(
                    "at_least_of_type",
                    "at least {amount} {label} ({kinds}; has {count})",
                    amount="one" if need.minimum == 1 else str(need.minimum),
                    minimum=need.minimum,
                    label=need.label,
                    kinds=", ".join(sorted(need.activity_types)),
                    count=have,
                )
            )
    return CheckResult(not missing, tuple(missing))
