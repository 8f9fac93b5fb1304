"""Analysis over the store: dyad series with volume-normalised indices, the country network, alerts."""

from __future__ import annotations

from .alerts import alerts
from .dyad import dyad_series, factualities, undated_count
from .network import network, to_graphml, to_json, to_png

__all__ = ["alerts", "dyad_series", "factualities", "network", "to_graphml", "to_json", "to_png", "undated_count"]
