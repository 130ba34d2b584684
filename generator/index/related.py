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

import heapq
import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.extract.arabic import match_key
from generator.extract.stopwords import stopwords
from generator.index.grouping import GAP, GroupingConfig, tokenise

__all__ = ["keywords", "related"]

_WEEK = 7 * 86400.0
# A keyword in this few articles is never cut as over-common (small archives).
_MIN_CUT = 3
_TITLE_WEIGHT = 2  # a word of the headline counts twice when picking an article's words

FloatArray = npt.NDArray[np.float64]


def _moment(article: Article) -> float | None:
    """Seconds since the epoch (naive dates read as UTC), None when undated."""
    if article.date is None:
        return None
    when: datetime = article.date if article.date.tzinfo else article.date.replace(tzinfo=UTC)
    return when.timestamp()


def _words(article: Article, cfg: GroupingConfig) -> list[str]:
    """The article's most used content words (headline counted twice, body's lead only)."""
    if cfg.related_words <= 0:
        return []
    lead = tokenise(article.body).keys[: cfg.tag_body_words]
    keys = tokenise(article.title).keys * _TITLE_WEIGHT + lead
    counts = Counter(keys)
    # Set difference runs in C; sorting first makes ties fall alphabetically, so the choice
    # is deterministic (set order of strings is not).
    words = sorted(k for k in counts.keys() - _stop_keys() if len(k) > 2 and not k.isdigit())
    return heapq.nlargest(cfg.related_words, words, key=counts.__getitem__)


@lru_cache(maxsize=1)
def _stop_keys() -> frozenset[str]:
    """Stopword keys plus the break marker, for one set difference per article."""
    return frozenset(stopwords()) | {GAP}


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
    starts: npt.NDArray[np.int64]  # keyword id -> where its posting list starts in flat
    lens: npt.NDArray[np.int64]  # keyword id -> its posting list's length


@lru_cache(maxsize=100_000)
def _key(name: str) -> str:
    """Cached matching key of a tag or entity name."""
    return match_key(name)


def _build(
    articles: Sequence[Article], tags_by_slug: Mapping[str, Sequence[str]], cfg: GroupingConfig
) -> _Index:
    """Number articles by time and keywords by first use; fill the posting lists."""
    order = sorted(articles, key=lambda a: (_moment(a) is None, _moment(a) or 0.0, a.slug))
    weights = cfg.weights
    ids: dict[tuple[str, str], int] = {}
    postings: list[list[int]] = []
    kids: list[npt.NDArray[np.int64]] = []
    wts: list[FloatArray] = []
    for pos, article in enumerate(order):
        mine: list[int] = []
        mine_w: list[float] = []
        for index, keys in keywords(article, tags_by_slug.get(article.slug, ()), cfg).items():
            if weights[index] <= 0:
                continue
            for key in sorted(keys):
                kid = ids.setdefault((index, key), len(ids))
                if kid == len(postings):
                    postings.append([])
                postings[kid].append(pos)
                mine.append(kid)
                mine_w.append(weights[index])
        kids.append(np.array(mine, dtype=np.int64))
        wts.append(np.array(mine_w, dtype=float))
    lens = np.array([len(p) for p in postings], dtype=np.int64)
    flat = np.array([x for p in postings for x in p], dtype=np.int64)
    moments = np.array([m if (m := _moment(a)) is not None else np.nan for a in order], dtype=float)
    return _Index(
        tuple(a.slug for a in order),
        moments,
        tuple(kids),
        tuple(wts),
        flat,
        np.cumsum(lens) - lens,
        lens,
    )


def _scores(ix: _Index, pos: int, cfg: GroupingConfig) -> tuple[FloatArray, FloatArray]:
    """Weighted keyword scores and shared-keyword counts of every article for one article.

    Walks the article's posting lists at once (numpy): each list is cut to the `cap`
    entries nearest the article in time (older only: the latest ones before it).
    """
    size = len(ix.slugs)
    kids = ix.kids[pos]
    if not len(kids):
        return np.zeros(size), np.zeros(size)
    older, cap = cfg.related_older_only, cfg.related_max_postings
    lens = ix.lens[kids]
    offs = np.cumsum(lens) - lens
    local = np.arange(int(lens.sum())) - np.repeat(offs, lens)
    cands = ix.flat[np.repeat(ix.starts[kids], lens) + local]
    before = cands < pos
    at = np.add.reduceat(before, offs)  # entries older than the article, per keyword
    n = pos + 1 if older else size
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
    scores = np.bincount(walked, weights=np.repeat(gain, lens)[keep], minlength=size).astype(
        np.float64
    )
    shared: FloatArray = np.bincount(walked, minlength=size).astype(np.float64)
    return scores, shared


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
    raw, shared = _scores(ix, pos, cfg)
    found = shared > 0
    score = raw / np.sqrt(sizes * sizes[pos])
    if not math.isnan(me):
        score = score + _date_bonus(ix.moments, me, cfg.weight_date) * found
    # Several shared keywords vouch for each other, so the bar falls as they add up.
    keep = found & (score >= cfg.related_threshold / np.sqrt(np.maximum(shared, 1)))
    if cfg.related_older_only:
        keep[pos:] = False
    picks = np.flatnonzero(keep)
    if len(picks) > 4 * cfg.related_count + 20:
        top = np.argpartition(-score[picks], 4 * cfg.related_count + 20)
        picks = picks[top[: 4 * cfg.related_count + 20]]
    rows = []
    for cand in picks.tolist():
        slug = ix.slugs[cand]
        if slug not in banned:
            gap = abs(me - float(ix.moments[cand]))
            rows.append((-round(float(score[cand]), 9), math.inf if math.isnan(gap) else gap, slug))
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
