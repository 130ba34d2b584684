"""End to end: `arshif serve` in a subprocess, headless Chromium, an edit that shows by itself."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, write_files

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"headless Chromium is not at {CHROMIUM}"),
    pytest.mark.skipif(importlib.util.find_spec("playwright") is None,
                       reason="the Python 'playwright' package is not installed"),
]


def article(title: str) -> str:
    """A content file with this title."""
    return f"---\ntitle: {title}\ndate: '2020-01-02'\n---\n\nنص المقال.\n"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_served(url: str, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    """Poll until the server answers 200 (bounded; fails early if the server died)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} was not served within {seconds}s")


def test_an_edited_title_appears_without_a_manual_reload(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    theme_css = (REPO / "static/style.css").read_text(encoding="utf-8")
    site = write_files(tmp_path / "site-root", {"content/story.md": article("العنوان الأول"),
                                                "static/style.css": theme_css})
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--site", str(site), "--port", str(port)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/articles/story/"
        wait_until_served(url, proc)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            assert page.inner_text("h1") == "العنوان الأول"
            page.evaluate("window.__notReloaded = true; document.body.dataset.old = 'yes'")
            (site / "content/story.md").write_text(article("العنوان المعدّل"), encoding="utf-8")
            page.wait_for_function("document.querySelector('h1')?.innerText === 'العنوان المعدّل'",
                                   timeout=20_000)
            # the script fetched the page again and swapped its body in, without a reload
            assert page.evaluate("window.__notReloaded") is True
            assert page.evaluate("document.body.dataset.old") is None
            assert page.title().startswith("العنوان المعدّل")
            css = theme_css + "\nbody { outline: 1px solid red; }\n"
            (site / "static/style.css").write_text(css, encoding="utf-8")
            page.wait_for_function(
                "[...document.querySelectorAll('link[rel=stylesheet]')]"
                ".some(l => l.href.includes('arshif-reload='))"
                " && getComputedStyle(document.body).outlineStyle === 'solid'", timeout=20_000)
            assert page.evaluate("window.__notReloaded") is True  # stylesheets swapped, no reload
            browser.close()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 0, err
        assert "Traceback" not in err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
