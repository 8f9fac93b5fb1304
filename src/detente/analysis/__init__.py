"""Analysis over the store: dyad series with volume-normalised indices, and the country network."""

from __future__ import annotations

from .dyad import dyad_series, factualities, undated_count
from .network import network, to_graphml, to_json, to_png

__all__ = ["dyad_series", "factualities", "network", "to_graphml", "to_json", "to_png", "undated_count"]
