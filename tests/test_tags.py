"""Tags: stopwords never tags, variants meet, editor pins/bans/aliases, hand tags first."""

from __future__ import annotations

from generator.content.model import Article
from generator.extract.arabic import normalise
from generator.extract.stopwords import is_stopword
from generator.index.grouping import GroupingConfig
from generator.index.tags import assign_tags, tag_key

CFG = GroupingConfig(tag_max_share=1.0)


def art(slug: str, title: str, body: str, **kw: object) -> Article:
    """A small article for the tests."""
    return Article(slug=slug, path=f"content/{slug}.md", title=title, body=body, **kw)  # type: ignore[arg-type]


UN_1 = art(
    "un-1",
    "الأمم المتحدة تدعو إلى وقف إطلاق النار في اليمن",
    "قال الأمين العام للأمم المتحدة يوم الأحد إن مجلس الأمن سيجتمع لبحث الأزمة الإنسانية.\n"
    "وأضاف أن الأمم المتحدة تدعو إلى وقف إطلاق النار في اليمن، مشيرا إلى أن الأزمة الإنسانية "
    "تتفاقم في مدينة الحديدة.\nوقال إن الأمم المتحدة سترسل مساعدات إلى الحديدة.",
)
UN_2 = art(
    "un-2",
    "مساعدات الأمم المتحدة تصل إلى الحديدة",
    "وقال متحدث باسم الأمم المتحدة يوم الاثنين إن المساعدات وصلت إلى الحديدة.\n"
    "وأضاف أن والأمم المتحدة تخشى تفاقم الأزمة الإنسانية، مشيرا إلى أن مجلس الأمن يجتمع الأحد.",
)
FOOT_1 = art(
    "foot-1",
    "الهلال يفوز على النصر في الدوري",
    "فاز فريق الهلال على النصر في مباراة الدوري يوم الخميس.\nوسجل مهاجم الهلال هدفين في "
    "المباراة، وقال مدرب الهلال إن الفريق يستحق الفوز في الدوري.",
)
FOOT_2 = art(
    "foot-2",
    "تعادل الهلال والاتحاد في الدوري",
    "تعادل الهلال مع الاتحاد في مباراة الدوري يوم الجمعة.\nوأضاف مدرب الهلال أن المباراة كانت "
    "صعبة، وأن الهلال سيعود للفوز في الدوري.",
)
ALL = [UN_1, UN_2, FOOT_1, FOOT_2]


def test_no_stopword_weekday_or_reporting_verb_is_a_tag() -> None:
    """No tag is, starts or ends with a stopword (وقال، مشيرا، الأحد…)."""
    for names in assign_tags(ALL, CFG).values():
        for name in names:
            words = tag_key(name).split()
            assert words and not is_stopword(words[0]) and not is_stopword(words[-1]), name


def test_variants_meet_under_one_display_name() -> None:
    """للأمم المتحدة / والأمم المتحدة / الأمم المتحدة are one tag, shown as the common form."""
    tags = assign_tags(ALL, CFG)
    assert "الأمم المتحدة" in tags["un-1"] and "الأمم المتحدة" in tags["un-2"]
    names = {n for names in tags.values() for n in names}
    keys = [normalise(n) for n in names]
    assert len(keys) == len(set(keys))
    assert len({tag_key(n) for n in names}) == len(names)


def test_tag_counts_and_shared_phrases() -> None:
    """Between tags_min and tags_max tags; the shared topic phrase tags both articles."""
    tags = assign_tags(ALL, CFG)
    for names in tags.values():
        assert CFG.tags_min <= len(names) <= CFG.tags_max
    assert "الهلال" in tags["foot-1"] and "الهلال" in tags["foot-2"]


def test_pins_bans_and_aliases() -> None:
    """A pinned phrase is added where it appears, a banned one never, an alias renames."""
    cfg = GroupingConfig.from_mapping(
        {
            "tag_max_share": 1.0,
            "pinned_tags": ["وقف إطلاق النار"],
            "banned_tags": ["الدوري"],
            "tag_aliases": {"الهلال": "نادي الهلال"},
        }
    )
    tags = assign_tags(ALL, cfg)
    assert "وقف إطلاق النار" in tags["un-1"]
    assert "وقف إطلاق النار" not in tags["foot-1"]
    assert all(tag_key(n) != tag_key("الدوري") for names in tags.values() for n in names)
    assert "نادي الهلال" in tags["foot-1"] and "نادي الهلال" in tags["foot-2"]
    assert "الهلال" not in tags["foot-1"]


def test_hand_tags_kept_first_even_when_banned() -> None:
    """Front-matter tags lead the list, whatever the rules say."""
    hand = art("foot-3", FOOT_2.title, FOOT_2.body, tags=("كرة القدم", "الدوري"))
    cfg = GroupingConfig(tag_max_share=1.0, banned_tags=("الدوري",))
    tags = assign_tags([*ALL, hand], cfg)
    assert tags["foot-3"][:2] == ["كرة القدم", "الدوري"]


def test_entities_become_tags() -> None:
    """People, places and organisations of the article are tags."""
    person = art("p", UN_2.title, UN_2.body, people=("أنطونيو غوتيريش",), places=("اليمن",))
    tags = assign_tags([*ALL, person], CFG)
    assert "أنطونيو غوتيريش" in tags["p"] and "اليمن" in tags["p"]


def test_display_name_drops_a_leading_conjunction_or_preposition() -> None:
    """A tag only ever written with و/ل/ب in front is shown without it."""
    from generator.index.tags import _drop_proclitic

    assert _drop_proclitic("للأمم المتحدة") == "الأمم المتحدة"
    assert _drop_proclitic("وبـالرئيس") == "الرئيس"
    assert _drop_proclitic("الرياض") == "الرياض"


def _shape(definite: set[str]) -> object:
    """A phrase-shape checker with a made-up archive vocabulary."""
    from generator.index.tags import _credit_keys, _list_keys, _Shape

    return _Shape(
        frozenset(tag_key(w) for w in definite),
        _credit_keys(),
        _list_keys("entities_first_names.txt"),
        _list_keys("entities_roles.txt"),
    )


def test_verb_shaped_words_never_written_with_the_article_are_verb_like() -> None:
    """تمنح / يناقش / أقيمت are verbs; التعليم-style nouns and names with ال are not."""
    shape = _shape({"التعليم", "التدريب"})
    for verb in ("تمنح", "يناقش", "أقيمت", "يصل", "تمنح الجائزة"):
        assert shape.verb_like(tag_key(verb)), verb  # type: ignore[attr-defined]
    for noun in ("تعليم", "تدريب", "تعز", "مصر", "جائزة الملك"):
        assert not shape.verb_like(tag_key(noun)), noun  # type: ignore[attr-defined]


def test_role_and_given_name_alone_is_a_fragment_and_credits_are_not_tags() -> None:
    """الرئيس جورج / محمد stop before the family name; a wire agency is a credit."""
    shape = _shape(set())
    assert shape.fragment(tag_key("الرئيس جورج"))  # type: ignore[attr-defined]
    assert shape.fragment(tag_key("محمد"))  # type: ignore[attr-defined]
    assert shape.fragment(tag_key("رويترز"))  # type: ignore[attr-defined]
    assert not shape.fragment(tag_key("جامعة الملك خالد"))  # type: ignore[attr-defined]
    assert not shape.fragment(tag_key("الأمم المتحدة"))  # type: ignore[attr-defined]
    assert not _shape({"الرياض"}).fragment(tag_key("الرياض"))  # type: ignore[attr-defined]


def test_verbs_credits_and_cut_names_lose_to_topic_phrases() -> None:
    """Across a small archive, a shared verb or agency credit is not chosen over the topic."""
    body = (
        "تمنح الهيئة جائزة الإبداع للشباب، وفق رويترز.\n"
        "وقال الرئيس جورج إن جائزة الإبداع تمنح كل عام في الرياض.\n"
        "وتشرف الهيئة على اختيار الشباب."
    )
    arts = [art(f"g{i}", f"جائزة الإبداع في دورتها رقم {i}", body) for i in range(3)]
    arts += [art(f"x{i}", f"خبر آخر {i}", f"تمنح البلدية رخص البناء {i} رويترز") for i in range(3)]
    tags = assign_tags([*arts, *ALL], GroupingConfig(tag_max_share=1.0, tags_min=1, tags_max=3))
    for slug in ("g0", "g1", "g2"):
        keys = [tag_key(n) for n in tags[slug]]
        assert tag_key("جائزة الإبداع") in keys
        assert not {tag_key("تمنح"), tag_key("رويترز"), tag_key("الرئيس جورج")} & set(keys)


def test_new_stoplist_entries_are_never_tags() -> None:
    """Auxiliary verbs, generic adjectives and HTML entity names are stopwords."""
    for word in ("أقيمت", "يتم", "شمالي", "جديدة", "لديه", "quot"):
        assert is_stopword(tag_key(word)), word
