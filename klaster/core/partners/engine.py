"""Put the partner engine together: index the history, load (or fit) the ranker, answer ideas."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from klaster.core.partners.index import PartnerIndex
from klaster.core.partners.ranker import PartnerRecommender, RankerSettings, load_or_fit_ranker
from klaster.core.records import ProjectHistory


@dataclass(frozen=True)
class EngineTimings:
    index_seconds: float
    ranker_seconds: float
    ranker_from_cache: bool


def build_recommender(
    history: ProjectHistory,
    *,
    data_checksum: str,
    cache_dir: str | Path,
    settings: RankerSettings | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> tuple[PartnerRecommender, EngineTimings]:
    """A ready recommender over `history`, with how long its parts took.

    The ranker is fitted on time-split windows of the same history (see `ranker`) and cached in
    `cache_dir` under the data's checksum, so only the first run for given data pays for it.
    """
    settings = settings or RankerSettings()
    started = time.perf_counter()
    model, from_cache = load_or_fit_ranker(history, data_checksum, cache_dir, settings, log=log)
    ranker_seconds = time.perf_counter() - started
    started = time.perf_counter()
    index = PartnerIndex.build(history, seed=settings.seed)
    index_seconds = time.perf_counter() - started
    return PartnerRecommender(index, model), EngineTimings(
        index_seconds, ranker_seconds, from_cache
    )
