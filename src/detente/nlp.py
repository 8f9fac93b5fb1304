"""spaCy loading and batching, and the split of an article into codable blocks.

The model is loaded once per process (``load_model`` is cached per name). Articles are split into
paragraph blocks first (hard-wrapped lines joined); a short unpunctuated line standing alone is a
heading and is not coded.
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
def load_model(name: str, exclude: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline ``name`` without the components in ``exclude`` (the coder excludes NER)."""
    import spacy

    try:
        return spacy.load(name, exclude=list(exclude))
    except OSError as exc:
        raise DetenteError(E.E301.format(model=name)) from exc


def blocks(text: str) -> Iterator[Block]:
    """Paragraph blocks with their offsets; headings flagged so the coder skips them.

    Blank lines always separate blocks. A single line break separates them when the line before
    ends a sentence, or when it is a short unpunctuated line standing alone that was not cut by a
    hard wrap (see :func:`_wrapped`); otherwise the lines are one hard-wrapped paragraph.
    """
    lines: list[tuple[int, str]] = []  # (offset of the stripped line, stripped line); "" for blank
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        lines.append((pos + (len(line) - len(line.lstrip())), body))
        pos += len(line)
    start: int | None = None
    end = 0
    for i, (line_start, body) in enumerate(lines):
        if not body:
            if start is not None:
                yield _block(text, start, end)
                start = None
            continue
        alone = start is None
        if start is None:
            start = line_start
        end = line_start + len(body)
        nxt = lines[i + 1][1] if i + 1 < len(lines) else ""
        if body[-1] in ".!?\"”’" or (alone and is_heading(body) and not _wrapped(body, nxt)):
            yield _block(text, start, end)
            start = None
    if start is not None:
        yield _block(text, start, end)


_CONTINUES = frozenset(
    "a an the of to in on at by for from with and or but nor as that than into onto over under about "
    "between after before during against its their his her our your this these those which who whose".split()
)


def _wrapped(line: str, nxt: str) -> bool:
    """True when ``line`` reads as cut by a hard wrap, so ``nxt`` continues its sentence.

    A greedy wrap at width W leaves a line so full that the next line's first word did not fit:
    len(line) + 1 + len(first word) > W >= len(nxt). A heading is short whatever follows it.
    """
    if not nxt:
        return False
    words = line.split()
    if words[-1].lower() in _CONTINUES or nxt[0].islower() or nxt[0] in ",;:)-–—":
        return True
    return len(line) + 1 + len(nxt.split()[0]) > len(nxt)


def _block(text: str, start: int, end: int) -> Block:
    chunk = text[start:end]
    return Block(start, chunk, is_heading(chunk))


def is_heading(line: str) -> bool:
    words = line.split()
    return "\n" not in line and len(words) <= 12 and line[-1] not in ".!?\"'”’:;" and not line.endswith(",")
