"""Records: frozen, picklable, deterministic ids and JSON-ready dicts."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys
from datetime import date

import pytest

from detente.records import (
    Actor,
    Article,
    CodedArticle,
    Event,
    Failure,
    Place,
    Sentence,
    Span,
    stable_id,
    to_dict,
)

SENTENCE = "North Korea has supplied artillery shells to Russia, South Korea's defence minister said."


def supply_event() -> Event:
    return Event(
        event_id="ev-prk-rus-072", doc_id="doc1", sentence_index=0, sentence=SENTENCE,
        date="2024-02-27", date_source="article",
        source=Actor("PRK", "PRK", None, "North Korea", "North Korea", 0, 11, "country"),
        target=Actor("RUS", "RUS", None, "Russia", "Russia", 45, 51, "country"),
        cameo="072", cameo_name="Provide military aid", root="07", quad=2, goldstein=7.4, plover="AID",
        factuality="asserted", trigger=Span("supplied", 16, 24), rule="supply_of_X_to_Y",
        place=Place("Seoul", "KOR", 37.57, 126.98), attribution="South Korea's defence minister",
        article_date="2024-02-27", cues=("said",),
    )


def test_records_are_frozen() -> None:
    art = Article(id="a1", text=SENTENCE, date=date(2024, 2, 27))
    with pytest.raises(dataclasses.FrozenInstanceError):
        art.text = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        supply_event().cameo = "190"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Failure("x.txt", "read", "E104", "x.txt: empty file").code = "E105"  # type: ignore[misc]


def test_records_use_slots() -> None:
    art = Article(id="a1", text=SENTENCE)
    assert not hasattr(art, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        art.extra = 1  # type: ignore[attr-defined]


def test_records_compare_by_value_and_pickle() -> None:
    ev = supply_event()
    assert ev == supply_event()
    assert pickle.loads(pickle.dumps(ev)) == ev
    coded = CodedArticle(Article("doc1", SENTENCE), (Sentence("doc1", 0, SENTENCE, 0, len(SENTENCE)),), (ev,))
    assert pickle.loads(pickle.dumps(coded)) == coded


def test_stable_id_is_deterministic_and_distinguishes_parts() -> None:
    assert stable_id("PRK", "RUS", "072") == stable_id("PRK", "RUS", "072")
    assert stable_id("PRK", "RUS", "072") != stable_id("RUS", "PRK", "072")
    assert stable_id("ab", "c") != stable_id("a", "bc")  # parts are separated
    assert stable_id(None) == stable_id("")
    assert len(stable_id("x")) == 16
    assert len(stable_id("x", length=40)) == 40
    assert stable_id("x", length=40).startswith(stable_id("x"))


def test_stable_id_is_the_same_in_another_process() -> None:
    code = "from detente.records import stable_id; print(stable_id('North Korea', 2024, None))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == stable_id("North Korea", 2024, None)


def test_content_hash_depends_on_text_only() -> None:
    a = Article(id="a", text=SENTENCE, date=date(2024, 1, 1))
    b = Article(id="b", text=SENTENCE, source="Other Wire")
    assert a.content_hash == b.content_hash == stable_id(SENTENCE, length=40)
    assert Article(id="a", text=SENTENCE + " ").content_hash != a.content_hash


def test_to_dict_turns_dates_into_iso_strings() -> None:
    d = to_dict(Article(id="a1", text=SENTENCE, date=date(2024, 2, 27), origin="news.jsonl:3"))
    assert d == {"id": "a1", "text": SENTENCE, "date": "2024-02-27", "title": None, "url": None,
                 "source": None, "language": None, "origin": "news.jsonl:3"}


def test_to_dict_nests_records_as_dicts_and_is_json_ready() -> None:
    d = to_dict(supply_event())
    assert d["source"] == {"code": "PRK", "country": "PRK", "sector": None, "name": "North Korea",
                           "text": "North Korea", "start": 0, "end": 11, "kind": "country"}
    assert d["target"]["code"] == "RUS"
    assert d["trigger"] == {"text": "supplied", "start": 16, "end": 24}
    assert d["place"] == {"name": "Seoul", "country": "KOR", "lat": 37.57, "lon": 126.98}
    assert d["cues"] == ["said"]
    assert json.loads(json.dumps(d)) == d


def test_to_dict_of_coded_article() -> None:
    art = Article("doc1", SENTENCE, date=date(2024, 2, 27))
    coded = CodedArticle(art, (Sentence("doc1", 0, SENTENCE, 0, len(SENTENCE)),), (supply_event(),),
                         (Failure("doc1", "code", "E202", "doc1: coding failed in sentence 1 (x)"),))
    d = to_dict(coded)
    assert d["article"]["date"] == "2024-02-27"
    assert d["sentences"] == [{"doc_id": "doc1", "index": 0, "text": SENTENCE, "start": 0, "end": len(SENTENCE)}]
    assert d["events"][0]["source"]["name"] == "North Korea"
    assert d["failures"][0]["code"] == "E202"
    json.dumps(d)
