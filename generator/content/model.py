"""The content model: one frozen Article per Markdown file in content/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

# Front-matter fields in the order import writes them; anything else is kept in `extra`.
FIELDS = (
    "title",
    "date",
    "source",
    "url",
    "author",
    "dateline",
    "agency",
    "section",
    "summary",
    "tags",
    "people",
    "places",
    "organisations",
    "read_also",
    "related_headlines",
    "lang",
    "dir",
    "words",
    "reading_time",
    "seed",
    "seed_index",
    "seed_hash",
)
LIST_FIELDS = ("tags", "people", "places", "organisations", "read_also", "related_headlines")
TEXT_FIELDS = (
    "source",
    "url",
    "author",
    "dateline",
    "agency",
    "section",
    "summary",
    "seed",
    "seed_hash",
)


@dataclass(frozen=True)
class Article:
    """One article as loaded and validated from content/<slug>.md."""

    slug: str
    path: str  # the Markdown file, relative to the site root
    title: str
    body: str  # Markdown
    date: datetime | None = None
    has_time: bool = False
    source: str | None = None
    url: str | None = None
    author: str | None = None
    dateline: str | None = None
    agency: str | None = None
    section: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    read_also: tuple[str, ...] = ()
    related_headlines: tuple[str, ...] = ()
    lang: str = "ar"
    dir: str = "rtl"
    words: int = 0
    reading_time: int = 1
    seed: str | None = None
    seed_index: int | None = None
    seed_hash: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> dt.date | None:
        """The publication day, when known."""
        return self.date.date() if self.date else None

    def sort_key(self) -> tuple[int, float, str]:
        """Newest first, undated last, then by slug so order is deterministic."""
        if self.date is None:
            return (1, 0.0, self.slug)
        moment = self.date if self.date.tzinfo else self.date.replace(tzinfo=UTC)
        return (0, -moment.timestamp(), self.slug)


# Fields no index reads (they are only shown). The indexes are built from `index_view`s,
# which leave these at their defaults, and stored under a digest of the view: an edit to a
# summary or a byline alone keeps the stored indexes (about 10 s of a rebuild at 10,000
# articles). An index step that starts reading one of them must drop it from here.
INDEX_BLIND = (
    "url",
    "author",
    "dateline",
    "agency",
    "section",
    "summary",
    "words",
    "reading_time",
    "seed",
    "seed_index",
    "seed_hash",
    "extra",
)


# The fields an index view keeps, the body apart (it is by far the longest).
INDEX_SEEN = tuple(f.name for f in fields(Article) if f.name not in {*INDEX_BLIND, "body"})
_BLANK = Article(slug="", path="", title="", body="")
_BLIND_DEFAULTS = {name: getattr(_BLANK, name) for name in INDEX_BLIND}


def index_view(article: Article) -> Article:
    """The article as the indexes see it: the fields they never read at their defaults."""
    return replace(article, **_BLIND_DEFAULTS)
