"""The orchestrator: ingest → load → index → render → write, each phase timed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from generator.config import SiteConfig
from generator.content.load import load_all
from generator.errors import ArshifError, ProblemLog
from generator.importer import ImportReport, import_paths
from generator.index.archive import build_archive
from generator.render.env import theme_dir
from generator.render.pages import render_site
from generator.write import write_site

T = TypeVar("T")


@dataclass
class BuildReport:
    """What a build did: counts, problems, and seconds per phase."""

    articles: int = 0
    pages: int = 0
    imported: ImportReport | None = None
    log: ProblemLog = field(default_factory=ProblemLog)
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Summary lines for the terminal."""
        out = []
        if self.imported is not None:
            out.append(self.imported.line())
        phases = ", ".join(f"{k} {v:.2f}s" for k, v in self.timings.items())
        out.append(
            f"build: {self.articles} articles, {self.pages} files, {self.log.skipped} skipped, "
            f"{self.log.warnings} warnings ({phases})"
        )
        return out + self.log.summary()


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
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the whole site; with strict, any problem fails the build before site/ is touched."""
    report = BuildReport()
    seeds = config.path("seeds")
    if import_seeds and seeds.is_dir():
        with _timed(report, "import"):
            report.imported = import_paths(config, [seeds])
        report.log.extend(report.imported.log)
    with _timed(report, "load"):
        articles = load_all(config.path("content"), config.root, report.log)
    with _timed(report, "index"):
        archive = build_archive(articles)
    with _timed(report, "render"):
        outputs = render_site(archive, config)
    report.articles, report.pages = len(archive.order), len(outputs)
    if strict and report.log.problems:
        raise ArshifError(
            f"--strict: {len(report.log.problems)} problems; site/ left untouched:\n"
            + "\n".join(report.log.summary())
        )
    with _timed(report, "write"):
        write_site(outputs, [theme_dir("static"), config.root / "static"], config.path("output"))
    return report
