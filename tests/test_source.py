"""Outlet display names from ids, URLs and text; the outlet table."""

from __future__ import annotations

import pytest

from generator.extract.source import outlet_by_name, outlets, source_name


@pytest.mark.parametrize(
    ("source_id", "name"),
    [
        ("okaz", "عكاظ"),
        ("alarabia", "العربية"),
        ("BBC", "بي بي سي عربي"),
        ("skynews", "سكاي نيوز عربية"),
        ("Jawhara FM", "الجوهرة أف أم"),
        ("was", "واس"),
        ("arreyadiyah", "الرياضية"),
        ("CNN", "سي إن إن بالعربية"),
    ],
)
def test_from_id(source_id: str, name: str) -> None:
    assert source_name(source_id, None, "") == name


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.bbc.com/arabic/middleeast-123", "بي بي سي عربي"),
        ("http://arabic.cnn.com/2013/x/index.html", "سي إن إن بالعربية"),
        ("https://www.youm7.com/story/2020/8/24/x", "اليوم السابع"),
        ("http://www.al-madina.com/article/1.html?live", "المدينة"),
    ],
)
def test_from_url(url: str, name: str) -> None:
    assert source_name(None, url, "") == name


def test_from_text_credit() -> None:
    text = 'وقال الخبير في تصريح خاص لـ"عربي21" إن الوضع خطير.'
    assert source_name(None, None, text) == "عربي21"


def test_nothing_names_it() -> None:
    assert source_name(None, None, "نص لا يذكر أي وسيلة إعلام.") is None
    assert source_name("", "", "") is None


def test_unknown_id_is_kept() -> None:
    assert source_name("some-local-paper", None, "") == "some-local-paper"


def test_table_is_broad_and_consistent() -> None:
    table = outlets()
    assert len(table) >= 60
    assert sum(o.is_agency for o in table) >= 20
    assert len({o.name for o in table}) == len(table)


def test_common_words_are_not_outlets_unless_loose() -> None:
    assert outlet_by_name("البيان") is None
    assert outlet_by_name("البيان", loose=True) is not None
    assert outlet_by_name("صحيفة البيان") is not None
