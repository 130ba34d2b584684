"""A template edit re-renders the pages that use that template, and only those."""

from __future__ import annotations

from pathlib import Path

from conftest import article_md, write_files
from test_incremental import SITE, clean_build, snapshot

from generator.build import build
from generator.cache import TemplateKeys
from generator.config import load_config
from generator.render.env import theme_dir

THEME = theme_dir("templates")


def _rebuilt(root: Path) -> set[str]:
    """Pages the build rendered again."""
    report = build(load_config(root), import_seeds=False, executor="serial")
    assert len(report.rendered) == report.pages - report.reused
    return set(report.rendered)


def _site(root: Path, template_comment: str) -> set[str]:
    """Site files whose text shows the marker (an HTML comment the template prints)."""
    return {
        p.relative_to(root / "site").as_posix()
        for p in (root / "site").rglob("*.html")
        if template_comment in p.read_text(encoding="utf-8")
    }


def test_editing_one_template_renders_only_its_pages(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    (root / "templates").mkdir()
    list_html = (THEME / "list.html").read_text(encoding="utf-8")
    write_files(root, {"templates/list.html": list_html.replace("</h1>", "</h1><!--v1-->", 1)})
    build(load_config(root), import_seeds=False, executor="serial")
    write_files(root, {"templates/list.html": list_html.replace("</h1>", "</h1><!--v2-->", 1)})
    rebuilt = _rebuilt(root)
    lists = _site(root, "<!--v2-->")
    assert lists and rebuilt == lists  # every list page, and nothing else
    assert not any(p.startswith("articles/") for p in rebuilt)
    assert snapshot(root / "site") == clean_build(root, tmp_path)


def test_editing_a_shared_template_renders_every_page_that_uses_it(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    macros = (THEME / "_macros.html").read_text(encoding="utf-8")
    write_files(root, {"templates/_macros.html": macros + "\n{# edited #}\n"})
    rebuilt = _rebuilt(root)
    articles = {p for p in rebuilt if p.startswith("articles/")}
    assert len(articles) == 4  # article.html imports the macros
    assert "index.html" in rebuilt and "tags/index.html" not in rebuilt  # terms.html does not
    base = (THEME / "base.html").read_text(encoding="utf-8")
    write_files(root, {"templates/base.html": base.replace("</body>", "<!--b--></body>")})
    rebuilt = _rebuilt(root)
    assert rebuilt >= _site(root, "<!--b-->") >= {"tags/index.html", "404.html", "index.html"}
    assert snapshot(root / "site") == clean_build(root, tmp_path)


def test_a_content_edit_still_renders_what_shows_it(tmp_path: Path) -> None:
    root = write_files(tmp_path / "root", dict(SITE))
    build(load_config(root), import_seeds=False, executor="serial")
    write_files(
        root,
        {"content/two.md": article_md("عنوان جديد", "2020-02-03", "فقرة.", tags=["اقتصاد"])},
    )
    rebuilt = _rebuilt(root)
    assert "articles/two/index.html" in rebuilt and "index.html" in rebuilt
    assert snapshot(root / "site") == clean_build(root, tmp_path)


def test_keys_follow_extends_imports_and_the_folder_a_template_comes_from(
    tmp_path: Path,
) -> None:
    theme, own = tmp_path / "theme", tmp_path / "own"
    write_files(
        theme,
        {
            "base.html": "<html>{% block main %}{% endblock %}</html>",
            "page.html": '{% extends "base.html" %}{% block main %}p{% endblock %}',
            "other.html": '{% include "part.html" %}',
            "part.html": "part",
            "dynamic.html": "{% include name %}",
        },
    )
    own.mkdir()
    before = TemplateKeys("s", [own, theme])
    keys = {n: before(n) for n in ("page.html", "other.html", "dynamic.html")}
    write_files(own, {"part.html": "my part"})  # the site overrides an included template
    after = TemplateKeys("s", [own, theme])
    assert after("page.html") == keys["page.html"]
    assert after("other.html") != keys["other.html"]
    assert after("dynamic.html") != keys["dynamic.html"]  # it could include anything
    write_files(theme, {"base.html": "<html><body>{% block main %}{% endblock %}</body></html>"})
    again = TemplateKeys("s", [own, theme])
    assert again("page.html") != keys["page.html"]
    assert TemplateKeys("t", [own, theme])("page.html") != again("page.html")  # settings count
