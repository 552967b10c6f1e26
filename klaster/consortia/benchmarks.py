"""`klaster bench consortium`: proposals for real topics, and overlap with real consortia.

1. Real topics: `--topics` (default 50) topics of the shared calls file that a shipped rule set
   covers, spread over the file in topic-id order. Each gets a coordinator (the best-ranked
   Polish organisation for the topic text, as a Mazovian cluster member would be) and a proposal
   of the rule set's default size. Prints proposal time per topic (p50, p95, max; target <= 2 s)
   and how often the rule check passes.
2. Held-back projects: the history is cut at `--cutoff`; Horizon Europe RIA/IA/CSA projects that
   started on or after it, with a coordinator and at least two other partners, are proposed for
   with their real coordinator and size. Prints the share of real partners the proposal holds
   (recall), the share of proposals with at least one real partner, and the same figures for the
   engine's plain top-k ranking, for comparison.

The partner engine is fitted once on the history before the cutoff (cached as the partner
benchmark caches it). Paths are relative to the current folder (the project root).
"""

from __future__ import annotations

import gzip
import json
import time
from datetime import date

import numpy as np

from klaster.core.consortium.candidates import propose_for_idea
from klaster.core.consortium.ideas import ConsortiumIdea
from klaster.core.consortium.rules import load_rule_set
from klaster.core.consortium.schemes import DEFAULT_SIZES, rule_set_for
from klaster.core.cordis_files import files_checksum, read_history
from klaster.core.partners.engine import build_recommender
from klaster.core.partners.features import PartnerQuery
from klaster.core.partners.ranker import RankerSettings
from klaster.core.records import COORDINATOR, PARTICIPANT
from klaster.partners.serving import cache_dir

help = "Consortium builder: time and eligibility on real topics, overlap on held-back projects"

DEFAULT_HISTORY = "../shared/data/cordis/cordis-HORIZONprojects-csv.zip"
DEFAULT_H2020 = "../shared/data/cordis/h2020_participations.csv.gz"
DEFAULT_TOPICS = "../shared/data/calls/eu_topics_2026-08.jsonl.gz"
HELD_BACK_SCHEMES = {"HORIZON-RIA", "HORIZON-IA", "HORIZON-CSA"}
MAX_HELD_BACK_SIZE = 12


def add_arguments(parser) -> None:
    parser.add_argument("--history", default=DEFAULT_HISTORY, help="CORDIS Horizon zip or folder")
    parser.add_argument("--h2020", default=DEFAULT_H2020, help="H2020 participations csv.gz")
    parser.add_argument("--calls", default=DEFAULT_TOPICS, help="EU topics (jsonl.gz)")
    parser.add_argument("--topics", type=int, default=50, help="how many real topics")
    parser.add_argument("--held-back", type=int, default=100, help="how many held-back projects")
    parser.add_argument("--cutoff", default="2024-01-01", help="held-back projects start from here")
    parser.add_argument("--cache", help="folder for fitted rankers (default var/partners)")
    parser.add_argument("--seed", type=int, default=0)


def _spread(items: list, count: int) -> list:
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _percentiles(values: list[float]) -> str:
    if not values:
        return "n/a"
    p50, p95 = np.percentile(values, [50, 95])
    return f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s"


def _topic_ideas(path: str, count: int) -> list[tuple[dict, str]]:
    topics = []
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        for line in stream:
            topic = json.loads(line)
            rules = rule_set_for(
                programme=topic.get("programme") or "",
                action_type=topic.get("actionType") or "",
                types_of_action=topic.get("typesOfAction") or "",
                identifier=topic.get("topicId") or "",
            )
            if rules:
                topics.append((topic, rules))
    topics.sort(key=lambda item: item[0]["topicId"])
    return _spread(topics, count)


def run(options, out) -> None:
    cutoff = date.fromisoformat(options["cutoff"])
    started = time.perf_counter()
    history = read_history(options["history"], options["h2020"])
    checksum = files_checksum(options["history"], options["h2020"])
    past = history.started_before(cutoff)
    recommender, timings = build_recommender(
        past,
        data_checksum=f"{checksum}:{cutoff}",
        cache_dir=options.get("cache") or cache_dir(),
        settings=RankerSettings(seed=options["seed"]),
        log=lambda line: out(f"  {line}"),
    )
    out(
        f"history read and engine ready in {time.perf_counter() - started:.1f} s "
        f"(ranker {'from cache' if timings.ranker_from_cache else 'fitted'})"
    )
    index = recommender.index

    # 1. Real topics.
    durations, eligible, by_rules = [], 0, {}
    topics = _topic_ideas(options["calls"], options["topics"])
    for topic, rules_name in topics:
        query = PartnerQuery(
            title=topic.get("title") or "",
            objective=(topic.get("description") or "")[:6000],
            keywords=tuple(
                k.strip() for k in (topic.get("keywords") or "").split(",") if k.strip()
            ),
            topic=topic.get("topicId") or "",
            call=topic.get("callIdentifier") or "",
        )
        begun = time.perf_counter()
        ranked = recommender.rank(query, 300)
        polish = [r for r in ranked if index.org_country[r.position] == "PL"]
        coordinator = (polish or ranked)[0].organisation_id
        idea = ConsortiumIdea(query=PartnerQuery(**{**query.__dict__, "coordinator": coordinator}))
        rules = load_rule_set(rules_name)
        proposal = propose_for_idea(
            recommender, idea, rules, DEFAULT_SIZES[rules_name], seed=options["seed"]
        )
        durations.append(time.perf_counter() - begun)
        eligible += proposal.check.eligible
        ok, total = by_rules.get(rules_name, (0, 0))
        by_rules[rules_name] = (ok + proposal.check.eligible, total + 1)
    out(f"real topics: {len(topics)} (coordinator: best-ranked Polish organisation)")
    out(
        f"  proposal time (coordinator choice, candidates, CP-SAT, explanations): {_percentiles(durations)}"
    )
    out(f"  within 2 s: {sum(d <= 2 for d in durations)}/{len(durations)}")
    out(f"  eligible (rule check passes): {eligible}/{len(topics)}")
    for name, (ok, total) in sorted(by_rules.items()):
        out(f"    {name}: {ok}/{total}")

    # 2. Held-back projects.
    members: dict[str, list[str]] = {}
    coordinators: dict[str, str] = {}
    for p in history.participations:
        if p.role == COORDINATOR:
            coordinators[p.project_id] = p.organisation_id
        elif p.role == PARTICIPANT:
            members.setdefault(p.project_id, []).append(p.organisation_id)
    held = sorted(
        (
            p
            for p in history.projects
            if p.start_date
            and p.start_date >= cutoff
            and p.funding_scheme in HELD_BACK_SCHEMES
            and p.id in coordinators
            and len(set(members.get(p.id, ()))) >= 2
        ),
        key=lambda p: p.id,
    )
    held = _spread(held, options["held_back"])
    recalls, ranking_recalls, any_hit, ranking_hit, held_eligible, durations = [], [], 0, 0, 0, []
    for project in held:
        coordinator = coordinators[project.id]
        truth = set(members[project.id]) - {coordinator}
        size = min(len(truth) + 1, MAX_HELD_BACK_SIZE)
        rules_name = rule_set_for(identifier=project.funding_scheme) or "horizon-ria"
        query = PartnerQuery(
            title=project.title,
            objective=project.objective,
            keywords=project.keywords,
            topic=project.topics[0] if project.topics else "",
            call=project.call,
            funding_scheme=project.funding_scheme,
            coordinator=coordinator,
        )
        begun = time.perf_counter()
        proposal = propose_for_idea(
            recommender, ConsortiumIdea(query=query), load_rule_set(rules_name), size,
            seed=options["seed"], explain_partners=False,
        )  # fmt: skip
        durations.append(time.perf_counter() - begun)
        chosen = {p.candidate.organisation_id for p in proposal.partners[1:]}
        ranking = {r.organisation_id for r in recommender.rank(query, size - 1)}
        recalls.append(len(chosen & truth) / len(truth))
        ranking_recalls.append(len(ranking & truth) / len(truth))
        any_hit += bool(chosen & truth)
        ranking_hit += bool(ranking & truth)
        held_eligible += proposal.check.eligible
    count = len(held) or 1
    out(
        f"held-back projects (started from {cutoff}, RIA/IA/CSA): {len(held)}, real size (max {MAX_HELD_BACK_SIZE})"
    )
    out(f"  proposal time without explanations: {_percentiles(durations)}")
    out(f"  eligible: {held_eligible}/{len(held)}")
    out(
        f"  consortium builder: recall of real partners {np.mean(recalls or [0]):.4f}, "
        f"proposals with >= 1 real partner {any_hit / count:.2%}"
    )
    out(
        f"  engine top-(size-1) ranking: recall {np.mean(ranking_recalls or [0]):.4f}, "
        f">= 1 real partner {ranking_hit / count:.2%}"
    )
