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
from .speedups import speed_up

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

NLP_BATCH = 128  # blocks per nlp.pipe minibatch (tok2vec and parser run ~5% faster than at 32)
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
        text = doc.text.lower()
        if not any(w in text for w in _PAIR_WORDS):  # a word of the doc is a substring of its text
            return False
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
        self.nlp = load_model(self.settings.model, exclude=("ner",))  # dates come from DateFinder
        speed_up(self.nlp, numpy_gemm=self.settings.numpy_gemm)  # same annotations, faster (speedups.py)
        self.dictionary = ActorDictionary.load(self.settings.actors_files)
        self.coder = EventCoder(
            actors=ActorMatcher(self.nlp, self.dictionary),
            rules=RuleBook(petrarch_verbs=self.settings.petrarch_verbs),
            cameo=Cameo(),
            dates=DateResolver(self.nlp.vocab),
            places=PlaceFinder(self.nlp, Gazetteer.load()),
            max_sentence_tokens=self.settings.max_sentence_tokens,
        )
        self.gate = ParseGate(self.coder.actors, self.coder.places) if self.settings.fast_path else None

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
                docs: Iterator = self.nlp.pipe(texts, as_tuples=True, batch_size=NLP_BATCH)
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
        """The fast path: the same sentences, events and failures as parsing everything.

        A block gets the tagger and parser only when :class:`ParseGate` says an event is possible in
        it; the others get the model's cheap ``senter`` for their sentence boundaries and are not
        coded.
        """
        assert self.gate is not None
        docs = [self.nlp.make_doc(b.text) for b, _ in work]
        pairs = {n for (_, n), d in zip(work, docs, strict=True) if self.gate.pair_phrase(d)}
        full = [n in pairs or self.gate.possible(d, articles[n].date) for (_, n), d in zip(work, docs, strict=True)]
        parsed = self.nlp.pipe((d for d, f in zip(docs, full, strict=True) if f), batch_size=NLP_BATCH)
        cheap = self.nlp.get_pipe("senter").pipe((d for d, f in zip(docs, full, strict=True) if not f),
                                                 batch_size=NLP_BATCH)
        for (block, n), f in zip(work, full, strict=True):
            doc = next(parsed if f else cheap)
            self._code_block(articles[n], doc, block, sentences[n], events[n] if f else None, failures[n], memory[n])

    def _code_block(self, article: Article, doc: Doc, block: Block, sentences: list[Sentence],
                    events: list[Event] | None, failures: list[Failure], memory: list[Actor]) -> None:
        """Record the sentences of a block and, unless ``events`` is None (not parsed), code them."""
        for sent in doc.sents:
            raw = block.text[sent.start_char:sent.end_char]  # = sent.text (the doc was made from block.text)
            text = raw.strip()
            if not text:
                continue
            rec = Sentence(article.id, len(sentences), text, block.start + sent.start_char,
                           block.start + sent.end_char)
            sentences.append(rec)
            if events is None:
                continue
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
