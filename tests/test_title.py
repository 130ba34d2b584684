"""Title cleaning and headlines derived from the lede."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.extract.arabic import normalise
from generator.extract.title import clean_title, headline_from_lede

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.mark.parametrize(
    ("raw", "title", "section"),
    [
        ("عام / أمير المنطقة يستقبل الوفد", "أمير المنطقة يستقبل الوفد", "عام"),
        ("اقتصادي / ارتفاع أسعار النفط", "ارتفاع أسعار النفط", "اقتصادي"),
        ("حريق في مصنع للأثاث - سكاي نيوز عربية", "حريق في مصنع للأثاث", None),
        ("قمة خليجية طارئة | الشرق الأوسط", "قمة خليجية طارئة", None),
        ("العربية.نت | فوز كبير للمنتخب", "فوز كبير للمنتخب", None),
        ("مصر تسجل إصابات جديدة - Sputnik Arabic", "مصر تسجل إصابات جديدة", None),
        ("&quot;كورونا&quot; يعود&#160;مجددا  ", '"كورونا" يعود مجددا', None),
        ("&#8220;الصحة&#8221; تحذر", "“الصحة” تحذر", None),
        ("بوتين - ترامب: قمة في هلسنكي", "بوتين - ترامب: قمة في هلسنكي", None),
        ("الأمم المتحدة: القرارات قائمة", "الأمم المتحدة: القرارات قائمة", None),
        ("مباراة 2 / 1 في الدوري", "مباراة 2 / 1 في الدوري", None),
        ("حادث على طريق المدينة - مكة", "حادث على طريق المدينة - مكة", None),
    ],
)
def test_clean_title(raw: str, title: str, section: str | None) -> None:
    assert clean_title(raw) == (title, section)


def test_headline_skips_dateline_and_cuts_at_clause() -> None:
    paras = [
        "الرياض 12 شوال 1436 هـ الموافق 28 يوليو 2015 م واس",
        "أعلنت وزارة الصحة تسجيل حالات جديدة بالفيروس في ثلاث مناطق من المملكة، "
        "في حين تعافت حالات أخرى بعد تلقيها العلاج اللازم في المستشفيات.",
    ]
    head = headline_from_lede(paras)
    assert head == "تعلن وزارة الصحة تسجيل حالات جديدة بالفيروس في ثلاث مناطق من المملكة"
    assert len(head.split()) <= 14


def test_headline_drops_cnn_dateline_and_statement_form() -> None:
    paras = ["دبي، الإمارات العربية المتحدة (CNN)— قال وزير الخارجية إن المحادثات ستستأنف قريبا."]
    assert headline_from_lede(paras) == "وزير الخارجية: المحادثات ستستأنف قريبا"


def test_headline_never_longer_than_limit() -> None:
    words = " ".join(f"كلمة{i}" for i in range(40))
    assert len(headline_from_lede([words]).split()) <= 14


def test_headline_of_empty_body() -> None:
    assert headline_from_lede([]) == ""


def _f1(a: str, b: str) -> float:
    """Bag-of-words F1 after normalisation."""
    x, y = normalise(a).split(), normalise(b).split()
    common = sum(min(x.count(w), y.count(w)) for w in set(x))
    return 0.0 if not common else 2 * common / (len(x) + len(y))


@pytest.mark.skipif(not (CORPUS / "plain").is_dir(), reason="shared corpus not present")
def test_derived_headlines_beat_first_ten_words() -> None:
    from generator.extract.body import clean_body

    derived = baseline = 0.0
    for txt in sorted((CORPUS / "plain").glob("*.txt")):
        truth = json.loads(txt.with_suffix(".meta.json").read_text("utf-8"))["title"]
        text = txt.read_text("utf-8")
        derived += _f1(headline_from_lede(clean_body(text, seed_form=True).paragraphs), truth)
        baseline += _f1(" ".join(text.split()[:10]), truth)
    assert derived > baseline * 1.15
