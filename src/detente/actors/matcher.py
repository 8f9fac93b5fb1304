"""Find actors in parsed sentences and compose them into phrases.

Dictionary matches are pieces: a named actor ("Vladimir Putin", "KCNA", "Moscow"), a demonym
("North Korean") or an agent noun ("leader", "troops"). Pieces that modify the same noun phrase head
are composed into one actor: "North Korean leader Kim Jong Un" -> PRKGOV; "Russian forces" -> RUSMIL;
"Niger's military rulers" -> NERGOV. Each actor is anchored to the token heading its phrase, which is
what the event coder's dependency rules look at.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..records import Actor
from .dictionary import ActorDictionary, ActorEntry, normalise_alias

NAMED_PRECEDENCE = {"person": 5, "media": 4, "org": 4, "group": 4, "igo": 4, "capital": 3, "country": 2, "demonym": 1}
MODIFIER_DEPS = {"compound", "amod", "nmod", "flat", "npadvmod"}
NOUNS = {"NOUN", "PROPN"}


@dataclass(frozen=True, slots=True)
class Piece:
    start: int  # token indices in the doc
    end: int
    kind: str  # a NAMED_PRECEDENCE kind, or "agent"
    entry: ActorEntry | None
    sector: str | None  # for agents


class ActorMatcher:
    """Built once per process from the dictionary; matching is per document."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary):
        self.dictionary = dictionary
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        forms: dict[str, set[str]] = defaultdict(set)
        for e in dictionary.entries:
            for a in e.aliases:
                forms[normalise_alias(a)].add(a[4:] if a.lower().startswith("the ") else a)
        for alias, written in forms.items():
            exact = [w for w in written if _is_acronym(w)]
            if exact:
                self.exact.add("A|" + alias, [nlp.make_doc(w) for w in exact])
            if len(exact) < len(written):
                self.lower.add("A|" + alias, [nlp.make_doc(alias)])
        for alias in dictionary.agents:
            self.lower.add("G|" + alias, [nlp.make_doc(alias)])
        self.country_names = {e.code: e.name for e in dictionary.entries if e.kind == "country"}
        self.vocab = nlp.vocab
        self._cache_doc: Doc | None = None
        self._cache: list[tuple[int, int, str]] = []

    def _doc_matches(self, doc: Doc) -> list[tuple[int, int, str]]:
        """All matches of a document, computed once and reused for each of its sentences."""
        if self._cache_doc is not doc:
            found: list[tuple[int, int, str]] = []
            for matcher in (self.exact, self.lower):
                for match_id, s, e in matcher(doc):
                    found.append((s, e, self.vocab.strings[match_id]))
            self._cache_doc, self._cache = doc, found
        return self._cache

    def pieces(self, doc: Span, on: date | None) -> list[Piece]:
        """Non-overlapping dictionary matches in a sentence, longest first."""
        found = [m for m in self._doc_matches(doc.doc) if doc.start <= m[0] and m[1] <= doc.end]
        found.sort(key=lambda t: (-(t[1] - t[0]), t[0], t[2]))
        taken: set[int] = set()
        out: list[Piece] = []
        sdoc = doc.doc
        for s, e, key in found:
            if any(i in taken for i in range(s, e)):
                continue
            kind, alias = key.split("|", 1)
            if kind == "G":
                sector, _ = self.dictionary.agents[alias]
                out.append(Piece(s, e, "agent", None, sector))
            else:
                written = self.dictionary.surface.get(alias, alias)
                if written[:1].isupper() and not sdoc[s].text[:1].isupper():
                    continue  # "us" is not the US, "turkey" not Turkey
                entry = self.dictionary.resolve(alias, on)
                if entry is None:
                    continue
                out.append(Piece(s, e, entry.kind, entry, None))
            taken.update(range(s, e))
        out.sort(key=lambda p: p.start)
        return out

    def actors(self, sent: Span, on: date | None) -> dict[int, list[Actor]]:
        """Composed actors of a sentence keyed by the doc index of the token heading each phrase."""
        pieces = self.pieces(sent, on)
        if not pieces:
            return {}
        doc = sent.doc
        agent_tokens = {i for p in pieces if p.kind == "agent" for i in range(p.start, p.end)}
        groups: dict[int, list[Piece]] = defaultdict(list)
        coord: dict[int, list[int]] = defaultdict(list)  # anchor -> coordinated modifier anchors
        for p in pieces:
            tok = doc[p.start:p.end].root
            anchor = _climb(tok, agent_tokens, sent)
            groups[anchor.i].append(p)
        # "Russian and Chinese warships": the conjunct modifier shares its head's anchor
        for anchor in list(groups):
            tok = doc[anchor]
            if tok.dep_ == "conj" and tok.pos_ == "ADJ":
                head_anchor = _climb(tok.head, agent_tokens, sent)
                if head_anchor.i != anchor and head_anchor.i in groups:
                    coord[head_anchor.i].append(anchor)
        out: dict[int, list[Actor]] = {}
        for anchor, group in groups.items():
            for part in _hyphen_pairs(group, doc):
                actor = self._compose(part, doc[anchor], sent)
                if actor is not None:
                    out.setdefault(anchor, []).append(actor)
        for head, others in coord.items():
            base = out.get(head)
            if not base:
                continue
            for o in others:
                for a in out.pop(o, []):
                    sector = base[0].sector if a.sector is None else a.sector
                    code = (a.country or a.code) + (sector or "") if a.kind == "demonym" else a.code
                    base.append(Actor(code, a.country, sector, a.name, a.text, a.start, a.end, a.kind))
        return out

    def _compose(self, group: list[Piece], anchor: Token, sent: Span) -> Actor | None:
        named = [p for p in group if p.entry is not None]
        agents = [p for p in group if p.kind == "agent"]
        if not named:
            return None
        best = max(named, key=lambda p: (NAMED_PRECEDENCE.get(p.kind, 0), p.end - p.start))
        e = best.entry
        assert e is not None
        sector = e.sector
        code = e.code
        if sector is None and e.kind in ("country", "demonym", "capital"):
            if agents:
                sector = agents[-1].sector
                code = (e.country or e.code) + (sector or "")
        if e.kind == "capital" and sector is None:
            sector = "GOV"
        name = e.name if e.kind not in ("demonym",) else self.country_names.get(e.country or "", e.name)
        if e.kind in ("demonym", "country") and sector:
            name = f"{name} ({sector})"
        start_tok = min(min(p.start for p in group), anchor.i)
        end_tok = max(max(p.end for p in group), anchor.i + 1)
        # a demonym only modifying a common noun names the country ("Ukrainian cities")
        base = sent.start_char
        text = sent.doc[start_tok:end_tok].text
        return Actor(
            code=code, country=e.country, sector=sector, name=name, text=text,
            start=sent.doc[start_tok].idx - base, end=sent.doc[end_tok - 1].idx + len(sent.doc[end_tok - 1]) - base,
            kind=e.kind,
        )


def _hyphen_pairs(group: list[Piece], doc: Doc) -> list[list[Piece]]:
    """"the Polish-Belarusian border": two named pieces joined by a hyphen are two actors, not one."""
    named = sorted((p for p in group if p.entry is not None), key=lambda p: p.start)
    if len(named) == 2 and named[0].end + 1 == named[1].start and doc[named[0].end].text in ("-", "–") and \
            named[0].entry.country != named[1].entry.country:  # type: ignore[union-attr]
        rest = [p for p in group if p.entry is None]
        return [[named[0], *rest], [named[1], *rest]]
    return [group]


def _climb(tok: Token, agent_tokens: set[int], sent: Span) -> Token:
    """The head of the noun phrase a piece modifies (through compounds, adjectives, possessives of roles)."""
    seen = 0
    while seen < 8:
        seen += 1
        head = tok.head
        if head.i == tok.i or not (sent.start <= head.i < sent.end):
            break
        if tok.dep_ in MODIFIER_DEPS and head.pos_ in NOUNS | {"ADJ"} and head.i > tok.i:
            tok = head
            continue
        if tok.dep_ == "poss" and head.i in agent_tokens:
            tok = head  # "Russia's foreign minister"
            continue
        if (tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "of"
                and head.head.i in agent_tokens):
            tok = head.head  # "the president of Russia"
            continue
        break
    return tok


def _is_acronym(written: str) -> bool:
    letters = [c for c in written if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 5
