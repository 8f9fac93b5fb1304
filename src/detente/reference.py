"""CAMEO event codes, Goldstein scores, QuadClass and CAMEO -> PLOVER, from the shipped tables."""

from __future__ import annotations

from dataclasses import dataclass

from .data import data_path, read_tsv

QUAD_BY_ROOT = {**dict.fromkeys(range(1, 6), 1), **dict.fromkeys(range(6, 9), 2),
                **dict.fromkeys(range(9, 14), 3), **dict.fromkeys(range(14, 21), 4)}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    root: str | None
    quad: int | None
    goldstein: float | None
    plover: str | None


def root_of(code: str) -> str | None:
    r = code[:2]
    return r if r.isdigit() and 1 <= int(r) <= 20 else None


def quad_of(code: str) -> int | None:
    r = root_of(code)
    return QUAD_BY_ROOT[int(r)] if r else None


class Cameo:
    """Lookup of every CAMEO code; built once, shared by all stages."""

    def __init__(self) -> None:
        ref = "reference"
        plover = {r["cameo"]: r["plover_event"] for r in read_tsv(data_path(ref, "cameo_to_plover.tsv"))}
        self.codes: dict[str, CameoCode] = {}
        for r in read_tsv(data_path(ref, "cameo_eventcodes.tsv")):
            code = r["code"]
            g = float(r["goldstein"]) if r["goldstein"] else None
            self.codes[code] = CameoCode(code, r["name"], root_of(code), quad_of(code), g, self._plover(code, plover))

    @staticmethod
    def _plover(code: str, table: dict[str, str]) -> str | None:
        for n in range(len(code), 1, -1):
            if code[:n] in table:
                return table[code[:n]] or None
        # roots 03..20 have an x0 row in the table (e.g. 040); a root code "04" uses it
        return table.get(code[:2] + "0") or None

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode:
        if code in self.codes:
            c = self.codes[code]
            if c.goldstein is None:  # ICEWS additions without a GDELT score: use the parent's
                parent = self.codes.get(code[:3]) or self.codes.get(code[:2])
                if parent is not None:
                    return CameoCode(c.code, c.name, c.root, c.quad, parent.goldstein, c.plover)
            return c
        raise KeyError(f"unknown CAMEO code {code!r}")
