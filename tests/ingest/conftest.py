"""A local news site on 127.0.0.1 for the URL and feed tests: fixture pages and feeds, and pages that
fail on purpose (slow, 404, 500, 500-then-200). Tests never reach the internet."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from detente.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Hit:
    path: str
    start: float
    end: float
    user_agent: str


@dataclass
class Site:
    """What the server serves (path -> (status, content type, body) or a callable) and what it saw."""

    base: str = ""
    routes: dict[str, Callable[[], tuple[int, str, bytes]]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8", status: int = 200) -> str:
        data = body.replace("{base}", self.base).encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = lambda: (status, ctype, data)
        return self.base + path

    def fixture(self, path: str, name: str, ctype: str = "text/html; charset=utf-8") -> str:
        return self.serve(path, (FIXTURES / name).read_text(encoding="utf-8"), ctype)

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            hit = Hit(self.path, time.monotonic(), 0.0, self.headers.get("User-Agent", ""))
            with site.lock:
                site.hits.append(hit)
                site.active += 1
                site.max_active = max(site.max_active, site.active)
            try:
                route = site.routes.get(self.path)
                status, ctype, body = route() if route else (404, "text/html", b"<h1>Not found</h1>")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)
            finally:
                with site.lock:
                    site.active -= 1
                    hit.end = time.monotonic()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    """A fresh local site with the fixture pages and feeds and the failing routes."""
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    s.base = f"http://127.0.0.1:{server.server_address[1]}"
    s.fixture("/robots.txt", "robots.txt", "text/plain")
    s.fixture("/articles/launch.html", "article_launch.html")
    s.fixture("/articles/supply.html", "article_supply.html")
    s.fixture("/articles/summit.html", "article_summit.html")
    s.fixture("/articles/app.html", "no_text.html")
    s.fixture("/private/launch.html", "article_launch.html")
    s.fixture("/rss.xml", "rss.xml", "application/rss+xml")
    s.fixture("/atom.xml", "atom.xml", "application/atom+xml")
    s.fixture("/broken.xml", "broken.xml", "application/rss+xml")
    s.serve("/error.html", "<h1>Internal error</h1>", status=500)

    def slow() -> tuple[int, str, bytes]:
        time.sleep(3)
        return 200, "text/html", (FIXTURES / "article_launch.html").read_bytes()

    s.routes["/slow.html"] = slow
    flaky_calls = iter(range(1_000))

    def flaky() -> tuple[int, str, bytes]:
        if next(flaky_calls) == 0:
            return 500, "text/html", b"<h1>Try again</h1>"
        return 200, "text/html; charset=utf-8", (FIXTURES / "article_summit.html").read_bytes()

    s.routes["/flaky.html"] = flaky
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fast() -> Settings:
    """Fetch settings for tests: short timeout, quick backoff, no delay between requests."""
    return Settings(fetch_timeout=0.4, fetch_retries=2, fetch_backoff=0.02, fetch_delay=0.0)
