"""spaCy loading and batching, and the split of an article into codable blocks.

The model is loaded once per process (``load_model`` is cached per name). Articles are split into
paragraph blocks first: a short line without final punctuation is a heading and is not coded.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language

from .errors import DetenteError, E


@dataclass(frozen=True, slots=True)
class Block:
    start: int  # character offset in the article
    text: str
    heading: bool


@functools.lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    import spacy

    try:
        return spacy.load(name)
    except OSError as exc:
        raise DetenteError(E.E301.format(model=name)) from exc


def blocks(text: str) -> Iterator[Block]:
    """Paragraph blocks with their offsets; headings flagged so the coder skips them.

    Blank lines always separate blocks; a single line break does when the line before ends a
    sentence or reads as a heading (hard-wrapped text is kept together).
    """
    start: int | None = None
    end = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        line_start = pos + (len(line) - len(line.lstrip()))
        pos += len(line)
        if not body:
            if start is not None:
                yield _block(text, start, end)
                start = None
            continue
        if start is None:
            start = line_start
        end = line_start + len(body)
        if body[-1] in ".!?\"”’" or is_heading(body):
            yield _block(text, start, end)
            start = None
    if start is not None:
        yield _block(text, start, end)


def _block(text: str, start: int, end: int) -> Block:
    chunk = text[start:end]
    return Block(start, chunk, is_heading(chunk))


def is_heading(line: str) -> bool:
    words = line.split()
    return "\n" not in line and len(words) <= 12 and line[-1] not in ".!?\"'”’:;" and not line.endswith(",")
