"""Patterns news writes, on sentences written for these tests (not from the dev gold): each asserts the
dyads, roots and factuality the coder must produce, and what it must not produce."""

from __future__ import annotations

import pytest

import detente


def coded(text: str) -> set[tuple[str | None, str | None, str, str]]:
    return {(e.source.country, e.target.country, e.root or "", e.factuality)
            for e in detente.code([text], date="2024-05-02")}


def dyads(text: str) -> set[tuple[str | None, str | None, str]]:
    return {(s, t, r) for s, t, r, _ in coded(text)}


def test_a_meeting_is_coded_both_ways() -> None:
    got = dyads("Vietnamese President To Lam met Chinese leader Xi Jinping in Hanoi on Tuesday.")
    assert {("VNM", "CHN", "04"), ("CHN", "VNM", "04")} <= got


def test_a_planned_meeting_is_one_sided_intent() -> None:
    got = coded("The Kremlin said Putin had no plans to meet Macron.")
    assert ("RUS", "FRA", "03", "negated") in got
    assert not any(s == "FRA" for s, *_ in got)


def test_hosted_talks_between_two_parties() -> None:
    got = dyads("Egypt hosted three days of talks between Israel and Hamas in Cairo.")
    assert {("EGY", "ISR", "04"), ("EGY", "PSE", "04"), ("ISR", "PSE", "04"), ("PSE", "ISR", "04")} <= got


def test_demanded_action_is_not_an_event() -> None:
    got = dyads("The United States demanded that Iran release the detained British sailors.")
    assert ("USA", "IRN", "10") in got
    assert not any(r == "08" for *_, r in got), "the release was demanded, it has not happened"


def test_obligation_in_reported_clause_is_a_demand() -> None:
    got = dyads("Germany said on Monday that Hungary must lift its veto on the aid package.")
    assert ("DEU", "HUN", "10") in got


def test_accused_act_is_coded_hedged_against_the_accuser() -> None:
    got = coded("Ukraine accused Russia of shelling a hospital in Kharkiv.")
    assert ("UKR", "RUS", "11", "asserted") in got
    assert ("RUS", "UKR", "19", "hedged") in got


def test_supplied_recipient_with_weapons() -> None:
    got = coded("China may have supplied Serbia with armed drones, officials in Brussels said.")
    assert ("CHN", "SRB", "07", "hedged") in got


def test_hyphenated_border_names_the_other_country() -> None:
    assert ("GRC", "TUR", "15") in dyads("Greece moved 2,000 soldiers to the Greek-Turkish border.")


def test_arrival_in_a_city_is_a_visit_to_its_country() -> None:
    assert ("DEU", "UKR", "04") in dyads("German Chancellor Olaf Scholz arrived in Odesa on Saturday.")


@pytest.mark.parametrize("text", [
    "The alliance between Russia and Iran has deep roots.",  # a relationship as background, not an event
    "Analysts in Tokyo and Seoul watched the launch closely.",
])
def test_background_relationships_are_not_events(text: str) -> None:
    assert dyads(text) == set()
