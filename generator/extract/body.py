"""Body cleaning: paragraphs, boilerplate, read-also blocks, trailing related headlines.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.extract.arabic import clean_text


@dataclass(frozen=True)
class Body:
    """A cleaned body and what was taken out of it."""

    paragraphs: list[str]  # Markdown blocks: plain paragraphs, or "## heading" for subheadings
    read_also: list[str] = field(default_factory=list)
    related_headlines: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # boilerplate paragraphs dropped


def clean_body(text: str, *, seed_form: bool = False) -> Body:
    """Split raw text into clean paragraphs; seed_form enables trailing-headline detection."""
    paras = [clean_text(p).strip() for p in text.split("\n")]
    return Body([p for p in paras if p])
