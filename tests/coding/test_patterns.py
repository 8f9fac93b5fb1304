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


def events(text: str, day: str = "2024-05-02"):  # type: ignore[no-untyped-def]
    return detente.code([text], date=day)


def test_people_ministries_militaries_and_state_media_carry_their_country() -> None:
    got = dyads("Sergei Lavrov criticised the Pentagon over the new missile deployment.")
    assert ("RUS", "USA", "11") in got
    got = dyads("Russian troops shelled the Ukrainian town of Vovchansk on Sunday.")
    assert ("RUS", "UKR", "19") in got
    got = dyads("Beijing condemned Tokyo's decision to release treated water into the sea.")
    assert ("CHN", "JPN", "11") in got


def test_reported_clause_keeps_the_reporter_as_attribution() -> None:
    evs = events("North Korea sent troops to Russia, according to South Korea's spy agency.")
    hit = [e for e in evs if (e.source.country, e.target.country) == ("PRK", "RUS")]
    assert hit and hit[0].attribution and "spy agency" in hit[0].attribution
    evs = events("Seoul said that Pyongyang had shipped artillery shells to Moscow.")
    hit = [e for e in evs if (e.source.country, e.target.country, e.root) == ("PRK", "RUS", "07")]
    assert hit and hit[0].attribution == "Seoul"
    assert not any(e.source.country == "KOR" for e in evs), "the reporter is not the source"


def test_two_events_in_one_sentence() -> None:
    got = dyads("Japan condemned the launch and summoned the Chinese ambassador.")
    assert {("JPN", "CHN", "11")} <= got
    got = dyads("Israel struck Hezbollah positions in Lebanon, and Hezbollah fired rockets at northern Israel.")
    assert {("ISR", "LBN", "19"), ("LBN", "ISR", "19")} <= got


def test_evidence_points_at_the_words() -> None:
    (e,) = [x for x in events("Japan condemned North Korea's missile launch.") if x.root == "11"]
    assert e.sentence[e.trigger.start:e.trigger.end] == "condemned"
    assert e.sentence[e.source.start:e.source.end] == "Japan"
    assert e.rule == "condemn"
