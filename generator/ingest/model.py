"""What a reader hands to extraction: the text and whatever metadata the format carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawArticle:
    """One article as read from a raw file, before any field is extracted."""

    seed: str  # path of the raw file relative to the site root, POSIX separators
    index: int | None  # record index inside a multi-record file (.json array, .jsonl, .csv)
    fmt: str  # "txt", "json", "jsonl", "csv" or "html"
    text: str  # body text, one paragraph per line ("\n" separated), not yet cleaned
    seed_hash: str  # sha256 (hex, first 16) of the whole raw file's bytes
    meta: Mapping[str, Any] = field(default_factory=dict)  # title, date, source, url, author, …

    @property
    def label(self) -> str:
        """`seed` or `seed[index]`, for messages."""
        return self.seed if self.index is None else f"{self.seed}[{self.index}]"
