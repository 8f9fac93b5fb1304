"""Schema fuzzing: schemathesis generates requests from /openapi.json for every operation (a bounded
number each) and the server must never answer with a 5xx. POST /articles is fuzzed with the token, so
bodies reach the real pipeline and store (a private copy of the examples store)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from detente.server import create_app
from detente.server.queries import Actors
from detente.settings import Settings

TOKEN = "fuzz-token-3c9a"


@pytest.fixture(scope="module")
def api_schema(examples_db: Path, actors: Actors, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    shutil.copy(examples_db, db)
    app = create_app(Settings.load(env={}, db=db, token=TOKEN), actors=actors)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


OPERATIONS = [("GET", "/events"), ("GET", "/events/{event_id}"), ("GET", "/dyads/{a}/{b}/series"),
              ("GET", "/network"), ("GET", "/alerts"), ("GET", "/actors"), ("GET", "/health"),
              ("POST", "/articles")]


def test_every_operation_is_fuzzed(api_schema) -> None:  # type: ignore[no-untyped-def]
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_server_errors(api_schema, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=[not_a_server_error])

    run()
