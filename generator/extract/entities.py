"""People, places and organisations from gazetteers and role-word patterns (no NER model).

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entities:
    """Display names found in one article, most salient first, no duplicates by key."""

    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)


def extract_entities(title: str, paragraphs: list[str]) -> Entities:
    """Entities named in an article's title and body."""
    return Entities()
