"""The whole shared corpus: every article imports, round-trips, re-imports unchanged, and links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from generator.build import build
from generator.config import load_config
from generator.content import frontmatter
from generator.importer import ImportReport, import_paths
from generator.linkcheck import check_site

pytestmark = [needs_corpus, pytest.mark.corpus]


def corpus_inputs() -> list[Path]:
    """The 19 outlet folders of JSON articles, the plain-text articles and the raw HTML pages."""
    outlets = [
        p for p in sorted(CORPUS.iterdir()) if p.is_dir() and p.name not in ("plain", "html")
    ]
    return [*outlets, CORPUS / "plain", *sorted((CORPUS / "html").rglob("*.html"))]


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportReport]:
    """A site with the whole corpus imported once."""
    root = tmp_path_factory.mktemp("corpus")
    return root, import_paths(load_config(root), corpus_inputs())


def test_every_article_imports_without_a_crash(corpus_site: tuple[Path, ImportReport]) -> None:
    root, report = corpus_site
    kinds = report.log.counts()
    assert kinds["extraction failed"] == 0, report.log.summary()
    # 4,581 JSON files + 300 plain + 8 HTML; plain texts repeat JSON articles, so they are exact
    # duplicates; only records with neither text nor title are skipped.
    seen = len(report.created) + len(report.duplicates) + report.log.skipped
    assert seen == 4581 + 300 + 8
    assert all("neither text nor title" in p.message for p in report.log.problems if p.fatal)
    assert len(list((root / "content").glob("*.md"))) == len(report.created)


def test_front_matter_round_trips(corpus_site: tuple[Path, ImportReport]) -> None:
    root, _ = corpus_site
    for file in (root / "content").glob("*.md"):
        data, body = frontmatter.parse(file.read_text(encoding="utf-8"), file.name)
        again = frontmatter.parse(frontmatter.dump(data, body), file.name)
        assert again == (data, body), file.name


def test_second_import_changes_nothing(corpus_site: tuple[Path, ImportReport]) -> None:
    root, first = corpus_site
    before = {p.name: p.read_bytes() for p in (root / "content").glob("*.md")}
    again = import_paths(load_config(root), corpus_inputs())
    assert not again.created and not again.updated and len(again.unchanged) == len(first.created)
    assert {p.name: p.read_bytes() for p in (root / "content").glob("*.md")} == before


@pytest.mark.parametrize("base_url", ["/", "https://user.github.io/archive/"])
def test_built_site_has_no_broken_internal_link(
    corpus_site: tuple[Path, ImportReport], base_url: str
) -> None:
    root, first = corpus_site
    (root / "arshif.yml").write_text(f"base_url: {base_url}\n", encoding="utf-8")
    try:
        report = build(load_config(root), import_seeds=False)
        assert report.articles == len(first.created) and report.log.skipped == 0
        config = load_config(root)
        checked, broken = check_site(root / "site", config.base_path)
        assert checked > 50_000 and broken == [], broken[:10]
    finally:
        (root / "arshif.yml").unlink()
        shutil.rmtree(root / "site", ignore_errors=True)
