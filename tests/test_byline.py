"""Bylines: author, dateline and agency, from the record and from the lede."""

from __future__ import annotations

import pytest

from generator.extract.byline import Byline, lede_byline, split_byline


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("القاهرة: خالد محمود", Byline("خالد محمود", "القاهرة", None)),
        ("أبوظبي - سكاي نيوز عربية", Byline(None, "أبوظبي", "سكاي نيوز عربية")),
        ("دبي - العربية.نت", Byline(None, "دبي", "العربية")),
        ("&nbsp;خالد طاشكندي (جدة)", Byline("خالد طاشكندي", "جدة", None)),
        ("واس", Byline(None, None, "واس")),
        ("أ ف ب", Byline(None, None, "فرانس برس")),
        ("الرياض - رويترز", Byline(None, "الرياض", "رويترز")),
        ("فهد الغبيوي- سبق- عفيف:", Byline("فهد الغبيوي", "عفيف", "سبق")),
        ("سعاد المحمد – عين اليوم", Byline("سعاد المحمد", None, "عين اليوم")),
        ("حوار: ليلى حسن", Byline("ليلى حسن", None, None)),
        ("(أبوظبي - البيان)", Byline(None, "أبوظبي", "البيان")),
        ("محمد عبدالله", Byline("محمد عبدالله", None, None)),
        ("الرياض - سامي خالد", Byline("سامي خالد", "الرياض", None)),
        ("سامي خالد - القاهرة", Byline("سامي خالد", "القاهرة", None)),
        ("«الاقتصادية» من الرياض", Byline(None, "الرياض", "الاقتصادية")),
        ("لندن: «الشرق الأوسط أونلاين»", Byline(None, "لندن", "الشرق الأوسط")),
        ("القاهرة - مكتب الجزيرة:", Byline(None, "القاهرة", "الجزيرة")),
        ("الوكالات - واشنطن", Byline(None, "واشنطن", "الوكالات")),
        (
            "دبي - سكاي نيوز عربية | Tuesday, 11 August 2015 - 16:10 pm",
            Byline(None, "دبي", "سكاي نيوز عربية"),
        ),
        ("لندن", Byline(None, "لندن", None)),
    ],
)
def test_split_byline(raw: str, expected: Byline) -> None:
    assert split_byline(raw) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "",
        None,
        "   ",
        "&nbsp;",
        "c1f2ca9a-2885-4ebe-8b26-25fbdfeb8e4c",
        "123456",
        "https://example.com/a",
        "a@b.org",
    ],
)
def test_values_that_are_not_people(junk: str | None) -> None:
    assert split_byline(junk) == Byline()


@pytest.mark.parametrize(
    ("para", "byline", "rest"),
    [
        ("عين اليوم – جدة", Byline(None, "جدة", "عين اليوم"), ""),
        (
            "فهد الغبيوي- سبق- عفيف: طالب السكان بالخدمات",
            Byline("فهد الغبيوي", "عفيف", "سبق"),
            "طالب السكان بالخدمات",
        ),
        (
            "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس أكد الوزير أهمية المشروع",
            Byline(None, "الرياض", "واس"),
            "أكد الوزير أهمية المشروع",
        ),
        (
            "دبي، الإمارات العربية المتحدة (CNN)— أعلنت الحكومة خطة جديدة",
            Byline(None, "دبي", "سي إن إن بالعربية"),
            "أعلنت الحكومة خطة جديدة",
        ),
    ],
)
def test_lede_byline(para: str, byline: Byline, rest: str) -> None:
    assert lede_byline(para) == (byline, rest)


@pytest.mark.parametrize(
    "para",
    [
        "الأمم المتحدة: القرارات قائمة",
        "قال الوزير: إن البلاد بخير",
        "الرياض: أعلنت الوزارة خطة",
        "العقيد محمد العلي",
    ],
)
def test_lede_byline_unsure_leaves_paragraph(para: str) -> None:
    assert lede_byline(para) == (Byline(), para)
