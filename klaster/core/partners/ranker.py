"""The learned ranker: which candidates are the right partners, fitted on the history itself.

Fitting replays the past: for each training window the index is built from the projects that
started before the window's cutoff, and the projects that started inside the window are the
queries, their consortia the answers. Nothing after a window's cutoff reaches its features, so
the model learns to predict forward in time, as it is used. The model (LightGBM gradient boosting,
binary objective on uniformly sub-sampled negatives, or LambdaRank) is seeded and cached under a
key made from the data's checksum and the settings. Several models, each fitted on its own draw
of negatives with its own seed, are averaged (bagging): the draw of negatives is the noisiest part
of fitting, and averaging over draws ranks better than any one of them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import lightgbm
import numpy as np

from klaster.core.partners.features import (
    CATEGORICAL_FEATURES,
    FEATURE_NAMES,
    PartnerQuery,
    QuerySignals,
    candidate_pool,
    feature_matrix,
    query_signals,
)
from klaster.core.partners.index import PartnerIndex
from klaster.core.partners.language import AsWritten, PolishReader, default_reader
from klaster.core.records import COORDINATOR, PARTICIPANT, ProjectHistory

# Bump when features or fitting change, so cached models of older code are not reused.
ENGINE_VERSION = "8"
MIN_PARTNERS = 2
# A query scores its whole candidate pool with the first model's first trees, then its best with
# every tree of every model.
PRESCREEN_TREES = 60
PRESCREEN_KEEP = 400


@dataclass(frozen=True)
class RankerSettings:
    """How the ranker is fitted. `seed` makes fitting reproducible."""

    seed: int = 0
    # Quarterly windows over the last year and a half: a young history (few projects before the
    # cutoff) still yields several replays, and each replays a different size of history.
    windows: int = 6
    window_months: int = 3
    min_history_text_projects: int = 500
    objective: str = "binary"  # or "lambdarank"
    negatives_per_query: int = 300
    # Models averaged, each on its own draw of negatives (3 gained about 0.002 recall@50 over one,
    # on the 2024 and the 2023 split, at every seed tried).
    members: int = 3
    hard_negatives: int = 0
    trees: int = 300
    learning_rate: float = 0.04
    leaves: int = 31
    min_rows_in_leaf: int = 50
    threads: int = 1


@dataclass(frozen=True)
class TrainingQuery:
    """A past project seen as a query, with the partners it really had."""

    query: PartnerQuery
    partners: frozenset[str]


def partner_queries(
    history: ProjectHistory, start: date | None, end: date | None
) -> list[TrainingQuery]:
    """Projects with text that started in [start, end), a coordinator and >= 2 participants.

    The partners are the organisations in the role participant, coordinator excluded (the same
    protocol as the evaluation of later projects).
    """
    coordinator: dict[str, str] = {}
    participants: dict[str, set[str]] = defaultdict(set)
    for participation in history.participations:
        if participation.role == COORDINATOR:
            coordinator[participation.project_id] = participation.organisation_id
        elif participation.role == PARTICIPANT:
            participants[participation.project_id].add(participation.organisation_id)
    queries = []
    for project in history.projects:
        if not project.has_text or project.start_date is None:
            continue
        if (start and project.start_date < start) or (end and project.start_date >= end):
            continue
        lead = coordinator.get(project.id)
        partners = participants.get(project.id, set()) - {lead}
        if lead and len(partners) >= MIN_PARTNERS:
            queries.append(
                TrainingQuery(
                    query=PartnerQuery(
                        project_id=project.id,
                        title=project.title,
                        objective=project.objective,
                        keywords=project.keywords,
                        topic=project.topics[0] if project.topics else "",
                        call=project.call,
                        funding_scheme=project.funding_scheme,
                        coordinator=lead,
                        start_date=project.start_date,
                    ),
                    partners=frozenset(partners),
                )
            )
    return sorted(queries, key=lambda q: q.query.project_id)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def training_windows(history: ProjectHistory, settings: RankerSettings) -> list[tuple[date, date]]:
    """(cutoff, end) of each training window, latest first, each with enough history behind it."""
    starts = sorted(p.start_date for p in history.projects if p.start_date and p.has_text)
    if not starts:
        return []
    end = _months_before(starts[-1], -1)  # first day of the month after the last start
    # A small history (an extract, a young programme) still gets windows, with less behind them.
    enough = min(settings.min_history_text_projects, int(0.3 * len(starts)))
    windows = []
    for _ in range(settings.windows):
        cutoff = _months_before(end, settings.window_months)
        if sum(s < cutoff for s in starts) >= max(enough, 1):
            windows.append((cutoff, end))
        end = cutoff
    return windows


@dataclass
class TrainingSet:
    features: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    members: list[np.ndarray] = field(default_factory=list)  # per query: rows x members mask
    pool_recall: list[float] = field(default_factory=list)


def _member_rows(labels: np.ndarray, features: np.ndarray, settings: RankerSettings, rngs):
    """The rows any member draws, and which member drew each (a rows x members mask).

    Every member takes every positive and the same hard negatives, then draws its own other
    negatives. Only the union is kept, not the whole candidate pool, so bagging costs memory in
    proportion to what the members actually train on.
    """
    positives = np.flatnonzero(labels)
    negatives = np.flatnonzero(labels == 0)
    # Hard negatives (those the text already ranks high) are off by default: over-sampling them
    # skews what the model believes of every other signal, and cost 0.06 recall@20 in trials.
    text_rank = features[negatives, FEATURE_NAMES.index("text_full_rank")]
    hard = negatives[np.argsort(text_rank, kind="stable")[: settings.hard_negatives]]
    rest = np.setdiff1d(negatives, hard)
    extra = settings.negatives_per_query - len(hard)
    drawn = [
        np.concatenate([positives, hard, rng.choice(rest, extra, replace=False)])
        if len(rest) > extra > 0
        else np.concatenate([positives, hard, rest])
        for rng in rngs
    ]
    rows = np.unique(np.concatenate(drawn))
    mask = np.column_stack([np.isin(rows, member) for member in drawn])
    return rows, mask


def collect_training_set(
    history: ProjectHistory,
    settings: RankerSettings,
    *,
    log: Callable[[str], None] = lambda line: None,
) -> TrainingSet:
    """Replay each training window: index what came before, featurise what came after."""
    rngs = [np.random.default_rng([settings.seed, member]) for member in range(settings.members)]
    training = TrainingSet()
    token_cache: dict = {}
    for cutoff, end in training_windows(history, settings):
        started = time.perf_counter()
        index = PartnerIndex.build(
            history.started_before(cutoff), seed=settings.seed, token_cache=token_cache
        )
        queries = partner_queries(history, cutoff, end)
        for training_query in queries:
            signals = query_signals(index, training_query.query)
            pool = candidate_pool(index, signals)
            members = {index.position[o] for o in training_query.partners if o in index.position}
            labels = np.fromiter((i in members for i in pool), bool, len(pool)).astype(np.int8)
            training.pool_recall.append(labels.sum() / len(training_query.partners))
            if labels.sum() == 0:
                continue
            features = feature_matrix(index, signals, pool)
            rows, members = _member_rows(labels, features, settings, rngs)
            training.features.append(features[rows])
            training.labels.append(labels[rows])
            training.members.append(members)
        log(
            f"window {cutoff}..{end}: {len(queries)} queries, "
            f"{index.size} organisations, {time.perf_counter() - started:.0f} s"
        )
    return training


def _parameters(settings: RankerSettings, member: int = 0) -> dict:
    ranking = (
        {"metric": "ndcg", "eval_at": [20, 50], "lambdarank_truncation_level": 60}
        if settings.objective == "lambdarank"
        else {"metric": "auc"}
    )
    return {
        "objective": settings.objective,
        **ranking,
        "learning_rate": settings.learning_rate,
        "num_leaves": settings.leaves,
        "min_data_in_leaf": settings.min_rows_in_leaf,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "seed": settings.seed * 1000 + member,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": settings.threads,
        "verbosity": -1,
    }


class BaggedRanker:
    """LightGBM models whose raw scores (and per-feature contributions) are averaged."""

    def __init__(self, members: list[lightgbm.Booster]):
        if not members:
            raise ValueError("a bagged ranker needs at least one model")
        self.members = members

    def predict(self, features: np.ndarray, *, pred_contrib: bool = False) -> np.ndarray:
        """The members' mean raw score (log-odds) per row, or their mean per-feature
        contributions (which add up to it)."""
        total = sum(
            member.predict(features, raw_score=True, pred_contrib=pred_contrib, num_threads=1)
            for member in self.members
        )
        return total / len(self.members)

    def prescreen(self, features: np.ndarray, trees: int) -> np.ndarray:
        """The raw score of the first member's first `trees` trees: enough to tell the hopeless
        candidates of a pool from the rest, at a fraction of the cost."""
        return self.members[0].predict(features, raw_score=True, num_iteration=trees, num_threads=1)

    def num_trees(self) -> int:
        return sum(member.num_trees() for member in self.members)

    def dumps(self) -> str:
        return json.dumps({"members": [member.model_to_string() for member in self.members]})

    @classmethod
    def loads(cls, text: str) -> BaggedRanker:
        return cls([lightgbm.Booster(model_str=model) for model in json.loads(text)["members"]])


def fit_ranker(
    history: ProjectHistory,
    settings: RankerSettings = RankerSettings(),
    *,
    log: Callable[[str], None] = lambda line: None,
) -> BaggedRanker:
    """Fit the ranking models on time-split windows of `history` (seeded, reproducible)."""
    training = collect_training_set(history, settings, log=log)
    if not training.members:
        raise ValueError("the history is too short to fit a ranker (no training window)")
    features = np.vstack(training.features)
    training.features.clear()
    labels = np.concatenate(training.labels)
    drawn = np.vstack(training.members)
    query_of_row = np.repeat(np.arange(len(training.members)), [len(m) for m in training.members])
    log(
        f"training rows {drawn.sum(axis=0).tolist()} of {len(labels)} drawn, queries "
        f"{len(training.members)}, candidate pool recall {np.mean(training.pool_recall):.3f}"
    )
    members = []
    for member in range(settings.members):
        rows = np.flatnonzero(drawn[:, member])
        dataset = lightgbm.Dataset(
            features[rows],
            label=labels[rows],
            group=np.bincount(query_of_row[rows], minlength=len(training.members)),
            feature_name=list(FEATURE_NAMES),
            categorical_feature=list(CATEGORICAL_FEATURES),
            free_raw_data=True,
        )
        parameters = _parameters(settings, member)
        members.append(lightgbm.train(parameters, dataset, num_boost_round=settings.trees))
        del dataset
        log(f"model {member + 1} of {settings.members} fitted")
    return BaggedRanker(members)


def cache_key(data_checksum: str, settings: RankerSettings) -> str:
    """The key of a fitted model: data, settings and engine version."""
    payload = json.dumps(
        {"data": data_checksum, "settings": asdict(settings), "engine": ENGINE_VERSION},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def load_or_fit_ranker(
    history: ProjectHistory,
    data_checksum: str,
    cache_dir: str | Path,
    settings: RankerSettings = RankerSettings(),
    *,
    log: Callable[[str], None] = lambda line: None,
) -> tuple[BaggedRanker, bool]:
    """The cached model for this data and settings, fitting and caching it when missing.

    Returns the model and whether it came from the cache.
    """
    path = Path(cache_dir) / f"partner-ranker-{cache_key(data_checksum, settings)}.json"
    if path.exists():
        return BaggedRanker.loads(path.read_text(encoding="utf-8")), True
    model = fit_ranker(history, settings, log=log)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(model.dumps(), encoding="utf-8")
    partial.replace(path)  # so that a crash never leaves a truncated model to be loaded
    return model, False


@dataclass
class RankedPartner:
    organisation_id: str
    score: float
    position: int  # in the index


class PartnerRecommender:
    """Ranks partners for project ideas, from an index and a fitted ranker.

    Ideas written in Polish are read in English (by `reader`, else the default reader) before
    they reach the English index.
    """

    # A class default, so recommenders pickled before readers existed still load and work.
    reader: PolishReader | AsWritten | None = None

    def __init__(
        self,
        index: PartnerIndex,
        model: BaggedRanker,
        reader: PolishReader | AsWritten | None = None,
    ):
        self.index = index
        self.model = model
        self.reader = reader

    def score_pool(
        self,
        query: PartnerQuery,
        *,
        now: date | None = None,
        exclude: Iterable[str] = (),
        only_best: int = 0,
    ) -> tuple[QuerySignals, np.ndarray, np.ndarray, np.ndarray]:
        """Signals, candidate pool (index positions), features and model scores of a query.

        With `only_best` (at most `PRESCREEN_KEEP`), only the order of that many best candidates
        matters: the rest of the pool is scored by the first model's first `PRESCREEN_TREES` trees
        and placed after them.
        """
        reader = self.reader or default_reader()
        signals = query_signals(self.index, reader.english_query(query), now=now)
        pool = candidate_pool(self.index, signals)
        excluded = [self.index.position[o] for o in exclude if o in self.index.position]
        if excluded:
            pool = pool[~np.isin(pool, excluded)]
        features = feature_matrix(self.index, signals, pool)
        return signals, pool, features, self._predict(features, only_best)

    def _predict(self, features: np.ndarray, only_best: int) -> np.ndarray:
        # Raw scores (log-odds), so that per-signal contributions add up to them.
        if not len(features):
            return np.empty(0)
        if not 0 < only_best <= PRESCREEN_KEEP or len(features) <= PRESCREEN_KEEP:
            return self.model.predict(features)
        # Every tree for every candidate is the slowest step of a query; the first trees already
        # tell the hopeless from the rest (same recall@50 on the 2024 split, half the time).
        early = self.model.prescreen(features, PRESCREEN_TREES)
        kept = np.argsort(-early, kind="stable")[:PRESCREEN_KEEP]
        rest = np.ones(len(features), bool)
        rest[kept] = False
        scores = np.empty(len(features))
        scores[kept] = self.model.predict(features[kept])
        # The rest stay below every kept candidate, in their early order.
        scores[rest] = scores[kept].min() - 1.0 - (early[kept].min() - early[rest])
        return scores

    def rank(
        self,
        query: PartnerQuery,
        k: int = 50,
        *,
        now: date | None = None,
        exclude: Iterable[str] = (),
    ) -> list[RankedPartner]:
        """The `k` organisations most likely to be the idea's partners, best first.

        The coordinator and `exclude` never appear. Fewer than `k` come back only when the index
        holds fewer organisations.
        """
        signals, pool, _, scores = self.score_pool(query, now=now, exclude=exclude, only_best=k)
        excluded = {self.index.position[o] for o in exclude if o in self.index.position}
        # Candidates the model cannot tell apart (a model fitted on a small history has few
        # distinct scores) keep the order of the blend of text, past partners and activity. The
        # rounding makes equal scores equal: summing the same trees in another order (another
        # processor) leaves them a last bit apart.
        order = np.lexsort((-signals.scores["blend"][pool], -np.round(scores, 9)))[:k]
        ranked = [
            RankedPartner(self.index.organisations[pool[i]], float(scores[i]), int(pool[i]))
            for i in order
        ]
        if len(ranked) < k:
            ranked += self._fill_by_activity(signals, set(pool) | excluded, k - len(ranked))
        return ranked

    def _fill_by_activity(self, signals, taken: set, count: int) -> list[RankedPartner]:
        # Ideas with no text, topic or known coordinator still get an answer: the most active.
        activity = self.index.projects_he + self.index.projects_other
        filled = []
        for position in np.argsort(-activity, kind="stable"):
            if len(filled) == count:
                break
            if position in taken or position == signals.coordinator:
                continue
            filled.append(
                RankedPartner(self.index.organisations[position], float("-inf"), int(position))
            )
        return filled
