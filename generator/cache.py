"""Build caches under <site root>/.arshif-cache: parsed articles, and what each page was made from.

Everything here is keyed by content: a file's stat only says "maybe unchanged"; the digest of
its bytes decides. Caches are plain pickles written atomically; an unreadable or foreign
cache is ignored (the build just does more work), never trusted.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import marshal
import os
import pickle
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from generator.config import SiteConfig
from generator.content.load import article_from_text
from generator.content.model import INDEX_SEEN, Article
from generator.errors import Problem, ProblemLog, SourceError

CACHE_DIR = ".arshif-cache"
_FORMAT = 3  # bump when the pickled shapes change
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    """A short, stable hex digest of the parts."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def cache_dir(config: SiteConfig) -> Path:
    """Where this site's caches live."""
    return config.root / CACHE_DIR


def read_pickle(path: Path) -> Any:
    """A cached object, or None when absent, stale or unreadable."""
    try:
        with path.open("rb") as fh:
            stamp, value = pickle.load(fh)
    except Exception:  # a damaged cache only costs time, never correctness
        return None
    return value if stamp == _FORMAT else None


def write_pickle(path: Path, value: object) -> None:
    """Write a cache file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump((_FORMAT, value), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def _tree_state(folder: Path, suffixes: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime) of every file under folder: cheap change detection."""
    if not folder.is_dir():
        return []
    out = []
    depth = len(folder.parts)  # rglob's paths start with the folder's parts
    for path in sorted(folder.rglob("*")):
        if suffixes and path.suffix not in suffixes:
            continue
        try:
            st = os.stat(path)  # one call for both questions (pathlib's is_file stats too)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            out.append(("/".join(path.parts[depth:]), st.st_size, st.st_mtime_ns))
    return out


def _tree_digest(folders: Iterable[Path], suffixes: tuple[str, ...] = ()) -> str:
    """Digest of every file's path and bytes under the folders (templates, code)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        h.update(str(folder).encode())
        for rel, _, _ in _tree_state(folder, suffixes):
            h.update(rel.encode() + b"\x00" + (folder / rel).read_bytes() + b"\x00")
    return h.hexdigest()


def render_key(config: SiteConfig, template_dirs: list[Path]) -> str:
    """What every page depends on: the generator's code, the templates and the config."""
    return digest(settings_key(config), _tree_digest(template_dirs))


def settings_key(config: SiteConfig) -> str:
    """What every page depends on besides its templates: the generator's code and the config."""
    settings = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    return digest(repr(sorted(settings.items())), code_digest())


class TemplateKeys:
    """Per template, a digest of the settings and of every template file it renders with.

    A page depends on its own template and those it extends, includes or imports (found in
    the parsed source, transitively), so editing list.html re-renders list pages only. A
    template that names another by a variable could use any of them: it depends on them all.
    """

    def __init__(self, settings: str, dirs: list[Path]) -> None:
        self._settings = settings
        self._dirs = dirs
        self._parser = jinja2.Environment()
        self._keys: dict[str, str] = {}
        self._files: dict[str, tuple[str, str] | None] = {}

    def __call__(self, name: str) -> str:
        """The key of pages rendered from template `name`."""
        if name not in self._keys:
            self._keys[name] = digest(self._settings, repr(self._closure(name)))
        return self._keys[name]

    def _closure(self, name: str) -> list[tuple[str, str, str] | None]:
        """(name, folder, bytes digest) of name and every template it uses, sorted."""
        seen: dict[str, tuple[str, str, str] | None] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            found = self._file(current)
            seen[current] = (current, *found) if found else None
            for used in self._uses(current):
                if used is None:  # a name computed while rendering: any template may be used
                    return [("*", "", _tree_digest(self._dirs))]
                todo.append(used)
        return [seen[n] for n in sorted(seen)]

    def _file(self, name: str) -> tuple[str, str] | None:
        """(folder, digest of the bytes) of the file the loader would pick for name."""
        if name not in self._files:
            self._files[name] = None
            for folder in self._dirs:
                path = folder / name
                if path.is_file():
                    self._files[name] = (str(folder), digest(path.read_bytes()))
                    break
        return self._files[name]

    def _uses(self, name: str) -> list[str | None]:
        """Templates name extends, includes or imports (None for one chosen at render time)."""
        for folder in self._dirs:
            path = folder / name
            if path.is_file():
                try:
                    tree = self._parser.parse(path.read_text(encoding="utf-8"))
                except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
                    return [None]  # rendering reports it; until then assume the worst
                return list(jinja2.meta.find_referenced_templates(tree))
        return []


@functools.cache
def code_digest() -> str:
    """Digest of the generator's own code and data files (read once per process)."""
    return _tree_digest([_PACKAGE], (".py", ".txt", ".json", ".yml", ".yaml", ".tsv", ".js"))


def build_state(config: SiteConfig, key: str, static_dirs: list[Path]) -> str:
    """Digest of everything a build reads, from stats only: equal means nothing changed."""
    parts = [key, repr(_tree_state(config.path("content"), (".md",)))]
    parts += [repr((str(d), _tree_state(d))) for d in static_dirs]
    return digest(*parts)


# --- parsed articles -------------------------------------------------------------------


@dataclass
class LoadedFile:
    """One content file as last parsed: its stat, digest, and Article or the error it raised."""

    size: int
    mtime_ns: int
    digest: str
    article: Article | None
    error: str | None
    index_digest: str = ""  # of the article as the indexes see it (`index_view`)


@dataclass
class Loaded:
    """The articles of content/, each with the digest of its file."""

    articles: list[Article] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # slug → digest of path and bytes
    index_digests: dict[str, str] = field(default_factory=dict)  # slug → its index view's


def _parse(file: Path, rel: str, st: os.stat_result) -> LoadedFile:
    """Read and validate one content file, remembering a failure as its message."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        return LoadedFile(
            st.st_size,
            st.st_mtime_ns,
            "",
            None,
            str(SourceError(rel, f"cannot read: {exc.strerror}")),
        )
    key = digest(rel, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LoadedFile(
            st.st_size,
            st.st_mtime_ns,
            key,
            None,
            str(SourceError(rel, f"not UTF-8 text (byte {exc.start})")),
        )
    try:
        article = article_from_text(text, rel, file.stem)
    except SourceError as exc:
        return LoadedFile(st.st_size, st.st_mtime_ns, key, None, str(exc))
    return LoadedFile(st.st_size, st.st_mtime_ns, key, article, None, index_digest(article))


def index_digest(article: Article) -> str:
    """A digest of the article as the indexes see it (`index_view`): its kept fields and body."""
    return digest(repr([getattr(article, name) for name in INDEX_SEEN]), article.body)


_BUCKETS = 64  # the article cache is split so one edit rewrites 1/64th of it


def _bucket(rel: str) -> int:
    """Which cache file holds a content file's entry."""
    return int(digest(rel)[:4], 16) % _BUCKETS


def load_cached(content_dir: Path, root: Path, log: ProblemLog, cache: Path | None) -> Loaded:
    """load_all with a cache: only files whose size or mtime changed are read and parsed again.

    `cache` is a folder; entries live in a few pickles so an edit rewrites only one of them.
    """
    old: dict[str, LoadedFile] = {}
    if cache is not None:
        for b in range(_BUCKETS):
            old.update(read_pickle(cache / f"{b:02d}.pickle") or {})
    new: dict[str, LoadedFile] = {}
    files = sorted(content_dir.rglob("*.md")) if content_dir.is_dir() else []
    stale: list[tuple[Path, str, os.stat_result]] = []
    for file in files:
        rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        st = file.stat()
        hit = old.get(rel)
        if hit is not None and (hit.size, hit.mtime_ns) == (st.st_size, st.st_mtime_ns):
            new[rel] = hit
        else:
            stale.append((file, rel, st))
    from generator.parallel import map_ordered  # parsing thousands of files uses every core

    for (_, rel, _), parsed in zip(
        stale, map_ordered(_parse_stale, stale, threshold=500), strict=True
    ):
        new[rel] = parsed
    new = {rel: new[rel] for rel in sorted(new)}
    if cache is not None:
        _write_buckets(cache, old, new)
    loaded = Loaded()
    for entry in new.values():
        if entry.article is None:
            log.skip("bad content file", entry.error or "unreadable")
        else:
            loaded.articles.append(entry.article)
            loaded.digests[entry.article.slug] = entry.digest
            loaded.index_digests[entry.article.slug] = entry.index_digest
    return loaded


def _parse_stale(item: tuple[Path, str, os.stat_result]) -> LoadedFile:
    """_parse for map_ordered."""
    return _parse(*item)


def _write_buckets(cache: Path, old: dict[str, LoadedFile], new: dict[str, LoadedFile]) -> None:
    """Rewrite the cache files whose entries changed (all of them the first time)."""
    groups: dict[int, dict[str, LoadedFile]] = {b: {} for b in range(_BUCKETS)}
    for rel, entry in new.items():
        groups[_bucket(rel)][rel] = entry
    changed = {_bucket(rel) for rel in old.keys() - new.keys()}
    changed |= {_bucket(rel) for rel, entry in new.items() if old.get(rel) is not entry}
    for b in sorted(changed if old else groups):
        write_pickle(cache / f"{b:02d}.pickle", groups[b])


# --- fingerprints of page inputs ---------------------------------------------------------


class Uncacheable(Exception):
    """A value we cannot fingerprint safely; the page is then always rendered."""


_PLAIN = frozenset({str, int, float, bool, datetime, date})


class Fingerprints:
    """Canonical, hashable forms of render inputs, memoised for one build.

    Articles are named by the digest of their file (so a page showing an article changes
    exactly when that file does); other dataclasses by their fields; containers recursively.
    """

    def __init__(self, digests: dict[str, str]) -> None:
        self.digests = digests
        self._memo: dict[int, object] = {}
        self._keep: list[object] = []  # memo keys are ids: keep their objects alive
        self._keys: dict[int, str] = {}

    def canon(self, value: object) -> object:
        """A canonical form of value built from plain, picklable data."""
        kind = type(value)
        if kind in _PLAIN or value is None:
            return value
        if kind is Article:
            slug: str = value.slug  # type: ignore[attr-defined]
            known = self.digests.get(slug)
            if known is None:
                raise Uncacheable(slug)
            return ("A", known)
        found = self._memo.get(id(value))
        if found is not None:
            return found
        result = self._canon_container(value)
        self._memo[id(value)] = result
        self._keep.append(value)
        return result

    def _canon_container(self, value: object) -> object:
        """Canonical form of containers and dataclasses."""
        if isinstance(value, list | tuple):
            flat = _flat_digest(value)
            if flat is not None:
                return ("m", flat)
            if all(type(v) is Article for v in value):  # a page's articles: the common case
                return ("a", self.articles_digest(value))
            return tuple(self.canon(v) for v in value)
        if isinstance(value, dict):
            return ("d", tuple((self.canon(k), self.canon(v)) for k, v in value.items()))
        if isinstance(value, frozenset | set):
            return ("s", tuple(sorted(repr(self.canon(v)) for v in value)))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = tuple(self.canon(getattr(value, f.name)) for f in dataclasses.fields(value))
            return (type(value).__qualname__, fields)
        raise Uncacheable(type(value).__name__)

    def articles_digest(self, articles: list[Article] | tuple[Article, ...]) -> str:
        """One digest of the files of many articles, in order."""
        digests = self.digests
        try:
            return digest("\x00".join([digests[a.slug] for a in articles]))
        except KeyError as exc:
            raise Uncacheable(str(exc)) from None

    def key(self, *values: object) -> str:
        """A digest of values' canonical forms (memoised for one container or dataclass)."""
        one = values[0] if len(values) == 1 else None
        if isinstance(one, tuple | list | dict) or (
            dataclasses.is_dataclass(one) and not isinstance(one, Article | type)
        ):
            found = self._keys.get(id(one))
            if found is None:
                found = self._keys[id(one)] = digest(repr((self.canon(one),)))
                self._keep.append(one)
            return found
        # repr, not pickle: pickle's output depends on which equal objects happen to be shared
        return digest(repr(tuple(self.canon(v) for v in values)))


def _flat_digest(value: list[object] | tuple[object, ...]) -> str | None:
    """A digest of a list or tuple of plain scalars (str, int, float, bool, None), else None.

    Terms and pages carry long tuples of slugs; marshal serialises them in C. Format 2 is the
    last one without back-references, so equal values always give equal bytes (newer formats,
    like pickle, depend on which equal objects happen to be shared).
    """
    scalars = _SCALARS
    if not value or not all(type(v) in scalars for v in value):
        return None  # nested values (sets among them) need canon's care
    return digest(marshal.dumps(value, 2))  # type: ignore[arg-type]  # scalars, checked above


_SCALARS = frozenset({str, int, float, bool, type(None)})


def replay_problems(log: ProblemLog, problems: list[Problem]) -> None:
    """Report again the problems a skipped (unchanged) build had found."""
    log.problems.extend(problems)


# --- article bodies ----------------------------------------------------------------------

# Characters that can start or change Markdown syntax anywhere in a line, plus controls.
# Characters that can start or change Markdown syntax anywhere, plus controls ('#' matters
# only at a line start, '_' only where it is not between two letters or digits).
_MARKUP = re.compile(r"[\\`*\[\]<>&~|\t\r\x00-\x08\x0b-\x1f\x7f]")
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# Line starts that could open a block (list, quote, heading, code, setext underline, rule,
# table). Digits open an ordered list only when a '.' or ')' follows them; '-' and '+' open
# a list or a rule only when a space, another marker or the line's end follows them.
_BLOCK_START = re.compile(r"[-+](?![^\s+-])|[=*>#~|\s]|[0-9]+[.)]")
_HEADING = re.compile(r"(#{1,6}) (\S.*)")
# A one-line bullet item: its marker, one space, then the item's text.
_BULLET = re.compile(r"([-+*]) (\S.*)")


def _plain_text(lines: list[str]) -> str | None:
    """The escaped text of lines of plain prose (one paragraph's worth), else None."""
    for line in lines:
        if line != line.strip() or _BLOCK_START.match(line):
            return None
    text = "\n".join(lines)
    if _MARKUP.search(text) or ("_" in text and _LOOSE_UNDERSCORE.search(text)):
        return None
    return text.replace('"', "&quot;")


def _plain_block(lines: list[str]) -> str | None:
    """HTML of one block of plain prose (a paragraph or a one-line ATX heading), else None."""
    heading = _HEADING.fullmatch(lines[0]) if len(lines) == 1 else None
    if heading is not None:
        level, text = len(heading.group(1)), heading.group(2)
        if _MARKUP.search(text) or "#" in text or "_" in text or text != text.strip():
            return None
        escaped = text.replace('"', "&quot;")
        return f"<h{level}>{escaped}</h{level}>\n"
    text = _plain_text(lines)
    return None if text is None else f"<p>{text}</p>\n"


def _bullet_list(items: list[str]) -> str:
    """A list of one-line items, each its own block: loose (items in <p>) when more than one.

    CommonMark calls a list loose when blank lines separate its items, as they do here.
    """
    if len(items) == 1:
        return f"<ul>\n<li>{items[0]}</li>\n</ul>\n"
    return "<ul>\n" + "".join(f"<li>\n<p>{item}</p>\n</li>\n" for item in items) + "</ul>\n"


def plain_markdown(body: str) -> str | None:
    """CommonMark HTML for bodies of plain prose, exactly as markdown-it renders them.

    Paragraphs, `#` headings and bullet lists of one-line items, without any character
    Markdown could read as syntax, are by far the most common article bodies; rendering
    them directly is many times faster. Any other body returns None and goes to markdown-it.
    """
    out: list[str] = []
    block: list[str] = []
    bullets: list[str] = []  # the open list's items, as escaped text
    marker = ""
    for line in [*body.split("\n"), ""]:
        if line.strip(" ") != "":
            block.append(line)
            continue
        if not block:
            continue
        item = _BULLET.fullmatch(block[0]) if len(block) == 1 else None
        if item is not None:
            text = _plain_text([item.group(2)])
            if text is None:
                return None
            if bullets and item.group(1) != marker:  # another marker starts another list
                out.append(_bullet_list(bullets))
                bullets = []
            marker = item.group(1)
            bullets.append(text)
        else:
            html = _plain_block(block)
            if html is None:
                return None
            if bullets:
                out.append(_bullet_list(bullets))
                bullets = []
            out.append(html)
        block = []
    if bullets:
        out.append(_bullet_list(bullets))
    return "".join(out)
