"""The HTTP API over the examples store: every endpoint, the token, the limits, bad parameters and
injection strings in every filter."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from detente.server import create_app
from detente.server.app import MAX_BODY_BYTES, MAX_PAGE_SIZE, ReadWriteLock
from detente.server.queries import Actors
from detente.settings import Settings
from detente.store import READ_COLUMNS, Store

TOKEN = "test-token-5b1e"  # the token the writable fixture configures
VOSTOCHNY = "Vostochny Cosmodrome"
INJECTIONS = [
    "PRK' OR '1'='1", "RUS; DROP TABLE events; --", "' UNION SELECT * FROM articles --", "PRK\") OR (1=1",
    "%' OR 1=1 --", "PRK,RUS' --", "1; SELECT 1", "../../etc/passwd", "<script>alert(1)</script>", "\u0000",
]


def test_health_reports_counts_and_write_state(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["counts"]["articles"] == 2 and body["counts"]["events"] >= 15
    assert body["writes_enabled"] is False


def test_events_dyad_lists_both_directions_in_date_order(client: TestClient) -> None:
    body = client.get("/events", params={"dyad": "PRK,RUS"}).json()
    assert body["total"] == len(body["events"]) >= 15
    pairs = {(e["source_country"], e["target_country"]) for e in body["events"]}
    assert pairs == {("PRK", "RUS"), ("RUS", "PRK")}
    assert set(READ_COLUMNS) <= set(body["events"][0])
    dates = [e["date"] or e["article_date"] for e in body["events"] if e["date"] or e["article_date"]]
    assert dates == sorted(dates)


def test_events_september_2023_holds_the_vostochny_meeting(client: TestClient) -> None:
    body = client.get("/events", params={"dyad": "rus,prk", "since": "2023-09-01", "until": "2023-09-30"}).json()
    assert body["total"] == 4
    assert all(VOSTOCHNY in e["sentence"] for e in body["events"])
    assert {e["cameo"] for e in body["events"]} == {"040", "050"}
    assert {e["place_name"] for e in body["events"]} == {VOSTOCHNY}


@pytest.mark.parametrize(("params", "check"), [
    ({"source": "PRK"}, lambda e: e["source_country"] == "PRK"),
    ({"target": "PRK"}, lambda e: e["target_country"] == "PRK"),
    ({"cameo": "04"}, lambda e: e["cameo"].startswith("04")),
    ({"root": "5"}, lambda e: e["root"] == "05"),
    ({"quad": 1}, lambda e: e["quad"] == 1),
    ({"factuality": "hedged"}, lambda e: e["factuality"] == "hedged"),
    ({"since": "2023-11-01"}, lambda e: (e["date"] or e["article_date"]) >= "2023-11-01"),
    ({"until": "2023-09-30"}, lambda e: (e["date"] or e["article_date"]) <= "2023-09-30"),
])
def test_each_filter_narrows_the_events(client: TestClient, params: dict[str, object], check) -> None:  # type: ignore[no-untyped-def]
    everything = client.get("/events").json()["total"]
    body = client.get("/events", params=params).json()
    assert 0 < body["total"] < everything
    assert all(check(e) for e in body["events"])


def test_pagination_is_stable_and_capped(client: TestClient) -> None:
    total = client.get("/events").json()["total"]
    pages = [client.get("/events", params={"page": p, "page_size": 5}).json() for p in range(1, total // 5 + 2)]
    ids = [e["event_id"] for page in pages for e in page["events"]]
    assert len(ids) == len(set(ids)) == total
    assert all(page["total"] == total for page in pages)
    assert client.get("/events", params={"page": 99, "page_size": 5}).json()["events"] == []
    r = client.get("/events", params={"page_size": MAX_PAGE_SIZE + 1})
    assert r.status_code == 400 and r.json()["code"] == "E402"
    assert client.get("/events", params={"page_size": 0}).status_code == 422


def test_csv_and_parquet_carry_the_same_rows(client: TestClient) -> None:
    params = {"dyad": "PRK,RUS", "since": "2023-09-01", "until": "2023-09-30"}
    r = client.get("/events", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["x-total-count"] == "4"
    csv = pd.read_csv(io.StringIO(r.text))
    p = client.get("/events", params={**params, "format": "parquet"})
    assert p.status_code == 200
    parquet = pd.read_parquet(io.BytesIO(p.content))
    assert list(csv.columns) == list(parquet.columns) == READ_COLUMNS
    assert sorted(csv["event_id"]) == sorted(parquet["event_id"]) and len(csv) == 4


def test_event_detail_has_every_mention_with_spans(client: TestClient) -> None:
    first = client.get("/events", params={"dyad": "PRK,RUS", "since": "2023-09-01", "until": "2023-09-30"}).json()
    event_id = first["events"][0]["event_id"]
    r = client.get(f"/events/{event_id}")
    assert r.status_code == 200
    body = r.json()
    assert body["event_id"] == event_id and len(body["mentions"]) == body["num_mentions"] >= 1
    m = body["mentions"][0]
    for key in ("doc_id", "sentence", "trigger_start", "trigger_end", "source_start", "target_start", "rule",
                "factuality", "attribution", "article_date"):
        assert key in m
    assert m["sentence"][m["trigger_start"]:m["trigger_end"]] == m["trigger_text"]
    assert m["sentence"][m["source_start"]:m["source_end"]] == m["source_text"]
    missing = client.get("/events/no-such-event")
    assert missing.status_code == 404 and missing.json()["code"] == "E403"


def test_dyad_series_counts_quads_and_index(client: TestClient) -> None:
    body = client.get("/dyads/PRK/RUS/series").json()
    sept = {r["period"]: r for r in body["series"]}["2023-09-01"]
    assert sept["n_events"] == 4 and sept["q1"] == 4 and sept["coop_index"] == 1.0
    assert body["undated"] >= 1
    hedged = client.get("/dyads/PRK/RUS/series", params={"include_hedged": True}).json()
    assert sum(r["n_events"] for r in hedged["series"]) >= sum(r["n_events"] for r in body["series"])
    weekly = client.get("/dyads/prk/rus/series", params={"freq": "week", "since": "2023-09-01", "until": "2023-09-30"})
    assert [r["period"] for r in weekly.json()["series"]] == ["2023-09-11"]
    assert client.get("/dyads/PRK/XYZ/series").json()["code"] == "E303"
    assert client.get("/dyads/PRK/RUS/series", params={"freq": "year"}).status_code == 422


def test_network_is_the_country_graph(client: TestClient) -> None:
    body = client.get("/network").json()
    edges = {(e["source"], e["target"]): e["weight"] for e in body["edges"]}
    assert edges[("PRK", "RUS")] >= 1 and edges[("RUS", "PRK")] >= 1
    assert {n["id"]: n["name"] for n in body["nodes"]}["PRK"] == "North Korea"
    sept = client.get("/network", params={"since": "2023-09-01", "until": "2023-09-30"}).json()
    assert sum(e["weight"] for e in sept["edges"]) == 4
    assert client.get("/network", params={"min_events": 10_000}).json()["edges"] == []


def test_alerts_answer_with_evidence(client: TestClient) -> None:
    r = client.get("/alerts", params={"baseline": "8w", "recent": "1w", "threshold": 0.5, "min_events": 1})
    assert r.status_code == 200
    alerts = r.json()["alerts"]
    for a in alerts:
        assert {a["a"], a["b"]} <= {"PRK", "RUS"} and a["event_ids"]
        assert a["window_start"] <= a["window_end"] and len(a["window_end"]) == 10
    assert client.get("/alerts", params={"until": "yesterday"}).status_code == 400
    assert client.get("/alerts", params={"baseline": "a year"}).status_code == 422
    assert client.get("/alerts", params={"until": "1990-01-01"}).json()["alerts"] == []


def test_actor_search_finds_countries_by_name_alias_and_code(client: TestClient) -> None:
    hits = client.get("/actors", params={"q": "north korea", "kind": "country"}).json()["actors"]
    assert hits[0]["code"] == "PRK" and hits[0]["name"] == "North Korea"
    assert client.get("/actors", params={"q": "DPRK"}).json()["actors"][0]["country"] == "PRK"
    assert client.get("/actors", params={"q": "rus", "kind": "country"}).json()["actors"][0]["code"] == "RUS"
    putin = client.get("/actors", params={"q": "putin", "kind": "person"}).json()["actors"]
    assert any(a["country"] == "RUS" for a in putin)
    everything = client.get("/actors", params={"kind": "country", "limit": 500}).json()["actors"]
    assert len(everything) > 200
    assert client.get("/actors", params={"q": "zzzz-nothing"}).json()["actors"] == []


@pytest.mark.parametrize(("url", "params", "code"), [
    ("/events", {"source": "XXX"}, "E303"),
    ("/events", {"target": "Narnia"}, "E303"),
    ("/events", {"dyad": "PRK"}, "E401"),
    ("/events", {"dyad": "PRK,RUS,CHN"}, "E401"),
    ("/events", {"since": "2023-02-30"}, "E304"),
    ("/events", {"until": "last week"}, "E304"),
    ("/network", {"since": "13/09/2023"}, "E304"),
    ("/dyads/PRK/RUS/series", {"until": "2023-9-1x"}, "E304"),
])
def test_bad_parameters_get_numbered_400s(client: TestClient, url: str, params: dict[str, str], code: str) -> None:
    r = client.get(url, params=params)
    assert r.status_code == 400
    assert r.json()["code"] == code and r.json()["detail"]


@pytest.mark.parametrize("bad", [{"quad": 5}, {"quad": "x"}, {"root": "abc"}, {"cameo": "04;"},
                                 {"factuality": "maybe"}, {"format": "xml"}, {"page": 0}])
def test_out_of_range_values_are_422(client: TestClient, bad: dict[str, object]) -> None:
    assert client.get("/events", params=bad).status_code == 422


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_strings_in_every_filter_are_refused_or_empty(client: TestClient, attack: str) -> None:
    total = client.get("/events").json()["total"]
    for name in ("source", "target", "dyad", "since", "until", "cameo", "root", "quad", "factuality", "format",
                 "page", "page_size"):
        r = client.get("/events", params={name: attack})
        assert 400 <= r.status_code < 500 or (r.status_code == 200 and r.json()["total"] == 0), (name, r.text)
    for url, params in ((f"/dyads/{quote(attack, safe='')}/RUS/series", {}), ("/network", {"since": attack}),
                        ("/alerts", {"until": attack}), ("/dyads/PRK/RUS/series", {"since": attack})):
        r = client.get(url, params=params)
        assert 400 <= r.status_code < 500, (url, r.status_code)
    r = client.get("/actors", params={"q": attack})
    assert r.status_code == 200 and r.json()["actors"] == []
    assert client.get("/events").json()["total"] == total  # nothing was dropped or changed


# ---------------------------------------------------------------------------------------- writes
ARTICLE = {"id": "http-test-1", "date": "2024-01-08", "title": "Japan protests",
           "text": "Japan condemned North Korea's missile launch on Monday."}


def test_writes_are_disabled_without_a_configured_token(client: TestClient) -> None:
    r = client.post("/articles", json=[ARTICLE], headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and r.json()["code"] == "E404"


def test_post_articles_needs_the_token_then_codes_and_stores(writable: tuple[TestClient, Path]) -> None:
    c, db = writable
    before = c.get("/events", params={"dyad": "JPN,PRK"}).json()["total"]
    assert before == 0
    assert c.post("/articles", json=[ARTICLE]).status_code == 401
    wrong = c.post("/articles", json=[ARTICLE], headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
    assert c.post("/articles", json=[ARTICLE], headers={"Authorization": TOKEN}).status_code == 401
    r = c.post("/articles", json=[ARTICLE], headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201, r.text
    assert r.json()["articles"] == 1 and r.json()["events"] >= 1 and r.json()["ids"] == ["http-test-1"]
    events = c.get("/events", params={"dyad": "JPN,PRK"}).json()["events"]
    assert any(e["source_country"] == "JPN" and e["target_country"] == "PRK" and e["root"] == "11" for e in events)
    assert events[0]["doc_id"] == "http-test-1" and events[0]["date"] == "2024-01-08"
    again = c.post("/articles", json=[ARTICLE], headers={"Authorization": f"Bearer {TOKEN}"})
    assert again.json()["articles"] == 0 and again.json()["skipped"] == 1
    with Store(db, read_only=True) as s:
        assert s.counts()["articles"] == 3


@pytest.mark.parametrize(("body", "status"), [
    ([], 422), ({"text": "not a list"}, 422), ([{"title": "no text"}], 422), ([{"text": ""}], 422),
    ([{"text": "Japan condemned North Korea.", "date": "2024-02-31"}], 422),
])
def test_post_articles_rejects_bad_bodies(writable: tuple[TestClient, Path], body: object, status: int) -> None:
    c, _ = writable
    r = c.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == status, r.text
    assert r.json()["code"] in ("E407", "E304")


def test_post_articles_body_size_is_limited(writable: tuple[TestClient, Path]) -> None:
    c, _ = writable
    big = json.dumps([{"text": "x" * (MAX_BODY_BYTES + 10)}])
    r = c.post("/articles", content=big, headers={"Authorization": f"Bearer {TOKEN}",
                                                   "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "E406"

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536

    r = c.post("/articles", content=chunks(), headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413


# ------------------------------------------------------------------------------ serving rules
def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/events", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_dashboard_docs_and_schema_are_served_offline(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for asset in ("app.js", "app.css", "docs.js"):
        r = client.get(f"/static/{asset}")
        assert r.status_code == 200 and "https://" not in r.text
    assert client.get("/static/../server/app.py").status_code == 404
    assert client.get("/static/secrets.txt").status_code == 404
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text and "cdn" not in docs.text.lower()
    schema = client.get("/openapi.json").json()
    assert {"/events", "/events/{event_id}", "/dyads/{a}/{b}/series", "/network", "/alerts", "/actors", "/health",
            "/articles"} <= set(schema["paths"])


def test_reads_wait_for_a_write_in_this_process_and_share_with_each_other() -> None:
    lock = ReadWriteLock()
    order: list[str] = []
    with lock.read(), lock.read():  # two readers at once
        writer = threading.Thread(target=lambda: _write(lock, order))
        writer.start()
        writer.join(0.2)
        assert writer.is_alive() and order == []  # the writer waits for the readers
        order.append("read")
    writer.join(2)
    assert order == ["read", "write"]


def _write(lock: ReadWriteLock, order: list[str]) -> None:
    with lock.write():
        order.append("write")


def test_reads_work_while_another_connection_holds_the_store(examples_db: Path, tmp_path: Path,
                                                             actors: Actors) -> None:
    """An ingest in another process holds DuckDB's lock only while it writes: a read-only request retries."""
    db = tmp_path / "locked.duckdb"
    shutil.copy(examples_db, db)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(1.0); "
        "c.close()"), str(db)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with TestClient(create_app(Settings.load(env={}, db=db), actors=actors)) as c:
        r = c.get("/events", params={"dyad": "PRK,RUS"})
    holder.wait(5)
    assert r.status_code == 200 and r.json()["total"] >= 15
