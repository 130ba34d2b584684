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
from generator.index.analysis import Analysis, analyse
from generator.index.grouping import GroupingConfig

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


class _Words:
    """Each article's most used content words (headline twice, lead only), as word ids."""

    def __init__(self, an: Analysis, cfg: GroupingConfig) -> None:
        """Rank every word by its key, for ties broken alphabetically as before."""
        self.an, self.cfg = an, cfg
        self._rank: IntArray | None = None

    def rank(self) -> IntArray:
        """Word id -> its key's place in alphabetical order."""
        if self._rank is None:
            words = self.an.words
            ranked = sorted(range(self.an.n_words), key=words.__getitem__)
            self._rank = np.empty(self.an.n_words, dtype=np.int64)
            self._rank[np.array(ranked, dtype=np.int64)] = np.arange(len(ranked))
        return self._rank

    def counts(self, index: int) -> tuple[IntArray, IntArray]:
        """Word ids (alphabetical by key) and counts of one article's most used words."""
        limit = self.cfg.related_words
        an = self.an
        start, end = int(an.pair_start[index]), int(an.pair_start[index + 1])
        codes = an.pair_code[start:end]
        # Single words have the one-digit codes, which sort before every longer phrase.
        stop = start + int(np.searchsorted(codes, an.base))
        ids = (an.pair_code[start:stop] - 1).astype(np.int64)
        tf = an.pair_tf[start:stop].astype(np.int64)
        if limit <= 0:
            return ids[:0], tf[:0]
        rank = self.rank()
        if len(ids) > limit:
            # Ties fall alphabetically, so the choice is deterministic.
            top = np.lexsort((rank[ids], -tf))[: int(limit)]
            ids, tf = ids[top], tf[top]
        order = np.argsort(rank[ids], kind="stable")
        return ids[order], tf[order]


def _word_counts(article: Article, cfg: GroupingConfig) -> dict[str, int]:
    """The article's most used content words and their counts (headline twice, lead only)."""
    an = analyse([article], cfg)
    ids, tf = _Words(an, cfg).counts(0)
    return {an.words[w]: int(n) for w, n in zip(ids.tolist(), tf.tolist(), strict=True)}


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


def _saturated(tf: FloatArray) -> FloatArray:
    """BM25's saturating term frequency: more mentions count for more, but less and less."""
    k1 = _TF_SATURATION
    return tf * (k1 + 1) / (tf + k1)


def _entity_keys(
    article: Article, tags: Sequence[str], cfg: GroupingConfig
) -> list[tuple[str, list[str]]]:
    """Per named index with a positive weight: the article's keyword keys, sorted."""
    weights = cfg.weights
    out: list[tuple[str, list[str]]] = []
    for index, names in (
        ("tags", tags),
        ("people", article.people),
        ("places", article.places),
        ("organisations", article.organisations),
    ):
        if weights[index] > 0:
            out.append((index, sorted({k for k in map(_key, names) if k})))
    return out


def _build(
    articles: Sequence[Article],
    tags_by_slug: Mapping[str, Sequence[str]],
    cfg: GroupingConfig,
    an: Analysis,
) -> _Index:
    """Number articles by time and keywords by first use; fill the posting lists.

    Word keywords are numbered by word id; the named ones after all words.
    """
    moments_of = [_moment(a) for a in articles]
    order = sorted(
        range(len(articles)),
        key=lambda i: (moments_of[i] is None, moments_of[i] or 0.0, articles[i].slug),
    )
    weights = cfg.weights
    per_word = weights["words"]
    counter = _Words(an, cfg) if per_word > 0 else None
    n_words = an.n_words
    ids: dict[tuple[str, str], int] = {}
    kid_parts: list[IntArray] = []  # every (article, keyword) posting, article by article
    carry_parts: list[FloatArray] = []  # how strongly the article carries the keyword
    kids: list[IntArray] = []
    wts: list[FloatArray] = []
    for i in order:
        article = articles[i]
        mine: list[int] = []
        mine_w: list[float] = []
        for index, keys in _entity_keys(article, tags_by_slug.get(article.slug, ()), cfg):
            # len(ids) is read before setdefault adds the key: the next free id.
            mine += [n_words + ids.setdefault((index, key), len(ids)) for key in keys]
            mine_w += [weights[index]] * len(keys)
        named = np.array(mine, dtype=np.int64)
        named_w = np.array(mine_w, dtype=float)
        named_carry = np.ones(len(mine), dtype=float)
        if counter is not None:
            words, tf = counter.counts(i)
            strength = per_word * _saturated(tf.astype(np.float64))
            named = np.concatenate([named, words])
            named_carry = np.concatenate([named_carry, strength / per_word])
            named_w = np.concatenate([named_w, strength])
        kids.append(named)
        wts.append(named_w)
        kid_parts.append(named)
        carry_parts.append(named_carry)
    all_kids = np.concatenate(kid_parts) if kid_parts else np.zeros(0, dtype=np.int64)
    all_pos = np.repeat(np.arange(len(order)), [len(k) for k in kid_parts])
    # A stable sort by keyword lays the posting lists end to end, positions ascending.
    by_kid = np.argsort(all_kids, kind="stable")
    flat = all_pos[by_kid].astype(np.int64)
    flat_w = (np.concatenate(carry_parts) if carry_parts else np.zeros(0))[by_kid]
    lens = np.bincount(all_kids, minlength=n_words + len(ids)).astype(np.int64)
    moments = np.array(
        [m if (m := moments_of[i]) is not None else np.nan for i in order], dtype=float
    )
    return _Index(
        tuple(articles[i].slug for i in order),
        moments,
        tuple(kids),
        tuple(wts),
        flat,
        flat_w,
        np.cumsum(lens) - lens,
        lens,
    )


def _scores(
    ix: _Index, pos: int, at: IntArray, cfg: GroupingConfig
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Candidates of one article with their weighted keyword scores and shared-keyword counts.

    Each of the article's posting lists is cut to the `cap` entries nearest the article in
    time (older only: the latest ones before it); only those windows are read (numpy), so
    the work grows with the cap, not with how common a keyword is. Scores add up in the
    article's keyword order, so every sum is the same to the bit however it is walked.
    `at` holds, per keyword of the article, how many older articles carry it.
    """
    kids = ix.kids[pos]
    if not len(kids):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    older, cap = cfg.related_older_only, cfg.related_max_postings
    size = len(ix.slugs)
    lens, starts = ix.lens[kids], ix.starts[kids]
    n = pos + 1 if older else size
    df = at + 1 if older else lens
    ok = (df >= 2) & (df <= max(cfg.related_max_share * n, _MIN_CUT))
    gain = ix.weights[pos] * np.log1p(n / df) * ok
    if older:
        lo = np.maximum(at - cap, 0)
        hi = at
    else:
        lo = np.clip(at - cap // 2, 0, np.maximum(lens - cap, 0))
        hi = np.minimum(lo + cap, lens)
    counts = np.where(ok, hi - lo, 0)
    offs = np.cumsum(counts) - counts
    where = np.arange(int(counts.sum())) - np.repeat(offs - starts - lo, counts)
    cands = ix.flat[where]
    gains = np.repeat(gain, counts) * ix.flat_w[where]
    scores = np.bincount(cands, weights=gains, minlength=size)
    shared = np.bincount(cands, minlength=size)
    shared[pos] = 0  # the article's own entries only ever add to its own slot
    found = np.flatnonzero(shared)
    return found, scores[found].astype(np.float64), shared[found].astype(np.float64)


def _date_bonus(moments: FloatArray, me: float, weight: float) -> FloatArray:
    """Full weight in the same week, half in the next, nothing beyond or when undated."""
    weeks = np.abs(moments - me) / _WEEK
    # Comparisons with NaN (undated) are false: no bonus.
    return np.where(weeks < 1, weight, np.where(weeks < 2, weight / 2, 0.0))


def _ranked(
    ix: _Index,
    pos: int,
    at: IntArray,
    sizes: FloatArray,
    cfg: GroupingConfig,
    banned: Collection[str],
) -> tuple[str, ...]:
    """The best candidates of one article, by score, then closeness in time, then slug."""
    me = float(ix.moments[pos])
    if cfg.related_older_only and math.isnan(me):
        return ()  # an undated story has no place in time: nothing is surely older
    found, raw, shared = _scores(ix, pos, at, cfg)
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
    analysis: Analysis | None = None,
) -> dict[str, tuple[str, ...]]:
    """Up to `related_count` related stories per article (slug -> slugs, best first)."""
    cfg = cfg or GroupingConfig()
    exclude = exclude or {}
    an = analysis if analysis is not None else analyse(articles, cfg)
    ix = _build(articles, tags_by_slug, cfg, an)
    sizes = np.array([max(1.0, float(len(k))) for k in ix.kids])
    # Articles go oldest first, so a running count per keyword says how many older
    # articles carry it: where the article sits in each of its posting lists.
    seen = np.zeros(len(ix.lens), dtype=np.int64)
    out: dict[str, tuple[str, ...]] = {}
    for pos, slug in enumerate(ix.slugs):
        kids = ix.kids[pos]
        out[slug] = _ranked(ix, pos, seen[kids], sizes, cfg, exclude.get(slug, frozenset()))
        seen[kids] += 1
    return out
