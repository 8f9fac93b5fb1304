"""The DuckDB store: articles, events, failures and ingest runs, with versioned schema.

Writes are one transaction per batch, so an interrupted ingest leaves whole batches only; every insert
is keyed (article id, event id), so re-ingesting the same input adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import DetenteError, E
from ..records import CodedArticle, Event, Failure, stable_id

SCHEMA_VERSION = 1

MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE IF NOT EXISTS articles (
            id VARCHAR PRIMARY KEY, title VARCHAR, date DATE, url VARCHAR, source VARCHAR,
            language VARCHAR, origin VARCHAR, content_hash VARCHAR, n_sentences INTEGER,
            n_events INTEGER, text VARCHAR, run_id VARCHAR, ingested_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY, doc_id VARCHAR, sentence_index INTEGER, sentence VARCHAR,
            date DATE, date_source VARCHAR, article_date DATE,
            source_code VARCHAR, source_country VARCHAR, source_sector VARCHAR, source_name VARCHAR,
            source_text VARCHAR,
            target_code VARCHAR, target_country VARCHAR, target_sector VARCHAR, target_name VARCHAR,
            target_text VARCHAR,
            cameo VARCHAR, cameo_name VARCHAR, root VARCHAR, quad INTEGER, goldstein DOUBLE, plover VARCHAR,
            factuality VARCHAR, trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER, rule VARCHAR,
            place_name VARCHAR, place_country VARCHAR, place_lat DOUBLE, place_lon DOUBLE,
            attribution VARCHAR, cues VARCHAR, run_id VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS failures (
            failure_id VARCHAR PRIMARY KEY, item VARCHAR, stage VARCHAR, code VARCHAR, message VARCHAR,
            run_id VARCHAR, failed_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS runs (
            run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, inputs VARCHAR,
            n_articles INTEGER, n_skipped INTEGER, n_sentences INTEGER, n_events INTEGER, n_failures INTEGER)""",
        "CREATE INDEX IF NOT EXISTS events_dyad ON events (source_country, target_country, date)",
    ],
}

EVENT_COLUMNS = [
    "event_id", "doc_id", "sentence_index", "sentence", "date", "date_source", "article_date",
    "source_code", "source_country", "source_sector", "source_name", "source_text",
    "target_code", "target_country", "target_sector", "target_name", "target_text",
    "cameo", "cameo_name", "root", "quad", "goldstein", "plover", "factuality",
    "trigger_text", "trigger_start", "trigger_end", "rule",
    "place_name", "place_country", "place_lat", "place_lon", "attribution", "cues", "run_id",
]


def event_row(e: Event, run_id: str) -> tuple[Any, ...]:
    p = e.place
    return (
        e.event_id, e.doc_id, e.sentence_index, e.sentence, e.date, e.date_source, e.article_date,
        e.source.code, e.source.country, e.source.sector, e.source.name, e.source.text,
        e.target.code, e.target.country, e.target.sector, e.target.name, e.target.text,
        e.cameo, e.cameo_name, e.root, e.quad, e.goldstein, e.plover, e.factuality,
        e.trigger.text, e.trigger.start, e.trigger.end, e.rule,
        p.name if p else None, p.country if p else None, p.lat if p else None, p.lon if p else None,
        e.attribution, ",".join(e.cues), run_id,
    )


class Store:
    """One DuckDB file. ``read_only`` connections let readers work while an ingest writes."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise DetenteError(E.E306.format(path=self.path)) from exc
            raise DetenteError(E.E305.format(path=self.path) + f" ({exc})") from exc
        if not read_only:
            self.migrate()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema
    def migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
        current = row[0] if row and row[0] is not None else 0
        for version in sorted(v for v in MIGRATIONS if v > current):
            self.con.execute("BEGIN TRANSACTION")
            for stmt in MIGRATIONS[version]:
                self.con.execute(stmt)
            self.con.execute("INSERT INTO schema_version VALUES (?)", [version])
            self.con.execute("COMMIT")

    # ------------------------------------------------------------------ writes
    def known_articles(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def write(self, coded: Iterable[CodedArticle], failures: Iterable[Failure], run_id: str) -> tuple[int, int]:
        """Write one batch in one transaction; returns (articles added, events added)."""
        now = dt.datetime.now()
        arts = [c for c in coded]
        fails = list(failures) + [f for c in arts for f in c.failures]
        self.con.execute("BEGIN TRANSACTION")
        try:
            known = self.known_articles([c.article.id for c in arts])
            new = [c for c in arts if c.article.id not in known]
            if new:
                self.con.executemany(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    [(a.id, a.title, a.date, a.url, a.source, a.language, a.origin, a.content_hash,
                      len(c.sentences), len(c.events), a.text, run_id, now)
                     for c in new for a in [c.article]],
                )
            rows = [event_row(e, run_id) for c in new for e in c.events]
            before = self._count("events")
            if rows:
                df = pd.DataFrame(rows, columns=EVENT_COLUMNS)
                self.con.register("_new_events", df)
                self.con.execute(
                    f"INSERT INTO events SELECT {', '.join(EVENT_COLUMNS)} FROM _new_events ON CONFLICT DO NOTHING")
                self.con.unregister("_new_events")
            added_events = self._count("events") - before
            if fails:
                self.con.executemany(
                    "INSERT INTO failures VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    [(stable_id(f.item, f.stage, f.code, f.message), f.item, f.stage, f.code, f.message, run_id, now)
                     for f in fails],
                )
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return len(new), added_events

    def record_run(self, run_id: str, started: dt.datetime, inputs: str, stats: dict[str, int]) -> None:
        self.con.execute(
            "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
            [run_id, started, dt.datetime.now(), inputs, stats.get("articles", 0), stats.get("skipped", 0),
             stats.get("sentences", 0), stats.get("events", 0), stats.get("failures", 0)],
        )

    def _count(self, table: str) -> int:
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0]
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------ reads
    def counts(self) -> dict[str, int]:
        return {t: self._count(t) for t in ("articles", "events", "failures", "runs")}

    def events(self, source: str | None = None, target: str | None = None, dyad: tuple[str, str] | None = None,
               since: dt.date | None = None, until: dt.date | None = None, factuality: str | None = None,
               root: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Events matching the filters, ordered by date; every value is a bound parameter."""
        from ..export import select_sql  # the one filter builder, shared with exports

        where_sql, params = select_sql(source, target, dyad, since, until, factuality)
        where = [where_sql]
        if root:
            where.append("e.root = ?")
            params.append(root.zfill(2))
        sql = (f"SELECT {', '.join(c for c in EVENT_COLUMNS if c != 'run_id')} FROM events e WHERE {' AND '.join(where)} "
               "ORDER BY coalesce(date, article_date) NULLS LAST, doc_id, sentence_index, trigger_start, event_id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self.con.execute(sql, params).df()

    def failures(self) -> pd.DataFrame:
        return self.con.execute("SELECT item, stage, code, message, failed_at FROM failures ORDER BY failed_at, item").df()


def open_store(path: str | Path, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)
