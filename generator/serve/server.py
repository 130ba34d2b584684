"""`arshif serve`: the site on 127.0.0.1, rebuilt on every change, reloaded in the browser.

In the manner of MkDocs' livereload server: the standard library's threading HTTP server, a
watchdog observer, a build epoch that server-sent events announce, and a small script added to
HTML as it is served. Builds run in the main thread (so Ctrl-C reaches them); requests run in
handler threads and wait while a build runs, so a half-built site is never served.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import mimetypes
import secrets
import signal
import socket
import socketserver
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, quote, unquote, urlsplit

from generator.build import BuildReport, Snapshot, build
from generator.config import SiteConfig, load_config
from generator.errors import ArshifError
from generator.serve.inject import EVENTS_PATH, error_page, inject
from generator.serve.plan import Kind, Plan, full_plan, plan_changes
from generator.serve.quick import Previewer
from generator.serve.state import BuildFailure, BuildResult, BuildState
from generator.serve.watch import ChangeQueue, Clock, OwnWrites, Watcher
from generator.write import replace_file

# builder(config, gate=..., snapshot=...): the core's build() or a stand-in for tests
Builder = Callable[..., BuildReport]

_TEXT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".md": "text/markdown",
}
_BINARY_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
}
_HTML = "text/html; charset=utf-8"
_HEARTBEAT_SECONDS = 15.0
_SETTLE_SECONDS = 0.3  # between a preview and the full build that follows it


def content_type(path: Path) -> str:
    """The Content-Type of a file; text types always say utf-8 (Arabic must never be guessed)."""
    suffix = path.suffix.lower()
    if suffix in _TEXT_TYPES:
        return _TEXT_TYPES[suffix] + "; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0]
    return _BINARY_TYPES.get(suffix) or guessed or "application/octet-stream"


def default_builder(config: SiteConfig, **options: Any) -> BuildReport:
    """The core's whole build, importing seeds/ first."""
    return build(config, import_seeds=True, **options)


def preview_builder(config: SiteConfig, **options: Any) -> BuildReport:
    """A build without the search index: Pagefind re-reads the whole site on every run, which
    would add seconds to each save; `arshif serve --search` keeps it."""
    return build(dataclasses.replace(config, search=False), import_seeds=True, **options)


class Superseded(ArshifError):
    """A newer change arrived while a build ran: its result is stale, and another build follows."""


# More changed paths than this and open pages simply reload (the event stays small).
_MAX_EVENT_PATHS = 500


@dataclass(frozen=True)
class Response:
    """A response before it is sent."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _redirect(status: HTTPStatus, location: str) -> Response:
    """A redirect to a path on this server."""
    return Response(status, b"", {"Location": location})


def _refusal(status: HTTPStatus) -> Response:
    """A short plain-text refusal (403, 400)."""
    body = f"{status.value} {status.phrase}\n".encode()
    return Response(status, body, {"Content-Type": "text/plain; charset=utf-8"})


def _segments(raw: str) -> list[str] | Response:
    """The decoded segments of a request path, or a refusal for anything that could leave site/."""
    if not raw.startswith("/") or "\\" in raw or "%5c" in raw.lower():
        return _refusal(HTTPStatus.FORBIDDEN)
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return _refusal(HTTPStatus.BAD_REQUEST)
    parts = decoded.split("/")[1:]
    inner = parts[:-1]  # only the last segment may be empty (a folder URL)
    if "\x00" in decoded or "\\" in decoded or any(p in ("..", ".") for p in parts) or "" in inner:
        return _refusal(HTTPStatus.FORBIDDEN)
    return parts


def _request_path(target: str) -> str:
    """The path of a request target, without query or fragment ('//x' stays a path, not a host)."""
    if target.startswith("/"):
        return target.split("?", 1)[0].split("#", 1)[0]
    return urlsplit(target).path or "/"


class Site:
    """Maps request paths to files of the built site, under the configured base path."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live

    def respond(self, raw: str) -> Response:
        """The response for a request path (without its query)."""
        parts = _segments(raw)
        if isinstance(parts, Response):
            return parts
        base = self.live.config.base_path
        decoded = "/" + "/".join(parts)
        if decoded + "/" == base or (decoded == "/" and base != "/"):
            return _redirect(HTTPStatus.FOUND, quote(base))
        with self.live.state.reading() as result:
            if not decoded.startswith(base):
                return self._not_found(result)
            rel = [p for p in decoded[len(base) :].split("/") if p]
            return self._file(raw, rel, result)

    def _file(self, raw: str, rel: list[str], result: BuildResult) -> Response:
        """A file of the site, a folder's index.html, or the 404 page."""
        root = self.live.config.path("output")
        target = root.joinpath(*rel)
        if target.is_dir():
            if not raw.endswith("/"):
                return _redirect(HTTPStatus.MOVED_PERMANENTLY, raw + "/")
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(result)
        if not target.resolve().is_relative_to(root.resolve()):
            return _refusal(HTTPStatus.FORBIDDEN)  # a symlink out of the site
        if result.failure is not None and target.suffix == ".html":
            return self._error(result)
        return self._page(HTTPStatus.OK, target, result)

    def _page(self, status: HTTPStatus, file: Path, result: BuildResult) -> Response:
        """A file as it is on disk; HTML gets the live-reload script added."""
        body = file.read_bytes()
        if file.suffix == ".html":
            root = self.live.config.path("output")
            rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else ""
            body = inject(body, result, self.live.id, rel)
        return Response(status, body, {"Content-Type": content_type(file)})

    def _not_found(self, result: BuildResult) -> Response:
        """The site's 404.html with status 404 (the error page while the build is broken)."""
        if result.failure is not None:
            return self._error(result)
        page = self.live.config.path("output") / "404.html"
        if page.is_file():
            return self._page(HTTPStatus.NOT_FOUND, page, result)
        page_404 = b"<!doctype html><meta charset=utf-8><title>404</title><h1>404</h1>\n"
        body = inject(page_404, result, self.live.id)
        return Response(HTTPStatus.NOT_FOUND, body, {"Content-Type": _HTML})

    def _error(self, result: BuildResult) -> Response:
        """The build-error page."""
        body = error_page(result, self.live.config.root, self.live.id)
        return Response(HTTPStatus.INTERNAL_SERVER_ERROR, body, {"Content-Type": _HTML})


class _HTTPServer(ThreadingHTTPServer):
    """The standard threading server, bound without a reverse-DNS lookup, IPv6-aware."""

    daemon_threads = True  # an open event stream must not keep the process alive

    def __init__(self, address: tuple[str, int], live: LiveServer) -> None:
        self.live = live
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind; HTTPServer's own version calls getfqdn(), which can stall without DNS."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD for site files, and the server-sent events stream of finished builds."""

    server: _HTTPServer
    server_version = "arshif-serve"

    def do_GET(self) -> None:
        """Serve a file or the event stream."""
        path = _request_path(self.path)
        if path == EVENTS_PATH:
            self._events()
        else:
            self._send(Site(self.server.live).respond(path), head=False)

    def do_HEAD(self) -> None:
        """Headers of what GET would send."""
        self._send(Site(self.server.live).respond(_request_path(self.path)), head=True)

    def _send(self, response: Response, head: bool) -> None:
        """Write a response; browsers hanging up mid-way are not errors."""
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _events(self) -> None:
        """Server-sent events: the current build at once, then each new one as it finishes."""
        live = self.server.live
        self.close_connection = True
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n")
            result: BuildResult | None = live.state.result
            epoch = -1
            query = parse_qs(urlsplit(self.path).query)
            page = query.get("page", [""])[0]
            with live.open_pages.open(page):
                self._stream(result, epoch)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _stream(self, result: BuildResult | None, epoch: int) -> None:
        """Send each new build until the browser goes or the server stops."""
        live = self.server.live
        while not live.state.closing:
            if result is None:
                self.wfile.write(b": ping\n\n")  # finds out when the browser has gone
            else:
                data = json.dumps(result.event(live.id), ensure_ascii=False)
                self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                epoch = result.epoch
            self.wfile.flush()
            result = live.state.wait_newer(epoch, live.heartbeat)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the terminal for build output, not one line per request."""


class OpenPages:
    """The site pages browsers have open (their live-reload streams say which), counted."""

    def __init__(self) -> None:
        self._pages: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def open(self, page: str | None) -> Iterator[None]:
        """Count a page as open while its event stream is connected."""
        if page:
            with self._lock:
                self._pages[page] += 1
        try:
            yield
        finally:
            if page:
                with self._lock:
                    self._pages[page] -= 1
                    if self._pages[page] <= 0:
                        del self._pages[page]

    def list(self) -> list[str]:
        """Open pages, most watched first."""
        with self._lock:
            return [page for page, _ in self._pages.most_common()]


class LiveServer:
    """The HTTP server, the watcher, and the build loop of one site.

    A change is handled in two steps. First a quick preview re-renders the pages it shows at
    once (the edited articles and the pages open in a browser) against the last archive, and
    open pages reload. Then the full incremental build settles every index page; requests are
    served the last complete site meanwhile and wait only while the new one is put in place.
    With `run()`, previews come from their own thread, so the next save previews at once
    even while a full build runs; that build, now stale, gives way to the next one.
    """

    def __init__(
        self,
        config: SiteConfig,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        builder: Builder = default_builder,
        clock: Clock = time.monotonic,
        delay: float = 0.05,  # long enough to merge an editor's write-and-rename
        watch: bool = True,
        out: TextIO | None = None,
    ) -> None:
        self.config = config
        self.builder = builder
        self.out = out if out is not None else sys.stderr
        self.id = secrets.token_hex(6)  # a page can tell a restarted server from its own
        self.heartbeat = _HEARTBEAT_SECONDS
        self.settle = _SETTLE_SECONDS
        self.state = BuildState()
        self.queue = ChangeQueue(delay, clock)
        self.own = OwnWrites()
        self.open_pages = OpenPages()
        self.snapshot: Snapshot | None = None  # the last full build's archive, for previews
        self._snapshot_of: SiteConfig | None = None  # the config that build was asked for
        self._previewer = Previewer()
        self._later: list[Plan] = []  # previewed changes waiting for their full build
        self._later_cond = threading.Condition()
        self.httpd = _HTTPServer((host, port), self)  # binds now: a busy port fails here
        self.watcher = Watcher(config, self.queue) if watch else None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Where the site is served."""
        address, port = self.httpd.server_address[:2]
        host = address.decode() if isinstance(address, bytes) else address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}{quote(self.config.base_path)}"

    def start(self) -> None:
        """Start answering requests (they wait for the first build) and watching for changes."""
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, args=(0.1,), name="arshif-http", daemon=True
        )  # a short poll interval makes shutdown quick
        self._thread.start()
        if self.watcher is not None:
            self.watcher.start()

    def rebuild(self, changed: Collection[Path] | None = None) -> Plan:
        """Preview, then fully rebuild, for these changed paths (everything when None).

        Returns the plan it followed. Synchronous: `run()` splits the two steps across threads.
        """
        if changed is None:
            plan = full_plan(self.config)
            with self.state.writing():  # the very first build: requests wait for it
                self._full(plan, initial=True, gate=_no_gate)
        else:
            plan = plan_changes(self.own.drop_own(changed), self.config)
            if not plan.empty:
                self._preview(plan)
                self._full(plan, initial=False, gate=self._swap_gate)
        return plan

    def _preview(self, plan: Plan, defer: bool = False) -> None:
        """Quick-render the pages the change shows first; with defer, queue its full build."""
        snapshot, of, start = self.snapshot, self._snapshot_of, time.perf_counter()
        with self.state.writing():
            if defer:  # queued inside the gate, so a running full build sees it before swapping
                with self._later_cond:
                    self._later.append(plan)
                    self._later_cond.notify_all()
            current = self.state.result
            if snapshot is None or of is not self.config or current.failure:
                return  # no archive yet, or an error page showing: the full build decides
            site = self.config.path("output")
            try:
                changed = self._previewer.preview(
                    snapshot, plan, self.open_pages.list(), lambda p, t: replace_file(site, p, t)
                )
            except Exception as exc:  # a template error and the like: the full build reports it
                self._say(f"preview skipped: {BuildFailure.from_exception(exc).line_text()}")
                return
            if changed:
                seconds = time.perf_counter() - start
                epoch = self.state.result.epoch + 1
                self.state.publish(
                    dataclasses.replace(
                        current, epoch=epoch, reload="page", paths=tuple(changed), seconds=seconds
                    )
                )
                self._say(f"preview {epoch}: {len(changed)} pages in {seconds * 1000:.0f} ms")

    @contextmanager
    def _swap_gate(self) -> Iterator[None]:
        """Requests wait while the new site goes in; a build a newer change made stale gives way."""
        with self.state.writing():
            if self._has_later():
                raise Superseded("a newer change arrived")
            yield

    def _has_later(self) -> bool:
        """Whether changes are waiting for a full build."""
        with self._later_cond:
            return bool(self._later)

    def _full(
        self, plan: Plan, initial: bool, gate: Callable[[], AbstractContextManager[object]]
    ) -> None:
        """Run the whole (incremental) build and publish its outcome as the next epoch."""
        start = time.perf_counter()
        needs_archive = self.snapshot is None or bool(
            set(plan.changes) & {Kind.CONTENT, Kind.SEEDS, Kind.CONFIG}
        )
        try:
            if plan.full and not initial:
                self.config = load_config(self.config.root)
            report = self.builder(self.config, gate=gate, snapshot=needs_archive)
        except Superseded:
            self._say(f"build ({plan.describe()}) superseded by a newer change")
            return
        except Exception as exc:  # any failure is shown in the browser; the server stays up
            failure = BuildFailure.from_exception(exc)
            epoch = self.state.result.epoch + 1
            self._say(f"build {epoch} failed: {failure.line_text()}")
            self.state.publish(
                BuildResult(epoch, "page", failure, seconds=time.perf_counter() - start)
            )
            return
        finally:
            if self.watcher is not None:
                self.watcher.refresh(self.config)  # folders may have appeared, or moved
        if report.snapshot is not None:
            self.snapshot, self._snapshot_of = report.snapshot, self.config
        self._publish(report, plan, initial, time.perf_counter() - start)

    def _publish(self, report: BuildReport, plan: Plan, initial: bool, seconds: float) -> None:
        """Announce a finished build: how open pages refresh, and which of them changed."""
        if report.imported is not None:
            written = report.imported.created + report.imported.updated
            self.own.record(self.config.root / rel for rel in written)
        skipped = tuple(p.message for p in report.log.problems if p.fatal)
        changed = report.changed
        paths = None if changed is None or len(changed) > _MAX_EVENT_PATHS else tuple(changed)
        if report.unchanged:
            paths = ()
        if initial or self.state.result.failure is not None:
            paths = None  # every open page reloads
        epoch = self.state.result.epoch + 1
        result = BuildResult(
            epoch, plan.reload, None, skipped, report.log.warnings, seconds, paths=paths
        )
        self.state.publish(result)
        what = "all" if initial else plan.describe()
        self._say(
            f"build {epoch} ({what}): {report.articles} articles, {report.pages} files"
            f" in {seconds:.2f}s, {len(skipped)} skipped, {report.log.warnings} warnings"
        )
        for line in skipped[:5]:
            self._say(f"  skipped: {line}")

    def _watch_previews(self) -> None:
        """The preview thread: each debounced batch is previewed, then queued for a full build."""
        while not self.state.closing:
            batch = self.queue.wait(timeout=0.5)
            if batch:
                plan = plan_changes(self.own.drop_own(batch), self.config)
                if not plan.empty:
                    self._preview(plan, defer=True)

    def _next_full(self, timeout: float) -> Plan | None:
        """All previewed changes waiting for a full build, as one plan (None when none came).

        Once a change is waiting, we give the browser a moment to fetch its preview before
        the build takes every core, and gather any save that follows meanwhile.
        """
        with self._later_cond:
            if self._later_cond.wait_for(lambda: bool(self._later), timeout):
                self._later_cond.wait_for(lambda: self.state.closing, self.settle)
            plans, self._later = self._later, []
        if not plans:
            return None
        return plan_changes(
            (p for plan in plans for ps in plan.changes.values() for p in ps), self.config
        )

    def run(self) -> None:
        """Preview and rebuild whenever a debounced batch of changes arrives, until stopped."""
        previews = threading.Thread(target=self._watch_previews, name="arshif-preview")
        previews.start()
        try:
            while not self.state.closing:
                plan = self._next_full(timeout=0.5)
                if plan is not None and not plan.empty:
                    self._full(plan, initial=False, gate=self._swap_gate)
        finally:
            self.state.close()
            self.queue.close()
            previews.join(timeout=5)

    def stop(self) -> None:
        """Stop watching, end event streams, shut the HTTP server down and wait for its thread."""
        self.state.close()
        self.queue.close()
        if self.watcher is not None:
            self.watcher.stop()
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
        self.httpd.server_close()

    def _say(self, line: str) -> None:
        """One line on the terminal."""
        print(line, file=self.out, flush=True)


@contextmanager
def _no_gate() -> Iterator[None]:
    """The first build already holds the whole site back from requests."""
    yield


def bind_error(exc: OSError, host: str, port: int) -> str:
    """One line explaining why the server could not listen."""
    if exc.errno == errno.EADDRINUSE:
        return f"cannot serve on {host}:{port}: the port is already in use (try --port {port + 1})"
    if exc.errno == errno.EACCES:
        return f"cannot serve on {host}:{port}: permission denied (try a port above 1023)"
    if isinstance(exc, socket.gaierror):
        return f"cannot serve on {host}:{port}: unknown host {host!r}"
    return f"cannot serve on {host}:{port}: {exc.strerror or exc}"


@contextmanager
def _interrupts() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt in the main thread, even if a parent ignored SIGINT.

    SIGTERM is left alone: worker processes forked by the build inherit handlers, and a pool
    terminates its workers with SIGTERM.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {signal.SIGINT: signal.getsignal(signal.SIGINT)}
    for sig in saved:
        signal.signal(sig, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def serve(
    config: SiteConfig, host: str = "127.0.0.1", port: int = 8000, *, search: bool = False
) -> int:
    """Build, serve and rebuild on change until Ctrl-C; returns the exit code (1: unusable port)."""
    builder = default_builder if search else preview_builder
    try:
        server = LiveServer(config, host, port, builder=builder)
    except OSError as exc:
        print(f"error: {bind_error(exc, host, port)}", file=sys.stderr)
        return 1
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: other machines may see this preview", file=sys.stderr)
    with _interrupts():
        try:
            server.start()
            print(f"serving {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
            server.rebuild()
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
    print("stopped", file=sys.stderr)
    return 0


__all__ = ["LiveServer", "Response", "Site", "bind_error", "content_type", "serve"]
