"""``detente eval``: precision, recall and the cases behind them, on gold JSONL files.

Matching follows ``shared/tools/score_events.py``: an event is correct when doc id, source country,
target country and root (or full CAMEO code, or PLOVER type) agree; each gold event matches at most
one system event.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DetenteError, E
from .records import to_dict
from .settings import Settings


@dataclass
class EvalReport:
    gold_file: str
    match: str
    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    quad_ok: int = 0
    fact_ok: int = 0
    fact_n: int = 0
    date_ok: int = 0  # matched events whose date equals the gold event_date (both may be null)
    date_n: int = 0
    place_ok: int = 0  # matched events whose place country equals the gold place_country (both may be null)
    place_n: int = 0
    empty_cases: int = 0
    empty_false: int = 0
    per_root: dict[str, Counter] = field(default_factory=dict)
    worst: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold_file": self.gold_file, "match": self.match, "cases": self.cases, "tp": self.tp, "fp": self.fp,
            "fn": self.fn, "precision": round(self.precision, 3), "recall": round(self.recall, 3),
            "f1": round(self.f1, 3), "quad_accuracy": round(self.quad_ok / self.tp, 3) if self.tp else None,
            "factuality_accuracy": round(self.fact_ok / self.fact_n, 3) if self.fact_n else None,
            "date_accuracy": round(self.date_ok / self.date_n, 3) if self.date_n else None,
            "place_accuracy": round(self.place_ok / self.place_n, 3) if self.place_n else None,
            "false_per_no_event_case": round(self.empty_false / self.empty_cases, 3) if self.empty_cases else None,
            "per_root": {k: dict(v) for k, v in sorted(self.per_root.items())},
            "worst": self.worst,
        }


def load_gold(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise DetenteError(E.E307.format(path=path, detail="no such file"))
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DetenteError(E.E307.format(path=path, detail=f"line {n}: {exc.msg}")) from exc
        if "id" not in c or "text" not in c:
            raise DetenteError(E.E307.format(path=path, detail=f"line {n}: a case needs id and text"))
        cases.append(c)
    return cases


def _key(ev: dict[str, Any], match: str, gold: bool) -> tuple[Any, ...]:
    if gold:
        src, tgt = ev.get("source_country"), ev.get("target_country")
        if match == "plover":
            k = (ev.get("plover") or "").upper() or None
        elif match == "cameo":
            k = ev.get("cameo")
        else:
            k = (ev.get("root") or str(ev.get("cameo") or "")[:2]).zfill(2) if (ev.get("root") or ev.get("cameo")) else None
    else:
        src, tgt = ev["source"]["country"], ev["target"]["country"]
        k = (ev.get("plover") or "").upper() if match == "plover" else ev["cameo"] if match == "cameo" else ev["root"]
    return (src, tgt, k)


def evaluate(gold_path: str | Path, match: str = "root", settings: Settings | None = None,
             worst: int = 15) -> EvalReport:
    """Code every gold case and score the events (Python mirror of ``detente eval``)."""
    from .api import as_articles, pipeline

    if match not in ("root", "cameo", "plover"):
        raise DetenteError(f"--match must be root, cameo or plover, not {match!r}")
    path = Path(gold_path)
    cases = load_gold(path)
    pipe = pipeline(settings)
    coded = {c.article.id: [to_dict(e) for e in c.events]
             for c in pipe.code(as_articles({"id": k["id"], "text": k["text"], "date": k.get("date")} for k in cases))}
    rep = EvalReport(str(path), match, cases=len(cases))
    bad: list[tuple[int, dict[str, Any]]] = []
    for case in cases:
        gold = case.get("events") or []
        got = coded.get(str(case["id"]), [])
        if not gold:
            rep.empty_cases += 1
            rep.empty_false += len(got)
        used: set[int] = set()
        misses = []
        for g in gold:
            key = _key(g, match, gold=True)
            hit = next((i for i, e in enumerate(got) if i not in used and _key(e, match, gold=False) == key), None)
            bucket = rep.per_root.setdefault(str(key[2]), Counter())
            if hit is None:
                rep.fn += 1
                bucket["fn"] += 1
                misses.append(g)
                continue
            rep.tp += 1
            bucket["tp"] += 1
            used.add(hit)
            e = got[hit]
            if g.get("quad") is not None and str(e.get("quad")) == str(g.get("quad")):
                rep.quad_ok += 1
            if g.get("factuality"):
                rep.fact_n += 1
                rep.fact_ok += e.get("factuality") == g["factuality"]
            if "event_date" in g:
                rep.date_n += 1
                # the gold dates an event only from the sentence's own words; ours falls back to the article date
                mine = e.get("date") if e.get("date_source") not in ("article", None) else None
                rep.date_ok += (mine or None) == (g["event_date"] or None)
            if "place_country" in g:
                rep.place_n += 1
                rep.place_ok += ((e.get("place") or {}).get("country") or None) == (g["place_country"] or None)
        extra = [e for i, e in enumerate(got) if i not in used]
        rep.fp += len(extra)
        for e in extra:
            rep.per_root.setdefault(str(_key(e, match, gold=False)[2]), Counter())["fp"] += 1
        if misses or extra:
            bad.append((len(misses) + len(extra), {
                "id": case["id"], "text": case["text"],
                "expected": [f"{g.get('source_country')}->{g.get('target_country')} {_key(g, match, True)[2]}"
                             for g in gold],
                "got": [f"{e['source']['country']}->{e['target']['country']} {e['cameo']} {e['factuality']} ({e['rule']})"
                        for e in got],
            }))
    bad.sort(key=lambda t: -t[0])
    rep.worst = [b for _, b in bad[:worst]]
    return rep

