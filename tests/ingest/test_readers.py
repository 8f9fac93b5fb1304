"""Readers: files, folders, JSONL, CSV and HTML in; Article or Failure out, never an exception."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detente.ingest.readers import read_file, read_html, read_jsonl, read_paths
from detente.records import Article, Failure, stable_id

EXAMPLE_000 = "000_19b63bd54c989478.txt"
EXAMPLE_002 = "002_dffcad3ee24ec54d.txt"

LAUNCH = ("Japan condemned North Korea's launch of a ballistic missile on Monday, calling it a grave threat "
          "to the peace and security of the region.")
SUPPLY = ("North Korea has supplied millions of artillery shells to Russia for use in Ukraine, "
          "South Korea's defence minister said on Tuesday.")
SUMMIT = ("Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a comprehensive "
          "strategic partnership treaty in Pyongyang on Wednesday.")


def read(*paths: Path, max_chars: int = 1_000_000) -> list[Article | Failure]:
    return list(read_paths(paths, max_chars=max_chars))


def articles(items: list[Article | Failure]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def failures(items: list[Article | Failure]) -> list[Failure]:
    return [i for i in items if isinstance(i, Failure)]


def write_jsonl(path: Path, *objs: object) -> Path:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- plain text
def test_examples_folder_gives_two_articles_in_name_order(examples_dir: Path) -> None:
    items = read(examples_dir)
    assert failures(items) == []
    arts = articles(items)
    assert [Path(a.origin or "").name for a in arts] == [EXAMPLE_000, EXAMPLE_002]


def test_inline_date_header_is_split_from_the_text(examples_dir: Path) -> None:
    (art,) = read(examples_dir / EXAMPLE_000)
    assert isinstance(art, Article)
    assert art.date == date(2023, 11, 7)
    assert not art.text.lower().lstrip().startswith("date")
    assert art.text.startswith("In an unexpected turn of events, North Korean leader Kim Jong-un")
    assert "2023-11-07" not in art.text
    assert art.language == "en"
    assert art.id == stable_id(art.text)  # no id given: a content hash


def test_article_without_date_header_has_no_date(examples_dir: Path) -> None:
    (art,) = read(examples_dir / EXAMPLE_002)
    assert isinstance(art, Article)
    assert art.date is None
    assert art.text.startswith("North Korean leader Kim Jong Un extended hearty congratulations")
    assert "Strengthening of Bilateral Relations" in art.text
    assert art.title is None  # the first line is a long sentence, not a headline
    assert art.language == "en"


@pytest.mark.parametrize("header", ["date 2024-01-08\n", "Date: 2024-01-08\n", "DATE=2024-01-08\n\n"])
def test_date_header_on_its_own_first_line(tmp_path: Path, header: str) -> None:
    path = tmp_path / "launch.txt"
    path.write_text(header + LAUNCH + "\n", encoding="utf-8")
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.date == date(2024, 1, 8)
    assert art.text.startswith("Japan condemned")


def test_headline_line_becomes_the_title(tmp_path: Path) -> None:
    path = tmp_path / "supply.txt"
    path.write_text("Seoul says Pyongyang shipped shells to Moscow\n\n" + SUPPLY + "\n", encoding="utf-8")
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.title == "Seoul says Pyongyang shipped shells to Moscow"


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "2.txt").write_text(SUPPLY, encoding="utf-8")
    (tmp_path / "a" / "deep" / "1.txt").write_text(LAUNCH, encoding="utf-8")
    write_jsonl(tmp_path / "c.jsonl", {"id": "c-1", "text": SUMMIT})
    (tmp_path / "z.txt").write_text("date 2024-06-19\n" + SUMMIT + " Officials said more talks were planned.",
                                    encoding="utf-8")
    # not articles: hidden files, READMEs, files without or with unknown suffixes
    (tmp_path / ".hidden.txt").write_text(LAUNCH, encoding="utf-8")
    (tmp_path / "README.md").write_text("# Corpus\n\nThese files are test articles.", encoding="utf-8")
    (tmp_path / "NOTES").write_text(LAUNCH, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")

    items = read(tmp_path)
    assert failures(items) == []
    origins = [a.origin for a in articles(items)]
    assert origins == [
        str(tmp_path / "a" / "deep" / "1.txt"),
        str(tmp_path / "b" / "2.txt"),
        f"{tmp_path / 'c.jsonl'}:1",
        str(tmp_path / "z.txt"),
    ]


# ---------------------------------------------------------------------------- JSONL and JSON
def test_jsonl_fields_are_kept(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "news.jsonl",
        {"id": "kcna-2024-0619", "text": SUMMIT, "date": "2024-06-19", "title": "Putin and Kim sign treaty",
         "url": "https://example.org/news/treaty", "source": "Example Wire"},
        {"id": 42, "text": SUPPLY, "date": "2024-02-27T09:15:00+09:00"},
    )
    items = read(path)
    assert failures(items) == []
    first, second = articles(items)
    assert first.id == "kcna-2024-0619"
    assert first.text == SUMMIT
    assert first.date == date(2024, 6, 19)
    assert first.title == "Putin and Kim sign treaty"
    assert first.url == "https://example.org/news/treaty"
    assert first.source == "Example Wire"
    assert first.origin == f"{path}:1"
    assert second.id == "42"
    assert second.date == date(2024, 2, 27)
    assert second.origin == f"{path}:2"


def test_without_id_the_id_is_a_stable_content_hash(tmp_path: Path) -> None:
    one = write_jsonl(tmp_path / "one.jsonl", {"text": SUPPLY}, {"text": LAUNCH})
    two = write_jsonl(tmp_path / "two.jsonl", {"text": SUPPLY, "source": "Other Wire"})
    (tmp_path / "three.txt").write_text(SUPPLY, encoding="utf-8")
    a, b = articles(read(one))
    (c,) = articles(read(two))
    (d,) = articles(read(tmp_path / "three.txt"))
    assert a.id == c.id == d.id == stable_id(SUPPLY)
    assert a.id != b.id
    assert len(a.id) == 16 and all(ch in "0123456789abcdef" for ch in a.id)


def test_malformed_jsonl_line_is_a_failure_and_other_lines_are_read(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": LAUNCH}) + "\n"
        + '{"id": "b", "text": "North Korea fired a missile\n'  # truncated object
        + "\n"  # blank lines are skipped, but still counted
        + json.dumps({"id": "c", "text": SUPPLY}) + "\n",
        encoding="utf-8",
    )
    items = read(path)
    assert [a.id for a in articles(items)] == ["a", "c"]
    (fail,) = failures(items)
    assert fail.code == "E102"
    assert fail.stage == "read"
    assert fail.item == f"{path}:2"
    assert f"{path}:2:" in fail.message
    assert "other lines were read" in fail.message


@pytest.mark.parametrize("line", ['["a list", "not an object"]', '"just a string"', "42", "null"])
def test_json_line_that_is_not_an_object_is_e112(tmp_path: Path, line: str) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"text": LAUNCH}) + "\n" + line + "\n", encoding="utf-8")
    items = read(path)
    assert len(articles(items)) == 1
    (fail,) = failures(items)
    assert fail.code == "E112"
    assert fail.item == f"{path}:2"


@pytest.mark.parametrize("obj", [{"title": "No body"}, {"text": ""}, {"text": "   \n "}, {"text": 42},
                                 {"text": None, "id": "x"}])
def test_missing_or_empty_text_is_e103(tmp_path: Path, obj: dict[str, object]) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", obj, {"text": SUPPLY})
    items = read(path)
    assert len(articles(items)) == 1
    (fail,) = failures(items)
    assert fail.code == "E103"
    assert fail.item == f"{path}:1"


def test_json_file_with_an_array_of_documents(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "x1", "text": LAUNCH}, {"text": SUPPLY}, "oops"], indent=2),
                    encoding="utf-8")
    items = read(path)
    assert [a.id for a in articles(items)] == ["x1", stable_id(SUPPLY)]
    assert [f.code for f in failures(items)] == ["E112"]


def test_json_file_with_one_pretty_printed_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "kcna-1", "text": SUMMIT, "date": "2024-06-19"}, indent=2), encoding="utf-8")
    items = read(path)
    assert failures(items) == []
    assert [(a.id, a.date) for a in articles(items)] == [("kcna-1", date(2024, 6, 19))]


def test_jsonl_metadata_with_lone_surrogates_is_storable() -> None:
    # json.dumps writes the lone surrogates as \\uXXXX escapes, as any JSON producer may
    line = json.dumps({"id": "kcna-\udc80", "text": SUMMIT, "title": "Kim \ud800 Putin",
                       "url": "https://example.org/\udfff", "source": "\udbff Wire"})
    assert "\\udc80" in line
    (art,) = read_jsonl(io.StringIO(line + "\n"), "x.jsonl")
    assert isinstance(art, Article)
    for value in (art.id, art.title, art.url, art.source, art.text):
        assert value is not None
        value.encode("utf-8")


# ---------------------------------------------------------------------------- CSV
def test_csv_with_only_a_text_column(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text('text\n"' + LAUNCH + '"\n"' + SUPPLY.replace('"', '""') + '"\n', encoding="utf-8")
    items = read(path)
    assert failures(items) == []
    assert [a.text for a in articles(items)] == [LAUNCH, SUPPLY]
    assert [a.id for a in articles(items)] == [stable_id(LAUNCH), stable_id(SUPPLY)]
    assert all(a.date is None for a in articles(items))


def test_csv_row_with_wrong_number_of_fields_is_e106_and_other_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "id,date,text\n"
        f'r1,2024-01-08,"{LAUNCH}"\n'
        f'r2,2024-02-27,"{SUPPLY}",extra\n'  # one field too many
        "r3,2024-06-19\n"  # one missing
        f'r4,2024-06-19,"{SUMMIT}"\n',
        encoding="utf-8",
    )
    items = read(path)
    assert [(a.id, a.date) for a in articles(items)] == [("r1", date(2024, 1, 8)), ("r4", date(2024, 6, 19))]
    fails = failures(items)
    assert [f.code for f in fails] == ["E106", "E106"]
    assert [f.item for f in fails] == [f"{path}:3", f"{path}:4"]
    assert "4 fields where the header has 3" in fails[0].message


def test_csv_without_text_column_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(f'id,body\nr1,"{LAUNCH}"\nr2,"{SUPPLY}"\n', encoding="utf-8")
    items = read(path)
    assert len(items) == 1
    (fail,) = items
    assert isinstance(fail, Failure)
    assert fail.code == "E106"
    assert "text" in fail.message


def test_tsv_is_read_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "news.tsv"
    path.write_text(f"id\ttext\tdate\nt1\t{SUMMIT}\t2024-06-19\n", encoding="utf-8")
    (art,) = read(path)
    assert isinstance(art, Article)
    assert (art.id, art.text, art.date) == ("t1", SUMMIT, date(2024, 6, 19))


# ---------------------------------------------------------------------------- bad files
@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl", "empty.csv", "empty.html"])
@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file_is_e104(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    (fail,) = read(path)
    assert isinstance(fail, Failure)
    assert (fail.code, fail.item) == ("E104", str(path))


def test_binary_file_with_nul_bytes_is_e105(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    (fail,) = read(path)
    assert isinstance(fail, Failure)
    assert fail.code == "E105"


def test_undecodable_binary_ish_bytes_are_e101(tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(bytes(range(128, 256)) * 4 + b"\x01\x02 Seoul")
    (fail,) = read(path)
    assert isinstance(fail, Failure)
    assert fail.code == "E101"


def test_latin1_text_with_a_few_accented_bytes_decodes(tmp_path: Path) -> None:
    text = ("Les ministres se sont réunis à Genève mardi pour discuter de la coopération entre la Corée "
            "du Nord et la Russie, selon un communiqué publié à Paris.")
    path = tmp_path / "geneve.txt"
    path.write_bytes(text.encode("latin-1"))
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.text == text
    assert art.language == "fr"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ("date 2024-01-08\n" + LAUNCH).encode("utf-8"))
    (art,) = read(path)
    assert isinstance(art, Article)
    assert art.date == date(2024, 1, 8)
    assert art.text == LAUNCH


def test_unsupported_suffix_is_e108(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    (fail,) = read(path)
    assert isinstance(fail, Failure)
    assert fail.code == "E108"
    assert "'.pdf'" in fail.message


FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://harbour.example"


def saved_feed(tmp_path: Path, fixture: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text((FIXTURES / fixture).read_text(encoding="utf-8").replace("{base}", BASE), encoding="utf-8")
    return path


def test_a_saved_rss_file_gives_its_entries_own_text_without_fetching(tmp_path: Path) -> None:
    from detente.ingest.web import url_id

    items = read(saved_feed(tmp_path, "rss.xml", "asia.rss"))
    arts = [a for a in items if isinstance(a, Article)]
    assert [a.title for a in arts] == ["Japan condemns North Korean missile launch",
                                       "Seoul says Pyongyang shipped shells to Moscow", "Seoul protests over balloons"]
    assert [a.date for a in arts] == [date(2024, 1, 8), date(2024, 2, 27), date(2024, 5, 29)]
    assert {a.source for a in arts} == {"Harbour Times: Asia"}
    assert arts[0].text == "Tokyo calls the launch a grave threat."  # the entry's summary: nothing is fetched
    assert arts[1].text == "North Korea has supplied shells to Russia, Seoul says."  # HTML summary made plain
    # the id a fetched page of the same link gets, so a later fetch of the page is recognised
    assert arts[1].id == url_id(BASE + "/articles/supply.html") and arts[1].url == BASE + "/articles/supply.html"
    (fail,) = [f for f in items if isinstance(f, Failure)]  # the entry with a link but no text
    assert fail.code == "E116" and fail.item == BASE + "/articles/app.html"


def test_a_saved_atom_file_and_an_entry_without_a_page(tmp_path: Path) -> None:
    items = read(saved_feed(tmp_path, "atom.xml", "watch.atom"))
    assert all(isinstance(a, Article) for a in items)
    summit, note = items
    assert isinstance(summit, Article) and isinstance(note, Article)
    assert summit.source == "Pyongyang Watch" and summit.date == date(2024, 6, 19)
    assert note.url is None and note.text.startswith("China and Russia held joint naval exercises")
    assert note.id == read(saved_feed(tmp_path, "atom.xml", "copy.xml"))[1].id  # stable: from the entry id


@pytest.mark.parametrize("content", [
    (FIXTURES / "broken.xml").read_text(encoding="utf-8"),
    '<?xml version="1.0"?><inventory><item sku="1"/></inventory>',
    "just some words, not XML at all",
])
def test_a_file_that_is_not_a_feed_is_e115(tmp_path: Path, content: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(content, encoding="utf-8")
    (fail,) = read(path)
    assert isinstance(fail, Failure) and fail.code == "E115" and fail.stage == "read"


def test_a_feed_with_an_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "boom">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9))
    path = tmp_path / "bomb.rss"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><title>t</title>'
                    "<item><title>&a8;</title><description>&a8; Japan protested to China.</description></item>"
                    "</channel></rss>", encoding="utf-8")
    items = read(path)
    assert all(len(getattr(i, "text", "")) < 1000 for i in items), "10^8 'boom's would mean the entities expanded"


def test_missing_path_is_e109_and_other_paths_are_read(tmp_path: Path, examples_dir: Path) -> None:
    missing = tmp_path / "nowhere" / "article.txt"
    items = read(missing, examples_dir / EXAMPLE_002)
    assert isinstance(items[0], Failure)
    assert (items[0].code, items[0].item) == ("E109", str(missing))
    assert len(articles(items)) == 1


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "yesterday", "2024-02-30", "31/12/2023"])
def test_unusable_date_keeps_the_article_without_date(tmp_path: Path, bad: str) -> None:
    path = write_jsonl(tmp_path / "news.jsonl", {"id": "d1", "text": SUPPLY, "date": bad})
    items = read(path)
    (art,) = articles(items)
    assert art.date is None
    assert art.text == SUPPLY
    (fail,) = failures(items)
    assert (fail.code, fail.item) == ("E110", "d1")
    assert bad in fail.message


def test_too_long_text_is_truncated_at_a_sentence_with_e111(tmp_path: Path) -> None:
    text = " ".join([LAUNCH, SUPPLY, SUMMIT] * 5)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    items = read(path, max_chars=300)
    (art,) = articles(items)
    (fail,) = failures(items)
    assert fail.code == "E111"
    assert f"{len(text)} characters" in fail.message and "300" in fail.message
    assert len(art.text) <= 300
    assert art.text.endswith(".")
    assert text.startswith(art.text)
    assert fail.item == art.id


def test_truncation_never_leaves_an_empty_article(tmp_path: Path) -> None:
    path = tmp_path / "padded.txt"
    path.write_text(" " * 600 + SUPPLY, encoding="utf-8")
    items = read(path, max_chars=500)
    assert all(a.text.strip() for a in articles(items))


# ---------------------------------------------------------------------------- HTML
NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Seoul condemns missile launch | Example News</title>
  <meta property="article:published_time" content="2024-03-18T08:30:00+09:00">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
  <li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav>
  <article>
    <h1>South Korea condemns North Korean missile launch</h1>
    <p>South Korea on Monday condemned North Korea's launch of several short-range ballistic missiles
    into the sea off its east coast, calling it a clear violation of United Nations Security Council
    resolutions.</p>
    <p>The launch came a day after Seoul and Washington wrapped up their annual joint military drills,
    which Pyongyang describes as rehearsals for an invasion.</p>
  </article>
  <footer><p>Example News Ltd. All rights reserved. Privacy policy. Cookie settings.</p></footer>
</body>
</html>
"""


def test_html_page_gives_the_article_text_without_navigation_or_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    items = read(path)
    assert failures(items) == []
    (art,) = articles(items)
    assert "South Korea on Monday condemned North Korea's launch" in art.text
    assert "rehearsals for an invasion" in art.text
    assert "Subscribe to our newsletter" not in art.text
    assert "All rights reserved" not in art.text
    assert art.title == "South Korea condemns North Korean missile launch"
    assert art.date == date(2024, 3, 18)
    assert art.language == "en"
    assert art.origin == str(path)


@pytest.mark.parametrize("html", [
    "<html><body><p>unclosed <div>",
    "<html><body><p>Seoul <b>condemned <i>the</b> launch</i></p></body>",
    "<<<>>></p></div><script>alert(1)",
    "<html><head><title>x</title></head><body></body></html>",
    "<html><body>" + "<div>" * 3000 + "Deep text" + "</div>" * 10 + "</body></html>",
    "<?xml version='1.0'?><!DOCTYPE html><html xmlns='http://www.w3.org/1999/xhtml'><p>x&nbsp;&bogus;</p>",
])
def test_broken_html_never_raises(tmp_path: Path, html: str) -> None:
    path = tmp_path / "broken.html"
    path.write_text(html, encoding="utf-8")
    items = read(path)
    assert items and all(isinstance(i, (Article, Failure)) for i in items)


def test_html_without_main_text_is_e107() -> None:
    (fail,) = read_html("<html><head><title>x</title></head><body></body></html>", "empty.html")
    assert isinstance(fail, Failure)
    assert fail.code == "E107"


def test_copyright_year_in_footer_is_not_the_article_date() -> None:
    page = NEWS_PAGE.replace(
        '<meta property="article:published_time" content="2024-03-18T08:30:00+09:00">', ""
    ).replace("Example News Ltd.", "Copyright 2024 Example News Ltd.")
    (art,) = read_html(page, "page.html")
    assert isinstance(art, Article)
    assert art.date is None


# ---------------------------------------------------------------------------- never raise
@pytest.mark.parametrize("line", ["[" * 100_000, '{"text": "Seoul protested.", "id": ' + "7" * 5000 + "}"],
                         ids=["deep-nesting", "huge-int"])
def test_jsonl_line_json_cannot_load_is_a_failure(line: str) -> None:
    items = list(read_jsonl(io.StringIO(json.dumps({"text": LAUNCH}) + "\n" + line + "\n"), "x.jsonl"))
    assert [type(i) for i in items] == [Article, Failure]
    assert items[1].code == "E102"  # type: ignore[union-attr]


def test_jsonl_text_with_lone_surrogate_escape_does_not_raise() -> None:
    items = list(read_jsonl(io.StringIO('{"text": "Seoul \\ud800 condemned the launch."}\n'), "x.jsonl"))
    assert len(items) == 1 and isinstance(items[0], (Article, Failure))


_SAFE_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)
_JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _SAFE_TEXT,
                         st.lists(st.integers(), max_size=3))
_JSON_OBJECTS = st.dictionaries(st.sampled_from(["id", "text", "date", "title", "url", "source", "extra"]),
                                _JSON_VALUES, max_size=7)
_JSONL_BYTES = st.lists(st.one_of(_JSON_OBJECTS.map(json.dumps).map(str.encode), st.binary(max_size=80)),
                        max_size=6).map(b"\n".join)


def check_records(items: list[Article | Failure], max_chars: int) -> None:
    for item in items:
        assert isinstance(item, (Article, Failure))
        if isinstance(item, Article):
            assert len(item.text) <= max_chars
            assert "\x00" not in item.text
            assert item.id
            for value in (item.id, item.text, item.title, item.url, item.source):
                if value is not None:
                    value.encode("utf-8")  # storable: no lone surrogates
        else:
            assert item.code.startswith("E1") and item.message


@settings(max_examples=50, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_text_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.txt"
    path.write_bytes(data)
    items = list(read_file(path, max_chars=500))
    assert len(items) >= 1  # an article, or the reason there is none
    check_records(items, 500)


@settings(max_examples=50, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), _JSONL_BYTES))
def test_any_bytes_as_jsonl_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.jsonl"
    path.write_bytes(data)
    check_records(list(read_file(path, max_chars=500)), 500)


@settings(max_examples=30, deadline=None)
@given(data=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(lambda t: ("id,text\n" + t).encode())))
def test_any_bytes_as_csv_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "input.csv"
    path.write_bytes(data)
    check_records(list(read_file(path, max_chars=500)), 500)


# ---------------------------------------------------------------------------- streamed files
def _lines(n: int, words: int = 120) -> list[str]:
    body = " ".join(["Seoul and Tokyo agreed to resume talks on the disputed islands"] * (words // 11))
    return [json.dumps({"id": f"a{i}", "text": f"Report {i}. {body}", "date": "2024-03-01"}) for i in range(n)]


def test_jsonl_is_read_line_by_line_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for line in _lines(8_000, words=300):  # ~14 MB
            f.write(line + "\n")
    assert path.stat().st_size > 12_000_000
    tracemalloc.start()
    try:
        count = 0
        for item in read_paths([path]):
            assert isinstance(item, Article)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 8_000
    assert peak < 2_000_000  # the whole file would be > 12 MB (and more again as a StringIO)


def test_a_broken_byte_deep_in_a_jsonl_file_costs_only_its_characters(tmp_path: Path) -> None:
    lines = [line.encode("utf-8") for line in _lines(100)]  # the sample (first 8 KB) is clean UTF-8
    lines[80] = lines[80].replace(b"Report 80.", b"Report 80 \xff\xfe.")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = read(path)
    assert [type(i) for i in items] == [Article] * 100
    broken = items[80]
    assert isinstance(broken, Article) and broken.id == "a80"
    assert "Report 80 " in broken.text and "Seoul and Tokyo agreed" in broken.text


def test_streamed_csv_with_bom_and_a_quoted_newline(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    path.write_bytes("\ufeffid,date,text\n".encode("utf-8")
                     + b'c1,2024-03-01,"Japan protested to China.\nThe note was delivered in Beijing."\n'
                     + b"c2,2024-03-02,Seoul thanked Washington for its support.\n")
    items = read(path)
    assert [(i.id, i.date) for i in items if isinstance(i, Article)] == [("c1", date(2024, 3, 1)), ("c2", date(2024, 3, 2))]
    first = items[0]
    assert isinstance(first, Article) and "delivered in Beijing" in first.text
