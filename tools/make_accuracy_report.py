"""Write docs/accuracy.md: `detente eval` on every gold file in ../shared/data/gold/ (make eval)."""

import sys
from pathlib import Path

from detente.evaluate import evaluate

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gold"


def main(out: str) -> None:
    lines = ["# Accuracy", "", "Produced by `make eval` (`detente eval` on each gold file; match on doc id, source",
             "country, target country and CAMEO root, or PLOVER type for the PLOVER set).", "",
             "| gold file | match | cases | P | R | F1 | quad acc. | factuality acc. | false events / no-event case |",
             "|---|---|---|---|---|---|---|---|---|"]
    for path, match in ((GOLD / "dev_cases.jsonl", "root"), (GOLD / "plover_gsr_dev.jsonl", "plover")):
        r = evaluate(path, match=match).as_dict()
        lines.append(f"| {path.name} | {match} | {r['cases']} | {r['precision']} | {r['recall']} | {r['f1']} | "
                     f"{r['quad_accuracy']} | {r['factuality_accuracy']} | {r['false_per_no_event_case']} |")
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/accuracy.md")
