"""Render on a Dask distributed cluster: `arshif build --executor dask://HOST:PORT`.

The client plans the site and builds the indexes (the one reduce step); the archive, the
config and the templates' text are sent to every worker once; workers render shards of
pages and send the text back; the client writes it into the staging folder, so the site
folder need not be shared with the cluster. Workers need the same Arshif version installed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import jinja2

from generator.config import SiteConfig
from generator.index.archive import Archive
from generator.parallel import Dep, Job, PageRenderer, Rendered, Writer, chunks, plan
from generator.render.env import template_dirs

# One build's renderer and page list per worker process, keyed by the build's token.
_WORKER: dict[str, tuple[PageRenderer, list[Job]]] = {}


def scheduler_address(name: str) -> str:
    """dask://host:port → tcp://host:port (other schemes such as tls:// pass through)."""
    return "tcp://" + name.removeprefix("dask://") if name.startswith("dask://") else name


def template_sources(config: SiteConfig) -> dict[str, str]:
    """Every template's text, the site's own overriding the theme's (workers may not see disk)."""
    sources: dict[str, str] = {}
    for folder in reversed(template_dirs(config)):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                sources[path.relative_to(folder).as_posix()] = path.read_text(encoding="utf-8")
    return sources


def _worker_state(token: str, payload: dict[str, Any]) -> tuple[PageRenderer, list[Job]]:
    """This worker's renderer for a build, made once (templates compiled once per worker)."""
    if token not in _WORKER:
        _WORKER.clear()  # an older build's archive is no longer needed
        renderer = PageRenderer(payload["archive"], payload["config"], payload["digests"])
        renderer.env.loader = jinja2.DictLoader(payload["templates"])
        _WORKER[token] = (renderer, plan(payload["archive"], payload["config"]))
    return _WORKER[token]


def render_shard(
    token: str, payload: dict[str, Any], shard: list[int]
) -> list[tuple[int, str, str, tuple[Dep, ...] | None]]:
    """A Dask task: render some pages, returning (index, path, text, dependencies)."""
    renderer, jobs = _worker_state(token, payload)
    out = []
    for i in shard:
        text, deps = renderer.render_job(jobs[i])
        out.append((i, jobs[i].path, text, deps))
    return out


class DaskExecutor:
    """Renders the pages to do as tasks on a Dask cluster; the client writes the results."""

    def __init__(self, address: str) -> None:
        self.address = scheduler_address(address)

    def __call__(
        self, renderer: PageRenderer, jobs: list[Job], todo: list[int], write: Writer
    ) -> Iterator[Rendered]:
        """Render `todo` on the cluster, yielding each page once written locally."""
        if not todo:
            return
        try:
            from distributed import Client, as_completed
        except ImportError as exc:  # an optional extra
            raise RuntimeError("the dask executor needs: pip install 'arshif[dask]'") from exc
        archive: Archive = renderer.archive
        payload = {
            "archive": archive,
            "config": renderer.config,
            "digests": renderer.fps.digests,
            "templates": template_sources(renderer.config),
        }
        with Client(self.address) as client:  # type: ignore[no-untyped-call]
            workers = max(1, len(client.scheduler_info()["workers"]))
            shared = client.scatter(payload, broadcast=True)
            token = uuid.uuid4().hex
            futures = [
                client.submit(render_shard, token, shared, shard, pure=False)
                for shard in chunks(todo, workers)
            ]
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                for index, path, text, deps in future.result():
                    size, mtime = write(path, text)
                    yield Rendered(index, path, None, deps, size, mtime)
