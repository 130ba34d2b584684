"""Import: raw files → content/<slug>.md, idempotent, never overwriting a hand-edited file."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.config import SiteConfig
from generator.content import frontmatter
from generator.content.slugs import slugify
from generator.errors import ProblemLog, SourceError
from generator.extract import Extracted, extract, preload
from generator.extract.arabic import normalise
from generator.ingest.model import RawArticle
from generator.ingest.readers import read_path, walk

_SEED_LINE = re.compile(r"^seed: (.+)$", re.MULTILINE)
_INDEX_LINE = re.compile(r"^seed_index: (\d+)$", re.MULTILINE)


@dataclass
class ImportReport:
    """What one import did, article by article."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    log: ProblemLog = field(default_factory=ProblemLog)

    @property
    def articles(self) -> int:
        """Articles now in content/ from this import."""
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.kept_edited)

    def line(self) -> str:
        """One-line summary for the terminal."""
        return (
            f"import: {len(self.created)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, "
            f"{len(self.kept_edited)} hand-edited kept, {len(self.duplicates)} duplicates, "
            f"{self.log.skipped} skipped, {self.log.warnings} warnings"
        )


def _seed_key(seed: str, index: int | None) -> tuple[str, int | None]:
    """Identity of an article's origin: raw file and record index."""
    return (seed, index)


def existing_content(content_dir: Path) -> dict[tuple[str, int | None], Path]:
    """Map each imported article's origin to the content file that holds it."""
    found: dict[tuple[str, int | None], Path] = {}
    if not content_dir.is_dir():
        return found
    for file in sorted(content_dir.rglob("*.md")):
        try:
            head = file.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            continue
        seed = _SEED_LINE.search(head)
        if seed:
            index = _INDEX_LINE.search(head)
            value = yaml.safe_load(seed.group(1))  # the value as dumped, possibly quoted
            found[_seed_key(str(value), int(index.group(1)) if index else None)] = file
    return found


def _relative_seed(file: Path, root: Path) -> str:
    """The raw file's path relative to the site root (absolute when outside it)."""
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.resolve().as_posix()


def _write_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary sibling so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _file_text(done: Extracted) -> str:
    """The content file's text for an extracted article, stamped with its import hash."""
    return frontmatter.stamp(frontmatter.dump(done.fields, done.body))


def _text_key(body: str) -> str | None:
    """Digest of the normalised body for duplicate detection; None when too short to trust."""
    key = normalise(body)
    if len(key) <= 40:
        return None
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Ready:
    """An extracted article with the parts of importing it that do not depend on the others."""

    done: Extracted
    text: str | None  # the file's text; None when dumping failed (retried in order to report)
    text_key: str | None


def prepare(done: Extracted | Ready) -> Ready:
    """File text and duplicate key of an extracted article (done in the workers when parallel)."""
    if isinstance(done, Ready):
        return done
    try:
        text: str | None = _file_text(done)
    except Exception:  # raised again where the article is added, so it is reported in order
        text = None
    return Ready(done, text, _text_key(done.body))


class Importer:
    """Turns raw articles into content files for one site."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.content_dir = config.path("content")
        self.by_origin = existing_content(self.content_dir)
        self.taken = {p.stem for p in self.by_origin.values()} | (
            {p.stem for p in self.content_dir.rglob("*.md")} if self.content_dir.is_dir() else set()
        )
        self.seen_urls: dict[str, str] = {}
        self.seen_texts: dict[str, str] = {}
        self.report = ImportReport()

    def _target(self, raw: RawArticle, title: str) -> Path:
        """The content file for an article: where it already lives, else a fresh unique slug."""
        known = self.by_origin.get(_seed_key(raw.seed, raw.index))
        if known is not None:
            return known
        base = slugify(title)
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        if n > 1:
            self.report.log.warn(
                "slug collision", f"{raw.label}: slug {base!r} taken; using {slug!r}"
            )
        self.taken.add(slug)
        return self.content_dir / f"{slug}.md"

    def _duplicate_of(self, raw: RawArticle, ready: Ready) -> str | None:
        """The article this one exactly duplicates (same URL or same normalised text), if any."""
        url = ready.done.fields.get("url")
        text_key = ready.text_key
        first = (self.seen_urls.get(url) if url else None) or (
            self.seen_texts.get(text_key) if text_key else None
        )
        if first is None:
            if url:
                self.seen_urls[url] = raw.label
            if text_key:
                self.seen_texts[text_key] = raw.label
        return first

    def add(self, raw: RawArticle, done: Extracted | Ready | None = None) -> None:
        """Import one raw article (already extracted, or prepared, when `done` is given)."""
        ready = prepare(extract(raw) if done is None else done)
        done = ready.done
        first = self._duplicate_of(raw, ready)
        if first is not None:  # its own warnings would only repeat the first copy's
            self.report.duplicates.append(raw.label)
            self.report.log.warn(
                "exact duplicate", f"{raw.label}: same URL or text as {first}; imported once"
            )
            return
        for kind, message in done.warnings:
            self.report.log.warn(kind, message)
        target = self._target(raw, done.fields["title"])
        text = ready.text if ready.text is not None else _file_text(done)
        rel = target.relative_to(self.config.root).as_posix()
        if target.exists():
            current = target.read_text(encoding="utf-8")
            if current == text:
                self.report.unchanged.append(rel)
                return
            if frontmatter.is_hand_edited(current):
                self.report.kept_edited.append(rel)
                self.report.log.warn(
                    "hand-edited kept",
                    f"{rel}: edited by hand; kept (not re-imported from {raw.label})",
                )
                return
            _write_atomic(target, text)
            self.report.updated.append(rel)
            return
        _write_atomic(target, text)
        self.report.created.append(rel)


def _read(file: Path, seed: str) -> list[RawArticle | SourceError]:
    """read_path, with an unexpected reader failure reported against the file."""
    try:
        return read_path(file, seed)
    except Exception as exc:  # a reader bug on one file must not stop the import
        return [SourceError(seed, f"could not be read: {exc!r}")]


@dataclass(frozen=True)
class _Failed:
    """Why one article could not be extracted (kind and message for the problem log)."""

    kind: str
    message: str


def _extract_safely(raw: RawArticle) -> Ready | _Failed:
    """extract() and prepare(), with any failure returned as a value (may run in a worker)."""
    try:
        return prepare(extract(raw))
    except SourceError as exc:
        return _Failed("unreadable input", str(exc))
    except Exception as exc:  # one article's surprise must not stop the others
        return _Failed("extraction failed", f"{raw.label}: extraction failed: {exc!r}")


# What forked workers inherit: the articles, set just before the pool starts.
_RAWS: list[RawArticle] = []
# Below this many articles a process pool costs more than it saves.
POOL_THRESHOLD = 64


def _extract_span(span: tuple[int, int]) -> list[Ready | _Failed]:
    """_extract_safely over a slice of the inherited articles, in a forked worker."""
    return [_extract_safely(raw) for raw in _RAWS[span[0] : span[1]]]


def _extracted(raws: list[RawArticle], workers: int | None = None) -> Iterator[Ready | _Failed]:
    """_extract_safely over the articles, in order, as results arrive (all cores when many).

    A stream rather than a list, so the parent names and writes files while workers extract.
    """
    workers = workers or os.cpu_count() or 1
    if (
        workers < 2
        or len(raws) < POOL_THRESHOLD
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(_extract_safely, raws)
        return
    with contextlib.suppress(Exception):  # if it fails, each article reports the failure
        preload()  # once here rather than once per worker
    _RAWS[:] = raws
    size = max(1, min(100, len(raws) // (workers * 8)))
    spans = [(i, min(i + size, len(raws))) for i in range(0, len(raws), size)]
    gc.collect()
    gc.freeze()  # word lists and articles: no worker's collector walks (and so copies) them
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for part in pool.imap(_extract_span, spans):
                yield from part
    finally:
        gc.unfreeze()
        _RAWS.clear()


def import_paths(config: SiteConfig, paths: list[Path]) -> ImportReport:
    """Import every raw article under the given files and folders into content/.

    Extraction (the slow part) runs on all cores; naming, de-duplication and writing run
    in order as results arrive, so the result is the same as one article at a time.
    """
    importer = Importer(config)
    raws: list[RawArticle] = []
    for file in walk(paths):
        for item in _read(file, _relative_seed(file, config.root)):
            if isinstance(item, SourceError):
                importer.report.log.skip("unreadable input", str(item))
            else:
                raws.append(item)
    for raw, done in zip(raws, _extracted(raws), strict=True):
        if isinstance(done, _Failed):
            importer.report.log.skip(done.kind, done.message)
            continue
        try:
            importer.add(raw, done)
        except SourceError as exc:
            importer.report.log.skip("unreadable input", str(exc))
        except Exception as exc:  # one article's surprise must not stop the others
            importer.report.log.skip(
                "extraction failed", f"{raw.label}: extraction failed: {exc!r}"
            )
    return importer.report
