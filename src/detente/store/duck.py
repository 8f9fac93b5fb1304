"""The DuckDB store: articles, events, mentions, failures and ingest runs, with a versioned schema.

Writes are one transaction per batch, so an interrupted ingest leaves whole batches only; every insert
is keyed (article id, mention id), so re-ingesting the same input adds nothing. A writer holds an
advisory lock file (``<db>.lock``) for its whole life, so a second ingest is refused at once, but opens
DuckDB only while it reads known ids or writes a batch, so read-only stores (which retry DuckDB's file
lock for a few seconds) get in between batches. One real-world event
reported by several articles (or twice in one) is one ``events`` row with ``num_mentions``,
``num_articles``, ``first_seen`` and ``last_seen``, and one ``mentions`` row per sentence that reports
it; near-duplicate articles are stored with ``duplicate_of`` and add mentions only. The rules are in
:mod:`detente.dedup` and docs/store.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from .. import dedup
from ..errors import DetenteError, E
from ..records import CodedArticle, Event, Failure, stable_id

SCHEMA_VERSION = 3

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
    2: [
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR",
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS minhash UBIGINT[]",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS event_key VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_mentions INTEGER DEFAULT 1",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_articles INTEGER DEFAULT 1",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS first_seen TIMESTAMP",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS last_seen TIMESTAMP",
        """CREATE TABLE IF NOT EXISTS mentions (
            mention_id VARCHAR PRIMARY KEY, event_id VARCHAR, doc_id VARCHAR, sentence_index INTEGER,
            sentence VARCHAR, trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
            source_text VARCHAR, source_start INTEGER, source_end INTEGER,
            target_text VARCHAR, target_start INTEGER, target_end INTEGER,
            cameo VARCHAR, rule VARCHAR, factuality VARCHAR, attribution VARCHAR, cues VARCHAR,
            date DATE, date_source VARCHAR, run_id VARCHAR, seen_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS article_bands (band INTEGER, hash BIGINT, article_id VARCHAR)""",
        "CREATE INDEX IF NOT EXISTS article_bands_hash ON article_bands (band, hash)",
        "CREATE INDEX IF NOT EXISTS events_key ON events (event_key)",
        "CREATE INDEX IF NOT EXISTS mentions_event ON mentions (event_id)",
        # v1 stores: every event was its own single mention
        """INSERT INTO mentions SELECT event_id, event_id, doc_id, sentence_index, sentence, trigger_text,
            trigger_start, trigger_end, source_text, NULL, NULL, target_text, NULL, NULL, cameo, rule, factuality,
            attribution, cues, date, date_source, run_id, NULL FROM events ON CONFLICT DO NOTHING""",
        "UPDATE events SET event_key = coalesce(event_key, event_id)",
    ],
    # the order articles and events were stored in: "the first article" and "the earliest event" of the
    # dedup rules must not depend on how an ingest was cut into batches (timestamps tie within one)
    3: [
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS seq BIGINT",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS seq BIGINT",
        """UPDATE articles SET seq = r.n FROM (SELECT id, row_number() OVER (ORDER BY ingested_at, id) AS n
            FROM articles) r WHERE articles.id = r.id""",
        """UPDATE events SET seq = r.n FROM (SELECT event_id, row_number() OVER (ORDER BY first_seen, event_id)
            AS n FROM events) r WHERE events.event_id = r.event_id""",
    ],
}

#: columns of ``mentions``, in table order
MENTION_COLUMNS = [
    "mention_id", "event_id", "doc_id", "sentence_index", "sentence", "trigger_text", "trigger_start",
    "trigger_end", "source_text", "source_start", "source_end", "target_text", "target_start", "target_end",
    "cameo", "rule", "factuality", "attribution", "cues", "date", "date_source", "run_id", "seen_at",
]

EVENT_COLUMNS = [
    "event_id", "doc_id", "sentence_index", "sentence", "date", "date_source", "article_date",
    "source_code", "source_country", "source_sector", "source_name", "source_text",
    "target_code", "target_country", "target_sector", "target_name", "target_text",
    "cameo", "cameo_name", "root", "quad", "goldstein", "plover", "factuality",
    "trigger_text", "trigger_start", "trigger_end", "rule",
    "place_name", "place_country", "place_lat", "place_lon", "attribution", "cues", "run_id",
]
#: columns events gained in schema v2 (counts over their mentions)
EVENT_COUNT_COLUMNS = ["num_mentions", "num_articles", "first_seen", "last_seen"]
#: what ``Store.events`` returns and csv/parquet/jsonl exports carry: the event and its counts
READ_COLUMNS = [c for c in EVENT_COLUMNS if c != "run_id"] + EVENT_COUNT_COLUMNS


def mention_row(e: Event, event_id: str, run_id: str, now: dt.datetime) -> tuple[Any, ...]:
    return (
        e.event_id, event_id, e.doc_id, e.sentence_index, e.sentence, e.trigger.text, e.trigger.start,
        e.trigger.end, e.source.text, e.source.start, e.source.end, e.target.text, e.target.start, e.target.end,
        e.cameo, e.rule, e.factuality, e.attribution, ",".join(e.cues), e.date, e.date_source, run_id, now,
    )


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

    def __init__(self, path: str | Path, read_only: bool = False, wait: float | None = None):
        """``wait``: seconds to keep retrying while another process holds DuckDB's file lock (an ingest
        holds it only while it writes a batch); default 10 s for readers, 0 for writers."""
        self.path = Path(path)
        deadline = time.monotonic() + (wait if wait is not None else 10.0 if read_only else 0.0)
        delay = 0.05
        while True:
            try:
                self.con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise DetenteError(E.E305.format(path=self.path) + f" ({exc})") from exc
                if time.monotonic() >= deadline:
                    raise DetenteError(E.E306.format(path=self.path)) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
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
        """Write one batch in one transaction; returns (articles added, events added).

        Articles already stored (or repeated in the batch) are skipped whole. A near-duplicate of a
        stored article is stored with ``duplicate_of`` and adds mentions only. Every other event either
        joins an existing event with the same identity (:mod:`detente.dedup`) as a new mention, or
        becomes a new event.
        """
        now = dt.datetime.now()
        arts = list(coded)
        fails = list(failures) + [f for c in arts for f in c.failures]
        self.con.execute("BEGIN TRANSACTION")
        try:
            known = self.known_articles([c.article.id for c in arts])
            new: list[CodedArticle] = []
            for c in arts:
                if c.article.id not in known:
                    known.add(c.article.id)
                    new.append(c)
            before = self._count("events")
            if new:
                self._write_articles(new, run_id, now)
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

    def _write_articles(self, new: list[CodedArticle], run_id: str, now: dt.datetime) -> None:
        """Articles, their LSH bands, events and mentions of one batch, with a fixed number of queries."""
        sigs = [dedup.signature(c.article.text) for c in new]
        band_rows = [(b, h, c.article.id) for c, sig in zip(new, sigs, strict=True)
                     for b, h in enumerate(dedup.bands(sig))]
        originals = self._near_duplicates(new, sigs, band_rows)
        events = [e for c in new for e in c.events]
        index = self._event_index({dedup.event_key(e).as_text() for e in events})
        event_rows: list[tuple[Any, ...]] = []
        mention_rows: list[tuple[Any, ...]] = []
        touched: set[str] = set()
        for c in new:
            original = originals.get(c.article.id)
            for e in c.events:
                key = dedup.event_key(e).as_text()
                target = self._same_event(e, index.get(key, []), original)
                if target is None and original is None:
                    target = e.event_id
                    event_rows.append((*event_row(e, run_id), key, now, now))
                    index.setdefault(key, []).append(
                        [e.event_id, dedup.event_day(e), dedup.exact_date(e), {e.doc_id}])
                elif target is None:  # a near-duplicate's event that changed a little: same dyad and root
                    target = self._match_in_article(e, original, event_rows)  # type: ignore[arg-type]
                else:
                    for entry in index.get(key, []):
                        if entry[0] == target:
                            entry[3].add(e.doc_id)
                mention_rows.append(mention_row(e, target, run_id, now))  # type: ignore[arg-type]
                if target is not None:
                    touched.add(target)
        self.con.executemany(
            "INSERT INTO articles (id, title, date, url, source, language, origin, content_hash, n_sentences, "
            "n_events, text, run_id, ingested_at, duplicate_of, minhash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            [(a.id, a.title, a.date, a.url, a.source, a.language, a.origin, a.content_hash, len(c.sentences),
              len(c.events), a.text, run_id, now, originals.get(a.id), [int(x) for x in sig])
             for c, sig in zip(new, sigs, strict=True) for a in [c.article]])
        self._insert_frame("article_bands", ["band", "hash", "article_id"], band_rows)
        self._insert_frame("events", [*EVENT_COLUMNS, "event_key", "first_seen", "last_seen"], event_rows)
        self._insert_frame("mentions", MENTION_COLUMNS, mention_rows)
        if touched:
            self.con.execute(
                """UPDATE events SET num_mentions = c.n, num_articles = c.a, last_seen = ?
                   FROM (SELECT event_id, count(*) AS n, count(DISTINCT doc_id) AS a FROM mentions
                         WHERE event_id IN (SELECT unnest(?)) GROUP BY event_id) c
                   WHERE events.event_id = c.event_id""", [now, sorted(touched)])

    def _insert_frame(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        df = pd.DataFrame(rows, columns=columns)
        name = f"_new_{table}"
        self.con.register(name, df)
        try:
            cols = ", ".join(columns)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name} ON CONFLICT DO NOTHING"
                             if table != "article_bands" else f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
        finally:
            self.con.unregister(name)

    def _near_duplicates(self, new: list[CodedArticle], sigs: list[np.ndarray],
                         band_rows: list[tuple[int, int, str]]) -> dict[str, str]:
        """article id -> the first stored (or earlier in the batch) article it nearly duplicates."""
        cand: dict[tuple[int, int], list[tuple[str, Any, str]]] = {}
        if band_rows:
            df = pd.DataFrame(band_rows, columns=["band", "hash", "article_id"])
            self.con.register("_bands", df)
            try:
                rows = self.con.execute(
                    "SELECT b.band, b.hash, b.article_id, a.minhash, coalesce(a.duplicate_of, a.id) "
                    "FROM article_bands b JOIN articles a ON a.id = b.article_id "
                    "JOIN (SELECT DISTINCT band, hash FROM _bands) n ON n.band = b.band AND n.hash = b.hash "
                    "ORDER BY a.ingested_at, b.article_id").fetchall()
            finally:
                self.con.unregister("_bands")
            for band, h, other, sig, root in rows:
                cand.setdefault((band, h), []).append((other, sig, root))
        out: dict[str, str] = {}
        for c, sig in zip(new, sigs, strict=True):
            aid = c.article.id
            keys = [(b, h) for b, h in enumerate(dedup.bands(sig))]
            seen: set[str] = set()
            for k in keys:
                for other, other_sig, root in cand.get(k, []):
                    if other in seen or other == aid:
                        continue
                    seen.add(other)
                    if other_sig is not None and dedup.jaccard(sig, other_sig) >= dedup.THRESHOLD:
                        out[aid] = root
                        break
                if aid in out:
                    break
            for k in keys:  # later articles of the batch can duplicate this one
                cand.setdefault(k, []).append((aid, sig, out.get(aid, aid)))
        return out

    def _event_index(self, keys: set[str]) -> dict[str, list[list[Any]]]:
        """Stored events by identity key: [event_id, day, exact date, docs that mention it]."""
        if not keys:
            return {}
        rows = self.con.execute(
            "SELECT e.event_id, e.event_key, coalesce(e.date, e.article_date), e.date_source, "
            "list(DISTINCT m.doc_id) FROM events e LEFT JOIN mentions m ON m.event_id = e.event_id "
            "WHERE e.event_key IN (SELECT unnest(?)) GROUP BY ALL ORDER BY min(e.first_seen), e.event_id",
            [sorted(keys)]).fetchall()
        index: dict[str, list[list[Any]]] = {}
        for event_id, key, day, source, docs in rows:
            index.setdefault(key, []).append([event_id, day, source == "explicit", set(docs or [])])
        return index

    @staticmethod
    def _same_event(e: Event, candidates: list[list[Any]], original: str | None) -> str | None:
        """The event this one is a new mention of, by key and date (see :mod:`detente.dedup`)."""
        day, exact = dedup.event_day(e), dedup.exact_date(e)
        for event_id, other_day, other_exact, docs in candidates:
            if original is not None and original not in docs:
                continue  # a near-duplicate article joins its original's events only
            if day is None or other_day is None:
                if e.doc_id in docs:  # undated: the same article may report it twice
                    return str(event_id)
                continue
            if dedup.same_day(day, exact, other_day, other_exact):
                return str(event_id)
        return None

    def _match_in_article(self, e: Event, original: str, pending: list[tuple[Any, ...]]) -> str | None:
        """The original article's event of the same dyad and root (a near-duplicate coded a little apart)."""
        col = {c: i for i, c in enumerate(EVENT_COLUMNS)}
        for r in pending:  # the original was written earlier in this batch
            if (r[col["doc_id"]], r[col["source_country"]], r[col["target_country"]], r[col["root"]]) == (
                    original, e.source.country, e.target.country, e.root):
                return str(r[0])
        rows = self.con.execute(
            "SELECT DISTINCT e.event_id FROM events e JOIN mentions m ON m.event_id = e.event_id "
            "WHERE m.doc_id = ? AND e.source_country = ? AND e.target_country = ? AND e.root = ? "
            "ORDER BY e.event_id LIMIT 1",
            [original, e.source.country, e.target.country, e.root]).fetchall()
        return str(rows[0][0]) if rows else None

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
        return {t: self._count(t) for t in ("articles", "events", "mentions", "failures", "runs")}

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
        sql = (f"SELECT {', '.join(READ_COLUMNS)} FROM events e WHERE {' AND '.join(where)} "
               "ORDER BY coalesce(date, article_date) NULLS LAST, doc_id, sentence_index, trigger_start, event_id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self.con.execute(sql, params).df()

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with every mention (article title/url/date, sentence, spans, rule, factuality)."""
        rows = self.con.execute("SELECT * FROM events WHERE event_id = ?", [event_id]).df()
        if rows.empty:
            return None
        out: dict[str, Any] = rows.iloc[0].to_dict()
        out.pop("event_key", None)
        out["mentions"] = self.mentions(event_id=event_id).to_dict(orient="records")
        return out

    def mentions(self, event_id: str | None = None, doc_id: str | None = None) -> pd.DataFrame:
        """Mentions (one per reporting sentence), with their article's title, url and date."""
        where, params = ["1=1"], []
        if event_id is not None:
            where.append("m.event_id = ?")
            params.append(event_id)
        if doc_id is not None:
            where.append("m.doc_id = ?")
            params.append(doc_id)
        return self.con.execute(
            f"SELECT m.*, a.title AS article_title, a.url AS article_url, a.date AS article_date, "
            f"a.duplicate_of FROM mentions m LEFT JOIN articles a ON a.id = m.doc_id WHERE {' AND '.join(where)} "
            "ORDER BY m.seen_at, m.doc_id, m.sentence_index, m.trigger_start", params).df()

    def articles(self, duplicates: bool = True) -> pd.DataFrame:
        """Stored articles (without their text), in ingest order."""
        where = "" if duplicates else "WHERE duplicate_of IS NULL"
        return self.con.execute(
            "SELECT id, title, date, url, source, language, origin, n_sentences, n_events, duplicate_of, run_id, "
            f"ingested_at FROM articles {where} ORDER BY ingested_at, id").df()

    def failures(self) -> pd.DataFrame:
        return self.con.execute("SELECT item, stage, code, message, failed_at FROM failures ORDER BY failed_at, item").df()

    # ------------------------------------------------------------------ analysis (thin: detente.analysis)
    def dyad(self, a: str, b: str, freq: str = "month", since: dt.date | str | None = None,
             until: dt.date | str | None = None, include_hedged: bool = False, directed: bool = False,
             by_mentions: bool = False) -> pd.DataFrame:
        """Per-period counts, mean Goldstein, cooperation index and normalised index for A–B."""
        from ..analysis import dyad_series

        return dyad_series(self.con, a, b, freq=freq, since=since, until=until,  # type: ignore[arg-type]
                           include_hedged=include_hedged, directed=directed, by_mentions=by_mentions)

    def network(self, since: dt.date | str | None = None, until: dt.date | str | None = None,
                min_events: int = 1, include_hedged: bool = False) -> Any:
        """The country network as a ``networkx.DiGraph`` (see :meth:`network_table` for a DataFrame)."""
        from ..analysis import network

        return network(self.con, since=since, until=until, min_events=min_events, include_hedged=include_hedged)

    def network_table(self, since: dt.date | str | None = None, until: dt.date | str | None = None,
                      min_events: int = 1, include_hedged: bool = False) -> pd.DataFrame:
        """The network's edges: source, target, weight (events), coop_index."""
        from ..analysis.network import edge_table

        return edge_table(self.network(since=since, until=until, min_events=min_events,
                                       include_hedged=include_hedged))

    def alerts(self, baseline: str = "52w", recent: str = "4w", threshold: float = 3.0, method: str = "mad",
               until: dt.date | str | None = None, min_events: int = 3, include_hedged: bool = False,
               change_points: bool = True) -> pd.DataFrame:
        """Dyads whose recent weeks depart from their baseline, with the events behind each alert."""
        from ..analysis import alerts

        return alerts(self.con, baseline=baseline, recent=recent, threshold=threshold,
                      method=method, as_of=until, min_events=min_events,  # type: ignore[arg-type]
                      include_hedged=include_hedged, change_points=change_points)

    def plot_dyad(self, a: str, b: str, path: str | Path, freq: str = "month", since: dt.date | str | None = None,
                  until: dt.date | str | None = None, include_hedged: bool = False) -> pd.DataFrame:
        """Draw A–B's timeline to a PNG; returns the series drawn."""
        from ..analysis.plot import plot_dyad

        series = self.dyad(a, b, freq=freq, since=since, until=until, include_hedged=include_hedged)
        plot_dyad(series, a.upper(), b.upper(), path, freq=freq)
        return series

    def export(self, fmt: str, path: str | Path, **filters: Any) -> int:
        """Write events to ``path`` as csv, parquet, jsonl, gdelt or plover; returns the rows written."""
        from ..export import export

        return export(self.con, fmt, path, **filters)  # type: ignore[arg-type]


def open_store(path: str | Path, read_only: bool = False) -> Store:
    return Store(path, read_only=read_only)
