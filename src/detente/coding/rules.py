"""Trigger rules, word classes, cue lexicons and intent codes, loaded once from the data files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..data import data_path, read_tsv


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pos: str  # VERB | NOUN
    lemma: str
    particle: str
    objects: frozenset[str]  # lemmas (classes expanded); empty = no object required
    preps: tuple[str, ...]  # prepositions introducing the target
    code: str
    reciprocal: bool
    reverse: bool
    symmetric: bool  # both directions even when the target is named ("X met Y": X->Y and Y->X)
    origin: str  # curated | petrarch2

    @property
    def specificity(self) -> int:
        return (2 if self.objects else 0) + (2 if self.particle else 0) + (1 if self.preps else 0) + (
            1 if self.origin == "curated" else 0)


class RuleBook:
    """Every trigger rule indexed by (pos, lemma), plus the cue lexicons."""

    def __init__(self, rules_dir: Path | None = None, petrarch_verbs: bool = False):
        d = rules_dir or data_path("rules")
        self.classes: dict[str, frozenset[str]] = {
            r["class"]: frozenset(x.strip() for x in r["lemmas"].split("|") if x.strip())
            for r in read_tsv(d / "classes.tsv")
        }
        self.by_trigger: dict[tuple[str, str], list[Rule]] = defaultdict(list)
        for r in read_tsv(d / "triggers.tsv"):
            self._add(Rule(
                name=r["name"], pos=r["pos"].upper(), lemma=r["lemma"].lower(), particle=r.get("particle", ""),
                objects=self._objects(r.get("object", "")), preps=tuple(p for p in r.get("prep", "").split("|") if p),
                code=r["code"], reciprocal=r.get("reciprocal", "") in ("yes", "both"),
                reverse=r.get("reciprocal", "") == "reverse", symmetric=r.get("reciprocal", "") == "both",
                origin="curated",
            ))
        petr = d / "petrarch2_verbs.tsv"
        if petrarch_verbs and petr.exists():  # off by default: measured, it adds noise (see README)
            curated_lemmas = {lemma for (pos, lemma) in self.by_trigger if pos == "VERB"}
            for r in read_tsv(petr):
                lemma = r["lemma"].lower()
                if lemma in curated_lemmas or lemma in _NOT_TRIGGERS:
                    continue  # curated rules own a lemma entirely
                self._add(Rule(
                    name=f"petrarch2:{r['block'].lower()}", pos="VERB", lemma=lemma, particle=r.get("particle", ""),
                    objects=frozenset(o for o in r.get("object", "").split("|") if o),
                    preps=tuple(p for p in r.get("prep", "").split("|") if p), code=r["code"],
                    reciprocal=False, reverse=False, symmetric=False, origin="petrarch2",
                ))
        for rules in self.by_trigger.values():
            rules.sort(key=lambda x: -x.specificity)
        self.cues: dict[str, dict[str, str]] = defaultdict(dict)  # role -> lemma -> factuality
        for r in read_tsv(d / "cues.tsv"):
            self.cues[r["role"]][r["cue"].lower()] = r["factuality"]
        self.intent: dict[str, tuple[str, str]] = {
            r["prefix"]: (r.get("intent", ""), r.get("threat", "")) for r in read_tsv(d / "intent_codes.tsv")
        }
        self.noun_lemmas = {lemma for (pos, lemma) in self.by_trigger if pos == "NOUN"}

    def _objects(self, spec: str) -> frozenset[str]:
        out: set[str] = set()
        for item in spec.split("|"):
            item = item.strip()
            if item.startswith("@"):
                out |= self.classes[item[1:]]
            elif item:
                out.add(item.lower())
        return frozenset(out)

    def _add(self, rule: Rule) -> None:
        self.by_trigger[(rule.pos, rule.lemma)].append(rule)

    def rules_for(self, pos: str, lemma: str) -> list[Rule]:
        return self.by_trigger.get((pos, lemma), [])

    def intent_code(self, code: str, kind: str) -> str | None:
        """The 03x (intent) or 13x (threat) code for a planned action, by longest prefix."""
        col = 0 if kind == "intent" else 1
        for n in range(len(code), 1, -1):
            hit = self.intent.get(code[:n])
            if hit and hit[col]:
                return hit[col]
        return None


# verbs of saying and auxiliaries are never triggers on their own, whatever a dictionary says
_NOT_TRIGGERS = frozenset({"say", "be", "have", "do", "tell", "report", "add", "state", "note", "write", "quote"})
