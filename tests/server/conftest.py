"""Fixtures for the HTTP API and dashboard tests: one examples store per session, apps over it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detente import api
from detente.server import create_app
from detente.server.queries import Actors
from detente.settings import Settings

TOKEN = "test-token-5b1e"  # test_http_api.TOKEN


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """A store built from examples/ once per session (read by every test; never written)."""
    db = tmp_path_factory.mktemp("server") / "examples.duckdb"
    api.ingest([examples_dir], db=db, settings=Settings.load(env={}, db=db))
    return db


@pytest.fixture(scope="session")
def actors() -> Actors:
    return Actors()


@pytest.fixture(scope="session")
def client(examples_db: Path, actors: Actors) -> Iterator[TestClient]:
    """A client over the examples store, with writes disabled (no token)."""
    app = create_app(Settings.load(env={}, db=examples_db), actors=actors)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def writable(tmp_path: Path, examples_db: Path, actors: Actors) -> Iterator[tuple[TestClient, Path]]:
    """A client with a token over a private copy of the examples store."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(examples_db, db)
    app = create_app(Settings.load(env={}, db=db, token=TOKEN), actors=actors)
    with TestClient(app) as c:
        yield c, db
