"""A dyad timeline as a PNG: stacked QuadClass bars and the cooperation index, on matplotlib's Agg canvas.

No pyplot and no global backend switch (the figure owns its canvas), so it works on a headless server
and inside the HTTP API.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

#: QuadClass colours: cooperation in greens, conflict in oranges/reds
QUAD_STYLE = (("q1", "verbal cooperation", "#a6d96a"), ("q2", "material cooperation", "#1a9641"),
              ("q3", "verbal conflict", "#fdae61"), ("q4", "material conflict", "#d7191c"))
BAR_DAYS = {"month": 24.0, "week": 5.5, "day": 0.8}


def plot_dyad(series: pd.DataFrame, a: str, b: str, path: str | Path, freq: str = "month",
              title: str | None = None) -> None:
    """Write ``series`` (from :func:`~detente.analysis.dyad.dyad_series`) as a PNG timeline.

    Bars: events per period stacked by QuadClass (left axis). Lines: ``coop_index`` (solid) and
    ``normalised_index`` (dashed) on the right axis, fixed to [-1, 1] so two charts compare; periods
    without events leave a gap in the lines.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 5.5), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_title(title or f"{a} – {b}: events per {freq} and cooperation index", fontsize=13)
    if series.empty:
        ax.text(0.5, 0.5, f"no dated events between {a} and {b}", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        fig.savefig(str(path))
        return
    days = [d if isinstance(d, dt.date) else pd.Timestamp(d).date() for d in series["period"]]
    offset = dt.timedelta(days=BAR_DAYS.get(freq, 1.0) / 2 if freq != "day" else 0)
    x = [pd.Timestamp(d + offset) for d in days]
    width = BAR_DAYS.get(freq, 0.8)
    bottom = pd.Series(0.0, index=series.index)
    handles = []
    for col, label, colour in QUAD_STYLE:
        bars = ax.bar(x, series[col].astype(float), width=width, bottom=bottom, color=colour, label=label,
                      edgecolor="white", linewidth=0.4)
        handles.append(bars)
        bottom = bottom + series[col].astype(float)
    ax.set_ylabel(f"events per {freq}")
    ax.set_xlabel("period (event date)")
    ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.35)  # room for the legend
    ax.grid(axis="y", alpha=0.3)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))

    ix = ax.twinx()
    quiet = series["n_events"] <= 0  # no events: no index to draw (a gap, not a fall to 0)
    (line,) = ix.plot(x, series["coop_index"].mask(quiet), color="#2b5c8a", marker="o", markersize=3.5, linewidth=1.8,
                      label="cooperation index")
    (norm,) = ix.plot(x, series["normalised_index"].mask(quiet), color="#2b5c8a", linestyle="--", linewidth=1.2,
                      alpha=0.8, label="index normalised by news volume")
    ix.axhline(0.0, color="#555555", linewidth=0.8, alpha=0.6)
    ix.set_ylim(-1.05, 1.05)
    ix.set_ylabel("cooperation index (−1 conflict … +1 cooperation)")
    ax.legend(handles=[*handles, line, norm], loc="upper left", fontsize=8, ncol=2, framealpha=0.9)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(str(path))
