"""Bylines and datelines: author, dateline (city) and agency.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Byline:
    """Who wrote it, from where, for which agency; None where not stated or not a person."""

    author: str | None = None
    dateline: str | None = None
    agency: str | None = None


def split_byline(author: str | None) -> Byline:
    """Split a recorded byline (`القاهرة: خالد محمود`) into author, dateline and agency."""
    return Byline(author=author.strip() or None) if author else Byline()


def lede_byline(first_paragraph: str) -> tuple[Byline, str]:
    """A byline/dateline opening the text (`عين اليوم – جدة`), and the paragraph without it."""
    return Byline(), first_paragraph
