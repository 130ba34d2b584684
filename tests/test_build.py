"""Whole fixture sites built in tmp_path, asserted on their output files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SEED, article_md, read, write_files

from generator.build import build
from generator.config import load_config
from generator.errors import ArshifError, SourceError
from generator.linkcheck import check_site

SITE = {
    "content/first.md": article_md(
        "الخبر الأول", "2020-01-02", "فقرة أولى.", tags=["اقتصاد", "الاقتصاد"], source="عكاظ"
    ),
    "content/second.md": article_md(
        "الخبر الثاني",
        "2020-02-03T10:00:00+03:00",
        "## عنوان فرعي\n\nفقرة.",
        tags=["اقتصاد"],
        source="عكاظ",
    ),
    "content/third.md": article_md(
        "الخبر الثالث", "2019-12-31", "نص.", tags=["رياضة"], people=["فلاديمير بوتين"]
    ),
    "content/undated.md": article_md("خبر بلا تاريخ", None, "نص."),
}


def test_pages_of_a_small_site(make_site) -> None:  # type: ignore[no-untyped-def]
    root, report = make_site(SITE)
    assert report.articles == 4 and report.log.skipped == 0
    for rel in [
        "index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
        "articles/first/index.html",
        "tags/index.html",
        "tags/اقتصاد/index.html",
        "tags/اقتصاد/feed.xml",
        "sources/index.html",
        "sources/عكاظ/index.html",
        "archive/index.html",
        "archive/2020/index.html",
        "archive/2020/02/index.html",
        "archive/2019/12/index.html",
        "archive/undated/index.html",
        "people/فلاديمير-بوتين/index.html",
    ]:
        assert (root / "site" / rel).is_file(), rel
    home = read(root, "index.html")
    assert '<html lang="ar" dir="rtl">' in home
    assert (
        home.index("الخبر الثاني")
        < home.index("الخبر الأول")
        < home.index("الخبر الثالث")
        < home.index("خبر بلا تاريخ")
    )
    article = read(root, "articles/second/index.html")
    assert '<div class="body" dir="auto">' in article and "<h2>عنوان فرعي</h2>" in article
    assert "3 فبراير 2020" in article
    tags = read(root, "tags/index.html")
    assert (
        'اقتصاد</a> <span class="count">2</span>' in tags
    )  # اقتصاد and الاقتصاد meet under one tag, counted once per article
    assert "رياضة" not in tags  # a tag carried by one article gets no page


def test_articles_cannot_inject_markup(make_site) -> None:  # type: ignore[no-untyped-def]
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    root, _ = make_site(
        {
            "content/x.md": article_md(
                evil,
                "2020-01-01",
                f"{evil}\n\n[link](javascript:alert(3))",
                source=evil,
                tags=[evil, evil + " "],
                summary=evil,
            )
        }
    )
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert (
            "<script>alert" not in text
            and "<img src=x" not in text
            and 'href="javascript:' not in text
        ), page
    for page in (root / "site").rglob("*.xml"):
        ET.fromstring(page.read_text(encoding="utf-8"))  # still well-formed XML


def test_base_url_subpath_and_no_broken_links(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(
        {**SITE, "arshif.yml": "base_url: https://user.github.io/archive/\npage_size: 1\n"}
    )
    home = read(root, "index.html")
    assert 'href="/archive/static/style.css"' in home and 'href="/archive/page/2/"' in home
    checked, broken = check_site(root / "site", "/archive/")
    assert checked > 50 and broken == []
    assert "<loc>https://user.github.io/archive/articles/first/</loc>" in read(root, "sitemap.xml")
    assert "Sitemap: https://user.github.io/archive/sitemap.xml" in read(root, "robots.txt")


def test_pagination(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {
        f"content/a{n:02d}.md": article_md(f"خبر رقم {n}", f"2020-01-{n + 1:02d}")
        for n in range(25)
    }
    root, _ = make_site({**files, "arshif.yml": "page_size: 10\n"})
    assert (root / "site/page/3/index.html").is_file() and not (root / "site/page/4").exists()
    assert "خبر رقم 24" in read(root, "index.html") and "خبر رقم 0<" in read(
        root, "page/3/index.html"
    )
    assert read(root, "page/2/index.html").count('class="card"') == 10


def test_feeds_are_atom(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(read(root, "feed.xml"))
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 4 and entries[0].findtext("a:title", namespaces=ns) == "الخبر الثاني"
    assert entries[0].findtext("a:updated", namespaces=ns) == "2020-02-03T10:00:00+03:00"
    tag_feed = ET.fromstring(read(root, "tags/اقتصاد/feed.xml"))
    assert len(tag_feed.findall("a:entry", ns)) == 2


def test_hijri_and_arabic_indic_digits(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site({**SITE, "arshif.yml": "calendar: both\ndigits: arabic-indic\n"})
    article = read(root, "articles/first/index.html")
    assert "٢ يناير ٢٠٢٠" in article and "جمادى الأولى ١٤٤١ هـ" in article


def test_bad_content_file_is_skipped_and_named(make_site) -> None:  # type: ignore[no-untyped-def]
    _, report = make_site({**SITE, "content/bad.md": '---\ntitle: x\ndate: "2020-13-45"\n---\n'})
    assert report.articles == 4
    assert "content/bad.md:3:7: date '2020-13-45' is not a date" in "\n".join(report.lines())


def test_strict_fails_without_touching_site(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    before = read(root, "index.html")
    write_files(
        root, {"content/bad.md": "no front matter\n", "content/new.md": article_md("خبر جديد")}
    )
    with pytest.raises(ArshifError, match="--strict"):
        build(load_config(root), strict=True)
    assert read(root, "index.html") == before


def test_a_failing_render_leaves_the_old_site(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    before = read(root, "index.html")
    write_files(
        root,
        {
            "templates/article.html": "{% extends 'base.html' %}"
            "{% block main %}{{ missing.x }}{% endblock %}"
        },
    )
    with pytest.raises(
        SourceError, match=r"templates/article.html:1: template error: 'missing' is undefined"
    ):
        build(load_config(root))
    assert read(root, "index.html") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_template_syntax_error_is_located(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    write_files(root, {"templates/404.html": "<p>\n{% if %}</p>"})
    with pytest.raises(SourceError, match=r"templates/404.html:2: template syntax error"):
        build(load_config(root))


def test_site_templates_override_the_default_theme(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site({**SITE, "templates/404.html": "<p>ضائع</p>", "static/extra.css": "p{}"})
    assert read(root, "404.html") == "<p>ضائع</p>"
    assert (root / "site/static/extra.css").is_file() and (root / "site/static/style.css").is_file()


def test_build_imports_seeds(make_site) -> None:  # type: ignore[no-untyped-def]
    root, report = make_site({f"seeds/{SEED.name}": SEED.read_bytes()})
    assert (
        report.articles == 1 and report.imported is not None and len(report.imported.created) == 1
    )
    assert "عربي21" in read(root, "index.html")
    assert (root / "site/archive/undated/index.html").is_file()
    checked, broken = check_site(root / "site")
    assert checked > 10 and broken == []


WIRE = (
    "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في مدينة جدة بطاقة ثلاثمئة سرير لخدمة سكان"
    " المحافظة والقرى المجاورة وقال الوزير إن المشروع يأتي ضمن خطة لتوسيع الخدمات الصحية"
    " في المنطقة الغربية خلال العامين المقبلين"
)


def test_grouping_pages_and_api(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {
        "content/wire-a.md": article_md("افتتاح مستشفى في جدة", "2020-03-01", WIRE, source="عكاظ"),
        "content/wire-b.md": article_md(
            "مستشفى جديد لسكان جدة", "2020-03-01", WIRE, source="المدينة"
        ),
        "content/later.md": article_md(
            "توسعة المستشفى الجديد في جدة",
            "2020-05-01",
            "أعلنت وزارة الصحة توسعة مستشفى جدة الجديد بعد افتتاحه بثلاثمئة سرير.",
            read_also=["«افتتاح مستشفى في جدة»"],
            related_headlines=["عنوان لا يطابق أي خبر في الأرشيف"],
            tags=["مستشفى جدة"],
        ),
    }
    root, _ = make_site(files)
    page = read(root, "articles/wire-a/index.html")
    assert "نُشر أيضاً في" in page and 'href="/articles/wire-b/"' in page
    later = read(root, "articles/later/index.html")
    assert '<a href="/articles/wire-a/">«افتتاح مستشفى في جدة»</a>' in later
    assert '<li dir="auto">عنوان لا يطابق أي خبر في الأرشيف</li>' in later
    import json

    records = {r["slug"]: r for r in json.loads(read(root, "api/articles.json"))}
    assert set(records) == {"wire-a", "wire-b", "later"}
    assert records["wire-a"]["same_story"] == ["wire-b"]
    assert "wire-b" not in records["wire-a"]["related"]
    assert (
        records["later"]["url"] == "/articles/later/"
        and records["later"]["tags"][0] == "مستشفى جدة"
    )
    assert set(records["later"]) >= {"title", "date", "source", "people", "places", "organisations"}
