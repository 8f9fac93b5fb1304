"""Read helpers the HTTP API needs beyond :class:`~detente.store.Store`: paged event listings with
the CAMEO/quad filters, country validation and actor search. Every value is a bound parameter; the
WHERE clause comes from :func:`detente.export.select_sql`, the filter builder the CLI and exports use.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..actors.dictionary import ActorDictionary, ActorEntry
from ..export import ORDER, select_sql
from ..store import READ_COLUMNS, Store


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters of ``GET /events`` (already validated)."""

    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    cameo: str | None = None  # a code or a prefix of one: "04" matches 040..049
    root: str | None = None
    quad: int | None = None
    factuality: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        sql, params = select_sql(self.source, self.target, self.dyad, self.since, self.until, self.factuality)
        where = [sql]
        if self.cameo:
            where.append("starts_with(e.cameo, ?)")
            params.append(self.cameo)
        if self.root:
            where.append("e.root = ?")
            params.append(self.root.zfill(2))
        if self.quad is not None:
            where.append("e.quad = ?")
            params.append(self.quad)
        return " AND ".join(where), params


def events_page(store: Store, flt: EventFilter, limit: int, offset: int = 0) -> tuple[int, pd.DataFrame]:
    """(number of matching events, the ``limit`` events from ``offset``) in the store's event order."""
    where, params = flt.where()
    total = int(store.con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchall()[0][0])
    cols = ", ".join(f"e.{c}" for c in READ_COLUMNS)
    df = store.con.execute(f"SELECT {cols} FROM events e WHERE {where} ORDER BY {ORDER} LIMIT ? OFFSET ?",
                           [*params, int(limit), int(offset)]).df()
    return total, df


def jsonable(value: Any) -> Any:
    """A DataFrame cell (numpy scalar, NaN, NaT, Timestamp, date, list) as a plain JSON value."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


#: columns that hold calendar days (DuckDB DATE); pandas may hand them back as midnight Timestamps
DATE_COLUMNS = frozenset({"date", "article_date", "period", "window_start", "window_end", "change_week"})


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts: days as ``YYYY-MM-DD``, timestamps ISO, NaN as null."""
    out = [jsonable(r) for r in df.to_dict(orient="records")]
    for row in out:
        for col in DATE_COLUMNS & row.keys():
            if isinstance(row[col], str) and len(row[col]) > 10 and row[col].endswith("T00:00:00"):
                row[col] = row[col][:10]
    return out


class Actors:
    """The shipped actor dictionary, loaded once: which country codes exist and name search."""

    KIND_ORDER = {"country": 0, "igo": 1, "person": 2, "org": 3, "media": 4, "group": 5, "capital": 6, "demonym": 7}

    def __init__(self, dictionary: ActorDictionary | None = None):
        self.dictionary = dictionary or ActorDictionary.load()
        self.countries: dict[str, str] = {}  # ISO3 -> country name
        for e in self.dictionary.entries:
            if e.kind == "country" and e.country:
                self.countries.setdefault(e.country, e.name)
        self.codes = {e.country for e in self.dictionary.entries if e.country} | set(self.countries)

    def known(self, code: str) -> bool:
        return code.upper() in self.codes

    def search(self, q: str | None, kind: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Entries whose name or an alias contains ``q`` (case-insensitive): names that start with it
        first, then by kind (countries first) and name; one row per code and kind."""
        needle = (q or "").strip().lower()
        hits: list[tuple[tuple[int, int, str], ActorEntry, str]] = []
        seen: set[tuple[str, str]] = set()
        for e in self.dictionary.entries:
            if kind and e.kind != kind:
                continue
            key = (e.code, e.kind)
            if key in seen:
                continue
            names = [e.name, *e.aliases]
            match = next((n for n in names if needle in n.lower()), None) if needle else e.name
            if match is None and needle and e.code.lower() == needle:
                match = e.code
            if match is None:
                continue
            seen.add(key)
            starts = 0 if (not needle or e.code.lower() == needle
                           or any(n.lower().startswith(needle) for n in names)) else 1
            hits.append(((starts, self.KIND_ORDER.get(e.kind, 9), e.name.lower()), e, match))
        hits.sort(key=lambda h: h[0])
        return [{"code": e.code, "country": e.country, "name": e.name, "kind": e.kind, "sector": e.sector,
                 "matched": m, "start": e.start.isoformat() if e.start else None,
                 "end": e.end.isoformat() if e.end else None} for _, e, m in hits[:limit]]
