"""Entity rules on small invented texts, stopwords, and the sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.extract.arabic import normalise
from generator.extract.entities import entity_key, extract_entities
from generator.extract.stopwords import STOPWORDS, is_stopword

SAMPLE = Path(__file__).resolve().parents[1] / "seeds" / "000_37b764dca38cb101.txt"


@pytest.mark.parametrize(
    "word",
    [
        "قال",
        "وقال",
        "وأضاف",
        "مشيرا",
        "اليوم",
        "أمس",
        "الخميس",
        "يناير",
        "تموز",
        "جانفي",
        "خلال",
        "بحسب",
        "في",
    ],
)
def test_stopwords(word: str) -> None:
    assert is_stopword(normalise(word))


@pytest.mark.parametrize("word", ["بوتين", "روسيا", "كتاب", "وقف"])
def test_not_stopwords(word: str) -> None:
    assert not is_stopword(normalise(word))
    assert normalise(word) not in STOPWORDS


def test_role_pattern_and_surname() -> None:
    ents = extract_entities(
        "لقاء في العاصمة",
        [
            "التقى الرئيس الفنلندي ساولي نينيستو، نظيره الإستوني ألار كاريس.",
            "وقال نينيستو إن اللقاء مثمر.",
        ],
    )
    assert ents.people == ["ساولي نينيستو", "ألار كاريس"]


def test_role_without_name_gives_nobody() -> None:
    ents = extract_entities("", ["قال الرئيس إن الوضع مستقر، ودعا الوزير إلى الهدوء."])
    assert ents.people == []


def test_places_from_lists_and_city_pattern() -> None:
    ents = extract_entities("", ["وصل الوفد إلى بغداد قادما من مدينة زاخوليس بعد زيارة فرنسا."])
    assert ents.places == ["بغداد", "زاخوليس", "فرنسا"]


def test_adjective_is_not_a_place() -> None:
    ents = extract_entities("", ["قالت وزارة الدفاع الروسية إن الطائرات الروسية عادت."])
    assert ents.places == []
    assert ents.organisations == ["وزارة الدفاع الروسية"]


def test_organisation_patterns() -> None:
    ents = extract_entities(
        "",
        ["ناقش مجلس الأمن الدولي تقرير مجموعة كوراليس، ونقلت وكالة رويترز عن الكرملين تعليقا."],
    )
    assert set(ents.organisations) == {"مجلس الأمن الدولي", "مجموعة كوراليس", "رويترز", "الكرملين"}


def test_generic_phrases_are_not_organisations() -> None:
    ents = extract_entities("", ["وصلت مجموعة من الطلاب، ثم مجموعة كبيرة من الزوار."])
    assert ents.organisations == []


def test_aliases_meet() -> None:
    assert entity_key("قرة باغ") == entity_key("قره باغ") == entity_key("ناغورنو قره باغ")
    assert entity_key("سورية") == entity_key("سوريا")


@pytest.mark.skipif(not SAMPLE.exists(), reason="seeds/ sample article is absent")
def test_sample_article() -> None:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    ents = extract_entities(lines[0], lines[1:-3])
    people = {entity_key(n) for n in ents.people}
    places = {entity_key(n) for n in ents.places}
    orgs = {entity_key(n) for n in ents.organisations}
    for name in [
        "فلاديمير بوتين",
        "إيمانويل ماكرون",
        "سيرغي لافروف",
        "شوشان ستيبانيان",
        "جيهون بيراموف",
    ]:
        assert entity_key(name) in people
    assert len(people) == 5
    for name in ["قره باغ", "أذربيجان", "أرمينيا", "روسيا", "فرنسا", "تركيا", "غوريس"]:
        assert entity_key(name) in places
    for name in [
        "وزارة الدفاع الأذربيجانية",
        "مجموعة مينسك",
        "مجلس الأمن الدولي",
        "الكرملين",
        "وكالة تاس",
        "رويترز",
    ]:
        assert entity_key(name) in orgs
