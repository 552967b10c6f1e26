"""Ideas written in Polish: recall@20 of Polish versions of dev ideas beside their English originals.

Part of `klaster bench partners --polish`. 50 queries of the 2024 split are chosen by
`polish_idea_choice` (deterministic from a seed, spread over work-programme clusters); for each,
`data/bench/polish-ideas.jsonl` holds a Polish title and objective written for this benchmark by
the project team (not an official translation). Both versions keep the rest of the form (topic,
call, funding scheme, coordinator); only the text differs, and the English one drops the keywords
too, since the Polish form has none. The same engine ranks both; the figure is the ratio of
their mean recall@20. A second pass with no topic and no coordinator shows what the text alone
carries, and the Polish pass is repeated without the glossary and without lemmatisation, to show
what each part brings.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from klaster.core.partners.evaluation import mean_recall, query_outcome
from klaster.core.partners.index import work_programme_keys
from klaster.core.partners.language import AsWritten, PolishReader
from klaster.core.partners.ranker import PartnerRecommender, TrainingQuery
from klaster.core.text import detect_language

POLISH_IDEAS = Path("data/bench/polish-ideas.jsonl")
POLISH_IDEA_COUNT = 50
# Short objectives say too little to be rewritten as an idea; very long ones are rare.
_MIN_OBJECTIVE_CHARS = 600
RECALL_AT = 20


def objective_fingerprint(objective: str) -> str:
    """The first 12 hex digits of the SHA-256 of an objective: ties a Polish version to its text."""
    return hashlib.sha256(objective.strip().encode("utf-8")).hexdigest()[:12]


def polish_idea_choice(
    queries: Sequence[TrainingQuery], count: int = POLISH_IDEA_COUNT, *, seed: int = 0
) -> list[TrainingQuery]:
    """`count` queries spread over work-programme clusters, deterministic from `seed`.

    Only queries with an English objective of at least `_MIN_OBJECTIVE_CHARS` characters qualify.
    Each cluster's queries are shuffled by `seed`; then one query is taken from each cluster in
    turn (largest clusters first), so small clusters are represented and big ones give more.
    The result is sorted by project id.
    """
    rng = random.Random(seed)
    by_cluster: dict[str, list[TrainingQuery]] = defaultdict(list)
    for training_query in sorted(queries, key=lambda q: q.query.project_id):
        query = training_query.query
        if len(query.objective) < _MIN_OBJECTIVE_CHARS or detect_language(query.objective) != "en":
            continue
        cluster = work_programme_keys(query.topic, "", "").get("cluster", "") or "none"
        by_cluster[cluster].append(training_query)
    for cluster in sorted(by_cluster):
        rng.shuffle(by_cluster[cluster])
    order = sorted(by_cluster, key=lambda c: (-len(by_cluster[c]), c))
    chosen: list[TrainingQuery] = []
    turn = 0
    while len(chosen) < count and any(by_cluster.values()):
        cluster = order[turn % len(order)]
        if by_cluster[cluster]:
            chosen.append(by_cluster[cluster].pop())
        turn += 1
    return sorted(chosen, key=lambda q: q.query.project_id)


def read_polish_ideas(path: Path = POLISH_IDEAS) -> dict[str, dict]:
    """The committed Polish versions by project id."""
    with path.open(encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return {row["project_id"]: row for row in rows}


def _mean_recall(
    recommender: PartnerRecommender, pairs: list[tuple[TrainingQuery, object]], known: set[str]
) -> float:
    outcomes = []
    for training_query, query in pairs:
        ranked = [r.organisation_id for r in recommender.rank(query, RECALL_AT)]
        outcomes.append(
            query_outcome(
                training_query.partners, ranked, training_query.query.coordinator, known,
                ks=(RECALL_AT,),
            )
        )  # fmt: skip
    return mean_recall(outcomes, ks=(RECALL_AT,))[f"recall@{RECALL_AT}"]


def evaluate_polish_ideas(
    out: Callable[[str], None],
    recommender: PartnerRecommender,
    queries: Sequence[TrainingQuery],
    *,
    seed: int = 0,
    path: Path = POLISH_IDEAS,
) -> None:
    """Print recall@20 of the Polish versions beside the English originals, and their ratio."""
    chosen = polish_idea_choice(queries, seed=seed)
    ideas = read_polish_ideas(path)
    missing = [q.query.project_id for q in chosen if q.query.project_id not in ideas]
    if missing:
        raise ValueError(f"{path} has no Polish version of the chosen projects {missing}")
    for training_query in chosen:
        row = ideas[training_query.query.project_id]
        if row["objective_en_sha"] != objective_fingerprint(training_query.query.objective):
            raise ValueError(f"{path}: project {row['project_id']} objective changed in CORDIS")
    known = set(recommender.index.organisations)
    out(f"  Polish ideas: {len(chosen)} dev queries (seed {seed}), Polish versions from {path}")
    readers = {
        "glossary + lemmas": PolishReader.default(),
        "glossary, no lemmas": PolishReader.default(lemmas=False),
        "lemmas, no glossary": PolishReader.default(glossary=False),
        "raw Polish text": AsWritten(),
    }
    for form, keep in (("whole form", True), ("text alone", False)):

        def english(q: TrainingQuery, keep=keep):
            query = replace(q.query, keywords=())
            return query if keep else replace(query, topic="", call="", coordinator="")

        def polish(q: TrainingQuery, keep=keep):
            row = ideas[q.query.project_id]
            return replace(english(q, keep), title=row["title_pl"], objective=row["objective_pl"])

        english_recall = _mean_recall(recommender, [(q, english(q)) for q in chosen], known)
        out(f"  {form}: English recall@{RECALL_AT} {english_recall:.4f}")
        for name, reader in readers.items():
            reading = PartnerRecommender(recommender.index, recommender.model, reader)
            recall = _mean_recall(reading, [(q, polish(q)) for q in chosen], known)
            ratio = recall / english_recall if english_recall else 0.0
            out(f"    Polish, {name:<20} recall@{RECALL_AT} {recall:.4f}  ratio {ratio:.2f}")
