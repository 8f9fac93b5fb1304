"""Alerts on hand-built stores: a dyad that swings to conflict in its last four weeks raises an alert
listing those events; a steady dyad, and steady background news, raise none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from detente.analysis import alerts
from detente.analysis.alerts import ALERT_COLUMNS, change_points_of, shift_score, weeks
from detente.errors import DetenteError
from detente.store import Store

AS_OF = dt.date(2024, 6, 30)
# cameo, name, quad, goldstein
MEET = ("042", "Make a visit", 1, 1.9)
PRAISE = ("051", "Praise or endorse", 1, 3.4)
AID = ("073", "Provide humanitarian aid", 2, 7.4)
CRITICISE = ("111", "Criticize or denounce", 3, -2.0)
SANCTION = ("163", "Impose embargo, boycott, or sanctions", 4, -8.0)
THREATEN = ("138", "Threaten with military force", 3, -7.0)


def insert(store: Store, rows: list[tuple[str, str, dt.date, tuple[str, str, int, float], str]]) -> list[str]:
    """Insert events (source, target, date, cameo, factuality) straight into the events table."""
    ids = []
    values = []
    for i, (src, tgt, day, (cameo, name, quad, gold), fact) in enumerate(rows):
        eid = f"{src}{tgt}{day:%Y%m%d}{i:06d}"
        ids.append(eid)
        values.append((eid, f"doc-{eid}", 0, f"{src} and {tgt}: {name.lower()} on {day}.", day, day, src, tgt,
                       cameo, name, cameo[:2], quad, gold, fact))
    frame = pd.DataFrame(values, columns=["event_id", "doc_id", "sentence_index", "sentence", "date", "article_date",
                                          "source_country", "target_country", "cameo", "cameo_name", "root", "quad",
                                          "goldstein", "factuality"])
    store.con.register("_new_events", frame)  # one insert, not one per row
    store.con.execute("INSERT INTO events BY NAME SELECT * FROM _new_events")
    store.con.unregister("_new_events")
    return ids


def week_days(week: int) -> list[dt.date]:
    """The 7 days of week ``week`` counted back from AS_OF (week 0 ends on AS_OF)."""
    end = AS_OF - dt.timedelta(days=7 * week)
    return [end - dt.timedelta(days=d) for d in range(7)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "alerts.duckdb")
    rows = []
    for w in range(56):
        days = week_days(w)
        # FRA-DEU: steady background news, 10 a week, mostly cooperative
        rows += [("FRA", "DEU", days[k % 7], MEET if k % 5 else CRITICISE, "asserted") for k in range(10)]
        # USA-CHN: steady, mixed (the same mix every week, two directions)
        rows += [("USA", "CHN", days[0], CRITICISE, "asserted"), ("CHN", "USA", days[2], MEET, "asserted"),
                 ("USA", "CHN", days[4], PRAISE if w % 2 else MEET, "asserted")]
        if w >= 4:  # PRK-RUS: a year of cooperation ...
            rows += [("PRK", "RUS", days[1], MEET, "asserted"), ("RUS", "PRK", days[3], AID, "asserted"),
                     ("RUS", "PRK", days[5], PRAISE, "asserted")]
    s.swing = insert(s, rows)  # type: ignore[attr-defined]
    # ... then four weeks of conflict
    swing = []
    for w in range(4):
        days = week_days(w)
        swing += [("RUS", "PRK", days[1], SANCTION, "asserted"), ("PRK", "RUS", days[2], CRITICISE, "asserted"),
                  ("RUS", "PRK", days[4], THREATEN, "asserted"), ("PRK", "RUS", days[6], MEET, "asserted")]
    s.swing = insert(s, swing)  # type: ignore[attr-defined]
    # a negated threat in the recent window never counts
    insert(s, [("USA", "CHN", AS_OF, THREATEN, "negated")] * 1)
    yield s
    s.close()


def test_swing_to_conflict_raises_an_alert_with_its_events(store: Store) -> None:
    df = alerts(store.con, baseline="52w", recent="4w", threshold=3.0)
    assert list(df.columns) == ALERT_COLUMNS
    assert df.attrs["as_of"] == AS_OF.isoformat()  # attrs stay JSON-safe (pandas writes them into parquet)
    prk = df[(df["dyad"] == "PRK-RUS") & (df["kind"] == "index")]
    assert len(prk) == 1
    alert = prk.iloc[0]
    assert alert.direction == "conflict" and alert.score <= -3
    assert alert.n_recent == 16 and alert.n_baseline == 52 * 3
    # recent pooled index: (4 * 1.9 - 4 * (8 + 2 + 7)) / (4 * 1.9 + 4 * 17); the baseline is +1 every week
    assert alert.recent == pytest.approx((4 * 1.9 - 4 * 17.0) / (4 * 1.9 + 4 * 17.0))
    assert alert.baseline == pytest.approx(1.0)
    assert alert.window_start == AS_OF - dt.timedelta(days=27) and alert.window_end == AS_OF
    # the evidence: the swing's events, the most conflictual (sanctions, goldstein -8) first
    assert set(alert.event_ids) <= set(store.swing)  # type: ignore[attr-defined]
    assert len(alert.event_ids) == 10
    assert alert.events[0].startswith(f"{week_days(0)[1]} RUS→PRK 163")
    # Pelt finds the break too, in the recent window
    cps = df[(df["dyad"] == "PRK-RUS") & (df["kind"] == "change_point")]
    assert len(cps) == 1 and cps.iloc[0].direction == "conflict"
    assert AS_OF - dt.timedelta(days=27) <= cps.iloc[0].change_week <= AS_OF


def test_steady_dyads_raise_nothing(store: Store) -> None:
    df = alerts(store.con, baseline="52w", recent="4w", threshold=3.0)
    assert set(df["dyad"]) == {"PRK-RUS"}
    assert not df[df["dyad"].isin(["CHN-USA", "DEU-FRA"])].shape[0]


def test_short_baseline_and_plain_z(store: Store) -> None:
    df = alerts(store.con, baseline="4w", recent="1w", method="z", change_points=False)
    # one week of conflict against four, of which three are conflict too: no index alert ...
    assert df[(df["dyad"] == "PRK-RUS") & (df["kind"] == "index")].empty
    # ... but a week earlier, against a cooperative baseline, there is one
    earlier = alerts(store.con, baseline="4w", recent="1w", as_of=AS_OF - dt.timedelta(days=21))
    hit = earlier[(earlier["dyad"] == "PRK-RUS") & (earlier["kind"] == "index")]
    assert len(hit) == 1 and hit.iloc[0].direction == "conflict" and hit.iloc[0].n_recent == 4


def test_volume_surge(store: Store) -> None:
    insert(store, [("IRN", "ISR", d, THREATEN, "asserted") for w in range(2) for d in week_days(w)])
    df = alerts(store.con, change_points=False)
    hit = df[(df["dyad"] == "IRN-ISR") & (df["kind"] == "volume")]
    assert len(hit) == 1 and hit.iloc[0].direction == "surge" and hit.iloc[0].n_recent == 14
    assert hit.iloc[0].n_baseline == 0 and len(hit.iloc[0].event_ids) == 10


def test_empty_store_and_bad_arguments(tmp_path: Path, store: Store) -> None:
    with Store(tmp_path / "empty.duckdb") as empty:
        assert alerts(empty.con).empty
    with pytest.raises(DetenteError, match="baseline"):
        alerts(store.con, baseline="1w")
    with pytest.raises(DetenteError, match="recent"):
        alerts(store.con, recent="four weeks")
    with pytest.raises(DetenteError, match="method"):
        alerts(store.con, method="iqr")  # type: ignore[arg-type]
    assert weeks("52w") == 52 and weeks(4) == 4


def test_change_points_on_a_series() -> None:
    steady = np.array([0.8, 0.7, 0.9, 0.8, 0.75, 0.85] * 8)
    assert change_points_of(steady) == []
    swing = np.concatenate([steady, [-0.7, -0.8, -0.75, -0.8]])
    cps = change_points_of(swing)
    assert cps == [len(steady)]
    before, after, noise, score = shift_score(swing, cps)
    assert before == pytest.approx(0.8) and after == pytest.approx(-0.7625)
    assert score < -10
    # weekly indices of a sparse, noisy dyad (one event a week, either way) give no change point
    noisy = np.array([1.0, -1.0, 1.0, 1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0] * 5)
    assert change_points_of(noisy) == []
