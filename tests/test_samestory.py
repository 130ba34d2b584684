"""Same story: wire copies under different headlines meet; different stories on one topic do not."""

from __future__ import annotations

from generator.content.model import Article
from generator.index.samestory import same_story

WIRE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في محافظة الخرج بسعة ثلاثمئة سرير، "
    "وذلك ضمن خطة الوزارة لتوسيع الخدمات الصحية في المحافظات. وأوضح المتحدث الرسمي للوزارة "
    "أن المستشفى يضم أقساما للطوارئ والعناية المركزة وجراحة القلب، وأن العمل فيه سيبدأ مطلع "
    "الشهر المقبل بعد اكتمال تجهيزه بأحدث الأجهزة الطبية. وأضاف أن الوزارة تعمل على استقطاب "
    "الكفاءات الوطنية لتشغيل المستشفى، وأن خطة التوظيف تشمل ألف وظيفة صحية وإدارية."
)
OTHER_TOPIC_SAME_FIELD = (
    "وقعت وزارة الصحة اتفاقية مع جامعة الملك سعود لتدريب الأطباء المقيمين في مستشفيات "
    "المنطقة الوسطى، وتشمل الاتفاقية برامج للتعليم المستمر وتبادل الخبرات بين الجانبين. "
    "وقال مدير الجامعة إن البرنامج يبدأ العام المقبل ويستهدف خمسمئة طبيب في تخصصات الطوارئ "
    "والعناية المركزة وجراحة القلب، مؤكدا أن الجامعة ستوفر المختبرات والقاعات اللازمة للتدريب."
)


def art(slug: str, title: str, body: str) -> Article:
    """A small article for the tests."""
    return Article(slug=slug, path=f"{slug}.md", title=title, body=body)


def test_wire_copies_with_different_headlines_are_one_story() -> None:
    """The same text with another headline, dateline and a trimmed end is grouped."""
    a = art("paper-a", "افتتاح مستشفى جديد في الخرج", WIRE)
    b = art(
        "paper-b",
        "الصحة: 300 سرير في مستشفى الخرج الجديد",
        "الرياض - واس\n" + WIRE.rsplit("وأضاف", 1)[0],
    )
    c = art("paper-c", "الصحة توقع اتفاقية تدريب", OTHER_TOPIC_SAME_FIELD)
    groups = same_story([a, b, c])
    assert groups == {"paper-a": ("paper-b",), "paper-b": ("paper-a",)}


def test_different_stories_on_one_topic_are_not_grouped() -> None:
    """Shared vocabulary is not shared text."""
    a = art("x", "مستشفى جديد", WIRE)
    b = art("y", "اتفاقية تدريب", OTHER_TOPIC_SAME_FIELD)
    assert same_story([a, b]) == {}


def test_short_or_empty_bodies_are_never_grouped() -> None:
    """Two empty bodies, or two identical one-liners, say nothing about the story."""
    arts = [
        art("e1", "عنوان أول", ""),
        art("e2", "عنوان ثان", ""),
        art("s1", "خبر", "شارك من خلال تويتر فيسبوك"),
        art("s2", "خبر آخر", "شارك من خلال تويتر فيسبوك"),
    ]
    assert same_story(arts) == {}


def test_groups_are_transitive_and_sorted() -> None:
    """Three copies form one group; each lists the others in slug order."""
    arts = [art(s, f"عنوان {s}", WIRE) for s in ("c3", "c1", "c2")]
    assert same_story(arts) == {"c1": ("c2", "c3"), "c2": ("c1", "c3"), "c3": ("c1", "c2")}


def test_shingles_are_stable_and_skip_breaks() -> None:
    """The same text gives the same hashes in every run; punctuation changes nothing."""
    from generator.index.samestory import shingles

    a = shingles("أعلنت الوزارة اليوم عن خطة جديدة للنقل العام في المدينة", 4)
    b = shingles("أعلنت الوزارة، اليوم، عن خطة جديدة للنقل العام في المدينة.", 4)
    assert a == b and len(a) == 7
    assert shingles("كلمتان فقط", 4) == frozenset()


def test_a_shared_template_under_unrelated_headlines_is_not_one_story() -> None:
    """A bulletin template filled in for another place is grouped only if headlines agree."""
    from generator.index.samestory import shingles

    tail = (
        " المنطقة الشرقية، وذلك بعد ثبوت إدانته بالجريمة أمام المحكمة المختصة وصدور صك شرعي "
        "بالحكم وتأييده من محكمة الاستئناف والمحكمة العليا، وصدر أمر ملكي بإنفاذ ما تقرر شرعا. "
        "وتؤكد الوزارة حرص الحكومة على استتباب الأمن وتحقيق العدل وتنفيذ أحكام الله."
    )
    one = "أصدرت وزارة الداخلية بيانا بشأن تنفيذ حكم بأحد الجناة في مدينة الدمام في" + tail
    other = tail.replace("الشرقية", "القصيم").replace("المختصة", "الجزائية")
    two = "أصدرت وزارة الداخلية بيانا بشأن تنفيذ حكم بأحد الجناة في مدينة بريدة بمنطقة" + other
    x, y = shingles(one, 4), shingles(two, 4)
    assert 0.5 <= len(x & y) / len(x | y) < 0.7  # the bodies share most of their text
    apart = [art("a", "القصاص من جان في الدمام", one), art("b", "حكم قضائي ينفذ ببريدة", two)]
    assert same_story(apart) == {}
    close = [
        art("a", "تنفيذ حكم القصاص في جان بالدمام", one),
        art("b", "تنفيذ حكم القصاص ببريدة", two),
    ]
    assert same_story(close) == {"a": ("b",), "b": ("a",)}


def test_shared_analysis_gives_the_same_shingles_as_the_tokeniser() -> None:
    """The one-pass id analysis hashes exactly what `shingles` hashes, odd words included."""
    import numpy as np

    from generator.index.analysis import analyse
    from generator.index.grouping import GroupingConfig
    from generator.index.samestory import shingles

    bodies = [
        WIRE,
        "ﷲ " + OTHER_TOPIC_SAME_FIELD,  # a ligature folds into several words
        "ـــ " + WIRE.replace(" ", " ـ ", 5),  # lone tatweel folds into none
        "",
    ]
    cfg = GroupingConfig()
    an = analyse([art(f"s{i}", "عنوان", b) for i, b in enumerate(bodies)], cfg)
    for i, body in enumerate(bodies):
        got = an.shingles(i)
        assert np.all(got[:-1] < got[1:])  # sorted and unique
        assert frozenset(got.tolist()) == shingles(body, cfg.same_story_shingle)
