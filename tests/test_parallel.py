"""Serial and process-pool builds write byte-identical sites."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import article_md, write_files
from hypothesis import given, settings
from hypothesis import strategies as st
from test_incremental import snapshot

from generator import parallel
from generator.build import build
from generator.cache import plain_markdown
from generator.config import load_config
from generator.render.env import markdown, percent_encode

TAGS = ["اقتصاد", "نفط", "رياضة", "سياسة", "صحة"]


def site_files(n: int = 40) -> dict[str, str]:
    """A site of n articles sharing a few tags."""
    files: dict[str, str] = {"arshif.yml": "page_size: 3\nsearch: false\n"}
    for i in range(n):
        tags = [TAGS[i % 5], TAGS[(i * 3) % 5]]
        files[f"content/a{i:03d}.md"] = article_md(
            f"خبر رقم {i}",
            f"20{10 + i % 12}-0{1 + i % 9}-1{i % 10}",
            f"فقرة {i}.\n\n## عنوان\n\nنص.",
            tags=tags,
            source=["عكاظ", "سبق"][i % 2],
            people=["سالم"] if i % 4 == 0 else [],
        )
    return files


def built(tmp: Path, name: str, executor: str) -> dict[str, bytes]:
    """Build the fixture site from scratch with one executor."""
    root = write_files(tmp / name, site_files())
    build(load_config(root), import_seeds=False, executor=executor, incremental=False)
    return snapshot(root / "site")


def test_process_pool_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 0)
    serial = built(tmp_path, "serial", "serial")
    pooled = built(tmp_path, "pooled", "processes")
    assert len(serial) > 60 and pooled == serial


def test_a_template_error_in_a_worker_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "POOL_THRESHOLD", 0)
    root = write_files(tmp_path / "root", site_files())
    build(load_config(root), import_seeds=False)
    before = snapshot(root / "site")
    write_files(
        root,
        {
            "templates/article.html": "{% extends 'base.html' %}"
            "{% block main %}{{ nope.x }}{% endblock %}"
        },
    )
    with pytest.raises(Exception, match="nope"):
        build(load_config(root), import_seeds=False)
    assert snapshot(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site.new")]


def test_unknown_executor_is_named() -> None:
    with pytest.raises(ValueError, match="unknown executor 'gpu'"):
        parallel.executor_for("gpu")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet='اب ع1#*_-."&<>[]\\`\u00a0\t=+!)\n', max_size=60))
def test_plain_markdown_is_markdown_it_or_declines(body: str) -> None:
    fast = plain_markdown(body)
    assert fast is None or fast == markdown().render(body)


_PIECES = ["- ", "* ", "+ ", "-", "1. ", "2) ", "12 ", "1999- ", "# ", "## ", " ", "نص"]
_PIECES += ["ب ع", '"', "_", "a_b", "\u00a0", "-- ", "- - -", "* * *", "---", "===", "\t", ">"]
_LINES = st.lists(st.sampled_from(_PIECES), max_size=5).map("".join)
_BREAKS = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n \n"])
_BLOCKS = st.lists(st.tuples(_LINES, _BREAKS), max_size=8).map(lambda xs: "".join(map("".join, xs)))


@settings(max_examples=3000, deadline=None)
@given(_BLOCKS)
def test_plain_markdown_of_block_shaped_text_is_markdown_it_or_declines(body: str) -> None:
    fast = plain_markdown(body)
    assert fast is None or fast == markdown().render(body)


@pytest.mark.parametrize(
    "body",
    [
        "- بند أول\n\n- بند ثان\n\nفقرة بعد القائمة.",
        "- بند وحيد",
        "* بند\n\n- بند بعلامة أخرى يبدأ قائمة أخرى",
        "فقرة\n\n+ بند\n\n## عنوان\n\n- بند 12 شهرا",
        "1999- سنة\n\n2 - بند ليس قائمة مرقمة\n\n-بلا مسافة ليس بندا",
    ],
)
def test_bullet_lists_take_the_fast_path(body: str) -> None:
    assert plain_markdown(body) == markdown().render(body)


@pytest.mark.parametrize("body", ["- بند\n- بند ملاصق", "- 1. مرقمة داخل بند", "2. مرقمة", "-"])
def test_lists_the_fast_path_does_not_know_decline(body: str) -> None:
    assert plain_markdown(body) is None


def test_plain_prose_takes_the_fast_path() -> None:
    body = 'فقرة أولى فيها "اقتباس" و#وسم_مركب.\nسطر ثان.\n\n## عنوان فرعي\n\nفقرة.'
    assert plain_markdown(body) == markdown().render(body)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_percent_encode_is_urllib_quote(text: str) -> None:
    assert percent_encode(text) == quote(text, safe="/#?=&")
