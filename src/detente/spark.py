"""``detente.spark``: code articles on a Spark cluster (see docs/spark.md).

``code_events(df)`` maps a DataFrame of articles to a DataFrame of events with ``mapInArrow``,
``code_failures(df)`` to the rows that failed and why, ``code_results(df)`` to both in one pass;
``code_file(input, output, failures)`` is what ``detente spark code`` runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .executors.spark import (
    EVENT_FIELDS,
    EVENT_SCHEMA,
    FAILURE_FIELDS,
    FAILURE_SCHEMA,
    RESULT_SCHEMA,
    code_events,
    code_failures,
    code_results,
    event_record,
    events_of,
    failures_of,
)
from .settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["EVENT_FIELDS", "EVENT_SCHEMA", "FAILURE_FIELDS", "FAILURE_SCHEMA", "RESULT_SCHEMA", "code_events",
           "code_failures", "code_file", "code_results", "event_record", "events_of", "failures_of", "session"]


def session(master: str | None = None, app_name: str = "detente") -> SparkSession:
    """The active SparkSession, or a new one; a local master runs its Python workers on this interpreter
    (``PYSPARK_PYTHON`` is set to it when unset)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if not master or master.startswith("local"):
        # local Python workers must import detente: run them on this interpreter unless told otherwise
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return builder.getOrCreate()


def code_file(input: str | Path, output: str | Path, settings: Settings | None = None,  # noqa: A002
              master: str | None = None, failures: str | Path | None = None) -> tuple[int, int]:
    """Read JSONL or Parquet articles at ``input``, write Parquet events to ``output`` and, when
    ``failures`` is given, the failed rows (item, stage, code, message) there; the articles are coded
    once. Returns (events, failures)."""
    spark = session(master)
    path = str(input)
    is_parquet = path.endswith(".parquet") or (Path(path).is_dir() and any(Path(path).glob("*.parquet")))
    df = spark.read.parquet(path) if is_parquet else spark.read.json(path)
    results = code_results(df, settings).persist()
    try:
        events_of(results).write.mode("overwrite").parquet(str(output))
        n_failed = failures_of(results).count()
        if failures is not None:
            failures_of(results).write.mode("overwrite").parquet(str(failures))
    finally:
        results.unpersist()
    return spark.read.parquet(str(output)).count(), n_failed
