"""Body cleaning: paragraphs, boilerplate, read-also, related headlines, subheadings; summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.extract.body import clean_body, split_paragraphs
from generator.extract.summary import detect_lang, reading_time, summarise, word_count

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_37b764dca38cb101.txt"
LONG = "وقال المتحدث باسم الوزارة في بيان صدر اليوم إن الفرق الميدانية تواصل عملها في المنطقة."


def test_paragraphs_from_lines_blank_lines_and_indents() -> None:
    text = "\u00a0\u00a0\u00a0\u00a0الفقرة الأولى هنا.\n\n   الفقرة الثانية هنا.\r\n"
    assert split_paragraphs(text) == ["الفقرة الأولى هنا.", "الفقرة الثانية هنا."]


def test_nbsp_runs_split_one_long_line() -> None:
    text = "جملة أولى تامة. \u00a0 جملة ثانية تامة. \u00a0 جملة ثالثة."
    assert split_paragraphs(text) == ["جملة أولى تامة.", "جملة ثانية تامة.", "جملة ثالثة."]


def test_single_nbsp_between_words_is_not_a_break() -> None:
    assert split_paragraphs("ألقت الشرطة القبض\u00a0على خمسة أشخاص") == [
        "ألقت الشرطة القبض على خمسة أشخاص"
    ]


def test_entities_invisible_and_presentation_forms() -> None:
    text = "قال &quot;الوزير&quot; إن\u200f الأمر &#8220;مهم&#8221;&nbsp;جدا \ufefb"
    assert split_paragraphs(text) == ['قال "الوزير" إن الأمر “مهم” جدا لا']


@pytest.mark.parametrize(
    "junk",
    [
        "يمكنكم تلقي إشعارات بأهم الأخبار بعد تنزيل تطبيقنا على هواتفكم.",
        "للتواصل أرسل sms إلى 12345 تبدأ بالرمز 9",
        "لمراسلة الكاتب: someone@example.net",
        "** جميع المقالات المنشورة تمثل رأي كتابها فقط.",
        "* خدمة «واشنطن بوست»",
        " ...المزيد",
        "writer@example.com",
        "// انتهى //",
    ],
)
def test_boilerplate_lines_are_removed_and_recorded(junk: str) -> None:
    body = clean_body(f"{LONG}\n{junk}")
    assert body.paragraphs == [LONG]
    assert body.removed


def test_share_bar_prefix_keeps_the_real_paragraph() -> None:
    body = clean_body(f" شارك من خلال تويتر فيسبوك اكتب رأيك {LONG}")
    assert body.paragraphs == [LONG]
    assert body.removed == ["شارك من خلال تويتر فيسبوك اكتب رأيك"]


def test_sms_footer_split_over_lines() -> None:
    footer = [
        "writer@example.com",
        "للتواصل مع الكاتب ارسل رسالة SMS",
        "تبدأ بالرمز (5) ثم مسافة ثم نص الرسالة إلى",
        "11111 - Stc",
        "22222 - Zain",
    ]
    text = "\n".join([LONG, *footer])
    body = clean_body(text)
    assert body.paragraphs == [LONG]
    assert len(body.removed) == 5


def test_boilerplate_words_inside_real_paragraphs_stay() -> None:
    text = "وأكد أن المشروع يحتاج للمزيد من الدعم.\nوقال لمراسلة الإذاعة إن الوضع هادئ في المدينة."
    assert clean_body(text).paragraphs == text.split("\n")


def test_read_also_same_line_and_list_under_marker() -> None:
    lines = [
        LONG,
        "اقرأ أيضا: عنوان خبر ذي صلة",
        LONG,
        "اقرأ أيضاً:",
        "عنوان أول هنا",
        "عنوان ثان هنا",
    ]
    text = "\n".join([*lines, LONG])
    body = clean_body(text)
    assert body.read_also == ["عنوان خبر ذي صلة", "عنوان أول هنا", "عنوان ثان هنا"]
    assert body.paragraphs == [LONG, LONG, LONG]


def test_seed_form_heading_and_related() -> None:
    related = ["الوزير يزور المدينة ويتفقد المشاريع", "الحكومة تعلن خطة جديدة للطرق"]
    text = "\n".join([LONG, "مقاتلون أجانب", LONG, *related]) + "\n"
    body = clean_body(text, seed_form=True)
    assert body.paragraphs == [LONG, "## مقاتلون أجانب", LONG]
    assert body.related_headlines == [
        "الوزير يزور المدينة ويتفقد المشاريع",
        "الحكومة تعلن خطة جديدة للطرق",
    ]


def test_seed_form_keeps_a_real_last_paragraph() -> None:
    text = f"{LONG}\n{LONG}\nوأضاف أن العمل مستمر حتى نهاية العام"
    assert clean_body(text, seed_form=True).related_headlines == []


def test_related_needs_more_than_one_line() -> None:
    text = f"{LONG}\nالحكومة تعلن خطة جديدة للطرق"
    assert clean_body(text, seed_form=True).related_headlines == []


@pytest.mark.skipif(not SEED.exists(), reason="sample seed article not in this checkout")
def test_sample_seed_article() -> None:
    body = clean_body(SEED.read_text("utf-8"), seed_form=True)
    lines = SEED.read_text("utf-8").strip().split("\n")
    assert "## مقاتلين سوريين" in body.paragraphs
    assert body.read_also == [
        'خبير أذري لـ"عربي21": روسيا تريد ليّ ذراع أرمينيا.. وهذه خيارات باكو (شاهد)'
    ]
    assert body.related_headlines == lines[-3:]
    assert body.paragraphs[-1] == lines[-4]


def test_summary_cuts_at_clause_with_ellipsis() -> None:
    para = "، ".join(["جملة فرعية طويلة نسبيا في الخبر"] * 12) + "."
    out = summarise(["## عنوان", para], max_chars=120)
    assert len(out) <= 122 and out.endswith(" …") and not out.startswith("##")
    assert (
        summarise(["نص قصير لكنه كامل ويكفي للتلخيص هنا."])
        == "نص قصير لكنه كامل ويكفي للتلخيص هنا."
    )


def test_word_count_and_reading_time() -> None:
    assert word_count(["## عنوان قصير", "كلمة وثانية وثالثة"]) == 5
    assert reading_time(0) == 1
    assert reading_time(380) == 2


def test_detect_lang() -> None:
    assert detect_lang("هذا نص عربي") == ("ar", "rtl")
    assert detect_lang("این یک متن فارسی است که کلمات زیادی دارد") == ("fa", "rtl")
    assert detect_lang("The minister said on Monday that the plan is ready") == ("en", "ltr")
    assert detect_lang("Le ministre a dit que le plan est prêt pour les élections") == ("fr", "ltr")


def test_footer_words_inside_a_long_paragraph_keep_it() -> None:
    para = "وقال الباحث التابع لمعهد الفيزياء التطبيقية إن الفريق يعمل على تصميم جهاز جديد " * 3
    assert clean_body(para).paragraphs == [para.strip()]


def test_follow_us_footer() -> None:
    body = clean_body(f"{LONG}\nتابعونا على تويتر وفيسبوك لمعرفة آخر الأخبار")
    assert body.paragraphs == [LONG]
