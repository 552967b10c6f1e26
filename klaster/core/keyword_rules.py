"""Labelling a text by keyword rules kept as data: which sectors, themes, ... a text speaks to.

A rule names a label and how to recognise it: words or phrases per language (matched on
tokenised, stemmed text, so "networks" finds "network" and "energetycznych" finds
"energetyczna") and codes (matched on identifiers and programme names split at hyphens, so
"CL5" finds "HORIZON-CL5-2026-D3-01" and "Digital Europe" finds the programme of that name).

A rule fires on any code, on any term in the headline (title, keywords), or on at least
`min_body_hits` occurrences of its terms in the body (a description mentions many things once).

Examples
--------
>>> rules = [
...     KeywordRule("energy", terms={"en": ("energy", "power grid")}, codes=("CL5",)),
...     KeywordRule("space", terms={"en": ("satellite",), "pl": ("satelita",)}),
... ]
>>> match_rules(rules, headline="Smart power grids", codes=["HORIZON-CL4-2026-01"])
('energy',)
>>> match_rules(rules, headline="Systemy satelitarne", body="", codes=["HORIZON-CL5-2027"])
('energy',)
>>> match_rules(rules, headline="Satelity obserwacyjne")
('space',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from klaster.core.text import fold, tokenize

LANGUAGES = ("en", "pl")
_SEGMENT = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class KeywordRule:
    label: str
    terms: Mapping[str, Sequence[str]] = field(default_factory=dict)  # language -> terms
    codes: Sequence[str] = ()


def _words(text: str, language: str) -> tuple[str, ...]:
    # The stemmer leaves a final "e" that the plural loses ("satellite", "satellites" ->
    # "satellit"); dropping it on both sides lets the singular and the plural meet.
    return tuple(
        token[:-1] if token.endswith("e") and len(token) > 4 else token
        for token in tokenize(text, language)
    )


def _segments(text: str) -> tuple[str, ...]:
    return tuple(_SEGMENT.findall(fold(text)))


class _Positions:
    """Where each token occurs in a token list, so that a phrase is found without a scan."""

    def __init__(self, tokens: Sequence[str]):
        self.tokens = tuple(tokens)
        self.at: dict[str, list[int]] = {}
        for position, token in enumerate(self.tokens):
            self.at.setdefault(token, []).append(position)

    def count(self, phrase: Sequence[str]) -> int:
        """How many times `phrase` occurs as a contiguous run of tokens."""
        if not phrase:
            return 0
        width = len(phrase)
        return sum(
            1
            for start in self.at.get(phrase[0], ())
            if self.tokens[start : start + width] == tuple(phrase)
        )


@dataclass(frozen=True)
class _CompiledRule:
    label: str
    terms: dict[str, tuple[tuple[str, ...], ...]]
    codes: tuple[tuple[str, ...], ...]


def _compile(rule: KeywordRule) -> _CompiledRule:
    terms = {}
    for language, words in rule.terms.items():
        if language not in LANGUAGES:
            raise ValueError(f"rule {rule.label!r}: unknown language {language!r}")
        tokenised = {_words(term, language) for term in words}
        terms[language] = tuple(sorted(t for t in tokenised if t))
    codes = tuple(sorted(s for s in {_segments(code) for code in rule.codes} if s))
    return _CompiledRule(rule.label, terms, codes)


class RuleSet:
    """Rules tokenised once, to label many texts.

    `match` returns the labels of the rules that fire, in the order of the rules, each once.
    `headline` is short text where one term is enough (a title, keywords); `body` is longer
    text where a rule needs `min_body_hits` occurrences of its terms; `codes` are identifiers
    and programme names, matched whole, segment by segment.
    """

    def __init__(self, rules: Sequence[KeywordRule], *, min_body_hits: int = 2):
        self.rules = [_compile(rule) for rule in rules]
        self.min_body_hits = min_body_hits

    def match(self, *, headline: str, body: str = "", codes: Iterable[str] = ()) -> tuple[str, ...]:
        code_runs = [_Positions(_segments(code)) for code in codes]
        # Each language stems differently; tokenising the text both ways lets a Polish term
        # meet Polish text and an English term English text, whatever the text's language.
        head = {language: _Positions(_words(headline, language)) for language in LANGUAGES}
        text = (
            {language: _Positions(_words(body, language)) for language in LANGUAGES} if body else {}
        )
        labels: list[str] = []
        for rule in self.rules:
            if rule.label in labels:
                continue
            fired = any(run.count(code) for code in rule.codes for run in code_runs) or any(
                head[language].count(term)
                for language, terms in rule.terms.items()
                for term in terms
            )
            if not fired and text:
                hits = sum(
                    text[language].count(term)
                    for language, terms in rule.terms.items()
                    for term in terms
                )
                fired = hits >= self.min_body_hits
            if fired:
                labels.append(rule.label)
        return tuple(labels)


def match_rules(
    rules: Sequence[KeywordRule],
    *,
    headline: str,
    body: str = "",
    codes: Iterable[str] = (),
    min_body_hits: int = 2,
) -> tuple[str, ...]:
    """`RuleSet(rules).match(...)` for a single text."""
    return RuleSet(rules, min_body_hits=min_body_hits).match(
        headline=headline, body=body, codes=codes
    )
