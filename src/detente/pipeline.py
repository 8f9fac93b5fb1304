"""Compose the stages: Article -> (spaCy) -> sentences -> actors -> Events. Knows nothing of executors.

``Pipeline`` is built once from ``Settings`` (model, dictionaries, rules and matchers loaded in the
constructor) and is a plain callable over a batch of articles, so the same object can run in-process,
in a process pool or inside a Spark ``mapInArrow`` function.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from .actors.dictionary import ActorDictionary
from .actors.matcher import ActorMatcher
from .coding.coder import PAIR_NOUNS, EventCoder
from .coding.rules import RuleBook
from .dates import DateResolver
from .errors import E
from .nlp import Block, blocks, load_model
from .places import Gazetteer, PlaceFinder
from .records import Actor, Article, CodedArticle, Event, Failure, Sentence
from .reference import Cameo
from .settings import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

log = logging.getLogger(__name__)

_PAIR_WORDS = frozenset({"both", "two"})
_PAIR_PLURALS = frozenset({n + "s" for n in PAIR_NOUNS} | {n[:-1] + "ies" for n in PAIR_NOUNS if n.endswith("y")})


class ParseGate:
    """Decides, from tokens alone, whether a block could yield an event (the fast path).

    The coder codes a sentence only when its actors name two countries, or one country and a
    capitalised place in another (``EventCoder.code_sentence``). Actors are built from the actor
    dictionary's phrase matches, so if all of a block's matches (before overlap removal, resolved on
    the article date, with the same case rule) plus its gazetteer places name fewer than two
    countries, no sentence of it can. The one thing that reaches across sentences is "both leaders"
    / "the two countries" (resolved from the actors named earlier in the article), so an article with
    such a phrase is parsed whole. Conservative: it may parse a block that yields nothing, never the
    reverse.
    """

    def __init__(self, actors: ActorMatcher, places: PlaceFinder | None):
        self.actors = actors
        self.places = places

    def pair_phrase(self, doc: Doc) -> bool:
        words = {t.lower_ for t in doc}
        return bool(words & _PAIR_WORDS) and bool(words & _PAIR_PLURALS or {w[:-1] for w in words} & PAIR_NOUNS)

    def possible(self, doc: Doc, on: dt.date | None) -> bool:
        countries = self.countries(doc, on)
        if len(countries) != 1:
            return len(countries) > 1
        if self.places is None:
            return False
        by_alias = self.places.gazetteer.by_alias
        for _, s, e in self.places.matcher(doc):
            span = doc[s:e]
            hit = by_alias.get(" ".join(span.text.lower().split())) if span.text[:1].isupper() else None
            if hit is not None and hit[0].country and hit[0].country not in countries:
                return True
        return False

    def countries(self, doc: Doc, on: dt.date | None) -> set[str]:
        """Countries of every dictionary match in ``doc`` (a superset of what its actors can name)."""
        dictionary, strings = self.actors.dictionary, self.actors.vocab.strings
        out: set[str] = set()
        for matcher in (self.actors.exact, self.actors.lower):
            for match_id, s, _ in matcher(doc):
                kind, alias = strings[match_id].split("|", 1)
                if kind == "G":
                    continue
                written = dictionary.surface.get(alias, alias)
                if written[:1].isupper() and not doc[s].text[:1].isupper():
                    continue
                entry = dictionary.resolve(alias, on)
                if entry is not None and entry.country:
                    out.add(entry.country)
        return out


class Pipeline:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.nlp = load_model(self.settings.model)
        self.dictionary = ActorDictionary.load(self.settings.actors_files)
        self.coder = EventCoder(
            actors=ActorMatcher(self.nlp, self.dictionary),
            rules=RuleBook(petrarch_verbs=self.settings.petrarch_verbs),
            cameo=Cameo(),
            dates=DateResolver(),
            places=PlaceFinder(self.nlp, Gazetteer.load()),
            max_sentence_tokens=self.settings.max_sentence_tokens,
        )
        self.gate = ParseGate(self.coder.actors, self.coder.places) if self.settings.fast_path else None
        self.has_ner = "ner" in self.nlp.pipe_names

    def __call__(self, articles: Sequence[Article]) -> list[CodedArticle]:
        """Code a batch of articles; an article that fails becomes a CodedArticle with a Failure."""
        work: list[tuple[Block, int]] = []
        for n, art in enumerate(articles):
            for b in blocks(art.text):
                if not b.heading:
                    work.append((b, n))
        sentences: list[list[Sentence]] = [[] for _ in articles]
        events: list[list[Event]] = [[] for _ in articles]
        failures: list[list[Failure]] = [[] for _ in articles]
        memory: list[list[Actor]] = [[] for _ in articles]  # actors named so far, per article
        try:
            if self.gate is not None:
                self._code_fast(articles, work, sentences, events, failures, memory)
            else:
                texts = ((b.text, (b, n)) for b, n in work)
                docs: Iterator = self.nlp.pipe(texts, as_tuples=True, batch_size=self.settings.batch_size)
                for doc, (block, n) in docs:
                    self._code_block(articles[n], doc, block, sentences[n], events[n], failures[n], memory[n])
        except Exception as exc:  # a model failure on one batch must not sink the run: retry one by one
            log.warning("batch failed (%s); retrying article by article", exc)
            if len(articles) > 1:
                return [r for a in articles for r in self([a])]
            art = articles[0]
            return [CodedArticle(art, (), (), (Failure(art.id, "nlp", "E201", E.E201.format(item=art.id, detail=exc)),))]
        return [
            CodedArticle(a, tuple(sentences[i]), tuple(events[i]), tuple(failures[i]))
            for i, a in enumerate(articles)
        ]

    def _code_fast(self, articles: Sequence[Article], work: list[tuple[Block, int]], sentences: list[list[Sentence]],
                   events: list[list[Event]], failures: list[list[Failure]], memory: list[list[Actor]]) -> None:
        """The fast path: the same sentences, events and failures as parsing everything with the whole model.

        A block gets the parser only when :class:`ParseGate` says an event is possible in it; the
        others get the model's cheap ``senter`` for their sentence boundaries and are not coded. NER
        matters only for event dates (``DateResolver`` reads DATE entities), and whether an event
        exists never depends on its date: so sentences are coded without NER first, and those with
        events are coded again, with the article memory they had, after one batched NER pass over
        their blocks.
        """
        assert self.gate is not None
        size = self.settings.batch_size
        docs = [self.nlp.make_doc(b.text) for b, _ in work]
        pairs = {n for (_, n), d in zip(work, docs, strict=True) if self.gate.pair_phrase(d)}
        full = [n in pairs or self.gate.possible(d, articles[n].date) for (_, n), d in zip(work, docs, strict=True)]
        parsed = self.nlp.pipe((d for d, f in zip(docs, full, strict=True) if f), batch_size=size, disable=["ner"])
        cheap = self.nlp.get_pipe("senter").pipe((d for d, f in zip(docs, full, strict=True) if not f),
                                                 batch_size=size)
        coded: list[list[tuple[list[Event], list[Failure]]]] = [[] for _ in articles]  # per article, per sentence
        redo: list[tuple[int, int, Sentence, Span, int]] = []  # (article, coded index, sentence, span, memory mark)
        ner_docs: list[Doc] = []
        for (block, n), f in zip(work, full, strict=True):
            doc = next(parsed if f else cheap)
            for sent in doc.sents:
                text = sent.text.strip()
                if not text:
                    continue
                rec = Sentence(articles[n].id, len(sentences[n]), text, block.start + sent.start_char,
                               block.start + sent.start_char + len(sent.text))
                sentences[n].append(rec)
                if not f:
                    continue
                mark = len(memory[n])
                got = self._code_sentence(articles[n], rec, sent, memory[n])
                if got[0] and self.has_ner:
                    redo.append((n, len(coded[n]), rec, sent, mark))
                    if not ner_docs or ner_docs[-1] is not doc:
                        ner_docs.append(doc)
                coded[n].append(got)
        if redo:
            for _ in self.nlp.get_pipe("ner").pipe(ner_docs, batch_size=size):
                pass  # sets doc.ents in place
            for n, k, rec, sent, mark in redo:
                coded[n][k] = self._code_sentence(articles[n], rec, sent, memory[n][:mark])
        for n, per_sentence in enumerate(coded):
            for evs, fails in per_sentence:
                events[n].extend(evs)
                failures[n].extend(fails)

    def _code_sentence(self, article: Article, rec: Sentence, sent: Span,
                       memory: list[Actor]) -> tuple[list[Event], list[Failure]]:
        try:
            return self.coder.code_sentence(article, rec, sent, memory), []
        except Exception as exc:  # one odd parse must not lose the article
            return [], [Failure(article.id, "code", "E202",
                                E.E202.format(item=article.id, sentence=rec.index, detail=repr(exc)[:200]))]

    def _code_block(self, article: Article, doc, block: Block, sentences: list[Sentence],  # type: ignore[no-untyped-def]
                    events: list[Event], failures: list[Failure], memory: list[Actor]) -> None:
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            rec = Sentence(article.id, len(sentences), text, block.start + sent.start_char,
                           block.start + sent.start_char + len(sent.text))
            sentences.append(rec)
            try:
                events.extend(self.coder.code_sentence(article, rec, sent, memory))
            except Exception as exc:  # one odd parse must not lose the article
                failures.append(Failure(article.id, "code", "E202",
                                        E.E202.format(item=article.id, sentence=rec.index, detail=repr(exc)[:200])))

    def code(self, articles: Iterable[Article]) -> Iterator[CodedArticle]:
        """Stream articles through in batches of ``settings.batch_size``."""
        batch: list[Article] = []
        for a in articles:
            batch.append(a)
            if len(batch) >= self.settings.batch_size:
                yield from self(batch)
                batch = []
        if batch:
            yield from self(batch)
