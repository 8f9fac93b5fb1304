"""The actor dictionary: shipped TSV files plus user files, with date-ranged entries.

Format (see ``data/actors/README.md``): ``aliases  code  country  sector  kind  name  start  end``;
agents (role nouns that give a sector): ``aliases  sector  name  note``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..data import data_path, read_tsv
from ..errors import DetenteError, E

ACTOR_FILES = ("countries.tsv", "leaders.tsv", "organisations.tsv", "igos.tsv")
NO_COUNTRY_PREFIXES = frozenset({"IMG", "NGO", "IGO", "MNC"})  # transnational codes: no country unless given
ACTOR_COLUMNS = ("aliases", "code", "country", "sector", "kind", "name", "start", "end")


@dataclass(frozen=True, slots=True)
class ActorEntry:
    aliases: tuple[str, ...]
    code: str
    country: str | None
    sector: str | None
    kind: str
    name: str
    start: date | None
    end: date | None
    priority: int = 0  # user files load later and win ties

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def distance(self, day: date) -> int:
        """Days between ``day`` and this entry's validity range (0 inside it)."""
        if self.start is not None and day < self.start:
            return (self.start - day).days
        if self.end is not None and day > self.end:
            return (day - self.end).days
        return 0


def _date(value: str, path: Path) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DetenteError(E.E302.format(path=path, detail=f"bad date {value!r}")) from exc


class ActorDictionary:
    """Every alias -> the entries it may name; resolved to one entry for a given date."""

    def __init__(self, entries: Iterable[ActorEntry], agents: dict[str, tuple[str, str]]):
        self.entries = list(entries)
        self.by_alias: dict[str, list[ActorEntry]] = defaultdict(list)
        for e in self.entries:
            for a in e.aliases:
                self.by_alias[normalise_alias(a)].append(e)
        self.agents = agents  # alias -> (sector, name)
        self.surface: dict[str, str] = {}  # normalised alias -> one written form (for case rules)
        for e in self.entries:
            for a in e.aliases:
                self.surface.setdefault(normalise_alias(a), a)

    @classmethod
    def load(cls, extra_files: Iterable[Path] = ()) -> ActorDictionary:
        entries: list[ActorEntry] = []
        for name in ACTOR_FILES:
            path = data_path("actors", name)
            if path.exists():
                entries.extend(read_actor_file(path))
        for path in extra_files:
            entries.extend(read_actor_file(Path(path), priority=1))
        agents: dict[str, tuple[str, str]] = {}
        agent_path = data_path("actors", "agents.tsv")
        if agent_path.exists():
            for row in read_tsv(agent_path):
                for alias in row.get("aliases", "").split("|"):
                    if alias.strip() and row.get("sector"):
                        agents.setdefault(normalise_alias(alias), (row["sector"], row.get("name") or alias))
        return cls(entries, agents)

    def resolve(self, alias: str, on: date | None) -> ActorEntry | None:
        """The entry an alias names on a date: valid ones first, user entries over shipped ones."""
        cands = self.by_alias.get(normalise_alias(alias))
        if not cands:
            return None
        valid = [e for e in cands if e.valid_on(on)]
        if valid:
            # the user's entry wins; then the most specific range (latest start)
            return max(valid, key=lambda e: (e.priority, e.start or date.min))
        if on is None:
            return max(cands, key=lambda e: (e.priority, e.end or date.max, e.start or date.min))
        return min(cands, key=lambda e: (e.distance(on), -e.priority))


def normalise_alias(alias: str) -> str:
    a = " ".join(alias.replace("\u2019", "'").split()).lower()
    return a[4:] if a.startswith("the ") else a


def read_actor_file(path: Path, priority: int = 0) -> list[ActorEntry]:
    """Read one actor TSV; a missing column or bad date is a settings error (E302)."""
    try:
        rows = list(read_tsv(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise DetenteError(E.E302.format(path=path, detail=exc)) from exc
    out: list[ActorEntry] = []
    for i, row in enumerate(rows, 2):
        missing = [c for c in ("aliases", "code") if not row.get(c)]
        if missing:
            raise DetenteError(E.E302.format(path=path, detail=f"row {i} lacks {', '.join(missing)}"))
        code = row["code"].upper()
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if len(a.strip()) >= 2)
        out.append(ActorEntry(
            aliases=aliases,
            code=code,
            country=(row.get("country") or "").upper() or (
                code[:3] if code[:3].isalpha() and code[:3] not in NO_COUNTRY_PREFIXES else None),
            sector=(row.get("sector") or "").upper() or None,
            kind=(row.get("kind") or "org").lower(),
            name=row.get("name") or aliases[0] if aliases else code,
            start=_date(row.get("start", ""), path),
            end=_date(row.get("end", ""), path),
            priority=priority,
        ))
    return out
