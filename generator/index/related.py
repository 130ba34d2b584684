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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.extract.arabic import match_key
from generator.index.analysis import Analysis, analyse
from generator.index.grouping import GroupingConfig
from generator.index.pool import imap_parts, slices

__all__ = ["RelatedIndex", "keywords", "rank_related", "related", "related_index"]

_WEEK = 7 * 86400.0
# A keyword in this few articles is never cut as over-common (small archives).
_MIN_CUT = 3
# BM25's usual k1: a word's weight grows with its count in the article, but saturates.
_TF_SATURATION = 1.2
# Articles whose most used words are counted at once (bounds the temporary arrays).
_WORD_BLOCK = 2048

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
        _, ids, tf = self.block(index, index + 1)
        return ids, tf

    def block(self, first: int, last: int) -> tuple[IntArray, IntArray, IntArray]:
        """counts() of articles first..last-1 at once, end to end, with where each starts."""
        an, limit = self.an, self.cfg.related_words
        lo, hi = int(an.pair_start[first]), int(an.pair_start[last])
        owner = np.repeat(np.arange(last - first), np.diff(an.pair_start[first : last + 1]))
        # Single words have the one-digit codes, which sort before every longer phrase.
        single = np.flatnonzero(an.pair_code[lo:hi] < an.base)
        ids = (an.pair_code[lo:hi][single] - 1).astype(np.int64)
        tf = an.pair_tf[lo:hi][single].astype(np.int64)
        owner = owner[single]
        if limit <= 0:
            ids, tf, owner = ids[:0], tf[:0], owner[:0]
        rank = self.rank()[ids]
        # Each article's words by count, ties alphabetically (so the choice is deterministic);
        # the first `limit` are kept, then put in alphabetical order.
        order = _sort_by((owner, -tf, rank))
        starts = np.searchsorted(owner[order], np.arange(last - first + 1))
        place = np.arange(len(order)) - np.repeat(starts[:-1], np.diff(starts))
        kept = order[place < limit]
        kept = kept[_sort_by((owner[kept], rank[kept]))]
        sizes = np.bincount(owner[kept], minlength=last - first)
        return np.concatenate([[0], np.cumsum(sizes)]), ids[kept], tf[kept]


def _sort_by(columns: Sequence[IntArray]) -> IntArray:
    """Indices that sort rows by the columns, first column first (ties: stable).

    One stable argsort of the columns packed into one integer (measured ten times faster
    than np.lexsort here); lexsort when they do not fit in 62 bits.
    """
    if not len(columns[0]):
        return np.zeros(0, dtype=np.int64)
    lows = [int(c.min()) for c in columns]
    spans = [int(c.max()) - low + 1 for c, low in zip(columns, lows, strict=True)]
    if math.prod(spans) >= 2**62:
        return np.lexsort(columns[::-1])
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, low, span in zip(columns, lows, spans, strict=True):
        key = key * span + (column - low)
    return np.argsort(key, kind="stable")


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
class RelatedIndex:
    """Articles in time order (undated last) and the posting list of each keyword."""

    slugs: tuple[str, ...]
    moments: FloatArray  # NaN when undated
    kids: tuple[npt.NDArray[np.int64], ...]  # per article: its keyword ids
    weights: tuple[FloatArray, ...]  # per article: the weight of each keyword's index
    flat: npt.NDArray[np.int64]  # every posting list, one after another, positions ascending
    flat_w: FloatArray  # aligned with flat: how strongly that article carries the keyword
    starts: npt.NDArray[np.int64]  # keyword id -> where its posting list starts in flat
    lens: npt.NDArray[np.int64]  # keyword id -> its posting list's length
    carried: npt.NDArray[np.int64]  # every article's keyword ids, one after another (kids)
    carried_end: npt.NDArray[np.int64]  # article -> where its keyword ids end in carried


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
            out.append((index, sorted({k for k in map(_key, names) if k}) if names else []))
    return out


@dataclass
class _Postings:
    """Every (article, keyword) posting, article by article: keyword, weight, carry."""

    count: IntArray  # per article: how many
    kid: IntArray
    weight: FloatArray
    carry: FloatArray


def _named(
    articles: Sequence[Article],
    order: list[int],
    tags_by_slug: Mapping[str, Sequence[str]],
    cfg: GroupingConfig,
    first_id: int,
) -> tuple[_Postings, int]:
    """Postings of the named keywords (by time), numbered by first use from first_id."""
    weights = cfg.weights
    ids: dict[tuple[str, str], int] = {}
    count: list[int] = []
    kid: list[int] = []
    weight: list[float] = []
    for i in order:
        article = articles[i]
        before = len(kid)
        for index, keys in _entity_keys(article, tags_by_slug.get(article.slug, ()), cfg):
            # len(ids) is read before setdefault adds the key: the next free id.
            kid += [first_id + ids.setdefault((index, key), len(ids)) for key in keys]
            weight += [weights[index]] * len(keys)
        count.append(len(kid) - before)
    found = _Postings(
        np.array(count, dtype=np.int64),
        np.array(kid, dtype=np.int64),
        np.array(weight, dtype=np.float64),
        np.ones(len(kid), dtype=np.float64),
    )
    return found, len(ids)


def _word_postings(counter: _Words, order: list[int], per_word: float) -> _Postings:
    """Postings of every article's most used words (by time), counted in blocks of articles."""
    n = len(order)
    sizes: list[IntArray] = []
    ids: list[IntArray] = []
    tfs: list[IntArray] = []
    for first in range(0, n, _WORD_BLOCK):
        starts, i, t = counter.block(first, min(first + _WORD_BLOCK, n))
        sizes.append(np.diff(starts))
        ids.append(i)
        tfs.append(t)
    size = _concat(sizes)
    strength = per_word * _saturated(_concat(tfs).astype(np.float64))
    # From the analysis' order (blocks above) to time order.
    by_time = _regroup(size, np.array(order, dtype=np.int64))
    return _Postings(
        size[order], _concat(ids)[by_time], strength[by_time], (strength / per_word)[by_time]
    )


def _regroup(sizes: IntArray, order: IntArray) -> IntArray:
    """Indices that lay runs of the given sizes end to end in another order (order[k] first)."""
    starts = np.cumsum(sizes) - sizes
    picked = sizes[order]
    offs = np.cumsum(picked) - picked
    out = np.repeat(starts[order] - offs, picked)
    out += np.arange(len(out))
    return out


def _merge(first: _Postings, then: _Postings) -> _Postings:
    """Each article's postings of `first`, then its postings of `then`."""
    count = first.count + then.count
    parts = np.empty((2, len(count)), dtype=np.int64)
    parts[0], parts[1] = first.count, then.count
    # Runs of `first` and `then` interleaved: first's for article 0, then's, first's for 1 …
    sizes = parts.T.ravel()
    heads = np.cumsum(parts, axis=1) - parts
    offsets = (heads + np.array([[0], [len(first.kid)]])).T.ravel()
    at = np.repeat(offsets, sizes)
    at += np.arange(len(at)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return _Postings(
        count,
        np.concatenate([first.kid, then.kid])[at],
        np.concatenate([first.weight, then.weight])[at],
        np.concatenate([first.carry, then.carry])[at],
    )


def _build(
    articles: Sequence[Article],
    tags_by_slug: Mapping[str, Sequence[str]],
    cfg: GroupingConfig,
    an: Analysis,
) -> RelatedIndex:
    """Number articles by time and keywords by first use; fill the posting lists.

    Word keywords are numbered by word id; the named ones after all words.
    """
    moments_of = [_moment(a) for a in articles]
    order = sorted(
        range(len(articles)),
        key=lambda i: (moments_of[i] is None, moments_of[i] or 0.0, articles[i].slug),
    )
    per_word = cfg.weights["words"]
    n_words = an.n_words
    post, n_named = _named(articles, order, tags_by_slug, cfg, n_words)
    if per_word > 0:
        post = _merge(post, _word_postings(_Words(an, cfg), order, per_word))
    ends = np.cumsum(post.count)
    positions = np.repeat(np.arange(len(order)), post.count)
    # A stable sort by keyword lays the posting lists end to end, positions ascending.
    by_kid = np.argsort(post.kid, kind="stable")
    lens = np.bincount(post.kid, minlength=n_words + n_named).astype(np.int64)
    moments = np.array(
        [m if (m := moments_of[i]) is not None else np.nan for i in order], dtype=float
    )
    return RelatedIndex(
        tuple(articles[i].slug for i in order),
        moments,
        _split(post.kid, ends),
        _split(post.weight, ends),
        positions[by_kid],
        post.carry[by_kid],
        np.cumsum(lens) - lens,
        lens,
        post.kid,
        ends,
    )


def _scores(
    ix: RelatedIndex, pos: int, at: IntArray, cfg: GroupingConfig
) -> tuple[IntArray, FloatArray, IntArray]:
    """Candidates of one article with their weighted keyword scores and shared-keyword counts.

    Each of the article's posting lists is cut to the `cap` entries nearest the article in
    time (older only: the latest ones before it); only those windows are read (numpy), so
    the work grows with the cap, not with how common a keyword is. Scores add up in the
    article's keyword order, so every sum is the same to the bit however it is walked.
    `at` holds, per keyword of the article, how many older articles carry it.
    """
    kids = ix.kids[pos]
    if not len(kids):
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int64)
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
    # Entry j of keyword k's window sits at starts + lo - offs + j in flat.
    where = np.repeat(starts + lo - offs, counts)
    where += np.arange(len(where))
    cands = ix.flat[where]
    gains = np.repeat(gain, counts)
    gains *= ix.flat_w[where]
    scores = np.bincount(cands, weights=gains, minlength=size).astype(np.float64, copy=False)
    shared = np.bincount(cands, minlength=size).astype(np.int64, copy=False)
    shared[pos] = 0  # the article's own entries only ever add to its own slot
    found = np.flatnonzero(shared > 0)  # twice as fast as on the counts themselves
    return found, scores[found], shared[found]


def _date_bonus(moments: FloatArray, me: float, weight: float) -> FloatArray:
    """Full weight in the same week, half in the next, nothing beyond or when undated."""
    weeks = np.abs(moments - me) / _WEEK
    # Comparisons with NaN (undated) are false: no bonus.
    return np.where(weeks < 1, weight, np.where(weeks < 2, weight / 2, 0.0))


@dataclass(frozen=True)
class _Bars:
    """What ranking reads besides the index: keyword counts, date windows, score bars."""

    sizes: FloatArray  # per article: its keyword count (at least 1)
    near: npt.NDArray[np.int64]  # 2 × articles: positions that may lie within two weeks
    bars: FloatArray  # shared keyword count -> the score a candidate needs

    @classmethod
    def of(cls, ix: RelatedIndex, cfg: GroupingConfig) -> _Bars:
        """Worked out once for every article."""
        sizes = np.array([max(1.0, float(len(k))) for k in ix.kids])
        # Generous by a second: the bonus itself is computed exactly within the window.
        reach = 2 * _WEEK * (1 + 1e-9) + 1.0
        m = ix.moments  # ascending, undated (NaN) last
        near = np.array(
            [np.searchsorted(m, m - reach, "left"), np.searchsorted(m, m + reach, "right")]
        )
        most = max((len(k) for k in ix.kids), default=0) + 1
        shared = np.maximum(np.arange(most, dtype=np.float64), 1)
        return cls(sizes, near, cfg.related_threshold / np.sqrt(shared))


def _ranked(
    ix: RelatedIndex,
    bars: _Bars,
    pos: int,
    at: IntArray,
    cfg: GroupingConfig,
    banned: Collection[str],
) -> tuple[str, ...]:
    """The best candidates of one article, by score, then closeness in time, then slug."""
    me = float(ix.moments[pos])
    if cfg.related_older_only and math.isnan(me):
        return ()  # an undated story has no place in time: nothing is surely older
    found, raw, shared = _scores(ix, pos, at, cfg)
    score = raw / np.sqrt(bars.sizes[found] * bars.sizes[pos])
    if not math.isnan(me):
        # Only candidates within two weeks get a bonus (adding nothing to the rest is exact).
        first, last = np.searchsorted(found, bars.near[:, pos])
        near = slice(int(first), int(last))
        score[near] += _date_bonus(ix.moments[found[near]], me, cfg.weight_date)
    # Several shared keywords vouch for each other, so the bar falls as they add up.
    picks = np.flatnonzero(score >= bars.bars[shared])
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
    an = analysis if analysis is not None else analyse(articles, cfg)
    return rank_related(related_index(articles, tags_by_slug, cfg, an), cfg, exclude)


def related_index(
    articles: Sequence[Article],
    tags_by_slug: Mapping[str, Sequence[str]],
    cfg: GroupingConfig,
    analysis: Analysis,
) -> RelatedIndex:
    """The keyword index `rank_related` reads (the analysis is not needed after it)."""
    return _build(articles, tags_by_slug, cfg, analysis)


def rank_related(
    ix: RelatedIndex,
    cfg: GroupingConfig,
    exclude: Mapping[str, Collection[str]] | None = None,
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> dict[str, tuple[str, ...]]:
    """related() from its index, ranked on `workers` forked processes each taking a slice.

    `meanwhile` runs in this process while the workers rank (first, when serial).
    """
    exclude = exclude or {}
    bars = _Bars.of(ix, cfg)
    bounds = slices(len(ix.slugs), workers * 4 if workers > 1 else 1)

    def rank(part: int) -> list[tuple[str, ...]]:
        """The related stories of one slice of the articles (in time order)."""
        first, last = bounds[part]
        # Articles go oldest first, so a running count per keyword says how many older
        # articles carry it: where the article sits in each of its posting lists.
        older = int(ix.carried_end[first - 1]) if first else 0
        seen = np.bincount(ix.carried[:older], minlength=len(ix.lens))
        out: list[tuple[str, ...]] = []
        for pos in range(first, last):
            kids = ix.kids[pos]
            banned = exclude.get(ix.slugs[pos], frozenset())
            out.append(_ranked(ix, bars, pos, seen[kids], cfg, banned))
            seen[kids] += 1
        return out

    ranked = imap_parts(rank, len(bounds), workers, meanwhile)
    return dict(zip(ix.slugs, (r for part in ranked for r in part), strict=True))


def _split(flat: npt.NDArray[Any], ends: IntArray) -> tuple[npt.NDArray[Any], ...]:
    """Runs of flat ending at each of ends, as views."""
    return tuple(np.split(flat, ends[:-1])) if len(ends) else ()


def _concat(arrays: Sequence[IntArray]) -> IntArray:
    """Arrays end to end (an empty int array for none)."""
    return np.concatenate(arrays) if len(arrays) else np.zeros(0, dtype=np.int64)
