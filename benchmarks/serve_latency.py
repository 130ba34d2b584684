"""How long `arshif serve` takes from saving a file to the browser showing the change.

Run on demand: `/work/venv/bin/python benchmarks/serve_latency.py [--runs 10]`.

The whole shared corpus (its per-source JSON folders; `plain/` and `html/` are left out: `plain/`
holds copies of articles already in the JSON folders, `html/` a handful of raw pages) is imported
into a temporary site's content/. Then `arshif serve` runs as a subprocess and headless Chromium
(Playwright) keeps an article open while we
  1. change the article's Markdown title and time until the page shows it,
  2. change a template (a site-level override of article.html) and time until the page shows it,
and, in process, time a rebuild with nothing changed. A save is first shown by the server's
quick preview (the page re-rendered against the last archive); the full incremental build that
settles tags, related stories and lists follows, and its time is reported beside (parsed from
the server's own log lines).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LEFT_OUT = ("plain", "html")

sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.importer import import_paths  # noqa: E402


def make_site(root: Path) -> Path:
    """A site whose content/ holds the imported corpus; returns the article file to edit."""
    config = load_config(root)
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name not in LEFT_OUT)
    start = time.perf_counter()
    report = import_paths(config, folders)
    print(f"import: {report.articles} articles in {time.perf_counter() - start:.1f}s "
          f"(from {len(folders)} folders; left out: {', '.join(LEFT_OUT)})")
    theme = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "article.html").write_text(theme, encoding="utf-8")
    files = sorted((root / "content").glob("*.md"))
    return files[len(files) // 2]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_served(
    url: str, seconds: float = 900, proc: subprocess.Popen[bytes] | None = None
) -> float:
    """Poll until the server answers 200; the seconds it took (fails if the server died)."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"the server for {url} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=600) as resp:
                if resp.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} was not served within {seconds}s")


def with_title(text: str, title: str) -> str:
    """A content file's text with its front-matter title replaced."""
    return re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.MULTILINE)


def with_marker(template: str, marker: str) -> str:
    """article.html with a marker paragraph at the start of its main block."""
    return template.replace("{% block main %}", f'{{% block main %}}<p id="bench">{marker}</p>', 1)


def timed_changes(
    page: Page, runs: int, change: Callable[[str], object], shown_js: str, label: str,
    settle: Path,
) -> list[float]:
    """Seconds from each change being saved to the page showing it.

    Between changes we wait for the server's full build to finish (its log says so), so
    each change is timed on its own, as an editor saving now and then would see it.
    """
    times: list[float] = []
    for i in range(runs):
        value = f"{label}-{i}-{time.time_ns() % 100000}"
        builds = count_builds(settle)
        start = time.perf_counter()
        change(value)
        page.wait_for_function(shown_js, arg=value, timeout=600_000)
        times.append(time.perf_counter() - start)
        print(f"  {label} {i + 1}/{runs}: {times[-1]:.3f}s", flush=True)
        deadline = time.monotonic() + 600
        while count_builds(settle) <= builds and time.monotonic() < deadline:
            time.sleep(0.1)
    return times


def count_builds(root: Path) -> int:
    """How many builds (not previews) the server has logged."""
    return len(re.findall(r"^build \d+", (root / "serve.log").read_text("utf-8"), re.M))


def browser_latency(root: Path, article: Path, runs: int) -> tuple[list[float], list[float]]:
    """(content latencies, template latencies) measured through a live `arshif serve`."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = (root / "serve.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(root), "--port", str(port)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stderr=log,
    )
    url = f"http://127.0.0.1:{port}/articles/{quote(article.stem)}/"
    try:
        print(f"serve: first build served after {wait_until_served(url):.1f}s")
        original = article.read_text(encoding="utf-8")
        template_file = root / "templates" / "article.html"
        template = template_file.read_text(encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, timeout=600_000)
            def edit_title(value: str) -> None:
                article.write_text(with_title(original, value), encoding="utf-8")

            def edit_template(value: str) -> None:
                template_file.write_text(with_marker(template, value), encoding="utf-8")

            shows_title = "v => document.querySelector('h1')?.innerText === v"
            shows_marker = "v => document.getElementById('bench')?.innerText === v"
            content = timed_changes(page, runs, edit_title, shows_title, "title", settle=root)
            templ = timed_changes(page, runs, edit_template, shows_marker, "template", settle=root)
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=600)
        log.close()
    report_full_builds((root / "serve.log").read_text(encoding="utf-8"))
    return content, templ


def report_full_builds(log: str) -> None:
    """Seconds of the full builds that followed the previews, by kind of change."""
    found: dict[str, list[float]] = {}
    for kind, seconds in re.findall(r"^build \d+ \((\w+) \(\d+\).* in ([\d.]+)s", log, re.M):
        found.setdefault(kind, []).append(float(seconds))
    for kind, times in found.items():
        print(f"full build after a {kind} change (settles every page): median "
              f"{statistics.median(times):.2f}s (n={len(times)})")
    previews = [float(ms) / 1000 for ms in re.findall(r"^preview \d+: .* in (\d+) ms", log, re.M)]
    if previews:
        print(f"quick preview (server side): median {statistics.median(previews) * 1000:.0f} ms")


def hugo_latency(root: Path, article: Path, runs: int) -> list[float] | None:
    """The same title edit through `hugo server` (minimal templates, the same content/ files)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.peers import prepare_hugo

    command = prepare_hugo(root, root / "peers")
    hugo, site = command[0], command[command.index("-s") + 1]
    # Our front matter's `url` is the article's original address; Hugo reads `url` as the
    # page's own permalink, so its copy of content/ calls it source_url.
    content = Path(site) / "content"
    content.unlink()
    content.mkdir()
    for file in (root / "content").glob("*.md"):
        text = file.read_text(encoding="utf-8")
        (content / file.name).write_text(
            re.sub(r"^url:", "source_url:", text, count=1, flags=re.M), encoding="utf-8"
        )
    article = content / article.name
    port = free_port()
    proc = subprocess.Popen(
        [hugo, "server", "-s", site, "--bind", "127.0.0.1", "--port", str(port), "--quiet"],
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{quote(article.stem)}/"
    try:
        print(f"hugo server: first build served after {wait_until_served(url, proc=proc):.1f}s")
        original = article.read_text(encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url, timeout=600_000)
            times: list[float] = []
            for i in range(runs):
                value = f"hugo-{i}-{time.time_ns() % 100000}"
                start = time.perf_counter()
                article.write_text(with_title(original, value), encoding="utf-8")
                page.wait_for_function(
                    "v => document.querySelector('h1')?.innerText === v", arg=value,
                    timeout=600_000,
                )
                times.append(time.perf_counter() - start)
                print(f"  hugo title {i + 1}/{runs}: {times[-1]:.3f}s", flush=True)
                time.sleep(1.0)  # let hugo finish the rest of its rebuild
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    return times


def main(argv: list[str] | None = None) -> int:
    """Build the corpus site, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--hugo", action="store_true", help="also time `hugo server` (bench extra)")
    parser.add_argument("--hugo-only", action="store_true", help="time only `hugo server`")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"the shared corpus is not at {CORPUS}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="arshif-serve-bench-") as tmp:
        root = Path(tmp)
        article = make_site(root)
        config = load_config(root)
        build(config, import_seeds=True)  # the cold build is not what this measures
        rebuilds = []
        for _ in range(3):
            start = time.perf_counter()  # wall time: a no-change build records no phases
            report = build(config, import_seeds=True)
            rebuilds.append(time.perf_counter() - start)
        phases = ", ".join(f"{k} {v:.2f}s" for k, v in report.timings.items())
        print(f"no-change rebuild: median {statistics.median(rebuilds):.2f}s of 3 "
              f"({report.articles} articles, {report.pages} files; last: {phases})")
        content, templ = ([], []) if args.hugo_only else browser_latency(root, article, args.runs)
        hugo = hugo_latency(root, article, args.runs) if args.hugo or args.hugo_only else None
    if content:
        print_arshif(content, templ, rebuilds)
    if hugo:
        print(f"hugo server, content edit → browser shows it: median "
              f"{statistics.median(hugo):.2f}s (min {min(hugo):.2f}, max {max(hugo):.2f})")
    return 0


def print_arshif(content: list[float], templ: list[float], rebuilds: list[float]) -> None:
    """Arshif's figures."""
    print(f"content edit → browser shows it: median {statistics.median(content):.2f}s "
          f"(min {min(content):.2f}, max {max(content):.2f}, n={len(content)})")
    print(f"template edit → browser shows it: median {statistics.median(templ):.2f}s "
          f"(min {min(templ):.2f}, max {max(templ):.2f}, n={len(templ)})")
    median = statistics.median(rebuilds)
    print(f"no-change rebuild (full build(), in process): median {median:.2f}s")


if __name__ == "__main__":
    sys.exit(main())
