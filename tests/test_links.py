"""Links inside the archive: headlines find their article, near misses stay plain text."""

from __future__ import annotations

from datetime import UTC, datetime

from generator.content.model import Article
from generator.index.links import TitleIndex


def art(slug: str, title: str, day: int = 1) -> Article:
    """An article with only a title."""
    return Article(
        slug=slug, path=f"{slug}.md", title=title, body="", date=datetime(2020, 1, day, tzinfo=UTC)
    )


INDEX = TitleIndex(
    [
        art("truce", 'بوتين وماكرون يدعوان لهدنة بـ"قره باغ".. وعرض لوساطة روسية'),
        art("blast7", "مقتل 7 أشخاص في انفجار سيارة مفخخة ببغداد"),
        art("un", "الأمم المتحدة: القرارات حول انسحاب أرمينيا من قره باغ قائمة"),
        art("expert", "خبير أذري: روسيا تريد ليّ ذراع أرمينيا وهذه خيارات باكو"),
        art("empty", ""),
    ]
)


def test_exact_after_normalisation_tolerates_quotes_and_punctuation() -> None:
    """Other quotes, no double dot, diacritics: still the same title."""
    assert INDEX.find("بوتين وماكرون يدعوان لهدنة ب«قره باغ» وعرض لوساطة روسيّة") == "truce"
    assert INDEX.find("'الأمم المتحدة: القرارات حول انسحاب أرمينيا من قره باغ قائمة'") == "un"


def test_site_suffix_media_marker_and_clitics() -> None:
    """A site name after a dash, a (شاهد) marker, a conjunction on the first word."""
    assert (
        INDEX.find("الأمم المتحدة: القرارات حول انسحاب أرمينيا من قره باغ قائمة - سكاي نيوز عربية")
        == "un"
    )
    assert INDEX.find("خبير أذري: روسيا تريد ليّ ذراع أرمينيا وهذه خيارات باكو (شاهد)") == "expert"
    assert INDEX.find("وبوتين وماكرون يدعوان لهدنة بقره باغ وعرض لوساطة روسية") == "truce"


def test_conservative_fuzzy_match() -> None:
    """One extra word in a long headline still links."""
    assert INDEX.find("خبير أذري: روسيا تريد ليّ ذراع أرمينيا وهذه هي خيارات باكو") == "expert"


def test_near_misses_are_not_linked() -> None:
    """A different number, half the words, or a short headline stay plain text."""
    assert INDEX.find("مقتل 5 أشخاص في انفجار سيارة مفخخة ببغداد") is None
    assert INDEX.find("روسيا تريد ليّ ذراع تركيا في سوريا") is None
    assert INDEX.find("قره باغ") is None
    assert INDEX.find("") is None


def test_titles_without_a_word_are_skipped_not_fatal() -> None:
    index = TitleIndex([art("dots", "، . ! ؟"), art("mark", "ـ"), art("real", "مقتل 7 أشخاص")])
    assert index.find("، . ! ؟") is None
    assert index.find("مقتل 7 أشخاص") == "real"
