"""Spark runner: code a DataFrame of articles with ``mapInArrow``, one Pipeline per executor process.

The function handed to ``mapInArrow`` is module-level and takes only the (picklable) ``Settings``;
inside a Spark Python worker it builds the :class:`~detente.pipeline.Pipeline` once and keeps it in
``_PIPELINES``, the documented per-process cache keyed by ``Settings`` (a Python worker is reused for
many tasks, so the model is loaded once per worker process, not per partition). Rows are read
with the JSONL reader's validation (``read_record``: clean text, ids, dates), so a row gives the
events ``detente ingest`` gives for the same line. Results come out as flat rows (``RESULT_SCHEMA``):
``kind = 'event'`` rows with the columns of the store's ``events`` table (``EVENT_SCHEMA``), and
``kind = 'failure'`` rows with the failure's item, stage, code and message, so that a bad row is
recorded, not dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..pipeline import Pipeline
from ..records import Article, Event, Failure
from ..settings import Settings

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

#: Spark DDL of the event rows (the store's event columns, without run_id)
EVENT_SCHEMA = (
    "event_id string, doc_id string, sentence_index int, sentence string, date string, date_source string, "
    "article_date string, source_code string, source_country string, source_sector string, source_name string, "
    "source_text string, target_code string, target_country string, target_sector string, target_name string, "
    "target_text string, cameo string, cameo_name string, root string, quad int, goldstein double, "
    "plover string, factuality string, trigger_text string, trigger_start int, trigger_end int, rule string, "
    "place_name string, place_country string, place_lat double, place_lon double, attribution string, "
    "cues string"
)
EVENT_FIELDS = [f.split()[0] for f in EVENT_SCHEMA.split(", ")]
FAILURE_SCHEMA = "item string, stage string, code string, message string"
FAILURE_FIELDS = [f.split()[0] for f in FAILURE_SCHEMA.split(", ")]
#: both kinds of result in one row layout (the failure columns are prefixed)
RESULT_SCHEMA = "kind string, " + EVENT_SCHEMA + ", " + ", ".join(f"failure_{f}" for f in FAILURE_SCHEMA.split(", "))
ARTICLE_FIELDS = ("id", "text", "date", "title", "url", "source")

# The documented per-process cache: one Pipeline per Settings in each Spark Python worker.
_PIPELINES: dict[Settings, Pipeline] = {}


def _pipeline(settings: Settings) -> Pipeline:
    if settings not in _PIPELINES:
        _PIPELINES[settings] = Pipeline(settings)
    return _PIPELINES[settings]


def event_record(e: Event) -> dict[str, Any]:
    """One flat event row (``EVENT_FIELDS``): the store's event row without its run id."""
    from ..store.duck import event_row

    return dict(zip(EVENT_FIELDS, event_row(e, "")[:-1], strict=True))


def _items(rows: list[dict[str, Any]], max_chars: int) -> list[Article | Failure]:
    """Rows as the JSONL reader reads lines: Articles, or Failures naming the row by its id."""
    from ..ingest.readers import read_record

    out: list[Article | Failure] = []
    for n, r in enumerate(rows, 1):
        doc = {k: (str(v) if k == "date" and v is not None else v) for k, v in r.items() if k in ARTICLE_FIELDS}
        out.extend(read_record(doc, f"spark:{doc.get('id') or n}", max_chars))
    return out


def _failure_record(f: Failure) -> dict[str, Any]:
    return {"kind": "failure", **{f"failure_{k}": getattr(f, k) for k in FAILURE_FIELDS}}


def code_arrow_batches(batches: Iterator[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    """The ``mapInArrow`` function: article record batches in, result record batches out."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int32(), "double": pa.float64()}
    schema = pa.schema([(name, types[kind]) for name, kind in (f.split() for f in RESULT_SCHEMA.split(", "))])
    pipe = _pipeline(settings)
    for batch in batches:
        rows = batch.to_pylist()
        for start in range(0, len(rows), settings.batch_size):
            items = _items(rows[start:start + settings.batch_size], settings.max_chars)
            arts = [i for i in items if isinstance(i, Article)]
            coded = pipe(arts) if arts else []
            records = [{"kind": "event", **event_record(e)} for c in coded for e in c.events]
            records += [_failure_record(f) for f in items if isinstance(f, Failure)]
            records += [_failure_record(f) for c in coded for f in c.failures]
            if records:
                yield pa.RecordBatch.from_pylist(records, schema=schema)


def code_results(df: DataFrame, settings: Settings | None = None) -> DataFrame:
    """Events and failures of a DataFrame of articles, as one DataFrame with ``RESULT_SCHEMA``."""
    settings = settings or Settings.load()
    if "text" not in df.columns:
        raise ValueError("code_events needs a 'text' column (and usually 'id' and 'date')")
    cols = [c for c in ARTICLE_FIELDS if c in df.columns]
    return df.select(*cols).mapInArrow(functools.partial(code_arrow_batches, settings=settings), RESULT_SCHEMA)


def events_of(results: DataFrame) -> DataFrame:
    """The event rows of :func:`code_results` (``EVENT_SCHEMA``)."""
    return results.where("kind = 'event'").select(*EVENT_FIELDS)


def failures_of(results: DataFrame) -> DataFrame:
    """The failure rows of :func:`code_results` (``FAILURE_SCHEMA``: item, stage, code, message)."""
    return results.where("kind = 'failure'").select(*[results[f"failure_{f}"].alias(f) for f in FAILURE_FIELDS])


def code_events(df: DataFrame, settings: Settings | None = None) -> DataFrame:
    """Events of a DataFrame of articles (columns ``id``, ``text``, optional ``date``, ``title``,
    ``url``, ``source``), as a DataFrame with ``EVENT_SCHEMA``; :func:`code_failures` gives the
    rows that failed (``code_results`` gives both from one pass)."""
    return events_of(code_results(df, settings))


def code_failures(df: DataFrame, settings: Settings | None = None) -> DataFrame:
    """Failures of a DataFrame of articles (``FAILURE_SCHEMA``), as ``detente ingest`` records them."""
    return failures_of(code_results(df, settings))
