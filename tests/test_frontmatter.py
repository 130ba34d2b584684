"""Front matter: round trip, hand-edit detection, and located errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import frontmatter
from generator.content.load import article_from_text
from generator.errors import SourceError

TRICKY = [
    "قال: نعم",
    "- يبدأ بشرطة",
    "yes",
    "null",
    "123",
    "2015-08-06 10:21:33",
    'خبير أذري لـ"عربي21": روسيا',
    "# ليس تعليقا",
    "نص # مع علامة",
    "[قائمة]",
    "{كائن}",
    "'اقتباس'",
    "سطر\nسطر آخر",
    " مسافة في البداية",
    "~",
    "@رمز",
    "%نسبة",
    "!tag",
    "&anchor",
    "*alias",
    "|block",
    ">folded",
]


@pytest.mark.parametrize("value", TRICKY)
def test_dump_then_parse_returns_the_same_value(value: str) -> None:
    text = frontmatter.dump({"title": value, "tags": [value]}, "")
    data, _ = frontmatter.parse(text, "x.md")
    assert data == {"title": value, "tags": [value]}


def test_arabic_is_written_as_text_not_escapes() -> None:
    text = frontmatter.dump({"title": "أرشيف"}, "نص")
    assert "أرشيف" in text and "\\u" not in text


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=10),
        st.one_of(st.text(), st.lists(st.text()), st.none(), st.integers()),
    )
)
@settings(max_examples=200)
def test_round_trip_any_mapping(fields: dict[str, object]) -> None:
    text = frontmatter.dump(fields, "body")
    data, body = frontmatter.parse(text, "x.md")
    assert data == fields and body == "body"


def test_stamp_detects_a_hand_edit() -> None:
    text = frontmatter.stamp(frontmatter.dump({"title": "عنوان"}, "نص"))
    assert not frontmatter.is_hand_edited(text)
    assert frontmatter.is_hand_edited(text.replace("عنوان", "عنوان جديد"))
    assert frontmatter.is_hand_edited(
        frontmatter.dump({"title": "عنوان"}, "نص")
    )  # never stamped: a person wrote it


def test_yaml_error_names_file_line_and_column() -> None:
    text = "---\ntitle: عنوان\ntags: [a, b\n---\nنص\n"
    with pytest.raises(SourceError) as err:
        frontmatter.parse(text, "content/x.md")
    assert str(err.value).startswith("content/x.md:4:1: invalid front matter")


def test_bad_date_is_located_at_its_value() -> None:
    text = '---\ntitle: عنوان\ndate: "2020-13-45"\n---\nنص\n'
    with pytest.raises(SourceError) as err:
        article_from_text(text, "content/x.md", "x")
    assert str(err.value) == "content/x.md:3:7: date '2020-13-45' is not a date"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", "content/x.md:1:1: missing front matter"),
        ("---\ntitle: a\n", "content/x.md:3:1: front matter is not closed"),
        ("---\n- a\n---\n", "content/x.md:2:1: front matter must be a mapping"),
        ("---\ndate: 2020-01-01\n---\n", "content/x.md:2:1: title is missing or empty"),
        ("---\ntitle: a\ntags: 5\n---\n", "content/x.md:3:7: tags must be a list of text"),
        ("---\ntitle: a\ndir: up\n---\n", "content/x.md:3:6: dir 'up' is not allowed"),
        ("---\ntitle: a\nwords: -3\n---\n", "content/x.md:3:8: words must be a whole number"),
    ],
)
def test_invalid_front_matter_messages(text: str, message: str) -> None:
    with pytest.raises(SourceError) as err:
        article_from_text(text, "content/x.md", "x")
    assert str(err.value).startswith(message)


def test_unknown_keys_are_kept_in_extra() -> None:
    article = article_from_text(
        "---\ntitle: a\ncategory: sport\nextra:\n  docno: 7\n---\nb\n", "x.md", "x"
    )
    assert article.extra == {"category": "sport", "docno": 7}


@given(st.text())
@settings(max_examples=300)
def test_loader_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        article = article_from_text(text, "x.md", "x")
    except SourceError as exc:
        assert str(exc).startswith("x.md")
    else:
        assert article.title
