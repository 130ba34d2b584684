"""Search: normalised forms in the markup, Pagefind on the built site, queries in Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM_ARGS, article_md, read

from generator import search
from generator.config import load_config
from generator.errors import ArshifError, SourceError
from generator.search import (
    KEY_MARK,
    LOOSE_MARK,
    index_markup,
    match_forms,
    query_fold_table,
    text_keys,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright_missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed"
    return None if CHROMIUM else "no chromium binary on PATH (Debian: apt-get install chromium)"


_MISSING = _playwright_missing()
needs_browser = pytest.mark.skipif(_MISSING is not None, reason=f"browser test skipped: {_MISSING}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay silent."""


@contextmanager
def serve_dir(root: Path, prefix: str = "/") -> Iterator[str]:
    """Serve root on 127.0.0.1 under `prefix`, as GitHub Pages serves a project; yield origin."""
    mount = root
    if prefix != "/":
        mount = root.parent / (root.name + "-mount")
        target = mount / prefix.strip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.symlink_to(root, target_is_directory=True)
    handler = functools.partial(_Quiet, directory=str(mount))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def search_in_page(page: Any, query: str) -> list[dict[str, str]]:
    """Type a query into the search page and return the results shown (title, url, excerpt)."""
    page.fill("pagefind-input input", "")
    page.wait_for_function("!document.querySelector('pagefind-results li')", timeout=15000)
    page.fill("pagefind-input input", query)
    page.wait_for_selector("pagefind-results .pf-result-excerpt:not(.pf-skeleton)", timeout=15000)
    page.wait_for_timeout(300)  # results below the fold stay placeholders until scrolled to
    return list(
        page.eval_on_selector_all(
            "pagefind-results li:not(:has(.pf-skeleton))",
            """els => els.map(li => ({
                title: ((li.querySelector('.pf-result-title') || {}).textContent || '').trim(),
                url: (li.querySelector('a') || {}).href || '',
                excerpt: (li.querySelector('.pf-result-excerpt') || {}).innerHTML || ''}))""",
        )
    )


def pagefind_count(page: Any, base: str, query: str) -> int:
    """How many pages Pagefind's own API finds for a query (no folding, no UI)."""
    script = """async ([base, q]) => {
        const pf = await import(base + 'pagefind/pagefind.js');
        return (await pf.search(q)).results.length; }"""
    return int(page.evaluate(script, [base, query]))


# --- index markup (no browser) ---


def test_forms_are_normalised_and_clitic_free() -> None:
    assert match_forms("والكتاب") == ("الكتاب", "كتاب")
    assert match_forms("والحكومة") == ("والحكومه", "الحكومه", "حكومه")
    assert match_forms("مصطفى") == ("مصطفي",)
    assert match_forms("كتاب") == ()  # nothing to add when the word is already its key


def test_index_markup_keeps_text_tags_entities_and_headings() -> None:
    html = "<h2>عنوان والكتاب</h2>\n<p>قرأ &quot;والكتاب&quot; <code>والكتاب</code></p>"
    out = index_markup(html)
    assert out.startswith("<h2>عنوان والكتاب</h2>")
    assert f"&quot;والكتاب<span hidden> {KEY_MARK}" in out
    assert "<code>والكتاب</code></p>" in out and "</span>&quot; <code>" in out
    marks = "كِتَابٌ"
    assert index_markup(f"<p>{marks}</p>").startswith(
        f"<p>{marks}<span"
    )  # marks stay on their word


def test_text_keys_are_escaped_and_marked() -> None:
    assert text_keys("<b>والكتاب</b>") == f"{LOOSE_MARK}الكتاب {LOOSE_MARK}كتاب"
    assert text_keys("كتاب") == ""


def test_search_setting_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "arshif.yml").write_text("search: maybe\n", encoding="utf-8")
    with pytest.raises(SourceError, match="search: 'maybe' is not allowed; expected true or false"):
        load_config(tmp_path)


def test_query_fold_table_comes_from_the_normaliser() -> None:
    table = query_fold_table()
    assert table["أ"] == "ا" and table["ى"] == "ي" and table["ة"] == "ه" and table["\u064e"] == ""
    assert "ب" not in table


# --- a built site ---

SITE = {
    "content/book.md": article_md(
        "معرض للقراءة",
        "2021-03-04",
        "زار الطلاب المعرض والكتاب بين أيديهم.",
        source="صحيفة أ",
        tags=["ثقافة"],
    ),
    "content/ball.md": article_md(
        "مباراة الأمس",
        "2020-05-06",
        "فاز الفريق في مباراة مصطفى الأخيرة.",
        source="صحيفة ب",
        tags=["رياضة"],
    ),
    "content/other.md": article_md(
        "خبر آخر", "2020-05-07", "قال المعلم فالكتاب صديق والحكومة تدعمه.", tags=["ثقافة"]
    ),
    "content/none.md": article_md(
        "خبر رابع",
        "2019-01-01",
        "نص لا علاقة له بالموضوع.",
        read_also=["زمردة نادرة"],
        related_headlines=["ياقوتة ثمينة"],
    ),
}


def test_search_page_and_index_are_built(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    site = root / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-component-ui.js").is_file()
    page = read(root, "search/index.html")
    assert 'bundle-path="/pagefind/"' in page and "<pagefind-results" in page
    article = read(root, "articles/book/index.html")
    assert 'data-pagefind-filter="source:صحيفة أ"' in article
    assert (
        'data-pagefind-filter="year:2021"' in article
        and 'data-pagefind-filter="tag:ثقافة"' in article
    )
    assert article.count("data-pagefind-body") == 2 and "data-pagefind-ignore" in article


def test_index_counts_articles_and_needs_pagefind(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    assert search.run_search_index(root / "site") == 4  # articles only, not list pages
    monkeypatch.setattr(search, "pagefind_executable", lambda: None)
    with pytest.raises(ArshifError, match="Pagefind is not installed"):
        search.run_search_index(root / "site")


def test_search_can_be_turned_off(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site({**SITE, "arshif.yml": "search: false\n"})
    assert not (root / "site" / "pagefind").exists() and not (root / "site" / "search").exists()
    assert KEY_MARK not in read(root, "articles/book/index.html")
    assert 'href="/search/"' not in read(root, "index.html")


@pytest.mark.browser
@needs_browser
def test_search_in_chromium_finds_clitic_and_spelling_forms(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site({**SITE, "arshif.yml": "base_url: https://user.github.io/archive/\n"})
    errors: list[str] = []
    with serve_dir(root / "site", "/archive/") as origin, chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        page.goto(origin + "/archive/search/")
        assert page.get_attribute("html", "dir") == "rtl"
        found = search_in_page(page, "كتاب")  # the articles say only والكتاب and فالكتاب
        assert sorted(r["title"] for r in found) == ["خبر آخر", "معرض للقراءة"]
        found.sort(key=lambda r: r["title"] != "معرض للقراءة")
        assert found[0]["url"] == origin + "/archive/articles/book/"
        assert KEY_MARK not in found[0]["excerpt"] and "<mark>والكتاب</mark>" in found[0]["excerpt"]
        page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
        assert [r["title"] for r in search_in_page(page, "الحكومة")] == ["خبر آخر"]
        assert [r["title"] for r in search_in_page(page, "حكومه")] == ["خبر آخر"]
        assert [r["title"] for r in search_in_page(page, "مصطفي")] == ["مباراة الأمس"]
        titled = search_in_page(page, "قراءه")  # only the title says it (للقراءة)
        assert [r["title"] for r in titled] == ["معرض للقراءة"]
        assert LOOSE_MARK not in titled[0]["excerpt"], titled[0]["excerpt"]
        assert [r["title"] for r in search_in_page(page, "مُصْطَفَى")] == ["مباراة الأمس"]
        for outside in ("زمردة", "ياقوتة", "منظمات", "خريطة"):  # related blocks, nav, footer
            assert pagefind_count(page, "/archive/", outside) == 0, outside
        assert pagefind_count(page, "/archive/", "مباراة") == 1
        page.goto(found[0]["url"])
        assert page.title().startswith("معرض للقراءة")
    assert errors == []
