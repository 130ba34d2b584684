"""The index on forked workers: the archive and the analysis equal the serial ones exactly."""

from __future__ import annotations

import gc
import multiprocessing
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

import generator.index.analysis as analysis_module
import generator.index.archive as archive_module
from generator.content.model import Article
from generator.extract.arabic import match_key, normalise
from generator.index.analysis import Analysis, analyse
from generator.index.archive import build_archive
from generator.index.grouping import GroupingConfig
from generator.index.pool import Background, imap_parts, map_parts, pool_size, slices
from generator.index.stored import built_apart

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this system"
)

VOCABULARY = (
    "وزارة الصحة مستشفى جديد الخرج الرياض جدة مكة الأمطار السيول الطقس الاقتصاد النفط "
    "أسعار الأسهم السوق المالية البنك المركزي الفائدة التضخم المنتخب الهلال النصر الاتحاد "
    "المباراة الدوري الكأس التعليم المدارس الجامعة الطلاب الامتحانات والحكومة بالمملكة "
    "للأمم المتحدة الرئيس الأمير محمد سلمان عبدالله مجلس الوزراء القمة العربية اتفاقية "
    "تعاون تجاري الصادرات الواردات ميناء مطار رحلات الطيران السياحة المهرجان الثقافة"
)
WORDS = VOCABULARY.split()
# Tokens that fold oddly: a ligature of several words, tatweel and a lone mark (no key),
# a one-word ligature, and a presentation-form word.
ODD = ("ﷺ", "ـــ", "\u064b", "ﻻ", "ﷲ", "الـمدرسة")
PUNCT = ("،", ".", "؛", ":", " - ", "؟", "\n")


def sentence(rng: random.Random, odd: bool) -> str:
    """A run of words with punctuation (and, now and then, an odd token)."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
    if odd:
        words.insert(rng.randrange(len(words)), rng.choice(ODD))
    if rng.random() < 0.3:
        words.append(str(rng.randint(1, 2030)))
    return " ".join(words) + rng.choice(PUNCT)


def fixture_articles(n: int, seed: int = 7) -> list[Article]:
    """n articles with tags, entities, dates, links, wire copies and odd tokens."""
    rng = random.Random(seed)
    day0 = datetime(2021, 3, 1, tzinfo=UTC)
    out: list[Article] = []
    for i in range(n):
        body = " ".join(sentence(rng, rng.random() < 0.05) for _ in range(rng.randint(3, 25)))
        if out and rng.random() < 0.1:  # a wire copy of an earlier story
            body = out[rng.randrange(len(out))].body + " " + sentence(rng, False)
        title = sentence(rng, rng.random() < 0.02).strip(" .،؛:؟-\n")
        dated = rng.random() > 0.05
        out.append(
            Article(
                slug=f"a{i:04d}",
                path=f"a{i:04d}.md",
                title=title,
                body=body,
                date=day0 + timedelta(hours=rng.randint(0, 24 * 200)) if dated else None,
                source=rng.choice(("واس", "الرياض", "عكاظ", None)),
                tags=tuple(rng.sample(WORDS, rng.randint(0, 2))),
                people=tuple(
                    rng.sample(("محمد سلمان", "عبدالله الراشد", "سالم"), rng.randint(0, 2))
                ),
                places=tuple(rng.sample(("الرياض", "جدة", "الخرج", "تبوك"), rng.randint(0, 2))),
                organisations=tuple(
                    rng.sample(("وزارة الصحة", "البنك المركزي"), rng.randint(0, 1))
                ),
                read_also=(out[rng.randrange(len(out))].title,)
                if out and rng.random() < 0.2
                else (),
            )
        )
    return out


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Enough articles for several chunks of the reading pass."""
    return fixture_articles(700)


@needs_fork
def test_forked_archive_equals_the_serial_one(articles: list[Article]) -> None:
    """Same archive with the pool forced on a few articles, cold and warm, as serially."""
    cfg = GroupingConfig()
    analysis_module._TABLES = analysis_module._Tables()  # a cold first build
    forked = build_archive(articles, cfg, workers=2, pool_threshold=1)
    serial = build_archive(articles, cfg, pool_threshold=10**9)
    assert forked == serial
    assert forked.related and forked.same_story and forked.links and forked.tags
    # Warm tables (as in `arshif serve`): the workers start from what the parent knows.
    assert build_archive(articles[::-1], cfg, workers=2, pool_threshold=1) == serial


def readable(an: Analysis, n: int) -> list[dict[str, Any]]:
    """Everything an analysis says about each article, in words instead of ids."""
    words, raws = an.words, an.raws
    out = []
    for i in range(n):
        start, end = int(an.pair_start[i]), int(an.pair_start[i + 1])
        out.append(
            {
                "title": [raws[r] for r in an.title_surface(i).tolist()],
                "title_keys": [words[k] if k >= 0 else None for k in an.title_keys(i).tolist()],
                "lead": [raws[r] for r in an.lead_surface(i).tolist()],
                "lead_keys": [words[k] if k >= 0 else None for k in an.lead_keys(i).tolist()],
                "shingles": an.shingles(i).tolist(),
                "phrases": {
                    an.phrase(int(c)): (int(tf), int(df))
                    for c, tf, df in zip(
                        an.pair_code[start:end],
                        an.pair_tf[start:end],
                        an.pair_df[start:end],
                        strict=True,
                    )
                },
            }
        )
    return out


def analysis_facts(an: Analysis) -> tuple[set[str], set[str], set[str]]:
    """The words written with ال, the stopwords and the short words seen."""
    seen = {int(k) for k in np.concatenate([an.title_keys_flat, an.lead_keys_flat]) if k >= 0}
    return (
        {an.words[k] for k in seen if an.definite[k]},
        {an.words[k] for k in seen if an.stop[k]},
        {an.words[k] for k in seen if an.short[k]},
    )


@needs_fork
@pytest.mark.parametrize("warm", [False, True])
def test_forked_reading_pass_equals_the_serial_one(
    articles: list[Article], monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    """Small chunks, many merges: every article reads the same, only the ids differ."""
    cfg = GroupingConfig()
    monkeypatch.setattr(analysis_module, "_CHUNK", 16)
    part = articles[:300]
    monkeypatch.setattr(analysis_module, "_TABLES", analysis_module._Tables())
    if warm:
        analyse(articles[250:400], cfg)  # the tables know some of the words already
    forked = analyse(part, cfg, workers=2)
    monkeypatch.setattr(analysis_module, "_TABLES", analysis_module._Tables())
    serial = analyse(part, cfg)
    assert readable(forked, len(part)) == readable(serial, len(part))
    assert analysis_facts(forked) == analysis_facts(serial)
    tables = analysis_module._TABLES
    assert len(tables.raw_key) == len(tables.raws) == len(tables.raw_definite)


def test_small_archives_and_single_cores_stay_serial() -> None:
    """pool_size: one process under the threshold or for one worker."""
    assert pool_size(10, threshold=100) == 1
    assert pool_size(1000, threshold=100, workers=1) == 1
    if "fork" in multiprocessing.get_all_start_methods():
        assert pool_size(1000, threshold=100, workers=3) == 3


def test_slices_cover_the_range_in_order() -> None:
    """Contiguous, near equal, never empty, never more than the items."""
    assert slices(10, 3) == [(0, 3), (3, 6), (6, 10)]
    assert slices(2, 8) == [(0, 1), (1, 2)]
    assert slices(0, 4) == [(0, 0)]


@needs_fork
def test_parts_come_back_in_order_and_see_what_was_made_before() -> None:
    """The workers read the parent's objects made before the fork; results keep their order."""
    table = {i: i * i for i in range(50)}
    assert map_parts(table.__getitem__, 50, 2) == [i * i for i in range(50)]
    assert list(imap_parts(lambda i: -i, 5, 1)) == [0, -1, -2, -3, -4]


@pytest.mark.parametrize(
    "workers", [1, 2] if "fork" in multiprocessing.get_all_start_methods() else [1]
)
def test_meanwhile_runs_here_once(workers: int) -> None:
    """The parent's own task runs once, in the parent, whether or not workers fork."""
    ran: list[int] = []
    found = list(imap_parts(lambda i: i + 1, 6, workers, meanwhile=lambda: ran.append(1)))
    assert found == [1, 2, 3, 4, 5, 6]
    assert ran == [1]


@needs_fork
def test_indexes_built_in_a_child_equal_those_built_here(articles: list[Article]) -> None:
    """built_apart forks a child (which may fork its own pools) and hands back the same indexes."""
    cfg = GroupingConfig()
    here = build_archive(articles, cfg)
    apart = built_apart(articles, cfg, threshold=1)
    assert set(apart) == {f for f in vars(here) if f != "articles"}
    assert all(apart[name] == getattr(here, name) for name in apart)


def test_terms_are_found_by_the_spellings_articles_use_without_folding_again(
    articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Archive.term answers every spelling an article carries from the spellings table."""
    archive = build_archive(articles, GroupingConfig(), pool_threshold=10**9)
    names = {name for tags in archive.tags_of.values() for name in tags}
    sources = {a.source for a in articles if a.source}
    assert names and sources
    expected = {("tags", n): archive.tags[match_key(n)] for n in names} | {
        ("sources", s): archive.sources[normalise(s)] for s in sources
    }

    def refuse(value: str) -> str:
        raise AssertionError(f"folded {value!r} again")

    monkeypatch.setattr(archive_module, "KEYS", dict.fromkeys(archive_module.KEYS, refuse))
    assert {k: archive.term(*k) for k in expected} == expected
    monkeypatch.undo()
    assert archive.term("tags", "كلمة لم ترد في أي مقال") is None  # folded, then not found


def fail() -> int:
    """A task that raises."""
    raise ValueError("broken")


@pytest.mark.parametrize(
    "fork", [False, True] if "fork" in multiprocessing.get_all_start_methods() else [False]
)
def test_background_returns_or_raises(fork: bool) -> None:
    """A background task's answer, or its exception raised in the parent."""
    data = list(range(10))
    assert Background(lambda: sum(data), fork).result() == 45
    with pytest.raises(ValueError, match="broken"):
        Background(fail, fork).result()


@needs_fork
def test_a_background_task_never_asked_for_is_stopped() -> None:
    """Dropping a Background whose answer was not read ends its process."""
    job = Background(lambda: [0] * 10**6, True)  # an answer too large for the pipe's buffer
    proc = job._proc
    del job
    gc.collect()
    assert not proc.is_alive()
