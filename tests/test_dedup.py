"""Near-duplicate articles and one event per real-world event, on the example articles."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from detente import api, dedup
from detente.settings import Settings
from detente.store import Store


def example_texts(examples_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(examples_dir.glob("*.txt"))]


def lightly_edited(text: str) -> str:
    """A syndicated rewrite: a few words changed, the last paragraph dropped."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    out = "\n\n".join(paras[:-1])
    out = out.replace("significant", "considerable").replace("Furthermore", "Moreover")
    return re.sub(r"\bKim Jong Un\b", "Kim Jong-un", out)


def test_signatures_separate_copies_from_other_stories(examples_dir: Path) -> None:
    a, b = example_texts(examples_dir)
    sa, sb = dedup.signature(a), dedup.signature(b)
    assert dedup.jaccard(sa, dedup.signature(a)) == 1.0  # deterministic across calls
    assert dedup.jaccard(sa, dedup.signature(lightly_edited(a))) >= dedup.THRESHOLD
    assert dedup.jaccard(sb, dedup.signature(lightly_edited(b))) >= dedup.THRESHOLD
    assert dedup.jaccard(sa, sb) < 0.2
    shared = set(dedup.bands(sa)) & set(dedup.bands(dedup.signature(lightly_edited(a))))
    assert shared, "a near-duplicate must share at least one LSH band to be found"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("dedup") / "d.duckdb"
    api.ingest([examples_dir], db=db, settings=Settings(db=db))
    return db


def counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as s:
        return s.counts()


def test_ingesting_the_examples_twice_adds_nothing(store_path: Path, examples_dir: Path) -> None:
    before = counts(store_path)
    summary = api.ingest([examples_dir], db=store_path, settings=Settings(db=store_path))
    assert (summary.articles, summary.events) == (0, 0)
    assert {k: v for k, v in counts(store_path).items() if k != "runs"} == \
        {k: v for k, v in before.items() if k != "runs"}


def test_an_edited_copy_adds_mentions_not_events(store_path: Path, examples_dir: Path, tmp_path: Path) -> None:
    second = sorted(examples_dir.glob("*.txt"))[1]
    copy = tmp_path / "syndicated.txt"
    copy.write_text(lightly_edited(second.read_text(encoding="utf-8")), encoding="utf-8")
    before = counts(store_path)
    summary = api.ingest([copy], db=store_path, settings=Settings(db=store_path))
    after = counts(store_path)
    assert summary.articles == 1
    assert after["events"] == before["events"], "a rewrite of a stored story must not add events"
    assert after["mentions"] > before["mentions"]
    with Store(store_path, read_only=True) as s:
        dup = s.con.execute("SELECT duplicate_of FROM articles WHERE origin LIKE '%syndicated.txt'").fetchall()
        assert dup[0][0] is not None
        multi = s.events().query("num_articles > 1")
        assert len(multi) > 0
        ev = s.event(str(multi.iloc[0]["event_id"]))
        assert ev is not None and len({m["doc_id"] for m in ev["mentions"]}) == ev["num_articles"] >= 2


def test_one_event_reported_by_two_articles(tmp_path: Path) -> None:
    db = tmp_path / "two.duckdb"
    docs = [
        {"id": "wire-a", "date": "2024-06-19", "text": "Russia signed a strategic partnership treaty with "
         "North Korea on June 19, 2024, in Pyongyang, state media said."},
        {"id": "wire-b", "date": "2024-06-20", "text": "In Pyongyang on June 19, 2024, Russia signed a new "
         "strategic partnership treaty with North Korea, officials in Seoul confirmed on Thursday evening."},
    ]
    api.ingest(list(api.as_articles(docs)), db=db, settings=Settings(db=db))
    with Store(db, read_only=True) as s:
        ev = s.events(dyad=("PRK", "RUS"), root="05")
        mentions = s.mentions()
    assert len(ev) >= 1
    top = ev.sort_values("num_articles").iloc[-1]
    assert top["num_articles"] == 2
    assert set(mentions[mentions["event_id"] == top["event_id"]]["doc_id"]) == {"wire-a", "wire-b"}


def words_changed(text: str, share: float, seed: int = 1) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), int(len(words) * share)):
        words[i] = "xx" + words[i]
    return " ".join(words)


def drop_paragraphs(text: str, k: int) -> str:
    return "\n\n".join([p for p in text.split("\n\n") if p.strip()][:-k])


@pytest.mark.parametrize(("edit", "duplicate"), [
    (lightly_edited, True),
    (lambda t: words_changed(t, 0.01), True),
    (lambda t: drop_paragraphs(t, 1), True),
    (lambda t: t[: len(t) // 2], False),  # half an article is another article
    (lambda t: words_changed(t, 0.10), False),  # a rewrite
])
def test_threshold_on_edited_copies(examples_dir: Path, edit: Any, duplicate: bool) -> None:
    for text in example_texts(examples_dir):
        score = dedup.jaccard(dedup.signature(text), dedup.signature(edit(text)))
        assert (score >= dedup.THRESHOLD) is duplicate, score


def test_articles_sharing_sentences_are_not_duplicates(shared_dir: Path) -> None:
    """Short articles built from dev-gold sentences share one or two sentences in many pairs; none of
    those is a near-duplicate (the highest measured is about 0.65)."""
    cases = [json.loads(line) for line in (shared_dir / "data/gold/dev_cases.jsonl").read_text().splitlines()]
    rng = random.Random(7)
    texts = sorted({" ".join(c["text"] for c in rng.sample(cases, rng.randint(1, 3))) for _ in range(150)})
    sigs = [dedup.signature(t) for t in texts]
    scores = [dedup.jaccard(a, b) for i, a in enumerate(sigs) for b in sigs[i + 1:]]
    assert max(scores) < dedup.THRESHOLD
    assert sum(s >= 0.3 for s in scores) > 10, "the corpus must contain pairs that share sentences"
