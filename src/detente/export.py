"""Export events from the store: csv, parquet, jsonl, GDELT 2.0 Events layout, PLOVER JSON Lines.

``csv``, ``parquet`` and ``jsonl`` carry the ``events`` table as it is (column names = record field
names). ``gdelt`` writes the 61 tab-separated columns of the GDELT 2.0 Events table, filling what
detente knows; ``plover`` writes one PLOVER JSON record per line. Every column mapping and
deviation is documented in ``docs/formats-export.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import duckdb

from .analysis.dyad import as_date
from .data import data_path, read_tsv
from .store.duck import EVENT_COLUMNS, EVENT_COUNT_COLUMNS

#: event columns an export carries (the events table without its internal identity key)
EXPORT_COLUMNS = [*EVENT_COLUMNS, *EVENT_COUNT_COLUMNS]
_E = ", ".join(f"e.{c}" for c in EXPORT_COLUMNS)

log = logging.getLogger(__name__)

Format = Literal["csv", "parquet", "jsonl", "gdelt", "plover"]
FORMATS: tuple[str, ...] = ("csv", "parquet", "jsonl", "gdelt", "plover")

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The GDELT 2.0 Events table columns, in the official order (GDELT Event Codebook V2.0).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _ACTOR), *(f"Actor2{c}" for c in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GEO), *(f"Actor2Geo_{c}" for c in _GEO), *(f"ActionGeo_{c}" for c in _GEO),
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

#: GDELT Geo_Type values (codebook): 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
GEO_TYPE = {"country": 1, "us_region": 2, "us_city": 3, "city": 4, "capital": 4, "site": 4, "region": 5}

#: Codes that put an actor in a known group (IGO/NGO/...), not a country, in CAMEO actor codes.
GROUP_PREFIXES = ("IGO", "NGO", "IMG", "MNC", "NGM")

#: Factuality values a GDELT export keeps by default (a negated event did not happen).
GDELT_FACTUALITY = ("asserted", "intent", "hedged")

#: PLOVER sector codes whose CAMEO type code differs (PLOVER MED = health, CAMEO MED = media).
PLOVER_TO_CAMEO_TYPE = {"MED": "HLH", "JRN": "MED"}

ORDER = "coalesce(e.date, e.article_date) NULLS LAST, e.doc_id, e.sentence_index, e.trigger_start, e.event_id"


# ---------------------------------------------------------------------------------------- selection
def select_sql(source: str | None = None, target: str | None = None,
               dyad: Sequence[str] | None = None, since: dt.date | str | None = None,
               until: dt.date | str | None = None, factuality: str | Sequence[str] | None = None,
               ) -> tuple[str, list[Any]]:
    """``WHERE`` clause (on alias ``e`` = events) and parameters for the export filters.

    ``dyad`` is a pair of country codes, matched in both directions; ``since``/``until`` bound the
    event date (``coalesce(date, article_date)``) inclusively, so either one drops undated events.
    """
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if source:
        where.append("e.source_country = ?")
        params.append(source.upper())
    if target:
        where.append("e.target_country = ?")
        params.append(target.upper())
    if dyad:
        if isinstance(dyad, str) or len(dyad) != 2:
            raise ValueError(f"dyad must be two country codes, not {dyad!r}")
        a, b = dyad[0].upper(), dyad[1].upper()
        where.append("((e.source_country = ? AND e.target_country = ?) OR "
                     "(e.source_country = ? AND e.target_country = ?))")
        params += [a, b, b, a]
    lo, hi = as_date(since), as_date(until)
    if lo is not None:
        where.append("coalesce(e.date, e.article_date) >= ?")
        params.append(lo)
    if hi is not None:
        where.append("coalesce(e.date, e.article_date) <= ?")
        params.append(hi)
    if factuality:
        where.append("e.factuality IN (SELECT unnest(?))")
        params.append([factuality] if isinstance(factuality, str) else list(factuality))
    return " AND ".join(where), params


def export(con: duckdb.DuckDBPyConnection, fmt: Format, path: str | Path, *,
           source: str | None = None, target: str | None = None, dyad: Sequence[str] | None = None,
           since: dt.date | str | None = None, until: dt.date | str | None = None,
           factuality: str | Sequence[str] | None = None) -> int:
    """Write the events matching the filters to ``path`` in ``fmt``; returns the rows written.

    Every event is exported whatever its factuality (the column says which), unless ``factuality``
    narrows it; ``gdelt``, which has no column to say so, leaves out ``negated`` events unless
    ``factuality`` is given. ``gdelt`` also skips undated events (SQLDATE is GDELT's key) and
    ``plover`` skips events without a PLOVER type (CAMEO 01/02, which PLOVER drops); both log how
    many they skipped.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "gdelt" and factuality is None:
        factuality = GDELT_FACTUALITY  # a GDELT row has no factuality column: every row reads as fact
    where, params = select_sql(source, target, dyad, since, until, factuality)
    path = Path(path)
    if fmt in ("csv", "parquet"):
        options = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet"
        copied = con.execute(
            f"COPY (SELECT {_E} FROM events e WHERE {where} ORDER BY {ORDER}) TO ? ({options})",
            [*params, str(path)],
        ).fetchall()
        return int(copied[0][0]) if copied else 0
    rows = _rows(con, where, params)
    writer = {"jsonl": _jsonl_lines, "gdelt": _gdelt_lines, "plover": _plover_lines}[fmt]
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in writer(rows):
            fh.write(line + "\n")
            written += 1
    return written


def _rows(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    """Event rows with the article's url, title and ingest time, fetched in chunks."""
    cur = con.execute(
        f"""SELECT {_E}, a.url AS _url, a.title AS _title, a.ingested_at AS _ingested_at
            FROM events e LEFT JOIN articles a ON a.id = e.doc_id WHERE {where} ORDER BY {ORDER}""",
        params,
    )
    names = [d[0] for d in cur.description or []]
    while True:
        chunk = cur.fetchmany(2048)
        if not chunk:
            return
        for values in chunk:
            yield dict(zip(names, values, strict=True))


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _jsonl_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps({k: v for k, v in row.items() if not k.startswith("_")},
                         ensure_ascii=False, default=_json_default)


# ---------------------------------------------------------------------------------------- GDELT
def global_event_id(event_id: str) -> int:
    """A stable positive 60-bit integer for an event id (its first 15 hex digits)."""
    head = event_id[:15]
    try:
        return int(head, 16)
    except ValueError:
        return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


def fraction_date(day: dt.date) -> str:
    """GDELT's FractionDate, YYYY.FFFF with FFFF = (MONTH * 30 + DAY) / 365, as its codebook defines."""
    return f"{day.year + (day.month * 30 + day.day) / 365:.4f}"


def cameo_type(sector: str | None) -> str:
    """CAMEO actor type code for a detente (PLOVER) sector code; empty when there is none."""
    if not sector:
        return ""
    sector = sector.upper()
    sector = PLOVER_TO_CAMEO_TYPE.get(sector, sector)
    return sector if len(sector) == 3 and sector.isalpha() else ""


@lru_cache(maxsize=1)
def place_kinds() -> dict[tuple[str, str], str]:
    """(lower-case place name, country) -> gazetteer kind, from the shipped gazetteers."""
    kinds: dict[tuple[str, str], str] = {}
    for name in ("gazetteer.tsv", "sites.tsv"):
        path = data_path("places", name)
        if path.exists():
            for r in read_tsv(path):
                kinds.setdefault((r["name"].lower(), r.get("country") or ""), r.get("kind") or "city")
    return kinds


def geo_type(name: str | None, country: str | None) -> str:
    """GDELT ActionGeo_Type for a stored place: 1 country, 2/3 US state/city, 4 city or site, 5 region."""
    if not name:
        return ""
    kind = place_kinds().get((name.lower(), country or ""), "city")
    if country == "USA" and kind in ("region", "city", "capital"):
        kind = "us_region" if kind == "region" else "us_city"
    return str(GEO_TYPE.get(kind, 4))


def _clean(value: Any) -> str:
    """One GDELT cell: no tabs or line breaks inside, floats without a useless '.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else f"{value:g}"
    return " ".join(str(value).replace("\t", " ").split())


def _actor(code: str | None, name: str | None, country: str | None, sector: str | None) -> list[str]:
    code = code or ""
    group = code[3:6] if code[:3] in GROUP_PREFIXES else ""
    if not group and country and not (len(country) == 3 and country.isalpha()):
        group = country  # an organisation code such as UN, NATO, EU
    iso3 = country if country and len(country) == 3 and country.isalpha() and not group else ""
    return [code, (name or "").upper(), iso3, group, "", "", "", cameo_type(sector), "", ""]


def gdelt_row(row: dict[str, Any]) -> list[str] | None:
    """The 61 GDELT cells for one event row (None for an undated event)."""
    day = row.get("date") or row.get("article_date")
    if day is None:
        return None
    if isinstance(day, dt.datetime):
        day = day.date()
    cameo = row.get("cameo") or ""
    code = cameo + "0" if len(cameo) == 2 else cameo  # GDELT writes root-level codes as x0
    lat, lon = row.get("place_lat"), row.get("place_lon")
    added = row.get("_ingested_at")
    out: dict[str, Any] = dict.fromkeys(GDELT_COLUMNS, "")
    out.update({
        "GLOBALEVENTID": global_event_id(str(row["event_id"])),
        "SQLDATE": day.strftime("%Y%m%d"), "MonthYear": day.strftime("%Y%m"), "Year": day.year,
        "FractionDate": fraction_date(day),
        "IsRootEvent": 1 if row.get("sentence_index") == 0 else 0,
        "EventCode": code, "EventBaseCode": code[:3], "EventRootCode": row.get("root") or cameo[:2],
        "QuadClass": row.get("quad"), "GoldsteinScale": row.get("goldstein"),
        "NumMentions": row.get("num_mentions") or 1,
        "NumSources": row.get("num_sources") or 1,
        "NumArticles": row.get("num_articles") or 1,
        "ActionGeo_Type": geo_type(row.get("place_name"), row.get("place_country")),
        "ActionGeo_FullName": row.get("place_name"),
        "ActionGeo_CountryCode": row.get("place_country") if row.get("place_name") else "",
        "ActionGeo_Lat": "" if lat is None else f"{lat:.4f}",
        "ActionGeo_Long": "" if lon is None else f"{lon:.4f}",
        "DATEADDED": added.strftime("%Y%m%d%H%M%S") if isinstance(added, dt.datetime) else "",
        "SOURCEURL": row.get("_url") or row.get("doc_id"),
    })
    for i, side in ((1, "source"), (2, "target")):
        cells = _actor(row.get(f"{side}_code"), row.get(f"{side}_name"), row.get(f"{side}_country"),
                       row.get(f"{side}_sector"))
        out.update({f"Actor{i}{c}": v for c, v in zip(_ACTOR, cells, strict=True)})
    return [_clean(out[c]) for c in GDELT_COLUMNS]


def _gdelt_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    skipped = 0
    for row in rows:
        cells = gdelt_row(row)
        if cells is None:
            skipped += 1
            continue
        yield "\t".join(cells)
    if skipped:
        log.warning("gdelt export: %d undated events skipped (GDELT rows need SQLDATE)", skipped)


# ---------------------------------------------------------------------------------------- PLOVER
@lru_cache(maxsize=1)
def plover_modes() -> dict[str, tuple[str | None, str | None]]:
    """CAMEO code -> (PLOVER mode, PLOVER context), from the shipped CAMEO2PLOVER table."""
    return {r["cameo"]: (r.get("plover_mode") or None, r.get("plover_context") or None)
            for r in read_tsv(data_path("reference", "cameo_to_plover.tsv"))}


def mode_context(cameo: str | None) -> tuple[str | None, str | None]:
    """Mode and context for a CAMEO code: the longest listed prefix, root codes via their x0 row."""
    if not cameo:
        return None, None
    table = plover_modes()
    for n in range(len(cameo), 1, -1):
        if cameo[:n] in table:
            return table[cameo[:n]]
    return table.get(cameo[:2] + "0", (None, None))


def _actor_object(row: dict[str, Any], side: str) -> dict[str, Any]:
    return {"code": row.get(f"{side}_country"), "sector": row.get(f"{side}_sector"),
            "actor_text": row.get(f"{side}_text"), "identifier_text": row.get(f"{side}_name")}


def plover_record(row: dict[str, Any]) -> dict[str, Any] | None:
    """One PLOVER JSON record for an event row (None when the event has no PLOVER type)."""
    from . import __version__

    event_type = row.get("plover")
    if not event_type:
        return None
    day = row.get("date") or row.get("article_date")
    mode, context = mode_context(row.get("cameo"))
    loc = None
    if row.get("place_name"):
        loc = {"name": row["place_name"], "cc3": row.get("place_country"),
               "latitude": row.get("place_lat"), "longitude": row.get("place_lon")}
    return {
        # PLOVER manual, "JSON Data Fields"
        "id": row["event_id"],
        "date": day.isoformat() if day else None,
        "source": [_actor_object(row, "source")],
        "recipient": [_actor_object(row, "target")],
        "event": [event_type],
        "mode": mode,
        "context": context,
        "quad_code": row.get("quad"),
        "event_scale": row.get("goldstein"),
        "event_loc": loc,
        "event_text": [row["trigger_text"]] if row.get("trigger_text") else [],
        "text": row.get("sentence"),
        "text_info": {"sequence": row.get("sentence_index")},
        "cite_info": {"citation": row.get("doc_id"), "url": row.get("_url"), "title": row.get("_title"),
                      "coder": f"detente {__version__}", "codebook": "CAMEO 0.7b5 via CAMEO2PLOVER-2021"},
        "coder": f"detente {__version__}",
        # flat fields (one actor per side, as detente codes them)
        "event_type": event_type,
        "source_actor": row.get("source_name"),
        "source_agent": row.get("source_sector"),
        "source_country": row.get("source_country"),
        "target_actor": row.get("target_name"),
        "target_agent": row.get("target_sector"),
        "target_country": row.get("target_country"),
        "location": [loc] if loc else [],
        "factuality": row.get("factuality"),
        # the evidence: how detente produced this record
        "detente": {
            "doc_id": row.get("doc_id"), "sentence_index": row.get("sentence_index"),
            "cameo": row.get("cameo"), "cameo_name": row.get("cameo_name"), "root": row.get("root"),
            "source_code": row.get("source_code"), "target_code": row.get("target_code"),
            "trigger": {"text": row.get("trigger_text"), "start": row.get("trigger_start"),
                        "end": row.get("trigger_end")},
            "rule": row.get("rule"), "factuality": row.get("factuality"),
            "attribution": row.get("attribution"),
            "cues": [c for c in (row.get("cues") or "").split(",") if c],
            "date_source": row.get("date_source"),
            "article_date": row["article_date"].isoformat() if row.get("article_date") else None,
            "run_id": row.get("run_id"),
        },
    }


def _plover_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    skipped = 0
    for row in rows:
        rec = plover_record(row)
        if rec is None:
            skipped += 1
            continue
        yield json.dumps(rec, ensure_ascii=False, default=_json_default)
    if skipped:
        log.info("plover export: %d events without a PLOVER type (CAMEO 01/02) skipped", skipped)
