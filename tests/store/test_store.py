"""The DuckDB store: schema, idempotent writes, filtered reads, locking; and the two faces that fill it
(``api.ingest`` and the ``detente ingest`` / ``detente events`` commands) end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from detente import api
from detente.cli import app
from detente.errors import DetenteError
from detente.ingest import read_paths
from detente.records import Actor, Article, CodedArticle, Event, Failure, Place, Sentence, Span, stable_id
from detente.settings import Settings
from detente.store import EVENT_COLUMNS, READ_COLUMNS, Store
from detente.store.duck import SCHEMA_VERSION

# ---------------------------------------------------------------------------- records built by hand
ACTORS = {
    "PRK": Actor("PRKGOV", "PRK", "GOV", "North Korea", "North Korea", 0, 11, "country"),
    "RUS": Actor("RUSGOV", "RUS", "GOV", "Russia", "Russia", 0, 6, "country"),
    "JPN": Actor("JPNGOV", "JPN", "GOV", "Japan", "Japan", 0, 5, "country"),
}


def event(event_id: str, src: str, tgt: str, cameo: str, cameo_name: str, sentence: str, when: str | None,
          doc_id: str, *, factuality: str = "asserted", article_date: str | None = None,
          trigger: str = "supplied", quad: int = 2, goldstein: float = 7.4) -> Event:
    start = max(sentence.find(trigger), 0)
    return Event(
        event_id=event_id, doc_id=doc_id, sentence_index=0, sentence=sentence, date=when,
        date_source="explicit" if when else "article" if article_date else "none",
        source=ACTORS[src], target=ACTORS[tgt], cameo=cameo, cameo_name=cameo_name, root=cameo[:2],
        quad=quad, goldstein=goldstein, plover=None, factuality=factuality,  # type: ignore[arg-type]
        trigger=Span(trigger, start, start + len(trigger)), rule="test_rule",
        place=Place("Vladivostok", "RUS", 43.12, 131.89) if src == "PRK" and cameo == "042" else None,
        article_date=article_date, cues=("reportedly",) if factuality == "hedged" else (),
    )


def coded(doc_id: str, text: str, events: tuple[Event, ...], when: date | None = None) -> CodedArticle:
    art = Article(id=doc_id, text=text, date=when, title=None, source="Example Wire", language="en",
                  origin=f"news.jsonl:{doc_id}")
    return CodedArticle(art, (Sentence(doc_id, 0, text, 0, len(text)),), events)


S_VISIT = "Kim Jong Un travelled to Vladivostok on 13 September 2023 to meet Vladimir Putin."
S_SUPPLY = "North Korea supplied artillery shells to Russia in October 2023, Seoul said."
S_TREATY = "Russia signed a comprehensive strategic partnership treaty with North Korea on 19 June 2024."
S_INTENT = "Russia plans to expand military cooperation with North Korea, the Kremlin said."
S_RUMOUR = "North Korea reportedly sent more shells to Russia."
S_CONDEMN = "Japan condemned North Korea's missile launch on 8 January 2024."

E_VISIT = event("ev-visit", "PRK", "RUS", "042", "Make a visit", S_VISIT, "2023-09-13", "doc-visit",
                trigger="travelled", quad=1, goldstein=1.9)
E_SUPPLY = event("ev-supply", "PRK", "RUS", "072", "Provide military aid", S_SUPPLY, "2023-10-15", "doc-supply")
E_TREATY = event("ev-treaty", "RUS", "PRK", "057", "Sign formal agreement", S_TREATY, "2024-06-19",
                 "doc-treaty", trigger="signed", quad=1, goldstein=8.0)
E_INTENT = event("ev-intent", "RUS", "PRK", "0312", "Express intent to cooperate militarily", S_INTENT, None,
                 "doc-intent", factuality="intent", article_date="2024-03-18", trigger="expand")
E_RUMOUR = event("ev-rumour", "PRK", "RUS", "072", "Provide military aid", S_RUMOUR, None, "doc-rumour",
                 factuality="hedged", trigger="sent")
E_CONDEMN = event("ev-condemn", "JPN", "PRK", "111", "Criticize or denounce", S_CONDEMN, "2024-01-08",
                  "doc-condemn", trigger="condemned", quad=3, goldstein=-2.0)

BATCH = [
    coded("doc-visit", S_VISIT, (E_VISIT,), date(2023, 9, 14)),
    coded("doc-supply", S_SUPPLY, (E_SUPPLY,)),
    coded("doc-treaty", S_TREATY, (E_TREATY,), date(2024, 6, 19)),
    coded("doc-intent", S_INTENT, (E_INTENT,), date(2024, 3, 18)),
    coded("doc-rumour", S_RUMOUR, (E_RUMOUR,)),
    coded("doc-condemn", S_CONDEMN, (E_CONDEMN,), date(2024, 1, 8)),
]
READ_FAILURES = [
    Failure("feed/empty.txt", "read", "E104", "feed/empty.txt: empty file; nothing to read."),
    Failure("feed/news.jsonl:7", "read", "E102", "feed/news.jsonl:7: not valid JSON (Expecting value); "
            "the other lines were read."),
]
DYAD_ORDER = ["ev-visit", "ev-supply", "ev-intent", "ev-treaty", "ev-rumour"]  # undated last


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("store") / "filled.duckdb"
    with Store(db) as store:
        assert store.write(BATCH, READ_FAILURES, "run-1") == (6, 6)
    return db


@pytest.fixture
def store(filled_db: Path) -> Iterator[Store]:
    with Store(filled_db, read_only=True) as s:
        yield s


def ids(df: pd.DataFrame) -> list[str]:
    return list(df["event_id"])


# ---------------------------------------------------------------------------- schema and writes
def test_migrate_creates_tables_and_schema_version(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"articles", "events", "failures", "runs", "schema_version"} <= tables
        assert store.con.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        assert {"mentions", "article_bands"} <= tables
        assert SCHEMA_VERSION == 3
        cols = [r[0] for r in store.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
            "ORDER BY ordinal_position").fetchall()]
        assert cols[:len(EVENT_COLUMNS)] == EVENT_COLUMNS
        assert {"num_mentions", "num_articles", "first_seen", "last_seen"} <= set(cols)
        assert store.counts() == {"articles": 0, "events": 0, "mentions": 0, "failures": 0, "runs": 0}
    with Store(tmp_db) as store:  # reopening migrates nothing twice
        assert store.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall() == [(1,), (2,), (3,)]


def test_write_is_idempotent(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        assert store.write(BATCH, READ_FAILURES, "run-1") == (6, 6)
        first = store.counts()
        assert first == {"articles": 6, "events": 6, "mentions": 6, "failures": 2, "runs": 0}
        assert store.write(BATCH, READ_FAILURES, "run-2") == (0, 0)
        assert store.counts() == first
        # a batch mixing known and new articles adds only the new one
        extra = coded("doc-extra", "Seoul said Pyongyang shipped more shells to Moscow in November 2023.", (
            event("ev-extra", "PRK", "RUS", "072", "Provide military aid", S_SUPPLY, "2023-11-01", "doc-extra"),))
        assert store.write([*BATCH[:2], extra], [], "run-3") == (1, 1)
        assert store.counts()["events"] == 7


def test_write_counts_a_repeated_article_once(tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        assert store.write([BATCH[1], BATCH[1]], [], "run-1") == (1, 1)
        assert store.counts()["articles"] == 1


def test_articles_are_stored_with_their_fields(filled_db: Path) -> None:
    with Store(filled_db, read_only=True) as store:
        row = store.con.execute(
            "SELECT id, date, source, language, origin, content_hash, n_sentences, n_events, text, run_id "
            "FROM articles WHERE id = 'doc-visit'").fetchall()
    assert row == [("doc-visit", date(2023, 9, 14), "Example Wire", "en", "news.jsonl:doc-visit",
                    stable_id(S_VISIT, length=40), 1, 1, S_VISIT, "run-1")]


def test_known_articles(store: Store) -> None:
    assert store.known_articles(["doc-visit", "doc-nope", "doc-treaty"]) == {"doc-visit", "doc-treaty"}
    assert store.known_articles([]) == set()


def test_failures_are_stored_once(store: Store) -> None:
    df = store.failures()
    assert sorted(zip(df["code"], df["item"], strict=True)) == [("E102", "feed/news.jsonl:7"),
                                                                 ("E104", "feed/empty.txt")]
    assert set(df["stage"]) == {"read"}
    assert all(df["message"].str.len() > 20)


def test_failures_inside_coded_articles_are_stored(tmp_db: Path) -> None:
    art = coded("doc-bad", S_SUPPLY, ())
    art = CodedArticle(art.article, art.sentences, (), (Failure("doc-bad", "code", "E202", "doc-bad: coding "
                                                                "failed in sentence 0 (boom); the other sentences were coded."),))
    with Store(tmp_db) as store:
        assert store.write([art], [], "run-1") == (1, 0)
        assert list(store.failures()["code"]) == ["E202"]


def test_a_failing_batch_leaves_nothing_behind(tmp_db: Path) -> None:
    bad = event("ev-bad", "PRK", "RUS", "072", "Provide military aid", S_SUPPLY, "2023-13-45", "doc-bad")
    with Store(tmp_db) as store:
        with pytest.raises(duckdb.Error):
            store.write([BATCH[0], coded("doc-bad", S_SUPPLY, (bad,))], READ_FAILURES, "run-1")
        assert store.counts() == {"articles": 0, "events": 0, "mentions": 0, "failures": 0, "runs": 0}
        assert store.write(BATCH[:1], [], "run-2") == (1, 1)  # the connection is still usable


# ---------------------------------------------------------------------------- reads
def test_events_frame_columns_and_types(store: Store) -> None:
    df = store.events()
    assert list(df.columns) == READ_COLUMNS
    assert len(df) == 6
    visit = df[df["event_id"] == "ev-visit"].iloc[0]
    assert pd.Timestamp(visit["date"]).date() == date(2023, 9, 13)
    assert (visit["source_code"], visit["target_code"], visit["cameo"]) == ("PRKGOV", "RUSGOV", "042")
    assert visit["place_name"] == "Vladivostok" and visit["place_country"] == "RUS"
    assert visit["sentence"][visit["trigger_start"]:visit["trigger_end"]] == "travelled"
    assert df[df["event_id"] == "ev-rumour"].iloc[0]["cues"] == "reportedly"


def test_dyad_returns_both_directions_ordered_by_date(store: Store) -> None:
    df = store.events(dyad=("PRK", "RUS"))
    assert ids(df) == DYAD_ORDER
    assert set(zip(df["source_country"], df["target_country"], strict=True)) == {("PRK", "RUS"), ("RUS", "PRK")}
    assert ids(store.events(dyad=("rus", "prk"))) == DYAD_ORDER


@pytest.mark.parametrize(("filters", "expected"), [
    ({"source": "PRK"}, ["ev-visit", "ev-supply", "ev-rumour"]),
    ({"source": "prk"}, ["ev-visit", "ev-supply", "ev-rumour"]),
    ({"target": "PRK"}, ["ev-condemn", "ev-intent", "ev-treaty"]),
    ({"source": "JPN", "target": "PRK"}, ["ev-condemn"]),
    ({"since": date(2024, 1, 8)}, ["ev-condemn", "ev-intent", "ev-treaty"]),  # inclusive
    ({"until": date(2023, 10, 15)}, ["ev-visit", "ev-supply"]),  # inclusive
    ({"since": date(2024, 3, 1), "until": date(2024, 3, 31)}, ["ev-intent"]),  # by its article date
    ({"factuality": "hedged"}, ["ev-rumour"]),
    ({"factuality": "intent"}, ["ev-intent"]),
    ({"root": "7"}, ["ev-supply", "ev-rumour"]),
    ({"dyad": ("PRK", "RUS"), "factuality": "asserted"}, ["ev-visit", "ev-supply", "ev-treaty"]),
    ({"limit": 2}, ["ev-visit", "ev-supply"]),
    ({"source": "USA"}, []),
])
def test_event_filters(store: Store, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(store.events(**filters)) == expected  # type: ignore[arg-type]


INJECTIONS = ["PRK' OR 1=1 --", "PRK'; DROP TABLE events; --", "' OR ''='", "PRK\" OR \"1\"=\"1"]


@pytest.mark.parametrize("bad", INJECTIONS)
@pytest.mark.parametrize("field", ["source", "target", "factuality", "root", "dyad"])
def test_injection_string_as_filter_matches_nothing(store: Store, field: str, bad: str) -> None:
    value: object = (bad, "RUS") if field == "dyad" else bad
    df = store.events(**{field: value})  # type: ignore[arg-type]
    assert df.empty
    assert list(df.columns) == READ_COLUMNS
    assert store.counts()["events"] == 6


# ---------------------------------------------------------------------------- read-only and locking
def test_read_only_store_can_read_but_not_write(filled_db: Path) -> None:
    with api.open(filled_db) as store:  # read-only by default
        assert ids(store.events(dyad=("PRK", "RUS"))) == DYAD_ORDER
        assert store.counts()["articles"] == 6
        with pytest.raises(duckdb.Error):
            store.write([coded("doc-new", S_SUPPLY, ())], [], "run-x")
    with Store(filled_db, read_only=True) as store:
        assert store.counts()["articles"] == 6


def test_read_only_store_on_missing_file_is_a_detente_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(DetenteError, match="Path not found"):
        Store(missing, read_only=True)
    assert not missing.exists()


HOLD_LOCK = ("import sys\n"  # what a running ingest holds between two batches
             "from detente.store import Store\n"
             "store = Store(sys.argv[1])\n"
             "print('locked', flush=True)\n"
             "sys.stdin.read()\n")


@pytest.fixture
def locked_db(tmp_db: Path) -> Iterator[Path]:
    """A store held by an ingest in another process for the duration of the test."""
    Store(tmp_db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "locked":
            pytest.skip("could not hold a DuckDB lock in a child process")
        yield tmp_db
    finally:
        try:
            holder.communicate(input="", timeout=30)
        except subprocess.TimeoutExpired:
            holder.kill()
            holder.communicate()


def test_second_writer_in_another_process_gets_locked_error(locked_db: Path) -> None:
    with pytest.raises(DetenteError, match="locked by another ingest"):
        Store(locked_db)


def test_read_only_reader_works_while_another_process_writes(locked_db: Path) -> None:
    with Store(locked_db, read_only=True) as store:
        assert store.counts()["articles"] == 0


# ---------------------------------------------------------------------------- api.ingest end to end
SETTINGS = Settings.load(env={})  # hermetic, and one cached pipeline for every test here


@pytest.fixture(scope="module")
def ingested(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("ingest") / "examples.duckdb"
    first = api.ingest([examples_dir], db=db, settings=SETTINGS)
    with Store(db, read_only=True) as s:
        counts_after_first = s.counts()
    second = api.ingest([examples_dir], db=db, settings=SETTINGS)
    with Store(db, read_only=True) as s:
        counts_after_second = s.counts()
    return {"db": db, "first": first, "second": second, "counts1": counts_after_first,
            "counts2": counts_after_second}


def test_ingest_examples(ingested: dict[str, object]) -> None:
    first = ingested["first"]
    assert isinstance(first, api.IngestSummary)
    assert (first.articles, first.skipped, first.failures) == (2, 0, 0)
    assert first.sentences > 20
    counts = ingested["counts1"]
    assert counts == {"articles": 2, "events": first.events, "mentions": counts["mentions"],  # type: ignore[index]
                      "failures": 0, "runs": 1}
    assert counts["mentions"] >= first.events  # type: ignore[index,operator]
    with Store(ingested["db"], read_only=True) as s:  # type: ignore[arg-type]
        dates = dict(s.con.execute("SELECT origin, date FROM articles").fetchall())
    assert {Path(o).name: d for o, d in dates.items()} == {"000_19b63bd54c989478.txt": date(2023, 11, 7),
                                                           "002_dffcad3ee24ec54d.txt": None}


def test_ingesting_twice_adds_nothing(ingested: dict[str, object]) -> None:
    second = ingested["second"]
    assert isinstance(second, api.IngestSummary)
    assert (second.articles, second.skipped, second.events, second.sentences) == (0, 2, 0, 0)
    c1, c2 = ingested["counts1"], ingested["counts2"]
    assert isinstance(c1, dict) and isinstance(c2, dict)
    assert {k: c2[k] for k in ("articles", "events", "failures")} == {k: c1[k] for k in ("articles", "events",
                                                                                         "failures")}
    assert c2["runs"] == 2


def test_ingest_folder_with_bad_files_stores_their_failures(examples_dir: Path, tmp_path: Path,
                                                            tmp_db: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a_good.txt").write_text((examples_dir / "002_dffcad3ee24ec54d.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (feed / "b_empty.txt").write_bytes(b"")
    (feed / "c_binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)))
    summary = api.ingest([feed], db=tmp_db, settings=SETTINGS)
    assert (summary.articles, summary.failures) == (1, 2)
    assert len(summary.failure_messages) == 2
    with Store(tmp_db, read_only=True) as store:
        assert store.counts()["articles"] == 1
        df = store.failures()
    assert sorted(zip(df["code"], df["item"], strict=True)) == [("E104", str(feed / "b_empty.txt")),
                                                                 ("E105", str(feed / "c_binary.txt"))]


def test_ingest_accepts_articles_and_failures(tmp_db: Path) -> None:
    items: list[Article | Failure] = [Article(id="kcna-1", text=S_TREATY, date=date(2024, 6, 19)),
                                      READ_FAILURES[0]]
    summary = api.ingest(items, db=tmp_db, settings=SETTINGS)
    assert (summary.articles, summary.failures) == (1, 1)


def test_ingest_accepts_a_reader_generator(examples_dir: Path, tmp_db: Path) -> None:
    summary = api.ingest(read_paths([examples_dir]), db=tmp_db, settings=SETTINGS)
    assert summary.articles == 2


# ---------------------------------------------------------------------------- CLI end to end
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _no_detente_env() -> Iterator[None]:
    """The CLI reads DETENTE_* from the environment; these tests must not see the caller's."""
    with pytest.MonkeyPatch.context() as mp:
        for key in [k for k in os.environ if k.startswith("DETENTE_")]:
            mp.delenv(key)
        yield


@pytest.fixture(scope="module")
def cli_db(examples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    result = runner.invoke(app, ["ingest", str(examples_dir), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db, result.stdout


def test_cli_ingest_prints_the_summary_line(cli_db: tuple[Path, str]) -> None:
    db, out = cli_db
    line = out.splitlines()[0]
    assert line.startswith("articles 2 new, 0 already stored")
    assert "failures 0" in line
    assert "articles/s" in line
    assert str(db) in line


def test_cli_events_json(cli_db: tuple[Path, str]) -> None:
    db, _ = cli_db
    result = runner.invoke(app, ["events", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    with Store(db, read_only=True) as store:
        assert len(rows) == store.counts()["events"]
    for r in rows:
        assert {"event_id", "source_country", "target_country", "cameo", "sentence", "factuality"} <= set(r)


def test_cli_events_json_dates_are_iso_or_null(filled_db: Path) -> None:
    result = runner.invoke(app, ["events", "--db", str(filled_db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["event_id"]: r for r in json.loads(result.stdout)}
    assert rows["ev-visit"]["date"] == "2023-09-13"
    assert rows["ev-intent"]["article_date"] == "2024-03-18"
    assert rows["ev-rumour"]["date"] is None  # undated: null, not "NaT"
    assert rows["ev-rumour"]["article_date"] is None


def test_cli_events_dyad_json_is_only_the_pair(cli_db: tuple[Path, str]) -> None:
    db, _ = cli_db
    result = runner.invoke(app, ["events", "--db", str(db), "--dyad", "PRK,RUS", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all({r["source_country"], r["target_country"]} == {"PRK", "RUS"} for r in rows)


def test_cli_events_bad_date_is_a_detente_error(cli_db: tuple[Path, str]) -> None:
    db, _ = cli_db
    result = runner.invoke(app, ["events", "--db", str(db), "--since", "notadate"])
    assert result.exit_code != 0
    assert isinstance(result.exception, DetenteError)
    assert "YYYY-MM-DD" in str(result.exception) and "notadate" in str(result.exception)


def detente_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "detente"
    if not exe.exists():
        pytest.skip("the detente console script is not installed next to this Python")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)


def test_cli_main_turns_bad_date_into_one_line_and_exit_2(cli_db: tuple[Path, str]) -> None:
    db, _ = cli_db
    proc = detente_cli("events", "--db", str(db), "--since", "notadate")
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "YYYY-MM-DD" in lines[0] and "Traceback" not in proc.stderr


def test_cli_long_error_stays_on_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "a-rather-long-folder-name-for-the-store" / "missing.duckdb"
    proc = detente_cli("events", "--db", str(missing))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------- event, mentions, articles
def test_event_with_its_mentions(store: Store) -> None:
    ev = store.event("ev-visit")
    assert ev is not None
    assert (ev["source_code"], ev["target_code"], ev["cameo"], ev["num_mentions"], ev["num_articles"]) == \
        ("PRKGOV", "RUSGOV", "042", 1, 1)
    assert "event_key" not in ev and "seq" not in ev
    [m] = ev["mentions"]
    assert (m["doc_id"], m["sentence"], m["trigger_text"], m["rule"]) == ("doc-visit", S_VISIT, "travelled",
                                                                          "test_rule")
    assert m["sentence"][m["source_start"]:m["source_end"]] == S_VISIT[0:11]
    assert store.event("no-such-event") is None
    assert store.event("ev-visit' OR '1'='1") is None


def test_mentions_by_event_and_by_article(store: Store) -> None:
    assert store.mentions(doc_id="doc-supply")["event_id"].tolist() == ["ev-supply"]
    assert store.mentions(event_id="ev-condemn")["doc_id"].tolist() == ["doc-condemn"]
    assert store.mentions(event_id="ev-condemn", doc_id="doc-supply").empty
    assert len(store.mentions()) == 6


def test_articles_in_the_order_they_were_stored(store: Store) -> None:
    df = store.articles()
    assert df["id"].tolist() == [c.article.id for c in BATCH]
    assert df["duplicate_of"].isna().all()
    assert "text" not in df.columns
    assert store.articles(duplicates=False)["id"].tolist() == df["id"].tolist()
