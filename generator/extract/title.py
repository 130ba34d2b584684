"""Titles: cleaning a stated title, and a headline derived from the lede when there is none.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations

from generator.extract.arabic import clean_text


def clean_title(title: str) -> tuple[str, str | None]:
    """(clean title, section) from a stated title: entities, site names, section prefixes."""
    return clean_text(title).strip(), None


def headline_from_lede(paragraphs: list[str]) -> str:
    """A headline that reads like one (a complete clause, ≤ about 14 words) from the lede."""
    words = paragraphs[0].split() if paragraphs else []
    return " ".join(words[:10])
