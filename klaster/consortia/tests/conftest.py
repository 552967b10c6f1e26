"""The partner engine for the builder's tests: fitted once on the committed CORDIS extract,
with light ranker settings (the builder's behaviour is under test here, not the ranking)."""

import functools
import tempfile
from pathlib import Path

import pytest

EXTRACTS = Path(__file__).resolve().parents[3] / "data" / "extracts"
HISTORY = EXTRACTS / "cordis-HORIZON-extract.zip"
H2020 = EXTRACTS / "h2020-participations-extract.csv.gz"
# ResMe2E, a Horizon Europe RIA coordinated from Poland (IMP PAN): a real PIC for the owner.
OWNER_PIC = "999489650"
LIGHT_RANKER = {"windows": 1, "trees": 30, "negatives_per_query": 60, "hard_negatives": 30}


@functools.cache
def extract_recommender():
    """Built once per test process (the browser journey shares it)."""
    from klaster.core.cordis_files import files_checksum, read_history
    from klaster.core.partners.engine import build_recommender
    from klaster.core.partners.ranker import RankerSettings

    history = read_history(HISTORY, H2020)
    with tempfile.TemporaryDirectory(prefix="partner-engine-") as cache_dir:
        built, _ = build_recommender(
            history,
            data_checksum=files_checksum(HISTORY, H2020),
            cache_dir=cache_dir,
            settings=RankerSettings(seed=0, **LIGHT_RANKER),
        )
    return built


@pytest.fixture(scope="session")
def recommender():
    return extract_recommender()


@pytest.fixture
def engine(monkeypatch, recommender):
    """The pages use this recommender instead of the database's engine."""
    from klaster.consortia import selectors

    monkeypatch.setattr(selectors, "partner_engine", lambda **kwargs: recommender)
    return recommender


@pytest.fixture
def engine_building(monkeypatch):
    """The database's engine is still building its index."""
    from klaster.consortia import selectors

    monkeypatch.setattr(selectors, "partner_engine", lambda **kwargs: None)
    monkeypatch.setattr(
        selectors, "partner_engine_status", lambda: selectors.EngineStatus(ready=False)
    )


@pytest.fixture(autouse=True)
def english():
    """The builder's explanations are checked in the English msgids (Polish is the default)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client_for(db):
    """A signed-in client for a user who chose English with the language switch."""
    from django.conf import settings
    from django.test import Client

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def anonymous():
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
