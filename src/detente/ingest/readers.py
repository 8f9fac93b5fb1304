"""Readers: files, folders, JSONL, CSV, HTML and standard input -> Article | Failure.

Every reader yields records and never raises on bad input: a file or line it cannot use becomes a
``Failure`` with a numbered message, and the rest of the batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import E
from ..records import Article, Failure, stable_id
from .text import clean_field, clean_text, detect_language, detect_title, parse_date, split_date_header
from .web import url_list

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}  # saved RSS/Atom feeds: their entries' own text, nothing fetched
KNOWN_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
STREAMED_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".tsv"}  # read line by line: any size, bounded memory
SAMPLE_BYTES = 8192  # what the encoding of a streamed file is judged on
FIELDS = ("id", "text", "date", "title", "url", "source")
MAX_URL_LIST_CHARS = 10_000_000
MIN_READ_BYTES = 8_000_000  # a text file is read up to max(this, 4 bytes per max_chars)

Item = Article | Failure


def read_paths(paths: Iterable[str | Path], max_chars: int = 1_000_000) -> Iterator[Item]:
    """Read files and folders (recursively, in sorted order) into articles."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in KNOWN_SUFFIXES:
                    if child.suffix == "" or child.name.lower() == "readme.md":
                        continue
                    yield from read_file(child, max_chars)
        elif path.exists():
            yield from read_file(path, max_chars)
        else:
            yield Failure(str(path), "read", "E109", E.E109.format(path=path, detail="no such file or directory"))


def read_file(path: Path, max_chars: int = 1_000_000) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        yield Failure(str(path), "read", "E108", E.E108.format(path=path, suffix=suffix))
        return
    if suffix in STREAMED_SUFFIXES:
        yield from _read_streamed(path, suffix, max_chars)
        return
    # a plain-text article is read no further than max_chars can use, so a huge file costs no memory
    limit = max(max_chars * 4 + 256, MIN_READ_BYTES) if suffix in TEXT_SUFFIXES else -1
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        yield Failure(str(path), "read", "E109", E.E109.format(path=path, detail=exc.strerror or exc))
        return
    if suffix in FEED_SUFFIXES:  # feedparser reads the XML's own encoding declaration
        from .web import read_feed

        if raw.strip():
            yield from read_feed(raw, str(path), max_chars)
        else:
            yield Failure(str(path), "read", "E104", E.E104.format(path=path))
        return
    clipped = limit > 0 and size > len(raw)
    if clipped:
        raw = raw[: len(raw) - _partial_utf8_tail(raw)]
    decoded = decode_bytes(raw, str(path))
    if isinstance(decoded, Failure):
        yield decoded
        return
    if clipped:
        yield Failure(str(path), "read", "E114", E.E114.format(path=path, size=size, limit=max_chars))
        header, body = split_date_header(decoded)
        decoded = (f"date {header}\n" if header else "") + _truncate(body, max_chars)
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(io.StringIO(decoded), str(path), max_chars)
    elif suffix in CSV_SUFFIXES:
        yield from read_csv(io.StringIO(decoded), str(path), max_chars, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in HTML_SUFFIXES:
        yield from read_html(decoded, str(path), max_chars)
    elif url_list(decoded[:MAX_URL_LIST_CHARS]) is not None:
        yield Failure(str(path), "read", "E113", E.E113.format(path=path))
    else:
        yield from read_text(decoded, str(path), max_chars)


def _read_streamed(path: Path, suffix: str, max_chars: int) -> Iterator[Item]:
    """JSON Lines and CSV, line by line: the encoding is judged on the first 8 KB (as
    :func:`decode_bytes` judges a whole file), then each line is decoded on its own, so a 10 GB
    file costs one line of memory and a line with broken bytes keeps its readable text (the broken
    bytes become U+FFFD) instead of costing the file."""
    origin = str(path)
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Failure(origin, "read", "E109", E.E109.format(path=path, detail=exc.strerror or exc))
        return
    with fh:
        sample = fh.read(SAMPLE_BYTES)
        whole = len(sample) < SAMPLE_BYTES
        if not whole:
            sample = sample[: len(sample) - _partial_utf8_tail(sample)]
        encoding = _encoding(sample, origin, blank_is_empty=whole)
        if isinstance(encoding, Failure):
            yield encoding
            return
        fh.seek(0)
        if encoding == "utf-16":
            lines: Iterator[str] = io.TextIOWrapper(fh, encoding="utf-16", errors="replace", newline="")
        else:
            lines = _decoded_lines(fh, encoding)
        if suffix in CSV_SUFFIXES:
            yield from read_csv(lines, origin, max_chars, delimiter="\t" if suffix == ".tsv" else ",")
        else:
            yield from read_jsonl(lines, origin, max_chars)


def _decoded_lines(fh: BinaryIO, encoding: str) -> Iterator[str]:
    codec = "utf-8" if encoding == "utf-8-sig" else encoding  # the BOM is dropped here, once
    for n, raw in enumerate(fh):
        if n == 0 and encoding == "utf-8-sig" and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        yield raw.decode(codec, errors="replace")


def decode_bytes(raw: bytes, origin: str) -> str | Failure:
    """UTF-8 (with or without BOM), UTF-16 with a BOM; Latin-1 only for text that is plainly not binary.

    A stray NUL or control character does not make a file binary (clean_text drops them later), so
    one bad line of a JSONL file does not cost the good ones; many of them do.
    """
    encoding = _encoding(raw, origin)
    if isinstance(encoding, Failure):
        return encoding
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return Failure(origin, "read", "E101", E.E101.format(path=origin))


def _encoding(raw: bytes, origin: str, blank_is_empty: bool = True) -> str | Failure:
    """The encoding :func:`decode_bytes` reads ``raw`` with, or the Failure it gives."""
    if blank_is_empty and not raw.strip():
        return Failure(origin, "read", "E104", E.E104.format(path=origin))
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    sample = raw[:SAMPLE_BYTES]
    if sample.count(0) > len(sample) * 0.01:
        return Failure(origin, "read", "E105", E.E105.format(path=origin))
    try:
        raw.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if control > len(sample) * 0.05:
        return Failure(origin, "read", "E105", E.E105.format(path=origin))
    high = sum(1 for b in sample if b >= 128)
    if control or high > len(sample) * 0.3:
        return Failure(origin, "read", "E101", E.E101.format(path=origin))
    return "latin-1"


def read_text(text: str, origin: str, max_chars: int = 1_000_000) -> Iterator[Item]:
    """A plain-text article, with an optional ``date YYYY-MM-DD`` header line or inline prefix."""
    header_date, body = split_date_header(text)
    yield from _article({"text": body, "date": header_date}, origin, max_chars)


def read_jsonl(stream: Iterable[str], origin: str, max_chars: int = 1_000_000) -> Iterator[Item]:
    """One JSON object per line with at least ``text``; a bad line is a Failure, the rest is read."""
    first = True
    for lineno, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        if first and line[:1] in "[{" and origin.lower().endswith(".json"):
            # a .json file holding one document or one array of them (pretty-printed or not)
            rest = line + "\n" + "".join(stream)
            try:
                docs = json.loads(rest)
            except (json.JSONDecodeError, RecursionError, ValueError) as exc:
                if line.startswith("["):
                    yield Failure(origin, "read", "E102",
                                  E.E102.format(path=origin, line=lineno, detail=_json_error(exc)))
                    return
                # not one document: JSON Lines in a file named .json
                stream = io.StringIO(rest)
                for offset, again in enumerate(stream, lineno):
                    yield from _jsonl_line(again, origin, offset, max_chars)
                return
            for i, doc in enumerate(docs if isinstance(docs, list) else [docs], 1):
                yield from _record(doc, origin, i, max_chars)
            return
        first = False
        yield from _jsonl_line(line, origin, lineno, max_chars)


def _jsonl_line(line: str, origin: str, lineno: int, max_chars: int) -> Iterator[Item]:
    line = line.strip()
    if not line:
        return
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        yield Failure(f"{origin}:{lineno}", "read", "E102",
                      E.E102.format(path=origin, line=lineno, detail=_json_error(exc)))
        return
    yield from _record(obj, origin, lineno, max_chars)


def read_csv(stream: Iterable[str], origin: str, max_chars: int = 1_000_000, delimiter: str = ",") -> Iterator[Item]:
    """CSV with a header naming some of id, text, date, title, url, source (only text is required)."""
    csv.field_size_limit(max(max_chars * 4, 1 << 20))
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        yield Failure(origin, "read", "E104", E.E104.format(path=origin))
        return
    except csv.Error as exc:
        yield Failure(origin, "read", "E106", E.E106.format(path=origin, line=1, detail=f"bad CSV header: {exc}"))
        return
    if "text" not in header:
        yield Failure(origin, "read", "E106", E.E106.format(path=origin, line=1, detail="no 'text' column in the header"))
        return
    lineno = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            lineno += 1
            yield Failure(f"{origin}:{lineno}", "read", "E106", E.E106.format(path=origin, line=lineno, detail=f"bad CSV row: {exc}"))
            continue
        lineno = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield Failure(
                f"{origin}:{lineno}", "read", "E106",
                E.E106.format(path=origin, line=lineno, detail=f"{len(row)} fields where the header has {len(header)}"),
            )
            continue
        yield from _record(dict(zip(header, row, strict=True)), origin, lineno, max_chars)


def read_html(html: str | bytes, origin: str, max_chars: int = 1_000_000, url: str | None = None) -> Iterator[Item]:
    """Main text, title and date of an HTML page, via trafilatura (``url`` for pages fetched from the web)."""
    data = extract_html(html, url)
    if isinstance(data, str):
        yield Failure(origin, "read", "E107", E.E107.format(path=origin) + data)
        return
    if url:
        data["url"] = url
    yield from _article(data, origin, max_chars)


def extract_html(html: str | bytes, url: str | None = None) -> dict[str, Any] | str:
    """text, title, date, url and source of a page; or why there is none (a short parenthesis)."""
    import trafilatura

    try:
        # extensive date search off: it takes a footer "Copyright 2024" for the publication date;
        # the date then comes from meta tags, JSON-LD, <time> elements or the URL only
        result = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                             date_extraction_params={"extensive_search": False,
                                                                     "original_date": True})
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return f" ({type(exc).__name__})"
    data: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    text = data.get("text") or ""
    if not text.strip():
        return ""
    return {"text": text, "title": data.get("title"), "date": data.get("date"), "url": data.get("url"),
            "source": data.get("sitename")}


def read_stdin(max_chars: int = 1_000_000) -> Iterator[Item]:
    return read_jsonl(sys.stdin, "<stdin>", max_chars)


def _record(obj: Any, origin: str, lineno: int, max_chars: int) -> Iterator[Item]:
    if not isinstance(obj, dict):
        yield Failure(f"{origin}:{lineno}", "read", "E112", E.E112.format(path=origin, line=lineno))
        return
    yield from read_record(obj, f"{origin}:{lineno}", max_chars)


def read_record(obj: dict[str, Any], where: str, max_chars: int = 1_000_000) -> Iterator[Item]:
    """One document given as a dict (a JSONL line, a CSV row, a Spark row): the Article, with any
    Failure about it first (an unusable date, truncation), or a Failure alone when it has no text.
    ``where`` names it in failures and becomes the article's origin."""
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        path, sep, line = where.rpartition(":")
        yield Failure(where, "read", "E103", E.E103.format(path=path, line=line) if sep else
                      E.E103.format(path=where, line=1))
        return
    fields = {k: obj.get(k) for k in FIELDS}
    yield from _article(fields, where, max_chars)


def _article(fields: dict[str, Any], origin: str, max_chars: int) -> Iterator[Item]:
    text = clean_text(str(fields["text"]))
    if not text.strip():
        yield Failure(origin, "read", "E103", E.E103.format(path=origin, line=1))
        return
    given_id = fields.get("id")
    doc_id = clean_field(str(given_id)).strip() if given_id not in (None, "") else ""
    doc_id = doc_id or stable_id(text)
    if len(text) > max_chars:
        yield Failure(doc_id, "read", "E111", E.E111.format(item=doc_id, n=len(text), limit=max_chars))
        text = _truncate(text, max_chars)
    raw_date = fields.get("date")
    when: date | None = None
    if raw_date not in (None, ""):
        when = parse_date(str(raw_date))
        if when is None:
            yield Failure(doc_id, "read", "E110", E.E110.format(item=doc_id, value=str(raw_date)[:40]))
    title = fields.get("title") or detect_title(text)
    yield Article(
        id=doc_id,
        text=text,
        date=when,
        title=_opt(title),
        url=_opt(fields.get("url")),
        source=_opt(fields.get("source")),
        language=detect_language(text),
        origin=origin,
    )


def _partial_utf8_tail(raw: bytes) -> int:
    """How many bytes at the end of ``raw`` are an incomplete UTF-8 character (0 to 3)."""
    for back in range(1, min(4, len(raw)) + 1):
        b = raw[-back]
        if b < 0x80:
            return 0
        if b >= 0xC0:  # lead byte: complete if the sequence it starts fits
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return 0 if back >= need else back
    return 0


def _truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars``: cut after the last full stop, else at the last space, never to blank."""
    head = text[:max_chars]
    cut = head.rfind(".")
    if cut > 0 and head[: cut + 1].strip():
        return head[: cut + 1]
    space = head.rstrip().rfind(" ")
    if space > 0 and head[:space].strip():
        return head[:space].rstrip()
    if head.strip():
        return head.rstrip()
    # only whitespace before the limit: keep the first max_chars characters of the text proper
    return text.strip()[:max_chars]


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return exc.msg
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:80]


def _opt(value: Any) -> str | None:
    if value is None:
        return None
    s = re.sub(r"\s+", " ", clean_field(str(value))).strip()
    return s or None
