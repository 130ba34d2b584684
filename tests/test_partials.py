"""Rendering shortcuts that must not change output or incremental correctness.

cached(macro, …) renders a macro once per renderer and keeps the calls it recorded; article
pages depend on their own related lists, not the whole mapping; articles.json is one record
per line.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from conftest import article_md, read, write_files

from generator.build import build
from generator.config import load_config
from generator.parallel import Job, PageRenderer, Rendered, Writer, render_serial
from generator.render.env import theme_dir

# A card showing how many articles its source has: the count comes from a recorded call
# (r.term), not from the article itself, so it changes when *another* article changes.
CARD_LIST = """{% extends "base.html" %}
{% macro card(a) %}{% set s = r.term('sources', a.source) %}<li class="card">{{ a.title }} \
[{{ a.source }}: {{ s.count }}]</li>
{% endmacro %}
{% block main %}<ol>{% for a in items %}{{ cached(card, a) }}{% endfor %}</ol>{% endblock %}
"""

SITE = {
    "arshif.yml": "page_size: 10\nsearch: false\nmin_tag_articles: 1\n",
    "templates/list.html": CARD_LIST,
    "content/a.md": article_md("خبر أ", "2020-01-03", "نص.", tags=["نفط"], source="عكاظ"),
    "content/b.md": article_md("خبر ب", "2020-01-02", "نص.", tags=["نفط", "طاقة"], source="عكاظ"),
    "content/c.md": article_md("خبر ج", "2020-01-01", "نص.", tags=["طاقة"], source="سبق"),
}


def snapshot(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def list_pages_with(root: Path, text: str) -> list[str]:
    """The list pages (not article pages) of a built site whose text contains `text`."""
    site = root / "site"
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith("articles/")
        and text in p.read_text(encoding="utf-8")
    )


def test_pages_reusing_a_cached_card_depend_on_what_it_asked(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    showing_b = list_pages_with(root, "خبر ب")
    # b's card is rendered once (home page) and reused on its tag, source and date pages.
    assert len(showing_b) >= 4
    assert all("خبر ب [عكاظ: 2]" in read(root, p) for p in showing_b)
    # a moves to another source: b's card now shows one article for عكاظ. The tag page
    # "طاقة" lists b and c only, whose files did not change: only the card's recorded
    # r.term call says it must be rendered again.
    write_files(
        root,
        {"content/a.md": article_md("خبر أ", "2020-01-03", "نص.", tags=["نفط"], source="سبق")},
    )
    report = build(load_config(root), import_seeds=False, executor="serial")
    assert report.reused > 0
    assert list_pages_with(root, "خبر ب") == showing_b
    for page in showing_b:
        assert "خبر ب [عكاظ: 1]" in read(root, page), page
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".arshif-cache"))
    build(load_config(clean), import_seeds=False, incremental=False, executor="serial")
    assert snapshot(root / "site") == snapshot(clean / "site")


def test_cached_cards_and_chips_render_the_bytes_of_plain_macro_calls(tmp_path: Path) -> None:
    theme = theme_dir("templates")
    plain = {
        "templates/list.html": (theme / "list.html")
        .read_text(encoding="utf-8")
        .replace("cached(article_card, a)", "article_card(a)"),
        "templates/_macros.html": (theme / "_macros.html")
        .read_text(encoding="utf-8")
        .replace("cached(term_link, value, kind)", "term_link(value, kind)"),
    }
    assert all("cached(" not in text for text in plain.values())
    content = {k: v for k, v in SITE.items() if k.startswith("content/")}
    content["content/d.md"] = article_md(
        "خبر د", None, "نص.", tags=["نفط", "طاقة"], people=["سالم"], places=["جدة"]
    )
    settings = {"arshif.yml": "page_size: 2\nsearch: false\n"}
    cached = write_files(tmp_path / "cached", {**settings, **content})
    uncached = write_files(tmp_path / "uncached", {**settings, **content, **plain})
    for root in (cached, uncached):
        build(load_config(root), import_seeds=False, executor="serial")
    assert snapshot(cached / "site") == snapshot(uncached / "site")
    assert "جدة" in read(cached, "articles/d/index.html")


def test_unhashable_arguments_render_the_macro_every_time(tmp_path: Path) -> None:
    page = (
        "{% macro count(values) %}{{ values | length }}{% endmacro %}"
        "{{ cached(count, [1, 2]) }}/{{ cached(count, [1, 2, 3]) }}/{{ cached(count, (1,)) }}"
    )
    root = write_files(
        tmp_path / "root",
        {**SITE, "templates/404.html": page, "templates/list.html": "{{ items | length }}"},
    )
    build(load_config(root), import_seeds=False, executor="serial")
    assert read(root, "404.html") == "2/3/1"


def test_articles_json_is_one_record_per_line_and_html_safe(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "root",
        {**SITE, "content/x.md": article_md("<b>&'أ'</b>", "2020-01-04", "نص.", source="عكاظ")},
    )
    build(load_config(root), import_seeds=False, executor="serial")
    text = read(root, "api/articles.json")
    records = json.loads(text)
    assert [r["slug"] for r in records] == ["x", "a", "b", "c"]
    assert records[0]["title"] == "<b>&'أ'</b>"
    assert not any(c in text for c in "<>&'")
    assert len(text.splitlines()) == len(records) + 2


def test_a_new_article_renders_only_the_article_pages_whose_lists_change(tmp_path: Path) -> None:
    def story(title: str, day: int, body: str, group: str) -> str:
        if group == "energy":
            return article_md(title, f"2020-01-0{day}", body, tags=["نفط", "طاقة"], people=["سالم"])
        return article_md(title, f"2020-01-0{day}", body, tags=["كرة", "ملعب"], places=["جدة"])

    bodies = [
        "ارتفعت أسعار الخام في الأسواق العالمية اليوم.",
        "أعلنت الشركة عن خطة جديدة لزيادة الإنتاج.",
        "اجتمع الوزراء لبحث مستقبل الطاقة المتجددة.",
        "فاز الفريق في المباراة النهائية أمس.",
        "افتتح الملعب الجديد بحضور الجماهير.",
        "أعلن المدرب قائمة اللاعبين للموسم المقبل.",
    ]
    files = {"arshif.yml": "search: false\n"}
    for i, body in enumerate(bodies):
        group = "energy" if i < 3 else "sport"
        files[f"content/{group}{i}.md"] = story(f"خبر {i}", i + 1, body, group)
    root = write_files(tmp_path / "root", files)
    build(load_config(root), import_seeds=False, executor="serial")
    rendered: list[str] = []

    def spy(
        renderer: PageRenderer, jobs: list[Job], todo: list[int], write: Writer
    ) -> Iterator[Rendered]:
        rendered.extend(jobs[i].path for i in todo)
        return render_serial(renderer, jobs, todo, write)

    new = story("خبر جديد عن النفط", 8, "تراجع الطلب على النفط في الربع الأخير.", "energy")
    write_files(root, {"content/energy9.md": new})
    build(load_config(root), import_seeds=False, executor=spy)
    assert "articles/energy9/index.html" in rendered
    assert not [p for p in rendered if p.startswith("articles/sport")], rendered
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".arshif-cache"))
    build(load_config(clean), import_seeds=False, incremental=False, executor="serial")
    assert snapshot(root / "site") == snapshot(clean / "site")
