"""The dev server and its change planner, in process: fixture sites in tmp_path, port 0."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import write_files

from generator.build import BuildReport, build
from generator.config import SiteConfig, load_config
from generator.serve import Kind, LiveServer, Step, classify, plan_changes
from generator.serve.server import serve
from generator.serve.state import BuildState
from generator.serve.watch import ChangeQueue, OwnWrites

ARTICLE = "---\ntitle: عنوان\ndate: '2020-01-02'\n---\n\nنص\n"
BROKEN_TEMPLATE = '{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n'
FIXED_TEMPLATE = (
    '{% extends "base.html" %}\n{% block main %}\n<h1>{{ article.title }}</h1>\n{% endblock %}\n'
)


def make_config(root: Path, files: dict[str, str | bytes]) -> SiteConfig:
    """A fixture site written into root, with its config loaded."""
    return load_config(write_files(root, files))


@contextmanager
def running(config: SiteConfig, **options: object) -> Iterator[LiveServer]:
    """A started server on a free port, built once, stopped afterwards."""
    options.setdefault("watch", False)
    options.setdefault("out", io.StringIO())
    server = LiveServer(config, "127.0.0.1", 0, **options)  # type: ignore[arg-type]
    server.start()
    try:
        server.rebuild()
        yield server
    finally:
        server.stop()


def origin(server: LiveServer) -> str:
    """'http://127.0.0.1:PORT' of a running server."""
    host, port = server.httpd.server_address[:2]
    return f"http://{host!s}:{port}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let tests see redirects instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        """Never follow."""
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    """(status, headers, text) of a GET, whatever the status."""
    try:
        with _OPENER.open(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def raw_status(server: LiveServer, path: str) -> tuple[int, bytes]:
    """Status and body of a GET sent with the path exactly as given (no client-side normalising)."""
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=10)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


# ---- the change planner -------------------------------------------------------------------


def test_classify_each_kind_and_ignore_the_rest(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"arshif.yml": "seeds_dir: raw\n"})
    r = tmp_path
    assert classify(r / "arshif.yml", config) is Kind.CONFIG
    assert classify(r / "raw/a.txt", config) is Kind.SEEDS
    assert classify(Path("content/sub/a.md"), config) is Kind.CONTENT  # relative to the root
    assert classify(r / "templates/article.html", config) is Kind.TEMPLATES
    assert classify(r / "static/style.css", config) is Kind.STATIC
    assert classify(r / "templates", config) is Kind.TEMPLATES  # the folder itself appearing
    for ignored in [
        "site/index.html",
        "site",
        ".site.new-abc/index.html",
        ".site.old-12",
        "content/.a.md.tmp",
        "content/a.md~",
        "content/.a.md.swp",
        "templates/4913",
        "static/.hidden/x.css",
        "seeds/a.txt",
        "README.md",
        "../elsewhere/content/a.md",
    ]:
        assert classify(r / ignored, config) is None, ignored


def test_plans_list_the_steps_each_change_needs(tmp_path: Path) -> None:
    config = make_config(tmp_path, {})
    r = tmp_path

    def steps(*paths: str) -> tuple[Step, ...]:
        return plan_changes([r / p for p in paths], config).steps

    assert steps("templates/base.html") == (Step.RENDER,)
    assert steps("static/style.css") == (Step.COPY_STATIC,)
    assert steps("content/a.md") == (Step.LOAD, Step.INDEX, Step.RENDER)
    assert steps("seeds/a.json") == (Step.IMPORT, Step.LOAD, Step.INDEX, Step.RENDER)
    assert steps("static/a.css", "templates/x.html") == (Step.RENDER, Step.COPY_STATIC)
    assert steps("arshif.yml", "content/a.md") == tuple(Step)
    assert steps("site/index.html", "content/.a.md.tmp") == ()
    plan = plan_changes([r / "content/a.md", r / "content/b.md", r / "static/x.css"], config)
    assert plan.paths(Kind.CONTENT) == {r / "content/a.md", r / "content/b.md"}
    assert plan.describe() == "content (2), static (1) → load, index, render, copy-static"
    assert plan_changes([r / "arshif.yml"], config).full


def test_reload_kind_swaps_css_only_when_only_css_changed(tmp_path: Path) -> None:
    config = make_config(tmp_path, {})
    r = tmp_path
    assert plan_changes([r / "static/style.css", r / "static/print.css"], config).reload == "css"
    assert plan_changes([r / "static/style.css", r / "static/logo.svg"], config).reload == "page"
    assert plan_changes([r / "static/style.css", r / "content/a.md"], config).reload == "page"
    assert plan_changes([r / "site/style.css"], config).reload == "none"


# ---- debouncing and the build's own writes ---------------------------------------------------


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_changes_in_quick_succession_make_one_batch() -> None:
    clock = FakeClock()
    queue = ChangeQueue(delay=0.15, clock=clock, max_wait=2.0)
    assert queue.take_ready() is None
    for i in range(5):
        queue.put(Path(f"content/{i}.md"))
        clock.now += 0.05
    assert queue.take_ready() is None  # the last change was only 0.05 s ago
    clock.now += 0.11
    assert queue.take_ready() == frozenset(Path(f"content/{i}.md") for i in range(5))
    assert queue.take_ready() is None


def test_a_never_quiet_folder_still_gets_built() -> None:
    clock = FakeClock()
    queue = ChangeQueue(delay=0.15, clock=clock, max_wait=1.0)
    for i in range(30):
        queue.put(Path(f"seeds/{i}.txt"))
        clock.now += 0.1
        if (batch := queue.take_ready()) is not None:
            break
    assert batch is not None and 9 <= len(batch) <= 11


def test_wait_returns_a_due_batch_and_close_wakes_waiters() -> None:
    clock = FakeClock()
    queue = ChangeQueue(delay=0.15, clock=clock)
    queue.put(Path("a"))
    clock.now += 1
    assert queue.wait(timeout=5) == frozenset({Path("a")})
    queue.close()
    assert queue.wait(timeout=5) is None


def test_files_the_build_wrote_trigger_no_rebuild(tmp_path: Path) -> None:
    own = OwnWrites()
    a, b = write_files(tmp_path, {"a.md": "x", "b.md": "y"}) / "a.md", tmp_path / "b.md"
    own.record([a])
    assert own.drop_own([a, b]) == {b}
    a.write_text("edited by hand, longer", encoding="utf-8")
    assert own.drop_own([a]) == {a}


# ---- serving --------------------------------------------------------------------------------


def test_script_is_injected_into_served_html_only(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with running(config) as server:
        status, headers, text = fetch(origin(server) + "/articles/a/")
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert "عنوان" in text and text.count("<script data-arshif-reload") == 1
        assert text.index("data-arshif-reload") < text.rindex("</body>")
        on_disk = (tmp_path / "site/articles/a/index.html").read_text(encoding="utf-8")
        assert "arshif-reload" not in on_disk and "EventSource" not in on_disk
        status, headers, css = fetch(origin(server) + "/static/style.css")
        assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"
        assert "EventSource" not in css
        _, headers, _ = fetch(origin(server) + "/feed.xml")
        assert headers["Content-Type"] == "application/xml; charset=utf-8"
        assert headers["Cache-Control"] == "no-store"


def test_directory_urls_and_the_404_page(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with running(config) as server:
        status, headers, _ = fetch(origin(server) + "/articles/a")
        assert status == 301 and headers["Location"] == "/articles/a/"
        assert fetch(origin(server) + "/")[0] == 200
        status, headers, text = fetch(origin(server) + "/no/such/page/")
        assert status == 404 and "الصفحة غير موجودة" in text and "data-arshif-reload" in text
        assert fetch(origin(server) + "/articles/a/missing.css")[0] == 404


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for the many read-only requests of the traversal tests."""
    root = tmp_path_factory.mktemp("shared")
    config = make_config(root, {"content/a.md": ARTICLE, "arshif.yml": "title: سر\n"})
    with running(config) as server:
        yield server


@pytest.mark.parametrize(
    "path",
    [
        "/../etc/passwd",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/x",
        "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/arshif.yml",
        "/..\\..\\etc\\passwd",
        "/static%5c..%5c..%5carshif.yml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/./index.html",
        "/content/a.md",
        "/../content/a.md",
        "/%00",
        "/%ff%fe",
    ],
)
def test_paths_outside_the_site_are_refused(shared_server: LiveServer, path: str) -> None:
    status, body = raw_status(shared_server, path)
    assert status in (400, 403, 404), path
    assert b"root:" not in body and b"title:" not in body and b"date: '2020" not in body


def test_site_is_served_under_the_base_url_path(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, {"content/a.md": ARTICLE, "arshif.yml": "base_url: https://x.org/archive/\n"}
    )
    with running(config) as server:
        assert server.url.endswith("/archive/")
        for path in ("/", "/archive"):
            status, headers, _ = fetch(origin(server) + path)
            assert status == 302 and headers["Location"] == "/archive/", path
        status, _, text = fetch(origin(server) + "/archive/articles/a/")
        assert status == 200 and 'href="/archive/static/style.css"' in text
        assert fetch(origin(server) + "/archive/static/style.css")[0] == 200
        status, _, text = fetch(origin(server) + "/articles/a/")  # outside the prefix
        assert status == 404 and "data-arshif-reload" in text


def test_build_error_page_shows_file_and_line_then_recovers(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    template = tmp_path / "templates/article.html"
    with running(config) as server:
        write_files(tmp_path, {"templates/article.html": BROKEN_TEMPLATE})
        plan = server.rebuild([template])
        assert plan.steps == (Step.RENDER,)
        for path in ("/articles/a/", "/", "/no/such/"):  # every HTML request while it stands
            status, _, text = fetch(origin(server) + path)
            assert status == 500, path
            assert "templates/article.html:3" in text and "template syntax error" in text
            assert "{% if %}" in text.replace("&#x27;", "'") and "data-arshif-reload" in text
        assert fetch(origin(server) + "/static/style.css")[0] == 200  # assets keep working
        assert isinstance(server.out, io.StringIO) and "failed" in server.out.getvalue()
        write_files(tmp_path, {"templates/article.html": FIXED_TEMPLATE})
        server.rebuild([template])
        status, _, text = fetch(origin(server) + "/articles/a/")
        assert status == 200 and "<h1>عنوان</h1>" in text


def test_a_config_error_is_shown_and_the_server_keeps_running(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with running(config) as server:
        write_files(tmp_path, {"arshif.yml": "title: ok\npage_size: many\n"})
        server.rebuild([tmp_path / "arshif.yml"])
        status, _, text = fetch(origin(server) + "/")
        assert status == 500 and "arshif.yml:2" in text and "page_size" in text
        write_files(tmp_path, {"arshif.yml": "title: أرشيف جديد\n"})
        server.rebuild([tmp_path / "arshif.yml"])
        status, _, text = fetch(origin(server) + "/")
        assert status == 200 and "أرشيف جديد" in text


def test_skipped_files_are_listed_in_a_banner(tmp_path: Path) -> None:
    bad = "---\ntitle: x\ndate: '2020-13-45'\n---\n\nنص\n"
    config = make_config(tmp_path, {"content/a.md": ARTICLE, "content/bad.md": bad})
    with running(config) as server:
        status, _, text = fetch(origin(server) + "/articles/a/")
        assert status == 200 and "data-arshif-problems" in text
        assert "content/bad.md:3:7: date &#x27;2020-13-45&#x27; is not a date" in text
        write_files(tmp_path, {"content/bad.md": ARTICLE})
        server.rebuild([tmp_path / "content/bad.md"])
        assert "data-arshif-problems" not in fetch(origin(server) + "/articles/a/")[2]


def read_event(stream: io.BufferedReader) -> dict[str, object]:
    """The data of the next `build` event on a server-sent events stream."""
    event = None
    while True:
        line = stream.readline().decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "build":
            return dict(json.loads(line[6:]))


def test_event_stream_announces_each_finished_build(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with (
        running(config) as server,
        urllib.request.urlopen(origin(server) + "/__arshif/events", timeout=10) as stream,
    ):
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        first = read_event(stream)
        assert first == {"id": server.id, "epoch": 1, "reload": "page", "error": False}
        server.rebuild([tmp_path / "content/a.md"])
        assert read_event(stream)["epoch"] == 2
        server.rebuild([tmp_path / "static/style.css"])
        event = read_event(stream)
        assert {k: event[k] for k in ("id", "epoch", "reload", "error")} == {
            "id": server.id,
            "epoch": 3,
            "reload": "css",
            "error": False,
        }
        assert event["paths"] == []  # the stylesheet did not really change
        write_files(tmp_path, {"templates/article.html": BROKEN_TEMPLATE})
        server.rebuild([tmp_path / "templates/article.html"])
        assert read_event(stream)["error"] is True


def test_requests_wait_while_the_new_site_goes_in(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    release, started = threading.Event(), threading.Event()

    @contextmanager
    def slow_gate(gate: Callable[[], AbstractContextManager[object]]) -> Iterator[None]:
        with gate():  # the server's own gate: requests are held from here on
            started.set()
            assert release.wait(10)
            yield

    def slow_build(cfg: SiteConfig, **options: Any) -> BuildReport:
        gate = options.pop("gate")
        return build(cfg, gate=lambda: slow_gate(gate), **options)

    with running(config, builder=build) as server:
        server.builder = slow_build
        write_files(tmp_path, {"content/a.md": ARTICLE.replace("نص", "نص جديد")})
        builder = threading.Thread(target=server.rebuild, args=([tmp_path / "content/a.md"],))
        builder.start()
        assert started.wait(10)
        got: list[str] = []
        page = origin(server) + "/articles/a/"
        reader = threading.Thread(target=lambda: got.append(fetch(page)[2]))
        reader.start()
        reader.join(0.3)
        assert reader.is_alive() and not got  # held back while the site is swapped
        release.set()
        builder.join(10)
        reader.join(10)
        assert got and "نص جديد" in got[0]


def test_an_edit_is_previewed_before_the_full_build(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE, "content/b.md": ARTICLE})
    seen: list[str] = []

    def spying_build(cfg: SiteConfig, **options: Any) -> BuildReport:
        page = tmp_path / "site/articles/a/index.html"
        seen.append(page.read_text(encoding="utf-8") if page.exists() else "")
        return build(cfg, **options)

    with (
        running(config, builder=spying_build) as server,
        urllib.request.urlopen(
            origin(server) + "/__arshif/events?page=tags/x/index.html", timeout=10
        ) as stream,
    ):
        assert read_event(stream)["epoch"] == 1
        assert server.open_pages.list() == ["tags/x/index.html"]
        write_files(tmp_path, {"content/a.md": ARTICLE.replace("عنوان", "عنوان منقح")})
        seen.clear()
        server.rebuild([tmp_path / "content/a.md"])
        assert "عنوان منقح" in seen[0]  # already on the page when the full build started
        preview = read_event(stream)
        assert preview["epoch"] == 2 and preview["paths"] == ["articles/a/index.html"]
        full = read_event(stream)  # settles tags and lists
        assert full["epoch"] == 3 and "index.html" in full["paths"]  # the home page lists it
    assert "عنوان منقح" in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_a_template_change_previews_the_open_pages(tmp_path: Path) -> None:
    from generator.serve.server import preview_builder  # what `arshif serve` uses

    config = make_config(
        tmp_path, {"content/a.md": ARTICLE, "templates/article.html": FIXED_TEMPLATE}
    )
    with (
        running(config, builder=preview_builder) as server,
        urllib.request.urlopen(
            origin(server) + "/__arshif/events?page=" + quote("articles/a/index.html"), timeout=10
        ) as stream,
    ):
        read_event(stream)
        write_files(tmp_path, {"templates/article.html": FIXED_TEMPLATE.replace("h1", "h2")})
        server.rebuild([tmp_path / "templates/article.html"])
        assert read_event(stream)["paths"] == ["articles/a/index.html"]  # the preview
        assert "<h2>عنوان</h2>" in fetch(origin(server) + "/articles/a/")[2]
        full = read_event(stream)  # the open page already has the bytes: no second reload
        assert full["epoch"] == 3 and full["paths"] == []


def test_new_and_deleted_files_wait_for_the_full_build(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE, "content/b.md": ARTICLE})
    with (
        running(config) as server,
        urllib.request.urlopen(origin(server) + "/__arshif/events", timeout=10) as stream,
    ):
        read_event(stream)
        (tmp_path / "content/b.md").unlink()
        server.rebuild([tmp_path / "content/b.md"])
        event = read_event(stream)  # no preview: one build, which removed the page
        assert event["epoch"] == 2 and "articles/b/index.html" in event["paths"]
        assert fetch(origin(server) + "/articles/b/")[0] == 404


def test_a_build_made_stale_by_a_newer_change_gives_way(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with running(config) as server:
        write_files(tmp_path, {"content/a.md": ARTICLE.replace("نص", "نص آخر")})
        plan = plan_changes([tmp_path / "content/a.md"], config)
        server._later.append(plan)  # a newer change was previewed while this build ran
        epoch = server.state.result.epoch
        server._full(plan, initial=False, gate=server._swap_gate)
        assert server.state.result.epoch == epoch  # nothing published, the site untouched
        assert "نص آخر" not in (tmp_path / "site/articles/a/index.html").read_text("utf-8")
        assert server._next_full(timeout=0) is not None  # its own full build comes next


def test_a_build_waits_for_requests_in_flight() -> None:
    state = BuildState()
    order: list[str] = []

    def write() -> None:
        with state.writing():
            order.append("w")

    with state.reading():
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.1)
        order.append("r")
    writer.join(5)
    assert order == ["r", "w"]


def test_busy_port_gives_one_line_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(config, "127.0.0.1", port) == 1
    err = capsys.readouterr().err
    hint = f"(try --port {port + 1})"
    assert err == f"error: cannot serve on 127.0.0.1:{port}: the port is already in use {hint}\n"
    assert not (tmp_path / "site").exists()  # no build for a server that cannot listen


def test_watcher_queues_real_changes_and_stops_cleanly(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"content/a.md": ARTICLE, "templates/.keep": ""})
    before = set(threading.enumerate())
    with running(config, watch=True) as server:
        server.queue.take_ready()
        write_files(tmp_path, {"content/a.md": ARTICLE + "\nسطر\n", "content/.b.md.tmp": "x"})
        batch = server.queue.wait(timeout=10)
        assert batch is not None and tmp_path / "content/a.md" in batch
        assert all(classify(p, config) is not None for p in batch)
        plan = server.rebuild(batch)
        assert plan.steps == (Step.LOAD, Step.INDEX, Step.RENDER)
    time.sleep(0.05)  # let stopped threads leave threading.enumerate()
    assert {t for t in threading.enumerate() if t.is_alive()} <= before


def test_serve_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/a.md": ARTICLE})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(tmp_path), "--port", str(port)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(f"http://127.0.0.1:{port}/articles/a/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)  # not listening yet
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err


def test_preview_builds_skip_the_search_index_unless_asked(tmp_path: Path) -> None:
    from conftest import article_md, write_files

    from generator.serve.server import default_builder, preview_builder

    root = write_files(tmp_path / "s", {"content/a.md": article_md("خبر للمعاينة")})
    preview_builder(load_config(root))
    assert (root / "site/articles/a/index.html").is_file() and not (root / "site/pagefind").exists()
    default_builder(load_config(root))
    assert (root / "site/pagefind").is_dir()
