"""Tags for every article: hand tags, then named entities, then key phrases of the archive.

Key phrases are one- to three-word runs of non-stopwords (never across punctuation), scored
by TF-IDF over the whole archive, longer phrases favoured so "الأمم المتحدة" beats "الأمم".
Every tag is grouped by its matching key (`match_key`: normalised, clitics stripped), so
variants meet under one tag whose display name is the most frequent surface form.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from generator.content.model import Article
from generator.extract.arabic import data_lines, match_key, normalise, strip_proclitics
from generator.extract.source import outlets
from generator.index.analysis import Analysis, analyse
from generator.index.grouping import GAP, GroupingConfig, is_stop_key
from generator.index.pool import imap_parts, slices

__all__ = ["EditorRules", "assign_tags", "tag_key"]

_LONGER_BONUS = 0.5  # score multiplier added per extra word of a phrase


def tag_key(name: str) -> str:
    """The grouping key of a tag name."""
    return match_key(name)


@dataclass(frozen=True)
class EditorRules:
    """Pins, bans and aliases from the config, resolved to keys."""

    aliases: dict[str, str]  # variant key -> canonical key
    names: dict[str, str]  # key -> display name the editor wrote
    banned: frozenset[str]
    pinned: tuple[str, ...]

    @classmethod
    def from_config(cls, cfg: GroupingConfig) -> EditorRules:
        """Resolve the editor's names to matching keys."""
        aliases: dict[str, str] = {}
        names: dict[str, str] = {}
        for variant, canonical in cfg.tag_aliases:
            ckey = tag_key(canonical)
            aliases[tag_key(variant)] = ckey
            names[ckey] = canonical
        pinned: list[str] = []
        for pin in cfg.pinned_tags:
            pkey = tag_key(pin)
            if pkey:
                pinned.append(pkey)
                names.setdefault(aliases.get(pkey, pkey), pin)
        banned = frozenset(aliases.get(tag_key(b), tag_key(b)) for b in cfg.banned_tags)
        return cls(aliases, names, banned, tuple(pinned))

    def canonical(self, key: str) -> str:
        """The key a variant is filed under."""
        return self.aliases.get(key, key)


FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class _Doc:
    """One article's headline and lead as ids (kept to find phrases and their surface forms)."""

    an: Analysis
    index: int

    def seq(self) -> list[int]:
        """Key ids of the headline, a break, then the lead (-1 at every break)."""
        i = self.index
        return [*self.an.title_keys(i).tolist(), -1, *self.an.lead_keys(i).tolist()]

    def find(self, key: str, seq: list[int] | None = None) -> int:
        """Token position of the first occurrence of a phrase key, or -1."""
        vocab = self.an.vocab
        ids = [vocab.get(w, -3) for w in key.split(" ")]
        if -3 in ids or not ids:
            return -1
        seq = self.seq() if seq is None else seq
        n, first = len(ids), ids[0]
        at = -1
        while True:
            try:
                at = seq.index(first, at + 1)
            except ValueError:
                return -1
            if seq[at : at + n] == ids:
                return at

    def surface(self, at: int, words: int) -> str:
        """Surface forms of `words` tokens from position `at` of the headline, break and lead."""
        i, raws = self.index, self.an.raws
        title = self.an.title_surface(i)
        lead = self.an.lead_surface(i)
        # The phrase search ran over a space-joined text in which an empty headline left a
        # doubled space, one token too many: kept so surfaces stay exactly as they were.
        if not len(title):
            at += 1
        out: list[str] = []
        for pos in range(at, min(at + words, len(title) + 1 + len(lead))):
            if pos < len(title):
                out.append(raws[title[pos]])
            elif pos == len(title):
                out.append(GAP)
            else:
                out.append(raws[lead[pos - len(title) - 1]])
        return " ".join(out)


_BLOCK = 1 << 18  # (article, phrase) pairs scored at once
_VERB_PENALTY = 0.2  # score factor for a phrase that opens with a verb-like word


@dataclass(frozen=True)
class _Shape:
    """What the archive and the project's word lists say about the shape of a phrase."""

    definite: frozenset[str]  # keys written at least once with the article ال
    credits: frozenset[str]  # outlet and agency names: a credit line, not a topic
    names: frozenset[str]  # given names: a phrase ending on one is a cut-off name
    roles: frozenset[str]  # role and title words (الرئيس، الأمير) that precede a name

    memo: dict[str, float] = field(default_factory=dict, compare=False)

    def factor(self, key: str) -> float:
        """Score factor of a phrase: longer phrases favoured, verbs damped, fragments out."""
        found = self.memo.get(key)
        if found is None:
            found = 0.0 if self.fragment(key) else 1 + _LONGER_BONUS * key.count(" ")
            if found and self.verb_like(key):
                found *= _VERB_PENALTY
            self.memo[key] = found
        return found

    def verb_like(self, key: str) -> bool:
        """Whether a phrase opens with a word shaped like a verb that never takes ال.

        Nouns are written with the article somewhere in an archive; verbs never are. A
        never-definite word with a verb prefix (يفعل، تفعل، نفعل) or the past feminine -ت
        (أقيمت) is most likely a verb (تمنح، يناقش); ت- alone needs four letters (تعز).
        """
        first = key.split(" ", 1)[0]
        if first in self.definite or len(first) < 3:
            return False
        if first.startswith(("ي", "ن")):  # hollow verbs are three letters long (يصل، يعد)
            return True
        return len(first) > 3 and (first.startswith("ت") or first.endswith("ت"))

    def fragment(self, key: str) -> bool:
        """Whether a phrase is a credit or a cut-off name (الرئيس جورج، محمد).

        A phrase made of role words and given names that ends on a given name (one never
        written with ال) stops before the family name; the full name is an entity of its own.
        """
        words = key.split()
        if not words:
            return True
        last = words[-1]
        # A word also written with ال is a place or family name there (الرياض، الفهد).
        if key in self.credits or last not in self.names or last in self.definite:
            return key in self.credits
        return all(w in self.names or w in self.roles for w in words)


@cache
def _list_keys(name: str) -> frozenset[str]:
    """Matching keys of the entries of one of the project's word lists."""
    return frozenset(k for ln in data_lines(name) if (k := tag_key(ln)))


@cache
def _credit_keys() -> frozenset[str]:
    """Names of agencies, broadcasters and sites that are nothing else (not الرياض، البيان).

    Newspaper titles stay out: many are also phrases of their own (الشرق الأوسط).
    """
    return frozenset(
        key
        for outlet in outlets()
        if not outlet.common and outlet.kind != "paper"
        for name in outlet.names
        if (key := tag_key(name))
    )


def _shape(an: Analysis) -> _Shape:
    """The phrase-shape knowledge for this archive."""
    words = an.words
    return _Shape(
        frozenset(words[i] for i in np.flatnonzero(an.definite).tolist()),
        _credit_keys(),
        _list_keys("entities_first_names.txt"),
        _list_keys("entities_roles.txt"),
    )


def _verb_shaped(word: str) -> bool:
    """_Shape.verb_like's test of the first word, but for the article (checked apart)."""
    if len(word) < 3:
        return False
    if word.startswith(("ي", "ن")):
        return True
    return len(word) > 3 and (word.startswith("ت") or word.endswith("ت"))


def _word_flags(an: Analysis, shape: _Shape) -> tuple[BoolArray, BoolArray, BoolArray]:
    """Per word id: a given name; a given name or role word; opens a verb-like phrase."""
    words = an.words[: an.n_words]
    names = np.array([w in shape.names for w in words], dtype=np.bool_)
    roles = np.array([w in shape.roles for w in words], dtype=np.bool_)
    verb = np.array([_verb_shaped(w) for w in words], dtype=np.bool_)
    return names, names | roles, verb & ~an.definite


def _factors(
    an: Analysis,
    codes: npt.NDArray[Any],
    flags: tuple[BoolArray, BoolArray, BoolArray],
    credits: IntArray,
) -> FloatArray:
    """_Shape.factor of many phrase codes at once, computed on word ids."""
    names, name_or_role, verb = flags
    base = an.base
    rest = codes.copy()
    last = (rest % base - 1).astype(np.int64)
    first = last.copy()
    size = np.ones(len(rest), dtype=np.int64)
    all_named = name_or_role[last]
    rest //= base
    more = np.flatnonzero(rest > 0)
    while len(more):
        digit = (rest[more] % base - 1).astype(np.int64)
        first[more] = digit
        all_named[more] &= name_or_role[digit]
        size[more] += 1
        rest[more] //= base
        more = more[rest[more] > 0]
    fragment = names[last] & ~an.definite[last] & all_named
    if len(credits):  # few codes: a binary search beats isin's sort of every pair
        at = np.minimum(np.searchsorted(credits, codes), len(credits) - 1)
        fragment |= credits[at] == codes
    factor = np.where(fragment, 0.0, 1 + _LONGER_BONUS * (size - 1))
    return np.where(verb[first] & (factor != 0), factor * _VERB_PENALTY, factor)


def _codes(an: Analysis, keys: frozenset[str]) -> IntArray:
    """Phrase codes of the keys whose words all occur in this build."""
    out: list[int] = []
    for key in keys:
        code = 0
        for word in key.split(" "):
            wid = an.vocab.get(word)
            if wid is None or wid >= an.n_words:
                break
            code = code * an.base + wid + 1
        else:
            out.append(code)
    return np.unique(np.array(out, dtype=an.pair_code.dtype))


@dataclass(frozen=True)
class _Scorer:
    """What scoring the phrases needs besides their counts (made once for every slice)."""

    cfg: GroupingConfig
    max_df: int
    logn: float
    logs: FloatArray  # log of each document frequency up to max_df
    flags: tuple[BoolArray, BoolArray, BoolArray]
    credits: IntArray

    @classmethod
    def of(cls, an: Analysis, cfg: GroupingConfig, shape: _Shape, n_docs: int) -> _Scorer:
        """The archive-wide parts of the scores."""
        max_df = max(cfg.tag_min_articles, int(cfg.tag_max_share * n_docs))
        # math.log, not numpy's: the scores (and their ties) must not move by a bit.
        logs = np.array([0.0] + [math.log(d) for d in range(1, max_df + 1)])
        flags = _word_flags(an, shape)
        return cls(cfg, max_df, math.log(n_docs + 1), logs, flags, _codes(an, shape.credits))


@dataclass
class _Phrases:
    """Some articles' (article, phrase) pairs: each score and which ranked list it may enter."""

    an: Analysis
    offset: int  # where the first article's pairs start among all pairs
    score: FloatArray
    shared: BoolArray  # in at least tag_min_articles articles (and not too many)
    filler: BoolArray  # a phrase of fewer articles: only filler
    repeated: BoolArray  # shared and mentioned at least twice
    spelled: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(cls, an: Analysis, scorer: _Scorer, first: int, last: int) -> _Phrases:
        """Scores of articles first..last-1 as tf × idf × shape factor.

        Over-common phrases and fragments are left out.
        """
        cfg, max_df = scorer.cfg, scorer.max_df
        lo, hi = int(an.pair_start[first]), int(an.pair_start[last])
        score = np.empty(hi - lo, dtype=np.float64)
        shared = np.empty(hi - lo, dtype=np.bool_)
        filler = np.empty(hi - lo, dtype=np.bool_)
        repeated = np.empty(hi - lo, dtype=np.bool_)
        # In blocks, so the temporaries stay small next to the pairs themselves.
        for at in range(lo, hi, _BLOCK):
            block, out = slice(at, min(at + _BLOCK, hi)), slice(at - lo, min(at + _BLOCK, hi) - lo)
            df, tf = an.pair_df[block], an.pair_tf[block]
            factor = _factors(an, an.pair_code[block], scorer.flags, scorer.credits)
            ok = (df <= max_df) & (factor != 0)
            idf = scorer.logn - scorer.logs[np.minimum(df, max_df)]
            score[out] = tf.astype(np.float64) * idf * factor
            shared[out] = ok & (df >= cfg.tag_min_articles)
            filler[out] = ok & ~shared[out]
            repeated[out] = shared[out] & (tf >= 2)
        return cls(an, lo, score, shared, filler, repeated)

    def spell(self, code: int) -> str:
        """The key of a phrase code (remembered: shared phrases come up again and again)."""
        key = self.spelled.get(code)
        if key is None:
            key = self.spelled[code] = self.an.phrase(code)
        return key

    def ranked(self, index: int, which: BoolArray, limit: int) -> Iterator[str]:
        """Keys of one article's phrases in `which`, best first (ties by key), at most limit.

        Lazy: the picker mostly stops after a few, so only those are spelled and sorted.
        """
        start = int(self.an.pair_start[index]) - self.offset
        end = int(self.an.pair_start[index + 1]) - self.offset
        picks = np.flatnonzero(which[start:end]) + start
        if not len(picks):
            return
        scores = self.score[picks]
        order = np.argsort(-scores, kind="stable")
        ranked = scores[order].tolist()
        codes = self.an.pair_code[picks[order] + self.offset].tolist()
        done, i = 0, 0
        while i < len(ranked) and done < limit:
            j = i + 1
            while j < len(ranked) and ranked[j] == ranked[i]:
                j += 1
            for key in sorted(map(self.spell, codes[i:j]))[: limit - done]:
                yield key
                done += 1
            i = j


def _entity_names(article: Article, limit: int) -> list[str]:
    """Entity names, most salient first, alternating people, places and organisations."""
    kinds = (article.people, article.places, article.organisations)
    out: list[str] = []
    for i in range(max((len(k) for k in kinds), default=0)):
        out.extend(kind[i] for kind in kinds if i < len(kind))
    return out[:limit]


class _Picker:
    """Collects one article's tags: unique keys, no word shared between automatic tags."""

    def __init__(self, rules: EditorRules, cfg: GroupingConfig) -> None:
        """Start empty."""
        self.rules, self.cfg = rules, cfg
        self.keys: list[str] = []
        self.surfaces: dict[str, str] = {}
        self.words: set[str] = set()

    def add(self, key: str, surface: str | None, forced: bool = False) -> bool:
        """Add a tag unless banned, a duplicate, or (automatic) overlapping a chosen one."""
        key = self.rules.canonical(key)
        if not key or key in self.surfaces:
            return False
        words = set(key.split())
        if not forced and (key in self.rules.banned or words & self.words):
            return False
        self.keys.append(key)
        self.surfaces[key] = surface or ""
        self.words |= words
        return True

    @property
    def full(self) -> bool:
        """Whether the article has as many tags as allowed."""
        return len(self.keys) >= self.cfg.tags_max


def _pick(
    article: Article,
    doc: _Doc,
    phrases: _Phrases,
    rules: EditorRules,
    cfg: GroupingConfig,
    shape: _Shape,
) -> _Picker:
    """Hand tags, pins, entities, then phrases until full (or at least tags_min)."""
    picker = _Picker(rules, cfg)
    for name in article.tags:
        picker.add(tag_key(name), name, forced=True)
    if rules.pinned:
        seq = doc.seq()
        for pin in rules.pinned:
            if doc.find(pin, seq) >= 0:
                picker.add(pin, None, forced=True)
    for name in _entity_names(article, cfg.tag_entities_max):
        key = tag_key(name)
        if not picker.full and not _all_stop(key) and key not in shape.credits:
            picker.add(key, name)
    limit = cfg.tags_max * 3
    # Phrases shared with other articles and mentioned twice; then, if still short, all
    # shared phrases and (as filler) the article's own.
    for key in phrases.ranked(doc.index, phrases.repeated, limit):
        if picker.full:
            break
        picker.add(key, None)
    if len(picker.keys) >= cfg.tags_min:
        return picker
    for which in (phrases.shared, phrases.filler):
        for key in phrases.ranked(doc.index, which, limit):
            if picker.full or len(picker.keys) >= cfg.tags_min:
                return picker
            picker.add(key, None)
    return picker


def _all_stop(key: str) -> bool:
    """Whether a key is empty or starts or ends with a stopword."""
    words = key.split()
    return not words or is_stop_key(words[0]) or is_stop_key(words[-1])


def _surfaces(doc: _Doc, wanted: set[str]) -> list[tuple[str, str]]:
    """(key, surface) of the first occurrence of each wanted phrase in the article."""
    if not wanted:
        return []
    seq = doc.seq()
    found: list[tuple[str, str]] = []
    for key in wanted:
        at = doc.find(key, seq)
        if at >= 0:
            found.append((key, doc.surface(at, key.count(" ") + 1)))
    return found


@lru_cache(maxsize=100_000)
def _clitic_first(surface: str) -> bool:
    """Whether the first word carries a stripped proclitic (والرئيس، للأمم)."""
    first = normalise(surface.split(" ", 1)[0]) if surface else ""
    return bool(first) and strip_proclitics(first) != first


def _drop_proclitic(surface: str) -> str:
    """The surface without the conjunction or preposition on its first word (للأمم → الأمم)."""
    first, _, rest = surface.partition(" ")
    norm = normalise(first)
    bare = strip_proclitics(norm)
    if bare == norm or not first:
        return surface
    if norm.startswith("لل") and bare.startswith("ال") and first.startswith("لل"):
        first = "ال" + first[2:]  # لل is ل + ال with the alef dropped
    else:
        cut = len(norm) - len(bare)
        if first[:cut] != norm[:cut]:
            return surface  # marks or tatweel in the way: keep what was written
        first = first[cut:].lstrip("\u0640")
    return f"{first} {rest}" if rest else first


def _display_names(spellings: dict[str, Counter[str]], rules: EditorRules) -> dict[str, str]:
    """One display name per key: the editor's, else the most frequent clean spelling."""
    names: dict[str, str] = {}
    for key, counts in spellings.items():
        if key in rules.names:
            names[key] = rules.names[key]
            continue
        best = min(counts.items(), key=lambda kv: (_clitic_first(kv[0]), -kv[1], kv[0]))[0]
        names[key] = _drop_proclitic(best) if _clitic_first(best) else best
    return names


# One article's picks: its tag keys, (key, surface) spellings seen, automatic keys.
_Picked = tuple[list[str], list[tuple[str, str]], list[str]]


def _pick_all(
    articles: Sequence[Article],
    an: Analysis,
    cfg: GroupingConfig,
    rules: EditorRules,
    workers: int,
) -> list[_Picked]:
    """Every article's picks, on `workers` forked processes each taking a slice."""
    shape = _shape(an)
    scorer = _Scorer.of(an, cfg, shape, len(articles))
    bounds = slices(len(articles), workers * 4 if workers > 1 else 1)

    def pick(part: int) -> list[_Picked]:
        """The picks of one slice of the articles (scoring only that slice's phrases)."""
        phrases = _Phrases.build(an, scorer, *bounds[part])
        out: list[_Picked] = []
        for i in range(*bounds[part]):
            doc = _Doc(an, i)
            got = _pick(articles[i], doc, phrases, rules, cfg, shape)
            auto = [k for k, s in got.surfaces.items() if not s]
            spelled = [(k, s) for k, s in got.surfaces.items() if s]
            out.append((got.keys, spelled + _surfaces(doc, set(auto)), auto))
        return out

    return [p for part in imap_parts(pick, len(bounds), workers) for p in part]


def assign_tags(
    articles: Sequence[Article],
    cfg: GroupingConfig | None = None,
    analysis: Analysis | None = None,
    workers: int = 1,
) -> dict[str, list[str]]:
    """Tags for every article (slug -> display names), hand tags first.

    The articles are picked for on `workers` forked processes, each taking a slice.
    """
    cfg = cfg or GroupingConfig()
    rules = EditorRules.from_config(cfg)
    an = analysis if analysis is not None else analyse(articles, cfg)
    picked = _pick_all(articles, an, cfg, rules, workers)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for _, spelled, auto in picked:
        for key, surface in spelled:
            spellings[key][surface] += 1
        for key in auto:
            spellings[key][key] += 0  # a key never seen spelled still gets a name
    names = _display_names(spellings, rules)
    return {a.slug: [names[k] for k in p[0]] for a, p in zip(articles, picked, strict=True)}
