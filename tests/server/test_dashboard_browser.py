"""The dashboard in a real browser: Debian's Chromium driven by Playwright over a live uvicorn server.

Screenshots go to ``test-output/dashboard/`` (git-ignored): ``laptop.png`` (1280 px wide) and
``phone.png`` (390 px). Without /usr/bin/chromium this test FAILS (``.ci/run`` installs it); set
``DETENTE_SKIP_BROWSER=1`` to skip it on purpose.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
LOAD_BUDGET_S = 1.0  # navigation to timeline and events on screen, demo store, idle machine
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "dashboard"


@pytest.fixture(scope="module")
def base_url(examples_db: Path) -> Iterator[str]:
    """``detente serve`` in its own process on a free 127.0.0.1 port, over the examples store."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DETENTE_")}
    proc = subprocess.Popen([sys.executable, "-c", "from detente.cli import main; main()", "serve", "--db",
                             str(examples_db), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, f"detente serve exited: {proc.stderr.read() if proc.stderr else ''}"
        assert time.monotonic() < deadline, "detente serve did not start in 60 s"
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if os.environ.get("DETENTE_SKIP_BROWSER") == "1":
        pytest.skip("DETENTE_SKIP_BROWSER=1")
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: apt-get install -y chromium (or DETENTE_SKIP_BROWSER=1)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize(("device", "width", "height"), [("laptop", 1280, 900), ("phone", 390, 844)])
def test_pick_prk_rus_click_september_and_read_the_vostochny_sentence(
        browser, base_url: str, tmp_path: Path, device: str, width: int, height: int) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base_url) else None)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(base_url + "/")  # the first visit starts the renderer and warms the server
    page.wait_for_selector("body[data-timeline=ready]")
    loads = []
    for i in range(5):  # best of five warm visits: the machine running the tests may be busy
        started = time.perf_counter()
        page.goto(f"{base_url}/?visit={i}")
        page.wait_for_selector("body[data-timeline=ready]")
        page.wait_for_selector("#events li.event")
        loads.append(time.perf_counter() - started)
    # The target is 1 s on an idle machine; when other work keeps every CPU busy (load average per
    # CPU above 1) the budget grows in proportion, so a slow dashboard still fails but a busy CI
    # machine does not.
    busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    budget = LOAD_BUDGET_S * max(1.0, busy)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{device}-load.txt").write_text(
        "seconds from navigation to timeline and events shown: " + " ".join(f"{x:.3f}" for x in loads)
        + f"\nload average per CPU {busy:.2f}; budget {budget:.2f} s\n")
    assert min(loads) < budget, f"dashboard took {min(loads):.2f} s at best (budget {budget:.2f} s)"

    page.fill("#a", "North Korea")
    page.fill("#b", "Russia")
    page.click("#show")
    page.wait_for_selector("body[data-timeline=ready]")
    assert "North Korea – Russia" in page.locator("#timeline-title").inner_text()
    bars = page.locator("#timeline .bar-group")
    assert bars.count() >= 2
    hatched = page.locator('#timeline rect[fill="url(#hatch)"]')
    assert hatched.count() >= 1  # hedged events are drawn apart, on top of the counted ones
    if device == "laptop":
        page.uncheck("#hedged")
        page.click("#show")
        page.wait_for_selector("body[data-timeline=ready]")
        assert "hedged=0" in page.url and hatched.count() == 0
        page.check("#hedged")
        page.click("#show")
        page.wait_for_selector("body[data-timeline=ready]")
        assert hatched.count() >= 1
    september = page.locator('#timeline .bar-group[data-period="2023-09-01"]')
    september.click()
    page.wait_for_selector('#events[data-loaded="2023-09-01"]')
    assert "September 2023" in page.locator("#events-title").inner_text()
    events = page.locator("#events li.event")
    assert events.count() == 4
    first = events.first
    assert "Vostochny Cosmodrome" in first.locator(".sentence").inner_text()
    assert first.locator("mark.trigger").count() == 1 and first.locator("mark.actor").count() >= 1
    assert first.locator(".badge").inner_text().strip().lower() == "asserted"
    assert "rule" in first.locator(".foot").inner_text()
    assert "September 2023" in page.locator("#network-title").inner_text()
    assert page.locator("#network svg circle").count() == 2
    csv = page.locator("#exports a", has_text="CSV").get_attribute("href") or ""
    assert "format=csv" in csv and "since=2023-09-01" in csv and "until=2023-09-30" in csv

    first.locator("a.evidence").click()
    page.wait_for_selector("#events li.event .mentions li")
    assert "article" in first.locator(".mentions").inner_text()

    shot = tmp_path / f"{device}.png"
    page.screenshot(path=str(shot), full_page=True)
    shutil.copy(shot, SCREENSHOTS / f"{device}.png")
    assert shot.stat().st_size > 10_000
    assert not errors, errors
    assert not outside, f"the page reached outside the server: {outside}"
    page.close()


def test_docs_page_renders_every_operation_offline(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(base_url + "/docs")
    page.wait_for_selector(".op")
    text = page.locator("#ops").inner_text()
    for path in ("/events", "/dyads/{a}/{b}/series", "/network", "/alerts", "/actors", "/health", "/articles"):
        assert path in text
    form = page.locator(".op", has_text="/health").locator("form.try")
    form.locator("button").click()
    page.wait_for_function("[...document.querySelectorAll('pre')].some(p => p.textContent.startsWith('200'))")
    page.close()
