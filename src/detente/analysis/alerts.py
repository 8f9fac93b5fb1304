"""Alerts: dyads whose recent weeks depart from their own past, with the events that say so.

One SQL aggregate over ``events`` turns the window (baseline + recent weeks before ``as_of``) into
one row per (dyad, week); everything after that works on those rows with numpy, never on events.
A second query fetches the evidence (event ids and sentences) for the alerted dyads only. The
method is documented in ``docs/analysis.md``; in short:

- weeks are counted back from ``as_of``: week 0 is the 7 days ending on ``as_of``; the *recent*
  window is weeks ``0 .. R-1``, the *baseline* the ``B`` weeks before it;
- **index** alert: the recent pooled cooperation index against the baseline's pooled index, in
  units of the spread of the baseline's weekly indices (weeks with events):
  z = (recent - baseline) / max(1.4826 * MAD (or std) / sqrt(R), 0.1, 1 / sqrt(n recent));
- **volume** alert: the dyad's recent share of all interstate events against its weekly baseline
  shares (quiet weeks count as 0; the mean instead of a median of 0), robust z with a Poisson
  floor on the scale (sqrt(expected recent count, at least 1) / recent volume);
- **change point**: Pelt with the ``l2`` cost (ruptures) on the weekly index of the whole window
  (weeks with events); an alert when the last change point falls in the recent window and the
  shift between the last two segments is at least ``threshold`` standard errors.
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
    # aggregate by (dyad, day) first, then days to weeks: date arithmetic per row doubles the cost
    return con.execute(
        f"""SELECT a, b, CAST(date_diff('day', day, ?::DATE) // 7 AS INTEGER) AS wk, sum(n) AS n,
                sum(w_coop) AS w_coop, sum(w_conf) AS w_conf
            FROM (SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b,
                    {EVENT_DATE} AS day, sum({k}) AS n,
                    coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (1, 2)), 0) AS w_coop,
                    coalesce(sum({k} * {WEIGHT}) FILTER (WHERE quad IN (3, 4)), 0) AS w_conf
                  FROM events
                  WHERE {EVENT_DATE} >= ? AND {EVENT_DATE} <= ? AND factuality IN (SELECT unnest(?))
                    AND source_country IS NOT NULL AND target_country IS NOT NULL
                    AND source_country <> target_country
                  GROUP BY ALL)
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


def change_points_of(series: np.ndarray, min_size: int = 2) -> list[int]:
    """Change points of a weekly index series (chronological, no gaps): indices of the first point of
    each new segment, by Pelt with the l2 cost (ruptures' ``KernelCPD`` with the linear kernel, which
    solves exactly that, in C).

    Penalty = 2 * log(n) * max(var(series), 0.01), BIC-like with the series' whole variance, which
    includes any shift: conservative, so a noisy dyad (weekly indices jumping between -1 and +1)
    yields none.
    """
    import ruptures as rpt

    n = len(series)
    if n < 2 * min_size + 1:
        return []
    pen = 2.0 * math.log(n) * max(float(np.var(series)), INDEX_FLOOR**2)
    algo = rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1).fit(series.reshape(-1, 1).astype(float))
    return [int(b) for b in algo.predict(pen=pen) if b < n]


def shift_score(series: np.ndarray, cps: list[int]) -> tuple[float, float, float, float]:
    """(mean before, mean after, noise, score) of the last change point: the shift between the last
    two segments over its standard error, noise = the residual sd within all segments (at least 0.1)."""
    edges = [0, *cps, len(series)]
    segments = [series[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    resid = np.concatenate([seg - seg.mean() for seg in segments])
    noise = max(float(np.sqrt(np.mean(resid**2))), INDEX_FLOOR)
    before, after = segments[-2], segments[-1]
    se = noise * math.sqrt(1 / len(before) + 1 / len(after))
    return float(before.mean()), float(after.mean()), noise, (float(after.mean()) - float(before.mean())) / se


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
    # (an index pooled over n events is not known better than ~1/sqrt(n): the floor of its scale)
    # centre: the baseline's pooled index (a median of weekly indices would read a sparse dyad's
    # one-event weeks, mostly +1, as its norm); spread: of its weekly indices (MAD or std)
    _, s_idx = _robust(idx[:, base], method)
    base_w = wc[:, base].sum(axis=1) + wf[:, base].sum(axis=1)
    c_idx = np.where(base_w > 0, (wc[:, base].sum(axis=1) - wf[:, base].sum(axis=1)) / np.where(base_w > 0, base_w, 1), 0)
    # the recent index pools R weeks: its spread is the weekly one over sqrt(R)
    weekly_scale = np.nan_to_num(s_idx) / math.sqrt(n_recent_w)
    scale_idx = np.maximum(weekly_scale, np.maximum(INDEX_FLOOR, 1.0 / np.sqrt(np.maximum(n_rec, 1.0))))
    z_idx = np.nan_to_num((rec_idx - c_idx) / scale_idx)
    ok = ((n_rec >= min_events) & (np.sum(~np.isnan(idx[:, base]), axis=1) >= min(4, n_base_w))
          & (np.abs(z_idx) >= threshold))
    for d in np.flatnonzero(ok):
        found.append(_alert(dyads[d], "index", "conflict" if z_idx[d] < 0 else "cooperation", z_idx[d],
                            rec_idx[d], c_idx[d], scale_idx[d], n_rec[d], n_base[d]))
    # volume: recent share against weekly baseline shares (quiet weeks are 0)
    c_sh, s_sh = _robust(share[:, base], method)
    # a median of 0 (most baseline weeks quiet) says nothing of a sparse dyad's rate: use the mean
    c_sh = np.where(c_sh > 0, c_sh, share[:, base].mean(axis=1))
    # Poisson floor: the noise of a count over the recent window, were the baseline share still true
    rec_vol = max(float(volume[rec].sum()), 1.0)
    floor = np.sqrt(np.maximum(np.nan_to_num(c_sh) * rec_vol, 1.0)) / rec_vol
    scale_sh = np.maximum(s_sh, floor)
    z_sh = (rec_share - c_sh) / scale_sh
    ok = (np.maximum(n_rec, n_base) >= min_events) & (np.abs(z_sh) >= threshold)
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
            series = chrono[have]
            cps = change_points_of(series)
            if not cps:
                continue
            week = total - 1 - int(have[cps[-1]])  # weeks back from as_of of the first point after the change
            if week >= n_recent_w:
                continue
            before, after, sigma, score = shift_score(series, cps)
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
    out.attrs.update(as_of=end.isoformat(), recent_weeks=n_recent_w, baseline_weeks=n_base_w, method=method,
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
    """Fill ``event_ids`` and ``events`` with the recent events of each alerted dyad, in one query that
    ranks them three ways: most conflictual first, most cooperative first, latest first."""
    keys = sorted(set(out["dyad"]))
    text = ("coalesce(strftime(day, '%Y-%m-%d'), 'undated') || ' ' || source_country || '→' || target_country || ' ' "
            "|| coalesce(cameo, '') || ' ' || coalesce(cameo_name, '') || ': ' || "
            "CASE WHEN length(sentence) > 100 THEN left(sentence, 99) || '…' ELSE coalesce(sentence, '') END")
    orders = {"conflict": "coalesce(goldstein, 0) ASC, day DESC, event_id",
              "cooperation": "coalesce(goldstein, 0) DESC, day DESC, event_id",
              "latest": "day DESC, event_id"}
    lists = ", ".join(f"list_slice(list(event_id ORDER BY {o}), 1, ?) AS {k}_ids, "
                      f"list_slice(list(txt ORDER BY {o}), 1, ?) AS {k}_txt" for k, o in orders.items())
    rows = con.execute(
        f"""WITH ev AS MATERIALIZED (  -- the window first: the dyad key is built for its rows only
                SELECT least(source_country, target_country) || '-' || greatest(source_country, target_country)
                           AS dyad, event_id, goldstein, {EVENT_DATE} AS day, source_country, target_country,
                       cameo, cameo_name, sentence
                FROM events
                WHERE {EVENT_DATE} >= ? AND {EVENT_DATE} <= ? AND factuality IN (SELECT unnest(?))
                  AND source_country IS NOT NULL AND target_country IS NOT NULL
                  AND source_country <> target_country)
            SELECT dyad, {lists} FROM (SELECT *, {text} AS txt FROM ev WHERE list_contains(?, dyad))
            GROUP BY dyad""",
        [start, end, facts, *([max_events] * 2 * len(orders)), keys],
    ).fetchall()
    found = {r[0]: r[1:] for r in rows}
    slot = {"conflict": 0, "cooperation": 2, "surge": 4, "drop": 4}
    ids: list[list[str]] = []
    texts: list[list[str]] = []
    for key, direction in zip(out["dyad"], out["direction"], strict=True):
        lists_ = found.get(key)
        k = slot[direction]
        ids.append(list(lists_[k]) if lists_ else [])
        texts.append(list(lists_[k + 1]) if lists_ else [])
    out["event_ids"] = ids
    out["events"] = texts


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ALERT_COLUMNS})
