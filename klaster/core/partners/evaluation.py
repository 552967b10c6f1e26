"""Recall of ranked partners against the partners projects really had.

The protocol of ../shared/bench/partner_eval.py `score`: truth is the project's participants
(coordinator excluded), the coordinator is dropped from a ranking before cutting it at k, and
recall@k is averaged over queries; known_recall@k counts only truth organisations that the
history knows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KS = (10, 20, 50)


@dataclass(frozen=True)
class QueryOutcome:
    """Hits of one ranking at each k, and the size of what could be hit."""

    hits: dict[int, int]
    truth: int
    known_truth: int


def query_outcome(
    truth: Iterable[str],
    ranked: Sequence[str],
    coordinator: str,
    known: set[str] | frozenset[str],
    ks: Sequence[int] = KS,
) -> QueryOutcome:
    """Score one ranking.

    Examples
    --------
    >>> query_outcome({"a", "b"}, ["c", "a", "x"], "c", {"a", "b"}, ks=(1, 2)).hits
    {1: 1, 2: 1}
    """
    truth = set(truth)
    ranked = [o for o in ranked if o != coordinator]
    return QueryOutcome(
        hits={k: len(truth & set(ranked[:k])) for k in ks},
        truth=len(truth),
        known_truth=len(truth & known),
    )


def mean_recall(outcomes: Sequence[QueryOutcome], ks: Sequence[int] = KS) -> dict[str, float]:
    """recall@k and known_recall@k averaged over queries, as the reference scorer reports them."""
    result: dict[str, float] = {}
    reachable = [o for o in outcomes if o.known_truth]
    for k in ks:
        result[f"recall@{k}"] = (
            sum(o.hits[k] / o.truth for o in outcomes) / len(outcomes) if outcomes else 0.0
        )
    for k in ks:
        result[f"known_recall@{k}"] = (
            sum(o.hits[k] / o.known_truth for o in reachable) / len(reachable) if reachable else 0.0
        )
    return result
