"""Dyad time series: how two countries treat each other, period by period, net of news volume.

Everything here reads the ``events`` table through a DuckDB connection (``Store.con``) with bound
parameters and returns a DataFrame; nothing writes. The formulas are documented once, in
``docs/formats-export.md``, and repeated in :func:`dyad_series`'s docstring.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Literal

import duckdb
import pandas as pd

from ..errors import DetenteError, E

Freq = Literal["month", "week", "day"]
FREQS: tuple[str, ...] = ("month", "week", "day")

#: The date an event counts on: its own date, else the article's. Events with neither are "undated".
EVENT_DATE = "coalesce(date, article_date)"

#: Weight of one event in the cooperation index: |Goldstein|, or 1 when the code has no score.
WEIGHT = "coalesce(abs(goldstein), 1.0)"

SERIES_COLUMNS = ["period", "n_events", "q1", "q2", "q3", "q4", "mean_goldstein", "coop_index",
                  "volume", "share", "normalised_index"]


def factualities(include_hedged: bool = False) -> list[str]:
    """Factuality values that count as something that happened (or was said to be intended).

    ``intent`` events are CAMEO 03x/13x statements of intent: the statement itself is asserted, so
    they count. ``negated`` never counts; ``hedged`` ("reportedly", "may have") only on request.
    """
    return ["asserted", "intent", "hedged"] if include_hedged else ["asserted", "intent"]


def as_date(value: dt.date | str | None) -> dt.date | None:
    """A date from a ``date``/``datetime`` or an ISO ``YYYY-MM-DD`` string; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DetenteError(E.E304.format(value=value)) from exc


def date_filter(since: dt.date | str | None, until: dt.date | str | None,
                column: str = EVENT_DATE) -> tuple[list[str], list[Any]]:
    """SQL conditions and parameters for an inclusive ``[since, until]`` window on ``column``."""
    where: list[str] = []
    params: list[Any] = []
    lo, hi = as_date(since), as_date(until)
    if lo is not None:
        where.append(f"{column} >= ?")
        params.append(lo)
    if hi is not None:
        where.append(f"{column} <= ?")
        params.append(hi)
    return where, params


@lru_cache(maxsize=1)
def known_codes() -> frozenset[str]:
    """Country and organisation codes of the shipped actor dictionaries (ISO3, ``UN``, ``NATO``, ...)."""
    from ..actors.dictionary import ACTOR_FILES
    from ..data import data_path, read_tsv

    codes: set[str] = set()
    for name in ACTOR_FILES:
        codes.update(r["country"].upper() for r in read_tsv(data_path("actors", name)) if r.get("country"))
    return frozenset(codes)


def check_code(con: duckdb.DuckDBPyConnection, code: str) -> str:
    """``code`` upper-cased, if the shipped dictionaries or the store know it; else E303.

    A code from a user dictionary (``--actors``) is known once the store holds an event with it.
    """
    c = str(code).strip().upper()
    if c in known_codes():
        return c
    if c and c.replace("_", "").isalnum():
        hit = con.execute("SELECT 1 FROM events WHERE source_country = ? OR target_country = ? LIMIT 1",
                          [c, c]).fetchall()
        if hit:
            return c
    raise DetenteError(E.E303.format(code=code))


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether ``table`` has ``column`` (stores written before migration v2 lack ``num_mentions``)."""
    rows = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?",
                       [table, column]).fetchall()
    return bool(rows[0][0])


def count_weight(con: duckdb.DuckDBPyConnection, by_mentions: bool) -> str:
    """SQL for how much one event row counts: 1, or its ``num_mentions`` when asked and stored."""
    if by_mentions and has_column(con, "events", "num_mentions"):
        return "coalesce(num_mentions, 1)"
    return "1"


def _dyad_filter(a: str, b: str, directed: bool) -> tuple[str, list[str]]:
    a, b = a.upper(), b.upper()
    if directed:
        return "(source_country = ? AND target_country = ?)", [a, b]
    return ("((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))",
            [a, b, b, a])


def _check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise DetenteError(E.E501.format(value=freq))
    return freq


def undated_count(con: duckdb.DuckDBPyConnection, a: str, b: str, include_hedged: bool = False,
                  directed: bool = False) -> int:
    """Events between ``a`` and ``b`` that :func:`dyad_series` leaves out because they have no date."""
    dyad, dparams = _dyad_filter(a, b, directed)
    rows = con.execute(
        f"SELECT count(*) FROM events WHERE date IS NULL AND article_date IS NULL AND {dyad} "
        "AND factuality IN (SELECT unnest(?))",
        [*dparams, factualities(include_hedged)],
    ).fetchall()  # fetchall, not fetchone: DuckDB 2.0 keeps an unfinished result open on the connection
    return int(rows[0][0])


def dyad_series(con: duckdb.DuckDBPyConnection, a: str, b: str, freq: Freq = "month",
                since: dt.date | str | None = None, until: dt.date | str | None = None,
                include_hedged: bool = False, directed: bool = False,
                by_mentions: bool = False) -> pd.DataFrame:
    """One row per period from the dyad's first period with events to its last (both directions
    unless ``directed``); quiet periods in between are zero rows (``coop_index`` 0, no Goldstein mean).

    An event's date is ``coalesce(date, article_date)``; undated events are left out and counted in
    ``df.attrs["undated"]`` (see :func:`undated_count`). Only ``asserted`` and ``intent`` events
    count, plus ``hedged`` with ``include_hedged``; ``negated`` never. ``period`` is the first day
    of the period (weeks start on Monday). Columns:

    - ``n_events``, ``q1`` .. ``q4``: events of the dyad, and of each QuadClass, in the period;
    - ``mean_goldstein``: mean Goldstein score (events without one are ignored; NaN if none has one);
    - ``coop_index`` = (W_coop - W_conf) / (W_coop + W_conf), in [-1, 1], where W sums the weight
      |goldstein| (1 when the score is missing) over quad 1-2 (coop) or quad 3-4 (conf) events;
      0.0 when both sums are 0 (only zero-scored events);
    - ``volume``: events of every dyad in the store in the period, under the same factuality rule
      and date window; ``share`` = n_events / volume;
    - ``normalised_index`` = clip(coop_index * share / mean_share, -1, 1), where ``mean_share`` =
      (dyad events) / (all events) pooled over the whole range: from ``since`` (else the dyad's
      first period) to ``until`` (else its last), periods without dyad events included. It is
      stored in ``df.attrs["mean_share"]``. A uniform rise in news volume scales every share and
      ``mean_share`` alike and leaves the index unchanged; a period in which the dyad draws less
      attention than usual is pulled towards 0, one in which it draws more is amplified (and
      saturates at +/-1).

    With ``by_mentions`` every event counts (in counts, weights and volume) as many times as it was
    reported (``num_mentions``), where the store has that column; otherwise once.
    """
    _check_freq(freq)
    a, b = check_code(con, a), check_code(con, b)
    dyad, dparams = _dyad_filter(a, b, directed)
    dwhere, wparams = date_filter(since, until)
    facts = factualities(include_hedged)
    k = count_weight(con, by_mentions)
    window = " AND ".join([f"{EVENT_DATE} IS NOT NULL", "factuality IN (SELECT unnest(?))", *dwhere])
    period = "CAST(date_trunc(?, day) AS DATE)"

    # aggregate by day first and roll days up to periods: date_trunc on every row costs 2x the scan
    rows = con.execute(
        f"""SELECT {period} AS period, sum(n) AS n_events, sum(q1) AS q1, sum(q2) AS q2, sum(q3) AS q3,
                sum(q4) AS q4, sum(g_sum) / sum(g_n) AS mean_goldstein, sum(w_coop) AS w_coop,
                sum(w_conf) AS w_conf
            FROM (SELECT {EVENT_DATE} AS day, sum({k}) AS n,
                    coalesce(sum({k}) FILTER (WHERE quad = 1), 0) AS q1,
                    coalesce(sum({k}) FILTER (WHERE quad = 2), 0) AS q2,
                    coalesce(sum({k}) FILTER (WHERE quad = 3), 0) AS q3,
                    coalesce(sum({k}) FILTER (WHERE quad = 4), 0) AS q4,
                    sum({k} * goldstein) AS g_sum, sum({k}) FILTER (WHERE goldstein IS NOT NULL) AS g_n,
                    coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (1, 2)), 0) AS w_coop,
                    coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (3, 4)), 0) AS w_conf
                  FROM events WHERE {window} AND {dyad} GROUP BY 1)
            GROUP BY 1 ORDER BY 1""",
        [freq, facts, *wparams, *dparams],
    ).df()

    undated = undated_count(con, a, b, include_hedged=include_hedged, directed=directed)
    if rows.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in SERIES_COLUMNS})
        out.attrs.update(undated=undated, mean_share=None)
        return out

    rows["period"] = pd.to_datetime(rows["period"]).dt.date
    lo = as_date(since) or rows["period"].min()
    hi = as_date(until) or rows["period"].max()
    first, last = rows["period"].min(), rows["period"].max()
    # the volume of the periods the result and mean_share need only: one range scan, not the store
    vlo = as_date(since) or first
    vhi = as_date(until) or _period_end(last, freq)
    volume = con.execute(
        f"""SELECT {period} AS period, sum(n) AS volume
            FROM (SELECT {EVENT_DATE} AS day, sum({k}) AS n FROM events
                  WHERE factuality IN (SELECT unnest(?)) AND {EVENT_DATE} >= ? AND {EVENT_DATE} <= ? GROUP BY 1)
            GROUP BY 1 ORDER BY 1""",
        [freq, facts, vlo, vhi],
    ).df()
    volume["period"] = pd.to_datetime(volume["period"]).dt.date

    grid = pd.DataFrame({"period": _periods(first, last, freq)})
    out = grid.merge(rows, on="period", how="left").merge(volume, on="period", how="left")
    for col in ("n_events", "q1", "q2", "q3", "q4", "volume", "w_coop", "w_conf"):
        out[col] = out[col].fillna(0)
    for col in ("n_events", "q1", "q2", "q3", "q4", "volume"):
        out[col] = out[col].astype("int64")
    total_w = out["w_coop"] + out["w_conf"]
    out["coop_index"] = ((out["w_coop"] - out["w_conf"]) / total_w.where(total_w > 0)).fillna(0.0)
    out["share"] = (out["n_events"] / out["volume"].where(out["volume"] > 0)).fillna(0.0)

    in_range = volume[(volume["period"] >= _period_start(lo, freq)) & (volume["period"] <= hi)]
    mean_share = float(out["n_events"].sum() / in_range["volume"].sum())
    out["normalised_index"] = (out["coop_index"] * out["share"] / mean_share).clip(-1.0, 1.0)
    out["mean_goldstein"] = out["mean_goldstein"].astype("float64")

    out = out[SERIES_COLUMNS].reset_index(drop=True)
    out.attrs.update(undated=undated, mean_share=mean_share)
    return out


def _periods(first: dt.date, last: dt.date, freq: str) -> list[dt.date]:
    """Every period start from ``first`` to ``last`` inclusive (both already period starts)."""
    if freq == "month":
        starts = pd.date_range(first, last, freq="MS")
    elif freq == "week":
        starts = pd.date_range(first, last, freq="W-MON")
    else:
        starts = pd.date_range(first, last, freq="D")
    return [d.date() for d in starts]


def _period_end(day: dt.date, freq: str) -> dt.date:
    start = _period_start(day, freq)
    if freq == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    if freq == "week":
        return start + dt.timedelta(days=6)
    return start


def _period_start(day: dt.date, freq: str) -> dt.date:
    if freq == "month":
        return day.replace(day=1)
    if freq == "week":
        return day - dt.timedelta(days=day.weekday())
    return day
