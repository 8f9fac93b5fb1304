"""Event dates: the date span attached to the trigger, resolved against the article date.

Date spans are found by rule (:class:`DateFinder`, patterns in ``data/dates/expressions.json``), not
by the model's NER: NER cost ~45% of the model's time and dated events with nothing else. A date
span counts for an event when its head chain in the parse reaches the trigger without passing
through a verb of saying ("said on Monday" dates the report, not the act). Explicit dates
("September 13, 2023") are parsed as written; relative ones ("on Tuesday", "last month") are resolved
against the article date with dateparser; else the article date (``date_source: article``) or none.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from importlib import resources

from spacy.matcher import Matcher
from spacy.tokens import Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_DURATION = re.compile(r"\b(\d+|a|an|two|three|several|few)\s+(years?|months?|weeks?|days?|hours?|decades?)\b(?!\s+ago)", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_REPORT_VERBS = {"say", "tell", "report", "announce", "state", "add", "confirm", "claim", "write"}


class DateFinder:
    """Temporal expressions in a sentence, by the token patterns of ``data/dates/expressions.json``.

    The longest match wins where matches overlap; a leading preposition is trimmed ("on Tuesday"
    gives "Tuesday"), so that the span's root is the date itself, as with an entity.
    """

    def __init__(self, vocab: Vocab, spec: dict | None = None):  # type: ignore[type-arg]
        if spec is None:
            spec = json.loads(resources.files("detente.data").joinpath("dates/expressions.json").read_text("utf-8"))
        self.matcher = Matcher(vocab)
        self.trim = frozenset(spec["classes"].get("PREP", ()))
        anchors = [w for a in spec["anchors"] for w in spec["classes"].get(a, [a])]
        # a sentence can match only if it holds an anchor word or a digit (every regex needs one)
        self.possible = re.compile(r"\d|\b(?:" + "|".join(re.escape(w.lower()) for w in anchors) + r")\b").search
        self._last: tuple[object, int, int, list[Span]] | None = None
        tokens: dict[str, dict] = {}  # type: ignore[type-arg]
        for name, words in spec["classes"].items():
            attr = "ORTH" if name in spec.get("case_sensitive", ()) else "LOWER"
            tokens[name] = {attr: {"IN": words if attr == "ORTH" else [w.lower() for w in words]}}
        for name, rx in spec["regex"].items():
            tokens[name] = {"TEXT": {"REGEX": rx}}
        for n, line in enumerate(spec["patterns"]):
            pattern, anchored = [], False
            for sym in line.split():
                optional = sym.endswith("?") and len(sym) > 1
                sym = sym[:-1] if optional else sym
                anchored |= not optional and (sym in spec["anchors"] or sym in spec["regex"])
                tok = dict(tokens[sym]) if sym in tokens else {"LOWER": sym.lower()}
                if optional:
                    tok["OP"] = "?"
                pattern.append(tok)
            if not anchored:
                raise ValueError(f"date pattern {line!r} has no anchor or digit: add one to 'anchors'")
            self.matcher.add(f"DATE{n}", [pattern])

    def spans(self, sent: Span) -> list[Span]:
        last = self._last
        if last is not None and last[0] is sent.doc and last[1] == sent.start and last[2] == sent.end:
            return last[3]  # a sentence's events all ask for its dates
        out = self._spans(sent) if self.possible(sent.text.lower()) else []
        self._last = (sent.doc, sent.start, sent.end, out)
        return out

    def _spans(self, sent: Span) -> list[Span]:
        found = filter_spans(self.matcher(sent, as_spans=True))
        out = []
        for span in found:
            start = span.start
            while start < span.end - 1 and span.doc[start].lower_ in self.trim:
                start += 1
            out.append(span.doc[start:span.end])
        return sorted(out, key=lambda sp: sp.start)


class DateResolver:
    def __init__(self, vocab: Vocab) -> None:
        self.finder = DateFinder(vocab)
        import dateparser  # imported once, here: it is slow to import

        self._parse = dateparser.parse
        self._cache: dict[tuple[str, date | None], tuple[date, str] | None] = {}  # news repeats "on Tuesday"
        self._parse("Tuesday, 1 January 2020", languages=["en"])  # load dateparser's tables now, not mid-batch

    def event_date(self, sent: Span, trigger: Token, article_date: date | None,
                   stop: Token | None = None) -> tuple[date | None, str]:
        for ent in self.finder.spans(sent):
            if not _attached(ent, trigger, stop):
                continue
            if ent.root.dep_ in ("compound", "nummod", "amod", "poss") and ent.root.head.pos_ in ("NOUN", "PROPN"):
                continue  # "its 2018 military agreement", "last year's summit": names the thing, not the act
            resolved = self.resolve(ent.text, article_date)
            if resolved is not None:
                return resolved
        if article_date is not None:
            return article_date, "article"
        return None, "none"

    def resolve(self, text: str, base: date | None) -> tuple[date, str] | None:
        """Parse one date expression; ('explicit'|'relative') says whether it needed the article date."""
        key = (text, base)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = self._resolve(text, base)
        return self._cache[key]

    def _resolve(self, text: str, base: date | None) -> tuple[date, str] | None:
        t = text.strip().lower()
        t = re.sub(r"^(on|in|by|since|from|early|late|earlier|later)\s+", "", t)
        if _DURATION.search(t) and "ago" not in t:
            return None
        explicit = bool(_YEAR.search(t))
        words = t.replace(",", " ").split()
        if base is not None and len(words) == 1 and words[0] in WEEKDAYS:
            back = (base.weekday() - WEEKDAYS[words[0]]) % 7
            return base - timedelta(days=back), "relative"
        if not explicit and base is None:
            return None
        settings = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False, "REQUIRE_PARTS": []}
        if base is not None:
            from datetime import datetime

            settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day, 12)
        if not explicit and words and words[0] in MONTHS and len(words) == 1:
            settings["PREFER_DAY_OF_MONTH"] = "first"
        try:
            parsed = self._parse(t, languages=["en"], settings=settings)
        except Exception:  # dateparser raises assorted errors on odd text
            return None
        if parsed is None:
            return None
        d = parsed.date()
        if not (1900 <= d.year <= 2100):
            return None
        return d, "explicit" if explicit else "relative"


def _attached(ent: Span, trigger: Token, stop: Token | None) -> bool:
    tok = ent.root
    gov = trigger.head if trigger.pos_ in ("NOUN", "PROPN") else trigger
    if gov.pos_ == "ADP" and gov.head.i != gov.i:
        gov = gov.head  # "agreed on Thursday to a support package": through the preposition to the verb
    for _ in range(8):
        if tok.i in (trigger.i, gov.i):
            return True
        if stop is not None and tok.i == stop.i:
            return False
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in _REPORT_VERBS:
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False
