"""Dyad time series: how two countries treat each other, period by period, net of news volume.

Everything here reads the ``events`` table through a DuckDB connection (``Store.con``) with bound
parameters and returns a DataFrame; nothing writes. The formulas are documented once, in
``docs/formats-export.md``, and repeated in :func:`dyad_series`'s docstring.
"""

from __future__ import annotations

import datetime as dt
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


def _dyad_filter(a: str, b: str, directed: bool) -> tuple[str, list[str]]:
    a, b = a.upper(), b.upper()
    if directed:
        return "(source_country = ? AND target_country = ?)", [a, b]
    return ("((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))",
            [a, b, b, a])


def _check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}, not {freq!r}")
    return freq


def undated_count(con: duckdb.DuckDBPyConnection, a: str, b: str, include_hedged: bool = False,
                  directed: bool = False) -> int:
    """Events between ``a`` and ``b`` that :func:`dyad_series` leaves out because they have no date."""
    dyad, dparams = _dyad_filter(a, b, directed)
    rows = con.execute(
        f"SELECT count(*) FROM events WHERE {EVENT_DATE} IS NULL AND {dyad} "
        "AND factuality IN (SELECT unnest(?))",
        [*dparams, factualities(include_hedged)],
    ).fetchall()  # fetchall, not fetchone: DuckDB 2.0 keeps an unfinished result open on the connection
    return int(rows[0][0])


def dyad_series(con: duckdb.DuckDBPyConnection, a: str, b: str, freq: Freq = "month",
                since: dt.date | str | None = None, until: dt.date | str | None = None,
                include_hedged: bool = False, directed: bool = False) -> pd.DataFrame:
    """One row per period in which ``a`` and ``b`` have events (both directions unless ``directed``).

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
    """
    _check_freq(freq)
    dyad, dparams = _dyad_filter(a, b, directed)
    dwhere, wparams = date_filter(since, until)
    facts = factualities(include_hedged)
    window = " AND ".join([f"{EVENT_DATE} IS NOT NULL", "factuality IN (SELECT unnest(?))", *dwhere])
    period = f"CAST(date_trunc(?, {EVENT_DATE}) AS DATE)"

    volume = con.execute(
        f"SELECT {period} AS period, count(*) AS volume FROM events WHERE {window} GROUP BY 1 ORDER BY 1",
        [freq, facts, *wparams],
    ).df()
    rows = con.execute(
        f"""SELECT {period} AS period, count(*) AS n_events,
                count(*) FILTER (WHERE quad = 1) AS q1, count(*) FILTER (WHERE quad = 2) AS q2,
                count(*) FILTER (WHERE quad = 3) AS q3, count(*) FILTER (WHERE quad = 4) AS q4,
                avg(goldstein) AS mean_goldstein,
                coalesce(sum({WEIGHT}) FILTER (WHERE quad IN (1, 2)), 0) AS w_coop,
                coalesce(sum({WEIGHT}) FILTER (WHERE quad IN (3, 4)), 0) AS w_conf
            FROM events WHERE {window} AND {dyad} GROUP BY 1 ORDER BY 1""",
        [freq, facts, *wparams, *dparams],
    ).df()

    undated = undated_count(con, a, b, include_hedged=include_hedged, directed=directed)
    if rows.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in SERIES_COLUMNS})
        out.attrs.update(undated=undated, mean_share=None)
        return out

    rows["period"] = pd.to_datetime(rows["period"]).dt.date
    volume["period"] = pd.to_datetime(volume["period"]).dt.date
    out = rows.merge(volume, on="period", how="left")
    for col in ("n_events", "q1", "q2", "q3", "q4", "volume"):
        out[col] = out[col].astype("int64")
    total_w = out["w_coop"] + out["w_conf"]
    out["coop_index"] = ((out["w_coop"] - out["w_conf"]) / total_w.where(total_w > 0)).fillna(0.0)
    out["share"] = out["n_events"] / out["volume"]

    lo = as_date(since) or out["period"].min()
    hi = as_date(until) or out["period"].max()
    in_range = volume[(volume["period"] >= _period_start(lo, freq)) & (volume["period"] <= hi)]
    mean_share = float(out["n_events"].sum() / in_range["volume"].sum())
    out["normalised_index"] = (out["coop_index"] * out["share"] / mean_share).clip(-1.0, 1.0)
    out["mean_goldstein"] = out["mean_goldstein"].astype("float64")

    out = out[SERIES_COLUMNS].reset_index(drop=True)
    out.attrs.update(undated=undated, mean_share=mean_share)
    return out


def _period_start(day: dt.date, freq: str) -> dt.date:
    if freq == "month":
        return day.replace(day=1)
    if freq == "week":
        return day - dt.timedelta(days=day.weekday())
    return day
