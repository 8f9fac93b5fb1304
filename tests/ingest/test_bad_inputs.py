"""The bad-input corpus, end to end through ``detente ingest`` into a fresh store: every bad item is a
Failure with a clear reason (or, when it is valid but odd, is stored safely), the rest is ingested,
nothing crashes, and memory stays bounded. Plus property tests: any bytes in, Article or Failure out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from detente.cli import app
from detente.ingest import WebReader
from detente.ingest.readers import read_file
from detente.records import Article, Failure
from detente.settings import Settings
from detente.store import Store

if TYPE_CHECKING:
    from conftest import Site  # tests/ingest/conftest.py: the local site fixture

LAUNCH = ("Japan condemned North Korea's launch of a ballistic missile on Monday, calling it a grave threat "
          "to the peace and security of the region.")
SUPPLY = ("North Korea has supplied millions of artillery shells to Russia for use in Ukraine, "
          "South Korea's defence minister said on Tuesday.")
INJECT_ID = "x'); DROP TABLE articles; --"
INJECT_TEXT = ("<script>alert('x')</script> Robert'); DROP TABLE events;-- \" OR 1=1; -- "
               + SUPPLY)
INJECT_TITLE = "<img src=x onerror=alert(1)> ' OR ''='"


def corpus(root: Path) -> dict[str, Path]:
    """Write the bad (and the valid-but-odd) items; return them by name."""
    root.mkdir()
    files: dict[str, bytes | str] = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "binary.txt": bytes(range(256)) * 20,
        "invalid_utf8.txt": b"\xc3\x28 \xa0\xa1 \xff\xfe" * 200,
        "latin1.txt": ("Caf\xe9 talks: " + LAUNCH).encode("latin-1"),
        "control_chars.txt": "\x01\x02Seoul\x07 \x1b[31m" + LAUNCH + "\x00\x7f",
        "long_sentence.txt": " ".join(["word"] * 5000) + ".\n\n" + LAUNCH,
        "old_date.txt": "date 0001-01-01\n" + LAUNCH,
        "malformed.jsonl": "\n".join([
            json.dumps({"id": "good-1", "text": SUPPLY, "date": "2024-02-27"}),
            '{"id": "bad-1", "text": "unterminated',
            "[1, 2, 3]",
            json.dumps({"id": "no-text"}),
            json.dumps({"id": "empty-text", "text": "   "}),
            json.dumps({"id": "far-past", "text": LAUNCH, "date": "0001-01-01"}),
            json.dumps({"id": "far-future", "text": LAUNCH, "date": "9999-12-31"}),
            json.dumps({"id": INJECT_ID, "text": INJECT_TEXT, "title": INJECT_TITLE, "source": "'; --"}),
            "\x00\x01garbage",
        ]) + "\n",
        "columns.csv": "id,text,date\n"
                       f'csv-good,"{LAUNCH}",2024-01-08\n'
                       "csv-short,only two\n"
                       f'csv-long,"{SUPPLY}",2024-02-27,extra,more\n',
        "no_text_column.csv": "id,body\n1,hello\n",
        "broken.html": "<html><head><title>Broken</title><body><div><p>" + LAUNCH + " <table><tr><td>"
                       + SUPPLY + " <b>unclosed <i>tags &bogus; <p>" + SUPPLY + "</div",
        # an unclosed <title> holds the rest of the page, as in a browser: no body text
        "title_unclosed.html": "<html><head><title>Broken</head><body><p>" + LAUNCH + "</p>",
        "script_only.html": "<html><body><script>var x = 1;</script></body></html>",
        "unknown.pdf": b"%PDF-1.4\n",
    }
    paths = {}
    for name, content in files.items():
        path = root / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths[name] = path
    return paths


def failures_by_item(db: Path) -> dict[str, list[tuple[str, str]]]:
    with Store(db, read_only=True) as store:
        rows = store.con.execute("SELECT item, code, message FROM failures").fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for item, code, message in rows:
        out.setdefault(item, []).append((code, message))
    return out


def test_bad_input_corpus_end_to_end(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_FETCH_DELAY", "0")
    monkeypatch.setenv("DETENTE_FETCH_BACKOFF", "0.01")
    monkeypatch.setenv("DETENTE_FETCH_TIMEOUT", "0.5")
    monkeypatch.setenv("DETENTE_FETCH_RETRIES", "1")
    root = tmp_path / "bad"
    corpus(root)
    db = tmp_path / "bad.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(root), site.base + "/broken.xml", site.base + "/slow.html",
                                      site.base + "/error.html", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0 and result.exception is None, result.output
    summary = json.loads(result.output.splitlines()[0])

    # 1. every bad item is a failure with its reason
    fails = failures_by_item(db)
    expect = {
        str(root / "empty.txt"): "E104", str(root / "blank.txt"): "E104", str(root / "binary.txt"): "E105",
        str(root / "invalid_utf8.txt"): "E101", str(root / "no_text_column.csv"): "E106",
        str(root / "malformed.jsonl:2"): "E102", str(root / "malformed.jsonl:3"): "E112",
        str(root / "malformed.jsonl:4"): "E103", str(root / "malformed.jsonl:5"): "E103",
        str(root / "malformed.jsonl:9"): "E102", "far-past": "E110", "far-future": "E110",
        str(root / "columns.csv:3"): "E106", str(root / "columns.csv:4"): "E106",
        str(root / "script_only.html"): "E107", str(root / "title_unclosed.html"): "E107",
        site.base + "/broken.xml": "E123", site.base + "/slow.html": "E121", site.base + "/error.html": "E122",
    }
    for item, code in expect.items():
        assert item in fails, f"no failure recorded for {item}: {sorted(fails)}"
        assert code in [c for c, _ in fails[item]], fails[item]
    assert not any("unknown.pdf" in item for item in fails)  # a folder walk skips unknown suffixes
    for entries in fails.values():
        for code, message in entries:
            assert code.startswith("E1") and len(message) > 20 and "Traceback" not in message
    assert "0001-01-01" in fails["far-past"][0][1]
    assert "5 fields where the header has 3" in fails[str(root / "columns.csv:4")][0][1]
    assert summary["failures"] == sum(len(v) for v in fails.values())

    # 2. the rest is ingested; odd items are stored safely
    with Store(db, read_only=True) as store:
        arts = {r[0]: r for r in store.con.execute("SELECT id, title, date, source, origin FROM articles").fetchall()}
        tables = {r[0] for r in store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        coded_docs = {r[0] for r in store.con.execute("SELECT doc_id FROM mentions").fetchall()}
    assert {"articles", "events", "failures", "mentions"} <= tables  # nothing dropped
    assert {"good-1", "csv-good", "far-past", "far-future", INJECT_ID} <= set(arts)
    assert arts[INJECT_ID][1] == INJECT_TITLE and arts[INJECT_ID][3] == "'; --"
    assert arts["far-past"][2] is None and arts["far-future"][2] is None  # kept without the impossible date
    by_origin = {r[4]: i for i, r in arts.items()}
    for name in ("latin1.txt", "control_chars.txt", "long_sentence.txt", "old_date.txt", "broken.html"):
        assert str(root / name) in by_origin, name
    # the valid sentences were coded, including the one after the 5,000-word sentence
    for doc in ("good-1", "csv-good", INJECT_ID, by_origin[str(root / "long_sentence.txt")],
                by_origin[str(root / "control_chars.txt")], by_origin[str(root / "broken.html")]):
        assert doc in coded_docs, doc
    assert summary["articles"] == len(arts)

    # 3. again: nothing new
    again = CliRunner().invoke(app, ["ingest", str(root), "--db", str(db), "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output.splitlines()[0])["articles"] == 0


def test_strict_exits_1_when_some_inputs_failed(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "s.duckdb"),
                                      "--strict"])
    assert result.exit_code == 1 and "E104" not in result.output and "empty file" in result.output


# ---------------------------------------------------------------------------- 50 MB, bounded memory
_PEAK = """
import resource, sys
from pathlib import Path
from detente import api
from detente.cli import main
from detente.settings import Settings
api.pipeline(Settings.load(db=Path(sys.argv[2])))  # the model and coder the CLI will use, loaded first
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sys.argv = ["detente", "ingest", sys.argv[1], "--db", sys.argv[2], "--format", "json"]
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
print("PEAK_KB", base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def test_50_mb_text_is_truncated_with_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    para = (LAUNCH + " " + SUPPLY + "\n") * 10 + "\n"
    with big.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50_000_000:
            fh.write(para * 100)
    size = big.stat().st_size
    db = tmp_path / "big.duckdb"
    env = {**os.environ, "DETENTE_MAX_CHARS": "5000"}  # code a little of it; reading is what is measured
    proc = subprocess.run([sys.executable, "-c", _PEAK, str(big), str(db)], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.splitlines()[0])
    base_kb, peak_kb = (int(x) for x in proc.stdout.split("PEAK_KB")[1].split()[:2])
    grew_mb = (peak_kb - base_kb) / 1024
    print(f"{size / 1e6:.0f} MB text: peak RSS {peak_kb / 1024:.0f} MB, {grew_mb:.0f} MB above the loaded model")
    assert summary["articles"] == 1 and summary["failures"] == 1 and summary["events"] >= 1
    assert "far more than max_chars" in proc.stdout  # E114
    with Store(db, read_only=True) as store:
        (origin,) = store.con.execute("SELECT origin FROM articles").fetchone() or ("",)
    assert origin == str(big)
    # reading the whole file holds it several times over (bytes, str, cleaned copies): +188 MB measured
    assert grew_mb < 100, f"RSS grew {grew_mb:.0f} MB reading a {size / 1e6:.0f} MB file"


# ---------------------------------------------------------------------------- properties
_SUFFIXES = [".txt", ".jsonl", ".json", ".csv", ".tsv", ".html", ".md"]
_BYTES = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"{", b"}", b'"text"', b":", b",", b"\n", b'"a b c"', b"date 2024-01-01",
                              b"<p>", b"</p>", b"text,id", b'"', b"\xff", b"\x00", b"Japan condemned Iran."]),
             max_size=40).map(b"".join),
)


def _check(items: list[Article | Failure]) -> None:
    for item in items:
        assert isinstance(item, (Article, Failure))
        if isinstance(item, Article):
            assert item.text.strip() and item.id
            for value in (item.id, item.text, item.title, item.url, item.source):
                if value is not None:
                    value.encode("utf-8")  # storable
        else:
            assert item.code.startswith("E1") and item.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_BYTES, suffix=st.sampled_from(_SUFFIXES))
def test_any_bytes_in_any_file_type_gives_articles_or_failures(raw: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"doc{suffix}"
        path.write_bytes(raw)
        _check(list(read_file(path, max_chars=500)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_BYTES, ctype=st.sampled_from(["text/html", "application/rss+xml", "application/atom+xml",
                                           "text/plain", "application/octet-stream", ""]))
def test_any_bytes_from_a_server_give_articles_or_failures(raw: bytes, ctype: str) -> None:
    def serve(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=raw, headers={"Content-Type": ctype} if ctype else {})

    fast = Settings(fetch_timeout=1, fetch_retries=0, fetch_delay=0.0, max_chars=500)
    with WebReader(fast, transport=httpx.MockTransport(serve)) as web:
        _check(list(web.read(["http://news.test/item"])))
