"""Spark (local[2]) gives the in-process events, through ``detente spark code`` and ``code_events``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from detente.cli import app
from detente.records import Article, CodedArticle

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # .ci/run installs Java 17; a bare laptop may lack it
    pytest.skip("java is not installed", allow_module_level=True)

from detente import spark as dspark  # noqa: E402


@pytest.fixture(scope="session")
def session() -> Iterator[Any]:
    """One SparkSession for the whole test session (the JVM and Python workers start once)."""
    s = dspark.session("local[2]")
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_code_cli_equals_in_process(session: Any, tmp_path: Path, articles: list[Article],
                                          reference: list[CodedArticle]) -> None:
    src = tmp_path / "articles.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "text": a.text, "date": a.date.isoformat() if a.date else None}) + "\n")
    out = tmp_path / "events.parquet"
    result = CliRunner().invoke(app, ["spark", "code", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    got = pd.read_parquet(out).astype(object).where(lambda d: d.notna(), None)
    expected = [dspark.event_record(e) for c in reference for e in c.events]
    assert len(expected) > 100
    assert list(got.columns) == dspark.EVENT_FIELDS
    rows = {r["event_id"]: r for r in got.to_dict("records")}
    assert len(rows) == len(got) == len(expected)
    for e in expected:
        assert rows[e["event_id"]] == e


def test_code_events_needs_text(session: Any) -> None:
    df = session.createDataFrame([{"id": "a", "body": "x"}])
    with pytest.raises(ValueError, match="text"):
        dspark.code_events(df)


def test_bad_rows_become_failures_not_gaps(session: Any, tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    rows = [
        {"id": "good", "text": "Japan condemned North Korea's missile launch on Tuesday.", "date": "2024-01-10"},
        {"id": "empty", "text": "   ", "date": "2024-01-10"},
        {"id": "baddate", "text": "Seoul thanked Washington for its support.", "date": "9999-12-31"},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json\n", encoding="utf-8")
    out, failed = tmp_path / "events.parquet", tmp_path / "failures.parquet"
    result = CliRunner().invoke(app, ["spark", "code", "-i", str(src), "-o", str(out), "--failures", str(failed)])
    assert result.exit_code == 0, result.output
    events = pd.read_parquet(out).astype(object).where(lambda d: d.notna(), None)
    assert {(r.doc_id, r.source_country, r.target_country, r.date) for r in events.itertuples()} == {
        ("good", "JPN", "PRK", "2024-01-09"), ("baddate", "KOR", "USA", None)}
    fails = pd.read_parquet(failed)
    assert list(fails.columns) == dspark.FAILURE_FIELDS
    got = {(r.item, r.code) for r in fails.itertuples()}
    assert ("spark:empty", "E103") in got and ("baddate", "E110") in got
    assert sum(code == "E103" for _, code in got) == 2  # the line that is not JSON has no text either
    assert "2 events" in result.output and "3 failures" in result.output
