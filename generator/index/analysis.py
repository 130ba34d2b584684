"""One pass over the archive's texts for every grouping step, kept as compact word ids.

Tags, related stories and same-story groups all read the same tokens (`grouping.tokenise`).
Holding every text's tokens as strings, and every lead's phrase counts as a Counter, cost
gigabytes on a large archive, so the texts are read here once, in chunks, into numbers:
each word key gets an id (kept across builds, as `arshif serve` rebuilds often), each raw
token an id, and every article keeps only what later steps read: the ids of its headline and
lead, its body's shingle hashes, and its phrases (as integer codes) with their counts.
The results are exactly those of the string-based functions they replace. On several
cores the chunks are read by forked workers (`reading.py`), with the same results.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.index.grouping import (
    _TOKEN,
    GAP,
    GroupingConfig,
    fold_keys,
    is_stop_key,
)

__all__ = ["Analysis", "analyse", "count_phrases", "shingle_hashes", "window_hashes"]

IntArray = npt.NDArray[np.integer[Any]]
U64Array = npt.NDArray[np.uint64]
BoolArray = npt.NDArray[np.bool_]

_ID = np.int32  # raw and word ids (a table is started afresh long before 2**31)
_BREAK_ID = -1  # key id of a break (GAP)
_SPECIAL_ID = -2  # key id of a raw token folding into no key or several (a ligature)
_DEFINITE = ("ال", "وال", "بال", "فال", "كال", "لل")  # a word written with the article
_CHUNK = 256  # articles tokenised together: one normalise call for their new words
_TITLE_WEIGHT = 2  # a phrase in the headline counts as two mentions (as in lead_grams)
_MAX_RAWS = 2_000_000  # raw-token table size at which a build starts afresh

_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constants: a cheap, well-mixing hash
_MIX = np.uint64(0xBF58476D1CE4E5B9)


@dataclass
class _Facts:
    """Per-word facts (as `_Tables` holds them) of some words."""

    crc: U64Array
    stop: BoolArray
    short: BoolArray


class _Tables:
    """Word keys and raw tokens seen so far, each numbered, with per-id facts as arrays."""

    def __init__(self) -> None:
        """Start empty."""
        self.vocab: dict[str, int] = {}  # key -> id
        self.words: list[str] = []  # id -> key
        self.raw_ids: dict[str, int] = {}  # raw token -> id
        self.raws: list[str] = []  # id -> raw token
        self.special: dict[int, str] = {}  # raw id -> its key, when that is "" or several
        self.raw_key = np.zeros(0, dtype=_ID)  # raw id -> key id (or a negative marker)
        self.raw_definite = np.zeros(0, dtype=np.bool_)  # raw id -> written with ال
        self.crc = np.zeros(0, dtype=np.uint64)  # key id -> CRC-32 of the key
        self.stop = np.zeros(0, dtype=np.bool_)  # key id -> stopword
        self.short = np.zeros(0, dtype=np.bool_)  # key id -> under three letters
        self.word_raw = np.zeros(0, dtype=_ID)  # key id -> raw id of the key itself, or -1

    def word(self, key: str) -> int:
        """The id of a key, numbering it if new."""
        found = self.vocab.get(key)
        if found is None:
            found = self.vocab[key] = len(self.words)
            self.words.append(key)
        return found

    def learn(self, raws: set[str]) -> None:
        """Number the raw tokens not seen before, with their keys."""
        new = [r for r in raws if r not in self.raw_ids]
        if not new:
            return
        keys = fold_keys(new)
        self._number(new)
        definite = np.array([r.startswith(_DEFINITE) for r in new], dtype=np.bool_)
        self.settle([keys[r] for r in new], definite)

    def settle(self, keys: list[str], definite: BoolArray, facts: _Facts | None = None) -> None:
        """Give the raws numbered without keys (the last len(keys)) their keys.

        The facts of each raw's key, when another process worked them out, are taken for
        the words new here; else they are worked out here.
        """
        first = len(self.raw_key)
        assert first + len(keys) == len(self.raws), "keys for raws not numbered"
        key_ids = np.empty(len(keys), dtype=_ID)
        fresh: list[int] = []
        for at, key in enumerate(keys):
            if key == GAP:
                key_ids[at] = _BREAK_ID
            elif not key or " " in key:
                key_ids[at] = _SPECIAL_ID
                self.special[first + at] = key
            else:
                wid = self.vocab.get(key)
                if wid is None:
                    wid = self.vocab[key] = len(self.words)
                    self.words.append(key)
                    fresh.append(at)
                key_ids[at] = wid
        self.raw_key = np.concatenate([self.raw_key, key_ids])
        self.raw_definite = np.concatenate([self.raw_definite, definite])
        if facts is None:
            self._grow()
            return
        assert len(self.crc) + len(fresh) == len(self.words), "word facts out of step"
        self.crc = np.concatenate([self.crc, facts.crc[fresh]])
        self.stop = np.concatenate([self.stop, facts.stop[fresh]])
        self.short = np.concatenate([self.short, facts.short[fresh]])
        self.word_raw = np.concatenate([self.word_raw, np.full(len(fresh), -1, dtype=_ID)])

    def adopt_words(self, words: list[str], facts: _Facts) -> IntArray:
        """Ids of words another process numbered (those new here numbered, with its facts)."""
        ids, new = _number_new(words, self.vocab, self.words)
        if len(new):
            self.crc = np.concatenate([self.crc, facts.crc[new]])
            self.stop = np.concatenate([self.stop, facts.stop[new]])
            self.short = np.concatenate([self.short, facts.short[new]])
            self.word_raw = np.concatenate([self.word_raw, np.full(len(new), -1, dtype=_ID)])
        return ids

    def number_raws(self, raws: list[str]) -> IntArray:
        """Ids of raw tokens, numbering those new here; their keys come later (`settle`)."""
        return self._number(raws)[0]

    def adopt_raws(
        self, raws: list[str], keys: IntArray, definite: BoolArray, special: dict[int, str]
    ) -> IntArray:
        """Ids of raw tokens another process numbered (with their key ids, in this table)."""
        ids, new = self._number(raws)
        for at in new[keys[new] == _SPECIAL_ID].tolist():
            self.special[int(ids[at])] = special[at]
        self.raw_key = np.concatenate([self.raw_key, keys[new].astype(_ID)])
        self.raw_definite = np.concatenate([self.raw_definite, definite[new]])
        return ids

    def _number(self, raws: list[str]) -> tuple[IntArray, IntArray]:
        """Ids of raw tokens, and where in raws those numbered now (new here) are."""
        return _number_new(raws, self.raw_ids, self.raws)

    def _grow(self) -> None:
        """Facts of the word ids numbered since the last call."""
        fresh = self.words[len(self.crc) :]
        if not fresh:
            return
        crcs = [zlib.crc32(w.encode("utf-8")) for w in fresh]
        self.crc = np.concatenate([self.crc, np.array(crcs, dtype=np.uint64)])
        stops = [is_stop_key(w) for w in fresh]
        self.stop = np.concatenate([self.stop, np.array(stops, dtype=np.bool_)])
        shorts = [len(w) <= 2 for w in fresh]
        self.short = np.concatenate([self.short, np.array(shorts, dtype=np.bool_)])
        self.word_raw = np.concatenate([self.word_raw, np.full(len(fresh), -1, dtype=_ID)])

    def raws_of_words(self, kids: IntArray) -> IntArray:
        """Raw ids of word keys read as raw tokens (numbering those not seen as tokens yet)."""
        missing = list(set(kids[self.word_raw[kids] < 0].tolist()))
        if missing:
            self.learn({self.words[k] for k in missing})
            self.word_raw[missing] = [self.raw_ids[self.words[k]] for k in missing]
        return self.word_raw[kids]

    def key_of_raw(self, raw: str) -> str:
        """The key of a raw token (as `grouping.word_key` gives it)."""
        self.learn({raw})
        rid = self.raw_ids[raw]
        kid = int(self.raw_key[rid])
        if kid == _BREAK_ID:
            return GAP
        return self.special[rid] if kid == _SPECIAL_ID else self.words[kid]


def _number_new(
    names: list[str], ids_of: dict[str, int], listed: list[str]
) -> tuple[IntArray, IntArray]:
    """Ids of names in a numbering (ids_of, listed), adding the new ones; and where those are."""
    ids = np.fromiter(map(ids_of.get, names, repeat(-1)), dtype=_ID, count=len(names))
    new = np.flatnonzero(ids < 0)
    if len(new):
        first = len(listed)
        listed += [names[i] for i in new.tolist()]
        ids_of.update(zip(listed[first:], range(first, len(listed)), strict=True))
        ids[new] = np.arange(first, len(listed))
    return ids, new


_TABLES = _Tables()


def _tables() -> _Tables:
    """The shared tables, started afresh when the raw-token table has grown too large."""
    global _TABLES
    # A build that stopped between numbering raws and keying them left them without keys.
    if len(_TABLES.raws) > _MAX_RAWS or len(_TABLES.raw_key) != len(_TABLES.raws):
        _TABLES = _Tables()
    return _TABLES


def shingle_hashes(ids: IntArray, crc: U64Array, size: int) -> U64Array:
    """Sorted unique hashes of the `size`-word shingles of a text's word ids."""
    return window_hashes(crc[ids], size)


def window_hashes(words: U64Array, size: int) -> U64Array:
    """Sorted unique hashes of every run of `size` consecutive word hashes."""
    count = len(words) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    with np.errstate(over="ignore"):  # 64-bit wrap-around is the hash
        h = words[:count].copy()
        for i in range(1, size):
            h = h * _MULT + words[i : i + count]
        h ^= h >> np.uint64(31)
        h *= _MIX
        h ^= h >> np.uint64(29)
    # np.unique, by hand: several times faster on arrays this small (a body's shingles).
    h.sort()
    keep = np.empty(len(h), dtype=np.bool_)
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


@dataclass
class _Text:
    """One text's tokens as ids: surface (raw) ids and key ids (-1 at a break)."""

    surface: IntArray
    keys: IntArray


def _careful(tables: _Tables, rids: IntArray, keys: IntArray) -> _Text:
    """Tokens of a text holding a word that folds into no key or several (`_assemble`'s slow path).

    Every word's surface becomes its key there, exactly as the tokeniser does; a word with
    no key (a lone mark or tatweel) drops out and a ligature becomes several words.
    """
    special = keys == _SPECIAL_ID
    if any(tables.special[r] for r in rids[special].tolist()):
        return _split_ligatures(tables, rids)
    rids, keys = rids[~special], keys[~special]
    words = keys >= 0
    surface = rids.copy()
    surface[words] = tables.raws_of_words(keys[words])
    return _Text(surface, keys)


def _split_ligatures(tables: _Tables, rids: IntArray) -> _Text:
    """_careful for a text with a word that folds into several keys, token by token."""
    surface: list[int] = []
    keys: list[int] = []
    for rid in rids.tolist():
        kid = int(tables.raw_key[rid])
        if kid == _BREAK_ID:
            surface.append(rid)
            keys.append(_BREAK_ID)
            continue
        key = tables.special[rid] if kid == _SPECIAL_ID else tables.words[kid]
        for part in key.split():
            tables.learn({part})
            surface.append(tables.raw_ids[part])
            keys.append(tables.word(part))
    tables._grow()
    return _Text(np.array(surface, dtype=_ID), np.array(keys, dtype=_ID))


def _chunk_ids(tables: _Tables, texts: list[list[str]]) -> list[_Text]:
    """Tokens of many texts as ids: one lookup pass, new raw tokens numbered on the way."""
    flat = list(chain.from_iterable(texts))
    rids = np.fromiter(map(tables.raw_ids.get, flat, repeat(-1)), dtype=_ID, count=len(flat))
    missing = np.flatnonzero(rids < 0).tolist()
    if missing:
        tables.learn({flat[i] for i in missing})
        rids[missing] = [tables.raw_ids[flat[i]] for i in missing]
    return _split_texts(tables, rids, [len(t) for t in texts])


def _split_texts(tables: _Tables, rids: IntArray, lens: Sequence[int]) -> list[_Text]:
    """Texts laid end to end as raw ids, each with its key ids (the rare odd one done carefully)."""
    keys = tables.raw_key[rids]
    out: list[_Text] = []
    at = 0
    for size in lens:
        end = at + size
        mine, mine_keys = rids[at:end], keys[at:end]
        if end > at and mine_keys.min() == _SPECIAL_ID:
            out.append(_careful(tables, mine, mine_keys))
        else:
            out.append(_Text(mine, mine_keys))
        at = end
    return out


def _slice(flat: npt.NDArray[Any], starts: IntArray, i: int) -> npt.NDArray[Any]:
    """The i-th of many arrays laid end to end."""
    return flat[int(starts[i]) : int(starts[i + 1])]


@dataclass
class Analysis:
    """What the grouping steps need of every article, in the articles' order.

    Per-article arrays are laid end to end, with where each starts (n + 1 entries): a few
    large arrays, not tens of thousands of small ones.
    """

    vocab: dict[str, int]  # key -> id
    words: list[str]  # key id -> key (those of this build are all below n_words)
    n_words: int
    raws: list[str]  # raw id -> raw token
    title_start: IntArray
    title_surface_flat: IntArray
    title_keys_flat: IntArray
    lead_start: IntArray  # the lead is the first tag_body_words tokens of the body
    lead_surface_flat: IntArray
    lead_keys_flat: IntArray
    shingle_start: IntArray
    shingle_flat: U64Array  # each body's shingle hashes, sorted
    definite: BoolArray  # key id -> written with ال somewhere in a headline or lead
    stop: BoolArray  # key id -> stopword
    short: BoolArray  # key id -> under three letters
    base: int  # phrase codes: digits (word id + 1) in this base, first word highest
    pair_start: IntArray  # article -> where its phrases start in pair_code (n + 1 entries)
    pair_code: IntArray  # every article's phrases (codes, ascending within the article)
    pair_tf: IntArray  # ... their counts in the headline (twice) and lead
    pair_df: IntArray  # ... how many articles have that phrase

    def drop(self, *names: str) -> None:
        """Let go of arrays no later step reads (each step's are large at 10^4 articles)."""
        for name in names:
            current = getattr(self, name)
            setattr(self, name, current[:0].copy())

    def title_surface(self, i: int) -> IntArray:
        """Raw ids of an article's headline tokens."""
        return _slice(self.title_surface_flat, self.title_start, i)

    def title_keys(self, i: int) -> IntArray:
        """Key ids of an article's headline tokens (-1 at a break)."""
        return _slice(self.title_keys_flat, self.title_start, i)

    def lead_surface(self, i: int) -> IntArray:
        """Raw ids of an article's lead tokens."""
        return _slice(self.lead_surface_flat, self.lead_start, i)

    def lead_keys(self, i: int) -> IntArray:
        """Key ids of an article's lead tokens (-1 at a break)."""
        return _slice(self.lead_keys_flat, self.lead_start, i)

    def shingles(self, i: int) -> U64Array:
        """An article's body shingle hashes, sorted."""
        return _slice(self.shingle_flat, self.shingle_start, i)

    def phrase_words(self, code: int) -> list[int]:
        """The word ids of a phrase code."""
        out: list[int] = []
        while code:
            code, digit = divmod(code, self.base)
            out.append(digit - 1)
        return out[::-1]

    def phrase(self, code: int) -> str:
        """A phrase code as its key (words joined by spaces)."""
        return " ".join(self.words[w] for w in self.phrase_words(code))

    def title_words(self, i: int) -> frozenset[int]:
        """Ids of the content words of an article's headline."""
        keys = self.title_keys(i)
        keys = keys[keys >= 0]
        return frozenset(keys[~self.stop[keys]].tolist())


def _runs(keys: IntArray, stop: BoolArray) -> IntArray:
    """Key ids with breaks and stopwords as -1: phrases never span them."""
    out = keys.astype(np.int64)
    words = out >= 0
    out[words & stop[np.maximum(out, 0)]] = -1
    return out


def _windows(
    runs: IntArray, digits: npt.NDArray[Any], base: int, longest: int, short: BoolArray
) -> Iterator[tuple[IntArray, npt.NDArray[Any]]]:
    """(positions, codes) of the one- to `longest`-word phrases in the runs, by length."""
    ok = runs >= 0
    at = np.flatnonzero(ok & ~short[np.maximum(runs, 0)])
    yield at, digits[at]
    code = digits.copy()
    valid = ok.copy()
    for size in range(2, longest + 1):
        n = len(runs) - size + 1
        if n <= 0:
            break
        valid = valid[:n] & ok[size - 1 :]
        code = code[:n] * base + digits[size - 1 :]
        at = np.flatnonzero(valid)
        yield at, code[at]


def _phrases(runs: IntArray, base: int, longest: int, short: BoolArray, wide: bool) -> IntArray:
    """Codes of every one- to `longest`-word phrase in the runs (as `grouping._grams`)."""
    digits = (runs + 1).astype(object) if wide else runs + 1
    return np.concatenate([codes for _, codes in _windows(runs, digits, base, longest, short)])


class _Builder:
    """Collects the analysis chunk by chunk, joining each part's arrays at the end."""

    def __init__(self) -> None:
        """Start empty."""
        self.parts: dict[str, list[npt.NDArray[Any]]] = {name: [] for name in _PARTS}

    def add(self, parts: dict[str, npt.NDArray[Any]]) -> None:
        """Keep one chunk's arrays."""
        for name, array in parts.items():
            self.parts[name].append(array)

    def joined(self, name: str, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
        """One part's arrays, end to end (and dropped from the builder)."""
        return _join(self.parts.pop(name), dtype)

    def starts(self, name: str) -> IntArray:
        """Where each article's array starts, from the lengths part."""
        sizes = self.joined(name, np.int64)
        return np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)


# A chunk's arrays: headline and lead surface (raw ids) and keys (key ids), body shingles,
# the lengths of each article's headline, lead and shingles, and the key ids seen with ال.
_PARTS = ("ts", "tk", "ls", "lk", "sh", "tn", "ln", "sn", "def")


def _chunk_parts(
    tables: _Tables, texts: list[_Text], cfg: GroupingConfig
) -> dict[str, npt.NDArray[Any]]:
    """The headline, lead and shingles of each (title, body) pair of texts, as a chunk's arrays."""
    limit = cfg.tag_body_words
    titles, bodies = texts[0::2], texts[1::2]
    leads = [_Text(b.surface[:limit], b.keys[:limit]) for b in bodies]
    shingles = [
        shingle_hashes(b.keys[b.keys >= 0], tables.crc, cfg.same_story_shingle) for b in bodies
    ]
    p: dict[str, npt.NDArray[Any]] = {
        "ts": _join([t.surface for t in titles], _ID),
        "tk": _join([t.keys for t in titles], _ID),
        "ls": _join([t.surface for t in leads], _ID),
        "lk": _join([t.keys for t in leads], _ID),
        "sh": _join(shingles, np.uint64),
        "tn": np.array([len(t.keys) for t in titles], dtype=np.int64),
        "ln": np.array([len(t.keys) for t in leads], dtype=np.int64),
        "sn": np.array([len(s) for s in shingles], dtype=np.int64),
    }
    seen = np.concatenate([p["ts"], p["ls"]])
    keys = tables.raw_key[seen[tables.raw_definite[seen]]]
    p["def"] = np.unique(keys[keys >= 0])
    return p


def _read(tables: _Tables, chunk: Sequence[Article], cfg: GroupingConfig) -> dict[str, Any]:
    """Tokenise a chunk of articles' headlines and bodies into the chunk's arrays."""
    raws = [_TOKEN.findall(text) for a in chunk for text in (a.title, a.body)]
    return _chunk_parts(tables, _chunk_ids(tables, raws), cfg)


def _join(arrays: Sequence[npt.NDArray[Any]], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """Arrays end to end (an empty one of dtype when there are none)."""
    if not arrays:
        return np.zeros(0, dtype)
    if any(a.dtype == object for a in arrays):
        return np.concatenate(arrays)
    return np.concatenate(arrays, dtype=dtype, casting="same_kind")


def _count_phrases(
    title: IntArray,
    lead: IntArray,
    cfg: GroupingConfig,
    base: int,
    stop: BoolArray,
    short: BoolArray,
    wide: bool,
) -> tuple[IntArray, IntArray]:
    """One article's phrase codes and counts (headline twice, then the lead)."""
    longest = cfg.tag_phrase_words
    head = _phrases(_runs(title, stop), base, longest, short, wide)
    lead = _phrases(_runs(lead, stop), base, longest, short, wide)
    codes, counts = np.unique(np.concatenate([head, head, lead]), return_counts=True)
    return codes, counts


def analyse(
    articles: Sequence[Article],
    cfg: GroupingConfig,
    workers: int = 1,
    phrases: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Analysis:
    """Read every article's headline and body once (tokenising on `workers` processes).

    Without `phrases` the phrase counts are left for `count_phrases` (same-story groups
    need none, so they can start first). `meanwhile` runs in this process while the
    workers tokenise (first, when serial).
    """
    tables = _tables()
    build = _Builder()
    parts = -(-len(articles) // _CHUNK)
    if workers > 1 and parts > 1:
        from generator.index.reading import read_parallel  # it builds on this module

        for chunk in read_parallel(tables, articles, cfg, workers, _CHUNK, meanwhile):
            build.add(chunk)
    else:
        if meanwhile is not None:
            meanwhile()
        for part in range(parts):
            build.add(_read(tables, articles[part * _CHUNK : (part + 1) * _CHUNK], cfg))
    n_words = len(tables.words)
    definite = np.zeros(n_words, dtype=np.bool_)
    definite[build.joined("def", np.int64)] = True
    stop, short = tables.stop[:n_words], tables.short[:n_words]
    an = Analysis(
        vocab=tables.vocab,
        words=tables.words,
        n_words=n_words,
        raws=tables.raws,
        title_start=build.starts("tn"),
        title_surface_flat=build.joined("ts", _ID),
        title_keys_flat=build.joined("tk", _ID),
        lead_start=build.starts("ln"),
        lead_surface_flat=build.joined("ls", _ID),
        lead_keys_flat=build.joined("lk", _ID),
        shingle_start=build.starts("sn"),
        shingle_flat=build.joined("sh", np.uint64),
        definite=definite,
        stop=stop,
        short=short,
        base=n_words + 1,
        pair_start=np.zeros(1, dtype=np.int64),
        pair_code=np.zeros(0, dtype=np.int64),
        pair_tf=np.zeros(0, dtype=np.int32),
        pair_df=np.zeros(0, dtype=np.int32),
    )
    if phrases:
        count_phrases(an, cfg)
    return an


def count_phrases(an: Analysis, cfg: GroupingConfig) -> None:
    """Fill in every article's phrase counts, and each phrase's document frequency."""
    _count_all(an, cfg, len(an.title_start) - 1)


def _count_all(an: Analysis, cfg: GroupingConfig, n_docs: int) -> None:
    """Every article's phrase counts, and each phrase's document frequency."""
    # Codes of long phrases over a large vocabulary overflow 64 bits: Python ints then.
    wide = an.base**cfg.tag_phrase_words >= 2**62
    codes: list[IntArray] = []
    counts: list[IntArray] = []
    sizes = np.zeros(n_docs, dtype=np.int64)
    if not wide and an.base**cfg.tag_phrase_words * _CHUNK < 2**62:
        for at in range(0, n_docs, _CHUNK):
            c, n, k = _count_block(an, cfg, at, min(at + _CHUNK, n_docs))
            codes.append(c)
            counts.append(n.astype(np.int32))
            sizes[at : at + len(k)] = k
    else:
        for i in range(n_docs):
            c, n = _count_phrases(
                an.title_keys(i), an.lead_keys(i), cfg, an.base, an.stop, an.short, wide
            )
            codes.append(c)
            counts.append(n.astype(np.int32))
            sizes[i] = len(c)
    an.pair_start = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    an.pair_code = _join(codes, np.int64)
    del codes
    an.pair_tf = _join(counts, np.int32)
    del counts
    an.pair_df = _doc_freq(an.pair_code, an.base)


def _stream(
    flat: IntArray, starts: IntArray, first: int, last: int, stop: BoolArray
) -> tuple[IntArray, IntArray]:
    """Runs of articles first..last-1 end to end, a break after each, and whose each token is."""
    part = flat[int(starts[first]) : int(starts[last])]
    lens = np.diff(starts[first : last + 1])
    ends = np.cumsum(lens)
    seq = _runs(np.insert(part, ends, -1), stop)
    owner = np.repeat(np.arange(last - first), lens + 1)
    return seq, owner


def _located_phrases(
    runs: IntArray, owner: IntArray, base: int, longest: int, short: BoolArray
) -> tuple[IntArray, IntArray]:
    """Codes of every phrase in the runs (as `_phrases`), with the owner of each."""
    found = list(_windows(runs, runs + 1, base, longest, short))
    return (
        np.concatenate([codes for _, codes in found]),
        np.concatenate([owner[at] for at, _ in found]),
    )


def _count_block(
    an: Analysis, cfg: GroupingConfig, first: int, last: int
) -> tuple[IntArray, IntArray, IntArray]:
    """_count_phrases for articles first..last-1 at once: codes, counts, phrases per article.

    Each (article, phrase) becomes one number, article × base**longest + code, so one
    np.unique counts them all, article by article and code by code as before.
    """
    longest = cfg.tag_phrase_words
    span = an.base**longest
    title, title_owner = _stream(an.title_keys_flat, an.title_start, first, last, an.stop)
    lead, lead_owner = _stream(an.lead_keys_flat, an.lead_start, first, last, an.stop)
    head, head_owner = _located_phrases(title, title_owner, an.base, longest, an.short)
    body, body_owner = _located_phrases(lead, lead_owner, an.base, longest, an.short)
    head_keys = head_owner * span + head
    keys = np.concatenate([head_keys, head_keys, body_owner * span + body])
    found, counts = np.unique(keys, return_counts=True)
    owners = found // span
    return found - owners * span, counts, np.bincount(owners, minlength=last - first)


def _doc_freq(codes: IntArray, base: int) -> IntArray:
    """For each (article, phrase) pair: how many articles have that phrase.

    A phrase is in an article once, so that is how often its code occurs. Single words
    (codes below base) are counted directly; only longer phrases need a sort.
    """
    if codes.dtype == object or not len(codes):
        return _sorted_freq(codes)
    single = codes < base
    words = codes[single]
    out = np.empty(len(codes), dtype=np.int32)
    out[single] = np.bincount(words, minlength=base).astype(np.int32)[words]
    del words
    out[~single] = _sorted_freq(codes[~single])
    return out


def _sorted_freq(codes: IntArray) -> IntArray:
    """_doc_freq by sorting the codes."""
    if not len(codes):
        return np.zeros(0, dtype=np.int32)
    order = np.argsort(codes, kind="stable")  # measured faster than the default here
    ranked = codes[order]
    new = np.empty(len(codes), dtype=np.bool_)
    new[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    del ranked
    starts = np.flatnonzero(new)
    del new
    runs = np.diff(np.append(starts, len(codes))).astype(np.int32)
    del starts
    out = np.empty(len(codes), dtype=np.int32)
    out[order] = np.repeat(runs, runs)
    return out
