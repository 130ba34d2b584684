"""Summary, word count, reading time and language of an article.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations


def summarise(paragraphs: list[str], max_chars: int = 200) -> str:
    """The first real paragraph, cut at a word boundary."""
    first = next((p for p in paragraphs if len(p.split()) > 5), paragraphs[0] if paragraphs else "")
    if len(first) <= max_chars:
        return first
    return first[:max_chars].rsplit(" ", 1)[0] + " …"


def word_count(paragraphs: list[str]) -> int:
    """Words in the body."""
    return sum(len(p.split()) for p in paragraphs)


def reading_time(words: int) -> int:
    """Minutes to read at about 180 Arabic words a minute, at least one."""
    return max(1, round(words / 180))


def detect_lang(text: str) -> tuple[str, str]:
    """(lang, dir) by the share of Arabic letters."""
    arabic = sum("\u0600" <= c <= "\u06ff" for c in text)
    latin = sum(c.isascii() and c.isalpha() for c in text)
    return ("ar", "rtl") if arabic >= latin else ("en", "ltr")
