"""Executors: how batches of articles reach a :class:`~detente.pipeline.Pipeline`.

Every executor has the same small interface (:class:`Executor`): ``map(batches)`` yields one list
of :class:`~detente.records.CodedArticle` per batch, in the order the batches came, and ``close()``
frees what it holds. They are swappable the way httpx transports are: ``api.ingest`` does not know
which one it drives. ``LocalExecutor`` codes in this process; ``ProcessExecutor`` in a spawn process
pool with the pipeline built once per worker. The Spark runner (:mod:`detente.executors.spark`) uses
the same ``Pipeline`` inside ``mapInArrow``.
"""

from __future__ import annotations

from ..settings import Settings
from .base import Executor
from .local import LocalExecutor
from .process import ProcessExecutor

__all__ = ["Executor", "LocalExecutor", "ProcessExecutor", "executor_for"]


def executor_for(settings: Settings) -> Executor:
    """The executor ``settings.workers`` asks for: in-process for 1, a process pool for more."""
    if settings.workers > 1:
        return ProcessExecutor(settings, workers=settings.workers)
    return LocalExecutor(settings)
