"""The extraction orchestrator: fields from a raw article, and prose stored safely as Markdown."""

from __future__ import annotations

import pytest

from generator.extract import escape_markdown, extract
from generator.ingest.model import RawArticle
from generator.render.env import markdown


@pytest.mark.parametrize(
    ("prose", "html"),
    [
        ("- بند", "<p>- بند</p>"),
        ("1. أول", "<p>1. أول</p>"),
        ("# ليس عنوانا", "<p># ليس عنوانا</p>"),
        ("> ليس اقتباسا", "<p>&gt; ليس اقتباسا</p>"),
        ("** جميع المقالات تمثل رأي كتابها", "<p>** جميع المقالات تمثل رأي كتابها</p>"),
        ("نص *مهم* و[رابط](javascript:x) <b>", "<p>نص *مهم* و[رابط](javascript:x) &lt;b&gt;</p>"),
        ("---", "<p>---</p>"),
        ("## عنوان فرعي", "<h2>عنوان فرعي</h2>"),
    ],
)
def test_prose_renders_as_itself(prose: str, html: str) -> None:
    assert markdown().render(escape_markdown(prose)).strip() == html


def _raw(text: str, **meta: object) -> RawArticle:
    return RawArticle("seeds/a.json", 0, "json", text, "0" * 16, meta)


def test_record_fields_are_used_and_unknown_keys_kept() -> None:
    done = extract(
        _raw(
            "الفقرة الأولى من الخبر الذي نكتبه هنا.\nفقرة ثانية.",
            title=" عنوان &quot;الخبر&quot; ",
            date="Tue, 20 Feb 2018 17:49:58 +0400",
            source="okaz",
            url="http://x.test/1",
            docno="A-1",
        )
    )
    f = done.fields
    assert f["title"] == 'عنوان "الخبر"'
    assert f["date"] == "2018-02-20T17:49:58+04:00"
    assert f["source"] == "عكاظ"
    assert f["extra"] == {"docno": "A-1"}
    assert (f["seed"], f["seed_index"]) == ("seeds/a.json", 0)
    assert done.warnings == []


def test_missing_date_is_null_with_a_warning_never_today() -> None:
    done = extract(_raw("نص قصير بلا تاريخ في أي مكان منه.", title="عنوان"))
    assert done.fields["date"] is None
    assert [kind for kind, _ in done.warnings] == ["no date"]


def test_unreadable_stated_date_falls_back_to_the_dateline() -> None:
    text = "جنيف 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\nأعلنت الأمم المتحدة بدء جولة جديدة."
    done = extract(_raw(text, title="عنوان", date="قريبا"))
    assert done.fields["date"] == "2015-08-10"
    assert [kind for kind, _ in done.warnings] == ["unreadable date"]
