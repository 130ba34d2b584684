"""Rendering as jobs: plan every page, skip those whose inputs did not change, render the rest.

A page's inputs are its template, path and context (fingerprinted up front) plus whatever
the template asked the renderer (`r.…`) and the archive (`archive.…`) while rendering. Those
calls are recorded, with a fingerprint of their result, and replayed on the next build: a page
is reused only when every recorded answer is still the same. This needs no knowledge of what
the templates do, so a template that starts showing related stories stays correct. A cached
partial (`cached(macro, …)` in a template) keeps the calls it made when first rendered, and
every page that reuses it records them as its own.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from generator.cache import Fingerprints, Uncacheable, digest
from generator.config import SiteConfig
from generator.content.model import Article
from generator.index.archive import Archive, Term
from generator.render.pages import Output, Partial, Renderer, partial_key

# Methods whose answer depends only on their arguments and the config. They are not recorded:
# a template is deterministic, so their arguments come from the page's context, the config
# or the answers of recorded calls, all of which are already part of the page's inputs.
PURE_METHODS = frozenset({"body_html", "tag_has_page", "search_body", "search_keys", "json_ld"})
# Below this many pages a process pool costs more than it saves.
POOL_THRESHOLD = 400
# Allocations between two collections of the youngest objects while rendering.
_YOUNG_COLLECTION = 10_000


@dataclass(frozen=True)
class Job:
    """One page to make: template, output path and the context the renderer gave it."""

    template: str
    path: str
    context: dict[str, Any]


@dataclass(frozen=True)
class ArticleRef:
    """An Article argument in a recorded call, stored by slug (resolved on replay)."""

    slug: str


# (target "r" or "archive", attribute, (args, kwargs) or None for an attribute, answer, question)
Dep = tuple[str, str, Any, str, str]


@dataclass(frozen=True)
class PageRecord:
    """What a page in site/ was made from, and the file's stat when it was written."""

    key: str
    deps: tuple[Dep, ...]
    size: int
    mtime_ns: int


@dataclass
class Rendered:
    """A freshly rendered page: its text (None once written by a worker) and its inputs."""

    index: int
    path: str
    text: str | None
    deps: tuple[Dep, ...] | None
    size: int = 0
    mtime_ns: int = 0


class Planner(Renderer):
    """The Renderer's page list as jobs, without rendering anything."""

    def __init__(self, archive: Archive, config: SiteConfig) -> None:
        super().__init__(archive, config)
        self.jobs: list[Job] = []

    def _render(self, template: str, path: str, **context: object) -> Output:
        """Remember the job; the empty text is never written."""
        self.jobs.append(Job(template, path, dict(context)))
        return Output(path, "")


def plan(archive: Archive, config: SiteConfig) -> list[Job]:
    """Every page of the site, in the Renderer's order."""
    planner = Planner(archive, config)
    planner.all()
    return planner.jobs


_TERM_FIELDS = tuple(f.name for f in dataclasses.fields(Term))


def answer_key(fps: Fingerprints, value: object) -> str:
    """The fingerprint of a recorded answer (the same when recorded and when replayed).

    The most frequent answers skip the general canonical form: a term is digested straight
    from its fields (marshal format 2 has no back-references, so equal fields give equal
    bytes), a list of articles from their files' digests. Anything else goes to fps.key.
    """
    if type(value) is Term:
        fields = tuple(getattr(value, name) for name in _TERM_FIELDS)
        try:
            return digest("Term", marshal.dumps(fields, 2))
        except ValueError:  # a field marshal cannot write: the general way
            pass
    elif isinstance(value, list) and value and all(type(a) is Article for a in value):
        return "Articles:" + fps.articles_digest(value)
    return fps.key(value)


def _encode(value: object) -> object:
    """An argument as stored for replay (articles by slug)."""
    return ArticleRef(value.slug) if isinstance(value, Article) else value


class _Asked:
    """What the renderer was asked so far in this build, each question's Dep made once.

    Within a build the archive and the renderer never change, so a question asked again has
    the same answer: pages repeating it reuse its Dep instead of digesting it again.
    """

    def __init__(self, fps: Fingerprints) -> None:
        self.fps = fps
        self._calls: dict[Hashable, Dep | None] = {}
        self._attributes: dict[tuple[str, str], tuple[object, Dep | None]] = {}

    def _dep(self, label: str, name: str, stored: Any, value: object, question: str) -> Dep | None:
        """A recorded question and its answer's fingerprint (None: it has none)."""
        try:
            return (label, name, stored, answer_key(self.fps, value), question)
        except Uncacheable:
            return None

    def attribute(self, label: str, name: str, value: object) -> Dep | None:
        """The Dep of reading an attribute (remade if the attribute is another object now)."""
        found = self._attributes.get((label, name))
        if found is None or found[0] is not value:
            found = (value, self._dep(label, name, None, value, digest(label, name)))
            self._attributes[(label, name)] = found
        return found[1]

    def call(
        self, label: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any], result: object
    ) -> Dep | None:
        """The Dep of a method call with these arguments and its result."""
        stored = (tuple(_encode(a) for a in args), {k: _encode(v) for k, v in kwargs.items()})
        key: Hashable = (label, name, stored[0], tuple(stored[1].items()))
        try:
            return self._calls[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument: digest the question every time
            return self._dep(label, name, stored, result, digest(label, name, repr(stored)))
        dep = self._calls[key] = self._dep(
            label, name, stored, result, digest(label, name, repr(stored))
        )
        return dep


@dataclass(eq=False)
class _Deps:
    """Recorded questions by digest (each once), and whether all could be fingerprinted."""

    deps: dict[str, Dep] = field(default_factory=dict)
    cacheable: bool = True


class _Recording:
    """The questions one page asked, also collected for each cached partial being rendered."""

    def __init__(self, asked: _Asked) -> None:
        self.asked = asked
        self.page = _Deps()
        self.open: list[_Deps] = [self.page]  # the page, then any partials being rendered

    def add(self, dep: Dep | None) -> None:
        """Note a question for the page and every partial being rendered."""
        for deps in self.open:
            if dep is None:
                deps.cacheable = False
            else:
                deps.deps[dep[4]] = dep


class _Recorder:
    """Stands in for the renderer or the archive inside templates and records what is asked.

    One per renderer, not per page: it records into the page being rendered (the owner's
    recording). A method's recording wrapper is made once and kept as an attribute, so a
    template calling it again skips the lookup (pages make dozens of calls each).
    """

    def __init__(self, label: str, target: object, owner: PageRenderer) -> None:
        self._label, self._target, self._owner = label, target, owner

    def __getattr__(self, name: str) -> Any:
        """Attributes are recorded with their value; methods with each call and its answer."""
        value = getattr(self._target, name)
        owner, label = self._owner, self._label
        if not callable(value):
            rec = owner._rec
            if rec is not None:
                rec.add(rec.asked.attribute(label, name, value))
            return value
        if name in PURE_METHODS:
            self.__dict__[name] = value
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            rec = owner._rec
            if rec is not None:
                rec.add(rec.asked.call(label, name, args, kwargs, result))
            return result

        self.__dict__[name] = call
        return call


class PageRenderer(Renderer):
    """Renders jobs, recording each page's calls to the renderer and the archive."""

    def __init__(self, archive: Archive, config: SiteConfig, digests: dict[str, str]) -> None:
        super().__init__(archive, config)
        self.env.auto_reload = False  # one build: no need to stat the templates for every page
        self.fps = Fingerprints(digests)
        self._globals: dict[str, object] = super().page_globals()
        self._terms: dict[tuple[str, str], Term | None] = {}
        self._asked = _Asked(self.fps)
        self._rec: _Recording | None = None  # the page being rendered
        self._recording = {
            **self._globals,
            "r": _Recorder("r", self, self),
            "archive": _Recorder("archive", self.archive, self),
        }

    def page_globals(self) -> dict[str, object]:
        """The recording stand-ins while a job renders."""
        return self._globals

    def term(self, kind: str, value: str) -> Term | None:
        """Renderer.term, memoised: cards ask for the same few sources thousands of times."""
        key = (kind, value)
        if key not in self._terms:
            self._terms[key] = super().term(kind, value)
        return self._terms[key]

    def cached(self, macro: Callable[..., object], *args: object, **kwargs: object) -> object:
        """Renderer.cached, adding the calls the macro made when first rendered to every page.

        A page that reuses a cached card depends on what the card asked (its source's term,
        say) exactly as if it had rendered the card itself.
        """
        rec = self._rec
        key = partial_key(macro, args, kwargs)
        if rec is None or key is None:
            return macro(*args, **kwargs)
        found = self._partials.get(key)
        if found is None:
            own = _Deps()
            rec.open.append(own)
            try:
                html = macro(*args, **kwargs)
            finally:
                rec.open.pop()  # own: partials nested in it have closed
            found = Partial(html, tuple(own.deps.values()), own.cacheable, (args, kwargs))
            self._partials[key] = found
        else:
            for dep in found.deps:
                rec.add(dep)
            if not found.cacheable:
                rec.add(None)
        return found.html

    def render_job(self, job: Job) -> tuple[str, tuple[Dep, ...] | None]:
        """A page's text and its recorded dependencies (None when they cannot be trusted)."""
        rec = self._rec = _Recording(self._asked)
        plain, self._globals = self._globals, self._recording
        try:
            text = self._render(job.template, job.path, **job.context).text
        finally:
            self._globals, self._rec = plain, None
        page = rec.page
        return text, tuple(page.deps.values()) if page.cacheable else None


def page_key(fps: Fingerprints, base: str, job: Job) -> str | None:
    """A digest of everything about a job known before rendering (None: always render)."""
    try:
        parts: list[str | bytes] = [base, job.template, job.path]
        for name, value in job.context.items():
            parts += (name, _context_part(fps, value))
        return digest(*parts)
    except Uncacheable:
        return None


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}
_NOT_PLAIN = object()


def _context_part(fps: Fingerprints, value: object) -> str | bytes:
    """One context value as part of a page key, tagged with its kind.

    Every build checks tens of thousands of pages, so the common values skip the general
    canonical form: text as itself (with its length, so parts cannot run together), articles
    by their files' digests, tuples of scalars and dataclasses of them (pagers) by marshal
    (format 2: equal values give equal bytes). Anything else goes to fps.key.
    """
    kind = type(value)  # exact types: a subclass (Markup, say) may render differently
    if kind is str and isinstance(value, str):
        return f"s{len(value)}:{value}"
    if kind is Article and isinstance(value, Article):
        return "A" + fps.articles_digest([value])
    if isinstance(value, list) and value and all(type(a) is Article for a in value):
        return "L" + fps.articles_digest(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
        fields = tuple(_plain(fps, getattr(value, name)) for name in names)
        if not any(f is _NOT_PLAIN for f in fields):
            return b"D" + kind.__qualname__.encode() + b":" + marshal.dumps(fields, 2)
    elif kind is tuple and (plain := _plain(fps, value)) is not _NOT_PLAIN:
        return b"T" + marshal.dumps(plain, 2)
    return "K" + fps.key(value)


def _plain(fps: Fingerprints, value: object) -> Any:
    """Scalars and short tuples of them as they are, long tuples by fingerprint, else _NOT_PLAIN."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if isinstance(value, tuple) and kind is tuple:
        if len(value) > 8:  # fps.key memoises it: the pages of a list share their pager's links
            return b"K" + fps.key(value).encode()
        if all(type(v) in _SCALARS for v in value):
            return value
    return _NOT_PLAIN


class Replayer:
    """Checks recorded dependencies against the new build, memoising repeated questions."""

    def __init__(self, renderer: Renderer, fps: Fingerprints) -> None:
        self.targets: dict[str, object] = {"r": renderer, "archive": renderer.archive}
        self.archive = renderer.archive
        self.fps = fps
        self._memo: dict[str, str | None] = {}

    def _decode(self, value: object) -> object:
        """A stored argument as a value of the new build."""
        if isinstance(value, ArticleRef):
            found = self.archive.articles.get(value.slug)
            if found is None:
                raise LookupError(value.slug)
            return found
        return value

    def _answer(self, dep: Dep) -> str | None:
        """The answer a recorded question gets now."""
        label, name, stored = dep[:3]
        value = getattr(self.targets[label], name)
        if stored is None:
            return answer_key(self.fps, value)
        args = tuple(self._decode(a) for a in stored[0])
        kwargs = {k: self._decode(v) for k, v in stored[1].items()}
        return answer_key(self.fps, value(*args, **kwargs))

    def still_true(self, deps: tuple[Dep, ...]) -> bool:
        """Whether every recorded answer is unchanged."""
        for dep in deps:
            question = dep[4]
            if question not in self._memo:
                try:
                    self._memo[question] = self._answer(dep)
                except Exception:  # a question that cannot be asked any more: render again
                    self._memo[question] = None
            if self._memo[question] != dep[3]:
                return False
        return True


# --- executors ---------------------------------------------------------------------------

Writer = Callable[[str, str], tuple[int, int]]  # (path, text) → (size, mtime_ns) once written


def render_serial(
    renderer: PageRenderer, jobs: list[Job], todo: list[int], write: Writer
) -> Iterator[Rendered]:
    """Render and write the jobs in this process."""
    # Rendering allocates a lot; a full collection meanwhile would walk the whole archive and
    # the last build's page records (0.4 s at 4,500 articles), though none of it is garbage.
    freeze = gc.get_freeze_count() == 0  # a forked worker inherits the parent's frozen heap
    if freeze:
        gc.freeze()
    # A page makes tens of thousands of short-lived containers and almost no cyclic garbage:
    # collecting the youngest generation every 10,000 allocations instead of every 700 cut
    # serial rendering at 10,000 articles by 10% (the caches no longer walked so often).
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], _YOUNG_COLLECTION), *threshold[1:])
    try:
        for i in todo:
            text, deps = renderer.render_job(jobs[i])
            size, mtime = write(jobs[i].path, text)
            yield Rendered(i, jobs[i].path, None, deps, size, mtime)
    finally:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()


# What forked workers inherit from the parent: set just before the pool starts.
_SHARED: dict[str, Any] = {}


def _worker_renderer() -> PageRenderer:
    """This worker's copy of the parent's renderer, reused for every chunk.

    It comes with what the parent already worked out while checking which pages changed
    (fingerprints, terms, the articles.json text); templates compile once per worker.
    """
    renderer: PageRenderer = _SHARED["renderer"]
    return renderer


def _render_chunk(chunk: list[int]) -> list[Rendered]:
    """Render a chunk of jobs in a forked worker, writing straight into the staging folder."""
    return list(render_serial(_worker_renderer(), _SHARED["jobs"], chunk, _SHARED["write"]))


def chunks(todo: list[int], workers: int) -> list[list[int]]:
    """Small interleaved chunks, so heavy and light pages spread evenly over workers."""
    size = max(1, min(200, len(todo) // (workers * 8) or 1))
    return [todo[i : i + size] for i in range(0, len(todo), size)]


def render_processes(
    renderer: PageRenderer,
    jobs: list[Job],
    todo: list[int],
    write: Writer,
    workers: int | None = None,
) -> Iterator[Rendered]:
    """Render on a pool of forked processes; they share the archive and write their own pages."""
    workers = workers or os.cpu_count() or 1
    if (
        workers < 2
        or len(todo) < POOL_THRESHOLD
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from render_serial(renderer, jobs, todo, write)
        return
    _SHARED.update(renderer=renderer, jobs=jobs, write=write)
    gc.collect()
    gc.freeze()  # keeps the collector from touching (and so copying) the shared objects
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for done in pool.imap_unordered(_render_chunk, chunks(todo, workers)):
                yield from done
    finally:
        gc.unfreeze()
        _SHARED.clear()


Executor = Callable[[PageRenderer, list[Job], list[int], Writer], Iterator[Rendered]]


def executor_for(name: str) -> Executor:
    """The executor a name asks for: processes (default), serial, or dask://HOST:PORT."""
    if name in ("processes", "process", ""):
        return render_processes
    if name == "serial":
        return render_serial
    if name.startswith(("dask://", "tcp://")) or name == "dask":
        from generator.executors.dask import DaskExecutor

        return DaskExecutor(name)
    raise ValueError(f"unknown executor {name!r}; expected processes, serial or dask://HOST:PORT")


def run_executor(
    executor: str | Executor,
    renderer: PageRenderer,
    jobs: list[Job],
    todo: list[int],
    write: Writer,
) -> Iterator[Rendered]:
    """Render the todo jobs with the chosen executor."""
    run = executor_for(executor) if isinstance(executor, str) else executor
    return run(renderer, jobs, todo, write)


# --- import ------------------------------------------------------------------------------

T = TypeVar("T")
R = TypeVar("R")


def _map_chunk(chunk: list[int]) -> list[Any]:
    """Apply the shared function to a chunk of the shared items in a forked worker."""
    fn, items = _SHARED["map_fn"], _SHARED["map_items"]
    return [fn(items[i]) for i in chunk]


def map_ordered(
    fn: Callable[[T], R], items: list[T], workers: int | None = None, threshold: int = 64
) -> list[R]:
    """fn over items on forked processes, results in order; serial for few items.

    fn must not raise (return failures as values) and its results must pickle.
    """
    workers = workers or os.cpu_count() or 1
    if (
        workers < 2
        or len(items) < threshold
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [fn(item) for item in items]
    _SHARED.update(map_fn=fn, map_items=items)
    size = max(1, min(100, len(items) // (workers * 8)))
    parts = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [r for part in pool.imap(_map_chunk, parts) for r in part]
    finally:
        _SHARED.clear()
