"""Dates: every format, calendar and month set, datelines, weekdays, and the HTML cascade."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from generator.extract.dates import (
    GREGORIAN_MONTHS_AR,
    HIJRI_MONTHS_AR,
    WEEKDAYS_AR,
    FoundDate,
    find_text_date,
    hijri_parts,
    html_date,
    parse_date,
    resolve_weekday,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
PLUS4 = timezone(timedelta(hours=4))


def day_of(text: str) -> date | None:
    """The day parse_date reads in a string (None when it reads none)."""
    found = parse_date(text)
    return found.value.date() if found else None


# --- structured formats --------------------------------------------------------------------


def test_crawler_timestamp_is_naive_with_time() -> None:
    found = parse_date("2015-08-06 10:21:33")
    assert found == FoundDate(datetime(2015, 8, 6, 10, 21, 33), True, "record")
    assert found.iso() == "2015-08-06T10:21:33"


def test_numeric_date_is_day_first_and_has_no_time() -> None:
    found = parse_date("04/12/2016")
    assert found is not None
    assert found.value == datetime(2016, 12, 4)
    assert not found.has_time
    assert found.iso() == "2016-12-04"


def test_iso_offset_is_kept() -> None:
    found = parse_date("2016-12-04T17:04:00+01:00")
    assert found is not None
    assert found.value == datetime(2016, 12, 4, 17, 4, tzinfo=timezone(timedelta(hours=1)))
    assert found.iso() == "2016-12-04T17:04:00+01:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue, 20 Feb 2018 17:49:58 +0400", datetime(2018, 2, 20, 17, 49, 58, tzinfo=PLUS4)),
        ("Mon, 26 Feb 2018 02:20:10 GMT", datetime(2018, 2, 26, 2, 20, 10, tzinfo=UTC)),
        ("Wed, 06 Jun 2018 12:04:24 +0000", datetime(2018, 6, 6, 12, 4, 24, tzinfo=UTC)),
        ("2020-03-17T17:27:41Z", datetime(2020, 3, 17, 17, 27, 41, tzinfo=UTC)),
        ("2020-06-03T03:01+0400", datetime(2020, 6, 3, 3, 1, tzinfo=PLUS4)),
        ("2017-01-22T171800", datetime(2017, 1, 22, 17, 18)),
        ("2020-03-17T17:27:41.250+04:00", datetime(2020, 3, 17, 17, 27, 41, tzinfo=PLUS4)),
    ],
)
def test_feed_and_iso_forms_keep_their_instant(text: str, expected: datetime) -> None:
    found = parse_date(text)
    assert found is not None and found.has_time
    assert found.value == expected
    assert found.value.utcoffset() == expected.utcoffset()


def test_gmt_and_z_become_utc() -> None:
    for text in ("Mon, 26 Feb 2018 02:20:10 GMT", "2018-02-26T02:20:10Z"):
        found = parse_date(text)
        assert found is not None and found.value.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "2020-13-45", "31/02/2016", "04/12/16", "2020", "0000-00-00",
     "30 فبراير 2020", "2020-01-01T25:00:00", "Tue, 20 Foo 2018 17:49:58 +0400",
     "2015-08-06 10:21:33 +9999", "7 أكتوبر", "عام 1993", "1 يناير 1200"],
)  # fmt: skip
def test_invalid_or_incomplete_input_gives_none(text: str) -> None:
    assert parse_date(text) is None


# --- Arabic month sets, digits, Hijri ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 أغسطس 2015", date(2015, 8, 10)),  # Egyptian / Gulf
        ("10 اغسطس 2015", date(2015, 8, 10)),
        ("5 كانون الثاني 2017", date(2017, 1, 5)),  # Levantine
        ("5 كانون ثاني 2017", date(2017, 1, 5)),
        ("1 تشرين الأول 2018", date(2018, 10, 1)),
        ("28 آب/اغسطس 2013", date(2013, 8, 28)),  # combined forms
        ("24 نيسان / أبريل 2020", date(2020, 4, 24)),
        ("26 يوليو (تموز) 2015", date(2015, 7, 26)),
        ("8 فيفري 2019", date(2019, 2, 8)),  # Maghreb
        ("04 جانفي2017", date(2017, 1, 4)),
        ("9 أفريل 2017", date(2017, 4, 9)),
        ("3 ماي 2016", date(2016, 5, 3)),
        ("12 جوان 2017", date(2017, 6, 12)),
        ("4 جويلية 2016", date(2016, 7, 4)),
        ("31 أوت 2016", date(2016, 8, 31)),
        ("2 غشت 2018", date(2018, 8, 2)),  # Moroccan
        ("23 إبريل 1944", date(1944, 4, 23)),
        ("March 5, 2018", date(2018, 3, 5)),
        ("9 من أغسطس 2015", date(2015, 8, 9)),
    ],
)
def test_month_names_of_every_region(text: str, expected: date) -> None:
    assert day_of(text) == expected


def test_eastern_arabic_and_persian_digits() -> None:
    assert day_of("١٢ اغسطس ٢٠١٥") == date(2015, 8, 12)
    assert day_of("۱۲ اغسطس ۲۰۱۵") == date(2015, 8, 12)
    assert day_of("٠٤/١٢/٢٠١٦") == date(2016, 12, 4)


def test_tatweel_and_bidi_marks_inside_dates() -> None:
    assert day_of("1/\u200f1/\u200f2018") == date(2018, 1, 1)
    assert day_of("أغسـطس 9، 2015") == date(2015, 8, 9)


def test_hijri_umm_al_qura_conversion() -> None:
    assert day_of("25 شوال 1436 هـ") == date(2015, 8, 10)
    assert day_of("٢٥ شوال ١٤٣٦هـ") == date(2015, 8, 10)
    assert day_of("2 ذو القعدة 1436") == date(2015, 8, 17)
    assert day_of("1436/10/30هـ") == date(2015, 8, 15)
    assert day_of("14 / 10 / 1436هـ") == date(2015, 7, 30)
    assert day_of("30 ذو الحجة 1436") is not None or day_of("29 ذو الحجة 1436") is not None


def test_impossible_hijri_day_gives_none() -> None:
    assert parse_date("31 شوال 1436 هـ") is None
    assert parse_date("5 رمضان 1200 هـ") is None  # outside the Umm al-Qura tables


def test_both_calendars_give_the_gregorian_one() -> None:
    assert day_of("25 شوال 1436 هـ الموافق 10 اغسطس 2015 م") == date(2015, 8, 10)
    assert day_of("14 / 10 / 1436هـ الموافق 30 / 7 / 2015م") == date(2015, 7, 30)


def test_calendar_conflict_is_rejected() -> None:
    assert parse_date("5 مارس 2018 هـ") is None


def test_arabic_published_time_with_pm_marker() -> None:
    found = parse_date("الأربعاء، 07 أكتوبر 2020 - 12:09 م")
    assert found is not None and found.has_time
    assert found.value == datetime(2020, 10, 7, 12, 9)
    found = parse_date("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً")
    assert found is not None and found.value == datetime(2020, 4, 24, 21, 22)
    found = parse_date("5 مايو 2019 12:30 ص")
    assert found is not None and found.value == datetime(2019, 5, 5, 0, 30)


def test_zone_after_a_text_time_is_kept() -> None:
    found = parse_date("3 مارس 2018 الساعة 14:00 (GMT+0400)")
    assert found is not None and found.value == datetime(2018, 3, 3, 14, 0, tzinfo=PLUS4)
    found = parse_date("3 مارس 2018 10:00 بتوقيت غرينتش")
    assert found is not None and found.value.tzinfo is UTC


# --- datelines in article text ------------------------------------------------------------


def test_agency_dateline_with_both_calendars() -> None:
    found = find_text_date(
        "جنيف 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\nاختتمت اللجنة زيارتها."
    )
    assert found == FoundDate(datetime(2015, 8, 10), False, "text")


def test_place_weekday_dateline() -> None:
    found = find_text_date("الرياض - الأحد 9 أغسطس 2015\nأعلنت الوزارة اليوم عن خطتها.")
    assert found is not None and found.value.date() == date(2015, 8, 9)


def test_dateline_in_second_paragraph_and_glued_era() -> None:
    text = "بقلم محرر الشؤون المحلية\n نجران 26 شوال 1436 هـالموافق 11 اغسطس 2015 م واس\nنص الخبر."
    found = find_text_date(text)
    assert found is not None and found.value.date() == date(2015, 8, 11)


def test_hijri_only_dateline() -> None:
    found = find_text_date("مكة المكرمة 3 رمضان 1440 هـ (واس) - بدأت الرئاسة العامة أعمالها.")
    assert found is not None and found.value.date() == date(2019, 5, 8)


@pytest.mark.parametrize(
    "text",
    [
        "وقع الحادث عام 1993 في الرياض ولم يتكرر.",
        "قال الوزير إن المعرض يقام في 12 سبتمبر 2015 في جدة بمشاركة واسعة من الشركات.",
        "سيغادر يوم غد الخميس 14 / 10 / 1436هـ الموافق 30 / 7 / 2015م ولي العهد إلى الخارج.",
        "أكد مصدر عسكري اليوم الأحد 19 مارس 2017، مقتل ستة من قادة التنظيم في غارة.",
        "مقدمة الخبر.\nالأحد 5 فيفري 2017 : المجموعة الأولى : الفريق الأول ضد الفريق الثاني",
        "الفقرة الأولى.\nالفقرة الثانية.\nالرياض 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس",
        "",
    ],
)
def test_story_dates_are_not_datelines(text: str) -> None:
    assert find_text_date(text) is None


# --- weekdays and Hijri display ------------------------------------------------------------


def test_weekday_resolves_to_latest_on_or_before_publication() -> None:
    monday = date(2015, 8, 10)
    assert resolve_weekday("قال الوزير مساء الأربعاء إن", monday) == date(2015, 8, 5)
    assert resolve_weekday("اليوم الاثنين", monday) == monday
    assert resolve_weekday("أعلنت الهيئة الخميس", monday) == date(2015, 8, 6)
    assert resolve_weekday("اجتمع المجلس يوم الإثنين", datetime(2015, 8, 11, 9)) == monday


def test_weekday_marked_future_resolves_forward() -> None:
    assert resolve_weekday("يقام السباق يوم السبت المقبل", date(2015, 8, 10)) == date(2015, 8, 15)


def test_weekday_without_date_or_name_is_none() -> None:
    assert resolve_weekday("الخميس", None) is None
    assert resolve_weekday("لا يوم هنا", date(2015, 8, 10)) is None


def test_hijri_parts_and_display_tables() -> None:
    assert hijri_parts(date(2015, 8, 10)) == (25, "شوال", 1436)
    assert hijri_parts(date(2019, 5, 8)) == (3, "رمضان", 1440)
    with pytest.raises(ValueError):
        hijri_parts(date(1800, 1, 1))
    assert len(GREGORIAN_MONTHS_AR) == len(HIJRI_MONTHS_AR) == 12
    assert WEEKDAYS_AR[date(2015, 8, 10).weekday()] == "الاثنين"


# --- the HTML cascade ----------------------------------------------------------------------


def page(head: str = "", body: str = "") -> BeautifulSoup:
    """A small article page."""
    title = "<title>عنوان الخبر هنا - الموقع</title>"
    html = f"<html><head>{title}{head}</head><body>{body}</body></html>"
    return BeautifulSoup(html, "lxml")


LD = '<script type="application/ld+json">{}</script>'


def test_meta_wins_over_jsonld_time_and_url() -> None:
    soup = page(
        '<meta property="article:published_time" content="2020-01-02T10:00:00+03:00">'
        + LD.format('{"@type": "NewsArticle", "datePublished": "2020-01-03"}'),
        '<article><time datetime="2020-01-04">4</time></article>',
    )
    found = html_date(soup, "https://x.example/2020/01/05/story")
    assert found is not None and found.origin == "meta:article:published_time"
    assert found.value == datetime(2020, 1, 2, 10, tzinfo=timezone(timedelta(hours=3)))


def test_meta_rank_beats_document_order_and_modified_is_ignored() -> None:
    soup = page(
        '<meta property="article:modified_time" content="2020-02-09">'
        '<meta name="creation_date" content="10-Nov-2000">'
        '<meta name="date" content="2020-02-08">'
        '<meta itemprop="datePublished" content="2020-02-07">'
    )
    found = html_date(soup, None)
    assert found is not None and found.value.date() == date(2020, 2, 7)


def test_arabic_published_time_meta() -> None:
    soup = page(
        '<meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">'
    )
    found = html_date(soup, None)
    assert found is not None and found.value == datetime(2020, 10, 7, 12, 9)


def test_jsonld_graph_prefers_the_article() -> None:
    graph = (
        '{"@graph": [{"@type": "WebPage", "datePublished": "2019-12-31"},'
        ' {"@type": ["NewsArticle"], "datePublished": "2020-01-03T08:00:00Z",'
        ' "publisher": {"@type": "Organization", "foundingDate": "1990-01-01"}}]}'
    )
    found = html_date(page(LD.format(graph)), None)
    assert found is not None and found.origin == "jsonld"
    assert found.value == datetime(2020, 1, 3, 8, tzinfo=UTC)


def test_jsonld_list_and_broken_json() -> None:
    listed = html_date(
        page(LD.format('[{"@type": "Article", "datePublished": "2020-01-06"}]')), None
    )
    assert listed is not None and listed.value.date() == date(2020, 1, 6)
    broken = html_date(page(LD.format('{"datePublished": "2020-01-07", oops}')), None)
    assert broken is not None and broken.value.date() == date(2020, 1, 7)


def test_time_beats_url() -> None:
    soup = page(body='<article><h1>عنوان</h1><time datetime="2020-01-04">٤ يناير</time></article>')
    found = html_date(soup, "https://x.example/2020/01/05/story")
    assert found is not None and found.origin == "time" and found.value.date() == date(2020, 1, 4)


def test_rdfa_and_pubdate_markup() -> None:
    rdfa = '<span property="dc:date" content="2019-02-08T00:00:00+01:00">الجمعة 8 فيفري 2019</span>'
    found = html_date(page(body=rdfa), None)
    assert found is not None and found.value.date() == date(2019, 2, 8)
    sidebar_time = (
        '<aside><time datetime="2019-01-01">x</time><time datetime="2019-01-02">y</time></aside>'
    )
    assert html_date(page(body=sidebar_time), None) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "http://arabic.example.com/2013/middle_east/8/3/syria.clashes/index.html",
            date(2013, 8, 3),
        ),
        ("https://www.example.com/story/2020/8/24/وزير-يشهد/4943459", date(2020, 8, 24)),
        ("https://www.example.ae/news/2020-06-03-1.3874341", date(2020, 6, 3)),
        ("https://example.com/arab_world/202003171044893040-title/", date(2020, 3, 17)),
        ("https://example.com/20200317/title.html", date(2020, 3, 17)),
        ("https://example.com/2020/11/2338761/", None),  # a month is not a day
        ("https://example.com/article/2019123456", None),
    ],
)
def test_url_dates(url: str, expected: date | None) -> None:
    found = html_date(page(), url)
    assert (found.value.date() if found else None) == expected
    if found is not None:
        assert found.origin == "url" and not found.has_time


BANNER = '<div id="top">الأربعاء، 28 آب/اغسطس 2013</div><nav>الرئيسية</nav>'


def test_banner_date_is_not_the_publication_date() -> None:
    body = BANNER + "<h1>عنوان الخبر هنا</h1><p>نص الخبر بلا تاريخ ظاهر.</p>"
    assert html_date(page(body=body), None) is None
    body = BANNER + "<h1>عنوان الخبر هنا</h1><div>نشر في 3 آب 2013</div><p>نص.</p>"
    found = html_date(page(body=body), None)
    assert found is not None and found.origin == "text" and found.value.date() == date(2013, 8, 3)


def test_update_stamp_after_headline_loses_to_url() -> None:
    body = (
        "<h1>CNN</h1><h1>عنوان الخبر هنا</h1><div>الأربعاء، 28 آب/اغسطس 2013، آخر تحديث 14:00</div>"
    )
    assert html_date(page(body=body), None) is None
    found = html_date(page(body=body), "http://example.com/2013/world/8/3/story/index.html")
    assert found is not None and found.value.date() == date(2013, 8, 3)


def test_sidebar_dates_far_from_headline_are_ignored() -> None:
    story = "<p>" + "كلمات الخبر " * 60 + "</p>"
    sidebar = "<ul><li>جريدة الصباح بتاريخ 2019/02/09</li><li>بتاريخ 2019/02/08</li></ul>"
    assert html_date(page(body="<h1>عنوان الخبر هنا</h1>" + story + sidebar), None) is None


# --- the real corpus -----------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}"
)


def reference(value: str) -> datetime:
    """The instant of a corpus date string, read by the standard library per format."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            pass
    if value[:4].isdigit():
        return datetime.fromisoformat(value)
    return parsedate_to_datetime(value)


@pytest.mark.corpus
@needs_corpus
def test_every_corpus_record_date_parses_to_the_right_instant() -> None:
    files = [p for p in CORPUS.glob("*/*.json") if p.parent.name not in ("plain", "html")]
    values = [json.loads(p.read_text(encoding="utf-8"))["date"] for p in files]
    values = [v for v in values if v is not None]
    assert len(values) == 4581
    wrong = []
    for value in values:
        found, ref = parse_date(value), reference(value)
        if found is None or found.value != ref or found.value.utcoffset() != ref.utcoffset():
            wrong.append(value)
    assert wrong == []


@pytest.mark.corpus
@needs_corpus
def test_corpus_html_pages_get_the_right_day() -> None:
    entries = json.loads((CORPUS / "html" / "index.json").read_text(encoding="utf-8"))
    right = 0
    for entry in entries:
        soup = BeautifulSoup((CORPUS / "html" / entry["file"]).read_text(encoding="utf-8"), "lxml")
        found = html_date(soup, entry["url"])
        right += found is not None and found.value.date().isoformat() == entry["published"]
    assert right == len(entries) == 8


# --- properties ----------------------------------------------------------------------------

DATEISH = st.text(
    alphabet="0123456789٠١٢٣٤٥٦٧٨٩/-:.,+ TZهـمصشوالأغسطسينايركانونآبفيفريGMTFebTue", max_size=40
)


@given(st.one_of(st.text(max_size=80), DATEISH))
def test_parsers_never_raise(text: str) -> None:
    found = parse_date(text)
    assert found is None or isinstance(found.value, datetime)
    find_text_date(text)
    resolve_weekday(text, date(2020, 1, 1))


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from([None, UTC, PLUS4, timezone(timedelta(hours=-5, minutes=-30))]),
    st.booleans(),
)
def test_iso_round_trips(value: datetime, tz: timezone | None, has_time: bool) -> None:
    value = value.replace(microsecond=0, tzinfo=tz if has_time else None)
    if not has_time:
        value = value.replace(hour=0, minute=0, second=0)
    found = FoundDate(value, has_time, "text")
    again = parse_date(found.iso())
    assert again is not None
    assert (again.value, again.has_time) == (value, has_time)
    assert again.value.utcoffset() == value.utcoffset()


def test_article_without_headline_uses_the_start_of_the_article() -> None:
    body = "<header>السبت 1 يناير 2022</header><article><p>نشر في 3 مارس 2020</p></article>"
    found = html_date(page(body=body), None)
    assert found is not None and found.value.date() == date(2020, 3, 3)
