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
    workers: int | None = typer.Option(None, "--workers", "-w", min=1,
                                       help="Processes coding in parallel (default 1 or $DETENTE_WORKERS)."),
) -> None:
    """Read, code and store articles; the same article twice is stored once."""
    settings = _settings(db=db, actors=actors, workers=workers)
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


# ---------------------------------------------------------------------------- analysis and exports
SERIES_FREQ = typer.Option("month", "--freq", help="day | week | month")
SINCE = typer.Option(None, "--since", help="YYYY-MM-DD (inclusive, on the event date)")
UNTIL = typer.Option(None, "--until", help="YYYY-MM-DD (inclusive, on the event date)")
HEDGED = typer.Option(False, "--include-hedged", help="Count hedged events too (negated never count).")


def _freq(value: str) -> str:
    if value not in ("day", "week", "month"):
        raise DetenteError(E.E501.format(value=value))
    return value


@app.command()
def dyad(
    a: str = typer.Argument(..., help="First country, e.g. PRK"),
    b: str = typer.Argument(..., help="Second country, e.g. RUS"),
    freq: str = SERIES_FREQ,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    include_hedged: bool = HEDGED,
    directed: bool = typer.Option(False, "--directed", help="A→B only (default: both directions)."),
    by_mentions: bool = typer.Option(False, "--by-mentions", help="Weight each event by its num_mentions."),
    db: Path | None = DB,
    fmt: Format = FMT,
    output: Path | None = OUT,
) -> None:
    """Per-period counts per QuadClass, mean Goldstein, cooperation index and its volume-normalised form."""
    settings = _settings(db=db)
    with api.open(settings.db) as store:
        df = store.dyad(_country(a) or "", _country(b) or "", freq=_freq(freq), since=_date(since),
                        until=_date(until), include_hedged=include_hedged, directed=directed,
                        by_mentions=by_mentions)
    mean_share = df.attrs.get("mean_share")
    title = (f"{a.upper()}{'→' if directed else '–'}{b.upper()} per {freq}: {int(df['n_events'].sum()) if len(df) else 0}"
             f" events, mean share {mean_share:.4f}, {df.attrs.get('undated', 0)} undated left out"
             if mean_share is not None else f"no dated events between {a.upper()} and {b.upper()}")
    if fmt == Format.table:
        df = df.round({"mean_goldstein": 2, "coop_index": 3, "share": 4, "normalised_index": 3})
    emit(df, fmt, output, title=title)


class NetworkFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    graphml = "graphml"
    png = "png"


@app.command()
def network(
    since: str | None = SINCE,
    until: str | None = UNTIL,
    min_events: int = typer.Option(1, "--min-events", help="Keep source→target pairs with at least N events."),
    include_hedged: bool = HEDGED,
    db: Path | None = DB,
    fmt: NetworkFormat = typer.Option(NetworkFormat.table, "--format", "-f",
                                      help="json (node-link) | graphml | png | table | jsonl | csv | parquet (edges)"),
    output: Path | None = OUT,
) -> None:
    """Countries as nodes, source→target edges weighted by events and coloured by cooperation index."""
    from .analysis import to_graphml, to_json, to_png
    from .analysis.network import edge_table

    if min_events < 1:
        raise DetenteError(E.E504.format(name="--min-events", expected="a whole number of at least 1",
                                         value=min_events))
    if fmt in (NetworkFormat.graphml, NetworkFormat.png) and output is None:
        raise DetenteError(E.E505.format(value=fmt.value, command="network without -o FILE",
                                         allowed="-o FILE, or --format json|table|jsonl|csv"))
    settings = _settings(db=db)
    with api.open(settings.db) as store:
        graph = store.network(since=_date(since), until=_date(until), min_events=min_events,
                              include_hedged=include_hedged)
    if fmt == NetworkFormat.json:
        _write_text(json.dumps(to_json(graph), ensure_ascii=False, indent=2) + "\n", output)
    elif fmt == NetworkFormat.graphml:
        to_graphml(graph, output)  # type: ignore[arg-type]
    elif fmt == NetworkFormat.png:
        window = f" {since or '…'} to {until or '…'}" if since or until else ""
        to_png(graph, output, title=f"Country network{window} (edges with ≥ {min_events} events)")  # type: ignore[arg-type]
    else:
        emit(edge_table(graph), Format(fmt.value), output,
             title=f"{graph.number_of_nodes()} countries, {graph.number_of_edges()} directed pairs")
    if output is not None:
        err.print(f"{graph.number_of_nodes()} countries, {graph.number_of_edges()} edges → {output}")


ALERT_TABLE = ["dyad", "kind", "direction", "score", "recent", "baseline", "n_recent", "n_baseline", "change_week",
               "events"]


@app.command()
def alerts(
    baseline: str = typer.Option("52w", "--baseline", help="Weeks before the recent window to compare with (4w, 52w)."),
    recent: str = typer.Option("4w", "--recent", help="The recent window (1w, 4w)."),
    threshold: float = typer.Option(3.0, "--threshold", help="Alert when |robust z| reaches this."),
    method: str = typer.Option("mad", "--method", help="mad (median and MAD, default) | z (mean and std)"),
    until: str | None = typer.Option(None, "--until", help="End of the recent window (default: last event date)."),
    min_events: int = typer.Option(3, "--min-events", help="Events a dyad needs in the recent window."),
    include_hedged: bool = HEDGED,
    change_points: bool = typer.Option(True, "--change-points/--no-change-points", help="Run ruptures' Pelt too."),
    db: Path | None = DB,
    fmt: Format = FMT,
    output: Path | None = OUT,
) -> None:
    """Dyads whose recent cooperation index or volume departs from their own baseline, with the events."""
    settings = _settings(db=db)
    with api.open(settings.db) as store:
        df = store.alerts(baseline=baseline, recent=recent, threshold=threshold, method=method, until=_date(until),
                          min_events=min_events, include_hedged=include_hedged, change_points=change_points)
    as_of = df.attrs.get("as_of")
    title = (f"{len(df)} alerts, {recent} to {as_of} against the {baseline} before ({method}, |z| ≥ {threshold:g})"
             if as_of else "no alerts")
    if fmt == Format.table:
        df = df.assign(events=[("\n".join(e[:3]) + (f"\n… {len(e) - 3} more" if len(e) > 3 else "")) for e in df["events"]],
                       recent=df["recent"].astype(float).round(4), baseline=df["baseline"].astype(float).round(4))
        emit(df, fmt, output, columns=ALERT_TABLE, title=title)
        return
    if fmt == Format.csv:
        df = df.assign(event_ids=[" ".join(x) for x in df["event_ids"]], events=[" | ".join(x) for x in df["events"]])
    emit(df, fmt, output, title=title)


plot_app = typer.Typer(no_args_is_help=True, help="Charts as PNG files.")
app.add_typer(plot_app, name="plot")


@plot_app.command("dyad")
def plot_dyad(
    a: str = typer.Argument(..., help="First country, e.g. PRK"),
    b: str = typer.Argument(..., help="Second country, e.g. RUS"),
    output: Path = typer.Option(..., "--output", "-o", help="PNG file to write."),
    freq: str = SERIES_FREQ,
    since: str | None = SINCE,
    until: str | None = UNTIL,
    include_hedged: bool = HEDGED,
    db: Path | None = DB,
) -> None:
    """A PNG timeline of a dyad: events stacked by QuadClass, cooperation index on the right axis."""
    settings = _settings(db=db)
    with api.open(settings.db) as store:
        series = store.plot_dyad(_country(a) or "", _country(b) or "", output, freq=_freq(freq), since=_date(since),
                                 until=_date(until), include_hedged=include_hedged)
    err.print(f"{len(series)} periods → {output}")


@app.command("export")
def export_(
    fmt: str = typer.Option(..., "--format", "-f", help="csv | parquet | jsonl | gdelt | plover"),
    output: Path = typer.Option(..., "--output", "-o", help="File to write."),
    source: str | None = typer.Option(None, "--source", help="Source country (ISO3 or organisation)."),
    target: str | None = typer.Option(None, "--target", help="Target country."),
    dyad: str | None = typer.Option(None, "--dyad", help="A,B: events between A and B, both directions."),
    since: str | None = SINCE,
    until: str | None = UNTIL,
    factuality: list[str] = typer.Option(None, "--factuality", help="Keep only these (repeatable)."),
    db: Path | None = DB,
) -> None:
    """Write stored events as csv, parquet, jsonl, the GDELT 2.0 61-column layout or PLOVER JSON lines."""
    from .export import FORMATS

    if fmt not in FORMATS:
        raise DetenteError(E.E503.format(value=fmt))
    pair = None
    if dyad:
        parts = [p for p in dyad.split(",") if p.strip()]
        if len(parts) != 2:
            raise DetenteError("--dyad takes two codes separated by a comma, e.g. PRK,RUS")
        pair = (_country(parts[0]) or "", _country(parts[1]) or "")
    for f in factuality or []:
        if f not in ("asserted", "intent", "hedged", "negated"):
            raise DetenteError(E.E504.format(name="--factuality", expected="asserted, intent, hedged or negated",
                                             value=f))
    settings = _settings(db=db)
    with api.open(settings.db) as store:
        n = store.export(fmt, output, source=_country(source), target=_country(target), dyad=pair,
                         since=_date(since), until=_date(until), factuality=list(factuality) if factuality else None)
    err.print(f"{n} events → {output} ({fmt})")


spark_app = typer.Typer(no_args_is_help=True, help="Code articles on a Spark cluster (see docs/spark.md).")
app.add_typer(spark_app, name="spark")


@spark_app.command("code")
def spark_code(
    input: str = typer.Option(..., "--input", "-i", help="Articles: JSONL or Parquet (file or folder, any Spark path)."),  # noqa: A002
    output: str = typer.Option(..., "--output", "-o", help="Events: a Parquet folder (overwritten)."),
    master: str | None = typer.Option(None, "--master", help="Spark master (default: spark-submit's, else local[*])."),
    failures: str | None = typer.Option(None, "--failures", help="Also write the rows that failed, and why, as Parquet here."),
    actors: list[Path] = ACTORS,
) -> None:
    """Events of every article at --input, as Parquet at --output (detente.spark.code_file)."""
    from . import spark

    n, failed = spark.code_file(input, output, settings=_settings(actors=actors), master=master, failures=failures)
    kept = f" → {failures}" if failures else " (not kept: pass --failures PATH)" if failed else ""
    err.print(f"{n} events → {output} (parquet) · {failed} failures{kept}")


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
