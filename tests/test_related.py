"""Related stories: weights, the cut of over-common keywords, threshold, order, older-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from generator.content.model import Article
from generator.index.grouping import GroupingConfig, api_records
from generator.index.related import related

# Text plays no part here: only tags and entities (and dates) are scored.
BASE = GroupingConfig(weight_words=0.0, weight_date=0.0, related_threshold=0.0)
DAY0 = datetime(2020, 1, 1, tzinfo=UTC)


def art(slug: str, day: int | None, **kw: object) -> Article:
    """An article with no text, dated DAY0 + day (or undated)."""
    date = DAY0 + timedelta(days=day) if day is not None else None
    return Article(slug=slug, path=f"{slug}.md", title=slug, body="", date=date, **kw)  # type: ignore[arg-type]


def filler(n: int) -> list[Article]:
    """Unrelated articles, so keywords are rare enough to count."""
    return [art(f"z{i:02d}", 100 + i, places=(f"مكان{i}",)) for i in range(n)]


def test_weights_decide_between_a_shared_person_and_a_shared_place() -> None:
    """The index with the higher weight wins."""
    arts = [
        art("q", 0, people=("سالم الراشد",), places=("تبوك",)),
        art("a", 1, people=("سالم الراشد",)),
        art("b", 1, places=("تبوك",)),
        *filler(20),
    ]
    by_people = GroupingConfig(**{**BASE.__dict__, "weight_people": 2.0, "weight_places": 0.5})
    by_places = GroupingConfig(**{**BASE.__dict__, "weight_people": 0.5, "weight_places": 2.0})
    assert related(arts, {}, by_people)["q"][:2] == ("a", "b")
    assert related(arts, {}, by_places)["q"][:2] == ("b", "a")


def test_over_common_keywords_are_cut() -> None:
    """A tag carried by most of the archive finds nothing; a rare one does."""
    arts = [art(f"a{i:02d}", i) for i in range(30)]
    tags = {a.slug: ["أخبار"] for a in arts}
    tags["a00"] = ["أخبار", "الزلزال"]
    tags["a05"] = ["أخبار", "الزلزال"]
    out = related(arts, tags, BASE)
    assert out["a00"] == ("a05",)
    assert out["a01"] == ()


def test_threshold_drops_weak_candidates() -> None:
    """A high threshold leaves nothing; more shared keywords clear a falling bar."""
    arts = [
        art("q", 0, people=("سالم الراشد",), places=("تبوك",), organisations=("هيئة الطيران",)),
        art("one", 1, people=("سالم الراشد",)),
        art("three", 1, people=("سالم الراشد",), places=("تبوك",), organisations=("هيئة الطيران",)),
        *filler(20),
    ]
    assert (
        related(arts, {}, GroupingConfig(**{**BASE.__dict__, "related_threshold": 100.0}))["q"]
        == ()
    )
    # one shared keyword scores about 1.5 here (bar 2); three score about 1.9 (bar 2/√3)
    mid = GroupingConfig(**{**BASE.__dict__, "related_threshold": 2.0})
    assert related(arts, {}, mid)["q"] == ("three",)


def test_order_is_score_then_date_proximity_then_slug() -> None:
    """Equal scores: the closer story first, then by slug."""
    arts = [
        art("q", 10, places=("تبوك",)),
        art("far", 1, places=("تبوك",)),
        art("near", 9, places=("تبوك",)),
        art("near2", 11, places=("تبوك",)),
        *filler(40),
    ]
    assert related(arts, {}, BASE)["q"] == ("near", "near2", "far")


def test_exclude_removes_same_story_members() -> None:
    """Same-story copies are not listed as related."""
    arts = [art("q", 0, places=("تبوك",)), art("copy", 0, places=("تبوك",)), *filler(20)]
    assert related(arts, {}, BASE, {"q": {"copy"}})["q"] == ()


def test_older_only_lists_older_stories_and_publishing_changes_no_older_page() -> None:
    """Under older-only a new story never alters the lists of the stories before it."""
    cfg = GroupingConfig(
        **{
            **BASE.__dict__,
            "related_older_only": True,
            "weight_date": 1.0,
            "related_threshold": 0.3,
        }
    )
    places = ("تبوك", "أبها", "جازان", "نجران", "حائل", "الباحة")
    early = [art(f"e{i:02d}", -100 + i, organisations=(f"جهة{i}",)) for i in range(40)]
    arts = [art(f"s{i:02d}", i, places=(places[i % 6],)) for i in range(12)] + early
    tags = {f"s{i:02d}": [("السيول", "المطر", "الحر", "الغبار")[i % 4]] for i in range(12)}
    before = related(arts, tags, cfg)
    newer = art("s99", 50, places=places[:2])
    after = related([*arts, newer], {**tags, "s99": ["السيول", "المطر"]}, cfg)
    assert after["s99"]
    for slug, lst in before.items():
        assert after[slug] == lst
        assert all(other < slug for other in lst)  # slugs sort as dates here
    assert any(before[s] for s in before)
    assert related([*arts, art("u", None, places=places)], tags, cfg)["u"] == ()


def test_both_directions_by_default() -> None:
    """Without older-only, later stories are listed too."""
    arts = [art("q", 0, places=("تبوك",)), art("later", 5, places=("تبوك",)), *filler(20)]
    assert related(arts, {}, BASE)["q"] == ("later",)


def test_config_from_mapping_validates() -> None:
    """Unknown keys and wrong types are errors that name the key and what is allowed."""
    cfg = GroupingConfig.from_mapping({"weight_tags": 2, "related_older_only": True})
    assert cfg.weight_tags == 2.0 and cfg.related_older_only
    with pytest.raises(
        ValueError, match=r"grouping\.wieght_tags: unknown key; allowed: .*weight_tags"
    ):
        GroupingConfig.from_mapping({"wieght_tags": 1})
    with pytest.raises(ValueError, match=r"grouping\.related_older_only: allowed true or false"):
        GroupingConfig.from_mapping({"related_older_only": "yes"})
    with pytest.raises(ValueError, match=r"grouping\.related_max_share: allowed a number above 0"):
        GroupingConfig.from_mapping({"related_max_share": 2})
    with pytest.raises(ValueError, match=r"grouping\.tag_aliases: allowed a mapping"):
        GroupingConfig.from_mapping({"tag_aliases": ["x"]})


def test_api_records() -> None:
    """One plain record per article with URL, ISO date, tags, related and same story."""
    arts = [art("a", 0, places=("تبوك",)), art("b", None)]
    recs = api_records(arts, {"a": ["تبوك"]}, {"a": ("b",)}, {"b": ("a",)}, lambda s: f"/{s}/")
    assert recs[0]["slug"] == "a" and recs[0]["url"] == "/a/"
    assert recs[0]["date"] == "2020-01-01T00:00:00+00:00" and recs[1]["date"] is None
    assert recs[0]["related"] == ["b"] and recs[1]["same_story"] == ["a"]
    assert recs[0]["tags"] == ["تبوك"] and recs[0]["places"] == ["تبوك"]


def test_words_count_by_saturating_frequency() -> None:
    """A word repeated in both stories counts more than one mentioned once (BM25-style)."""
    cfg = GroupingConfig(
        weight_tags=0.0,
        weight_people=0.0,
        weight_places=0.0,
        weight_organisations=0.0,
        weight_date=0.0,
        related_threshold=0.0,
    )
    filler = [
        Article(slug=f"f{i:02d}", path="f.md", title=f"كلمة{i}", body=f"نص{i} مختلف{i}")
        for i in range(30)
    ]
    q = Article(slug="q", path="q.md", title="الزلزال", body="الزلزال الزلزال الزلزال البركان")
    much = Article(slug="much", path="m.md", title="الزلزال", body="الزلزال الزلزال الفيضان")
    once = Article(slug="once", path="o.md", title="البركان", body="الفيضان الثلوج")
    assert related([q, much, once, *filler], {}, cfg)["q"][0] == "much"


def test_a_shared_analysis_changes_nothing() -> None:
    """build_archive hands every step one analysis; the result equals a fresh one per step."""
    from generator.index.analysis import analyse

    cfg = GroupingConfig()
    arts = [
        Article(slug=f"a{i}", path=f"a{i}.md", title=title, body=body)
        for i, (title, body) in enumerate(
            [
                ("افتتاح مستشفى جديد في الخرج", "أعلنت وزارة الصحة افتتاح مستشفى جديد في الخرج."),
                ("مستشفى الخرج الجديد", "افتتحت وزارة الصحة مستشفى الخرج الجديد بسعة كبيرة."),
                ("أمطار على الرياض", "هطلت أمطار غزيرة على الرياض وضواحيها اليوم."),
            ]
        )
    ]
    tags = {a.slug: ["الصحة"] for a in arts}
    assert related(arts, tags, cfg, analysis=analyse(arts, cfg)) == related(arts, tags, cfg)
