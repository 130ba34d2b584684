"""Same story: near-duplicate bodies (one wire copy under several headlines, a page crawled twice).

Each body becomes a set of word shingles over its matching keys. A bottom-k MinHash sketch
(the k smallest shingle hashes) stands for the set: near-identical sets share most of their
k smallest hashes under any fixed hash, so an inverted index over sketch values yields the
candidate pairs (the job LSH banding does, without O(N²) work). Every candidate pair is then
checked on the real shingle sets (Jaccard, or containment when one copy is a trimmed version
of the other) and accepted pairs are grouped with union-find. Bodies too short to shingle
reliably are never grouped.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.extract.arabic import match_key
from generator.index.analysis import Analysis, analyse, window_hashes
from generator.index.grouping import GAP, GroupingConfig, tokenise

__all__ = ["same_story", "shingles"]

U64Array = npt.NDArray[np.uint64]

# Sketch values shared by more bodies than this are boilerplate, not evidence.
_MAX_POSTING = 20
# Share of the smaller sketch two bodies must share to be compared in full.
_MIN_SKETCH_SHARE = 0.1
# Under the same headline (at least this many words) a third of shared text is enough.
_MIN_TITLE_WORDS = 4
_SAME_TITLE_CONTAINMENT = 0.3
# Headlines sharing no content word: the texts must be nearly the same. (Asking for two
# shared words split real copies whose headlines share only a place name.)
_MIN_SHARED_WORDS = 1
_UNTITLED_JACCARD = 0.7


@lru_cache(maxsize=400_000)
def _word_id(key: str) -> int:
    """A stable number for a word (CRC-32: the same in every run, unlike hash(str))."""
    return zlib.crc32(key.encode("utf-8"))


def _shingle_array(text: str, size: int) -> U64Array:
    """The `size`-word shingles of a text's matching keys as sorted, unique 64-bit hashes."""
    keys = tokenise(text).keys
    ids = np.fromiter(map(_word_id, (k for k in keys if k != GAP)), dtype=np.uint64)
    return window_hashes(ids, size)


def shingles(text: str, size: int) -> frozenset[int]:
    """The `size`-word shingles of a text's matching keys, each as a stable 64-bit hash."""
    return frozenset(_shingle_array(text, size).tolist())


def _candidates(sketches: dict[str, U64Array]) -> set[tuple[str, str]]:
    """Pairs of bodies sharing enough sketch values, through an inverted index (numpy sort)."""
    slugs = sorted(sketches)
    if not slugs:
        return set()
    values = np.concatenate([sketches[s] for s in slugs])
    owners = np.repeat(np.arange(len(slugs)), [len(sketches[s]) for s in slugs])
    order = np.argsort(values, kind="stable")
    values, owners = values[order], owners[order]
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    sizes = np.diff(np.r_[starts, len(values)])
    # Every pair of owners of each shared value, all values of one posting size at once.
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    for size in range(2, _MAX_POSTING + 1):
        group = starts[sizes == size]
        if not len(group):
            continue
        members = owners[group[:, None] + np.arange(size)]
        i, j = np.triu_indices(size, 1)
        firsts.append(members[:, i].ravel())
        seconds.append(members[:, j].ravel())
    if not firsts:
        return set()
    n = len(slugs)
    pairs, shared = np.unique(
        np.concatenate(firsts) * n + np.concatenate(seconds), return_counts=True
    )
    lens = np.array([len(sketches[s]) for s in slugs], dtype=np.int64)
    a, b = pairs // n, pairs % n
    good = shared >= _MIN_SKETCH_SHARE * np.minimum(lens[a], lens[b])
    return {(slugs[x], slugs[y]) for x, y in zip(a[good].tolist(), b[good].tolist(), strict=True)}


def _headline_share(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the shorter headline's content words found in the other (0 when none)."""
    common = len(a & b)
    return common / min(len(a), len(b)) if common >= _MIN_SHARED_WORDS else 0.0


def _common(a: U64Array, b: U64Array) -> int:
    """How many values two sorted sets of hashes share (a binary search of the larger)."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return 0
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return int(np.count_nonzero(b[at] == a))


def _same(a: U64Array, b: U64Array, cfg: GroupingConfig, same_title: bool, share: float) -> bool:
    """Whether two shingle sets are the same text: high Jaccard, or one nearly inside the other.

    The headlines weigh in. Under one headline a reworked copy counts with less overlap (a
    same-outlet rewrite). Under headlines sharing no content word, only a nearly identical
    text is a copy: two bodies that share a template (a weather bulletin, an official
    statement) or a roundup and one of its items say different things under different
    headlines. (Lowering the bar for headlines sharing most words was tried: it found
    rewrites, and as many template pairs, so it is not done.)
    """
    common = _common(a, b)
    if common < cfg.same_story_min_shingles:
        return False
    jaccard = common / (len(a) + len(b) - common)
    containment = common / min(len(a), len(b))
    if same_title and containment >= _SAME_TITLE_CONTAINMENT:
        return True
    if not share and not same_title:
        return jaccard >= _UNTITLED_JACCARD
    return jaccard >= cfg.same_story_min_jaccard or containment >= cfg.same_story_min_containment


def _title_pairs(
    articles: Sequence[Article], usable: Mapping[str, U64Array]
) -> set[tuple[str, str]]:
    """Pairs of articles with the same headline (after normalisation, long enough to tell)."""
    by_title: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        key = match_key(article.title)
        if article.slug in usable and key.count(" ") + 1 >= _MIN_TITLE_WORDS:
            by_title[key].append(article.slug)
    return {
        (a, b)
        for slugs in by_title.values()
        if len(slugs) <= _MAX_POSTING
        for a, b in combinations(sorted(slugs), 2)
    }


class _UnionFind:
    """Disjoint sets over slugs; the smallest slug is each set's root, for stable output."""

    def __init__(self) -> None:
        """Start with no sets."""
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        """Root of x, halving paths on the way."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        """Join the sets of a and b."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Each member -> the other members of its set, sorted."""
        members: dict[str, list[str]] = defaultdict(list)
        for slug in self.parent:
            members[self.find(slug)].append(slug)
        return {
            slug: tuple(sorted(s for s in group if s != slug))
            for group in members.values()
            for slug in sorted(group)
        }


def same_story(
    articles: Sequence[Article],
    cfg: GroupingConfig | None = None,
    analysis: Analysis | None = None,
) -> dict[str, tuple[str, ...]]:
    """For every article in a same-story group: the other members (slug -> sorted slugs)."""
    cfg = cfg or GroupingConfig()
    an = analysis if analysis is not None else analyse(articles, cfg)
    sets = {
        a.slug: sh
        for i, a in enumerate(articles)
        if len(sh := an.shingles(i)) >= cfg.same_story_min_shingles
    }
    # np.unique sorts, so the first k hashes are the bottom-k sketch.
    sketches = {s: sh[: cfg.same_story_sketch] for s, sh in sets.items()}
    titled = _title_pairs(articles, sets)
    # Word ids stand for the headline words: one id per key, so shares are the same.
    words = {a.slug: an.title_words(i) for i, a in enumerate(articles) if a.slug in sets}
    found = _UnionFind()
    for a, b in sorted(_candidates(sketches) | titled):
        share = _headline_share(words[a], words[b])
        if _same(sets[a], sets[b], cfg, (a, b) in titled, share):
            found.union(a, b)
    groups = found.groups()
    return {s: groups[s] for s in sorted(groups)}
