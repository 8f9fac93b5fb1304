"""A floor under the measured accuracy on the dev gold, so a regression fails CI.

The figures themselves are measured by ``detente eval`` / ``make eval`` (docs/accuracy.md); the floor is
set below them with room for small changes, and at the issue's targets.
"""

from __future__ import annotations

from pathlib import Path

from detente.evaluate import evaluate


def test_dev_gold_meets_the_targets(shared_dir: Path) -> None:
    rep = evaluate(shared_dir / "data" / "gold" / "dev_cases.jsonl").as_dict()
    assert rep["precision"] >= 0.85, rep["precision"]
    assert rep["recall"] >= 0.80, rep["recall"]
    assert rep["quad_accuracy"] >= 0.90
    assert rep["factuality_accuracy"] >= 0.80
    assert rep["false_per_no_event_case"] <= 0.15
