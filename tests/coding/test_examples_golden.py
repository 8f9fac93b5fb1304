"""Golden tests: the two example articles give the PRK–RUS events a careful reader expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.api import pipeline
from detente.ingest import read_paths
from detente.records import Article, Event

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def events() -> list[Event]:
    arts = [a for a in read_paths([EXAMPLES]) if isinstance(a, Article)]
    assert len(arts) == 2
    return [e for c in pipeline()(arts) for e in c.events]


def dyad(events: list[Event], src: str, tgt: str, roots: tuple[str, ...]) -> list[Event]:
    return [e for e in events if e.source.country == src and e.target.country == tgt and e.root in roots]


def test_summit_at_vostochny_dated_and_placed(events: list[Event]) -> None:
    meetings = [e for e in dyad(events, "PRK", "RUS", ("04",)) + dyad(events, "RUS", "PRK", ("04",))
                if e.factuality == "asserted"]
    assert meetings, "the Kim–Putin meeting must be coded"
    m = meetings[0]
    assert m.date == "2023-09-13" and m.date_source == "explicit"
    assert m.place is not None and m.place.country == "RUS" and "Vostochny" in m.place.name
    assert "meeting" in m.sentence[m.trigger.start:m.trigger.end]


def test_pledged_military_cooperation(events: list[Event]) -> None:
    pledges = dyad(events, "PRK", "RUS", ("03", "06")) + dyad(events, "RUS", "PRK", ("03", "06"))
    assert any(e.cameo == "0312" and e.factuality == "intent" for e in pledges)


def test_munitions_from_north_korea_and_russian_military_help(events: list[Event]) -> None:
    supply = dyad(events, "PRK", "RUS", ("07", "06"))
    assert any(e.cameo == "072" and "equipment" in e.sentence for e in supply)
    help_ = dyad(events, "RUS", "PRK", ("07", "06"))
    assert any("assistance" in e.trigger.text for e in help_)


def test_congratulations_and_invitation(events: list[Event]) -> None:
    congrats = [e for e in events if e.cameo == "051" and e.source.country == "PRK" and e.target.country == "RUS"
                and "congratulations" in e.trigger.text]
    assert congrats and congrats[0].source.code == "PRKGOV" and congrats[0].target.code == "RUSGOV"
    invites = dyad(events, "PRK", "RUS", ("03",))
    assert any(e.cameo == "036" and e.trigger.text == "invitation" and e.factuality == "intent" for e in invites)


def test_speculation_is_not_asserted(events: list[Event]) -> None:
    first = [e for e in events if e.article_date == "2023-11-07"]
    speculative = [e for e in first if e.sentence_index > 0]
    assert speculative, "the speculative passages name PRK and RUS and must be seen"
    assert all(e.factuality != "asserted" for e in speculative)


def test_every_event_carries_its_evidence(events: list[Event]) -> None:
    for e in events:
        assert e.rule and e.sentence and e.doc_id
        assert e.sentence[e.trigger.start:e.trigger.end] == e.trigger.text
        assert e.sentence[e.source.start:e.source.end] == e.source.text
        assert e.quad in (1, 2, 3, 4) and e.goldstein is not None
