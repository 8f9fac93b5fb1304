"""The country network built from a small store, and its JSON, GraphML and PNG forms."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from detente.analysis import network, to_graphml, to_json, to_png
from detente.records import Actor, Article, CodedArticle, Event, Span, stable_id
from detente.reference import Cameo
from detente.store import Store

CAMEO = Cameo()
NAMES = {"PRK": "North Korea", "RUS": "Russia", "USA": "United States", "CHN": "China", "UKR": "Ukraine"}

# (src, tgt, cameo, date, factuality, sentence)
EVENTS = [
    ("PRK", "RUS", "042", "2023-09-13", "asserted", "Kim Jong Un visited Russia on Wednesday."),
    ("PRK", "RUS", "036", "2023-09-15", "intent", "North Korea said it intends to hold talks with Russia."),
    ("RUS", "PRK", "061", "2023-09-14", "asserted", "Russia agreed to expand trade with North Korea."),
    ("RUS", "PRK", "111", "2023-10-05", "asserted", "Russia condemned North Korea's missile test."),
    ("RUS", "PRK", "138", "2023-10-06", "negated", "Russia denied threatening North Korea."),
    ("RUS", "PRK", "112", "2023-10-07", "hedged", "Russia reportedly accused North Korea of lying."),
    ("RUS", "UKR", "190", "2023-09-02", "asserted", "Russian forces shelled Ukrainian positions."),
    ("RUS", "UKR", "190", "2023-09-03", "asserted", "Russia struck Ukraine's power grid."),
    ("RUS", "UKR", "138", "2023-10-03", "asserted", "Russia threatened Ukraine with new strikes."),
    ("UKR", "RUS", "111", "2023-09-04", "asserted", "Ukraine condemned Russia's strikes."),
    ("USA", "CHN", "042", "2023-09-20", "asserted", "The US envoy visited China."),
    ("USA", "USA", "010", "2023-09-21", "asserted", "The White House made a statement."),  # domestic
    ("CHN", "USA", "042", None, "asserted", "China's foreign minister visited Washington."),  # undated
]


def make_event(i: int, src: str, tgt: str, cameo: str, day: str | None, fact: str, sentence: str) -> Event:
    c = CAMEO.get(cameo)
    return Event(
        event_id=stable_id("net", i), doc_id=f"net-{i}", sentence_index=0, sentence=sentence, date=day,
        date_source="explicit" if day else "none",
        source=Actor(f"{src}GOV", src, "GOV", NAMES[src], NAMES[src]),
        target=Actor(f"{tgt}GOV", tgt, "GOV", NAMES[tgt], NAMES[tgt]),
        cameo=cameo, cameo_name=c.name, root=c.root, quad=c.quad, goldstein=c.goldstein, plover=c.plover,
        factuality=fact,  # type: ignore[arg-type]
        trigger=Span(sentence.split()[1], 0, 1), rule="test_rule",
    )


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "t.duckdb")
    events = [make_event(i, *e) for i, e in enumerate(EVENTS)]
    s.write([CodedArticle(Article(id=e.doc_id, text=e.sentence), (), (e,)) for e in events], [], run_id="t")
    yield s
    s.close()


def test_edges_weights_and_nodes(store: Store) -> None:
    g = network(store.con)
    assert set(g.nodes) == {"PRK", "RUS", "UKR", "USA", "CHN"}
    weights = {(u, v): d["weight"] for u, v, d in g.edges(data=True)}
    # negated and hedged RUS->PRK events are out; the domestic USA->USA statement is no edge
    assert weights == {("PRK", "RUS"): 2, ("RUS", "PRK"): 2, ("RUS", "UKR"): 3, ("UKR", "RUS"): 1,
                       ("USA", "CHN"): 1, ("CHN", "USA"): 1}
    assert g.nodes["RUS"]["events"] == 2 + 2 + 3 + 1
    assert g.nodes["CHN"]["events"] == 2


def test_edge_coop_index(store: Store) -> None:
    g = network(store.con)
    assert g.edges["PRK", "RUS"]["coop_index"] == pytest.approx(1.0)
    assert g.edges["RUS", "UKR"]["coop_index"] == pytest.approx(-1.0)
    assert g.edges["RUS", "PRK"]["coop_index"] == pytest.approx((6.4 - 2.0) / (6.4 + 2.0))
    assert all(-1 <= d["coop_index"] <= 1 for *_, d in g.edges(data=True))


def test_filters(store: Store) -> None:
    g = network(store.con, min_events=2)
    assert set(g.edges) == {("PRK", "RUS"), ("RUS", "PRK"), ("RUS", "UKR")}
    sept = network(store.con, since="2023-09-01", until="2023-09-30")
    assert sept.edges["RUS", "UKR"]["weight"] == 2
    assert ("CHN", "USA") not in sept.edges  # undated: no match once a window is set
    assert ("RUS", "PRK") in sept.edges and sept.edges["RUS", "PRK"]["weight"] == 1
    hedged = network(store.con, include_hedged=True)
    assert hedged.edges["RUS", "PRK"]["weight"] == 3


def test_to_json_round_trips(store: Store) -> None:
    g = network(store.con)
    data = json.loads(json.dumps(to_json(g)))
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    edge = next(e for e in data["edges"] if (e["source"], e["target"]) == ("RUS", "UKR"))
    assert edge["weight"] == 3 and edge["coop_index"] == pytest.approx(-1.0)
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_directed() and set(back.edges) == set(g.edges)


def test_to_graphml_reads_back(store: Store, tmp_path: Path) -> None:
    g = network(store.con)
    path = tmp_path / "net.graphml"
    to_graphml(g, path)
    back = nx.read_graphml(path)
    assert back.is_directed()
    assert back.edges["RUS", "UKR"]["weight"] == 3
    assert back.nodes["RUS"]["events"] == 8
    assert back.edges["RUS", "PRK"]["coop_index"] == pytest.approx(g.edges["RUS", "PRK"]["coop_index"])


def test_to_png_writes_an_image(store: Store, tmp_path: Path) -> None:
    from matplotlib.image import imread

    path = tmp_path / "net.png"
    to_png(network(store.con), path, title="Sept-Oct 2023")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    img = imread(path)
    assert img.shape[0] > 300 and img.shape[1] > 300
    # the picture has colour in it (the red/green edges), not only grey
    rgb = img[..., :3]
    assert ((rgb.max(axis=2) - rgb.min(axis=2)) > 0.3).any()


def test_empty_network_png(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    to_png(nx.DiGraph(), path)
    assert path.stat().st_size > 0
