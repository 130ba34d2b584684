"""Incremental builds give the same bytes as clean builds, after edits, additions and deletions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import article_md, write_files

import generator.build
from generator.build import build
from generator.config import load_config

SITE = {
    "content/one.md": article_md(
        "الخبر الأول", "2020-01-02", "فقرة أولى.", tags=["اقتصاد", "نفط"], source="عكاظ"
    ),
    "content/two.md": article_md(
        "الخبر الثاني", "2020-02-03", "## عنوان\n\nفقرة.", tags=["اقتصاد"], source="عكاظ"
    ),
    "content/three.md": article_md(
        "الخبر الثالث", "2019-12-31", "نص.", tags=["رياضة"], people=["سالم"]
    ),
    "content/four.md": article_md("خبر بلا تاريخ", None, "نص.", tags=["نفط"]),
    "arshif.yml": "page_size: 2\nsearch: false\n",
}


def snapshot(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def clean_build(root: Path, tmp: Path) -> dict[str, bytes]:
    """The same site built from scratch in a copy, without caches."""
    copy = tmp / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", ".arshif-cache", ".site*"))
    build(load_config(copy), import_seeds=False, incremental=False, executor="serial")
    return snapshot(copy / "site")


STEPS: list[dict[str, str | None]] = [
    {},  # nothing changed
    {
        "content/two.md": article_md(
            "الخبر الثاني معدلاً", "2020-02-03", "فقرة جديدة.", tags=["اقتصاد"], source="عكاظ"
        )
    },
    {
        "content/five.md": article_md(
            "خبر جديد", "2021-05-05", "نص.", tags=["رياضة", "نفط"], source="سبق"
        )
    },
    {"content/one.md": None},  # deleted
    {
        "content/three.md": article_md(
            "الخبر الثالث", "2022-01-01", "نص.", tags=["رياضة"], people=["سالم"]
        )
    },
    {"templates/404.html": "<p>{{ site.title }}</p>\n"},
    {"arshif.yml": "page_size: 3\ndigits: arabic-indic\nsearch: false\n"},
    {"content/bad.md": "---\ntitle: [\n---\n"},
]


def apply(root: Path, step: dict[str, str | None]) -> None:
    """Write or delete the files of one step."""
    for rel, text in step.items():
        if text is None:
            (root / rel).unlink()
        else:
            write_files(root, {rel: text})


@pytest.fixture(params=["serial-check", "pooled-check"])
def check_pool(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Unchanged pages checked in this process, or on forked workers as big sites are."""
    if request.param == "pooled-check":
        monkeypatch.setattr(generator.build, "_CHECK_POOL", 0)
    return str(request.param)


def test_incremental_equals_clean_after_each_step(tmp_path: Path, check_pool: str) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False)
    for step in STEPS:
        apply(root, step)
        report = build(load_config(root), import_seeds=False)
        assert snapshot(root / "site") == clean_build(root, tmp_path), step
        assert report.pages == len(
            [p for p in snapshot(root / "site") if not p.startswith("static/")]
        )


def test_a_second_build_without_changes_does_nothing(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False)
    report = build(load_config(root), import_seeds=False)
    assert report.unchanged and "nothing changed" in report.lines()[-1]


def test_one_changed_article_renders_few_pages(tmp_path: Path, check_pool: str) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    first = build(load_config(root), import_seeds=False)
    apply(
        root,
        {
            "content/three.md": article_md(
                "الخبر الثالث معدلاً", "2019-12-31", "نص.", tags=["رياضة"], people=["سالم"]
            )
        },
    )
    report = build(load_config(root), import_seeds=False)
    assert 0 < report.pages - report.reused < first.pages // 2


def test_a_page_edited_in_site_is_rewritten(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False)
    page = root / "site" / "articles" / "one" / "index.html"
    good = page.read_bytes()
    page.write_text("tampered", encoding="utf-8")
    build(load_config(root), import_seeds=False)
    assert page.read_bytes() == good


def test_damaged_cache_is_ignored(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False)
    expected = snapshot(root / "site")
    for cached in (root / ".arshif-cache").rglob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    build(load_config(root), import_seeds=False)
    assert snapshot(root / "site") == expected


def test_patching_removes_unwanted_files_and_the_folders_left_empty(tmp_path: Path) -> None:
    from generator.write import _remove_unwanted

    site = write_files(
        tmp_path / "site",
        {
            "index.html": "a",
            "old.html": "b",
            "articles/kept/index.html": "c",
            "articles/gone/index.html": "d",
            "tags/x/page/2/index.html": "e",
            "tags/y/index.html": "f",
            "tags/y/feed.xml": "g",
        },
    )
    (site / "empty/deeper").mkdir(parents=True)
    wanted = {"index.html", "articles/kept/index.html", "tags/y/index.html"}
    removed = _remove_unwanted(site, wanted)
    assert sorted(removed) == [
        "articles/gone/index.html",
        "old.html",
        "tags/x/page/2/index.html",
        "tags/y/feed.xml",
    ]
    left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    assert left == [
        "articles",
        "articles/kept",
        "articles/kept/index.html",
        "index.html",
        "tags",
        "tags/y",
        "tags/y/index.html",
    ]
