"""URLs, URL lists and RSS/Atom feeds -> Article | Failure.

Politeness comes first: one request at a time per host with ``fetch_delay`` seconds between them
(or the site's robots.txt ``Crawl-delay``), robots.txt obeyed, a User-Agent that names detente,
bounded retries with exponential backoff on timeouts, dropped connections, 429 and 5xx only.
Every URL that cannot be used becomes a ``Failure`` (stage ``fetch``) and the rest goes on.
The article id of a fetched page is a hash of its URL, so fetching it again is idempotent.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from ..errors import DetenteError, E
from ..records import Article, Failure, stable_id
from ..settings import Settings
from .text import parse_date

log = logging.getLogger(__name__)

Item = Article | Failure
KnownUrls = Callable[[Sequence[str]], set[str]]

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_FEED_TYPES = ("rss", "atom", "rdf", "/xml", "+xml")
_PAGE_TYPES = ("text/html", "application/xhtml")
_TAG = re.compile(r"<[^>]+>")
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
MAX_BACKOFF = 60.0
MAX_CRAWL_DELAY = 30.0


def is_url(value: str | Path) -> bool:
    return isinstance(value, str) and bool(_URL.match(value.strip()))


def normalise_url(url: str) -> str:
    """Scheme and host lower-cased, fragment dropped: one page, one key."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def url_id(url: str) -> str:
    """The article id of a fetched page: stable per URL, so fetching it again adds nothing."""
    return stable_id("url", normalise_url(url))


def parse_interval(value: str) -> float:
    """'90s', '15m', '1h', '1d' or plain seconds -> seconds (DetenteError E310 otherwise)."""
    m = _INTERVAL.match(value)
    if not m or float(m.group(1)) <= 0:
        raise DetenteError(E.E310.format(value=value))
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2).lower()]


# ---------------------------------------------------------------------------- URL lists
def url_list(text: str) -> list[str] | None:
    """The URLs of a URL-list file (one a line, ``#`` comments), or None when it is not one."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            return None
        urls.append(line)
    return urls or None


def read_url_file(path: Path) -> tuple[list[str], list[Failure]]:
    """A file named with ``--urls``: every non-comment line should be a URL; others are E125."""
    urls: list[str] = []
    bad: list[Failure] = []
    try:
        text = path.read_bytes().decode("utf-8-sig", "replace")
    except OSError as exc:
        return [], [Failure(str(path), "read", "E109", E.E109.format(path=path, detail=exc.strerror or exc))]
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if is_url(line):
            urls.append(line)
        else:
            bad.append(Failure(f"{path}:{lineno}", "read", "E125",
                               E.E125.format(path=path, line=lineno, value=line[:80])))
    return urls, bad


def stored_urls(db: str | Path) -> KnownUrls:
    """A lookup of URLs already in the store's ``articles`` table (read-only; none if no store yet)."""

    def known(urls: Sequence[str]) -> set[str]:
        if not urls or not Path(db).exists():
            return set()
        import duckdb

        from ..store import Store

        keys = sorted({u for u in urls} | {normalise_url(u) for u in urls})
        with Store(db, read_only=True) as store:
            try:
                rows = store.con.execute("SELECT url FROM articles WHERE url IN (SELECT unnest(?))",
                                         [keys]).fetchall()
            except duckdb.Error:  # a store without an articles table yet
                return set()
        found = {r[0] for r in rows}
        return {u for u in urls if u in found or normalise_url(u) in found}

    return known


# ---------------------------------------------------------------------------- fetching
@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    content: bytes


class Fetcher:
    """An httpx client with timeouts, bounded retries, robots.txt and one request at a time per host."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None,
                 stop: threading.Event | None = None):
        self.settings = settings
        self.stop = stop or threading.Event()
        timeout = httpx.Timeout(settings.fetch_timeout, connect=max(1.0, settings.fetch_timeout / 2))
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, transport=transport,
                                   headers={"User-Agent": settings.user_agent,
                                            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                                                      "application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
        self._host_locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._delay: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._guard = threading.Lock()
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Fetched | Failure:
        """The body of ``url``, or a Failure saying why not (never raises for network trouble)."""
        host = urlsplit(url).netloc.lower()
        if self.settings.respect_robots and not self._allowed(url, host):
            return Failure(url, "fetch", "E126", E.E126.format(url=url))
        tries = self.settings.fetch_retries + 1
        for attempt in range(1, tries + 1):
            try:
                fetched = self._request(url, host)
            except httpx.TimeoutException:
                if attempt < tries and self._backoff(attempt, None):
                    continue
                return Failure(url, "fetch", "E121",
                               E.E121.format(url=url, seconds=self.settings.fetch_timeout, tries=attempt))
            except httpx.ConnectError as exc:
                # DNS failures and refused connections are not worth retrying
                return Failure(url, "fetch", "E120", E.E120.format(url=url, detail=_short(exc)))
            except httpx.TransportError as exc:  # dropped connection, protocol error
                if attempt < tries and self._backoff(attempt, None):
                    continue
                return Failure(url, "fetch", "E120", E.E120.format(url=url, detail=_short(exc)))
            except _TooLarge as exc:
                return Failure(url, "fetch", "E127", E.E127.format(url=url, detail=str(exc)))
            if isinstance(fetched, Fetched) and fetched.status < 400:
                return fetched
            status, retry_after = fetched if isinstance(fetched, tuple) else (fetched.status, None)
            if (status == 429 or status >= 500) and attempt < tries and self._backoff(attempt, retry_after):
                continue
            return Failure(url, "fetch", "E122", E.E122.format(
                url=url, status=status, reason=httpx.codes.get_reason_phrase(status),
                tries=f" after {attempt} tries" if attempt > 1 else "", advice=_advice(status)))
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, url: str, host: str) -> Fetched | tuple[int, float | None]:
        with self._lock(host):
            self._wait_turn(host)
            try:
                self.requests += 1
                with self.client.stream("GET", url) as resp:
                    if resp.status_code >= 400:
                        return resp.status_code, _retry_after(resp.headers.get("Retry-After"))
                    body = bytearray()
                    limit = self.settings.fetch_max_bytes
                    deadline = time.monotonic() + 4 * self.settings.fetch_timeout
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > limit:
                            raise _TooLarge(f"response larger than the limit of {limit} bytes (fetch_max_bytes)")
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("response trickled in too slowly")
                    return Fetched(str(resp.url), resp.status_code,
                                   resp.headers.get("Content-Type", "").lower(), bytes(body))
            finally:
                self._last[host] = time.monotonic()

    def _lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._host_locks.setdefault(host, threading.Lock())

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self._delay.get(host, self.settings.fetch_delay) - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)

    def _backoff(self, attempt: int, retry_after: float | None) -> bool:
        """Sleep before retry ``attempt + 1``; False when asked to stop meanwhile."""
        pause = min(MAX_BACKOFF, self.settings.fetch_backoff * 2 ** (attempt - 1))
        if retry_after is not None:
            pause = min(MAX_BACKOFF, max(pause, retry_after))
        return not self.stop.wait(pause)

    def _allowed(self, url: str, host: str) -> bool:
        with self._lock(host):  # one robots.txt request per host, even with several threads
            if host not in self._robots:
                self._robots[host] = self._read_robots(url, host)
        parser = self._robots[host]
        return parser is None or parser.can_fetch("detente", url)

    def _read_robots(self, url: str, host: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's robots.txt (None when it has none or it cannot be had: then all is allowed)."""
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        self._wait_turn(host)
        try:
            self.requests += 1
            resp = self.client.get(robots_url, timeout=min(10.0, self.settings.fetch_timeout))
        except httpx.HTTPError:
            return None  # the page fetch itself will say what is wrong with the host
        finally:
            self._last[host] = time.monotonic()
        if resp.status_code != 200:
            return None
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(resp.text.splitlines())
        delay = parser.crawl_delay("detente")
        if delay is not None:
            self._delay[host] = min(MAX_CRAWL_DELAY, max(float(delay), self.settings.fetch_delay))
        return parser


class _TooLarge(Exception):
    pass


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _advice(status: int) -> str:
    if status == 404 or status == 410:
        return "the page is gone or the address is wrong; check it."
    if status in (401, 403):
        return "the site refuses detente; ingest a saved copy instead."
    if status == 429:
        return "the site asks us to slow down; raise fetch_delay or try later."
    if status >= 500:
        return "the server failed; try again later."
    return "check the address."


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:120]


# ---------------------------------------------------------------------------- pages and feeds
class WebReader:
    """Pages and feeds from URLs -> Article | Failure; skips URLs the store already holds."""

    def __init__(self, settings: Settings, known: KnownUrls | None = None,
                 stop: threading.Event | None = None, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        self.known = known or (lambda urls: set())
        self.stop = stop or threading.Event()
        self.fetcher = Fetcher(settings, transport=transport, stop=self.stop)
        self.skipped = 0  # URLs not fetched because the store has them
        self._read: set[str] = set()  # pages read in this session (a page in two feeds is fetched once)

    def close(self) -> None:
        self.fetcher.close()

    def __enter__(self) -> WebReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, urls: Iterable[str]) -> Iterator[Item]:
        """Each URL as a feed (its new entries) or a page, by what the server sends."""
        urls = list(dict.fromkeys(u.strip() for u in urls))
        for url in urls:
            if self.stop.is_set():
                return
            if normalise_url(url) in self._read:
                continue
            if self.known([url]):
                self.skipped += 1  # a stored page (a feed's own URL is never an article's)
                continue
            got = self.fetcher.get(url)
            if isinstance(got, Failure):
                yield got
            elif _is_feed(got):
                yield from self._feed(url, got)
            else:
                yield from self._page(url, got)

    def read_feeds(self, feeds: Iterable[str]) -> Iterator[Item]:
        """Only the entries of each feed that the store does not hold yet."""
        for url in dict.fromkeys(f.strip() for f in feeds):
            if self.stop.is_set():
                return
            got = self.fetcher.get(url)
            if isinstance(got, Failure):
                yield got
            else:
                yield from self._feed(url, got)

    def _page(self, url: str, got: Fetched) -> Iterator[Item]:
        from .readers import _article, decode_bytes, extract_html

        ctype = got.content_type
        if ctype.startswith("text/plain"):
            text = decode_bytes(got.content, url)
            if isinstance(text, Failure):
                yield text
                return
            data: dict[str, Any] = {"text": text}
        elif not ctype or any(t in ctype for t in _PAGE_TYPES):
            extracted = extract_html(got.content, url)
            if isinstance(extracted, str):
                yield Failure(url, "fetch", "E124", E.E124.format(url=url, fallback=extracted))
                return
            data = extracted
        else:
            yield Failure(url, "fetch", "E127",
                          E.E127.format(url=url, detail=f"content type '{ctype[:60]}' is neither HTML nor a feed"))
            return
        self._read.add(normalise_url(url))
        yield from _article({**data, "id": url_id(url), "url": normalise_url(url)}, url, self.settings.max_chars)

    def _feed(self, feed_url: str, got: Fetched) -> Iterator[Item]:
        from .readers import _article, extract_html

        parsed = parse_feed(got.content, got.url)
        if isinstance(parsed, str):
            yield Failure(feed_url, "fetch", "E123", E.E123.format(url=feed_url, detail=parsed))
            return
        entries, feed_title = parsed
        source = feed_title or urlsplit(feed_url).netloc
        links = {id(e): _entry_link(e, got.url) for e in entries}
        known = self.known([link for link in links.values() if link])
        for entry in entries:
            if self.stop.is_set():
                return
            link = links[id(entry)]
            if link and link in known:
                self.skipped += 1
                continue
            if link and normalise_url(link) in self._read:
                continue
            if link:
                self._read.add(normalise_url(link))
            summary = _entry_text(entry)
            page: dict[str, Any] | str = "no link in the entry"
            if link:
                fetched = self.fetcher.get(link)
                if isinstance(fetched, Failure):
                    page = fetched.message
                    log.info("falling back to the feed summary: %s", fetched.message)
                elif any(t in fetched.content_type for t in _PAGE_TYPES) or not fetched.content_type:
                    page = extract_html(fetched.content, link)
                else:
                    page = f"content type {fetched.content_type[:40]}"
            if isinstance(page, dict):
                text = page["text"]
            elif summary.strip():
                text, page = summary, {}
            else:
                yield Failure(link or feed_url, "fetch", "E124",
                              E.E124.format(url=link or feed_url, fallback=f" ({_trim(page)}) and no summary in the feed"))
                continue
            when = _entry_date(entry) or page.get("date")
            doc_id = url_id(link) if link else stable_id("feed", normalise_url(feed_url), entry.get("id") or text)
            yield from _article({"id": doc_id, "text": text, "date": when,
                                 "title": entry.get("title") or page.get("title"),
                                 "url": normalise_url(link) if link else None, "source": source},
                                link or feed_url, self.settings.max_chars)


def parse_feed(content: bytes, base_url: str | None = None) -> tuple[list[Any], str | None] | str:
    """The entries of an RSS/Atom document that have a link or a summary, and the feed's title; or why
    it is not a feed. feedparser never expands an XML document's own entities (no "billion laughs")."""
    import feedparser

    try:
        parsed = feedparser.parse(content, response_headers={"content-location": base_url} if base_url else None)
    except Exception as exc:  # feedparser is lenient, but guard the batch anyway
        return _short(exc)
    entries = [e for e in parsed.entries if e.get("link") or e.get("summary") or e.get("content")]
    if not entries and (parsed.get("bozo") or not parsed.get("feed")):
        return _short(parsed.bozo_exception) if parsed.get("bozo") else "no entries"
    return entries, (parsed.feed.get("title") or None) if parsed.get("feed") else None


def read_feed(content: bytes, origin: str, max_chars: int = 1_000_000) -> Iterator[Item]:
    """The entries of a saved RSS/Atom file as articles, from the feed's own text (content, else
    summary): nothing is fetched. An entry with a link gets the id its page would get from a URL."""
    from .readers import _article

    parsed = parse_feed(content)
    if isinstance(parsed, str):
        yield Failure(origin, "read", "E115", E.E115.format(path=origin, detail=parsed))
        return
    entries, source = parsed
    if not entries:
        yield Failure(origin, "read", "E115", E.E115.format(path=origin, detail="no entries"))
        return
    for n, entry in enumerate(entries, 1):
        link = _entry_link(entry, "")
        where = link or f"{origin}#{n}"
        text = _entry_text(entry)
        if not text:
            yield Failure(where, "read", "E116", E.E116.format(item=where))
            continue
        doc_id = url_id(link) if link else stable_id("feed", entry.get("id") or text)
        yield from _article({"id": doc_id, "text": text, "date": _entry_date(entry), "title": entry.get("title"),
                             "url": normalise_url(link) if link else None, "source": source},
                            where, max_chars)


def _entry_text(entry: Any) -> str:
    """The longest of an entry's full contents and its summary, as plain text."""
    bodies = [c.get("value") or "" for c in entry.get("content") or []] + [entry.get("summary") or ""]
    return _plain(max(bodies, key=len))


def _entry_link(entry: Any, feed_url: str) -> str:
    """The entry's page as an absolute http(s) URL, or "" (an Atom id such as urn:uuid:... is no page)."""
    link = entry.get("link") or ""
    link = urljoin(feed_url, link) if link else ""
    return link if is_url(link) else ""


def _is_feed(got: Fetched) -> bool:
    ctype = got.content_type
    if any(t in ctype for t in _PAGE_TYPES) or ctype.startswith("text/plain"):
        return False
    if any(t in ctype for t in _FEED_TYPES):
        return True
    head = got.content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                d = date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
            return d.isoformat() if parse_date(d.isoformat()) else None
    return None


def _plain(summary: str) -> str:
    """Feed summaries are often HTML: tags dropped, entities decoded, blank runs squeezed."""
    text = htmllib.unescape(_TAG.sub(" ", summary))
    return re.sub(r"[ \t]+", " ", text).strip()


def _trim(page: dict[str, Any] | str) -> str:
    if isinstance(page, str) and page.strip(" ()"):
        return page.strip(" ()")
    return "the page had no main text"
