"""Readers by file suffix: each turns one raw file into RawArticles or raises SourceError."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from generator.errors import SourceError
from generator.ingest.model import RawArticle

TEXT_KEYS = ("text", "content", "body", "article", "fulltext")
SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".html", ".htm")


def file_hash(data: bytes) -> str:
    """Short content hash of a raw file, recorded in front matter as seed_hash."""
    return hashlib.sha256(data).hexdigest()[:16]


def _decode(data: bytes, label: str) -> str:
    """UTF-8 text (BOM dropped, CRLF → LF); a clear error with the line of a bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            label, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line, col
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_txt(data: bytes, seed: str) -> list[RawArticle]:
    """A plain-text article in the seed form: one paragraph a line, no title line."""
    text = _decode(data, seed)
    if not text.strip():
        raise SourceError(seed, "empty file: no article text")
    return [RawArticle(seed, None, "txt", text, file_hash(data))]


def _record(
    obj: Any, seed: str, index: int | None, fmt: str, digest: str, line: int | None
) -> RawArticle:
    """One crawler record (title, date, source, url, author, text/content; other keys kept)."""
    where = seed if index is None else f"{seed}[{index}]"
    if not isinstance(obj, dict):
        raise SourceError(where, f"expected an article object, found {type(obj).__name__}", line)
    text_key = next((k for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
    text = obj[text_key] if text_key else ""
    title = obj.get("title")
    if not (text or "").strip() and not (isinstance(title, str) and title.strip()):
        raise SourceError(where, "record has neither text nor title", line)
    meta = {k: v for k, v in obj.items() if k != text_key}
    return RawArticle(seed, index, fmt, text.replace("\r\n", "\n"), digest, meta)


def _json_error(seed: str, exc: json.JSONDecodeError, line_offset: int = 0) -> SourceError:
    """A JSON syntax error located at its line and column."""
    return SourceError(seed, f"invalid JSON: {exc.msg}", exc.lineno + line_offset, exc.colno)


def read_json(data: bytes, seed: str) -> Iterator[RawArticle | SourceError]:
    """One object or an array of objects; each bad record is its own error."""
    text = _decode(data, seed)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(seed, exc) from exc
    digest = file_hash(data)
    if isinstance(obj, dict):
        yield _record(obj, seed, None, "json", digest, None)
        return
    if not isinstance(obj, list):
        raise SourceError(
            seed, f"expected an object or an array of objects, found {type(obj).__name__}", 1, 1
        )
    for i, item in enumerate(obj):
        try:
            yield _record(item, seed, i, "json", digest, None)
        except SourceError as exc:
            yield exc


def read_jsonl(data: bytes, seed: str) -> Iterator[RawArticle | SourceError]:
    """One JSON object per line; blank lines ignored, each bad line reported with its number."""
    text = _decode(data, seed)
    digest = file_hash(data)
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            yield _record(obj, seed, i, "jsonl", digest, i + 1)
        except json.JSONDecodeError as exc:
            yield _json_error(seed, exc, i)
        except SourceError as exc:
            yield exc


def read_csv(data: bytes, seed: str) -> Iterator[RawArticle | SourceError]:
    """A CSV export with a header row naming the same keys as JSON records."""
    text = _decode(data, seed)
    digest = file_hash(data)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for i, row in enumerate(reader):
            clean = {k: v for k, v in row.items() if k is not None}
            try:
                yield _record(clean, seed, i, "csv", digest, reader.line_num)
            except SourceError as exc:
                yield exc
    except csv.Error as exc:
        raise SourceError(seed, f"invalid CSV: {exc}") from exc


def read_html_file(data: bytes, seed: str) -> list[RawArticle]:
    """A saved article page (the HTML reader lives in its own module)."""
    from generator.ingest.html import read_html

    return [read_html(data, seed, file_hash(data))]


_READERS: dict[str, Callable[[bytes, str], Any]] = {
    ".txt": read_txt,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
    ".html": read_html_file,
    ".htm": read_html_file,
}


def read_path(file: Path, seed: str) -> list[RawArticle | SourceError]:
    """Every article in one raw file, or the errors that kept them out."""
    reader = _READERS.get(file.suffix.lower())
    if reader is None:
        return [
            SourceError(
                seed,
                f"unsupported file type {file.suffix!r}; expected one of {', '.join(SUFFIXES)}",
            )
        ]
    try:
        data = file.read_bytes()
    except OSError as exc:
        return [SourceError(seed, f"cannot read: {exc.strerror}")]
    try:
        return list(reader(data, seed))
    except SourceError as exc:
        return [exc]
    except RecursionError:
        return [SourceError(seed, "structure nested too deeply to read")]


def walk(paths: list[Path]) -> list[Path]:
    """Raw files under the given files and folders (recursively), sorted, hidden ones skipped."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not _hidden(p.relative_to(path))
            )
        elif path.is_file():
            found.add(path)
        else:
            found.add(path)  # reported as unreadable by read_path
    return sorted(found)


def _hidden(rel: Path) -> bool:
    """True for dot-files and files in dot-folders, and the corpus's sidecar metadata."""
    return any(part.startswith(".") for part in rel.parts) or rel.name.endswith(".meta.json")
