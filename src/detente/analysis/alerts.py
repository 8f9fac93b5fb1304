"""Alerts: dyads whose recent weeks depart from their own past, with the events that say so.

One SQL aggregate over ``events`` turns the window (baseline + recent weeks before ``as_of``) into
one row per (dyad, week); everything after that works on those rows with numpy, never on events.
A second query fetches the evidence (event ids and sentences) for the alerted dyads only. The
method is documented in ``docs/analysis.md``; in short:

- weeks are counted back from ``as_of``: week 0 is the 7 days ending on ``as_of``; the *recent*
  window is weeks ``0 .. R-1``, the *baseline* the ``B`` weeks before it;
- **index** alert: the recent pooled cooperation index against the baseline's weekly indices
  (weeks with events), robust z = (recent - median) / max(1.4826 * MAD, 0.1);
- **volume** alert: the dyad's recent share of all interstate events against its weekly baseline
  shares (quiet weeks count as 0), robust z with a Poisson floor on the scale (sqrt(expected
  recent count, at least 1) / recent volume);
- **change point**: ruptures' Pelt (``l2`` cost) on the weekly index of the whole window; an alert
  when the last change point falls in the recent window.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from ..errors import DetenteError, E
from .dyad import EVENT_DATE, WEIGHT, as_date, count_weight, factualities

Method = Literal["mad", "z"]

#: smallest scale for the cooperation index (it lives in [-1, 1]); keeps a perfectly steady
#: baseline from turning any small move into an infinite z
INDEX_FLOOR = 0.1

#: columns of the frame :func:`alerts` returns
ALERT_COLUMNS = ["dyad", "a", "b", "kind", "direction", "score", "recent", "baseline", "scale",
                 "n_recent", "n_baseline", "window_start", "window_end", "change_week",
                 "event_ids", "events"]


def weeks(value: str | int, name: str = "window", least: int = 1) -> int:
    """A number of weeks from ``4w``, ``52w`` (or ``4``); E502 otherwise."""
    m = re.fullmatch(r"\s*(\d+)\s*w?\s*", str(value))
    if not m or int(m.group(1)) < least:
        raise DetenteError(E.E502.format(value=value, name=name, least=f"{least}w"))
    return int(m.group(1))


def _weekly(con: duckdb.DuckDBPyConnection, as_of: dt.date, total_weeks: int, facts: list[str],
            k: str) -> pd.DataFrame:
    """(a, b, wk, n, w_coop, w_conf) for every unordered interstate dyad and week with events."""
    start = as_of - dt.timedelta(days=7 * total_weeks - 1)
    return con.execute(
        f"""SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                CAST(date_diff('day', {EVENT_DATE}, ?::DATE) // 7 AS INTEGER) AS wk,
                sum({k}) AS n,
                coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (1, 2)), 0) AS w_coop,
                coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (3, 4)), 0) AS w_conf
            FROM events
            WHERE {EVENT_DATE} >= ? AND {EVENT_DATE} <= ? AND factuality IN (SELECT unnest(?))
              AND source_country IS NOT NULL AND target_country IS NOT NULL
              AND source_country <> target_country
            GROUP BY ALL""",
        [as_of, start, as_of, facts],
    ).df()


def _last_date(con: duckdb.DuckDBPyConnection, facts: list[str]) -> dt.date | None:
    rows = con.execute(f"SELECT max({EVENT_DATE}) FROM events WHERE factuality IN (SELECT unnest(?))",
                       [facts]).fetchall()
    return as_date(rows[0][0]) if rows and rows[0][0] is not None else None


def _robust(values: np.ndarray, method: Method) -> tuple[np.ndarray, np.ndarray]:
    """Centre and scale per row (NaNs ignored): median and 1.4826*MAD, or mean and std."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: a dyad with no baseline index
        if method == "z":
            return np.nanmean(values, axis=1), np.nanstd(values, axis=1)
        centre = np.nanmedian(values, axis=1)
        mad = np.nanmedian(np.abs(values - centre[:, None]), axis=1)
        return centre, 1.4826 * mad


def change_point(series: np.ndarray, min_size: int = 2) -> tuple[int, float] | None:
    """The last change point of a weekly index series (chronological), by ruptures' Pelt, l2 cost.

    Penalty = 2 * log(n) * sigma^2 (BIC-like), sigma estimated from successive differences
    (1.4826 * MAD(diff) / sqrt(2), robust to the change itself), floored at 0.1. Returns (index of
    the first point after the change, penalty) or None.
    """
    import ruptures as rpt

    n = len(series)
    if n < 2 * min_size + 1:
        return None
    diffs = np.diff(series)
    sigma = max(1.4826 * float(np.median(np.abs(diffs - np.median(diffs)))) / math.sqrt(2), INDEX_FLOOR)
    pen = 2.0 * math.log(n) * sigma**2
    bkps = rpt.Pelt(model="l2", min_size=min_size, jump=1).fit(series.reshape(-1, 1)).predict(pen=pen)
    cps = [b for b in bkps if b < n]
    return (cps[-1], pen) if cps else None


def alerts(con: duckdb.DuckDBPyConnection, baseline: str | int = "52w", recent: str | int = "4w",
           threshold: float = 3.0, method: Method = "mad", as_of: dt.date | str | None = None,
           min_events: int = 3, include_hedged: bool = False, change_points: bool = True,
           max_change_dyads: int = 500, max_events: int = 10, by_mentions: bool = False) -> pd.DataFrame:
    """Dyads whose last ``recent`` weeks depart from their ``baseline`` weeks before, strongest first.

    One row per alert (columns :data:`ALERT_COLUMNS`): ``kind`` ``index`` / ``volume`` /
    ``change_point``; ``direction`` ``conflict`` / ``cooperation`` (index, change point) or
    ``surge`` / ``drop`` (volume); ``score`` the robust z (change points: the index shift over its
    noise); ``recent`` and ``baseline`` the values compared (index, or share of interstate events);
    ``event_ids`` and ``events`` (``date A->B cameo name: sentence``) the recent events behind it,
    most telling first (most conflictual for a swing to conflict, most cooperative otherwise).
    A dyad needs ``min_events`` events in the recent window for an index or change-point alert,
    and in the whole window for a volume alert. ``as_of`` defaults to the last event date stored.
    """
    if method not in ("mad", "z"):
        raise DetenteError(E.E504.format(name="method", expected="mad or z", value=method))
    if not (isinstance(threshold, (int, float)) and threshold > 0):
        raise DetenteError(E.E504.format(name="threshold", expected="a positive number", value=threshold))
    n_recent_w = weeks(recent, "recent", 1)
    n_base_w = weeks(baseline, "baseline", 2)
    facts = factualities(include_hedged)
    end = as_date(as_of) or _last_date(con, facts)
    if end is None:
        return _empty()
    total = n_recent_w + n_base_w
    weekly = _weekly(con, end, total, facts, count_weight(con, by_mentions))
    if weekly.empty:
        return _empty()

    # dense (dyad x week) matrices; week 0 = most recent
    keys = weekly["a"] + "-" + weekly["b"]
    codes, dyads = pd.factorize(keys)
    wk = weekly["wk"].to_numpy()
    shape = (len(dyads), total)
    n = np.zeros(shape)
    wc = np.zeros(shape)
    wf = np.zeros(shape)
    n[codes, wk] = weekly["n"].to_numpy(dtype=float)
    wc[codes, wk] = weekly["w_coop"].to_numpy(dtype=float)
    wf[codes, wk] = weekly["w_conf"].to_numpy(dtype=float)
    volume = n.sum(axis=0)
    with np.errstate(all="ignore"):
        wsum = wc + wf
        idx = np.where(n > 0, np.where(wsum > 0, (wc - wf) / np.where(wsum > 0, wsum, 1), 0.0), np.nan)
        share = n / np.where(volume > 0, volume, 1)

    rec, base = slice(0, n_recent_w), slice(n_recent_w, total)
    n_rec, n_base = n[:, rec].sum(axis=1), n[:, base].sum(axis=1)
    rec_w = wc[:, rec].sum(axis=1) + wf[:, rec].sum(axis=1)
    rec_idx = np.where(rec_w > 0, (wc[:, rec].sum(axis=1) - wf[:, rec].sum(axis=1)) / np.where(rec_w > 0, rec_w, 1), 0)
    rec_share = n_rec / max(volume[rec].sum(), 1.0)

    found: list[dict[str, Any]] = []
    # index: recent pooled index against the baseline weeks that have events
    c_idx, s_idx = _robust(idx[:, base], method)
    z_idx = (rec_idx - c_idx) / np.maximum(np.nan_to_num(s_idx), INDEX_FLOOR)
    ok = (n_rec >= min_events) & (np.sum(~np.isnan(idx[:, base]), axis=1) >= 2) & (np.abs(np.nan_to_num(z_idx)) >= threshold)
    for d in np.flatnonzero(ok):
        found.append(_alert(dyads[d], "index", "conflict" if z_idx[d] < 0 else "cooperation", z_idx[d],
                            rec_idx[d], c_idx[d], max(float(np.nan_to_num(s_idx[d])), INDEX_FLOOR), n_rec[d], n_base[d]))
    # volume: recent share against weekly baseline shares (quiet weeks are 0)
    c_sh, s_sh = _robust(share[:, base], method)
    # Poisson floor: the noise of a count over the recent window, were the baseline share still true
    rec_vol = max(float(volume[rec].sum()), 1.0)
    floor = np.sqrt(np.maximum(np.nan_to_num(c_sh) * rec_vol, 1.0)) / rec_vol
    scale_sh = np.maximum(s_sh, floor)
    z_sh = (rec_share - c_sh) / scale_sh
    ok = (n_rec + n_base >= min_events) & (np.abs(z_sh) >= threshold)
    for d in np.flatnonzero(ok):
        found.append(_alert(dyads[d], "volume", "surge" if z_sh[d] > 0 else "drop", z_sh[d], rec_share[d],
                            c_sh[d], scale_sh[d], n_rec[d], n_base[d]))
    # change points on the weekly index of the busiest dyads with recent events
    if change_points:
        busy = np.flatnonzero(n_rec >= min_events)
        busy = busy[np.argsort(-(n_rec + n_base)[busy], kind="stable")][:max_change_dyads]
        for d in busy:
            chrono = idx[d, ::-1]  # oldest week first
            have = np.flatnonzero(~np.isnan(chrono))
            hit = change_point(chrono[have]) if len(have) else None
            if hit is None:
                continue
            cp = hit[0]
            week = total - 1 - int(have[cp])  # weeks back from as_of of the first point after the change
            if week >= n_recent_w:
                continue
            before, after = float(chrono[have[:cp]].mean()), float(chrono[have[cp:]].mean())
            diffs = np.diff(chrono[have])
            sigma = max(1.4826 * float(np.median(np.abs(diffs - np.median(diffs)))) / math.sqrt(2), INDEX_FLOOR)
            score = (after - before) / sigma
            if abs(score) < threshold:
                continue
            row = _alert(dyads[d], "change_point", "conflict" if after < before else "cooperation", score,
                         after, before, sigma, n_rec[d], n_base[d])
            row["change_week"] = end - dt.timedelta(days=7 * week + 6)
            found.append(row)
    if not found:
        return _empty()
    out = pd.DataFrame(found)
    out["window_start"] = end - dt.timedelta(days=7 * n_recent_w - 1)
    out["window_end"] = end
    _attach_events(con, out, out["window_start"].iloc[0], end, facts, max_events)
    out = out.reindex(columns=ALERT_COLUMNS)
    out = out.iloc[np.argsort(-out["score"].abs().to_numpy(), kind="stable")].reset_index(drop=True)
    out.attrs.update(as_of=end, recent_weeks=n_recent_w, baseline_weeks=n_base_w, method=method,
                     threshold=threshold, dyads=len(dyads))
    return out


def _alert(key: str, kind: str, direction: str, score: float, recent: float, baseline: float, scale: float,
           n_recent: float, n_baseline: float) -> dict[str, Any]:
    a, b = key.split("-", 1)
    return {"dyad": key, "a": a, "b": b, "kind": kind, "direction": direction, "score": round(float(score), 3),
            "recent": float(recent), "baseline": float(baseline), "scale": float(scale),
            "n_recent": int(n_recent), "n_baseline": int(n_baseline), "change_week": None}


def _attach_events(con: duckdb.DuckDBPyConnection, out: pd.DataFrame, start: dt.date, end: dt.date,
                   facts: list[str], max_events: int) -> None:
    """Fill ``event_ids`` and ``events`` with the recent events of each alerted dyad (one query)."""
    keys = sorted(set(out["dyad"]))
    rows = con.execute(
        f"""SELECT least(source_country, target_country) || '-' || greatest(source_country, target_country) AS dyad,
                event_id, {EVENT_DATE} AS day, source_country, target_country, cameo, cameo_name, goldstein,
                quad, sentence
            FROM events
            WHERE {EVENT_DATE} >= ? AND {EVENT_DATE} <= ? AND factuality IN (SELECT unnest(?))
              AND source_country IS NOT NULL AND target_country IS NOT NULL
              AND source_country <> target_country
              AND list_contains(?, least(source_country, target_country) || '-' || greatest(source_country, target_country))
            QUALIFY row_number() OVER (PARTITION BY dyad ORDER BY day DESC, event_id) <= 200""",
        [start, end, facts, keys],
    ).df()
    by_dyad = {k: g for k, g in rows.groupby("dyad")}
    ids: list[list[str]] = []
    texts: list[list[str]] = []
    for key, direction in zip(out["dyad"], out["direction"], strict=True):
        g = by_dyad.get(key)
        if g is None or g.empty:
            ids.append([])
            texts.append([])
            continue
        conflict_first = direction == "conflict"
        g = g.assign(_g=g["goldstein"].fillna(0.0) * (1 if conflict_first else -1))
        if direction in ("surge", "drop"):
            g = g.sort_values(["day", "event_id"], ascending=[False, True])
        else:
            g = g.sort_values(["_g", "day", "event_id"], ascending=[True, False, True])
        g = g.head(max_events)
        ids.append(list(g["event_id"]))
        texts.append([_short(r) for r in g.itertuples()])
    out["event_ids"] = ids
    out["events"] = texts


def _short(r: Any, width: int = 100) -> str:
    sentence = str(r.sentence or "")
    if len(sentence) > width:
        sentence = sentence[: width - 1] + "…"
    day = pd.Timestamp(r.day).date().isoformat() if r.day is not None and not pd.isna(r.day) else "undated"
    return f"{day} {r.source_country}→{r.target_country} {r.cameo} {r.cameo_name}: {sentence}"


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ALERT_COLUMNS})
