"""Near-duplicate articles and the identity of events across articles.

**Articles.** Each article text becomes a MinHash signature (``datasketch``, 128 permutations, seed 1)
of its word 5-shingles (lower-cased, punctuation dropped). Signatures are cut into 32 bands of 4
rows; two articles sharing a band are candidates, and a candidate is a near-duplicate when the
estimated Jaccard similarity of the two signatures is at least :data:`THRESHOLD` (0.7). With 32×4
bands a pair at Jaccard 0.7 becomes a candidate with probability 1-(1-0.7^4)^32 > 0.99, one at 0.3
with probability 0.23 (and is then rejected by the Jaccard check). Measured on the example articles
(estimated Jaccard): syndicated copies with a name respelt, two words changed and the last paragraph
dropped score 0.78 and 0.85, copies with 1 % of words changed 0.91; half an article 0.50-0.56, the two
different example articles 0.02, and 300 short articles sharing dev-gold sentences at most 0.65
(docs/store.md has the table; tests/test_dedup.py checks each side of the threshold).

**Events.** An event is the same real-world event as an earlier one when source actor code, target
actor code, CAMEO code, factuality class (negated events never merge with the others) and place
agree, and the dates agree — exactly when both dates come from explicit dates in their sentences, to
within one day otherwise (relative and article dates are uncertain). Events with no date at all merge
only within their own article. The rule misses rewrites that code the same act differently
(``072`` vs ``070``) and can merge two distinct acts of the same kind on the same day between the
same actors; docs/store.md says more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from .records import Event

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
THRESHOLD = 0.7
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)  # its permutations are drawn once, not per article


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text (uint64 array of NUM_PERM values), deterministic across runs."""
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_TEMPLATE.permutations, scheme=_TEMPLATE.scheme)
    m.update_batch([s.encode("utf-8") for s in shingles(text)])  # vectorised; same values as update()
    return m.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[int]:
    """One 63-bit hash per band (LSH); equal band hashes make two articles candidates."""
    out = []
    for b in range(BANDS):
        chunk = sig[b * ROWS:(b + 1) * ROWS]
        digest = hashlib.blake2b(bytes([b]) + chunk.tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "little") & 0x7FFF_FFFF_FFFF_FFFF)
    return out


def jaccard(a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    x, y = np.asarray(a, dtype=np.uint64), np.asarray(b, dtype=np.uint64)
    return float(np.mean(x == y)) if len(x) == len(y) and len(x) else 0.0


# ---------------------------------------------------------------------------------------- events
@dataclass(frozen=True, slots=True)
class EventKey:
    """What makes two coded events one real-world event (the date is compared separately)."""

    source: str
    target: str
    cameo: str
    negated: bool
    place: str

    def as_text(self) -> str:
        return "|".join((self.source, self.target, self.cameo, "neg" if self.negated else "pos", self.place))


def event_key(e: Event) -> EventKey:
    return EventKey(e.source.code, e.target.code, e.cameo, e.factuality == "negated",
                    (e.place.name if e.place else ""))


def event_day(e: Event) -> dt.date | None:
    value = e.date or e.article_date
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:  # the store rejects the row itself, in its transaction
        return None


def exact_date(e: Event) -> bool:
    return e.date_source == "explicit"


def same_day(a: dt.date | None, a_exact: bool, b: dt.date | None, b_exact: bool) -> bool:
    """Dates agree: equal when both are explicit, within a day when either is uncertain; None never."""
    if a is None or b is None:
        return False
    if a_exact and b_exact:
        return a == b
    return abs((a - b).days) <= 1
