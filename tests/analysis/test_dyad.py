"""Dyad series on a small store: PRK-RUS warm in September 2023, cool in October, amid other news."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from detente.analysis import dyad_series, undated_count
from detente.errors import DetenteError
from detente.records import Actor, Article, CodedArticle, Event, Place, Span, stable_id
from detente.reference import Cameo
from detente.store import Store

CAMEO = Cameo()
NAMES = {"PRK": "North Korea", "RUS": "Russia", "USA": "United States", "CHN": "China",
         "FRA": "France", "DEU": "Germany"}


def make_event(doc: str, i: int, src: str, tgt: str, cameo: str, day: str | None, sentence: str,
               trigger: str, factuality: str = "asserted", article_date: str | None = None,
               place: Place | None = None) -> Event:
    c = CAMEO.get(cameo)
    start = max(sentence.find(trigger), 0)
    return Event(
        event_id=stable_id(doc, i, src, tgt, cameo), doc_id=doc, sentence_index=i, sentence=sentence,
        date=day, date_source="explicit" if day else ("article" if article_date else "none"),
        source=Actor(f"{src}GOV", src, "GOV", NAMES[src], NAMES[src]),
        target=Actor(f"{tgt}GOV", tgt, "GOV", NAMES[tgt], NAMES[tgt]),
        cameo=cameo, cameo_name=c.name, root=c.root, quad=c.quad, goldstein=c.goldstein, plover=c.plover,
        factuality=factuality,  # type: ignore[arg-type]
        trigger=Span(trigger, start, start + len(trigger)), rule="test_rule", place=place,
        article_date=article_date,
    )


# (src, tgt, cameo, date, sentence, trigger, factuality, article_date)
PRK_RUS = [
    ("PRK", "RUS", "042", "2023-09-13", "Kim Jong Un visited Russia's Vostochny Cosmodrome on Wednesday.",
     "visited", "asserted", None),
    ("RUS", "PRK", "043", "2023-09-13", "Vladimir Putin hosted the North Korean leader at the cosmodrome.",
     "hosted", "asserted", None),
    ("RUS", "PRK", "061", None, "Russia and North Korea agreed to expand trade across their land border.",
     "expand trade", "asserted", "2023-09-14"),
    ("PRK", "RUS", "036", "2023-09-15", "North Korea said it intends to hold further talks with Russia.",
     "intends", "intent", None),
    ("PRK", "RUS", "111", "2023-09-18", "Pyongyang criticised Moscow over the price of grain deliveries.",
     "criticised", "asserted", None),
    ("RUS", "PRK", "111", "2023-09-20", "Russia reportedly criticised North Korea over the delay.",
     "criticised", "hedged", None),
    ("RUS", "PRK", "138", "2023-09-21", "Russia denied that it had threatened North Korea with force.",
     "threatened", "negated", None),
    ("RUS", "PRK", "111", "2023-10-05", "Russia condemned North Korea's latest missile test.",
     "condemned", "asserted", None),
    ("PRK", "RUS", "112", "2023-10-12", "North Korea accused Russia of breaking its promises.",
     "accused", "asserted", None),
    ("RUS", "PRK", "163", "2023-10-20", "Russia imposed sanctions on two North Korean banks.",
     "imposed sanctions", "asserted", None),
    ("RUS", "PRK", "073", "2023-10-25", "Russia sent humanitarian aid to flood-hit North Korea.",
     "sent humanitarian aid", "asserted", None),
    ("PRK", "RUS", "057", None, "North Korea signed a fisheries agreement with Russia.",
     "signed", "asserted", None),
]

# unrelated news: (month, count) of USA-CHN events
BACKGROUND = {"2023-09": 4, "2023-10": 6}


def write_events(store: Store, events: list[Event], run: str = "test") -> None:
    by_doc: dict[str, list[Event]] = {}
    for e in events:
        by_doc.setdefault(e.doc_id, []).append(e)
    coded = [
        CodedArticle(Article(id=doc, text=" ".join(e.sentence for e in evs),
                             date=dt.date.fromisoformat(evs[0].date or evs[0].article_date or "2023-01-01")
                             if (evs[0].date or evs[0].article_date) else None,
                             url=f"https://news.example.org/{doc}"), (), tuple(evs))
        for doc, evs in by_doc.items()
    ]
    store.write(coded, [], run_id=run)


def prk_rus_events() -> list[Event]:
    return [make_event(f"prk-rus-{i}", 0, s, t, c, d, text, trig, f, ad)
            for i, (s, t, c, d, text, trig, f, ad) in enumerate(PRK_RUS)]


def background_events(volume: dict[str, int], pair: tuple[str, str] = ("USA", "CHN"),
                      tag: str = "bg") -> list[Event]:
    out = []
    for month, n in volume.items():
        for k in range(n):
            code = "042" if k % 2 else "111"
            day = f"{month}-{k % 27 + 1:02d}"
            out.append(make_event(f"{tag}-{month}-{k}", 0, pair[0], pair[1], code, day,
                                  f"{NAMES[pair[0]]} and {NAMES[pair[1]]} met on {day} (item {k} of {tag}).", "met"))
    return out


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "t.duckdb")
    write_events(s, prk_rus_events() + background_events(BACKGROUND))
    yield s
    s.close()


SEPT_COOP = 1.9 + 2.8 + 6.4 + 4.0  # 042, 043, 061, 036 (intent)
SEPT_CONF = 2.0  # 111 asserted
OCT_COOP, OCT_CONF = 7.4, 2.0 + 2.0 + 8.0


def row(df: pd.DataFrame, period: str) -> pd.Series:
    hit = df[df["period"] == dt.date.fromisoformat(period)]
    assert len(hit) == 1, df
    return hit.iloc[0]


def test_monthly_counts_per_quad(store: Store) -> None:
    df = dyad_series(store.con, "PRK", "RUS", freq="month")
    assert list(df.columns) == ["period", "n_events", "q1", "q2", "q3", "q4", "mean_goldstein", "coop_index",
                                "volume", "share", "normalised_index"]
    assert list(df["period"]) == [dt.date(2023, 9, 1), dt.date(2023, 10, 1)]
    sept, octo = row(df, "2023-09-01"), row(df, "2023-10-01")
    # asserted + intent; the hedged and negated September events are out; article_date fills in for 061
    assert (sept.n_events, sept.q1, sept.q2, sept.q3, sept.q4) == (5, 3, 1, 1, 0)
    assert (octo.n_events, octo.q1, octo.q2, octo.q3, octo.q4) == (4, 0, 1, 2, 1)
    assert sept.mean_goldstein == pytest.approx((1.9 + 2.8 + 6.4 + 4.0 - 2.0) / 5)


def test_coop_index_sign_and_value(store: Store) -> None:
    df = dyad_series(store.con, "prk", "rus")  # codes are case-insensitive
    sept, octo = row(df, "2023-09-01"), row(df, "2023-10-01")
    assert sept.coop_index == pytest.approx((SEPT_COOP - SEPT_CONF) / (SEPT_COOP + SEPT_CONF))
    assert octo.coop_index == pytest.approx((OCT_COOP - OCT_CONF) / (OCT_COOP + OCT_CONF))
    assert sept.coop_index > 0 > octo.coop_index
    assert df["coop_index"].between(-1, 1).all() and df["normalised_index"].between(-1, 1).all()


def test_volume_share_and_normalised_index(store: Store) -> None:
    df = dyad_series(store.con, "PRK", "RUS")
    sept, octo = row(df, "2023-09-01"), row(df, "2023-10-01")
    assert (sept.volume, octo.volume) == (5 + 4, 4 + 6)
    assert sept.share == pytest.approx(5 / 9) and octo.share == pytest.approx(4 / 10)
    mean_share = (5 + 4) / (9 + 10)
    assert df.attrs["mean_share"] == pytest.approx(mean_share)
    assert octo.normalised_index == pytest.approx(octo.coop_index * octo.share / mean_share)
    assert sept.normalised_index == pytest.approx(min(1.0, sept.coop_index * sept.share / mean_share))


def test_uniform_volume_growth_leaves_normalised_index_unchanged(store: Store, tmp_path: Path) -> None:
    before = dyad_series(store.con, "PRK", "RUS")
    # unrelated news doubles every month's volume: 9 more in September, 10 more in October
    write_events(store, background_events({"2023-09": 9, "2023-10": 10}, ("FRA", "DEU"), "more"))
    after = dyad_series(store.con, "PRK", "RUS")
    assert list(after["n_events"]) == list(before["n_events"])
    assert list(after["volume"]) == [2 * v for v in before["volume"]]
    assert after["coop_index"].tolist() == pytest.approx(before["coop_index"].tolist())
    assert after["share"].tolist() == pytest.approx((before["share"] / 2).tolist())
    assert after["normalised_index"].tolist() == pytest.approx(before["normalised_index"].tolist())


def test_attention_drop_in_one_month_damps_that_month(store: Store) -> None:
    before = row(dyad_series(store.con, "PRK", "RUS"), "2023-10-01")
    write_events(store, background_events({"2023-10": 10}, ("FRA", "DEU"), "more"))
    df = dyad_series(store.con, "PRK", "RUS")
    after = row(df, "2023-10-01")
    assert after.coop_index == pytest.approx(before.coop_index)
    assert after.share == pytest.approx(before.share / 2)
    assert abs(after.normalised_index) < abs(before.normalised_index)
    assert df.attrs["mean_share"] == pytest.approx(9 / 29)


def test_hedged_only_on_request_negated_never(store: Store) -> None:
    default = row(dyad_series(store.con, "PRK", "RUS"), "2023-09-01")
    hedged = row(dyad_series(store.con, "PRK", "RUS", include_hedged=True), "2023-09-01")
    assert (default.n_events, default.q3, default.q4) == (5, 1, 0)
    assert (hedged.n_events, hedged.q3, hedged.q4) == (6, 2, 0)  # the negated 138 threat never counts
    assert hedged.coop_index == pytest.approx((SEPT_COOP - 4.0) / (SEPT_COOP + 4.0))
    assert hedged.volume == default.volume + 1


def test_directed_keeps_one_direction(store: Store) -> None:
    df = dyad_series(store.con, "PRK", "RUS", directed=True)
    sept, octo = row(df, "2023-09-01"), row(df, "2023-10-01")
    assert (sept.n_events, sept.q1, sept.q3) == (3, 2, 1)  # visit, intent to meet, criticism
    assert (octo.n_events, octo.q3) == (1, 1)
    rev = dyad_series(store.con, "RUS", "PRK", directed=True)
    assert rev["n_events"].sum() + df["n_events"].sum() == 9


def test_undated_events_are_counted_not_plotted(store: Store) -> None:
    df = dyad_series(store.con, "PRK", "RUS")
    assert df["n_events"].sum() == 9
    assert df.attrs["undated"] == 1
    assert undated_count(store.con, "RUS", "PRK") == 1
    assert undated_count(store.con, "RUS", "PRK", directed=True) == 0


def test_weekly_and_daily_periods(store: Store) -> None:
    weeks = dyad_series(store.con, "PRK", "RUS", freq="week")
    assert all(p.weekday() == 0 for p in weeks["period"])
    assert weeks["n_events"].sum() == 9
    assert row(weeks, "2023-09-11").n_events == 4  # 13th (x2), 14th, 15th
    days = dyad_series(store.con, "PRK", "RUS", freq="day")
    assert row(days, "2023-09-13").n_events == 2
    assert days["n_events"].sum() == 9


def test_since_until_window(store: Store) -> None:
    df = dyad_series(store.con, "PRK", "RUS", since="2023-10-01", until=dt.date(2023, 10, 31))
    assert list(df["period"]) == [dt.date(2023, 10, 1)]
    assert df.attrs["mean_share"] == pytest.approx(4 / 10)
    assert df["normalised_index"].iloc[0] == pytest.approx(df["coop_index"].iloc[0])
    # a window wider than the dyad's activity counts the quiet months in the mean share
    wide = dyad_series(store.con, "PRK", "RUS", since="2023-08-01", until="2023-10-31")
    assert wide.attrs["mean_share"] == pytest.approx(9 / 19)


def test_no_events_gives_empty_frame(store: Store) -> None:
    df = dyad_series(store.con, "FRA", "PRK")
    assert df.empty and "coop_index" in df.columns
    assert df.attrs["mean_share"] is None


def test_bad_arguments(store: Store) -> None:
    with pytest.raises(DetenteError, match="E501|frequency"):
        dyad_series(store.con, "PRK", "RUS", freq="year")  # type: ignore[arg-type]
    with pytest.raises(DetenteError, match="2023-13-01"):
        dyad_series(store.con, "PRK", "RUS", since="2023-13-01")


def test_quiet_periods_between_first_and_last_are_zero_rows(store: Store) -> None:
    write_events(store, [make_event("prk-rus-dec", 0, "PRK", "RUS", "042", "2023-12-05",
                                    "Kim Jong Un visited Moscow in December.", "visited")])
    df = dyad_series(store.con, "PRK", "RUS")
    assert list(df["period"]) == [dt.date(2023, 9, 1), dt.date(2023, 10, 1), dt.date(2023, 11, 1),
                                  dt.date(2023, 12, 1)]
    nov = row(df, "2023-11-01")
    assert (nov.n_events, nov.q1, nov.q4, nov.volume, nov.coop_index, nov.share, nov.normalised_index) == (
        0, 0, 0, 0, 0.0, 0.0, 0.0)
    assert pd.isna(nov.mean_goldstein)
    assert row(df, "2023-12-01").n_events == 1
    # November counts in the mean share (0 of 0 there), December adds 1 of 1
    assert df.attrs["mean_share"] == pytest.approx((9 + 1) / (19 + 1))
    weeks = dyad_series(store.con, "PRK", "RUS", freq="week")
    assert len(weeks) == (dt.date(2023, 12, 4) - dt.date(2023, 9, 11)).days // 7 + 1


def test_by_mentions_weights_events_by_their_reports(store: Store) -> None:
    eid = store.con.execute("SELECT event_id FROM events WHERE cameo = '163'").fetchall()[0][0]
    store.con.execute("UPDATE events SET num_mentions = 3 WHERE event_id = ?", [eid])
    plain = row(dyad_series(store.con, "PRK", "RUS"), "2023-10-01")
    weighted = row(dyad_series(store.con, "PRK", "RUS", by_mentions=True), "2023-10-01")
    assert (plain.n_events, plain.q4, plain.volume) == (4, 1, 10)
    assert (weighted.n_events, weighted.q4, weighted.volume) == (6, 3, 12)
    assert weighted.coop_index == pytest.approx((OCT_COOP - 2.0 - 2.0 - 3 * 8.0) / (OCT_COOP + 4.0 + 24.0))


def test_by_mentions_without_the_column_counts_each_event_once(store: Store) -> None:
    before_v2 = store.con.execute("SELECT * EXCLUDE (num_mentions, num_articles) FROM events").df()
    con = duckdb.connect()  # an events table from before migration v2
    con.register("before_v2", before_v2)
    con.execute("CREATE TABLE events AS SELECT * FROM before_v2")
    df = dyad_series(con, "PRK", "RUS", by_mentions=True)
    assert df["n_events"].sum() == 9


def test_unknown_country_code(store: Store) -> None:
    with pytest.raises(DetenteError, match="Unknown country"):
        dyad_series(store.con, "PRK", "QQQ")
    # a code the shipped dictionaries lack is fine once the store has events with it (user dictionaries)
    store.con.execute("UPDATE events SET target_country = 'XNK' WHERE target_country = 'CHN'")
    assert dyad_series(store.con, "usa", "xnk")["n_events"].sum() == 10


def test_store_methods_return_frames(store: Store, tmp_path: Path) -> None:
    assert store.dyad("PRK", "RUS", freq="week")["n_events"].sum() == 9
    assert len(store.events(dyad=("PRK", "RUS"))) == len(PRK_RUS)
    edges = store.network_table(min_events=2)
    assert list(edges.columns) == ["source", "target", "weight", "coop_index"]
    assert edges.iloc[0].to_dict()["source"] == "USA" and edges["weight"].iloc[0] == 10
    assert store.network(min_events=2).has_edge("PRK", "RUS")
    assert list(store.alerts(baseline="4w", recent="1w").columns)[:3] == ["dyad", "a", "b"]
    png = tmp_path / "d.png"
    drawn = store.plot_dyad("PRK", "RUS", png)
    assert len(drawn) == 2 and png.read_bytes()[:4] == b"\x89PNG"
