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
