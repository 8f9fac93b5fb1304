"""Exports from a small store: csv, parquet, jsonl, the GDELT 2.0 layout and PLOVER JSON Lines."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import detente
from detente.cli import app
from detente.export import EXPORT_COLUMNS, GDELT_COLUMNS, cameo_type, export, fraction_date, global_event_id
from detente.records import Actor, Article, CodedArticle, Event, Place, Span, stable_id
from detente.reference import Cameo
from detente.store import Store

CAMEO = Cameo()
NAMES = {"PRK": "North Korea", "RUS": "Russia", "USA": "United States", "JPN": "Japan"}


def make_event(doc: str, i: int, src: tuple[str, str | None], tgt: tuple[str, str | None], cameo: str,
               day: str | None, sentence: str, trigger: str, factuality: str = "asserted",
               place: Place | None = None, article_date: str | None = None) -> Event:
    c = CAMEO.get(cameo)
    start = sentence.index(trigger)

    def actor(country: str, sector: str | None) -> Actor:
        return Actor(country + (sector or ""), country, sector, NAMES[country], NAMES[country])

    return Event(
        event_id=stable_id(doc, i, cameo), doc_id=doc, sentence_index=i, sentence=sentence, date=day,
        date_source="explicit" if day else "none", source=actor(*src), target=actor(*tgt),
        cameo=cameo, cameo_name=c.name, root=c.root, quad=c.quad, goldstein=c.goldstein, plover=c.plover,
        factuality=factuality,  # type: ignore[arg-type]
        trigger=Span(trigger, start, start + len(trigger)), rule="test_rule", place=place,
        article_date=article_date, cues=("reportedly",) if factuality == "hedged" else (),
    )


VOSTOCHNY = Place("Vostochny Cosmodrome", "RUS", 51.88, 128.33)
RUSSIA = Place("Russia", "RUS", 55.752, 37.6178)

EVENTS = [
    make_event("a1", 0, ("PRK", "GOV"), ("RUS", "GOV"), "042", "2023-09-13",
               "Kim Jong Un visited the Vostochny Cosmodrome in Russia on Wednesday.", "visited",
               place=VOSTOCHNY),
    make_event("a1", 1, ("RUS", "GOV"), ("PRK", "GOV"), "0312", "2023-09-13",
               "Putin said Russia would cooperate militarily with North Korea.", "would cooperate militarily",
               factuality="intent"),
    make_event("a2", 0, ("RUS", "MIL"), ("PRK", None), "072", "2023-09-20",
               "Russia reportedly delivered weapons to North Korea.", "delivered", factuality="hedged",
               place=RUSSIA),
    make_event("a3", 0, ("JPN", "GOV"), ("PRK", "GOV"), "111", "2024-01-08",
               "Japan condemned North Korea's missile launch.", "condemned"),
    make_event("a3", 2, ("USA", "MED"), ("PRK", None), "010", "2024-01-08",
               "US health officials made a statement on North Korea.", "made a statement"),
    make_event("a4", 0, ("RUS", "GOV"), ("USA", "GOV"), "138", "2023-11-02",
               "Russia denied that it had threatened the United States.", "threatened", factuality="negated"),
    make_event("a5", 0, ("JPN", "GOV"), ("USA", "GOV"), "040", None,
               "Japan consulted the United States on North Korea.", "consulted"),
]
URLS = {"a1": "https://news.example.org/kim-visits-russia", "a2": None, "a3": "https://news.example.org/jp"}


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "t.duckdb")
    docs: dict[str, list[Event]] = {}
    for e in EVENTS:
        docs.setdefault(e.doc_id, []).append(e)
    s.write([CodedArticle(Article(id=d, text=" ".join(e.sentence for e in evs), url=URLS.get(d)), (), tuple(evs))
             for d, evs in docs.items()], [], run_id="run-1")
    yield s
    s.close()


def by_id(event_id: str) -> Event:
    return next(e for e in EVENTS if e.event_id == event_id)


def test_gdelt_has_61_columns_in_order() -> None:
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:5] == ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    assert GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert GDELT_COLUMNS[51:53] == ("ActionGeo_Type", "ActionGeo_FullName")
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_rows(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.gdelt.tsv"
    n = export(store.con, "gdelt", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    # the undated event has no SQLDATE, the negated one did not happen: both are left out
    assert n == len(lines) == 5
    assert {line.split("\t")[26] for line in lines} == {"042", "0312", "072", "111", "010"}
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines]
    assert all(len(line.split("\t")) == 61 for line in lines)
    visit = next(r for r in rows if r["EventCode"] == "042")
    e = EVENTS[0]
    assert visit["GLOBALEVENTID"] == str(int(e.event_id[:15], 16))
    assert (visit["SQLDATE"], visit["MonthYear"], visit["Year"]) == ("20230913", "202309", "2023")
    assert visit["FractionDate"] == f"{2023 + (9 * 30 + 13) / 365:.4f}"
    assert (visit["EventBaseCode"], visit["EventRootCode"], visit["QuadClass"]) == ("042", "04", "1")
    assert visit["GoldsteinScale"] == "1.9"
    assert (visit["Actor1Code"], visit["Actor1Name"], visit["Actor1CountryCode"], visit["Actor1Type1Code"]) == (
        "PRKGOV", "NORTH KOREA", "PRK", "GOV")
    assert (visit["Actor2Code"], visit["Actor2CountryCode"]) == ("RUSGOV", "RUS")
    assert (visit["NumMentions"], visit["NumSources"], visit["NumArticles"], visit["AvgTone"]) == ("1", "1", "1", "")
    assert visit["IsRootEvent"] == "1"
    assert (visit["ActionGeo_Type"], visit["ActionGeo_FullName"], visit["ActionGeo_CountryCode"]) == (
        "4", "Vostochny Cosmodrome", "RUS")
    assert (visit["ActionGeo_Lat"], visit["ActionGeo_Long"]) == ("51.8800", "128.3300")
    assert visit["Actor1Geo_Type"] == "" and visit["ActionGeo_FeatureID"] == ""
    assert visit["SOURCEURL"] == "https://news.example.org/kim-visits-russia"
    assert len(visit["DATEADDED"]) == 14 and visit["DATEADDED"].isdigit()

    weapons = next(r for r in rows if r["EventCode"] == "072")
    assert (weapons["EventRootCode"], weapons["QuadClass"], weapons["ActionGeo_Type"]) == ("07", "2", "1")
    assert weapons["SOURCEURL"] == "a2"  # no url: the document id
    assert weapons["Actor1Type1Code"] == "MIL" and weapons["Actor2Type1Code"] == ""
    condemn = next(r for r in rows if r["EventCode"] == "111")
    assert (condemn["EventRootCode"], condemn["QuadClass"], condemn["GoldsteinScale"]) == ("11", "3", "-2")
    assert condemn["ActionGeo_Type"] == ""
    statement = next(r for r in rows if r["EventCode"] == "010")
    assert statement["Actor1Type1Code"] == "HLH"  # PLOVER MED (health) is CAMEO HLH
    assert statement["IsRootEvent"] == "0"
    intent = next(r for r in rows if r["EventCode"] == "0312")
    assert (intent["EventBaseCode"], intent["EventRootCode"]) == ("031", "03")
    # asked for explicitly, negated events are written
    negated = tmp_path / "negated.tsv"
    assert export(store.con, "gdelt", negated, factuality="negated") == 1
    assert negated.read_text(encoding="utf-8").split("\t")[26] == "138"


def test_gdelt_helpers() -> None:
    assert global_event_id("0123456789abcdef") == int("0123456789abcde", 16)
    assert global_event_id("not-hex-at-all") == global_event_id("not-hex-at-all") > 0
    assert fraction_date(dt.date(2024, 1, 8)) == "2024.1041"
    assert cameo_type("JRN") == "MED" and cameo_type("gov") == "GOV" and cameo_type(None) == ""


def sql_rows(query: str) -> list[tuple[object, ...]]:
    rel = duckdb.sql(query)
    assert rel is not None
    return rel.fetchall()


def test_parquet_reads_back_with_duckdb(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    store.con.execute("SELECT count(*) FROM events").fetchone()  # a half-read result must not block export
    n = export(store.con, "parquet", path)
    assert n == len(EVENTS)
    assert sql_rows(f"select count(*) from '{path}'") == [(n,)]
    cols = [r[0] for r in sql_rows(f"describe select * from '{path}'")]
    assert cols == EXPORT_COLUMNS
    dyad = tmp_path / "dyad.parquet"
    m = export(store.con, "parquet", dyad, dyad=("RUS", "PRK"))
    assert m == 3
    assert sql_rows(f"select count(*) from '{dyad}'") == [(3,)]


def test_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    n = export(store.con, "csv", path, source="rus")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert n == len(rows) == 3
    assert list(rows[0]) == EXPORT_COLUMNS
    assert {r["source_country"] for r in rows} == {"RUS"}
    assert rows[0]["date"] == "2023-09-13"  # ordered by date, undated last
    assert rows[-1]["date"] == "2023-11-02" and rows[-1]["factuality"] == "negated"


def test_jsonl_filters(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    n = export(store.con, "jsonl", path, target="PRK", since="2023-09-15", until=dt.date(2024, 1, 31))
    recs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert n == len(recs) == 3
    assert [r["cameo"] for r in recs] == ["072", "111", "010"]
    assert recs[0]["date"] == "2023-09-20" and recs[0]["cues"] == "reportedly"
    assert set(recs[0]) == set(EXPORT_COLUMNS)


def test_plover(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "events.plover.jsonl"
    n = export(store.con, "plover", path)
    recs = {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    # CAMEO 010 (make statement) has no PLOVER type and is left out; the rest are kept
    assert n == len(recs) == 6
    for rid, rec in recs.items():
        assert rec["event_type"] == by_id(rid).plover
        assert rec["event"] == [by_id(rid).plover]
    visit = recs[EVENTS[0].event_id]
    assert (visit["event_type"], visit["date"], visit["quad_code"], visit["event_scale"]) == (
        "CONSULT", "2023-09-13", 1, 1.9)
    assert (visit["source_actor"], visit["source_agent"], visit["source_country"]) == ("North Korea", "GOV", "PRK")
    assert (visit["target_actor"], visit["target_country"]) == ("Russia", "RUS")
    assert visit["source"] == [{"code": "PRK", "sector": "GOV", "actor_text": "North Korea",
                                "identifier_text": "North Korea"}]
    assert visit["recipient"][0]["code"] == "RUS"
    assert visit["location"] == [{"name": "Vostochny Cosmodrome", "cc3": "RUS", "latitude": 51.88,
                                  "longitude": 128.33}]
    assert visit["text"] == EVENTS[0].sentence and visit["event_text"] == ["visited"]
    assert visit["cite_info"]["url"] == URLS["a1"]
    assert visit["detente"]["cameo"] == "042" and visit["detente"]["rule"] == "test_rule"
    assert visit["detente"]["trigger"] == {"text": "visited", "start": 12, "end": 19}
    military = recs[EVENTS[1].event_id]
    assert (military["event_type"], military["context"], military["factuality"]) == ("AGREE", "military", "intent")
    hedged = recs[EVENTS[2].event_id]
    assert hedged["factuality"] == "hedged" and hedged["detente"]["cues"] == ["reportedly"]
    assert hedged["target_agent"] is None
    negated = recs[EVENTS[5].event_id]
    assert negated["date"] == "2023-11-02" and negated["factuality"] == "negated"
    assert recs[EVENTS[6].event_id]["date"] is None


def test_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fmt"):
        export(store.con, "xml", tmp_path / "x.xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="dyad"):
        export(store.con, "csv", tmp_path / "x.csv", dyad="PRK-RUS")


# ------------------------------------------------------------------ the CLI, on the example articles
runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_gdelt_export_rows_have_61_fields(examples_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.tsv"
    run("export", "--db", str(examples_db), "--format", "gdelt", "-o", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines
    assert all(len(line.split("\t")) == 61 for line in lines)
    assert all(line.split("\t")[1].isdigit() and len(line.split("\t")[1]) == 8 for line in lines)  # SQLDATE


def test_parquet_export_reads_back_with_the_same_count(examples_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "prk_rus.parquet"
    run("export", "--db", str(examples_db), "--format", "parquet", "-o", str(path), "--dyad", "PRK,RUS")
    with detente.open(examples_db) as store:
        expected = len(store.events(dyad=("PRK", "RUS")))
    got = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
    assert got == expected > 0


def test_store_export_method_and_filters(examples_db: Path, tmp_path: Path) -> None:
    with detente.open(examples_db) as s:
        n_all = s.export("jsonl", tmp_path / "all.jsonl")
        n_prk = s.export("jsonl", tmp_path / "prk.jsonl", source="PRK")
        total = len(s.events())
    assert n_all == total and 0 < n_prk < n_all
    assert all(json.loads(line)["source_country"] == "PRK" for line in (tmp_path / "prk.jsonl").open())
