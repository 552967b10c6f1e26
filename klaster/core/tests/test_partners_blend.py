"""The blend signal inside the engine, and the quarterly training windows."""

from datetime import date
from types import SimpleNamespace

import numpy as np
import pytest

from klaster.core.partners.features import blend_scores
from klaster.core.partners.ranker import RankerSettings, training_windows
from klaster.core.tests.test_partners import synthetic_history


def test_blend_is_text_plus_damped_partnership_and_activity():
    index = SimpleNamespace(projects_he=np.array([0.0, 3.0]), projects_other=np.array([0.0, 0.0]))
    scores = {
        "text_full": np.array([0.2, 0.0], np.float32),
        "partners": np.array([1.0, 0.0], np.float32),
        "partners_other": np.array([0.0, 0.0], np.float32),
    }
    blend = blend_scores(index, scores)
    assert blend == pytest.approx([0.2 + 0.05 * np.log(2), 0.01 * np.log(4)], rel=1e-5)


def test_default_windows_are_quarterly_and_need_history_behind_them():
    history = synthetic_history()
    windows = training_windows(history, RankerSettings(min_history_text_projects=30))
    assert windows[:2] == [
        (date(2023, 10, 1), date(2024, 1, 1)),
        (date(2023, 7, 1), date(2023, 10, 1)),
    ]
    assert all(
        (end.year - cutoff.year) * 12 + end.month - cutoff.month == 3 for cutoff, end in windows
    )
    # Every window has history behind it: the earliest cutoff still leaves projects before it.
    earliest = min(cutoff for cutoff, _ in windows)
    assert sum(p.start_date < earliest for p in history.projects if p.has_text) >= 30
