"""Three ways to run the same spaCy model faster, with the same annotations.

1. **numpy's BLAS for thinc's matrix products.** thinc multiplies with blis by default; on the
   2-core AVX2 machines this project runs on, numpy's OpenBLAS does tok2vec's products in half the
   time (tok2vec 3.4 s -> 1.8 s on 100 bench articles, single-threaded) and gave identical parses on
   every text we compared. ``Settings.numpy_gemm`` turns it off. The process pool gives each worker
   ``cores // workers`` OpenBLAS threads (``executors/process.py``).
2. **The attribute ruler by lookups.** ``en_core_web_sm``'s ``attribute_ruler`` maps tags to POS and
   morphology and fixes a few lemmas with ~180 one- and two-token patterns. Its ``Matcher`` tries
   every pattern at every token (23 µs a token here, 20% of the pipeline once NER is gone).
   :class:`IndexedMatch` indexes the same patterns by their first token's LOWER, TAG or DEP value, so
   a token is checked against the handful that can match, and returns the matches in the order
   ``AttributeRuler.match`` does (by rule id, so later rules win); the ruler's own
   ``set_annotations`` then writes them. Patterns it cannot read (an attribute or operator other than
   those below) leave the ruler as it was: exactness before speed.
   :class:`DirectSet` then writes each match's attributes to its token without building a ``Span``
   per match (one match per token, from the tag map).
3. **Lemmas cached per (word, POS, morphology).** spaCy's rule lemmatizer caches its answers but
   not for base forms, which it re-derives from the morphology for every token; the result is a
   pure function of those three values, so :func:`cache_lemmas` keeps all of them, and
   :class:`ArrayLemmatizer` reads the three values and writes the lemmas as arrays, making a
   ``Token`` only for a combination it has not seen.

``tests/test_speedups.py`` checks that every token gets the same POS, morphology, lemma, tag and
dependency as with stock spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

_COLUMNS = ("LOWER", "TAG", "DEP", "IS_SPACE")  # the columns of Doc.to_array, in this order
_EQ, _IN, _NOT_IN, _REGEX = range(4)
Test = tuple[int, int, Any]  # (column, kind, value)
Rule = tuple[int, int, tuple[tuple[Test, ...], ...]]  # (rule id, match id, tests per token)


class Unsupported(ValueError):
    """A pattern this index cannot express exactly."""


class IndexedMatch:
    """``AttributeRuler.match`` as lookups: same matches, same order."""

    def __init__(self, ruler: Any):
        self.strings = ruler.vocab.strings
        self.by: tuple[dict[int, list[Rule]], ...] = tuple({} for _ in _COLUMNS)
        self.anywhere: list[Rule] = []
        self.regex_cache: dict[tuple[str, int], bool] = {}
        for attr_id, entry in enumerate(ruler.patterns):
            match_id = self.strings.add(str(attr_id))
            for pattern in entry["patterns"]:
                if not pattern or any("OP" in spec for spec in pattern):
                    raise Unsupported(f"pattern {pattern}")
                tests = tuple(tuple(self._test(k, v) for k, v in spec.items()) for spec in pattern)
                rule = (attr_id, match_id, tests)
                keys = [(col, kind, v) for col, kind, v in tests[0] if kind in (_EQ, _IN)]
                if not keys:
                    self.anywhere.append(rule)
                    continue
                col, kind, v = min(keys)  # LOWER before TAG before DEP
                for value in (v,) if kind == _EQ else v:
                    self.by[col].setdefault(value, []).append(rule)

    def _hash(self, value: str | bool) -> int:
        return int(value) if isinstance(value, bool) else self.strings.add(value) if value else 0

    def _test(self, key: str, want: Any) -> Test:
        if key not in _COLUMNS:
            raise Unsupported(key)
        col = _COLUMNS.index(key)
        if isinstance(want, (str, bool)):
            return col, _EQ, self._hash(want)
        ops = set(want) if isinstance(want, dict) else set()
        if ops == {"IN"}:
            return col, _IN, frozenset(self._hash(v) for v in want["IN"])
        if ops == {"NOT_IN"}:
            return col, _NOT_IN, frozenset(self._hash(v) for v in want["NOT_IN"])
        if ops == {"REGEX"} and key != "IS_SPACE":
            return col, _REGEX, want["REGEX"]
        raise Unsupported(f"{key}: {want!r}")

    def _passes(self, row: list[int], tests: tuple[Test, ...]) -> bool:
        for col, kind, v in tests:
            x = row[col]
            if kind == _EQ:
                if x != v:
                    return False
            elif kind == _IN:
                if x not in v:
                    return False
            elif kind == _NOT_IN:
                if x in v:
                    return False
            else:
                key = (v, x)
                hit = self.regex_cache.get(key)
                if hit is None:  # the Matcher's REGEX is re.search on the attribute's string
                    hit = self.regex_cache[key] = re.search(v, self.strings[x]) is not None
                if not hit:
                    return False
        return True

    def __call__(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
        n = len(rows)
        found: set[tuple[int, int, int, int]] = set()
        by, anywhere, passes = self.by, self.anywhere, self._passes
        for i, row in enumerate(rows):
            for rules in (by[0].get(row[0]), by[1].get(row[1]), by[2].get(row[2]), by[3].get(row[3]), anywhere):
                if not rules:
                    continue
                for attr_id, match_id, tests in rules:
                    if len(tests) == 1:
                        if passes(row, tests[0]):
                            found.add((attr_id, match_id, i, i + 1))
                    elif i + len(tests) <= n and all(passes(rows[i + k], t) for k, t in enumerate(tests)):
                        found.add((attr_id, match_id, i, i + len(tests)))
        return sorted(found)


def speed_up(nlp: Language, numpy_gemm: bool = True) -> list[str]:
    """Apply both speed-ups to a loaded pipeline (idempotent); returns the names of those applied."""
    done = []
    if numpy_gemm and use_numpy_gemm(nlp):
        done.append("numpy_gemm")
    if index_attribute_ruler(nlp):
        done.append("indexed_attribute_ruler")
    if cache_lemmas(nlp):
        done.append("cached_lemmas")
    return done


class DirectSet:
    """``AttributeRuler.set_annotations`` without a ``Span`` per match: same tokens, same order."""

    def __init__(self, ruler: Any):
        self.ruler = ruler
        self.fallback = ruler.set_annotations

    def __call__(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        attrs, indices = self.ruler.attrs, self.ruler.indices
        writes = []
        for attr_id, _, start, end in matches:
            index = indices[attr_id]
            at = (start if index >= 0 else end) + index
            if not start <= at < end:
                return self.fallback(doc, matches)  # the ruler's own error, with its message
            writes.append((at, attrs[attr_id]))
        for at, values in writes:
            set_token_attrs(doc[at], values)
        return None


class _CachedLemmatize:
    """A rule lemmatizer's ``lemmatize`` with every answer kept, base forms included."""

    def __init__(self, inner: Callable[[Token], list[str]]):
        self.inner = inner
        self.cache: dict[tuple[int, int, int], list[str]] = {}
        self.hashes: dict[tuple[int, int, int], int] = {}  # the first lemma's hash, for ArrayLemmatizer

    def __call__(self, token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = self.inner(token)
        return hit


class ArrayLemmatizer:
    """Mixed into a rule :class:`Lemmatizer`'s class: reads (word, POS, morphology), writes lemmas as arrays."""

    lemmatize: Callable[[Token], list[str]]
    vocab: Any
    overwrite: bool

    def __call__(self, doc: Doc) -> Doc:
        lemmatize = self.lemmatize
        assert isinstance(lemmatize, _CachedLemmatize)
        strings, cache, overwrite = self.vocab.strings, lemmatize.hashes, self.overwrite
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if overwrite or lemma == 0:
                hit = cache.get((orth, pos, morph))
                if hit is None:
                    hit = cache[(orth, pos, morph)] = strings.add(lemmatize(doc[i])[0])
                lemmas[i] = hit
        doc.from_array([LEMMA], lemmas)
        return doc


def cache_lemmas(nlp: Language) -> bool:
    """Make the rule lemmatizer an :class:`ArrayLemmatizer` over :class:`_CachedLemmatize`; False if none."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    lemmatizer = nlp.get_pipe("lemmatizer")
    if isinstance(lemmatizer, ArrayLemmatizer):
        return True
    cls = type(lemmatizer)
    # only a lemmatizer whose __call__ is spaCy's own, so that ours does the same
    if not isinstance(lemmatizer, Lemmatizer) or cls.__call__ is not Lemmatizer.__call__ \
            or getattr(lemmatizer, "mode", None) != "rule":
        return False
    lemmatizer.lemmatize = _CachedLemmatize(lemmatizer.lemmatize)
    lemmatizer.__class__ = type(f"Array{cls.__name__}", (ArrayLemmatizer, cls), {})
    return True


def use_numpy_gemm(nlp: Language) -> bool:
    """Give every layer of every component ``NumpyOps(use_blis=False)``; False if there is no layer."""
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    layers = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            layers += 1
            if isinstance(node.ops, NumpyOps) and getattr(node.ops, "use_blis", False):
                node.ops = ops
    return layers > 0


def index_attribute_ruler(nlp: Language) -> bool:
    """Swap the ``attribute_ruler``'s matcher for :class:`IndexedMatch`; False if left as it was."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if isinstance(getattr(ruler, "match", None), IndexedMatch):
        return True
    try:
        ruler.match = IndexedMatch(ruler)
    except Unsupported:
        return False
    ruler.set_annotations = DirectSet(ruler)
    return True
