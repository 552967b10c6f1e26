"""`klaster bench partners`: the partner engine beside simple baselines, on a time split.

Carves the split from the given history exactly as ../shared/bench/partner_eval.py does: the
history is every project that started before the cutoff (2024-01-01), the queries are the
projects that started from the cutoff on with a coordinator and at least two participants, and
the truth is their participants. Prints recall@10/20/50 of the engine and of the baselines
(popularity, coordinator's past partners, TF-IDF, blend), per funding scheme and per country
group of the coordinator, then the same on an earlier "unseen" split (history before
2023-01-01, queries of 2023), plus fitting and index build times, query latency p50/p95 and
peak memory. Paths are relative to the current folder (the project root).
"""

from __future__ import annotations

import json
import random
import resource
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from klaster.core.cordis_files import files_checksum, read_history
from klaster.core.partners.baselines import BASELINE_NAMES, Baselines
from klaster.core.partners.engine import build_recommender
from klaster.core.partners.evaluation import KS, mean_recall, query_outcome
from klaster.core.partners.explanations import SCHEME_FIT_SIGNAL, explain
from klaster.core.partners.index import country_group, scheme_family
from klaster.core.partners.ranker import RankerSettings, TrainingQuery, partner_queries
from klaster.partners.benchmarks_polish import evaluate_polish_ideas
from klaster.partners.serving import cache_dir

help = "Partner recommendation: recall@k of the engine and baselines on a time split"

DEFAULT_HISTORY = "../shared/data/cordis/cordis-HORIZONprojects-csv.zip"
DEFAULT_H2020 = "../shared/data/cordis/h2020_participations.csv.gz"


def add_arguments(parser) -> None:
    parser.add_argument("--history", default=DEFAULT_HISTORY, help="CORDIS Horizon zip or folder")
    parser.add_argument("--h2020", default=DEFAULT_H2020, help="H2020 participations csv.gz")
    parser.add_argument("--cutoff", default="2024-01-01", help="queries start on or after this")
    parser.add_argument(
        "--unseen-cutoff",
        default="2023-01-01",
        help="second check: history before this, queries of the year after ('' to skip)",
    )
    parser.add_argument("--cache", help="folder for fitted rankers (default var/partners)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N queries")
    parser.add_argument(
        "--predictions", help="write the engine's rankings (JSON lines) for the reference scorer"
    )
    parser.add_argument(
        "--polish",
        action="store_true",
        help="only the Polish ideas: recall@20 of 50 Polish versions vs their English originals",
    )


def _peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _format_row(name: str, scores: dict[str, float], count: int | None = None) -> str:
    cells = " ".join(f"{scores[f'recall@{k}']:.4f}" for k in KS)
    known = " ".join(f"{scores[f'known_recall@{k}']:.4f}" for k in KS)
    suffix = f"  n={count}" if count is not None else ""
    return f"  {name:<16} {cells}   {known}{suffix}"


RELEVANCE_IDEAS = 30
RELEVANCE_TOP = 10


def explanation_relevance(
    out, recommender, queries: list[TrainingQuery], *, seed: int, ideas: int = RELEVANCE_IDEAS
) -> dict[str, float]:
    """How often the explanations of the top results name similar projects, on dev ideas.

    Takes `ideas` queries of the split (a seeded choice, the same for the same split and seed),
    explains their top-10 partners and prints the share of results that list at least one
    similar past project, and how many of the others have no project texts at all (Horizon 2020
    projects carry none); then the same ideas without a funding scheme, and how often the
    scheme-fit signal is the first reason there (it should never be).
    """
    chosen = sorted(queries, key=lambda q: q.query.project_id)
    chosen = random.Random(seed).sample(chosen, min(ideas, len(chosen)))
    texts_of = recommender.index.organisation_projects
    shown = with_projects = without_texts = unschemed = scheme_first = 0
    for training_query in chosen:
        idea = training_query.query
        variants = [idea] + ([replace(idea, funding_scheme="")] if idea.funding_scheme else [])
        for query in variants:
            ranked = recommender.rank(query, RELEVANCE_TOP)
            explanations = explain(recommender, query, ranked)
            for partner, explanation in zip(ranked, explanations, strict=True):
                if query is idea:
                    shown += 1
                    with_projects += bool(explanation.past_projects)
                    without_texts += texts_of[partner.position].nnz == 0
                if not query.funding_scheme:
                    unschemed += 1
                    reasons = explanation.signal_contributions
                    scheme_first += bool(reasons) and reasons[0][0] == SCHEME_FIT_SIGNAL
    figures = {
        "with_projects": with_projects / max(shown, 1),
        "scheme_first": scheme_first / max(unschemed, 1),
    }
    out(
        f"  explanations of the top-{RELEVANCE_TOP} for {len(chosen)} dev ideas (seed {seed}): "
        f"{figures['with_projects']:.1%} of {shown} results list at least one similar project "
        f"({shown - with_projects} do not, {without_texts} of them without any project text); "
        f"without a funding scheme the scheme fit is the first reason for "
        f"{figures['scheme_first']:.1%} of {unschemed}"
    )
    return figures


def evaluate_split(
    out,
    history,
    checksum: str,
    cutoff: date,
    end: date | None,
    options,
    *,
    breakdowns: bool,
) -> None:
    """Fit, index, rank and score one split; print every figure."""
    past = history.started_before(cutoff)
    queries: list[TrainingQuery] = partner_queries(history, cutoff, end)
    if options.get("limit"):
        queries = queries[: options["limit"]]
    out(
        f"split: history before {cutoff} ({len(past.projects)} projects), queries "
        f"{cutoff}..{end or 'end'} with a coordinator and >= 2 participants: {len(queries)}"
    )
    started = time.perf_counter()
    recommender, timings = build_recommender(
        past,
        data_checksum=f"{checksum}:{cutoff}",
        cache_dir=options.get("cache") or cache_dir(),
        settings=RankerSettings(seed=options.get("seed", 0)),
        log=lambda line: out(f"  fit: {line}"),
    )
    out(
        f"  ranker {'loaded from cache' if timings.ranker_from_cache else 'fitted'} in "
        f"{timings.ranker_seconds:.1f} s; serving index built in {timings.index_seconds:.1f} s"
    )
    if options.get("polish"):
        evaluate_polish_ideas(out, recommender, queries, seed=options.get("seed", 0))
        return
    known = set(recommender.index.organisations)

    rankings: dict[str, dict[str, list[str]]] = {"engine": {}}
    latencies = []
    for training_query in queries:
        query = training_query.query
        tick = time.perf_counter()
        ranked = recommender.rank(query, max(KS))
        latencies.append(time.perf_counter() - tick)
        rankings["engine"][query.project_id] = [r.organisation_id for r in ranked]
    out(
        f"  engine query latency: p50 {np.percentile(latencies, 50) * 1000:.1f} ms, "
        f"p95 {np.percentile(latencies, 95) * 1000:.1f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    if options.get("predictions") and breakdowns:
        with open(options["predictions"], "w", encoding="utf-8") as stream:
            for project_id, partners in rankings["engine"].items():
                stream.write(json.dumps({"project_id": project_id, "partners": partners}) + "\n")
        out(f"  engine rankings written to {options['predictions']}")
    if breakdowns:
        explanation_relevance(out, recommender, queries, seed=options.get("seed", 0))

    tick = time.perf_counter()
    baselines = Baselines.build(past)
    for name in BASELINE_NAMES:
        rankings[name] = {q.query.project_id: baselines.rank(name, q.query) for q in queries}
    out(f"  baselines built and ranked in {time.perf_counter() - tick:.1f} s")

    outcomes = {
        method: [
            query_outcome(q.partners, ranked[q.query.project_id], q.query.coordinator, known)
            for q in queries
        ]
        for method, ranked in rankings.items()
    }
    header = "recall@" + "/".join(map(str, KS))
    out(f"  {'method':<16} {header:<20}   known_{header}")
    for method, results in outcomes.items():
        out(_format_row(method, mean_recall(results)))
    out(f"  whole split evaluated in {time.perf_counter() - started:.0f} s")

    if not breakdowns:
        return
    organisation_country = {
        o: recommender.index.org_country[i] for o, i in recommender.index.position.items()
    }
    groupings = {
        "funding scheme": lambda q: scheme_family(q.query.funding_scheme),
        "coordinator's country group": lambda q: (
            country_group(organisation_country.get(q.query.coordinator, ""))
            if q.query.coordinator in organisation_country
            else "new coordinator"
        ),
    }
    for title, key_of in groupings.items():
        out(f"  per {title} (engine vs blend, recall@20 and @50):")
        members = defaultdict(list)
        for position, q in enumerate(queries):
            members[key_of(q)].append(position)
        for key, positions in sorted(members.items(), key=lambda kv: -len(kv[1])):
            engine = mean_recall([outcomes["engine"][i] for i in positions])
            blend = mean_recall([outcomes["blend"][i] for i in positions])
            best_baseline = max(
                BASELINE_NAMES,
                key=lambda n: mean_recall([outcomes[n][i] for i in positions])["recall@20"],
            )
            best = mean_recall([outcomes[best_baseline][i] for i in positions])
            verdict = "engine loses" if engine["recall@20"] < best["recall@20"] else ""
            out(
                f"    {key:<16} n={len(positions):<5} engine {engine['recall@20']:.3f} "
                f"{engine['recall@50']:.3f}   blend {blend['recall@20']:.3f} "
                f"{blend['recall@50']:.3f}   best baseline {best_baseline} "
                f"{best['recall@20']:.3f} {best['recall@50']:.3f}  {verdict}"
            )


def run(options, out) -> None:
    """Print the benchmark's figures through `out`."""
    history_path, h2020_path = Path(options["history"]), options.get("h2020") or None
    started = time.perf_counter()
    history = read_history(history_path, h2020_path)
    checksum = files_checksum(history_path, h2020_path)
    out(
        f"history read in {time.perf_counter() - started:.1f} s: {len(history.projects)} "
        f"projects, {len(history.participations)} participations"
    )
    cutoff = date.fromisoformat(options.get("cutoff") or "2024-01-01")
    evaluate_split(out, history, checksum, cutoff, None, options, breakdowns=True)
    unseen = options.get("unseen_cutoff")
    if unseen and not options.get("polish"):
        unseen_cutoff = date.fromisoformat(unseen)
        out("unseen check: an earlier history, scored on a year the engine was never tuned on")
        evaluate_split(
            out,
            history,
            checksum,
            unseen_cutoff,
            date(unseen_cutoff.year + 1, unseen_cutoff.month, unseen_cutoff.day),
            options,
            breakdowns=False,
        )
    out(f"peak memory (max RSS): {_peak_memory_mb():.0f} MB")
