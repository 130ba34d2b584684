"""Front matter: round trip, hand-edit detection, and located errors."""

from __future__ import annotations

import pytest
import yaml
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


_PIECES = ["yes", "null", "On", "n", "x1", ":", ": ", " ", "- ", "-", "'", "''", '"', "\\", "#"]
_PIECES += [" #", "نص", "0", "12", "012", "1.5", "1e3", "1_000", "+1", "0x1f", "1:20", ".inf", "~"]
_PIECES += [
    "2015-08-06",
    "12:30:00",
    "\t",
    "[",
    "{",
    "&a",
    "*a",
    "!t",
    "%",
    "@",
    "`",
    ",",
    "?",
    ">",
]
_PIECES += ["<<", "=", "\u00a0", "\u2028", "\x85", "\ufeff"]
_VALUE = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=4).map("".join)
_KEYS = st.sampled_from(["title", "tags", "a", "yes", "No", "x_1", "_k", "null", "1"])
_ENTRY = st.one_of(
    st.tuples(_KEYS, _VALUE).map(": ".join),
    st.tuples(
        _KEYS, st.sampled_from(["", "  ", "    "]), st.lists(_VALUE, min_size=1, max_size=3)
    ).map(lambda t: t[0] + ":" + "".join(f"\n{t[1]}- {v}" for v in t[2])),
)


def _types(data: dict[str, object]) -> list[object]:
    """Each value's type, and its items' types for a list."""
    return [(type(v), [type(x) for x in v] if isinstance(v, list) else None) for v in data.values()]


@given(st.lists(_ENTRY, max_size=5).map("\n".join))
@settings(max_examples=3000)
def test_fast_reader_reads_what_pyyaml_reads_or_declines(yaml_text: str) -> None:
    try:
        fast = frontmatter._plain_mapping(yaml_text + "\n")
    except frontmatter._NotPlain:
        return
    slow = yaml.load(yaml_text + "\n", Loader=yaml.SafeLoader)
    assert fast == slow and _types(fast) == _types(slow)


@pytest.mark.parametrize(
    "yaml_text",
    [
        "title: عنوان: فيه نقطتان\n",
        "title: نص # تعليق\n",
        "date: 2015-08-06\n",
        "words: 012\n",
        "draft: yes\n",
        "tags:\nsummary: x\n",
        "tags:\n  - a\n - b\n",
        "title: سطر\n  يكمل\n",
        "extra:\n  docno: 7\n",
    ],
)
def test_fast_reader_leaves_the_rest_to_pyyaml(yaml_text: str) -> None:
    with pytest.raises(frontmatter._NotPlain):
        frontmatter._plain_mapping(yaml_text)


def test_fast_reader_reads_what_import_writes() -> None:
    fields = {
        "title": "عنوان: مع نقطتين و'اقتباس'",
        "date": "2016-09-19T18:18:02",
        "tags": ["اقتصاد", "12 شهرا"],
        "words": 600,
        "seed_hash": "86d657170b3d2572",
        "summary": "ملخص # فيه علامة",
    }
    yaml_text = frontmatter.dump_yaml(fields)
    assert frontmatter._plain_mapping(yaml_text) == fields
