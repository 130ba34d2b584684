"""The orchestrator: ingest → load → index → render → write, each phase timed."""

from __future__ import annotations

import ctypes
import gc
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from generator.cache import (
    TemplateKeys,
    build_state,
    cache_dir,
    load_cached,
    read_pickle,
    render_key,
    settings_key,
    write_pickle,
)
from generator.config import SiteConfig
from generator.errors import ArshifError, Problem, ProblemLog
from generator.importer import ImportReport, import_paths
from generator.index.archive import Archive
from generator.index.stored import stored_archive
from generator.parallel import (
    Dep,
    Executor,
    Job,
    PageRecord,
    PageRenderer,
    Replayer,
    map_ordered,
    page_key,
    plan,
    run_executor,
)
from generator.render.env import template_dirs, theme_dir
from generator.render.pages import Output
from generator.search import run_search_index
from generator.write import Gate, Patch, Staging, check_unique

T = TypeVar("T")
# From this many pages an incremental build checks them on every core.
_CHECK_POOL = 4000


@dataclass
class BuildReport:
    """What a build did: counts, problems, and seconds per phase."""

    articles: int = 0
    pages: int = 0
    imported: ImportReport | None = None
    log: ProblemLog = field(default_factory=ProblemLog)
    timings: dict[str, float] = field(default_factory=dict)
    reused: int = 0  # pages linked unchanged from the previous site
    unchanged: bool = False  # nothing changed since the last build: site/ was left as it was
    changed: list[str] | None = None  # site files written or removed, when known
    rendered: list[str] = field(default_factory=list)  # pages rendered (unchanged bytes too)
    snapshot: Snapshot | None = field(default=None, repr=False)

    def lines(self) -> list[str]:
        """Summary lines for the terminal."""
        out = []
        if self.imported is not None:
            out.append(self.imported.line())
        phases = ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
        done = "nothing changed" if self.unchanged else f"{self.pages - self.reused} rendered"
        out.append(
            f"build: {self.articles} articles, {self.pages} files ({done}), "
            f"{self.log.skipped} skipped, {self.log.warnings} warnings ({phases})"
        )
        return out + self.log.summary()


@dataclass(frozen=True)
class Snapshot:
    """The last build's archive and pages, kept in memory by the dev server for quick previews."""

    config: SiteConfig
    archive: Archive
    jobs: dict[str, Job]  # by output path

    @cached_property
    def slugs(self) -> dict[str, str]:
        """Each article's slug by its content file (site-relative), made once per build."""
        return {a.path: slug for slug, a in self.archive.articles.items()}


@contextmanager
def _timed(report: BuildReport, phase: str) -> Iterator[None]:
    """Record how long a phase takes."""
    start = time.perf_counter()
    yield
    report.timings[phase] = time.perf_counter() - start


def build(
    config: SiteConfig,
    *,
    import_seeds: bool = True,
    strict: bool = False,
    executor: str | Executor = "processes",
    incremental: bool = True,
    gate: Gate = nullcontext,
    snapshot: bool = False,
) -> BuildReport:
    """Build the site; only what changed since the last build is read and rendered again.

    With strict, any problem fails the build before site/ is touched. The executor is
    "processes" (a pool over local cores), "serial", or "dask://HOST:PORT". The new site is
    put in place inside `gate`; with `snapshot` the report keeps the archive and page list
    (which means building the indexes even when nothing changed).
    """
    report = BuildReport()
    seeds = config.path("seeds")
    if import_seeds and seeds.is_dir():
        with _timed(report, "import"):
            report.imported = import_paths(config, [seeds])
        report.log.extend(report.imported.log)
    static_dirs = [theme_dir("static"), config.root / "static"]
    base = render_key(config, template_dirs(config))
    keys = TemplateKeys(settings_key(config), template_dirs(config))
    state = build_state(config, base, static_dirs)
    manifest: Manifest | None = read_pickle(_manifest(config)) if incremental else None
    if not snapshot and manifest is not None and _nothing_changed(manifest, state, config):
        report.articles, report.pages = manifest.articles, len(manifest.stats)
        report.log.problems.extend(manifest.problems)
        _fail_if_strict(report, strict)
        report.unchanged = True
        return report
    load_log = ProblemLog()
    with _timed(report, "load"):
        cache = cache_dir(config) / "articles" if incremental else None
        loaded = load_cached(config.path("content"), config.root, load_log, cache)
    report.log.extend(load_log)
    with _timed(report, "index"):
        stored = cache_dir(config) / "index.pickle" if incremental else None
        archive = stored_archive(loaded.articles, loaded.index_digests, config.grouping, stored)
        release_memory()
    with _timed(report, "plan"):
        jobs = plan(archive, config)
        check_unique(Output(j.path, "") for j in jobs)
    report.articles, report.pages = len(archive.order), len(jobs)
    _fail_if_strict(report, strict)
    old: dict[str, PageRecord] = (read_pickle(_records(config)) or {}) if manifest else {}
    renderer = PageRenderer(archive, config, loaded.digests)
    with _timed(report, "check"):
        kept, todo = _unchanged(renderer, keys, jobs, old, config.path("output"))
    pages: dict[str, PageRecord] = {}
    rendered: list[str] = []
    shared = _Interner()
    if snapshot:
        report.snapshot = Snapshot(config, archive, {job.path: job for job in jobs})
    with _site_writer(config, static_dirs, jobs, kept, todo, gate) as staging:
        with _timed(report, "render"):
            for done in run_executor(executor, renderer, jobs, todo, staging.write):
                rendered.append(done.path)
                job = jobs[done.index]
                if done.deps is not None and (
                    key := page_key(renderer.fps, keys(job.template), job)
                ):
                    deps = shared.deps(done.deps)
                    pages[done.path] = PageRecord(key, deps, done.size, done.mtime_ns)
        with _timed(report, "write"):
            for path, record in kept.items():
                if not staging.reuse(path, record.size, record.mtime_ns):
                    raise ArshifError(f"{path} changed in the site while building; build again")
                pages[path] = record
        staging.compare(rendered, sorted(old.keys() - {job.path for job in jobs}))
        if config.search:  # issue 7: Pagefind indexes the finished site once, before the swap
            with _timed(report, "search"):
                run_search_index(staging.root, language=config.language)
    report.reused = len(kept)
    report.rendered = rendered
    report.changed = staging.changed
    write_pickle(_records(config), pages)  # first: a manifest never outlives its records
    stats = {path: (record.size, record.mtime_ns) for path, record in pages.items()}
    write_pickle(_manifest(config), Manifest(state, stats, report.articles, load_log.problems))
    return report


class _Interner:
    """One object per distinct recorded call across all pages.

    Pages ask the same few questions (a card's source term, the months list): at 10,000
    articles 235,000 recorded calls are 35,000 distinct ones. Pages rendered by workers
    arrive as separate copies; sharing them keeps the build's memory and pages.pickle small.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], Dep] = {}

    def deps(self, deps: tuple[Dep, ...]) -> tuple[Dep, ...]:
        """deps with each call replaced by the first equal one seen."""
        seen = self._seen
        return tuple([seen.setdefault((dep[4], dep[3]), dep) for dep in deps])


@dataclass
class Manifest:
    """What the last successful build read and wrote: small, so a no-change build is quick.

    What each page was made from (its PageRecord) lives in a separate, larger file that is
    read only when something changed.
    """

    state: str
    stats: dict[str, tuple[int, int]]  # site path -> (size, mtime_ns) as written
    articles: int
    problems: list[Problem]


def _manifest(config: SiteConfig) -> Path:
    """Where the manifest of the last build lives."""
    return cache_dir(config) / "manifest.pickle"


def _records(config: SiteConfig) -> Path:
    """Where the last build's page records live."""
    return cache_dir(config) / "pages.pickle"


def _nothing_changed(manifest: Manifest, state: str, config: SiteConfig) -> bool:
    """Same inputs as last time, and site/ still holds exactly what we wrote."""
    if manifest.state != state:
        return False
    site = str(config.path("output"))
    stat = os.stat
    for rel, written in manifest.stats.items():
        try:
            st = stat(f"{site}/{rel}")  # plain strings: 10,000s of pathlib objects cost 0.3s
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != written:
            return False
    return bool(manifest.stats)


def release_memory() -> None:
    """Hand memory freed by the index back to the system before the render workers fork.

    glibc keeps freed heap pages for reuse; each forked worker would then carry them in its
    footprint. Measured at 10,000 articles: 439 MB → 324 MB resident after the index.
    """
    gc.collect()
    try:  # the symbols of the running process: glibc's when Python runs on glibc
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # another C library (musl, macOS): nothing to do
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)


def _fail_if_strict(report: BuildReport, strict: bool) -> None:
    """With --strict, any problem stops the build before site/ is touched."""
    if strict and report.log.problems:
        raise ArshifError(
            f"--strict: {len(report.log.problems)} problems; site/ left untouched:\n"
            + "\n".join(report.log.summary())
        )


def _site_writer(
    config: SiteConfig,
    static_dirs: list[Path],
    jobs: list[Job],
    kept: dict[str, PageRecord],
    todo: list[int],
    gate: Gate,
) -> Staging:
    """A fresh folder swapped in at the end, or for a few changed pages a patch applied at the end.

    The search indexer reads the whole finished site, so with search on a fresh folder is used.
    """
    target = config.path("output")
    if kept and len(todo) <= max(50, len(jobs) // 10) and not getattr(config, "search", False):
        return Patch(target, static_dirs, {job.path for job in jobs}, gate)
    return Staging(target, static_dirs, gate)


def _unchanged(
    renderer: PageRenderer,
    keys: TemplateKeys,
    jobs: list[Job],
    old: dict[str, PageRecord],
    site: Path,
) -> tuple[dict[str, PageRecord], list[int]]:
    """Pages whose inputs and file are unchanged (to link from the old site); the rest to render.

    Asking every page's recorded questions again takes seconds at 10,000 articles, so a big
    site's pages are checked on every core (each process remembers its own answers).
    """
    replay = Replayer(renderer, renderer.fps)

    def same(job: Job) -> bool:
        """Whether the page can be kept as the last build wrote it."""
        record = old.get(job.path)
        return (
            record is not None
            and record.key == page_key(renderer.fps, keys(job.template), job)
            and replay.still_true(record.deps)
            and _same_file(site / job.path, record)
        )

    flags = map_ordered(same, jobs, threshold=_CHECK_POOL) if old else [False] * len(jobs)
    kept = {job.path: old[job.path] for job, ok in zip(jobs, flags, strict=True) if ok}
    return kept, [i for i, ok in enumerate(flags) if not ok]


def _same_file(path: Path, record: PageRecord) -> bool:
    """Whether a page in site/ is still the file we wrote."""
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (record.size, record.mtime_ns)
