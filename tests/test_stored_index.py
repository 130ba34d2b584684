"""The indexes are stored between builds and reused only while every input to them is the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import article_md, write_files
from test_incremental import clean_build, snapshot

import generator.index.stored as stored
from generator.build import build
from generator.cache import load_cached
from generator.config import load_config
from generator.content.model import INDEX_BLIND, Article, index_view
from generator.errors import ProblemLog
from generator.index.archive import Archive, build_archive
from generator.index.grouping import GroupingConfig
from generator.index.stored import stored_archive

BODY = "فقرة عن أسعار النفط في الأسواق العالمية وقرار منظمة أوبك خفض الإنتاج."
SITE = {
    "content/one.md": article_md("النفط يرتفع", "2020-01-02", BODY, tags=["نفط"], source="عكاظ"),
    "content/two.md": article_md("أوبك تخفض", "2020-02-03", BODY, tags=["نفط"], source="سبق"),
    "content/three.md": article_md("مباراة القمة", "2019-12-31", "نص عن الكرة.", tags=["رياضة"]),
    "arshif.yml": "page_size: 2\nsearch: false\n",
}


class Counting:
    """Counts calls to build_archive (and still builds)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, articles: list[Article], grouping: GroupingConfig | None = None) -> Archive:
        """Count, then build."""
        self.calls += 1
        return build_archive(articles, grouping)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Counting:
    """build_archive as the stored index sees it, counted."""
    spy = Counting()
    monkeypatch.setattr(stored, "build_archive", spy)
    return spy


def test_a_template_change_reuses_the_stored_index(tmp_path: Path, counting: Counting) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 1
    write_files(root, {"templates/404.html": "<p>{{ site.title }}</p>\n"})
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 1  # the indexes came from the store
    assert snapshot(root / "site") == clean_build(root, tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        {"content/three.md": article_md("مباراة", "2019-12-31", "نص.", tags=["نفط", "رياضة"])},
        {"content/four.md": article_md("خبر جديد", "2021-01-01", BODY, tags=["نفط"])},
        {"arshif.yml": "page_size: 2\nsearch: false\ngrouping:\n  related_count: 1\n"},
    ],
    ids=["edited", "added", "grouping-setting"],
)
def test_a_changed_input_rebuilds_the_index(
    tmp_path: Path, counting: Counting, change: dict[str, str | bytes]
) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    write_files(root, change)
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 2
    assert snapshot(root / "site") == clean_build(root, tmp_path)


@pytest.mark.parametrize(
    "fields",
    [{"summary": "ملخص جديد للخبر"}, {"author": "كاتب آخر", "url": "https://example.com/x"}],
    ids=["summary", "byline"],
)
def test_an_edit_no_index_reads_keeps_the_stored_index(
    tmp_path: Path, counting: Counting, fields: dict[str, str]
) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    edited = article_md("مباراة القمة", "2019-12-31", "نص عن الكرة.", tags=["رياضة"], **fields)
    write_files(root, {"content/three.md": edited})
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 1  # the indexes came from the store
    site = snapshot(root / "site")
    assert any(next(iter(fields.values())).encode() in page for page in site.values())
    assert site == clean_build(root, tmp_path)


def test_indexes_of_index_views_equal_those_of_whole_articles(tmp_path: Path) -> None:
    rich = {
        "summary": "ملخص عن النفط وأوبك",
        "author": "محرر",
        "section": "اقتصاد",
        "agency": "واس",
        "dateline": "الرياض",
        "url": "https://example.com/a",
        "words": 12,
        "reading_time": 3,
        "seed": "seeds/a.txt",
        "seed_index": 2,
        "seed_hash": "86d657170b3d2572",
        "extra": {"docno": 7},
    }
    assert set(rich) == set(INDEX_BLIND)
    files = {
        f"content/{slug}.md": article_md(title, date, BODY, tags=["نفط"], **rich)
        for slug, title, date in [("a", "النفط يرتفع", "2020-01-02"), ("b", "أوبك", "2020-02-03")]
    }
    root = write_files(tmp_path / "root", {**files, "content/c.md": SITE["content/three.md"]})
    articles = load_cached(root / "content", root, ProblemLog(), None).articles
    views = [index_view(a) for a in articles]
    assert all(
        getattr(v, name) != getattr(a, name)
        for v, a in zip(views, articles, strict=True)
        for name in INDEX_BLIND
        if a.slug != "c"
    )
    whole, seen = build_archive(articles), build_archive(views)
    for name in Archive.__dataclass_fields__:
        if name != "articles":
            assert getattr(seen, name) == getattr(whole, name), name
    assert whole.related  # the fixture does relate something


def test_a_deleted_article_rebuilds_the_index(tmp_path: Path, counting: Counting) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    (root / "content/two.md").unlink()
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 2
    assert snapshot(root / "site") == clean_build(root, tmp_path)


def test_a_damaged_store_is_rebuilt(tmp_path: Path, counting: Counting) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    (root / ".arshif-cache/index.pickle").write_bytes(b"not a pickle")
    write_files(root, {"templates/404.html": "<p>{{ site.title }}</p>\n"})
    build(load_config(root), import_seeds=False, executor="serial")
    assert counting.calls == 2
    assert snapshot(root / "site") == clean_build(root, tmp_path)


def test_the_restored_archive_equals_a_built_one(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    config = load_config(root)
    loaded = load_cached(config.path("content"), root, ProblemLog(), None)
    store = tmp_path / "index.pickle"
    first = stored_archive(loaded.articles, loaded.index_digests, config.grouping, store)
    again = stored_archive(loaded.articles, loaded.index_digests, config.grouping, store)
    assert store.is_file()
    assert again == first == build_archive(loaded.articles, config.grouping)
    assert first.related and first.tags_of  # the fixture does group something
