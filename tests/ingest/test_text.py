"""Text helpers: cleaning, date headers, dates, titles and language."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from detente.ingest.text import clean_text, detect_language, detect_title, parse_date, split_date_header

BODY = ("Japan condemned North Korea's launch of a ballistic missile on Monday, calling it a grave threat "
        "to the peace and security of the region.")


# ---------------------------------------------------------------------------- clean_text
def test_clean_text_drops_control_characters_but_keeps_newlines_and_tabs() -> None:
    dirty = "Seoul\x00 protested\x07 the\u200b launch.\x0b\x0c\r\nPyongyang\tdid not reply.\rEnd\x7f"
    assert clean_text(dirty) == "Seoul protested the launch.\nPyongyang\tdid not reply.\nEnd"


def test_clean_text_nfc_normalises_and_strips_bom() -> None:
    decomposed = "\ufeffKim Jong-un arrived in Pyongyang from Vladivostok. Gene\u0300ve."
    assert clean_text(decomposed) == "Kim Jong-un arrived in Pyongyang from Vladivostok. Genève."


def test_clean_text_keeps_ordinary_text_unchanged() -> None:
    assert clean_text(BODY + "\n\n" + BODY) == BODY + "\n\n" + BODY


# ---------------------------------------------------------------------------- split_date_header
@pytest.mark.parametrize(("text", "expected_date", "expected_body"), [
    ("date 2024-01-08\n" + BODY, "2024-01-08", BODY),
    (" date 2023-11-07 In an unexpected turn of events.", "2023-11-07", "In an unexpected turn of events."),
    ("Date: 2024-01-08\n\n" + BODY, "2024-01-08", BODY),
    ("DATE=2024-01-08 " + BODY, "2024-01-08", BODY),
])
def test_split_date_header(text: str, expected_date: str, expected_body: str) -> None:
    assert split_date_header(text) == (expected_date, expected_body)


@pytest.mark.parametrize("text", [
    BODY,
    "The date 2024-01-08 was set for the talks.",  # not at the start
    "Dated 2024-01-08: talks in Moscow.",
    "date 8 January 2024\n" + BODY,  # not ISO
])
def test_no_date_header_leaves_text_alone(text: str) -> None:
    assert split_date_header(text) == (None, text)


def test_date_header_of_example_000(examples_dir: Path) -> None:
    raw = (examples_dir / "000_19b63bd54c989478.txt").read_text(encoding="utf-8")
    when, body = split_date_header(raw)
    assert when == "2023-11-07"
    assert body.startswith("In an unexpected turn of events")


# ---------------------------------------------------------------------------- parse_date
@pytest.mark.parametrize(("value", "expected"), [
    ("2024-01-08", date(2024, 1, 8)),
    ("  2023-09-13", date(2023, 9, 13)),
    ("2024-03-18T08:30:00+09:00", date(2024, 3, 18)),
    ("2024-06-19 14:05", date(2024, 6, 19)),
    ("1900-01-01", date(1900, 1, 1)),
    ("2100-12-31", date(2100, 12, 31)),
])
def test_parse_date_accepts_iso_dates(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2024-02-30",
                                   "2024-13-01", "yesterday", "", "8 January 2024", "01/08/2024"])
def test_parse_date_rejects_unusable_dates(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize("value", ["00010101", "99991231"])
def test_parse_date_range_check_applies_to_compact_iso(value: str) -> None:
    assert parse_date(value) is None


# ---------------------------------------------------------------------------- detect_title
def test_headline_followed_by_body_is_the_title() -> None:
    text = "Putin and Kim sign mutual defence pact in Pyongyang\n\n" + BODY
    assert detect_title(text) == "Putin and Kim sign mutual defence pact in Pyongyang"


@pytest.mark.parametrize("text", [
    BODY + "\n\nA second paragraph follows here.",  # first line ends with a full stop
    "Putin and Kim sign mutual defence pact in Pyongyang",  # nothing follows
    "Putin and Kim sign mutual defence pact in Pyongyang\n   \n",
    "Breaking\n" + BODY,  # one word is not a headline
    "Officials said on Monday:\n" + BODY,
    " ".join(["word"] * 40) + "\n" + BODY,  # too long for a headline
])
def test_no_title(text: str) -> None:
    assert detect_title(text) is None


def test_example_002_has_no_title(examples_dir: Path) -> None:
    text = (examples_dir / "002_dffcad3ee24ec54d.txt").read_text(encoding="utf-8")
    assert detect_title(text) is None


# ---------------------------------------------------------------------------- detect_language
@pytest.mark.parametrize("name", ["000_19b63bd54c989478.txt", "002_dffcad3ee24ec54d.txt"])
def test_examples_are_english(examples_dir: Path, name: str) -> None:
    assert detect_language((examples_dir / name).read_text(encoding="utf-8")) == "en"


@pytest.mark.parametrize(("text", "code"), [
    ("Le président de la République a annoncé mardi que la France et l'Allemagne vont renforcer leur "
     "coopération dans le domaine de la défense, selon un communiqué publié par l'Élysée.", "fr"),
    ("Президент России Владимир Путин встретился с лидером Северной Кореи Ким Чен Ыном на космодроме "
     "Восточный и обсудил военное сотрудничество.", "ru"),
    ("Der russische Präsident hat sich mit dem nordkoreanischen Machthaber getroffen, um über die "
     "Zusammenarbeit der beiden Länder zu sprechen, die sich nicht nur auf die Wirtschaft bezieht.", "de"),
    ("El presidente ruso se reunió con el líder norcoreano para hablar de la cooperación militar entre "
     "los dos países, según informó la agencia estatal.", "es"),
])
def test_other_languages(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Seoul.", "Kim met Putin.", "12345 67890 !!! ???"])
def test_very_short_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None
