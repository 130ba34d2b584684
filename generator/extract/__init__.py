"""Extraction: a RawArticle becomes front-matter fields and a Markdown body.

Each field is a cascade (what the format states → patterns in the text → fallback),
one small function per field, so each rule can be tested and improved on its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from generator.content.model import FIELDS
from generator.extract import summary as summ
from generator.extract.arabic import clean_text, lexicon
from generator.extract.body import Body, clean_body
from generator.extract.byline import Byline, lede_byline, split_byline
from generator.extract.dates import FoundDate, find_text_date, parse_date
from generator.extract.entities import extract_entities
from generator.extract.entities import preload as preload_entities
from generator.extract.source import preload as preload_source
from generator.extract.source import source_name
from generator.extract.stopwords import stopwords
from generator.extract.title import clean_title, headline_from_lede
from generator.ingest.model import RawArticle

# Raw text is prose, not Markdown: characters Markdown would read as markup are escaped so a
# line starting with "-" or "1." stays a paragraph and "**" stays two asterisks.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_BLOCK = re.compile(r"^(\s*)([#>+\-=~])")
_MD_ORDERED = re.compile(r"^(\s*\d+)([.)])")

KNOWN_RECORD_KEYS = {
    "title",
    "date",
    "source",
    "url",
    "author",
    "text",
    "content",
    "body",
    "article",
    "fulltext",
}


@dataclass
class Extracted:
    """Fields in front-matter order, the Markdown body, and warnings about the article."""

    fields: dict[str, Any]
    body: str
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (kind, message)


def _meta_text(raw: RawArticle, key: str) -> str | None:
    """A stated metadata value as clean text, or None."""
    value = raw.meta.get(key)
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = clean_text(html.unescape(str(value))).strip()
    return text or None


def extract_date(raw: RawArticle, body: Body, warnings: list[tuple[str, str]]) -> FoundDate | None:
    """Stated date first, then a dateline in the text; never today's date."""
    stated = _meta_text(raw, "date")
    if stated:
        found = parse_date(stated)
        if found is not None:
            return found
        problem = f"{raw.label}: date {stated!r} is not a date I can read; looked in the text"
        warnings.append(("unreadable date", problem))
    found = find_text_date("\n".join(body.paragraphs[:3]))
    if found is None:
        warnings.append(("no date", f"{raw.label}: no date found; the article is filed as undated"))
    return found


def extract_title(raw: RawArticle, body: Body) -> tuple[str, str | None]:
    """(title, section): the stated title cleaned, else a headline derived from the lede."""
    stated = _meta_text(raw, "title")
    if stated:
        title, section = clean_title(stated)
        if title:
            return title, section
    paragraphs = [p for p in body.paragraphs if not p.startswith("#")]
    return headline_from_lede(paragraphs) or "بدون عنوان", None


def extract_byline(raw: RawArticle, body: Body) -> tuple[Byline, Body]:
    """Byline from the record, completed by a dateline/credit opening the text."""
    stated = split_byline(_meta_text(raw, "author"))
    if not body.paragraphs:
        return stated, body
    found, rest = lede_byline(body.paragraphs[0])
    paragraphs = ([rest] if rest.strip() else []) + body.paragraphs[1:]
    merged = Byline(
        author=stated.author or found.author,
        dateline=stated.dateline or found.dateline,
        agency=stated.agency or found.agency,
    )
    return merged, Body(paragraphs, body.read_also, body.related_headlines, body.removed)


def escape_markdown(paragraph: str) -> str:
    """A paragraph of prose made safe to store as Markdown (headings we made are kept)."""
    if paragraph.startswith("## "):
        return "## " + _MD_INLINE.sub(r"\\\1", paragraph[3:])
    text = _MD_INLINE.sub(r"\\\1", paragraph)
    return _MD_ORDERED.sub(r"\1\\\2", _MD_BLOCK.sub(r"\1\\\2", text, count=1), count=1)


def preload() -> None:
    """Load every word list and table extraction uses (workers forked later inherit them)."""
    lexicon()
    stopwords()
    preload_entities()
    preload_source()


def _extra(raw: RawArticle) -> dict[str, Any]:
    """Record keys we don't model, kept verbatim under `extra`."""
    return {
        k: v
        for k, v in raw.meta.items()
        if k not in KNOWN_RECORD_KEYS and k not in FIELDS and v is not None
    }


def extract(raw: RawArticle) -> Extracted:
    """Every front-matter field of one raw article."""
    warnings: list[tuple[str, str]] = []
    body = clean_body(raw.text, seed_form=raw.fmt == "txt")
    title, section = extract_title(raw, body)
    when = extract_date(raw, body, warnings)  # before the byline step, which strips datelines
    byline, body = extract_byline(raw, body)
    plain = [p for p in body.paragraphs if not p.startswith("#")]
    entities = extract_entities(title, plain)
    words = summ.word_count(plain)
    lang, direction = summ.detect_lang(title + "\n" + "\n".join(plain[:5]))
    url = _meta_text(raw, "url")
    fields: dict[str, Any] = {
        "title": title,
        "date": when.iso() if when else None,
        "source": source_name(_meta_text(raw, "source"), url, raw.text),
        "url": url,
        "author": byline.author,
        "dateline": byline.dateline,
        "agency": byline.agency,
        "section": section,
        "summary": summ.summarise(plain) or None,
        "tags": [],
        "people": entities.people,
        "places": entities.places,
        "organisations": entities.organisations,
        "read_also": body.read_also,
        "related_headlines": body.related_headlines,
        "lang": lang,
        "dir": direction,
        "words": words,
        "reading_time": summ.reading_time(words),
        "seed": raw.seed,
        "seed_index": raw.index,
        "seed_hash": raw.seed_hash,
    }
    fields = {k: v for k, v in fields.items() if v not in (None, [], "") or k in ("title", "date")}
    extra = _extra(raw)
    if extra:
        fields["extra"] = extra
    return Extracted(fields, "\n\n".join(escape_markdown(p) for p in body.paragraphs), warnings)
