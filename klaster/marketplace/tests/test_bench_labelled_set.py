"""The labelled set of `klaster bench marketplace`: offers only from earlier projects, requests
and truth from the held-out ones, padding to the size asked."""

from collections import defaultdict
from datetime import date

from klaster.core.tests.test_partners import synthetic_history
from klaster.marketplace.benchmarks import TfidfAlone, excerpt, labelled_set

CUTOFF = date(2023, 1, 1)


def test_offers_are_written_from_earlier_projects_only_and_requests_from_later_ones():
    history = synthetic_history()
    labelled = labelled_set(history, CUTOFF, profiles=0)
    start = {p.id: p.start_date for p in history.projects}
    titles_before = defaultdict(set)
    for participation in history.participations:
        if start[participation.project_id] < CUTOFF:
            project = next(p for p in history.projects if p.id == participation.project_id)
            titles_before[participation.organisation_id].add(project.title)
    assert labelled.offers
    for offer in labelled.offers:
        assert set(offer.title.split("; ")) <= titles_before[offer.organisation_pic]
    # One offer per organisation when no padding is asked.
    assert len({o.organisation_pic for o in labelled.offers}) == len(labelled.offers)
    later = {p.id: p for p in history.projects if p.start_date >= CUTOFF}
    assert labelled.requests
    for request in labelled.requests:
        project = later[request.id.removeprefix("request-")]
        assert request.text == project.objective
        truth = labelled.truth[request.id]
        assert len(truth) >= 2 and request.organisation_pic not in truth


def test_offers_are_padded_to_the_size_asked_with_distinct_ids():
    history = synthetic_history()
    organisations = len(labelled_set(history, CUTOFF, profiles=0).offers)
    padded = labelled_set(history, CUTOFF, profiles=organisations + 25).offers
    assert len(padded) == organisations + 25
    assert len({o.id for o in padded}) == len(padded)


def test_an_excerpt_keeps_whole_sentences_within_the_limit():
    assert excerpt("First one. Second one. Third.", 22) == "First one. Second one."
    assert excerpt("Nothing stops this sentence", 15) == "Nothing stops"


def test_tfidf_alone_ranks_offers_of_the_requests_own_community_first():
    # Each synthetic community has its own vocabulary: solar, health, robots.
    labelled = labelled_set(synthetic_history(), CUTOFF, profiles=0)
    pic_of = {o.id: o.organisation_pic for o in labelled.offers}
    tfidf = TfidfAlone(labelled.offers)
    for request in labelled.requests[:10]:
        community = request.organisation_pic.split("-")[0]
        ranked = tfidf.rank(request, 5)
        assert len(set(ranked)) == 5
        assert all(pic_of[offer_id].startswith(community) for offer_id in ranked)
