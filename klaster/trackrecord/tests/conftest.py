import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture
def cordis_folder(tmp_path) -> Path:
    """A tiny CORDIS download in the official layout (a folder), safe to modify."""
    folder = tmp_path / "cordis"
    shutil.copytree(HERE / "cordis_tiny", folder)
    return folder


@pytest.fixture
def h2020_file() -> Path:
    return HERE / "h2020_tiny.csv.gz"
