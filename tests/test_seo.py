"""Sharing and discovery: canonical URLs, Open Graph, NewsArticle JSON-LD, a News sitemap."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from conftest import article_md, read

from generator.linkcheck import check_site

EVIL = 'عنوان </script><script>alert(1)</script> & "اقتباس"'
SITE = {
    "arshif.yml": "base_url: https://user.github.io/archive/\ntitle: أرشيف التجربة\n",
    "content/one.md": article_md(
        "خبر أول",
        "2021-02-03T10:00:00+03:00",
        "نص.",
        source="وكالة أ",
        author="كاتب معروف",
        summary="ملخص الخبر",
        tags=["سياسة", "اقتصاد"],
    ),
    "content/two.md": article_md(EVIL, "2021-02-04", "نص </script> آخر.", tags=["سياسة"]),
    "content/old.md": article_md("خبر بلا تاريخ", None, "نص."),
}


def _json_ld(page: str) -> dict[str, object]:
    """The one JSON-LD block of a page, parsed."""
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data: dict[str, object] = json.loads(blocks[0])
    return data


def test_article_head_tags_and_json_ld(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    page = read(root, "articles/one/index.html")
    url = "https://user.github.io/archive/articles/one/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="خبر أول · أرشيف التجربة">' in page
    assert '<meta property="og:description" content="ملخص الخبر">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    data = _json_ld(page)
    assert data["@type"] == "NewsArticle" and data["headline"] == "خبر أول"
    assert data["datePublished"] == "2021-02-03T10:00:00+03:00" and data["inLanguage"] == "ar"
    assert data["author"] == {"@type": "Person", "name": "كاتب معروف"}
    assert data["publisher"] == {"@type": "Organization", "name": "وكالة أ"}
    assert data["mainEntityOfPage"] == url


def test_json_ld_cannot_be_broken_out_of(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    page = read(root, "articles/two/index.html")
    block = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert _json_ld(page)["headline"] == EVIL
    assert "<script>alert" not in page


def test_other_pages_are_canonical_websites(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    tag = read(root, "tags/سياسة/index.html")
    encoded = "/archive/tags/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/"  # سياسة
    assert f'<link rel="canonical" href="https://user.github.io{encoded}">' in tag
    assert '<meta property="og:type" content="website">' in tag
    assert f'href="{encoded}feed.xml"' in tag  # the per-tag feed is linked
    assert "application/ld+json" not in read(root, "index.html")


def test_google_news_sitemap(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    tree = ET.fromstring(read(root, "news-sitemap.xml"))
    urls = tree.findall("s:url", ns)
    assert len(urls) == 2  # undated articles are left out
    assert (
        urls[0].findtext("s:loc", namespaces=ns) == "https://user.github.io/archive/articles/two/"
    )
    news = urls[1].find("n:news", ns)
    assert news is not None
    assert news.findtext("n:publication/n:name", namespaces=ns) == "وكالة أ"
    assert news.findtext("n:publication/n:language", namespaces=ns) == "ar"
    assert news.findtext("n:publication_date", namespaces=ns) == "2021-02-03T10:00:00+03:00"
    assert news.findtext("n:title", namespaces=ns) == "خبر أول"


def test_everything_works_under_a_subpath(make_site) -> None:  # type: ignore[no-untyped-def]
    root, _ = make_site(SITE)
    checked, broken = check_site(root / "site", "/archive/")
    assert checked > 20 and broken == []
    search = read(root, "search/index.html")
    assert 'bundle-path="/archive/pagefind/"' in search and 'base-url="/archive/"' in search
    assert 'src="/archive/pagefind/pagefind-component-ui.js"' in search
    assert 'href="/archive/search/"' in read(root, "index.html")
