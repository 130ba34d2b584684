"""Dates: structured strings, Arabic and Hijri text dates, datelines, and the HTML cascade.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class FoundDate:
    """A date found somewhere, with how much of it the source really gave."""

    value: datetime  # timezone-aware when the source gave an offset/zone, naive otherwise
    has_time: bool  # False when only a day was given (value is then at 00:00)
    origin: str  # where it came from: "record", "meta:article:published_time", "jsonld", "time", "url", "text", …

    def iso(self) -> str:
        """ISO 8601 text for front matter: date only, or date-time with offset when known."""
        if not self.has_time:
            return self.value.date().isoformat()
        return self.value.isoformat()


def parse_date(value: str) -> FoundDate | None:
    """Parse a date string as crawlers and pages give it (all corpus formats, Arabic, Hijri)."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return FoundDate(dt, True, "record")


def find_text_date(text: str) -> FoundDate | None:
    """Find a publication date stated in the article text (a dateline), or None."""
    return None


def html_date(soup: Any, url: str | None) -> FoundDate | None:
    """Publication date of an HTML page: meta tags → JSON-LD → <time> → URL → visible text."""
    return None


def resolve_weekday(text: str, published: date | None) -> date | None:
    """The date a weekday named in the text (الخميس) refers to, given the article's date."""
    return None


def hijri_parts(day: date) -> tuple[int, str, int]:
    """(day, Arabic month name, year) of the Umm al-Qura Hijri date for a Gregorian day."""
    raise NotImplementedError
