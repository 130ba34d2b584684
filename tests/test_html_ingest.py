"""HTML reader: main text without chrome, metadata, odd inputs, and the corpus pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import SourceError
from generator.extract.body import clean_body
from generator.extract.title import clean_title
from generator.ingest.html import read_html

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PARA = "أعلنت وزارة الصحة اليوم تسجيل حالات جديدة في عدد من المناطق، وقالت إن الوضع تحت السيطرة."

PAGE = f"""\r
<!DOCTYPE html>\r
<html lang="en-US"><head>\r
<title>عنوان الصفحة | موقع ما</title>\r
<meta property="og:title" content="الصحة تسجل حالات جديدة&#160;- سكاي نيوز عربية">\r
<meta property="og:url" content="https://52.16.95.170/article/1">\r
<meta name="description" content="ملخص قصير">\r
<meta name="author" content="سارة أحمد">\r
</head><body>\r
<nav><ul><li><a href="/">الرئيسية</a></li>\r
<li><a href="/a">سياسة واقتصاد وأخبار محلية</a></li></ul></nav>\r
<div class="sidebar"><p>الأكثر قراءة اليوم في الموقع كله وفي كل الأقسام والأبواب</p></div>\r
<article><h1>الصحة تسجل حالات جديدة</h1>\r
<div itemprop="articleBody"><p>{PARA}</p><p>{PARA}</p>\r
<p>وأضافت الوزارة أن الفرق الطبية تعمل على مدار الساعة.<br>وتابعت أن المستشفيات جاهزة.</p></div>\r
</article>\r
<footer><p>جميع الحقوق محفوظة للموقع ولا يجوز النسخ أو النقل دون إذن</p></footer>\r
</body></html>""".encode()


def test_reads_main_text_and_metadata() -> None:
    raw = read_html(PAGE, "seeds/a.html", "abc")
    assert raw.fmt == "html" and raw.seed == "seeds/a.html" and raw.seed_hash == "abc"
    lines = raw.text.split("\n")
    assert lines[:2] == [PARA, PARA]
    assert "وتابعت أن المستشفيات جاهزة." in lines
    assert (
        "الرئيسية" not in raw.text and "الأكثر قراءة" not in raw.text and "الحقوق" not in raw.text
    )
    assert raw.meta["title"] == "الصحة تسجل حالات جديدة"
    assert raw.meta["author"] == "سارة أحمد"
    assert raw.meta["description"] == "ملخص قصير"
    assert raw.meta["lang"] == "ar"  # the page claims en-US
    assert "url" not in raw.meta  # og:url on a bare IP is not canonical


def test_canonical_link_wins() -> None:
    page = PAGE.replace(
        b"</head>", b'<link rel="canonical" href="https://example.com/news/1"></head>'
    )
    assert read_html(page, "a.html", "x").meta["url"] == "https://example.com/news/1"


def test_page_without_marked_article_uses_density() -> None:
    page = f"""<html><body><div class="menu"><a href="/">رئيسية</a></div>
    <div id="x"><p>{PARA}</p><p>{PARA}</p></div><div><p>قصير</p></div></body></html>""".encode()
    raw = read_html(page, "b.html", "x")
    assert raw.text == f"{PARA}\n{PARA}"


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xff\xfe\x00\xd8\x00"])
def test_bad_input_raises_source_error(data: bytes) -> None:
    with pytest.raises(SourceError) as err:
        read_html(data, "seeds/bad.html", "x")
    assert str(err.value).startswith("seeds/bad.html: ")


def test_windows_1256_page_is_decoded() -> None:
    head = '<html><head><meta charset="windows-1256"></head>'
    page = f"{head}<body><div><p>{PARA}</p></div></body></html>"
    raw = read_html(page.encode("cp1256"), "c.html", "x")
    assert raw.text == PARA


def _pages() -> list[dict[str, str]]:
    """Entries of html/index.json, or none when the corpus is absent."""
    index = CORPUS / "html" / "index.json"
    return json.loads(index.read_text("utf-8")) if index.exists() else []


@pytest.mark.skipif(not (CORPUS / "html").is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("entry", _pages(), ids=lambda e: e["file"])
def test_corpus_pages(entry: dict[str, str]) -> None:
    data = (CORPUS / "html" / entry["file"]).read_bytes()
    raw = read_html(data, entry["file"], "x")
    expected, _ = clean_title(entry["title"])
    assert " ".join(raw.meta["title"].split()) == " ".join(expected.split())
    body = clean_body(raw.text)
    assert len(body.paragraphs) >= 2
    assert sum(len(p) for p in body.paragraphs) > 400
    assert raw.meta["lang"] == "ar"
    nav_phrases = ("اتصل بنا", "سياسة الخصوصية", "جميع الحقوق محفوظة", "تسجيل الدخول", "اشترك في")
    assert not any(w in p for p in body.paragraphs for w in nav_phrases)
    assert not any(p in ("الرئيسية", "أخبار", "رياضة", "اقتصاد") for p in body.paragraphs)
    if "url" in raw.meta:
        assert "52.16.95.170" not in raw.meta["url"]
