"""URLs, URL lists, RSS/Atom feeds and watch, against the local site in conftest.py (never the internet)."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from typer.testing import CliRunner

from detente import api
from detente.cli import app
from detente.errors import DetenteError
from detente.ingest import WebReader, parse_interval, read_paths, read_sources, url_id
from detente.ingest.web import Fetcher, url_list
from detente.records import Article, Failure
from detente.settings import Settings
from detente.store import Store

if TYPE_CHECKING:
    from conftest import Site  # tests/ingest/conftest.py: the local site fixture

REPO = Path(__file__).resolve().parents[2]


def read(settings: Settings, *urls: str) -> list[Article | Failure]:
    with WebReader(settings) as web:
        return list(web.read(urls))


def by_kind(items: list[Article | Failure]) -> tuple[list[Article], list[Failure]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Failure)]


# ---------------------------------------------------------------------------- feeds
def test_rss_entries_become_articles_with_feed_metadata(site: Site, fast: Settings) -> None:
    arts, fails = by_kind(read(fast, site.base + "/rss.xml"))
    assert [a.title for a in arts] == ["Japan condemns North Korean missile launch",
                                       "Seoul says Pyongyang shipped shells to Moscow", "Seoul protests over balloons"]
    assert [a.date for a in arts] == [date(2024, 1, 8), date(2024, 2, 27), date(2024, 5, 29)]
    assert {a.source for a in arts} == {"Harbour Times: Asia"}
    # the page text, not the one-line summary; the fragment is not part of the URL or the id
    assert "missile flew about 1,000 kilometres" in arts[0].text
    assert arts[1].url == site.base + "/articles/supply.html"
    assert arts[1].id == url_id(site.base + "/articles/supply.html#comments") == url_id(arts[1].url)
    # the page is gone (404): the entry summary is the text
    assert arts[2].text.startswith("South Korea protested to North Korea on Wednesday")
    # a page without main text and no summary: a failure that says so
    (fail,) = fails
    assert fail.code == "E124" and fail.item == site.base + "/articles/app.html"
    assert "no summary" in fail.message
    assert all("detente" in h.user_agent and "+https://" in h.user_agent for h in site.hits)


def test_atom_entries_relative_links_and_entries_without_a_page(site: Site, fast: Settings) -> None:
    arts, fails = by_kind(read(fast, site.base + "/atom.xml"))
    assert fails == []
    summit, note = arts
    assert summit.url == site.base + "/articles/summit.html" and summit.date == date(2024, 6, 19)
    assert "comprehensive strategic partnership treaty" in summit.text
    assert note.url is None and note.date == date(2024, 6, 21)
    assert note.text == "China and Russia held joint naval exercises in the Sea of Japan on Friday."
    assert site.count("/articles/summit.html") == 1 and len(site.hits) == 3  # robots, feed, one page


def test_broken_feed_is_e123_and_the_other_sources_go_on(site: Site, fast: Settings) -> None:
    arts, fails = by_kind(read(fast, site.base + "/broken.xml", site.base + "/articles/launch.html"))
    assert [f.code for f in fails] == ["E123"]
    assert "not well-formed" in fails[0].message and fails[0].stage == "fetch"
    assert [a.title for a in arts] == ["Japan condemns North Korean missile launch"]


def test_xml_that_is_not_a_feed_is_e123(site: Site, fast: Settings) -> None:
    url = site.serve("/data.xml", '<?xml version="1.0"?><inventory><item sku="1"/></inventory>', "application/xml")
    (fail,) = read(fast, url)
    assert isinstance(fail, Failure) and fail.code == "E123"


# ---------------------------------------------------------------------------- pages
def test_page_gives_text_title_date_and_a_url_id(site: Site, fast: Settings) -> None:
    url = site.base + "/articles/launch.html"
    (art,) = read(fast, url)
    assert isinstance(art, Article)
    assert art.id == url_id(url) and art.url == url and art.origin == url
    assert art.title == "Japan condemns North Korean missile launch"
    assert art.date == date(2024, 1, 8)  # the meta date, not the footer's copyright year
    assert art.source == "Harbour Times"
    assert "Copyright" not in art.text


def test_page_without_main_text_is_e124(site: Site, fast: Settings) -> None:
    (fail,) = read(fast, site.base + "/articles/app.html")
    assert isinstance(fail, Failure) and fail.code == "E124"


def test_plain_text_and_other_content_types(site: Site, fast: Settings) -> None:
    txt = site.serve("/note.txt", "Japan condemned North Korea's launch of a ballistic missile on Monday.", "text/plain")
    pdf = site.serve("/report.pdf", b"%PDF-1.4 ...", "application/pdf")
    (art, fail) = read(fast, txt, pdf)
    assert isinstance(art, Article) and art.text.startswith("Japan condemned") and art.id == url_id(txt)
    assert isinstance(fail, Failure) and fail.code == "E127" and "application/pdf" in fail.message


# ---------------------------------------------------------------------------- failures, retries, politeness
def test_404_is_not_retried(site: Site, fast: Settings) -> None:
    (fail,) = read(fast, site.base + "/nowhere.html")
    assert isinstance(fail, Failure) and fail.code == "E122"
    assert "404" in fail.message and "check" in fail.message
    assert site.count("/nowhere.html") == 1


def test_500_is_retried_a_bounded_number_of_times(site: Site, fast: Settings) -> None:
    (fail,) = read(fast, site.base + "/error.html")
    assert isinstance(fail, Failure) and fail.code == "E122"
    assert "500" in fail.message and "after 3 tries" in fail.message
    assert site.count("/error.html") == fast.fetch_retries + 1 == 3


def test_500_then_200_succeeds_on_the_retry(site: Site, fast: Settings) -> None:
    (art,) = read(fast, site.base + "/flaky.html")
    assert isinstance(art, Article) and "partnership treaty" in art.text
    assert site.count("/flaky.html") == 2


def test_retries_back_off_exponentially(site: Site) -> None:
    settings = Settings(fetch_timeout=2, fetch_retries=3, fetch_backoff=0.1, fetch_delay=0.0)
    read(settings, site.base + "/error.html")
    starts = [h.start for h in site.hits if h.path == "/error.html"]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert len(gaps) == 3
    for gap, expected in zip(gaps, [0.1, 0.2, 0.4], strict=True):
        assert expected * 0.9 <= gap < expected + 0.3


def test_page_slower_than_the_timeout_is_e121(site: Site) -> None:
    settings = Settings(fetch_timeout=0.3, fetch_retries=1, fetch_backoff=0.01, fetch_delay=0.0)
    t0 = time.monotonic()
    (fail,) = read(settings, site.base + "/slow.html")
    assert isinstance(fail, Failure) and fail.code == "E121"
    assert "0.3 s" in fail.message and "2 tries" in fail.message
    assert time.monotonic() - t0 < 2.0  # the server sleeps 3 s per request


def test_refused_connection_and_dns_failure_are_e120(fast: Settings) -> None:
    def no_dns(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with WebReader(fast, transport=httpx.MockTransport(no_dns)) as web:
        (fail,) = list(web.read(["https://no-such-host.invalid/news.html"]))
    assert isinstance(fail, Failure) and fail.code == "E120" and "Name or service not known" in fail.message
    # a closed port on this machine
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (fail,) = read(fast, f"http://127.0.0.1:{port}/x.html")
    assert isinstance(fail, Failure) and fail.code == "E120"


def test_robots_txt_is_obeyed(site: Site, fast: Settings) -> None:
    (fail,) = read(fast, site.base + "/private/launch.html")
    assert isinstance(fail, Failure) and fail.code == "E126"
    assert site.paths() == ["/robots.txt"]
    (art,) = read(dataclasses.replace(fast, respect_robots=False), site.base + "/private/launch.html")
    assert isinstance(art, Article)


def test_one_request_at_a_time_per_host_with_a_delay(site: Site) -> None:
    settings = Settings(fetch_timeout=2, fetch_retries=0, fetch_delay=0.15)
    pages = [site.base + p for p in ("/articles/launch.html", "/articles/supply.html", "/articles/summit.html")]
    fetcher = Fetcher(settings)
    threads = [threading.Thread(target=fetcher.get, args=(u,)) for u in pages]  # even from threads
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fetcher.close()
    assert site.max_active == 1
    hits = sorted(site.hits, key=lambda h: h.start)
    assert [h.path for h in hits][0] == "/robots.txt" and len(hits) == 4
    for before, after in zip(hits, hits[1:], strict=False):
        assert after.start - before.end >= 0.14


def test_crawl_delay_in_robots_txt_wins(site: Site) -> None:
    site.serve("/robots.txt", "User-agent: detente\nCrawl-delay: 1\n", "text/plain")
    settings = Settings(fetch_timeout=2, fetch_retries=0, fetch_delay=0.0)
    read(settings, site.base + "/articles/launch.html", site.base + "/articles/supply.html")
    first, second = (h for h in site.hits if h.path.startswith("/articles/"))
    assert second.start - first.end >= 0.95  # urllib reads whole seconds only


def test_response_over_the_size_limit_is_e127(site: Site) -> None:
    url = site.serve("/huge.html", b"<p>" + b"x" * 200_000 + b"</p>")
    (fail,) = read(Settings(fetch_timeout=2, fetch_retries=0, fetch_delay=0.0, fetch_max_bytes=50_000), url)
    assert isinstance(fail, Failure) and fail.code == "E127" and "50000" in fail.message


# ---------------------------------------------------------------------------- URL lists and the store
def test_url_list_detection() -> None:
    assert url_list("# my sources\nhttps://a.example/x\n\nhttp://b.example/feed.xml\n") == [
        "https://a.example/x", "http://b.example/feed.xml"]
    assert url_list("https://a.example/x\nNorth Korea fired a missile.\n") is None
    assert url_list("# only a comment\n") is None
    assert url_list("See https://a.example/x for details") is None


def test_url_list_inside_a_folder_is_e113(tmp_path: Path) -> None:
    (tmp_path / "sources.txt").write_text("https://a.example/x\nhttps://b.example/y\n", encoding="utf-8")
    (fail,) = list(read_paths([tmp_path]))
    assert isinstance(fail, Failure) and fail.code == "E113" and "--urls" in fail.message


def test_ingest_url_list_then_again_fetches_nothing(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_FETCH_DELAY", "0")
    monkeypatch.setenv("DETENTE_FETCH_BACKOFF", "0.01")
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# morning reading\n{site.base}/articles/launch.html\n\n{site.base}/rss.xml\n"
                       f"{site.base}/nowhere.html\n", encoding="utf-8")
    db = tmp_path / "news.duckdb"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(listing), "--db", str(db), "--format", "json"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output.splitlines()[0])
    # launch.html comes both directly and from the feed: fetched and stored once (same URL, same id)
    assert summary["articles"] == 3 and summary["failures"] == 2 and summary["events"] >= 2
    assert site.count("/articles/launch.html") == 1
    with Store(db, read_only=True) as store:
        urls = {r[0] for r in store.con.execute("SELECT url FROM articles").fetchall()}
        codes = sorted(r[0] for r in store.con.execute("SELECT code FROM failures").fetchall())
    assert site.base + "/articles/supply.html" in urls
    assert codes == ["E122", "E124"]
    pages_before = sum(1 for p in site.paths() if p.startswith("/articles/"))
    again = runner.invoke(app, ["ingest", str(listing), "--db", str(db), "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output.splitlines()[0])["articles"] == 0
    # stored pages (gone.html through its feed summary) are not fetched again; app.html failed, so it is
    assert [p for p in site.paths() if p.startswith("/articles/")][pages_before:] == ["/articles/app.html"]


def test_urls_option_and_url_arguments(site: Site, tmp_path: Path, fast: Settings) -> None:
    listing = tmp_path / "list.urls"
    listing.write_text(f"{site.base}/articles/summit.html\nnot a url\n", encoding="utf-8")
    items = list(read_sources([site.base + "/articles/launch.html"], fast, db=tmp_path / "none.duckdb",
                              url_files=[listing]))
    arts, fails = by_kind(items)
    assert sorted(a.url or "" for a in arts) == [site.base + "/articles/launch.html", site.base + "/articles/summit.html"]
    assert [(f.code, f.item) for f in fails] == [("E125", f"{listing}:2")]


# ---------------------------------------------------------------------------- watch
def test_watch_polls_incrementally(site: Site, tmp_path: Path, fast: Settings) -> None:
    db = tmp_path / "watch.duckdb"
    lines: list[str] = []
    polls = api.watch([site.base + "/rss.xml"], db=db, settings=fast, every=0, max_polls=2,
                      on_poll=lambda p: lines.append(p.line()))
    assert [p.ingest.articles for p in polls] == [3, 0]
    assert polls[1].skipped_urls == 3  # not fetched again
    assert polls[1].ingest.failures == 1  # the page without text is tried again
    assert len(lines) == 2 and lines[0].startswith("poll 1 at ") and "articles 3 new" in lines[0]
    assert site.paths()[-2:] == ["/rss.xml", "/articles/app.html"]
    # a new entry appears in the feed
    feed = (Path(__file__).parent / "fixtures" / "rss.xml").read_text(encoding="utf-8")
    extra = ("<item><title>Putin and Kim sign partnership treaty</title>"
             "<link>{base}/articles/summit.html</link></item>\n  </channel>")
    site.serve("/rss.xml", feed.replace("</channel>", extra), "application/rss+xml")
    (third,) = api.watch([site.base + "/rss.xml"], db=db, settings=fast, every=0, max_polls=1)
    assert third.ingest.articles == 1 and third.skipped_urls == 3
    with Store(db, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM articles").fetchone() == (4,)


def test_watch_stops_when_asked(site: Site, tmp_path: Path, fast: Settings) -> None:
    stop = threading.Event()
    t0 = time.monotonic()
    polls = api.watch([site.base + "/atom.xml"], db=tmp_path / "w.duckdb", settings=fast, every=3600,
                      stop=stop, on_poll=lambda p: stop.set())
    assert len(polls) == 1 and time.monotonic() - t0 < 60


def test_parse_interval() -> None:
    assert [parse_interval(v) for v in ("90s", "15m", "1h", "1d", "30", "0.5m")] == [90, 900, 3600, 86400, 30, 30]
    for bad in ("soon", "-5m", "0", "15 minutes", ""):
        with pytest.raises(DetenteError, match="E310|Bad interval"):
            parse_interval(bad)


def test_watch_cli_stops_cleanly_on_ctrl_c_and_sigterm(site: Site, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("detente")
    env = {**os.environ, "DETENTE_FETCH_DELAY": "0"}
    procs = {sig: subprocess.Popen([str(exe), "watch", site.base + "/atom.xml", "--every", "1h",
                                    "--db", str(tmp_path / f"w{sig.value}.duckdb")],
                                   stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
             for sig in (signal.SIGINT, signal.SIGTERM)}  # side by side to halve the start-up time
    for sig, proc in procs.items():
        assert proc.stderr is not None
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if line.startswith("poll 1") or not line:
                break
        assert "articles 2 new" in lines[-1], lines
        proc.send_signal(sig)  # while it waits for the next poll, an hour away
    for sig, proc in procs.items():
        _, rest = proc.communicate(timeout=30)
        assert proc.returncode == 0, (sig, rest)
        assert rest.strip().splitlines()[-1] == "stopped" and "Traceback" not in rest


def test_stop_during_a_poll_stores_what_was_fetched_and_nothing_half_done(site: Site, tmp_path: Path,
                                                                          fast: Settings) -> None:
    stop = threading.Event()
    page = site.routes["/articles/supply.html"]

    def supply_then_stop() -> tuple[int, str, bytes]:
        stop.set()  # as if Ctrl-C came while this page was being fetched
        return page()

    site.routes["/articles/supply.html"] = supply_then_stop
    db = tmp_path / "w.duckdb"
    (poll,) = api.watch([site.base + "/rss.xml"], db=db, settings=fast, every=0, stop=stop)
    assert poll.ingest.articles == 2 and poll.ingest.failures == 0
    assert "/articles/gone.html" not in site.paths()  # the rest of the feed was abandoned
    with Store(db, read_only=True) as store:
        titles = sorted(r[0] for r in store.con.execute("SELECT title FROM articles").fetchall())
    assert titles == ["Japan condemns North Korean missile launch", "Seoul says Pyongyang shipped shells to Moscow"]


def test_python_ingest_takes_urls_like_the_cli(site: Site, tmp_path: Path, fast: Settings) -> None:
    db = tmp_path / "api.duckdb"
    summary = api.ingest([site.base + "/articles/launch.html", site.base + "/atom.xml"], db=db, settings=fast)
    assert (summary.articles, summary.failures) == (3, 0) and summary.events >= 1
    again = api.ingest([site.base + "/articles/launch.html"], db=db, settings=fast)
    assert again.articles == 0 and site.count("/articles/launch.html") == 1
