"""Ingest: turn files, folders, JSONL, CSV, HTML, URLs, feeds and standard input into Article records."""

from .readers import read_file, read_html, read_jsonl, read_paths, read_stdin, read_text
from .sources import read_sources
from .web import Fetcher, WebReader, parse_interval, url_id

__all__ = ["Fetcher", "WebReader", "parse_interval", "read_file", "read_html", "read_jsonl", "read_paths",
           "read_sources", "read_stdin", "read_text", "url_id"]
