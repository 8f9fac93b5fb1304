"""Offline gazetteer and place attachment.

A place counts for an event only when the sentence attaches it to the trigger: a locative phrase
("in the Amur region", "at the Vostochny Cosmodrome") whose head chain reaches the trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .data import data_path, read_tsv
from .records import Place

KIND_PRIORITY = {"site": 5, "city": 4, "capital": 4, "country": 3, "region": 2}
LOCATIVE = {"in", "at", "near", "on", "inside", "outside", "into", "toward", "towards", "across", "over", "off"}


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_alias: dict[str, tuple[Place, str]]  # lower-case name -> (place, kind); kind, then population, wins

    countries: dict[str, Place]  # ISO3 -> the country itself as a place

    def country(self, iso3: str | None) -> Place | None:
        """The country itself as a place (its row in the gazetteer)."""
        return self.countries.get(iso3 or "")

    @classmethod
    def load(cls) -> Gazetteer:
        out: dict[str, tuple[Place, str]] = {}
        pop: dict[str, int] = {}
        for name in ("gazetteer.tsv", "sites.tsv"):
            path = data_path("places", name)
            if not path.exists():
                continue
            for r in read_tsv(path):
                try:
                    lat, lon = float(r["lat"]), float(r["lon"])
                except (ValueError, KeyError):
                    lat = lon = None  # type: ignore[assignment]
                kind = r.get("kind", "city")
                place = Place(r["name"], r.get("country") or None, lat, lon)
                for alias in [r["name"], *r.get("aliases", "").split("|")]:
                    key = " ".join(alias.lower().split())
                    if len(key) < 3:
                        continue
                    old = out.get(key)
                    size = int(r.get("population") or 0) if (r.get("population") or "0").isdigit() else 0
                    rank, old_rank = KIND_PRIORITY.get(kind, 0), KIND_PRIORITY.get(old[1], 0) if old else -1
                    if (old is None or name == "sites.tsv" or rank > old_rank
                            or (rank == old_rank and size > pop.get(key, 0))):
                        out[key] = (place, kind)
                        pop[key] = size
        countries = {p.country: p for p, kind in out.values() if kind == "country" and p.country}
        return cls(out, countries)


class PlaceFinder:
    def __init__(self, nlp: Language, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        names = list(gazetteer.by_alias)
        for i in range(0, len(names), 5000):
            self.matcher.add("PLACE", list(nlp.tokenizer.pipe(names[i:i + 5000])))
        self._cache_doc: Doc | None = None
        self._cache: list[tuple[int, int]] = []

    def _matches(self, sent: Span) -> list[tuple[int, int]]:
        if self._cache_doc is not sent.doc:
            self._cache_doc, self._cache = sent.doc, [(s, e) for _, s, e in self.matcher(sent.doc)]
        return [(s, e) for s, e in self._cache if s >= sent.start and e <= sent.end]

    def countries_in(self, sent: Span) -> set[str]:
        """Countries of the capitalised cities, regions and sites named in the sentence."""
        out: set[str] = set()
        for s, e in self._matches(sent):
            span = sent.doc[s:e]
            hit = self.gazetteer.by_alias.get(" ".join(span.text.lower().split())) if span.text[:1].isupper() else None
            if hit is not None and hit[0].country:
                out.add(hit[0].country)
        return out

    def place_for(self, sent: Span, trigger: Token) -> Place | None:
        best: tuple[int, Place] | None = None
        for s, e in self._matches(sent):
            span = sent.doc[s:e]
            if not span.text[:1].isupper():
                continue
            hit = self.gazetteer.by_alias.get(" ".join(span.text.lower().split()))
            if hit is None or not _attached(span.root, trigger):
                continue
            place, kind = hit
            score = KIND_PRIORITY.get(kind, 0) * 100 + (e - s)
            if best is None or score > best[0]:
                best = (score, place)
        return best[1] if best else None


def _attached(tok: Token, trigger: Token) -> bool:
    """tok sits in a locative phrase whose chain reaches the trigger (or the verb governing it)."""
    gov = trigger.head if trigger.pos_ in ("NOUN", "PROPN") else trigger
    seen_locative = False
    hops = 0  # prepositional phrases between the place and the trigger: "at the cosmodrome in the Amur region" is 2; more is a place of something else
    for _ in range(8):
        if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE:
            seen_locative = True
        if tok.dep_ == "prep":
            hops += 1
            if hops > 3:
                return False
        if tok.i in (trigger.i, gov.i):
            return seen_locative
        if tok.head.i == tok.i or (tok.pos_ in ("VERB", "AUX") and tok.i != trigger.i):
            return False
        tok = tok.head
    return False
