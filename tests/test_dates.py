"""Event dates: the date words attached to the trigger, resolved against the article date."""

from __future__ import annotations

from datetime import date

import pytest

import detente
from detente.dates import DateResolver


@pytest.fixture(scope="module")
def resolver() -> DateResolver:
    return DateResolver()


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
