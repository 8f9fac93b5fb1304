"""Generic fixtures shared by every test module (keep this file small)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The repository's examples/ folder (two real news articles)."""
    return REPO / "examples"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared folder beside the checkout (gold data, references); tests skip without it."""
    path = REPO.parent / "shared"
    if not path.is_dir():
        pytest.skip(f"shared folder {path} is absent")
    return path


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB store (the file does not exist yet)."""
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """A store built once per session by ingesting examples/ (tests open it read-only and never write)."""
    import detente

    path = tmp_path_factory.mktemp("examples") / "examples.duckdb"
    detente.ingest([str(examples_dir)], db=path)
    return path
