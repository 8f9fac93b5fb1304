"""The frozen records every stage exchanges.

Records flow one way: ``Article`` -> ``Sentence`` -> ``ActorMention`` -> ``Event``; anything a stage
cannot handle becomes a ``Failure``. Records are plain frozen dataclasses with slots so that they pickle
cheaply (process pool, Spark) and serialise to JSON with :func:`to_dict`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Factuality = Literal["asserted", "hedged", "negated", "intent"]
DateSource = Literal["explicit", "relative", "article", "none"]


def stable_id(*parts: object, length: int = 16) -> str:
    """A short deterministic id from the given parts (same input, same id, in every process)."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Article:
    """One document as read from a source, before any NLP."""

    id: str
    text: str
    date: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    origin: str | None = None  # where it was read from: path, path:line, URL

    @property
    def content_hash(self) -> str:
        return stable_id(self.text, length=40)


@dataclass(frozen=True, slots=True)
class Sentence:
    doc_id: str
    index: int
    text: str
    start: int  # character offset in the article text
    end: int


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: who it is, with the words that named it."""

    code: str  # CAMEO-style, e.g. RUSGOV, PRKMIL, IGOUNO
    country: str | None  # ISO3 or organisation code (UN, NATO, EU ...)
    sector: str | None  # GOV, MIL, MED ... or None for the state itself
    name: str  # canonical name
    text: str  # the words matched in the sentence
    start: int = 0  # character offsets in the sentence
    end: int = 0
    kind: str = ""  # country, capital, demonym, person, org, media, igo, group, agent


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor found in a sentence, anchored to the token that heads its noun phrase."""

    doc_id: str
    sentence_index: int
    actor: Actor
    head: int  # token index (in the sentence) of the phrase head


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    start: int  # character offsets in the sentence
    end: int


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with the evidence that produced it."""

    event_id: str
    doc_id: str
    sentence_index: int
    sentence: str
    date: str | None  # ISO event date
    date_source: DateSource
    source: Actor
    target: Actor
    cameo: str
    cameo_name: str
    root: str | None
    quad: int | None
    goldstein: float | None
    plover: str | None
    factuality: Factuality
    trigger: Span
    rule: str
    place: Place | None = None
    attribution: str | None = None
    article_date: str | None = None
    cues: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Failure:
    """Bad input or a stage that could not handle one item: recorded, never raised."""

    item: str  # article id, path or path:line
    stage: str  # read, nlp, code, store, fetch
    code: str  # E101 ...
    message: str


def to_dict(record: Any) -> dict[str, Any]:
    """JSON-ready dict of a record (dates as ISO strings, nested records as dicts)."""
    out = dataclasses.asdict(record)
    return _jsonable(out)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class CodedArticle:
    """What the pipeline returns for one article: its sentences, events and any failures."""

    article: Article
    sentences: tuple[Sentence, ...]
    events: tuple[Event, ...]
    failures: tuple[Failure, ...] = ()
