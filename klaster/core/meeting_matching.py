"""Suggested B2B matches at a brokerage event: what one participant looks for against what
another offers.

Pure Python on plain data: the events app turns registrations into `Profile` values.

Examples
--------
>>> me = Profile(1, offers="energy storage software", looking_for="battery manufacturers",
...              sectors=frozenset({"energy"}))
>>> them = Profile(2, offers="we manufacture batteries", looking_for="storage software",
...                sectors=frozenset({"energy"}))
>>> other = Profile(3, offers="satellite imagery", looking_for="", sectors=frozenset({"space"}))
>>> [match.id for match in suggest_matches(me, [them, other])]
[2]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from klaster.core.text import tokenize

# A shared sector is worth about as much as one strongly overlapping sentence.
SECTOR_WEIGHT = 0.25


@dataclass(frozen=True)
class Profile:
    """What one participant offers and looks for, in free text, and the sector codes."""

    id: int
    offers: str = ""
    looking_for: str = ""
    sectors: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Match:
    """How well another participant (`id`) fits, and the words and sectors that make it so."""

    id: int
    score: float
    # Words of their offer that answer what I look for, and the other way round.
    they_offer: tuple[str, ...]
    they_look_for: tuple[str, ...]
    shared_sectors: tuple[str, ...]


def _overlap(wanted: set[str], offered: set[str]) -> float:
    """Share of the wanted words that the offer covers (0..1)."""
    if not wanted or not offered:
        return 0.0
    return len(wanted & offered) / len(wanted)


def score_match(me: Profile, them: Profile) -> Match:
    """How well `them` fits `me`: the share of my wanted words their offer covers, plus the
    share of their wanted words my offer covers, plus `SECTOR_WEIGHT` per shared sector.

    Examples
    --------
    >>> me = Profile(1, offers="cloud software", looking_for="satellite data")
    >>> them = Profile(2, offers="satellite data services", looking_for="software")
    >>> match = score_match(me, them)
    >>> match.score, match.they_offer, match.they_look_for
    (2.0, ('data', 'satellite'), ('software',))
    >>> score_match(me, Profile(3, offers="catering", sectors=frozenset({"ict"}))).score
    0.0
    """
    my_wants, my_offer = set(tokenize(me.looking_for)), set(tokenize(me.offers))
    their_wants, their_offer = set(tokenize(them.looking_for)), set(tokenize(them.offers))
    shared = me.sectors & them.sectors
    score = (
        _overlap(my_wants, their_offer)
        + _overlap(their_wants, my_offer)
        + SECTOR_WEIGHT * len(shared)
    )
    return Match(
        id=them.id,
        score=round(score, 4),
        they_offer=tuple(sorted(my_wants & their_offer)),
        they_look_for=tuple(sorted(their_wants & my_offer)),
        shared_sectors=tuple(sorted(shared)),
    )


def suggest_matches(me: Profile, others: Iterable[Profile], *, limit: int = 10) -> list[Match]:
    """The best-scoring other participants, highest first; those with nothing in common left out.

    A match on words counts more than sectors alone: someone who only shares a sector comes
    after anyone whose offer answers what `me` looks for.

    Examples
    --------
    >>> me = Profile(1, looking_for="heat pumps", sectors=frozenset({"energy"}))
    >>> pumps = Profile(2, offers="we install heat pumps")
    >>> neighbour = Profile(3, offers="catering", sectors=frozenset({"energy"}))
    >>> [(m.id, m.score) for m in suggest_matches(me, [neighbour, pumps, me, Profile(4)])]
    [(2, 1.0), (3, 0.25)]
    """
    matches = [score_match(me, other) for other in others if other.id != me.id]
    matches = [m for m in matches if m.they_offer or m.they_look_for or m.shared_sectors]
    matches.sort(key=lambda m: (-m.score, m.id))
    return matches[:limit]
