"""The texts every executor test codes: the example articles and the dev gold documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.api import as_articles, pipeline
from detente.ingest import read_paths
from detente.records import Article, CodedArticle
from detente.settings import Settings


@pytest.fixture(scope="session")
def articles(examples_dir: Path, shared_dir: Path) -> list[Article]:
    """The two example articles, then every dev gold case (id, text, date)."""
    out = [a for a in read_paths(sorted(examples_dir.glob("*.txt")), 1_000_000) if isinstance(a, Article)]
    assert len(out) == 2
    with (shared_dir / "data" / "gold" / "dev_cases.jsonl").open(encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    out += as_articles([{"id": c["id"], "text": c["text"], "date": c.get("date")} for c in cases])
    return out


@pytest.fixture(scope="session")
def reference(articles: list[Article]) -> list[CodedArticle]:
    """In-process results with the default settings: what every other executor must reproduce."""
    return pipeline(Settings())(articles)
