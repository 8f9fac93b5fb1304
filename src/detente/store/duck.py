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

import datetime as dt
import fcntl
import logging
import os
import threading
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .. import dedup
from ..errors import DetenteError, E
from ..records import CodedArticle, Event, Failure, stable_id

SCHEMA_VERSION = 3
WRITER_MEMORY = "512MB"  # DuckDB's buffer pool in an ingest (its default is 80% of RAM); it spills beyond
RELEASE_AFTER = 30.0  # seconds a writer keeps DuckDB open across batches when no reader has knocked

log = logging.getLogger(__name__)

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
        # the identity key of dedup.EventKey.as_text, so old events merge with new reports of them
        """UPDATE events SET event_key = coalesce(event_key, concat_ws('|', coalesce(source_code, ''),
            coalesce(target_code, ''), coalesce(cameo, ''), CASE WHEN factuality = 'negated' THEN 'neg' ELSE 'pos' END,
            coalesce(place_name, '')))""",
        "UPDATE events SET first_seen = coalesce(first_seen, (SELECT min(a.ingested_at) FROM articles a "
        "WHERE a.id = events.doc_id)), last_seen = coalesce(last_seen, (SELECT min(a.ingested_at) FROM articles a "
        "WHERE a.id = events.doc_id))",
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

#: what a batch writes into ``articles``
ARTICLE_WRITE_COLUMNS = [
    "id", "title", "date", "url", "source", "language", "origin", "content_hash", "n_sentences", "n_events",
    "text", "run_id", "ingested_at", "duplicate_of", "minhash", "seq",
]
#: Arrow types for the DuckDB column types a batch writes (strings for dates: DuckDB casts and checks them)
ARROW_TYPES: dict[str, pa.DataType] = {
    "VARCHAR": pa.string(), "INTEGER": pa.int64(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
    "DATE": pa.string(), "TIMESTAMP": pa.timestamp("us"), "UBIGINT[]": pa.list_(pa.uint64()),
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


def mention_row(e: Event, event_id: str | None, run_id: str, now: dt.datetime) -> tuple[Any, ...]:
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


@dataclass(slots=True)
class EventRef:
    """A stored (or just written) event as the identity rules see it; ``docs`` grows as mentions join."""

    event_id: str
    day: dt.date | None
    exact: bool
    docs: set[str]
    seq: int


class Store:
    """One DuckDB file, read-only (a reader) or read-write (one ingest at a time).

    A writer takes the advisory lock ``<db>.lock`` for its life (a second writer gets E312 at once) and
    holds DuckDB's own file lock across batches. A reader that finds DuckDB locked *knocks* (creates
    ``<db>.readers``) and retries with short backoff; after each batch the writer looks for the knock
    and, if it finds one (or has held the file for ``RELEASE_AFTER`` seconds), closes its connection
    (:meth:`release`; :attr:`con` reopens it), so the reader gets in after at most one batch. Opening
    DuckDB replays its write-ahead log (~150 ms at 16 MB), so the writer does not reopen it per batch.
    """

    def __init__(self, path: str | Path, read_only: bool = False, wait: float | None = None):
        """``wait``: seconds to keep retrying while another process holds DuckDB's file lock (an ingest
        holds it only while it writes a batch, a reader while it reads); default 10 s for readers,
        30 s for writers."""
        self.path = Path(path)
        self.read_only = read_only
        self.wait = wait if wait is not None else 10.0 if read_only else 30.0
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0.0  # when a writer's connection was opened (time.monotonic)
        self._lock_file: int | None = None
        self._memory = str(path) == ":memory:"
        self._types: dict[str, dict[str, str]] = {}
        self._mutex = threading.RLock()  # an executor may read known ids in a thread while we write
        if read_only:
            self._con = self._connect()
            if self._version() < SCHEMA_VERSION:
                self._upgrade_for_reading()
        else:
            self._take_lock()
            try:
                self.migrate()
            except BaseException:
                self.close()
                raise
            self.release()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection, opened on first use (a writer closes it between batches)."""
        if self._con is None:
            self._con = self._connect()
            self._opened = time.monotonic()
        return self._con

    def release_soon(self) -> None:
        """:meth:`release` if a reader has knocked or the connection has been open for ``RELEASE_AFTER``
        seconds (a reader that cannot create the knock file waits at most that long plus one batch)."""
        if self._con is None:
            return
        if self.knock_path.exists() or time.monotonic() - self._opened >= RELEASE_AFTER:
            self.release()
            self.knock_path.unlink(missing_ok=True)  # a reader still locked out knocks again

    @property
    def knock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".readers")

    def _knock(self) -> None:
        """Ask the running ingest to let readers in after its current batch (best effort)."""
        try:
            self.knock_path.touch()
        except OSError:
            pass  # a read-only directory: the writer still lets readers in every RELEASE_AFTER seconds

    def release(self) -> None:
        """Close a writer's DuckDB connection so that readers in other processes can open the file; the
        ingest lock stays held. Readers keep theirs until :meth:`close`."""
        if self._con is not None and not self.read_only and not self._memory:
            self._con.close()
            self._con = None

    def close(self) -> None:
        if self._lock_file is not None:  # a writer: fold the WAL into the file, so readers need not replay it
            try:
                self.con.execute("CHECKPOINT")
            except (duckdb.Error, DetenteError):
                pass  # the WAL keeps every committed batch; the next writer checkpoints it
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._lock_file is not None:
            self.knock_path.unlink(missing_ok=True)
            os.close(self._lock_file)  # closing the descriptor releases the flock
            self._lock_file = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def _take_lock(self) -> None:
        """Exclusive advisory lock for the whole ingest, released by the kernel if the process dies."""
        if self._memory:
            return
        if not self.path.parent.is_dir():
            raise DetenteError(E.E305.format(path=self.path.parent))
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise DetenteError(E.E312.format(path=self.path, pid=holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._lock_file = fd

    def _connect(self, read_only: bool | None = None) -> duckdb.DuckDBPyConnection:
        """Open DuckDB, retrying with backoff (up to ``wait`` seconds) while another process holds its lock."""
        read_only = self.read_only if read_only is None else read_only
        if read_only and not self.path.exists():
            raise DetenteError(E.E305.format(path=self.path))
        deadline = time.monotonic() + self.wait
        delay = 0.02
        while True:
            try:
                config = {} if read_only else {"memory_limit": WRITER_MEMORY}
                con = duckdb.connect(str(self.path), read_only=read_only, config=config)
                if not read_only:
                    # releasing between batches must not checkpoint: a checkpoint rewrites every row group
                    # the batch's mention counts touched, which grows with the store. The WAL checkpoints
                    # itself at 16 MB, and close() checkpoints at the end of the ingest.
                    con.execute("PRAGMA disable_checkpoint_on_shutdown")
                return con
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise DetenteError(E.E305.format(path=self.path) + f" ({exc})") from exc
                if read_only:
                    self._knock()
                if time.monotonic() >= deadline:
                    raise DetenteError(E.E306.format(path=self.path)) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.25)

    def _version(self) -> int:
        try:
            row = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0]
        except duckdb.CatalogException:
            return 0
        return int(row[0]) if row and row[0] is not None else 0

    def _upgrade_for_reading(self) -> None:
        """A reader of an older store migrates it once (as a short-lived writer), then reads."""
        assert self._con is not None
        self._con.close()
        self._con = None
        try:
            Store(self.path, wait=self.wait).close()
        except DetenteError as exc:
            if "another ingest" not in str(exc):
                raise
            # an ingest holds the store: it has migrated it already
        except OSError:
            log.warning("could not upgrade %s (read-only folder?); reading it as it is", self.path)
        self._con = self._connect()

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
        """The ids already stored (a writer releases DuckDB afterwards: coding the rest takes a while)."""
        with self._mutex:
            if self.read_only or self._memory or self._con is not None or not ids:
                return self._known(ids)
            con = self._connect(read_only=True)  # shared lock, and closing it costs no checkpoint
            try:
                rows = con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
            finally:
                con.close()
            return {r[0] for r in rows}

    def _known(self, ids: Sequence[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def write(self, coded: Iterable[CodedArticle], failures: Iterable[Failure], run_id: str) -> tuple[int, int]:
        """Write one batch in one transaction; returns (articles added, events added).

        Articles already stored (or repeated in the batch) are skipped whole. A near-duplicate of a
        stored article is stored with ``duplicate_of`` and adds mentions only. Every other event either
        joins an existing event with the same identity (:mod:`detente.dedup`) as a new mention, or
        becomes a new event. The result does not depend on how an ingest is cut into batches.
        """
        now = dt.datetime.now()
        arts = list(coded)
        fails = list(failures) + [f for c in arts for f in c.failures]
        with self._mutex:
            try:
                self.con.execute("BEGIN TRANSACTION")
                try:
                    known = self._known([c.article.id for c in arts])
                    new: list[CodedArticle] = []
                    for c in arts:
                        if c.article.id not in known:
                            known.add(c.article.id)
                            new.append(c)
                    added_events = self._write_articles(new, run_id, now) if new else 0
                    if fails:
                        self.con.executemany(
                            "INSERT INTO failures VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                            [(stable_id(f.item, f.stage, f.code, f.message), f.item, f.stage, f.code, f.message,
                              run_id, now) for f in fails],
                        )
                    self.con.execute("COMMIT")
                except Exception:
                    self.con.execute("ROLLBACK")
                    raise
            finally:
                self.release_soon()
        return len(new), added_events

    def _next_seq(self, table: str) -> int:
        row = self.con.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchall()[0]
        return int(row[0]) + 1

    def _write_articles(self, new: list[CodedArticle], run_id: str, now: dt.datetime) -> int:
        """Articles, their LSH bands, events and mentions of one batch, with a fixed number of queries;
        returns the number of new events."""
        sigs = [dedup.signature(c.article.text) for c in new]
        band_rows = [(b, h, c.article.id) for c, sig in zip(new, sigs, strict=True)
                     for b, h in enumerate(dedup.bands(sig))]
        article_seq = self._next_seq("articles")
        seqs = {c.article.id: article_seq + i for i, c in enumerate(new)}
        originals = self._near_duplicates(new, sigs, seqs)
        index = self._event_index([e for c in new for e in c.events], set(originals.values()))
        event_seq = self._next_seq("events")
        event_rows: list[tuple[Any, ...]] = []
        mention_rows: list[tuple[Any, ...]] = []
        #: doc id -> (event seq, event id, source country, target country, root) of this batch's mentions
        reported: dict[str, list[tuple[int, str, str | None, str | None, str]]] = {}
        for c in new:
            original = originals.get(c.article.id)
            for e in c.events:
                key = dedup.event_key(e).as_text()
                candidates = index.setdefault(key, [])
                found = self._same_event(e, candidates, original)
                if found is None and original is None:
                    found = EventRef(e.event_id, dedup.event_day(e), dedup.exact_date(e), set(), event_seq)
                    event_rows.append((*event_row(e, run_id), key, now, now, event_seq))
                    candidates.append(found)
                    event_seq += 1
                elif found is None:  # a near-duplicate's event coded a little apart: same dyad and root
                    found = self._match_in_article(e, str(original), reported.get(str(original), []), index)
                target = found.event_id if found else None
                mention_rows.append(mention_row(e, target, run_id, now))
                if found is not None:
                    found.docs.add(e.doc_id)
                    reported.setdefault(e.doc_id, []).append(
                        (found.seq, found.event_id, e.source.country, e.target.country, e.root))
        self._insert_frame("articles", ARTICLE_WRITE_COLUMNS, [
            (a.id, a.title, a.date, a.url, a.source, a.language, a.origin, a.content_hash, len(c.sentences),
             len(c.events), a.text, run_id, now, originals.get(a.id), [int(x) for x in sig], seqs[a.id])
            for c, sig in zip(new, sigs, strict=True) for a in [c.article]])
        self._insert_frame("article_bands", ["band", "hash", "article_id"], band_rows)
        self._insert_frame("events", [*EVENT_COLUMNS, "event_key", "first_seen", "last_seen", "seq"], event_rows)
        self._insert_frame("mentions", MENTION_COLUMNS, mention_rows)
        self._add_counts(event_rows, mention_rows, now)
        return len(event_rows)

    def _add_counts(self, event_rows: list[tuple[Any, ...]], mention_rows: list[tuple[Any, ...]],
                    now: dt.datetime) -> None:
        """Add the batch's mentions to their events' counts. Every article of a batch is new to the store
        (known ones are skipped whole), so its mentions and documents are new to each event: the counts
        grow by the batch's own, and the cost does not grow with an event's mentions. An event created
        in this batch gets the batch's counts (not its column defaults plus them)."""
        mentions: dict[str, set[str]] = {}
        docs: dict[str, set[str]] = {}
        for mention_id, event_id, doc_id, *_ in mention_rows:
            if event_id is not None:
                mentions.setdefault(event_id, set()).add(mention_id)
                docs.setdefault(event_id, set()).add(doc_id)
        if not mentions:
            return
        fresh = {r[0] for r in event_rows}
        ids = sorted(mentions)
        self.con.execute(
            """UPDATE events SET num_mentions = CASE WHEN c.fresh THEN c.n ELSE events.num_mentions + c.n END,
                                 num_articles = CASE WHEN c.fresh THEN c.a ELSE events.num_articles + c.a END,
                                 last_seen = ?
               FROM (SELECT unnest(?) AS event_id, unnest(?) AS n, unnest(?) AS a, unnest(?) AS fresh) c
               WHERE events.event_id = c.event_id""",
            [now, ids, [len(mentions[i]) for i in ids], [len(docs[i]) for i in ids], [i in fresh for i in ids]])

    def _insert_frame(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        """Insert many rows in one statement through an Arrow table (``executemany`` runs one per row)."""
        if not rows:
            return
        types = self._column_types(table)
        arrays = []
        for name, col in zip(columns, zip(*rows, strict=True), strict=True):
            values = list(col)
            if types[name] == "DATE":
                values = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
            arrays.append(pa.array(values, type=ARROW_TYPES.get(types[name])))
        name = f"_new_{table}"
        self.con.register(name, pa.Table.from_arrays(arrays, names=columns))
        try:
            cols = ", ".join(columns)
            conflict = "" if table == "article_bands" else " ON CONFLICT DO NOTHING"
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}{conflict}")
        finally:
            self.con.unregister(name)

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            self._types[table] = dict(self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                [table]).fetchall())
        return self._types[table]

    def _near_duplicates(self, new: list[CodedArticle], sigs: list[np.ndarray],
                         seqs: dict[str, int]) -> dict[str, str]:
        """article id -> the first stored (or earlier in the batch) article it nearly duplicates: of the
        LSH candidates whose estimated Jaccard reaches the threshold, the one stored first."""
        keys = [list(enumerate(dedup.bands(sig))) for sig in sigs]
        cand: dict[tuple[int, int], list[tuple[int, str, Any, str]]] = {}
        wanted = sorted({k for ks in keys for k in ks})
        if wanted:
            self.con.register("_bands", pa.table({"band": [k[0] for k in wanted], "hash": [k[1] for k in wanted]}))
            try:
                rows = self.con.execute(
                    "SELECT b.band, b.hash, b.article_id FROM article_bands b "
                    "JOIN _bands n ON n.band = b.band AND n.hash = b.hash").fetchall()
            finally:
                self.con.unregister("_bands")
            stored: dict[str, tuple[int, np.ndarray | None, str]] = {}
            ids = sorted({r[2] for r in rows})
            if ids:  # each candidate's signature once, not once per shared band
                for aid, seq, sig, root in self.con.execute(
                        "SELECT id, seq, minhash, coalesce(duplicate_of, id) FROM articles "
                        "WHERE id IN (SELECT unnest(?))", [ids]).fetchall():
                    stored[aid] = (int(seq or 0), None if sig is None else np.asarray(sig, dtype=np.uint64), root)
            for band, h, other in rows:
                if other in stored:
                    seq, sig, root = stored[other]
                    cand.setdefault((band, h), []).append((seq, other, sig, root))
            for lst in cand.values():
                lst.sort(key=lambda t: (t[0], t[1]))
        out: dict[str, str] = {}
        for c, sig, ks in zip(new, sigs, keys, strict=True):
            aid = c.article.id
            best: tuple[int, str] | None = None
            seen: set[str] = set()
            for k in ks:
                for seq, other, other_sig, root in cand.get(k, []):
                    if other in seen or other == aid:
                        continue
                    seen.add(other)
                    if (best is None or seq < best[0]) and other_sig is not None \
                            and dedup.jaccard(sig, other_sig) >= dedup.THRESHOLD:
                        best = (seq, root)
            if best is not None:
                out[aid] = best[1]
            for k in ks:  # later articles of the batch can duplicate this one
                cand.setdefault(k, []).append((seqs[aid], aid, sig, out.get(aid, aid)))
        return out

    def _event_index(self, events: list[Event], originals: Collection[str] = ()) -> dict[str, list[EventRef]]:
        """Stored events that the batch's events could join, by identity key, in the order stored.

        Only dated events within a day of a batch event with the same key can be joined
        (:meth:`_same_event`; stored undated events are joined only by their own article, which is not
        stored yet), so only those are read: the query stays as small as the batch however large the
        store grows.
        """
        keys: set[str] = set()
        wanted: set[str] = set()  # key|day for each day a stored event may have
        for e in events:
            day = dedup.event_day(e)
            if day is not None:
                key = dedup.event_key(e).as_text()
                keys.add(key)
                wanted.update(f"{key}|{day + dt.timedelta(days=d)}" for d in (-1, 0, 1))
        if not wanted:
            return {}
        rows = self.con.execute(
            "SELECT event_id, event_key, coalesce(date, article_date), date_source, seq FROM events "
            "WHERE event_key IN (SELECT unnest(?)) "
            "AND event_key || '|' || CAST(coalesce(date, article_date) AS VARCHAR) IN (SELECT unnest(?)) "
            "ORDER BY seq, event_id",
            [sorted(keys), sorted(wanted)]).fetchall()
        # A stored event's documents matter only as "does the original of a near-duplicate in this batch
        # report it" (_same_event; the batch's own articles are not stored yet), so only those are read:
        # reading every document of every candidate grew with the mentions of popular events.
        docs: dict[str, set[str]] = {}
        if originals and rows:
            for event_id, doc_id in self.con.execute(
                    "SELECT DISTINCT event_id, doc_id FROM mentions "
                    "WHERE doc_id IN (SELECT unnest(?)) AND event_id IN (SELECT unnest(?))",
                    [sorted(originals), [r[0] for r in rows]]).fetchall():
                docs.setdefault(str(event_id), set()).add(str(doc_id))
        index: dict[str, list[EventRef]] = {}
        for event_id, key, day, source, seq in rows:
            index.setdefault(key, []).append(
                EventRef(str(event_id), day, source == "explicit", docs.get(str(event_id), set()), int(seq or 0)))
        return index

    @staticmethod
    def _same_event(e: Event, candidates: list[EventRef], original: str | None) -> EventRef | None:
        """The event this one is a new mention of, by key and date (see :mod:`detente.dedup`)."""
        day, exact = dedup.event_day(e), dedup.exact_date(e)
        for ref in candidates:
            if original is not None and original not in ref.docs:
                continue  # a near-duplicate article joins its original's events only
            if day is None or ref.day is None:
                if e.doc_id in ref.docs:  # undated: the same article may report it twice
                    return ref
                continue
            if dedup.same_day(day, exact, ref.day, ref.exact):
                return ref
        return None

    def _match_in_article(self, e: Event, original: str, in_batch: list[tuple[int, str, str | None, str | None, str]],
                          index: dict[str, list[EventRef]]) -> EventRef | None:
        """The earliest event of the original article with the same dyad and root (a near-duplicate coded
        a little apart). The original's mentions are all in this batch or all stored before it."""
        want = (e.source.country, e.target.country, e.root)
        hits = sorted((seq, event_id) for seq, event_id, *rest in in_batch if tuple(rest) == want)
        if not hits:
            rows = self.con.execute(
                "SELECT e.seq, e.event_id FROM events e JOIN mentions m ON m.event_id = e.event_id "
                "WHERE m.doc_id = ? AND e.source_country IS NOT DISTINCT FROM ? "
                "AND e.target_country IS NOT DISTINCT FROM ? AND e.root = ? ORDER BY e.seq, e.event_id LIMIT 1",
                [original, *want]).fetchall()
            hits = [(int(r[0] or 0), str(r[1])) for r in rows]
        if not hits:
            return None
        seq, event_id = hits[0]
        for refs in index.values():
            for ref in refs:
                if ref.event_id == event_id:
                    return ref
        return EventRef(event_id, None, False, set(), seq)

    def record_run(self, run_id: str, started: dt.datetime, inputs: str, stats: dict[str, int]) -> None:
        with self._mutex:
            try:
                self.con.execute(
                    "INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                    [run_id, started, dt.datetime.now(), inputs, stats.get("articles", 0), stats.get("skipped", 0),
                     stats.get("sentences", 0), stats.get("events", 0), stats.get("failures", 0)],
                )
            finally:
                self.release()

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
        out.pop("seq", None)
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
            "ORDER BY a.seq NULLS LAST, m.doc_id, m.sentence_index, m.trigger_start, m.mention_id", params).df()

    def articles(self, duplicates: bool = True) -> pd.DataFrame:
        """Stored articles (without their text), in ingest order."""
        where = "" if duplicates else "WHERE duplicate_of IS NULL"
        return self.con.execute(
            "SELECT id, title, date, url, source, language, origin, n_sentences, n_events, duplicate_of, run_id, "
            f"ingested_at FROM articles {where} ORDER BY seq NULLS LAST, ingested_at, id").df()

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
