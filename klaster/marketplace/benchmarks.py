"""`klaster bench marketplace`: offers found for requests, against TF-IDF alone, on CORDIS.

The labelled set is built here from a CORDIS history (`labelled_set`), on the partner bench's time
split: the requests are the held-out projects (started on or after the cutoff, 2024-01-01, with
a coordinator and at least two participants), each request being the project's title, keywords
and objective, owned by its coordinator; the offers are one technology offer per organisation,
written from its EARLIER projects only (titles, keywords and the opening of their objectives, as
an organisation would describe what it offers), padded to `--profiles` offers (default 10,000)
with offers written from single earlier projects when the organisations are fewer. The truth of
a request is the project's participants (coordinator excluded).

Both methods rank every offer; an organisation counts at its best offer. Prints recall@10 of the
marketplace matcher (`klaster.core.marketplace`, on the partner engine's index of the earlier
projects) and of TF-IDF alone (cosine on the same offer texts), their ratio (target >= 1.3), and
the matcher's query time p50/p95 over all offers (target p95 <= 100 ms at 10,000 profiles);
also the matcher without the track record (texts only: the engine's vocabulary and latent axes).
Paths are relative to the current folder (the project root).
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from klaster.core.cordis_files import read_history
from klaster.core.marketplace import MarketplaceMatcher, MatchWeights, ProfileText
from klaster.core.partners.evaluation import mean_recall, query_outcome
from klaster.core.partners.index import PartnerIndex
from klaster.core.partners.ranker import partner_queries
from klaster.core.records import CONSORTIUM_ROLES, Project, ProjectHistory
from klaster.core.text import tokenize

help = "Marketplace matching: recall@10 of offers for requests vs TF-IDF alone, query time"

DEFAULT_HISTORY = "../shared/data/cordis/cordis-HORIZONprojects-csv.zip"
DEFAULT_H2020 = "../shared/data/cordis/h2020_participations.csv.gz"
K = 10
# How much of its earlier work an organisation puts in its offer.
PROJECTS_PER_OFFER = 8
EXCERPT_CHARACTERS = 300
KEYWORDS_PER_OFFER = 10
# Offers ranked before organisations are counted, so that padded offers (several per
# organisation) still leave K distinct organisations.
OFFERS_READ = 60
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def add_arguments(parser) -> None:
    parser.add_argument("--history", default=DEFAULT_HISTORY, help="CORDIS Horizon zip or folder")
    parser.add_argument("--h2020", default=DEFAULT_H2020, help="H2020 participations csv.gz")
    parser.add_argument("--cutoff", default="2024-01-01", help="requests start on or after this")
    parser.add_argument("--profiles", type=int, default=10_000, help="pad the offers to this many")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N requests")
    parser.add_argument("--seed", type=int, default=0)


@dataclass(frozen=True)
class LabelledSet:
    """Requests with their true partners, and the offers they are matched against."""

    requests: list[ProfileText]
    truth: dict[str, frozenset[str]]  # request id -> CORDIS ids of the project's participants
    offers: list[ProfileText]


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """The opening sentences of `text`, at most `limit` characters (at least its first words).

    Examples
    --------
    >>> excerpt("We build robots. They grasp things. And more.", 35)
    'We build robots. They grasp things.'
    >>> excerpt("One very long sentence without end", 12)
    'One very'
    """
    taken = ""
    for sentence in _SENTENCE.split(text.strip()):
        if len(taken) + len(sentence) + 1 > limit:
            break
        taken = f"{taken} {sentence}".strip()
    return taken or text[:limit].rsplit(" ", 1)[0]


def offer_of(organisation: str, projects: list[Project], offer_id: str) -> ProfileText:
    """A technology offer as `organisation` would write it from `projects` (latest first)."""
    keywords = Counter(k.strip().lower() for p in projects for k in p.keywords if k.strip())
    return ProfileText(
        id=offer_id,
        kind="technology_offer",
        title="; ".join(p.title for p in projects[:3]),
        text=" ".join(excerpt(p.objective) for p in projects),
        keywords=tuple(k for k, _ in keywords.most_common(KEYWORDS_PER_OFFER)),
        organisation_pic=organisation,
    )


def labelled_set(history: ProjectHistory, cutoff: date, profiles: int) -> LabelledSet:
    """Requests of the projects from `cutoff` on, offers from the projects before it (see the
    module's docstring); offers in a fixed order (organisation id, then padding)."""
    past = history.started_before(cutoff)
    by_id = {p.id: p for p in past.projects if p.has_text}
    done: dict[str, list[Project]] = defaultdict(list)
    for participation in past.participations:
        project = by_id.get(participation.project_id)
        if (
            project is not None
            and participation.role in CONSORTIUM_ROLES
            and project not in done[participation.organisation_id]
        ):
            done[participation.organisation_id].append(project)
    for projects in done.values():
        projects.sort(key=lambda p: (p.start_date or date.min, p.id), reverse=True)
    organisations = sorted(done)
    offers = [offer_of(o, done[o][:PROJECTS_PER_OFFER], f"offer-{o}") for o in organisations]
    # Padding: offers of single projects, each organisation's latest first, round by round.
    for round_number in range(max((len(p) for p in done.values()), default=0)):
        for organisation in organisations:
            if len(offers) >= profiles:
                break
            projects = done[organisation]
            if round_number < len(projects):
                project = projects[round_number]
                offers.append(
                    offer_of(organisation, [project], f"offer-{organisation}-{project.id}")
                )
    requests, truth = [], {}
    for training_query in partner_queries(history, cutoff, None):
        idea = training_query.query
        request_id = f"request-{idea.project_id}"
        requests.append(
            ProfileText(
                id=request_id,
                kind="technology_request",
                title=idea.title,
                text=idea.objective,
                keywords=idea.keywords,
                organisation_pic=idea.coordinator,
            )
        )
        truth[request_id] = training_query.partners
    return LabelledSet(requests, truth, offers)


def _organisations(offer_ids, pic_of: dict, exclude: str) -> list[str]:
    """Organisations in the order of their best offer, without the request's owner."""
    ranked = []
    for offer_id in offer_ids:
        organisation = pic_of[offer_id]
        if organisation != exclude and organisation not in ranked:
            ranked.append(organisation)
            if len(ranked) == K:
                break
    return ranked


class TfidfAlone:
    """TF-IDF cosine between a request and the offers' texts, nothing else."""

    def __init__(self, offers: list[ProfileText]):
        self.ids = [o.id for o in offers]
        self.vectorizer = TfidfVectorizer(
            analyzer=tokenize, sublinear_tf=True, min_df=1, dtype=np.float32
        )
        self.matrix = self.vectorizer.fit_transform([self.document(o) for o in offers]).tocsr()

    @staticmethod
    def document(profile: ProfileText) -> str:
        return " ".join((profile.title, *profile.keywords, profile.text))

    def rank(self, request: ProfileText, count: int) -> list[str]:
        vector = self.vectorizer.transform([self.document(request)])
        scores = (self.matrix @ vector.T).toarray().ravel()
        order = np.lexsort((np.arange(len(scores)), -scores))[:count]
        return [self.ids[i] for i in order if scores[i] > 0]


def run(options, out) -> None:
    """Build the labelled set, the index and both rankers; print every figure through `out`."""
    started = time.perf_counter()
    h2020 = options.get("h2020") or None
    history = read_history(Path(options["history"]), h2020)
    cutoff = date.fromisoformat(options.get("cutoff") or "2024-01-01")
    out(
        f"history read in {time.perf_counter() - started:.1f} s: {len(history.projects)} "
        f"projects, {len(history.participations)} participations"
    )
    tick = time.perf_counter()
    labelled = labelled_set(history, cutoff, options.get("profiles") or 10_000)
    requests = labelled.requests[: options["limit"]] if options.get("limit") else labelled.requests
    organisations = len({o.organisation_pic for o in labelled.offers})
    out(
        f"labelled set built in {time.perf_counter() - tick:.1f} s: {len(labelled.requests)} "
        f"requests (projects from {cutoff} with a coordinator and >= 2 participants), "
        f"{len(labelled.offers)} offers of {organisations} organisations (earlier projects); "
        f"scoring {len(requests)} requests"
    )
    tick = time.perf_counter()
    index = PartnerIndex.build(history.started_before(cutoff), seed=options.get("seed", 0))
    out(f"partner index of the earlier projects built in {time.perf_counter() - tick:.1f} s")
    # With one offer per organisation, K offers are K organisations: what a page shows. (TF-IDF
    # reads one more: it does not leave out the offer of the request's own organisation.)
    read = K if len(labelled.offers) == organisations else OFFERS_READ
    tick = time.perf_counter()
    matcher = MarketplaceMatcher(index, labelled.offers)
    out(f"matcher built (offers read and vectorised) in {time.perf_counter() - tick:.1f} s")
    # The same matcher without the track record, to tell what the track record adds.
    texts_only = MarketplaceMatcher(
        index, labelled.offers, weights=MatchWeights(best_project=0, votes=0, partners=0)
    )
    tick = time.perf_counter()
    tfidf = TfidfAlone(labelled.offers)
    out(f"TF-IDF alone fitted in {time.perf_counter() - tick:.1f} s")

    pic_of = {o.id: o.organisation_pic for o in labelled.offers}
    known = set(pic_of.values())
    outcomes: dict[str, list] = {"matcher": [], "texts_only": [], "tfidf": []}
    latencies = []
    for request in requests:
        tick = time.perf_counter()
        matches = matcher.offers_for_request(request, read)
        latencies.append(time.perf_counter() - tick)
        owner = request.organisation_pic
        rankings = {
            "matcher": _organisations((m.id for m in matches), pic_of, owner),
            "texts_only": _organisations(
                (m.id for m in texts_only.offers_for_request(request, read)), pic_of, owner
            ),
            "tfidf": _organisations(tfidf.rank(request, read + 1), pic_of, owner),
        }
        for method, ranked in rankings.items():
            outcomes[method].append(
                query_outcome(labelled.truth[request.id], ranked, owner, known, ks=(K,))
            )
    recall = {method: mean_recall(results, ks=(K,)) for method, results in outcomes.items()}
    for method, figures in recall.items():
        out(
            f"  {method:<10} recall@{K} {figures[f'recall@{K}']:.4f}   "
            f"known_recall@{K} {figures[f'known_recall@{K}']:.4f}"
        )
    baseline = recall["tfidf"][f"recall@{K}"]
    ratio = recall["matcher"][f"recall@{K}"] / baseline if baseline else float("inf")
    out(f"  matcher / TF-IDF alone, recall@{K}: {ratio:.2f}x (target >= 1.3x)")
    out(
        f"  matcher query time over {len(labelled.offers)} offers ({read} matches "
        f"explained): p50 {np.percentile(latencies, 50) * 1000:.1f} ms, "
        f"p95 {np.percentile(latencies, 95) * 1000:.1f} ms (target p95 <= 100 ms)"
    )
    out(f"whole benchmark in {time.perf_counter() - started:.0f} s")
