"""Text helpers shared by the readers: cleaning, date headers, titles and language."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_DATE_HEADER = re.compile(r"^\s*date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
MIN_YEAR, MAX_YEAR = 1900, 2100

# Function words per language: a cheap, dependable signal for news-length text.
_STOPWORDS = {
    "en": "the of and to in a is that for on with as was by said has have from it at are be will its".split(),
    "fr": "le la les des et en un une du dans est que pour qui sur au avec par pas il".split(),
    "de": "der die und das den von zu mit ist im sich des auf für nicht ein eine dem".split(),
    "es": "el la de que y en los las del se por un una con para es al lo como".split(),
    "it": "il di che la e per un una del della sono non con le da gli nel".split(),
    "pt": "de que e do da em um para com uma os no se na por mais as dos".split(),
    "nl": "de het een en van in is op te dat die voor met zijn niet aan".split(),
}
_STOPWORD_SETS = {lang: frozenset(words) for lang, words in _STOPWORDS.items()}
_SCRIPTS = tuple((code, re.compile(rx)) for code, rx in (
    ("ru", "[\u0400-\u04ff]"), ("zh", "[\u4e00-\u9fff]"), ("ko", "[\uac00-\ud7af]"), ("ar", "[\u0600-\u06ff]")))


def clean_field(value: str) -> str:
    """A metadata value (id, title, url, source) that any store can encode: no lone surrogates or controls."""
    value = value.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", value)


def clean_text(text: str) -> str:
    """NFC-normalise, unify line ends and drop control characters (keeping newlines and tabs)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates from JSON escapes
    return _CONTROL.sub("", text)


def split_date_header(text: str) -> tuple[str | None, str]:
    """Split an optional ``date YYYY-MM-DD`` header (own line or inline prefix) from the body."""
    m = _DATE_HEADER.match(text)
    if not m:
        return None, text
    return m.group(1), text[m.end():].lstrip()


def parse_date(value: str) -> date | None:
    """A publication date from ISO text (``YYYY-MM-DD``, optionally with a time); None if unusable."""
    m = _ISO.match(value)
    if not m:
        try:
            d = datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    else:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return d if MIN_YEAR <= d.year <= MAX_YEAR else None


def detect_title(text: str) -> str | None:
    """The first line, when it reads as a headline: short, no final full stop, followed by text."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if not sep or not rest.strip() or not first:
        return None
    if len(first) > 160 or len(first.split()) < 2 or first[-1] in ".!?:;,":
        return None
    return first


def detect_language(text: str) -> str | None:
    """ISO 639-1 code guessed from function words and script; None when too short to tell."""
    sample = text[:4000]
    n_letters = sum(map(str.isalpha, sample))
    if n_letters < 20:
        return None
    for code, script in _SCRIPTS:
        if sum(1 for c in script.findall(sample) if c.isalpha()) > n_letters * 0.4:
            return code
    words = re.findall(r"[^\W\d_]+", sample.lower())
    if len(words) < 5:
        return None
    scores = {lang: sum(1 for w in words if w in sw) for lang, sw in _STOPWORD_SETS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= max(2, len(words) * 0.05) else None
