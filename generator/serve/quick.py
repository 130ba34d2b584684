"""Quick previews: the pages an editor is looking at, re-rendered within a blink of a save.

A full rebuild recomputes every index over the archive, which takes seconds on a large site.
Before it runs, the server re-renders just the pages a change shows first (the edited articles'
own pages and the pages open in a browser) against the last build's archive, with the edited
articles swapped in and the templates as they are now, and replaces those files atomically.
The full build follows and settles everything else (tags, related stories, lists); it reloads
an open page again only if its bytes change. This is the idea of Hugo's fast render mode.

Only edits of existing articles and template changes qualify: a new or deleted file, a seed or
a config change changes the page list itself, so it waits for the full build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2

from generator.build import Snapshot
from generator.content.load import article_from_text
from generator.content.model import Article
from generator.errors import SourceError
from generator.parallel import Job
from generator.render.env import environment
from generator.render.pages import Renderer, article_path
from generator.serve.plan import Kind, Plan

# Open pages re-rendered at most per change (each takes a few milliseconds).
MAX_OPEN_PAGES = 24

Write = Callable[[str, str], bool]  # (site path, text) → whether the file's bytes changed


def edited_articles(snapshot: Snapshot, paths: Iterable[Path]) -> dict[str, Article] | None:
    """The edited articles by slug, parsed anew; None when a change needs the full build."""
    root = snapshot.config.root
    edited: dict[str, Article] = {}
    for path in paths:
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        slug = snapshot.slugs.get(rel)
        if slug is None or not path.is_file():
            return None  # a new, renamed or deleted file changes the page list
        try:
            edited[slug] = article_from_text(path.read_text(encoding="utf-8"), rel, slug)
        except (OSError, UnicodeDecodeError, SourceError):
            return None  # the full build reports it, with its file and line
    return edited


def _swapped(value: object, edited: Mapping[str, Article]) -> object:
    """A job's context value with edited articles put in place of their old versions."""
    if isinstance(value, Article):
        return edited.get(value.slug, value)
    if isinstance(value, list | tuple):
        return type(value)(_swapped(v, edited) for v in value)
    return value


def _context(job: Job, edited: Mapping[str, Article]) -> dict[str, object]:
    """A job's context for the preview."""
    return {k: _swapped(v, edited) for k, v in job.context.items()}


class Previewer:
    """Quick previews of one snapshot's site, with one Jinja environment kept between them.

    Jinja checks each template's file on use and recompiles only the changed ones, so a
    preview after a template edit compiles that template alone.
    """

    def __init__(self) -> None:
        self._env: tuple[object, jinja2.Environment] | None = None

    def env(self, snapshot: Snapshot) -> jinja2.Environment:
        """The environment for the snapshot's config (made anew when the config changes)."""
        if self._env is None or self._env[0] is not snapshot.config:
            self._env = (snapshot.config, environment(snapshot.config))
        return self._env[1]

    def preview(
        self, snapshot: Snapshot, plan: Plan, open_pages: Iterable[str], write: Write
    ) -> list[str] | None:
        """quick_preview with the kept environment."""
        return quick_preview(snapshot, plan, open_pages, write, self.env(snapshot))


def quick_preview(
    snapshot: Snapshot,
    plan: Plan,
    open_pages: Iterable[str],
    write: Write,
    env: jinja2.Environment | None = None,
) -> list[str] | None:
    """Re-render the pages a change shows first and write them; the paths whose bytes changed.

    None when the change does not qualify (the full build alone handles it).
    """
    if plan.empty or plan.full or set(plan.changes) - {Kind.CONTENT, Kind.TEMPLATES}:
        return None
    edited = edited_articles(snapshot, plan.paths(Kind.CONTENT))
    if edited is None:
        return None
    articles = {**snapshot.archive.articles, **edited}
    archive = dataclasses.replace(snapshot.archive, articles=articles)
    renderer = Renderer(archive, snapshot.config, env)
    wanted = [article_path(slug) + "index.html" for slug in edited]
    wanted += list(open_pages)[:MAX_OPEN_PAGES]
    changed: list[str] = []
    for path in dict.fromkeys(wanted):
        job = snapshot.jobs.get(path)
        if job is not None:
            text = renderer.render_page(job.template, job.path, _context(job, edited))
            if write(path, text):
                changed.append(path)
    return changed
