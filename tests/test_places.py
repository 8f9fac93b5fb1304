"""Places: the gazetteer shipped with the package and the place a sentence attaches to its event."""

from __future__ import annotations

import detente
from detente.places import Gazetteer


def test_gazetteer_has_capitals_cities_and_named_sites() -> None:
    g = Gazetteer.load()
    place, kind = g.by_alias["vostochny cosmodrome"]
    assert (place.country, kind) == ("RUS", "site")
    assert g.by_alias["pyongyang"][0].country == "PRK"
    assert g.by_alias["odesa"][0].country == "UKR"
    lat, lon = g.by_alias["kyiv"][0].lat, g.by_alias["kyiv"][0].lon
    assert lat is not None and lon is not None and 50 < lat < 51 and 30 < lon < 31


def places(text: str) -> set[tuple[str, str | None]]:
    return {(e.place.name, e.place.country) if e.place else ("-", None) for e in detente.code([text], date="2023-09-13")}


def test_place_is_where_the_sentence_puts_the_event() -> None:
    assert places("Putin welcomed Kim Jong Un at the Vostochny Cosmodrome on Wednesday.") == {("Vostochny Cosmodrome", "RUS")}


def test_a_place_named_elsewhere_in_the_sentence_is_not_the_events() -> None:
    # Geneva locates the diplomats, not the expulsion
    got = places("Switzerland expelled two Russian diplomats who had been based in Geneva.")
    assert got and all(p != ("Geneva", "CHE") for p in got)
