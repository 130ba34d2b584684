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
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

from generator.content.model import Article
from generator.extract.arabic import match_key
from generator.index.grouping import GroupingConfig, word_keys

__all__ = ["same_story", "shingles"]

# Sketch values shared by more bodies than this are boilerplate, not evidence.
_MAX_POSTING = 20
# Share of the smaller sketch two bodies must share to be compared in full.
_MIN_SKETCH_SHARE = 0.1
# Under the same headline (at least this many words) a third of shared text is enough.
_MIN_TITLE_WORDS = 4
_SAME_TITLE_CONTAINMENT = 0.3


@lru_cache(maxsize=400_000)
def _word_id(key: str) -> int:
    """A stable number for a word (CRC-32: the same in every run, unlike hash(str))."""
    return zlib.crc32(key.encode("utf-8"))


def shingles(text: str, size: int) -> frozenset[int]:
    """The `size`-word shingles of a text's matching keys, each as a stable 64-bit hash.

    A hash of a tuple of ints is the same in every run (only str hashes are salted).
    """
    ids = list(map(_word_id, word_keys(text)))
    return frozenset(map(hash, zip(*(ids[i:] for i in range(size)), strict=False)))


def _sketch(shingle_set: frozenset[int], k: int) -> list[int]:
    """Bottom-k sketch: the k smallest shingle hashes."""
    return sorted(shingle_set)[:k]


def _candidates(sketches: dict[str, list[int]]) -> set[tuple[str, str]]:
    """Pairs of bodies sharing enough sketch values, through an inverted index."""
    postings: dict[int, list[str]] = defaultdict(list)
    for slug in sorted(sketches):
        for value in sketches[slug]:
            postings[value].append(slug)
    shared: Counter[tuple[str, str]] = Counter()
    for slugs in postings.values():
        if 1 < len(slugs) <= _MAX_POSTING:
            shared.update(combinations(slugs, 2))
    return {
        pair
        for pair, n in shared.items()
        if n >= _MIN_SKETCH_SHARE * min(len(sketches[pair[0]]), len(sketches[pair[1]]))
    }


def _same(a: frozenset[int], b: frozenset[int], cfg: GroupingConfig, same_title: bool) -> bool:
    """Whether two shingle sets are the same text: high Jaccard, or one nearly inside the other.

    Under one headline a reworked copy counts with less overlap (a same-outlet rewrite).
    """
    common = len(a & b)
    if common < cfg.same_story_min_shingles:
        return False
    jaccard = common / (len(a) + len(b) - common)
    containment = common / min(len(a), len(b))
    if same_title and containment >= _SAME_TITLE_CONTAINMENT:
        return True
    return jaccard >= cfg.same_story_min_jaccard or containment >= cfg.same_story_min_containment


def _title_pairs(
    articles: Sequence[Article], usable: dict[str, frozenset[int]]
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
    articles: Sequence[Article], cfg: GroupingConfig | None = None
) -> dict[str, tuple[str, ...]]:
    """For every article in a same-story group: the other members (slug -> sorted slugs)."""
    cfg = cfg or GroupingConfig()
    sets = {a.slug: shingles(a.body, cfg.same_story_shingle) for a in articles}
    sets = {s: sh for s, sh in sets.items() if len(sh) >= cfg.same_story_min_shingles}
    sketches = {s: _sketch(sh, cfg.same_story_sketch) for s, sh in sets.items()}
    titled = _title_pairs(articles, sets)
    found = _UnionFind()
    for a, b in sorted(_candidates(sketches) | titled):
        if _same(sets[a], sets[b], cfg, (a, b) in titled):
            found.union(a, b)
    groups = found.groups()
    return {s: groups[s] for s in sorted(groups)}
