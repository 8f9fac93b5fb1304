"""Shipped data files (dictionaries, rules, tables) and the one TSV reader for them.

Every file carries its provenance in leading ``#`` lines or a README beside it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def data_path(*parts: str) -> Path:
    return DATA_DIR.joinpath(*parts)


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a TSV with a header; leading/blank ``#`` comment lines are skipped, cells stripped."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if line.strip() and not line.lstrip().startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        header: list[str] | None = None
        for row in reader:
            if header is None:
                header = [h.strip() for h in row]
                continue
            cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
            yield dict(zip(header, cells[: len(header)], strict=True))
