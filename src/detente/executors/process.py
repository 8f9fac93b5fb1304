"""Process-pool executor: ``--workers N``.

Workers are started with the *spawn* method (no forked copies of DuckDB connections or threads) and
each builds its :class:`Pipeline` once, in the pool initializer. A batch is one task; at most
``in_flight`` batches are submitted and not yet handed back, so memory stays bounded however long
the input is, and results come back in input order whatever order the workers finish in.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..errors import E
from ..pipeline import Pipeline
from ..records import Article, CodedArticle, Failure
from ..settings import Settings

# The documented per-process cache: the one Pipeline of a worker process, built by _init_worker.
_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(settings)


def _code_batch(batch: list[Article]) -> list[CodedArticle]:
    assert _WORKER_PIPELINE is not None, "worker not initialised"
    return _WORKER_PIPELINE(batch)


class ProcessExecutor:
    """Codes batches in ``workers`` spawned processes; same results and order as :class:`LocalExecutor`."""

    def __init__(self, settings: Settings, workers: int = 2, in_flight: int | None = None):
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.settings = settings
        self.workers = workers
        self.in_flight = in_flight or 2 * workers
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Spawned workers read these when numpy loads: each gets its share of the cores for OpenBLAS
            # (speedups.py), instead of every worker starting one thread per core. A value the user
            # set is kept. The parent's own numpy is loaded already, so this changes nothing here.
            share = str(max(1, (os.cpu_count() or 1) // self.workers))
            for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
                os.environ.setdefault(var, share)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(self.settings,))
        return self._pool

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[CodedArticle]]:
        pending: deque[tuple[list[Article], Future[list[CodedArticle]] | None]] = deque()
        for batch in batches:
            items = list(batch)
            pending.append((items, self._start().submit(_code_batch, items) if items else None))
            while len(pending) >= self.in_flight:
                yield self._result(*pending.popleft())
        while pending:
            yield self._result(*pending.popleft())

    def _result(self, items: list[Article], fut: Future[list[CodedArticle]] | None) -> list[CodedArticle]:
        if fut is None:
            return []
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            # a worker died (killed, out of memory): the batch becomes failures and the pool restarts
            self._pool = None
            return [CodedArticle(a, (), (), (Failure(a.id, "nlp", "E201", E.E201.format(item=a.id, detail=exc)),))
                    for a in items]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
