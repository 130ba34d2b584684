"""The analysis' reading pass on several processes, giving exactly what the serial pass gives.

Three rounds of forked workers, each forked when the parent holds what it reads:

1. scan: chunks of articles are tokenised and their raw tokens numbered (each worker
   numbers those new to it; the parent maps every worker's numbers to its own);
2. fold: the raw tokens new to the parent are folded into keys, each exactly once;
3. build: each chunk's texts become its arrays (`analysis._chunk_parts`), in the parent's
   ids. The odd text that needs new raws (a ligature split into words) numbers them in the
   worker, and the parent adopts them as in round 1, with their keys.

Ids differ from a serial pass' (they already differ from build to build, as the tables are
kept across builds); nothing read from the analysis depends on them.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np

from generator.content.model import Article
from generator.index.analysis import (
    _DEFINITE,
    _ID,
    BoolArray,
    IntArray,
    _chunk_parts,
    _Facts,
    _split_texts,
    _Tables,
)
from generator.index.grouping import _TOKEN, GAP, GroupingConfig, fold_keys, is_stop_key
from generator.index.pool import imap_parts, map_parts, slices

__all__ = ["read_parallel"]

Parts = dict[str, Any]


def read_parallel(
    tables: _Tables,
    articles: Sequence[Article],
    cfg: GroupingConfig,
    workers: int,
    chunk: int,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Parts]:
    """Each chunk's arrays, in order, as `analysis._read` gives them, on `workers` processes.

    `meanwhile` runs here while the workers tokenise.
    """
    n_chunks = -(-len(articles) // chunk)
    scanner = _Scanner(tables, articles, chunk)
    numbering = _Merger(tables)
    texts: list[tuple[IntArray, IntArray] | None] = []
    for pid, rids, lens, news in imap_parts(scanner.scan, n_chunks, workers, meanwhile):
        raw_map, _ = numbering.adopt(pid, news)
        texts.append((_remap(rids, numbering.n_raws, raw_map), lens))
    del numbering
    _fold_new(tables, workers)
    builder = _Builder(tables, texts, cfg)
    merger = _Merger(tables)
    for part, (pid, parts, news) in enumerate(imap_parts(builder.build, n_chunks, workers)):
        texts[part] = None  # the workers have their own copy
        yield merger.merge(pid, parts, news)


@dataclass
class _News:
    """Raw tokens (and keys) a worker numbered since its last chunk, for the parent to adopt."""

    first_raw: int  # the worker's id of raws[0]
    raws: list[str]
    first_word: int  # the worker's id of words[0]
    words: list[str]
    # With keys (round 3): the worker's key id of each raw (or a marker), and more.
    raw_key: IntArray | None = None
    raw_definite: BoolArray | None = None
    special: dict[int, str] | None = None  # index in raws -> its key, at the marker -2
    facts: _Facts | None = None  # of each word


class _Scanner:
    """Round 1 in a worker: tokenise chunks, number the raws (keys come in round 2)."""

    def __init__(self, tables: _Tables, articles: Sequence[Article], chunk: int) -> None:
        """The worker's copy of the tables; the parent knows every raw numbered before."""
        self.tables, self.articles, self.chunk = tables, articles, chunk
        self.sent = len(tables.raws)

    def scan(self, part: int) -> tuple[int, IntArray, IntArray, _News]:
        """One chunk's headlines and bodies as raw ids end to end, their lengths, new raws."""
        t = self.tables
        chunk = self.articles[part * self.chunk : (part + 1) * self.chunk]
        texts = [_TOKEN.findall(text) for a in chunk for text in (a.title, a.body)]
        flat = list(chain.from_iterable(texts))
        rids = np.fromiter(map(t.raw_ids.get, flat, repeat(-1)), dtype=_ID, count=len(flat))
        missing = np.flatnonzero(rids < 0).tolist()
        if missing:
            # Only this throwaway copy numbers raws without keys: round 3 forks afresh.
            new = list(dict.fromkeys([flat[i] for i in missing]))
            first = len(t.raws)
            t.raws += new
            t.raw_ids.update(zip(new, range(first, len(t.raws)), strict=True))
            rids[missing] = [t.raw_ids[flat[i]] for i in missing]
        news = _News(self.sent, t.raws[self.sent :], len(t.words), [])
        self.sent = len(t.raws)
        return os.getpid(), rids, np.array([len(x) for x in texts], dtype=np.int64), news


def _fold_new(tables: _Tables, workers: int) -> None:
    """Round 2: the keys of the raws numbered without one, folded once, on the workers."""
    first = len(tables.raw_key)
    todo = tables.raws[first:]
    bounds = slices(len(todo), workers * 2)

    def fold(part: int) -> tuple[list[str], BoolArray, _Facts]:
        """Keys of a slice of the new raws, with whether each is written with ال, and facts."""
        raws = todo[slice(*bounds[part])]
        keyed = fold_keys(raws)
        keys = [keyed[r] for r in raws]
        definite = np.array([r.startswith(_DEFINITE) for r in raws], dtype=np.bool_)
        return keys, definite, _key_facts(keys)

    found = map_parts(fold, len(bounds), workers)  # slices() gives at least one part
    tables.settle(
        [k for keys, _, _ in found for k in keys],
        np.concatenate([d for _, d, _ in found]),
        _Facts(
            np.concatenate([f.crc for _, _, f in found]),
            np.concatenate([f.stop for _, _, f in found]),
            np.concatenate([f.short for _, _, f in found]),
        ),
    )


def _key_facts(keys: list[str]) -> _Facts:
    """`_Tables`' facts of each key (those of a break or an odd key are never read)."""
    words = [k if k and k != GAP and " " not in k else "" for k in keys]
    return _Facts(
        np.array([zlib.crc32(w.encode("utf-8")) for w in words], dtype=np.uint64),
        np.array([bool(w) and is_stop_key(w) for w in words], dtype=np.bool_),
        np.array([len(w) <= 2 for w in words], dtype=np.bool_),
    )


class _Builder:
    """Round 3 in a worker: a chunk's arrays from its raw ids (the tables now hold every key)."""

    def __init__(
        self,
        tables: _Tables,
        texts: list[tuple[IntArray, IntArray] | None],
        cfg: GroupingConfig,
    ) -> None:
        """Remember where the tables stood at the fork: the parent knows everything below."""
        self.tables, self.texts, self.cfg = tables, texts, cfg
        self.sent_raws, self.sent_words = len(tables.raws), len(tables.words)

    def build(self, part: int) -> tuple[int, Parts, _News]:
        """One chunk's arrays (in this worker's ids) and what it numbered for them."""
        t = self.tables
        found = self.texts[part]
        assert found is not None
        rids, lens = found
        parts = _chunk_parts(t, _split_texts(t, rids, lens.tolist()), self.cfg)
        r0, w0 = self.sent_raws, self.sent_words
        news = _News(
            r0,
            t.raws[r0:],
            w0,
            t.words[w0:],
            t.raw_key[r0:],
            t.raw_definite[r0:],
            {rid - r0: key for rid, key in t.special.items() if rid >= r0},
            _Facts(t.crc[w0:], t.stop[w0:], t.short[w0:]),
        )
        self.sent_raws, self.sent_words = len(t.raws), len(t.words)
        return os.getpid(), parts, news


class _Merger:
    """The parent's side: adopts each worker's new raws and words, and maps its ids to its own."""

    def __init__(self, tables: _Tables) -> None:
        """Ids below the table sizes at the fork are the same in every worker."""
        self.tables = tables
        self.n_raws, self.n_words = len(tables.raws), len(tables.words)
        # Per worker: its ids from the fork sizes on -> the parent's ids.
        self.raw_map: dict[int, IntArray] = {}
        self.word_map: dict[int, IntArray] = {}

    def merge(self, pid: int, parts: Parts, news: _News) -> Parts:
        """A worker's chunk in the parent's ids."""
        raw_map, word_map = self.adopt(pid, news)
        for name in ("ts", "ls"):
            parts[name] = _remap(parts[name], self.n_raws, raw_map)
        for name in ("tk", "lk", "def"):
            parts[name] = _remap(parts[name], self.n_words, word_map)
        return parts

    def adopt(self, pid: int, news: _News) -> tuple[IntArray, IntArray]:
        """Number what the worker found new, with its keys when it sends them (never refolded)."""
        t = self.tables
        raw_map = self.raw_map.get(pid, np.zeros(0, dtype=_ID))
        word_map = self.word_map.get(pid, np.zeros(0, dtype=_ID))
        # Each worker takes its chunks in order, and they are merged in order.
        assert news.first_raw == self.n_raws + len(raw_map), "chunks merged out of order"
        assert news.first_word == self.n_words + len(word_map), "chunks merged out of order"
        if news.facts is not None:
            word_map = np.concatenate([word_map, t.adopt_words(news.words, news.facts)])
        if news.raw_key is None or news.raw_definite is None:
            ids = t.number_raws(news.raws)
        else:
            keys = _remap(news.raw_key, self.n_words, word_map)
            ids = t.adopt_raws(news.raws, keys, news.raw_definite, news.special or {})
        self.raw_map[pid] = raw_map = np.concatenate([raw_map, ids])
        self.word_map[pid] = word_map
        return raw_map, word_map


def _remap(ids: IntArray, fixed: int, new: IntArray) -> IntArray:
    """Ids below `fixed` kept (and negative markers), the rest looked up in new[id - fixed]."""
    out = ids.copy()
    moved = ids >= fixed
    out[moved] = new[ids[moved] - fixed]
    return out
