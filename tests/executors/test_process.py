"""The process pool gives the in-process results, in the same order, through the executor and the CLI."""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from detente import api
from detente.cli import app
from detente.executors import Executor, LocalExecutor, ProcessExecutor, executor_for
from detente.records import Article, CodedArticle
from detente.settings import Settings


def _batches(articles: list[Article], size: int) -> list[list[Article]]:
    return [articles[i:i + size] for i in range(0, len(articles), size)]


def test_executor_for_picks_by_workers() -> None:
    assert isinstance(executor_for(Settings(workers=1)), LocalExecutor)
    pool = executor_for(Settings(workers=2))
    assert isinstance(pool, ProcessExecutor) and pool.workers == 2
    assert isinstance(pool, Executor) and isinstance(LocalExecutor(Settings()), Executor)


def test_local_executor_matches_one_big_batch(articles: list[Article], reference: list[CodedArticle]) -> None:
    with LocalExecutor(Settings(), factory=api.pipeline) as ex:
        got = [c for batch in ex.map(_batches(articles, 7)) for c in batch]
    assert got == reference


def test_two_workers_same_results_same_order(articles: list[Article], reference: list[CodedArticle]) -> None:
    # small batches and a tight in-flight bound: many tasks finish out of order, results must not
    batches = _batches(articles, 5) + [[]]  # an empty batch (all ids known) still yields its place
    with ProcessExecutor(Settings(), workers=2, in_flight=3) as ex:
        results = list(ex.map(iter(batches)))
    assert len(results) == len(batches) and results[-1] == []
    got = [c for batch in results for c in batch]
    assert [c.article.id for c in got] == [a.id for a in articles]
    assert got == reference
    assert sum(len(c.events) for c in got) > 100


def _events(db: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT event_id, doc_id, sentence_index, cameo, source_code, target_code, date "
                           "FROM events ORDER BY event_id").fetchall()


def test_ingest_workers_2_cli_equals_in_process(tmp_path: Path, examples_dir: Path) -> None:
    one = tmp_path / "one.duckdb"
    two = tmp_path / "two.duckdb"
    summary = api.ingest([examples_dir], db=one, settings=Settings(db=one))
    result = CliRunner().invoke(app, ["ingest", str(examples_dir), "--db", str(two), "--workers", "2",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f'"events": {summary.events}' in result.output and summary.events > 10
    assert _events(one) == _events(two)
    again = api.ingest([examples_dir], db=two, settings=Settings(db=two, workers=2))
    assert (again.articles, again.skipped, again.events) == (0, 2, 0)


def test_workers_setting_from_environment() -> None:
    assert Settings.load(env={"DETENTE_WORKERS": "3"}).workers == 3
