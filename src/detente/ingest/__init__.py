"""Ingest: turn files, folders, JSONL, CSV, HTML and standard input into Article records."""

from .readers import read_file, read_html, read_jsonl, read_paths, read_stdin, read_text

__all__ = ["read_file", "read_html", "read_jsonl", "read_paths", "read_stdin", "read_text"]
