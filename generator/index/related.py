"""Related stories from a weighted inverted index, in the manner of Hugo's related content.

Each article's keywords sit in named indices (tags, people, places, organisations and the
words it uses most), each with a weight. Candidates come only from the posting lists of the
article's keywords, walked up to a cap (no pairwise scoring); a keyword carried by too large
a share of the archive is cut, the rest count by weight times rarity (idf), and the sum is
divided by the square root of both keyword counts so long stories do not crowd out the rest.
Closeness in date adds a bonus to candidates already found (dates never find candidates on
their own). Under `related_older_only` every statistic is taken as of the article's own
date and only older stories are listed, so publishing a story never changes an older page.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.extract.arabic import match_key
from generator.index.grouping import GroupingConfig, lead_grams

__all__ = ["keywords", "related"]

_WEEK = 7 * 86400.0
# A keyword in this few articles is never cut as over-common (small archives).
_MIN_CUT = 3
# BM25's usual k1: a word's weight grows with its count in the article, but saturates.
_TF_SATURATION = 1.2

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _moment(article: Article) -> float | None:
    """Seconds since the epoch (naive dates read as UTC), None when undated."""
    if article.date is None:
        return None
    when: datetime = article.date if article.date.tzinfo else article.date.replace(tzinfo=UTC)
    return when.timestamp()


def _word_counts(article: Article, cfg: GroupingConfig) -> dict[str, int]:
    """The article's most used content words and their counts (headline twice, lead only)."""
    if cfg.related_words <= 0:
        return {}
    grams = lead_grams(article.title, article.body, cfg.tag_body_words, cfg.tag_phrase_words)
    words = [k for k in grams if " " not in k]  # single words: word pairs did worse
    if len(words) > cfg.related_words:
        # Ties fall alphabetically, so the choice is deterministic.
        words = sorted(words, key=lambda k: (-grams[k], k))[: cfg.related_words]
    return {w: grams[w] for w in words}


def _words(article: Article, cfg: GroupingConfig) -> list[str]:
    """The article's most used content words."""
    return list(_word_counts(article, cfg))


def keywords(article: Article, tags: Sequence[str], cfg: GroupingConfig) -> dict[str, set[str]]:
    """The article's keyword keys per index."""
    return {
        "tags": {k for k in map(_key, tags) if k},
        "people": {k for k in map(_key, article.people) if k},
        "places": {k for k in map(_key, article.places) if k},
        "organisations": {k for k in map(_key, article.organisations) if k},
        "words": set(_words(article, cfg)),
    }


@dataclass(frozen=True)
class _Index:
    """Articles in time order (undated last) and the posting list of each keyword."""

    slugs: tuple[str, ...]
    moments: FloatArray  # NaN when undated
    kids: tuple[npt.NDArray[np.int64], ...]  # per article: its keyword ids
    weights: tuple[FloatArray, ...]  # per article: the weight of each keyword's index
    flat: npt.NDArray[np.int64]  # every posting list, one after another, positions ascending
    flat_w: FloatArray  # aligned with flat: how strongly that article carries the keyword
    starts: npt.NDArray[np.int64]  # keyword id -> where its posting list starts in flat
    lens: npt.NDArray[np.int64]  # keyword id -> its posting list's length


@lru_cache(maxsize=100_000)
def _key(name: str) -> str:
    """Cached matching key of a tag or entity name."""
    return match_key(name)


def _saturated(tf: int) -> float:
    """BM25's saturating term frequency: more mentions count for more, but less and less."""
    k1 = _TF_SATURATION
    return tf * (k1 + 1) / (tf + k1)


def _article_keys(
    article: Article, tags: Sequence[str], cfg: GroupingConfig
) -> list[tuple[str, list[str], list[float]]]:
    """Per index with a positive weight: the article's keyword keys and how strongly it has each."""
    weights = cfg.weights
    out: list[tuple[str, list[str], list[float]]] = []
    for index, names in (
        ("tags", tags),
        ("people", article.people),
        ("places", article.places),
        ("organisations", article.organisations),
    ):
        if weights[index] > 0:
            keys = sorted({k for k in map(_key, names) if k})
            out.append((index, keys, [weights[index]] * len(keys)))
    if weights["words"] > 0:
        counts = _word_counts(article, cfg)
        keys = sorted(counts)
        out.append(("words", keys, [weights["words"] * _saturated(counts[k]) for k in keys]))
    return out


def _build(
    articles: Sequence[Article], tags_by_slug: Mapping[str, Sequence[str]], cfg: GroupingConfig
) -> _Index:
    """Number articles by time and keywords by first use; fill the posting lists."""
    order = sorted(articles, key=lambda a: (_moment(a) is None, _moment(a) or 0.0, a.slug))
    weights = cfg.weights
    ids: dict[tuple[str, str], int] = {}
    all_kids: list[int] = []  # every (article, keyword) posting, article by article
    all_pos: list[int] = []
    all_carry: list[float] = []  # how strongly the article carries the keyword
    kids: list[npt.NDArray[np.int64]] = []
    wts: list[FloatArray] = []
    for pos, article in enumerate(order):
        start = len(all_kids)
        mine_w: list[float] = []
        for index, keys, strengths in _article_keys(
            article, tags_by_slug.get(article.slug, ()), cfg
        ):
            # len(ids) is read before setdefault adds the key: the next free id.
            all_kids += [ids.setdefault((index, key), len(ids)) for key in keys]
            all_carry += [how / weights[index] for how in strengths]
            mine_w += strengths
        all_pos += [pos] * (len(all_kids) - start)
        kids.append(np.array(all_kids[start:], dtype=np.int64))
        wts.append(np.array(mine_w, dtype=float))
    # A stable sort by keyword lays the posting lists end to end, positions ascending.
    by_kid = np.argsort(np.array(all_kids, dtype=np.int64), kind="stable")
    flat = np.array(all_pos, dtype=np.int64)[by_kid]
    flat_w = np.array(all_carry, dtype=float)[by_kid]
    lens = np.bincount(np.array(all_kids, dtype=np.int64), minlength=len(ids)).astype(np.int64)
    moments = np.array([m if (m := _moment(a)) is not None else np.nan for a in order], dtype=float)
    return _Index(
        tuple(a.slug for a in order),
        moments,
        tuple(kids),
        tuple(wts),
        flat,
        flat_w,
        np.cumsum(lens) - lens,
        lens,
    )


def _scores(ix: _Index, pos: int, cfg: GroupingConfig) -> tuple[IntArray, FloatArray, FloatArray]:
    """Candidates of one article with their weighted keyword scores and shared-keyword counts.

    Walks the article's posting lists at once (numpy): each list is cut to the `cap`
    entries nearest the article in time (older only: the latest ones before it).
    """
    kids = ix.kids[pos]
    if not len(kids):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    older, cap = cfg.related_older_only, cfg.related_max_postings
    lens = ix.lens[kids]
    offs = np.cumsum(lens) - lens
    local = np.arange(int(lens.sum())) - np.repeat(offs, lens)
    where = np.repeat(ix.starts[kids], lens) + local
    cands = ix.flat[where]
    before = cands < pos
    at = np.add.reduceat(before, offs)  # entries older than the article, per keyword
    n = pos + 1 if older else len(ix.slugs)
    df = at + 1 if older else lens
    ok = (df >= 2) & (df <= max(cfg.related_max_share * n, _MIN_CUT))
    gain = ix.weights[pos] * np.log1p(n / df) * ok
    at_r = np.repeat(at, lens)
    if older:
        keep = before & (local >= at_r - cap)
    else:
        lo = np.repeat(np.clip(at - cap // 2, 0, np.maximum(lens - cap, 0)), lens)
        keep = (local >= lo) & (local < lo + cap) & (cands != pos)
    keep &= np.repeat(ok, lens)
    walked = cands[keep]
    size = len(ix.slugs)
    gains = (np.repeat(gain, lens) * ix.flat_w[where])[keep]
    scores = np.bincount(walked, weights=gains, minlength=size)
    shared = np.bincount(walked, minlength=size)
    found = np.flatnonzero(shared)
    return found, scores[found].astype(np.float64), shared[found].astype(np.float64)


def _date_bonus(moments: FloatArray, me: float, weight: float) -> FloatArray:
    """Full weight in the same week, half in the next, nothing beyond or when undated."""
    weeks = np.abs(moments - me) / _WEEK
    bonus = np.where(weeks < 1, weight, np.where(weeks < 2, weight / 2, 0.0))
    return np.nan_to_num(bonus, nan=0.0)


def _ranked(
    ix: _Index, pos: int, sizes: FloatArray, cfg: GroupingConfig, banned: Collection[str]
) -> tuple[str, ...]:
    """The best candidates of one article, by score, then closeness in time, then slug."""
    me = float(ix.moments[pos])
    if cfg.related_older_only and math.isnan(me):
        return ()  # an undated story has no place in time: nothing is surely older
    found, raw, shared = _scores(ix, pos, cfg)
    score = raw / np.sqrt(sizes[found] * sizes[pos])
    if not math.isnan(me):
        score = score + _date_bonus(ix.moments[found], me, cfg.weight_date)
    # Several shared keywords vouch for each other, so the bar falls as they add up.
    keep = score >= cfg.related_threshold / np.sqrt(np.maximum(shared, 1))
    picks = np.flatnonzero(keep)
    room = 2 * cfg.related_count + len(banned)
    if len(picks) > room:
        # Everything scoring at least the room-th best, ties included, so order stays exact.
        bar = np.partition(score[picks], len(picks) - room)[len(picks) - room]
        picks = picks[score[picks] >= bar]
    rows = []
    for i in picks.tolist():
        slug = ix.slugs[found[i]]
        if slug not in banned:
            gap = abs(me - float(ix.moments[found[i]]))
            rows.append((-round(float(score[i]), 9), math.inf if math.isnan(gap) else gap, slug))
    rows.sort()
    return tuple(slug for _, _, slug in rows[: cfg.related_count])


def related(
    articles: Sequence[Article],
    tags_by_slug: Mapping[str, Sequence[str]],
    cfg: GroupingConfig | None = None,
    exclude: Mapping[str, Collection[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Up to `related_count` related stories per article (slug -> slugs, best first)."""
    cfg = cfg or GroupingConfig()
    exclude = exclude or {}
    ix = _build(articles, tags_by_slug, cfg)
    sizes = np.array([max(1.0, float(len(k))) for k in ix.kids])
    return {
        slug: _ranked(ix, pos, sizes, cfg, exclude.get(slug, frozenset()))
        for pos, slug in enumerate(ix.slugs)
    }
