"""Load content/*.md into validated Articles; errors name file, line and column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from generator.content import frontmatter
from generator.content.model import FIELDS, LIST_FIELDS, TEXT_FIELDS, Article
from generator.errors import ProblemLog, SourceError
from generator.extract.dates import parse_date


class _FieldError(Exception):
    """A bad value; located (line, column) only when reported, to keep loading fast."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


def _date(value: Any) -> tuple[datetime | None, bool]:
    """A front-matter date (YAML may have made it a date already) and whether it has a time."""
    if value is None or value == "":
        return None, False
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if isinstance(value, str):
        found = parse_date(value)
        if found is not None:
            return found.value, found.has_time
    raise _FieldError("date", f"date {str(value)!r} is not a date")


def _text(data: dict[str, Any], key: str) -> str | None:
    """An optional text field; numbers are accepted as their text."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool | dict | list):
        raise _FieldError(key, f"{key} must be text, not {type(value).__name__}")
    text = str(value).strip()
    return text or None


def _list(data: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of non-empty strings (a single string is accepted as a one-item list)."""
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _FieldError(key, f"{key} must be a list of text, not {type(value).__name__}")
    items: list[str] = []
    for item in value:
        if isinstance(item, dict | list) or item is None or not str(item).strip():
            raise _FieldError(key, f"{key} must be a list of non-empty text; found {item!r}")
        items.append(str(item).strip())
    return tuple(items)


def _int(data: dict[str, Any], key: str) -> int | None:
    """An optional non-negative whole number."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _FieldError(key, f"{key} must be a whole number ≥ 0, not {value!r}")
    return value


def _article(data: dict[str, Any], body: str, path: str, slug: str) -> Article:
    """Validate parsed front matter into an Article (raises _FieldError)."""
    title = _text(data, "title")
    if not title:
        raise _FieldError("title", "title is missing or empty")
    when, has_time = _date(data.get("date"))
    direction = _text(data, "dir") or "rtl"
    if direction not in ("rtl", "ltr"):
        raise _FieldError("dir", f"dir {direction!r} is not allowed; expected rtl or ltr")
    fields: dict[str, Any] = {key: _text(data, key) for key in TEXT_FIELDS}
    fields.update({key: _list(data, key) for key in LIST_FIELDS})
    extra = {k: v for k, v in data.items() if k not in FIELDS and k != frontmatter.IMPORT_HASH_KEY}
    if isinstance(extra.get("extra"), dict):
        extra = {**extra.pop("extra"), **extra}
    words = _int(data, "words")
    return Article(
        slug=slug,
        path=path,
        title=title,
        body=body,
        date=when,
        has_time=has_time,
        lang=_text(data, "lang") or "ar",
        dir=direction,
        words=len(body.split()) if words is None else words,
        reading_time=_int(data, "reading_time") or 1,
        seed_index=_int(data, "seed_index"),
        extra=extra,
        **fields,
    )


def article_from_text(text: str, path: str, slug: str) -> Article:
    """Validate one Markdown file's text into an Article."""
    data, body = frontmatter.parse(text, path)
    try:
        return _article(data, body, path, slug)
    except _FieldError as exc:
        line, col = frontmatter.key_positions(text).get(exc.key, (2, 1))
        raise SourceError(path, exc.problem, line, col) from exc


def load_article(file: Path, root: Path) -> Article:
    """Read and validate one content file; the slug is its file name without .md."""
    rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(rel, f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise SourceError(rel, f"cannot read: {exc.strerror}") from exc
    return article_from_text(text, rel, file.stem)


def load_all(content_dir: Path, root: Path, log: ProblemLog) -> list[Article]:
    """Load every content/*.md; a bad file is reported and skipped, never fatal."""
    articles: list[Article] = []
    for file in sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else []:
        try:
            articles.append(load_article(file, root))
        except SourceError as exc:
            log.skip("bad content file", str(exc))
    return articles
