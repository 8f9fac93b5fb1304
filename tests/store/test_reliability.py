"""The store under real conditions: a v1 file upgraded, the same content whatever the batch size, two
processes (a second ingest refused, readers served between batches) and an ingest killed with SIGKILL
then run again."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from detente import api
from detente.errors import DetenteError
from detente.records import CodedArticle
from detente.settings import Settings
from detente.store import Store
from detente.store.duck import MIGRATIONS, SCHEMA_VERSION

SETTINGS = Settings.load(env={})

#: columns that say when or in which run a row was written; everything else must be reproducible
VOLATILE = {"run_id", "ingested_at", "first_seen", "last_seen", "seen_at", "failed_at"}
TABLES = ("articles", "events", "mentions", "article_bands", "failures")


def store_content(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows without their volatile columns, sorted: two stores are 'identical' when equal."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with Store(db, read_only=True) as s:
        for table in TABLES:
            cols = [r[0] for r in s.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall() if r[0] not in VOLATILE]
            rows = s.con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("DETENTE_")}


def gold_texts(shared_dir: Path) -> list[dict[str, Any]]:
    path = shared_dir / "data" / "gold" / "dev_cases.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def short_articles(cases: list[dict[str, Any]], n: int, seed: int = 7) -> list[dict[str, Any]]:
    """n articles of 1-3 gold sentences each (so many share sentences: near-duplicates and repeated
    events across articles are part of the load), dated by their first sentence."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        picks = rng.sample(cases, rng.randint(1, 3))
        out.append({"id": f"short-{i:04d}", "date": picks[0].get("date"),
                    "text": " ".join(p["text"] for p in picks)})
    return out


def lightly_edited(text: str) -> str:
    paras = [p for p in text.split("\n\n") if p.strip()]
    out = "\n\n".join(paras[:-1]).replace("significant", "considerable").replace("Furthermore", "Moreover")
    return re.sub(r"\bKim Jong Un\b", "Kim Jong-un", out)


# ---------------------------------------------------------------------------- v1 files
def v1_store(db: Path) -> None:
    """A store as the foundation (schema v1) wrote it: two articles, three events, no mentions table."""
    con = duckdb.connect(str(db))
    for stmt in MIGRATIONS[1]:
        con.execute(stmt)
    con.execute("CREATE TABLE schema_version (version INTEGER)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    when = datetime(2024, 6, 20, 8, 0)
    for doc, text in [("old-a", "Russia signed a treaty with North Korea on 19 June 2024."),
                      ("old-b", "Japan condemned North Korea's missile launch on 8 January 2024.")]:
        con.execute("INSERT INTO articles (id, text, run_id, ingested_at, n_sentences, n_events) "
                    "VALUES (?, ?, 'run-v1', ?, 1, 1)", [doc, text, when])
    rows = [("ev-old-1", "old-a", "Russia signed a treaty with North Korea on 19 June 2024.", date(2024, 6, 19),
             "RUS", "RUS", "PRK", "PRK", "057", "05", "signed"),
            ("ev-old-2", "old-a", "Russia signed a treaty with North Korea on 19 June 2024.", date(2024, 6, 19),
             "PRK", "PRK", "RUS", "RUS", "057", "05", "signed"),
            ("ev-old-3", "old-b", "Japan condemned North Korea's missile launch on 8 January 2024.",
             date(2024, 1, 8), "JPN", "JPN", "PRK", "PRK", "111", "11", "condemned")]
    for eid, doc, sent, day, sc, sco, tc, tco, cameo, root, trig in rows:
        con.execute("INSERT INTO events (event_id, doc_id, sentence_index, sentence, date, date_source, "
                    "source_code, source_country, target_code, target_country, cameo, root, quad, factuality, "
                    "trigger_text, trigger_start, trigger_end, rule, cues, run_id) "
                    "VALUES (?, ?, 0, ?, ?, 'explicit', ?, ?, ?, ?, ?, ?, 1, 'asserted', ?, ?, ?, 'r', '', 'run-v1')",
                    [eid, doc, sent, day, sc, sco, tc, tco, cameo, root, trig, sent.find(trig),
                     sent.find(trig) + len(trig)])
    con.close()


def test_a_v1_store_is_upgraded_in_place(tmp_db: Path) -> None:
    v1_store(tmp_db)
    with Store(tmp_db) as store:
        assert [r[0] for r in store.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == \
            list(range(1, SCHEMA_VERSION + 1))
        assert store.counts() == {"articles": 2, "events": 3, "mentions": 3, "failures": 0, "runs": 0}
        events = store.events()
        assert set(events["num_mentions"]) == {1} and set(events["num_articles"]) == {1}
        assert events["first_seen"].notna().all()
        ev = store.event("ev-old-1")
        assert ev is not None and [m["doc_id"] for m in ev["mentions"]] == ["old-a"]
        assert ev["mentions"][0]["sentence"].startswith("Russia signed a treaty")
        assert store.articles()["id"].tolist() == ["old-a", "old-b"]
    # a new report of an old event joins it (the upgrade computed the old events' identity keys)
    summary = api.ingest(list(api.as_articles([{
        "id": "new-c", "date": "2024-06-20",
        "text": "Russia signed a treaty with North Korea on 19 June 2024, officials in Seoul confirmed."}])),
        db=tmp_db, settings=SETTINGS)
    assert summary.articles == 1
    with Store(tmp_db, read_only=True) as store:
        treaty = store.events(source="RUS", target="PRK")
        assert treaty["event_id"].tolist() == ["ev-old-1"]
        assert (treaty.iloc[0]["num_mentions"], treaty.iloc[0]["num_articles"]) == (2, 2)


def test_a_reader_upgrades_a_v1_store_before_reading(tmp_db: Path) -> None:
    v1_store(tmp_db)
    with Store(tmp_db, read_only=True) as store:
        assert len(store.events()) == 3
        assert store.mentions(doc_id="old-b")["event_id"].tolist() == ["ev-old-3"]


# ---------------------------------------------------------------------------- determinism
@pytest.fixture(scope="module")
def coded_mix(examples_dir: Path, shared_dir: Path) -> list[CodedArticle]:
    """The examples, edited copies of them (near-duplicates), and short articles made of gold sentences
    (which repeat sentences across articles), coded once."""
    docs: list[dict[str, Any]] = []
    for p in sorted(examples_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        docs.append({"id": p.stem, "text": text})
        docs.append({"id": p.stem + "-syndicated", "text": lightly_edited(text)})
    docs += short_articles(gold_texts(shared_dir), 40, seed=3)
    docs.insert(3, docs[2])  # the same article twice in a row
    return api.pipeline(SETTINGS)(list(api.as_articles(docs)))


@pytest.mark.parametrize("batch_size", [1, 7])
def test_store_content_does_not_depend_on_batch_size(coded_mix: list[CodedArticle], tmp_path: Path,
                                                     batch_size: int) -> None:
    whole, cut = tmp_path / "whole.duckdb", tmp_path / "cut.duckdb"
    with Store(whole) as store:
        store.write(coded_mix, [], "run-whole")
    with Store(cut) as store:
        for i in range(0, len(coded_mix), batch_size):
            store.write(coded_mix[i:i + batch_size], [], f"run-{i}")
    content = store_content(whole)
    assert content == store_content(cut)
    with Store(cut, read_only=True) as s:  # counts kept up batch by batch equal a recount of the mentions
        off = s.con.execute("""
            SELECT count(*) FROM events e LEFT JOIN (SELECT event_id, count(*) AS n, count(DISTINCT doc_id) AS a
                                                     FROM mentions GROUP BY event_id) c USING (event_id)
            WHERE e.num_mentions IS DISTINCT FROM c.n OR e.num_articles IS DISTINCT FROM c.a""").fetchone()
        assert off == (0,)
    # the mix really exercises the rules: duplicates marked, events reported more than once
    with Store(whole, read_only=True) as s:
        dups = s.articles().dropna(subset=["duplicate_of"])
        assert {"000_19b63bd54c989478-syndicated", "002_dffcad3ee24ec54d-syndicated"} <= set(dups["id"])
        assert (s.events()["num_articles"] > 1).sum() >= 5
        assert len(content["articles"]) == len(coded_mix) - 1


def test_writing_the_same_batch_again_changes_nothing(coded_mix: list[CodedArticle], tmp_db: Path) -> None:
    with Store(tmp_db) as store:
        store.write(coded_mix, [], "run-1")
    before = store_content(tmp_db)
    with Store(tmp_db) as store:
        assert store.write(coded_mix, [], "run-2") == (0, 0)
    assert store_content(tmp_db) == before


# ---------------------------------------------------------------------------- two processes
HOLD_WRITER = ("import sys\n"
               "from detente.store import Store\n"
               "s = Store(sys.argv[1])\n"
               "print('holding', flush=True)\n"
               "sys.stdin.read()\n"
               "s.close()\n")


@pytest.fixture
def ingest_holder(tmp_db: Path) -> Iterator[tuple[Path, int]]:
    """Another process holding the store as an ingest does between two batches."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(tmp_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline().strip()
        assert line == "holding", holder.stderr.read() if holder.stderr else line
        yield tmp_db, holder.pid
    finally:
        holder.communicate(input="", timeout=30)


def test_a_second_ingest_is_refused_with_the_holders_pid(ingest_holder: tuple[Path, int]) -> None:
    db, pid = ingest_holder
    t0 = time.monotonic()
    with pytest.raises(DetenteError, match=rf"locked by another ingest \(pid {pid}\)"):
        Store(db)
    assert time.monotonic() - t0 < 1.0, "a second writer is refused at once, not after a wait"
    with pytest.raises(DetenteError, match="locked by another ingest"):
        api.ingest(list(api.as_articles(["Japan condemned North Korea's missile launch."])), db=db,
                   settings=SETTINGS)


def test_the_ingest_lock_dies_with_its_process(tmp_db: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(tmp_db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=clean_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Store(tmp_db) as store:  # the stale lock file names a dead pid; the kernel released its lock
        assert store.counts()["articles"] == 0


def test_a_duckdb_lock_that_outlasts_the_wait_is_E306(tmp_db: Path) -> None:
    Store(tmp_db).close()
    hold = "import sys, duckdb\ncon = duckdb.connect(sys.argv[1])\nprint('locked', flush=True)\nsys.stdin.read()\n"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(tmp_db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        for read_only in (False, True):
            t0 = time.monotonic()
            with pytest.raises(DetenteError, match="locked by another process"):
                Store(tmp_db, read_only=read_only, wait=0.5)
            assert 0.4 < time.monotonic() - t0 < 5
    finally:
        holder.communicate(input="", timeout=30)


READ_COUNTS = ("import sys\n"
               "from detente.store import Store\n"
               "with Store(sys.argv[1], read_only=True, wait=float(sys.argv[2])) as s:\n"
               "    print(s.counts()['runs'])\n")


def read_counts(db: Path, wait: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", READ_COUNTS, str(db), str(wait)], capture_output=True,
                          text=True, env=clean_env(), timeout=120)


def test_a_writer_keeps_duckdb_open_until_a_reader_knocks(tmp_db: Path) -> None:
    writer = Store(tmp_db)
    try:
        writer.write([], [], "run-1")
        assert writer._con is not None, "no reader waiting: the writer keeps DuckDB open across batches"
        locked_out = read_counts(tmp_db, 0.3)
        assert locked_out.returncode != 0 and "locked by another process" in locked_out.stderr
        assert writer.knock_path.exists(), "a reader locked out leaves a knock"
        writer.write([], [], "run-2")  # the next batch ends by letting the reader in
        assert writer._con is None and not writer.knock_path.exists()
        let_in = read_counts(tmp_db, 5)
        assert let_in.returncode == 0, let_in.stderr
        writer.write([], [], "run-3")  # and the writer reopens DuckDB for the batch after
        assert writer._con is not None
    finally:
        writer.close()
    assert not writer.knock_path.exists()


# ---------------------------------------------------------------------------- SIGKILL part-way
INGEST = "import sys, detente\ndetente.ingest([sys.argv[1]], db=sys.argv[2])\n"
LIMIT = 600  # seconds; about 60 in all on an idle 2-core machine, far more when it is shared


def start_ingest(corpus: Path, db: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as err:  # a file, not a pipe: a chatty child must never block on a full pipe
        return subprocess.Popen([sys.executable, "-c", INGEST, str(corpus), str(db)], env=clean_env(),
                                stdout=subprocess.DEVNULL, stderr=err)


def test_an_ingest_killed_part_way_then_rerun_equals_one_clean_run(shared_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    docs = short_articles(gold_texts(shared_dir), 2000)
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    clean_db, crash_db, log = tmp_path / "clean.duckdb", tmp_path / "crash.duckdb", tmp_path / "stderr.log"
    t0 = time.monotonic()
    procs = [start_ingest(corpus, clean_db, log),  # the reference run, side by side with the crashing one
             start_ingest(corpus, crash_db, log)]
    clean, crashing = procs
    stored = reads = 0
    try:
        while crashing.poll() is None and time.monotonic() - t0 < LIMIT:
            if crash_db.exists():
                try:  # a reader between two batches of the running ingest
                    with Store(crash_db, read_only=True) as s:
                        stored = s.counts()["articles"]
                    reads += 1
                except DetenteError as exc:  # still creating the schema
                    assert "locked" in str(exc)
            if stored >= 300:
                crashing.send_signal(signal.SIGKILL)
                break
            time.sleep(0.5)
        crashing.wait(timeout=30)
        assert crashing.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
        killed_at = time.monotonic() - t0
        with Store(crash_db, read_only=True) as s:
            after_kill = s.counts()
        assert 300 <= after_kill["articles"] < len(docs)
        assert after_kill["runs"] == 0
        procs.append(rerun := start_ingest(corpus, crash_db, log))
        assert rerun.wait(timeout=LIMIT) == 0, log.read_text(errors="replace")[-2000:]
        assert clean.wait(timeout=LIMIT) == 0, log.read_text(errors="replace")[-2000:]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    print(f"\ncrash test: killed at {killed_at:.1f}s with {after_kill['articles']} articles stored "
          f"after {reads} reads; both stores complete at {time.monotonic() - t0:.1f}s")
    reference, recovered = store_content(clean_db), store_content(crash_db)
    assert len(reference["articles"]) == len(docs)
    assert len(reference["mentions"]) > 1000 and len(reference["events"]) > 300
    assert recovered == reference
    with Store(crash_db, read_only=True) as s:
        assert s.counts()["runs"] == 1  # the killed run never recorded itself
