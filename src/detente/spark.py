"""``detente.spark``: code articles on a Spark cluster (see docs/spark.md).

``code_events(df)`` maps a DataFrame of articles to a DataFrame of events with ``mapInArrow``;
``code_file(input, output)`` is what ``detente spark code --input --output`` runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .executors.spark import EVENT_FIELDS, EVENT_SCHEMA, code_events, event_record
from .settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["EVENT_FIELDS", "EVENT_SCHEMA", "code_events", "code_file", "event_record", "session"]


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
              master: str | None = None) -> int:
    """Read JSONL or Parquet articles at ``input``, write Parquet events to ``output``; returns the event count."""
    spark = session(master)
    path = str(input)
    is_parquet = path.endswith(".parquet") or (Path(path).is_dir() and any(Path(path).glob("*.parquet")))
    df = spark.read.parquet(path) if is_parquet else spark.read.json(path)
    code_events(df, settings).write.mode("overwrite").parquet(str(output))
    return spark.read.parquet(str(output)).count()
