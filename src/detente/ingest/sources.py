"""Every kind of input at once: files, folders, URL-list files and http(s) URLs (pages or feeds)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx

from ..records import Article, Failure
from ..settings import Settings
from .readers import TEXT_SUFFIXES, read_paths
from .web import WebReader, is_url, read_url_file, stored_urls, url_list

Item = Article | Failure
URL_LIST_SUFFIXES = TEXT_SUFFIXES | {".urls", ".list"}
MAX_URL_LIST_BYTES = 10_000_000


def read_sources(sources: Iterable[str | Path], settings: Settings, db: str | Path | None = None,
                 url_files: Iterable[str | Path] = (), stop: threading.Event | None = None,
                 transport: httpx.BaseTransport | None = None) -> Iterator[Item]:
    """Articles and failures from every source, in order; URLs already in the store ``db`` are not fetched.

    URLs are fetched when this is called (so the caller may open the store for writing afterwards);
    files and folders are read lazily as the result is consumed.
    """
    parts: list[Iterable[Item]] = []
    urls: list[str] = []
    for src in [*sources, *(Path(f) for f in url_files)]:
        listed = Path(src) in {Path(f) for f in url_files}
        if isinstance(src, str) and is_url(src):
            urls.append(src.strip())
            continue
        path = Path(src)
        if listed:
            found, bad = read_url_file(path)
            urls += found
            parts.append(bad)
        elif _is_url_list(path):
            urls += read_url_file(path)[0]
        else:
            parts.append(read_paths([path], settings.max_chars))
    if urls:
        with WebReader(settings, known=stored_urls(db or settings.db), stop=stop, transport=transport) as web:
            parts.insert(0, list(web.read(urls)))
    return itertools.chain.from_iterable(parts)


def _is_url_list(path: Path) -> bool:
    """A text file whose non-blank, non-comment lines are all http(s) URLs."""
    try:
        if not path.is_file() or path.suffix.lower() not in URL_LIST_SUFFIXES:
            return False
        if path.stat().st_size > MAX_URL_LIST_BYTES:
            return False
        return url_list(path.read_bytes().decode("utf-8-sig", "replace")) is not None
    except OSError:
        return False
