"""The one normaliser: variant forms, clitic stripping, match keys."""

from __future__ import annotations

import pytest

from generator.extract.arabic import (
    clean_text,
    key_tokens,
    light_normalise,
    match_key,
    normalise,
    strip_clitics,
    tokens,
)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("أحمد", "احمد"),
        ("إسلام", "اسلام"),
        ("آمنة", "امنه"),
        ("مصطفى", "مصطفي"),
        ("مدرسة", "مدرسه"),
        ("مُحَمَّد", "محمد"),
        ("بـ20", "ب20"),
        ("الـقـاهـرة", "القاهره"),
        ("٢٠١٥", "2015"),
        ("۱۲", "12"),
        ("\u200fبيروت\u200e", "بيروت"),
        ("ایران", "ايران"),
        ("کتاب", "كتاب"),
        ("ﻻ", "لا"),
        ("مسؤول", "مسوول"),
        ("Hello", "hello"),
    ],
)
def test_normalise_folds_variants(text: str, key: str) -> None:
    assert normalise(text) == key


def test_clean_text_keeps_spelling() -> None:
    assert clean_text("أحمد\u200f\u00a0مُحَمَّد") == "أحمد مُحَمَّد"


def test_light_normalise_keeps_letters() -> None:
    assert light_normalise("الرئيسُ الـمصري ٢") == "الرئيس المصري 2"


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("والكتاب", "كتاب"),
        ("بالكتاب", "كتاب"),
        ("فالكتاب", "كتاب"),
        ("للكتاب", "كتاب"),
        ("الكتاب", "كتاب"),
        ("وقال", "قال"),
        ("وبوتين", "بوتين"),
    ],
)
def test_strip_clitics_strips(word: str, key: str) -> None:
    assert strip_clitics(normalise(word)) == key


@pytest.mark.parametrize("word", ["بوتين", "وزير", "فرنسا", "لبنان", "وطن", "الله", "كتاب", "بيان"])
def test_strip_clitics_keeps_whole_words(word: str) -> None:
    assert strip_clitics(normalise(word)) == normalise(word)


def test_tokens_and_key_tokens() -> None:
    assert tokens("والكتاب الجديد") == ["والكتاب", "الجديد"]
    assert key_tokens("والكتاب") == ["كتاب"]
    assert match_key("بالكتاب") == match_key("الكتاب") == "كتاب"
