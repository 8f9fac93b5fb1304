"""The country network: who acts on whom, how often, and how cooperatively.

:func:`network` builds a ``networkx.DiGraph`` from the store; :func:`to_json`, :func:`to_graphml`
and :func:`to_png` write it out. matplotlib is imported only by :func:`to_png`, and draws on its
own Agg canvas (no pyplot, no global backend switch), so the library works on a headless server.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pandas as pd

from .dyad import WEIGHT, date_filter, factualities


def network(con: duckdb.DuckDBPyConnection, since: dt.date | str | None = None,
            until: dt.date | str | None = None, min_events: int = 1,
            include_hedged: bool = False) -> nx.DiGraph:
    """Countries as nodes, ``source -> target`` edges for every pair with at least ``min_events``.

    Edge attributes: ``weight`` (event count) and ``coop_index`` (same formula as
    :func:`~detente.analysis.dyad.dyad_series`, over all the pair's events in the window).
    Node attribute ``events``: the events on the node's kept edges, in and out. The factuality rule
    is the dyad series' (asserted + intent, hedged on request, never negated). Events whose source
    or target has no country, and domestic events (source country = target country), are left out.
    Without ``since``/``until`` undated events count too; with either, only dated ones can match.
    """
    dwhere, dparams = date_filter(since, until)
    where = " AND ".join([
        "factuality IN (SELECT unnest(?))", "source_country IS NOT NULL", "target_country IS NOT NULL",
        "source_country <> target_country", *dwhere,
    ])
    rows = con.execute(
        f"""SELECT source_country, target_country, count(*) AS n,
                coalesce(sum({WEIGHT}) FILTER (WHERE quad IN (1, 2)), 0) AS w_coop,
                coalesce(sum({WEIGHT}) FILTER (WHERE quad IN (3, 4)), 0) AS w_conf
            FROM events WHERE {where}
            GROUP BY 1, 2 HAVING count(*) >= ? ORDER BY 1, 2""",
        [factualities(include_hedged), *dparams, max(int(min_events), 1)],
    ).fetchall()
    graph = nx.DiGraph()
    for source, target, n, w_coop, w_conf in rows:
        total = float(w_coop) + float(w_conf)
        coop = (float(w_coop) - float(w_conf)) / total if total > 0 else 0.0
        graph.add_edge(source, target, weight=int(n), coop_index=coop)
    for node in graph.nodes:
        graph.nodes[node]["events"] = int(
            sum(d["weight"] for *_, d in graph.in_edges(node, data=True))
            + sum(d["weight"] for *_, d in graph.out_edges(node, data=True)))
    return graph


def edge_table(graph: nx.DiGraph) -> pd.DataFrame:
    """The graph's edges as a DataFrame (source, target, weight, coop_index), heaviest first."""
    rows = [{"source": u, "target": v, "weight": int(d["weight"]), "coop_index": float(d["coop_index"])}
            for u, v, d in graph.edges(data=True)]
    df = pd.DataFrame(rows, columns=["source", "target", "weight", "coop_index"])
    return df.sort_values(["weight", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)


def to_json(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link dict (``nodes``, ``edges`` with ``source``/``target``), ready for ``json.dumps``."""
    data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    return data


def to_graphml(graph: nx.DiGraph, path: str | Path) -> None:
    """GraphML for Gephi, Cytoscape, yEd; attributes keep their types (int, double)."""
    nx.write_graphml(graph, str(path))


def to_png(graph: nx.DiGraph, path: str | Path, title: str | None = None, seed: int = 7) -> None:
    """A picture of the network: edges coloured red (conflict) to green (cooperation) by
    ``coop_index``, edge width and node size growing with the event count. ``seed`` fixes the
    layout so the same graph draws the same way twice."""
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    n = graph.number_of_nodes()
    side = min(6.0 + 0.35 * n, 20.0)
    fig = Figure(figsize=(side + 1.5, side), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if n == 0:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
        fig.savefig(str(path))
        return

    cmap = colormaps["RdYlGn"]
    norm = Normalize(vmin=-1.0, vmax=1.0)
    pos = nx.circular_layout(graph) if n <= 3 else nx.spring_layout(graph, seed=seed, k=2.0 / math.sqrt(n))
    max_events = max(d.get("events", 1) for _, d in graph.nodes(data=True)) or 1
    sizes = [300 + 1700 * d.get("events", 1) / max_events for _, d in graph.nodes(data=True)]
    edges = list(graph.edges(data=True))
    max_w = max(d["weight"] for *_, d in edges) if edges else 1
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=sizes, node_color="#dfe6ee", edgecolors="#44546a")
    nx.draw_networkx_edges(
        graph, pos, ax=ax, edgelist=[(u, v) for u, v, _ in edges],
        edge_color=[cmap(norm(d["coop_index"])) for *_, d in edges],
        width=[1.0 + 5.0 * math.log1p(d["weight"]) / math.log1p(max_w) for *_, d in edges],
        node_size=sizes, arrows=True, arrowsize=14, connectionstyle="arc3,rad=0.12",
    )
    nx.draw_networkx_labels(graph, pos, ax=ax, font_size=10, font_weight="bold",
                            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8})
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6)
    bar.set_label("coop_index (conflict -1 .. +1 cooperation)")
    fig.savefig(str(path), bbox_inches="tight")
