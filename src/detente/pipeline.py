"""Compose the stages: Article -> (spaCy) -> sentences -> actors -> Events. Knows nothing of executors.

``Pipeline`` is built once from ``Settings`` (model, dictionaries, rules and matchers loaded in the
constructor) and is a plain callable over a batch of articles, so the same object can run in-process,
in a process pool or inside a Spark ``mapInArrow`` function.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence

from .actors.dictionary import ActorDictionary
from .actors.matcher import ActorMatcher
from .coding.coder import EventCoder
from .coding.rules import RuleBook
from .dates import DateResolver
from .errors import E
from .nlp import Block, blocks, load_model
from .places import Gazetteer, PlaceFinder
from .records import Actor, Article, CodedArticle, Event, Failure, Sentence
from .reference import Cameo
from .settings import Settings

log = logging.getLogger(__name__)


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
        texts = ((b.text, (b, n)) for b, n in work)
        try:
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
