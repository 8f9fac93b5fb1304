"""The Python API. The CLI (and later the HTTP API) are thin shells over these functions."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .executors import Executor, LocalExecutor, executor_for
from .ingest import read_sources
from .ingest.text import parse_date
from .pipeline import Pipeline
from .records import Article, Event, Failure, stable_id, to_dict
from .settings import Settings
from .store import Store

_PIPELINES: dict[Settings, Pipeline] = {}
log = logging.getLogger(__name__)


def pipeline(settings: Settings | None = None) -> Pipeline:
    """One pipeline per settings per process (the model and matchers are built once)."""
    settings = settings or Settings.load()
    if settings not in _PIPELINES:
        _PIPELINES[settings] = Pipeline(settings)
    return _PIPELINES[settings]


def as_articles(docs: Iterable[str | dict[str, Any] | Article], date: str | dt.date | None = None) -> Iterator[Article]:
    """Strings, dicts (id, text, date, title, url, source) or Articles -> Articles."""
    default = parse_date(str(date)) if date else None
    for _n, d in enumerate(docs):
        if isinstance(d, Article):
            yield d
        elif isinstance(d, str):
            yield Article(id=stable_id(d), text=d, date=default)
        else:
            text = str(d.get("text") or "")
            when = parse_date(str(d["date"])) if d.get("date") else default
            yield Article(id=str(d.get("id") or stable_id(text)), text=text, date=when, title=d.get("title"),
                          url=d.get("url"), source=d.get("source"))


def code(docs: Iterable[str | dict[str, Any] | Article], date: str | dt.date | None = None,
         settings: Settings | None = None) -> list[Event]:
    """Code texts without storing: ``detente.code(["Japan condemned North Korea's launch."], date="2024-01-08")``."""
    pipe = pipeline(settings)
    return [e for c in pipe.code(as_articles(docs, date)) for e in c.events]


def events_as_dicts(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [to_dict(e) for e in events]


@dataclass
class IngestSummary:
    articles: int = 0  # new articles stored
    skipped: int = 0  # already in the store
    sentences: int = 0
    events: int = 0
    failures: int = 0
    seconds: float = 0.0
    failure_messages: list[str] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return (self.articles + self.skipped) / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "skipped": self.skipped, "sentences": self.sentences,
                "events": self.events, "failures": self.failures, "seconds": round(self.seconds, 2),
                "articles_per_second": round(self.articles_per_second, 2)}


def ingest(items: Iterable[Article | Failure] | Iterable[str | Path], db: str | Path | None = None,
           settings: Settings | None = None, progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Read, code and store; idempotent (known article ids are skipped) and transactional per batch."""
    settings = settings or Settings.load()
    items = list(items)
    stream: Iterable[Article | Failure]
    if all(isinstance(x, (str, Path)) for x in items):
        # files, folders, URL lists and http(s) URLs (fetched now, before the store is opened)
        stream = read_sources(items, settings, db=db or settings.db)  # type: ignore[arg-type]
    else:
        stream = items  # type: ignore[assignment]
    summary = IngestSummary()
    started = dt.datetime.now()
    t0 = time.perf_counter()
    run_id = stable_id("run", started.isoformat(), time.perf_counter_ns())
    # batch metadata, appended as the executor pulls a batch and taken back as its result comes
    pending: deque[tuple[int, list[Failure]]] = deque()
    submitted: set[str] = set()  # ids coded in this run: a repeat (in any batch) is stored once

    with Store(db or settings.db) as store, executor_for_ingest(settings) as executor:

        def batches(stream: Iterable[Article | Failure]) -> Iterator[list[Article]]:
            """Read -> batch -> drop ids already stored or already coded in this run."""
            batch: list[Article] = []
            fails: list[Failure] = []

            def cut() -> list[Article]:
                known = store.known_articles([a.id for a in batch])
                todo: list[Article] = []
                for a in batch:
                    if a.id not in known and a.id not in submitted:
                        submitted.add(a.id)
                        todo.append(a)
                pending.append((len(batch), list(fails)))
                batch.clear()
                fails.clear()
                return todo

            for item in stream:
                if isinstance(item, Failure):
                    fails.append(item)
                else:
                    batch.append(item)
                if len(batch) >= settings.batch_size:
                    yield cut()
            if batch or fails:
                yield cut()

        for coded in executor.map(batches(stream)):
            n_batch, fails = pending.popleft()
            added, events = store.write(coded, fails, run_id)
            summary.articles += added
            summary.skipped += n_batch - added
            summary.sentences += sum(len(c.sentences) for c in coded)
            summary.events += events
            batch_fails = fails + [f for c in coded for f in c.failures]
            summary.failures += len(batch_fails)
            summary.failure_messages += [f.message for f in batch_fails]
            if progress:
                progress(n_batch + len(fails))
        summary.seconds = time.perf_counter() - t0
        store.record_run(run_id, started, "", summary.as_dict())
    return summary


def executor_for_ingest(settings: Settings) -> Executor:
    """The executor ``settings.workers`` asks for; in-process runs share this process's pipeline cache."""
    return executor_for(settings) if settings.workers > 1 else LocalExecutor(settings, factory=pipeline)


def open(path: str | Path, read_only: bool = True) -> Store:  # noqa: A001 - mirrors duckdb.connect/sqlite_utils
    """``detente.open("news.duckdb").events(dyad=("PRK", "RUS"))`` -> DataFrame."""
    return Store(path, read_only=read_only)


@dataclass
class PollSummary:
    """One poll of ``watch``: when it ran and what the ingest of its new entries did."""

    poll: int
    at: str  # ISO time (UTC) the poll started
    feeds: int
    skipped_urls: int  # entries not fetched because the store holds them
    ingest: IngestSummary

    def as_dict(self) -> dict[str, Any]:
        return {"poll": self.poll, "at": self.at, "feeds": self.feeds, "skipped_urls": self.skipped_urls,
                **self.ingest.as_dict()}

    def line(self) -> str:
        d = self.ingest
        return (f"poll {self.poll} at {self.at} · {self.feeds} feeds · articles {d.articles} new, "
                f"{self.skipped_urls + d.skipped} already stored · events {d.events} · failures {d.failures}")


def watch(feeds: Iterable[str], db: str | Path | None = None, settings: Settings | None = None,
          every: float | str = 900.0, max_polls: int | None = None, stop: threading.Event | None = None,
          on_poll: Callable[[PollSummary], None] | None = None,
          transport: Any = None) -> list[PollSummary]:
    """Poll feeds every ``every`` seconds (or '15m'), ingesting only entries not yet stored.

    Stops after ``max_polls`` polls or as soon as ``stop`` is set: a poll in progress stops fetching,
    stores what it already has in one transaction and returns (nothing half-written).
    """
    from .ingest import WebReader, parse_interval
    from .ingest.web import stored_urls

    settings = settings or Settings.load()
    interval = parse_interval(every) if isinstance(every, str) else float(every)
    stop = stop or threading.Event()
    feeds = list(dict.fromkeys(feeds))
    target = db or settings.db
    polls: list[PollSummary] = []
    while not stop.is_set() and (max_polls is None or len(polls) < max_polls):
        at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        with WebReader(settings, known=stored_urls(target), stop=stop, transport=transport) as web:
            items = list(web.read_feeds(feeds))
        summary = PollSummary(len(polls) + 1, at, len(feeds), web.skipped, ingest(items, db=target, settings=settings))
        polls.append(summary)
        log.info(summary.line())
        if on_poll:
            on_poll(summary)
        if max_polls is not None and len(polls) >= max_polls:
            break
        stop.wait(interval)
    return polls
