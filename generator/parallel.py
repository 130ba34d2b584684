"""Rendering as jobs: plan every page, skip those whose inputs did not change, render the rest.

A page's inputs are its template, path and context (fingerprinted up front) plus whatever
the template asked the renderer (`r.…`) and the archive (`archive.…`) while rendering. Those
calls are recorded, with a fingerprint of their result, and replayed on the next build: a page
is reused only when every recorded answer is still the same. This needs no knowledge of what
the templates do, so a template that starts showing related stories stays correct.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from generator.cache import Fingerprints, Uncacheable, digest
from generator.config import SiteConfig
from generator.content.model import Article
from generator.index.archive import Archive, Term
from generator.render.pages import Output, Renderer

# Methods whose answer depends only on their arguments and the config. They are not recorded:
# a template is deterministic, so their arguments come from the page's context, the config
# or the answers of recorded calls, all of which are already part of the page's inputs.
PURE_METHODS = frozenset({"body_html", "tag_has_page", "search_body", "search_keys", "json_ld"})
# Below this many pages a process pool costs more than it saves.
POOL_THRESHOLD = 400


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


def _encode(value: object) -> object:
    """An argument as stored for replay (articles by slug)."""
    return ArticleRef(value.slug) if isinstance(value, Article) else value


@dataclass
class _Recording:
    """The calls one page made, and whether all of them could be fingerprinted."""

    fps: Fingerprints
    deps: list[Dep] = field(default_factory=list)
    cacheable: bool = True

    def answer(self, value: object) -> str:
        """A fingerprint of an answer; an unhashable one makes the page uncacheable."""
        try:
            return self.fps.key(value)
        except Uncacheable:
            self.cacheable = False
            return ""


class _Recorder:
    """Stands in for the renderer or the archive inside templates and records what is asked."""

    def __init__(self, label: str, target: object, rec: _Recording) -> None:
        self._label, self._target, self._rec = label, target, rec

    def __getattr__(self, name: str) -> Any:
        """Attributes are recorded with their value; methods with each call and its answer."""
        value = getattr(self._target, name)
        if not callable(value):
            answer = self._rec.answer(value)
            self._rec.deps.append((self._label, name, None, answer, digest(self._label, name)))
            return value
        if name in PURE_METHODS:
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            result = value(*args, **kwargs)
            stored = (tuple(_encode(a) for a in args), {k: _encode(v) for k, v in kwargs.items()})
            question = digest(self._label, name, repr(stored))
            self._rec.deps.append((self._label, name, stored, self._rec.answer(result), question))
            return result

        return call


class PageRenderer(Renderer):
    """Renders jobs, recording each page's calls to the renderer and the archive."""

    def __init__(self, archive: Archive, config: SiteConfig, digests: dict[str, str]) -> None:
        super().__init__(archive, config)
        self.fps = Fingerprints(digests)
        self._globals: dict[str, object] = {"r": self, "archive": archive}
        self._terms: dict[tuple[str, str], Term | None] = {}

    def page_globals(self) -> dict[str, object]:
        """The recording stand-ins while a job renders."""
        return self._globals

    def term(self, kind: str, value: str) -> Term | None:
        """Renderer.term, memoised: cards ask for the same few sources thousands of times."""
        key = (kind, value)
        if key not in self._terms:
            self._terms[key] = super().term(kind, value)
        return self._terms[key]

    def render_job(self, job: Job) -> tuple[str, tuple[Dep, ...] | None]:
        """A page's text and its recorded dependencies (None when they cannot be trusted)."""
        rec = _Recording(self.fps)
        self._globals = {
            "r": _Recorder("r", self, rec),
            "archive": _Recorder("archive", self.archive, rec),
        }
        try:
            text = self._render(job.template, job.path, **job.context).text
        finally:
            self._globals = {"r": self, "archive": self.archive}
        return text, tuple(rec.deps) if rec.cacheable else None


def page_key(fps: Fingerprints, base: str, job: Job) -> str | None:
    """A digest of everything about a job known before rendering (None: always render)."""
    try:
        return digest(base, job.template, job.path, fps.key(job.context))
    except Uncacheable:
        return None


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
            return self.fps.key(value)
        args = tuple(self._decode(a) for a in stored[0])
        kwargs = {k: self._decode(v) for k, v in stored[1].items()}
        return self.fps.key(value(*args, **kwargs))

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
    for i in todo:
        text, deps = renderer.render_job(jobs[i])
        size, mtime = write(jobs[i].path, text)
        yield Rendered(i, jobs[i].path, None, deps, size, mtime)


# What forked workers inherit from the parent: set just before the pool starts.
_SHARED: dict[str, Any] = {}


def _worker_renderer() -> PageRenderer:
    """This worker's renderer: templates compiled once per worker, reused for every chunk."""
    if "renderer" not in _SHARED:
        _SHARED["renderer"] = PageRenderer(
            _SHARED["archive"], _SHARED["config"], _SHARED["digests"]
        )
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
    _SHARED.update(
        archive=renderer.archive,
        config=renderer.config,
        digests=renderer.fps.digests,
        jobs=jobs,
        write=write,
    )
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
