"""nlp.blocks: paragraph blocks with offsets, headings flagged so the coder skips them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.text import split_date_header
from detente.nlp import Block, blocks, is_heading

LAUNCH = ("Japan condemned North Korea's launch of a ballistic missile on Monday, calling it a grave threat "
          "to the peace and security of the region.")
SUPPLY = ("North Korea has supplied millions of artillery shells to Russia for use in Ukraine, "
          "South Korea's defence minister said on Tuesday.")


def assert_offsets(text: str, bs: list[Block]) -> None:
    for b in bs:
        assert text[b.start:b.start + len(b.text)] == b.text
        assert b.text == b.text.strip() and b.text
    starts = [b.start for b in bs]
    assert starts == sorted(starts)


@pytest.fixture(scope="module")
def example_002(examples_dir: Path) -> str:
    return (examples_dir / "002_dffcad3ee24ec54d.txt").read_text(encoding="utf-8")


def test_paragraphs_split_on_blank_lines() -> None:
    text = LAUNCH + "\n\n" + SUPPLY + "\n   \n\n" + LAUNCH
    bs = list(blocks(text))
    assert [b.text for b in bs] == [LAUNCH, SUPPLY, LAUNCH]
    assert [b.heading for b in bs] == [False, False, False]
    assert [b.start for b in bs] == [0, len(LAUNCH) + 2, text.rindex(LAUNCH)]
    assert_offsets(text, bs)


def test_example_002_headings_are_flagged(example_002: str) -> None:
    bs = list(blocks(example_002))
    headings = [b.text for b in bs if b.heading]
    assert headings == ["Strengthening of Bilateral Relations", "Strategic Implications", "Future Prospects"]
    body = [b for b in bs if not b.heading]
    assert len(body) == 5
    assert body[0].text.startswith("North Korean leader Kim Jong Un extended hearty congratulations")
    assert body[-1].text.endswith("will undoubtedly be profound and far-reaching.")
    assert_offsets(example_002, bs)


def test_example_000_has_no_headings(examples_dir: Path) -> None:
    raw = (examples_dir / "000_19b63bd54c989478.txt").read_text(encoding="utf-8")
    _, text = split_date_header(raw)
    bs = list(blocks(text))
    assert len(bs) == 7
    assert not any(b.heading for b in bs)
    assert bs[0].text.startswith("In an unexpected turn of events")
    assert_offsets(text, bs)


def test_heading_followed_by_body_on_the_next_line() -> None:
    text = "Strategic Implications\n" + SUPPLY
    bs = list(blocks(text))
    assert [(b.text, b.heading) for b in bs] == [("Strategic Implications", True), (SUPPLY, False)]
    assert_offsets(text, bs)


def test_hard_wrapped_sentence_stays_in_one_block() -> None:
    # lines of more than twelve words, as a 100-column wrap gives
    text = ("North Korea has supplied millions of artillery shells and dozens of ballistic missiles to\n"
            "Russia for use in Ukraine, South Korea's defence minister told reporters in Seoul on Tuesday.\n"
            "\n" + LAUNCH)
    bs = list(blocks(text))
    assert len(bs) == 2
    assert bs[0].text.startswith("North Korea has supplied") and bs[0].text.endswith("on Tuesday.")
    assert "\n" in bs[0].text
    assert not bs[0].heading
    assert bs[1].text == LAUNCH
    assert_offsets(text, bs)


def test_text_wrapped_at_72_columns_stays_one_block() -> None:
    para = ("The Ministry of Foreign Affairs of the Russian Federation announced on Tuesday that a "
            "delegation from Pyongyang would arrive in Moscow next week to discuss economic and military "
            "cooperation between the two countries.")
    text = textwrap.fill(para, 72)
    bs = list(blocks(text))
    assert [(b.text.replace("\n", " "), b.heading) for b in bs] == [(para, False)]


def test_sentences_on_separate_lines_are_separate_blocks() -> None:
    text = LAUNCH + "\n" + SUPPLY + "\n"
    assert [b.text for b in blocks(text)] == [LAUNCH, SUPPLY]


def test_indented_and_crlf_text_keeps_offsets() -> None:
    text = "   Strategic Implications\r\n\r\n\t" + LAUNCH + "\r\n  " + SUPPLY + "  \r\n"
    bs = list(blocks(text))
    assert [b.text for b in bs] == ["Strategic Implications", LAUNCH, SUPPLY]
    assert [b.heading for b in bs] == [True, False, False]
    assert_offsets(text, bs)


def test_empty_and_blank_text_give_no_blocks() -> None:
    assert list(blocks("")) == []
    assert list(blocks("\n \n\t\n")) == []


@pytest.mark.parametrize(("line", "heading"), [
    ("Strengthening of Bilateral Relations", True),
    ("Future Prospects", True),
    ("Kim meets Putin", True),
    ("North Korea fired a missile.", False),
    ("Was it a test?", False),
    ("The minister said:", False),
    ("Pyongyang, Moscow,", False),
    ('"We will respond"', False),
    ("North Korea has supplied millions of artillery shells to Russia for use in the war in Ukraine", False),
    ("Strategic Implications\nFuture Prospects", False),
])
def test_is_heading(line: str, heading: bool) -> None:
    assert is_heading(line) is heading


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([LAUNCH, SUPPLY, "Future Prospects", "a line without an end", "", " ", "\t",
                                 "Seoul, Jan. 8 (Yonhap) --", "\u2028", "\x0c", "\r"]), max_size=12)
       .map("\n".join) | st.text(max_size=300))
def test_offsets_hold_for_any_text(text: str) -> None:
    assert_offsets(text, list(blocks(text)))


WRAPPED = [
    "The Ministry of Foreign Affairs of the Russian Federation announced on Tuesday that a delegation from "
    "Pyongyang would arrive in Moscow next week to discuss economic and military cooperation between the "
    "two countries.",
    "South Korean President Yoon Suk Yeol And Japanese Prime Minister Fumio Kishida Agreed In Tokyo To "
    "Resume Regular Visits, officials said.",
    LAUNCH + " " + SUPPLY,
]


@pytest.mark.parametrize("width", [30, 40, 50, 60, 72, 80, 100])
@pytest.mark.parametrize("para", WRAPPED, ids=["ministry", "title-cased", "two-sentences"])
def test_hard_wrapped_paragraph_at_any_width_is_coded(para: str, width: int) -> None:
    text = "Future Prospects\n\n" + textwrap.fill(para, width) + "\n"
    bs = list(blocks(text))
    assert bs[0].text == "Future Prospects" and bs[0].heading
    # every word of the paragraph is in a block that is coded
    coded = " ".join(b.text.replace("\n", " ") for b in bs[1:] if not b.heading)
    assert coded == para
    assert_offsets(text, bs)


@pytest.mark.parametrize("heading", ["Strategic Implications", "Kim meets Putin", "Background"])
def test_short_heading_line_directly_above_a_wrapped_paragraph(heading: str) -> None:
    text = heading + "\n" + textwrap.fill(WRAPPED[0], 72)
    bs = list(blocks(text))
    assert [(b.text.replace("\n", " "), b.heading) for b in bs] == [(heading, True), (WRAPPED[0], False)]
