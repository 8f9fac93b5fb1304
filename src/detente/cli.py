"""The ``detente`` command line: thin commands over the Python API, one output flag set for all listings."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import api
from .errors import DetenteError, E
from .ingest import read_paths, read_sources, read_stdin
from .records import Article, Failure, to_dict
from .settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="detente: who did what to whom, when and where — event data from geopolitical news.")
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


DB = typer.Option(None, "--db", help="DuckDB store (default: detente.duckdb or $DETENTE_DB).")
FMT = typer.Option(Format.table, "--format", "-f", help="table | json | jsonl | csv | parquet")
OUT = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
ACTORS = typer.Option(None, "--actors", help="Extra actor dictionary TSV (repeatable); see docs/formats.md.")


def _settings(db: Path | None = None, actors: list[Path] | None = None, **kw: Any) -> Settings:
    for p in actors or []:
        if not p.exists():
            raise DetenteError(E.E305.format(path=p))
    return Settings.load(db=db, actors_files=tuple(actors) if actors else None, **kw)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DetenteError(E.E304.format(value=value)) from exc


def _country(code: str | None) -> str | None:
    if code is None:
        return None
    c = code.strip().upper()
    if not (2 <= len(c) <= 12 and c.replace("_", "").isalnum()):
        raise DetenteError(E.E303.format(code=code))
    return c


# ---------------------------------------------------------------------------- output
def emit(rows: list[dict[str, Any]] | pd.DataFrame, fmt: Format, output: Path | None,
         columns: list[str] | None = None, title: str | None = None) -> None:
    """Write a listing in the chosen format (the same shapes everywhere)."""
    if fmt == Format.parquet and output is None:
        raise DetenteError("--format parquet needs --output FILE")
    if fmt in (Format.json, Format.jsonl):
        records = rows.to_dict(orient="records") if isinstance(rows, pd.DataFrame) else rows
        records = [_clean(r) for r in records]
        text = (json.dumps(records, ensure_ascii=False, indent=2) + "\n" if fmt == Format.json
                else "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        _write_text(text, output)
        return
    df = rows if isinstance(rows, pd.DataFrame) else pd.json_normalize(rows, sep="_") if rows else pd.DataFrame()
    if fmt == Format.csv:
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        _write_text(buf.getvalue(), output)
    elif fmt == Format.parquet:
        assert output is not None
        df.to_parquet(output, index=False)
    else:
        table = Table(title=title, show_lines=False, expand=False)
        cols = [c for c in (columns or list(df.columns)) if c in df.columns]
        for c in cols:
            table.add_column(c, overflow="fold", max_width=70 if c in ("sentence", "text") else None)
        for _, r in df.iterrows():
            table.add_row(*["" if pd.isna(r[c]) else str(r[c]) for c in cols])
        width = None if sys.stdout.isatty() and not output else 180
        console = Console(file=output.open("w", encoding="utf-8") if output else sys.stdout, width=width)
        console.print(table)


def _clean(r: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in r.items():
        if v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
            v = None
        elif isinstance(v, (pd.Timestamp, dt.date)):
            v = v.isoformat()[:10]
        out[k] = v
    return out


def _write_text(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _event_rows(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows of nested event dicts for tables."""
    rows = []
    for e in events:
        rows.append({
            "date": e["date"] or "", "source": f"{e['source']['code']} ({e['source']['text']})",
            "target": f"{e['target']['code']} ({e['target']['text']})", "cameo": e["cameo"],
            "event": e["cameo_name"], "quad": e["quad"], "factuality": e["factuality"], "rule": e["rule"],
            "doc_id": e["doc_id"], "sentence": e["sentence"],
        })
    return rows


# ---------------------------------------------------------------------------- commands
@app.command()
def code(
    paths: list[Path] = typer.Argument(None, help="Files or folders; JSONL documents on standard input if none."),
    fmt: Format = FMT,
    output: Path | None = OUT,
    actors: list[Path] = ACTORS,
) -> None:
    """Code articles and print their events, without storing anything."""
    settings = _settings(actors=actors)
    items = read_paths(paths, settings.max_chars) if paths else read_stdin(settings.max_chars)
    articles: list[Article] = []
    for item in items:
        if isinstance(item, Failure):
            err.print(f"[yellow]skipped[/]: {item.message}")
        else:
            articles.append(item)
    pipe = api.pipeline(settings)
    events = [to_dict(e) for c in pipe.code(articles) for e in c.events]
    if fmt == Format.table:
        emit(_event_rows(events), fmt, output, title=f"{len(events)} events from {len(articles)} articles")
    elif fmt in (Format.csv, Format.parquet):
        emit(pd.json_normalize(events, sep="_") if events else pd.DataFrame(), fmt, output)
    else:
        emit(events, fmt, output)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(None, help="Files or folders (txt, jsonl, csv, html), URL-list files, "
                                      "or http(s) URLs of pages and RSS/Atom feeds."),
    db: Path | None = DB,
    actors: list[Path] = ACTORS,
    urls: list[Path] = typer.Option(None, "--urls", help="A file of URLs, one a line, # for comments (repeatable)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when some inputs failed."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="Summary as table or json."),
) -> None:
    """Read, code and store articles; the same article twice is stored once."""
    settings = _settings(db=db, actors=actors)
    if not paths and not urls:
        raise DetenteError("ingest needs files, folders, URLs or --urls FILE")
    items = list(read_sources(paths or [], settings, url_files=urls or []))
    total = len(items)
    show = sys.stderr.isatty()
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("ingest", total=total)
        summary = api.ingest(items, settings=settings, progress=lambda n: bar.advance(task, n))
    if fmt == Format.json:
        print(json.dumps(summary.as_dict()))
    else:
        d = summary.as_dict()
        print(f"articles {d['articles']} new, {d['skipped']} already stored · sentences {d['sentences']} · "
              f"events {d['events']} · failures {d['failures']} · {d['articles_per_second']} articles/s "
              f"→ {settings.db}")
    for msg in summary.failure_messages[:20]:
        print(f"  failure: {msg}")
    if len(summary.failure_messages) > 20:
        print(f"  ... and {len(summary.failure_messages) - 20} more (see the failures table)")
    if strict and summary.failures:
        raise typer.Exit(1)


LISTING = ["date", "source_code", "target_code", "cameo", "cameo_name", "quad", "goldstein", "factuality",
           "place_name", "rule", "sentence"]


@app.command()
def events(
    db: Path | None = DB,
    source: str | None = typer.Option(None, "--source", help="Source country (ISO3 or organisation)."),
    target: str | None = typer.Option(None, "--target", help="Target country."),
    dyad: str | None = typer.Option(None, "--dyad", help="A,B: events between A and B, both directions."),
    since: str | None = typer.Option(None, "--since", help="YYYY-MM-DD"),
    until: str | None = typer.Option(None, "--until", help="YYYY-MM-DD"),
    factuality: str | None = typer.Option(None, "--factuality", help="asserted | hedged | negated | intent"),
    limit: int | None = typer.Option(None, "--limit"),
    fmt: Format = FMT,
    output: Path | None = OUT,
) -> None:
    """List stored events with filters."""
    settings = _settings(db=db)
    pair = None
    if dyad:
        parts = [p for p in dyad.split(",") if p.strip()]
        if len(parts) != 2:
            raise DetenteError("--dyad takes two codes separated by a comma, e.g. PRK,RUS")
        pair = (_country(parts[0]) or "", _country(parts[1]) or "")
    with api.open(settings.db) as store:
        df = store.events(source=_country(source), target=_country(target), dyad=pair, since=_date(since),
                          until=_date(until), factuality=factuality, limit=limit)
    emit(df, fmt, output, columns=LISTING, title=f"{len(df)} events")


@app.command()
def timeline(
    a: str = typer.Argument(..., help="First country, e.g. PRK"),
    b: str = typer.Argument(..., help="Second country, e.g. RUS"),
    db: Path | None = DB,
    fmt: Format = FMT,
    output: Path | None = OUT,
) -> None:
    """Events between two countries in both directions, ordered by event date."""
    settings = _settings(db=db)
    ca, cb = _country(a) or "", _country(b) or ""
    with api.open(settings.db) as store:
        df = store.events(dyad=(ca, cb))
    if fmt != Format.table:
        emit(df, fmt, output)
        return
    rows = []
    for _, r in df.iterrows():
        when = r["date"] if not pd.isna(r["date"]) else None
        rows.append({
            "date": str(when)[:10] if when is not None else "undated",
            "dir": f"{r['source_country']}→{r['target_country']}",
            "event": f"{r['cameo']} {r['cameo_name']}",
            "factuality": r["factuality"],
            "place": r["place_name"] or "",
            "evidence": _snippet(r["sentence"], int(r["trigger_start"]), int(r["trigger_end"])),
            "rule": r["rule"],
        })
    emit(rows, Format.table, output, title=f"{ca}–{cb} timeline: {len(rows)} events")


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="RSS or Atom feed URLs."),
    every: str = typer.Option("15m", "--every", help="Time between polls: 90s, 15m, 1h ..."),
    db: Path | None = DB,
    once: bool = typer.Option(False, "--once", help="Poll once and exit."),
    actors: list[Path] = ACTORS,
) -> None:
    """Poll feeds and ingest their new entries until Ctrl-C (which stops cleanly, exit 0)."""
    import signal
    import threading

    from .ingest import parse_interval

    settings = _settings(db=db, actors=actors)
    interval = parse_interval(every)
    bad = [f for f in feeds if not f.lower().startswith(("http://", "https://"))]
    if bad:
        raise DetenteError(f"not an http(s) feed URL: {bad[0]}")
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        err.print(f"stopping after the current poll ({signal.Signals(signum).name}); again to abort", soft_wrap=True)
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C aborts at once

    old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        err.print(f"watching {len(feeds)} feeds every {every} → {settings.db}", soft_wrap=True)
        api.watch(feeds, db=settings.db, settings=settings, every=interval, max_polls=1 if once else None,
                  stop=stop, on_poll=lambda p: err.print(escape(p.line()), soft_wrap=True, highlight=False))
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if stop.is_set():
        err.print("stopped", soft_wrap=True)


@app.command("eval")
def eval_(
    gold: list[Path] = typer.Argument(..., help="Gold JSONL files (id, text, date, events[])."),
    match: str = typer.Option("root", "--match", help="root | cameo | plover"),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table | json"),
    actors: list[Path] = ACTORS,
) -> None:
    """Precision, recall, quad and factuality accuracy on gold files, with the worst cases."""
    from .evaluate import evaluate

    settings = _settings(actors=actors)
    reports = [evaluate(g, match=match, settings=settings).as_dict() for g in gold]
    if fmt == Format.json:
        print(json.dumps(reports if len(reports) > 1 else reports[0], indent=2, ensure_ascii=False))
        return
    out = Console()
    for r in reports:
        t = Table(title=f"{r['gold_file']} (match: {r['match']})")
        t.add_column("measure")
        t.add_column("value", justify="right")
        for c in ("cases", "tp", "fp", "fn", "precision", "recall", "f1", "quad_accuracy", "factuality_accuracy",
                  "date_accuracy", "place_accuracy", "false_per_no_event_case"):
            t.add_row(c.replace("_", " "), str(r[c]))
        out.print(t)
        pr = Table(title="per root / type")
        for c in ("key", "tp", "fp", "fn"):
            pr.add_column(c)
        for k, v in r["per_root"].items():
            pr.add_row(k, str(v.get("tp", 0)), str(v.get("fp", 0)), str(v.get("fn", 0)))
        out.print(pr)
        w = Table(title="worst cases", show_lines=True)
        for c in ("id", "text", "expected", "got"):
            w.add_column(c, overflow="fold", max_width=60 if c == "text" else None)
        for b in r["worst"]:
            w.add_row(str(b["id"]), b["text"], "\n".join(b["expected"]) or "-", "\n".join(b["got"]) or "-")
        out.print(w)


def _snippet(sentence: str, start: int, end: int, width: int = 110) -> str:
    """The sentence around its trigger, the trigger in brackets."""
    marked = f"{sentence[:start]}«{sentence[start:end]}»{sentence[end:]}"
    if len(marked) <= width:
        return marked
    left = max(0, start - width // 2)
    piece = marked[left:left + width]
    return ("…" if left else "") + piece + ("…" if left + width < len(marked) else "")


@app.command("serve")
def serve(
    db: Path | None = DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
) -> None:
    """HTTP API and dashboard over the store (http://HOST:PORT/, API docs at /docs)."""
    from .server import serve as run_server

    settings = _settings(db=db)
    err.print(f"detente serving {settings.db} on http://{host}:{port}/ "
              f"(writes {'enabled' if settings.token else 'disabled: set DETENTE_TOKEN'})")
    run_server(settings, host=host, port=port)


def main() -> None:
    """Entry point: settings and usage errors are one clear line and exit code 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except DetenteError as exc:
        # one unwrapped line whatever the terminal width; the message is text, not rich markup
        err.print("[red]error[/]: " + escape(str(exc)), soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
