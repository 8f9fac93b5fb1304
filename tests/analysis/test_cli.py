"""The analysis and export commands, run through typer's CliRunner on a store of the example articles."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

import detente
from detente.cli import app, main

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_dyad_json_has_counts_index_and_normalised_index(examples_db: Path) -> None:
    periods = json.loads(run("dyad", "PRK", "RUS", "--db", str(examples_db), "--format", "json"))
    assert periods, "the examples have dated PRK-RUS events"
    for p in periods:
        assert set(p) >= {"period", "n_events", "q1", "q2", "q3", "q4", "mean_goldstein", "coop_index", "volume",
                          "share", "normalised_index"}
        assert p["n_events"] == p["q1"] + p["q2"] + p["q3"] + p["q4"]
        assert -1 <= p["coop_index"] <= 1 and -1 <= p["normalised_index"] <= 1
    # months run without a gap from the first to the last: quiet months are zero rows
    months = [p["period"] for p in periods]
    assert months == sorted(months) and len(months) == len(set(months))
    assert sum(p["n_events"] for p in periods) > 0 and periods[0]["n_events"] > 0 and periods[-1]["n_events"] > 0
    # the same numbers as the Python API
    with detente.open(examples_db) as store:
        df = store.dyad("PRK", "RUS", freq="month")
    assert [int(n) for n in df["n_events"]] == [p["n_events"] for p in periods]
    assert df["normalised_index"].tolist() == pytest.approx([p["normalised_index"] for p in periods])


def test_dyad_csv_and_week(examples_db: Path) -> None:
    out = run("dyad", "rus", "prk", "--db", str(examples_db), "--freq", "week", "--format", "csv")
    header, *rows = out.strip().splitlines()
    assert header.startswith("period,n_events,q1,q2,q3,q4,mean_goldstein,coop_index,volume,share")
    assert rows


@pytest.mark.parametrize(("args", "message"), [
    (("dyad", "PRK", "XYZ"), "Unknown country"),
    (("dyad", "PRK", "RUS", "--freq", "year"), "Bad frequency"),
    (("dyad", "PRK", "RUS", "--since", "2023-02-30"), "Bad date"),
    (("alerts", "--baseline", "1w"), "Bad window"),
    (("export", "--format", "xml", "-o", "x.xml"), "Bad export format"),
    (("network", "--format", "png"), "not available"),
])
def test_bad_usage_exits_2(examples_db: Path, args: tuple[str, ...], message: str,
                           capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["detente", *args, "--db", str(examples_db)])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_plot_dyad_writes_a_png(examples_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "prk_rus.png"
    run("plot", "dyad", "PRK", "RUS", "--db", str(examples_db), "-o", str(path), "--freq", "week")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # IHDR
    assert (width, height) == (1210, 605)
    assert 20_000 < len(data) < 2_000_000


def test_network_formats(examples_db: Path, tmp_path: Path) -> None:
    graph = json.loads(run("network", "--db", str(examples_db), "--format", "json"))
    assert {n["id"] for n in graph["nodes"]} >= {"PRK", "RUS"}
    assert all(e["weight"] >= 1 for e in graph["edges"])
    edges = json.loads(run("network", "--db", str(examples_db), "--format", "json", "--min-events", "1000"))
    assert edges["edges"] == []
    rows = run("network", "--db", str(examples_db), "--format", "csv").strip().splitlines()
    assert rows[0] == "source,target,weight,coop_index" and len(rows) == len(graph["edges"]) + 1
    png = tmp_path / "net.png"
    run("network", "--db", str(examples_db), "--format", "png", "-o", str(png))
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_alerts_command_shapes(examples_db: Path) -> None:
    rows = json.loads(run("alerts", "--db", str(examples_db), "--format", "json", "--baseline", "4w",
                          "--recent", "1w"))
    assert isinstance(rows, list)  # two articles: no baseline to depart from, but a valid (maybe empty) list
    for r in rows:
        assert r["kind"] in ("index", "volume", "change_point") and isinstance(r["event_ids"], list)


def test_alerts_parquet_and_csv(tmp_path: Path) -> None:
    from test_alerts import CRITICISE, MEET, SANCTION, insert, week_days  # the hand-built swing

    from detente.store import Store

    db = tmp_path / "swing.duckdb"
    with Store(db) as s:
        insert(s, [("PRK", "RUS", d, MEET, "asserted") for w in range(4, 40) for d in week_days(w)[:2]]
               + [("RUS", "PRK", d, SANCTION, "asserted") for w in range(2) for d in week_days(w)[:3]]
               + [("PRK", "RUS", d, CRITICISE, "asserted") for w in range(2) for d in week_days(w)[3:5]])
    out = tmp_path / "alerts.parquet"
    run("alerts", "--db", str(db), "--format", "parquet", "-o", str(out))
    rows = duckdb.connect().execute("SELECT dyad, kind, direction, len(event_ids) FROM read_parquet(?)",
                                    [str(out)]).fetchall()
    assert ("PRK-RUS", "index", "conflict", 10) in rows
    csv_text = run("alerts", "--db", str(db), "--format", "csv", "--no-change-points")
    assert "PRK-RUS,PRK,RUS,index,conflict" in csv_text and " | " in csv_text
