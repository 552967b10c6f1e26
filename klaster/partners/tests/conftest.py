import pytest

from klaster.partners import serving
from klaster.partners.tests.trackrecord_rows import make_track_record

# A much lighter fitting of the same ranker: the serving and the pages are under test here.
LIGHT_RANKER = {
    "windows": 1,
    "trees": 20,
    "negatives_per_query": 20,
    "min_rows_in_leaf": 5,
    "min_history_text_projects": 20,
}


@pytest.fixture
def partner_engine_sandbox(settings, tmp_path, monkeypatch):
    """Each test builds into its own folder, with nothing in memory from another test."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(serving, "RANKER_SETTINGS", LIGHT_RANKER)
    monkeypatch.setattr(serving, "FINGERPRINT_SECONDS", 0)  # see every change at once
    serving._loaded.clear()
    yield
    serving._loaded.clear()


@pytest.fixture
def track_record(db):
    return make_track_record()
