"""Unicode slugs: safe, capped, never empty, idempotent, collisions resolved."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.content.slugs import MAX_BYTES, SLUG_PATTERN, slugify, unique_slug


def test_keeps_arabic_and_folds_marks() -> None:
    assert slugify("الاقتصادُ العالميّ") == "الاقتصاد-العالمي"
    assert slugify("بـ20 مليار") == "ب20-مليار"
    assert slugify("٢٠١٥ عام") == "2015-عام"


def test_strips_unsafe_characters() -> None:
    assert slugify('a/b\\c?d#e%f"g') == "a-b-c-d-e-f-g"
    assert slugify("..نص..") == "نص"
    assert slugify("Hello World") == "hello-world"


def test_reserved_windows_names() -> None:
    assert slugify("CON") == "con-x"
    assert slugify("nul") == "nul-x"


def test_never_empty() -> None:
    assert slugify("...").startswith("x-")
    assert slugify("") == slugify("")


def test_caps() -> None:
    assert slugify("كلمة " * 20, max_words=3) == "كلمة-كلمة-كلمة"
    long = slugify("ب" * 200)
    assert len(long.encode()) <= MAX_BYTES


def test_unique_slug() -> None:
    assert unique_slug("خبر", set()) == "خبر"
    assert unique_slug("خبر", {"خبر"}) == "خبر-2"
    assert unique_slug("خبر", {"خبر", "خبر-2"}) == "خبر-3"


@given(st.text())
def test_any_text_gives_a_safe_idempotent_slug(text: str) -> None:
    slug = slugify(text)
    assert slug
    assert SLUG_PATTERN.match(slug)
    assert len(slug.encode()) <= MAX_BYTES
    assert slugify(slug) == slug
