"""Write docs/accuracy.md: `detente eval` on every gold file in ../shared/data/gold/ (make eval).

Also runs the independent scorer (../shared/tools/score_events.py) on the dev gold so the two
implementations of the matching rule can be compared, and breaks the PLOVER set down by what
kind of dyad each gold event is (interstate, domestic, IGO written as "IGO", no country).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from detente.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "data" / "gold"
MEASURES = ("cases", "tp", "fp", "fn", "precision", "recall", "f1", "quad_accuracy", "factuality_accuracy",
            "date_accuracy", "place_accuracy", "false_per_no_event_case")


def dyad_kind(ev: dict) -> str:
    s, t = ev.get("source_country"), ev.get("target_country")
    if s is None or t is None:
        return "no country"
    if s == t:
        return "domestic"
    if "IGO" in (s, t):
        return "generic IGO code"
    return "interstate"


def plover_breakdown(path: Path) -> list[str]:
    """How the PLOVER gold's events divide by dyad kind (what detente can match at all)."""
    total: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            for ev in json.loads(line).get("events") or []:
                total[dyad_kind(ev)] += 1
    lines = ["| dyad kind in the PLOVER gold | gold events |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in total.most_common()]
    # the same evaluation on the cases whose gold events are all interstate
    with tempfile.TemporaryDirectory() as tmp:
        sub = Path(tmp) / "plover_interstate.jsonl"
        keep = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                evs = case.get("events") or []
                if evs and all(dyad_kind(e) == "interstate" for e in evs):
                    keep.append(line)
        sub.write_text("\n".join(keep) + "\n", encoding="utf-8")
        r = evaluate(sub, match="plover").as_dict()
    lines += ["", f"On the {r['cases']} PLOVER cases whose gold events are all interstate: "
              f"P={r['precision']} R={r['recall']} F1={r['f1']} (match on PLOVER type)."]
    return lines


def scorer(gold: Path, plover: bool = False) -> str:
    cmd = [sys.executable, str(SHARED / "tools" / "score_events.py"), str(ROOT / ".venv" / "bin" / "detente"),
           str(gold), "0.80", "0.70"] + (["--plover"] if plover else [])
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    return (out.stdout or out.stderr).strip()


def main(out: str) -> None:
    today = dt.date.today().isoformat()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT, check=False).stdout.strip()
    lines = ["# Accuracy", "",
             f"Produced by `make eval` on {today} at commit `{commit}` (`detente eval` on each gold file in",
             "`../shared/data/gold/`). An event is correct when doc id, source country, target country and CAMEO",
             "root (`root`), full CAMEO code (`cameo`) or PLOVER type (`plover`) agree; each gold event matches at",
             "most one system event. Quad, factuality, date and place accuracy are over matched events. Dates: the",
             "gold dates an event only from the words of its sentence, so events dated from the article date count",
             "as undated for this comparison.", "",
             "| gold file | match | " + " | ".join(m.replace("_", " ") for m in MEASURES) + " |",
             "|---|---|" + "---|" * len(MEASURES)]
    reports = {}
    for path, match in ((GOLD / "dev_cases.jsonl", "root"), (GOLD / "dev_cases.jsonl", "cameo"),
                        (GOLD / "plover_gsr_dev.jsonl", "plover")):
        r = evaluate(path, match=match).as_dict()
        reports[(path.name, match)] = r
        lines.append(f"| {path.name} | {match} | " + " | ".join(str(r[m]) for m in MEASURES) + " |")
    dev = reports[("dev_cases.jsonl", "root")]
    lines += ["", "## Per CAMEO root on dev_cases.jsonl", "", "| root | tp | fp | fn |", "|---|---|---|---|"]
    for k, v in dev["per_root"].items():
        lines.append(f"| {k} | {v.get('tp', 0)} | {v.get('fp', 0)} | {v.get('fn', 0)} |")
    lines += ["", "## Independent scorer", "",
              "`python3 ../shared/tools/score_events.py .venv/bin/detente ../shared/data/gold/dev_cases.jsonl 0.80 0.70`:",
              "", "```", scorer(GOLD / "dev_cases.jsonl"), "```", "",
              "With `--plover` on `plover_gsr_dev.jsonl`:", "", "```",
              scorer(GOLD / "plover_gsr_dev.jsonl", plover=True), "```", "",
              "## Why PLOVER recall is low", "",
              "The PLOVER gold (1990s–2000s wire text) codes domestic events (source and target the same country),",
              "writes every international organisation as the generic code `IGO` where detente names the",
              "organisation (`UN`, `NATO`, `EU`, as the dev gold does), and leaves some actors without a country.",
              "detente codes relations between different states and organisations only, so those gold events",
              "cannot be matched:", ""]
    lines += plover_breakdown(GOLD / "plover_gsr_dev.jsonl")
    lines += ["", "## Remaining misses on dev_cases.jsonl", ""]
    for case in dev["worst"]:
        lines.append(f"- `{case['id']}` {case['text']}  ")
        lines.append(f"  expected {', '.join(case['expected']) or '-'}; got {', '.join(case['got']) or '-'}")
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/accuracy.md")
