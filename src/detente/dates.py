"""Event dates: the date span attached to the trigger, resolved against the article date.

A DATE entity counts for an event when its head chain in the parse reaches the trigger without
passing through a verb of saying ("said on Monday" dates the report, not the act). Explicit dates
("September 13, 2023") are parsed as written; relative ones ("on Tuesday", "last month") are resolved
against the article date with dateparser; else the article date (``date_source: article``) or none.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Span, Token

WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_DURATION = re.compile(r"\b(\d+|a|an|two|three|several|few)\s+(years?|months?|weeks?|days?|hours?|decades?)\b(?!\s+ago)", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_REPORT_VERBS = {"say", "tell", "report", "announce", "state", "add", "confirm", "claim", "write"}


class DateResolver:
    def __init__(self) -> None:
        import dateparser  # imported once, here: it is slow to import

        self._parse = dateparser.parse
        self._cache: dict[tuple[str, date | None], tuple[date, str] | None] = {}  # news repeats "on Tuesday"
        self._parse("Tuesday, 1 January 2020", languages=["en"])  # load dateparser's tables now, not mid-batch

    def event_date(self, sent: Span, trigger: Token, article_date: date | None,
                   stop: Token | None = None) -> tuple[date | None, str]:
        for ent in sent.ents:
            if ent.label_ != "DATE" or not _attached(ent, trigger, stop):
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
