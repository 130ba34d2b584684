"""Tags for every article: hand tags, then named entities, then key phrases of the archive.

Key phrases are one- to three-word runs of non-stopwords (never across punctuation), scored
by TF-IDF over the whole archive, longer phrases favoured so "الأمم المتحدة" beats "الأمم".
Every tag is grouped by its matching key (`match_key`: normalised, clitics stripped), so
variants meet under one tag whose display name is the most frequent surface form.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from generator.content.model import Article
from generator.extract.arabic import match_key, normalise, strip_proclitics
from generator.index.grouping import GAP, GroupingConfig, Tokens, is_stop_key, tokenise

__all__ = ["EditorRules", "assign_tags", "tag_key"]

_TITLE_WEIGHT = 2  # a phrase in the headline counts as two mentions
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


@lru_cache(maxsize=400_000)
def _run_key(key: str) -> str:
    """The key itself, or the gap marker for a stopword."""
    return GAP if is_stop_key(key) else key


def _marked(toks: Tokens) -> list[str]:
    """All keys of a text with stopwords turned into gap markers, like breaks."""
    return " ".join(map(_run_key, toks.keys)).split(" ")


def _grams(toks: list[str], longest: int) -> list[str]:
    """All one- to `longest`-word phrases that span no gap, as space-joined keys."""
    grams = [t for t in toks if t != GAP and len(t) > 2]
    if longest >= 2:
        grams += [f"{a} {b}" for a, b in pairwise(toks) if GAP not in (a, b)]
    if longest >= 3:
        grams += [
            f"{a} {b} {c}"
            for a, b, c in zip(toks, toks[1:], toks[2:], strict=False)
            if GAP not in (a, b, c)
        ]
    return grams


@dataclass
class _Doc:
    """One article's phrase counts and its tokens (kept to find surface forms later)."""

    tf: Counter[str]
    title: Tokens
    body: Tokens

    def key_text(self) -> str:
        """All keys, padded with spaces, for phrase search; breaks stay as GAP tokens."""
        return f" {' '.join(self.title.keys)} {GAP} {' '.join(self.body.keys)} "

    def raws(self) -> tuple[str, ...]:
        """Surface forms aligned with the words of key_text()."""
        return (*self.title.raw, GAP, *self.body.raw)


def _analyse(article: Article, cfg: GroupingConfig) -> _Doc:
    """Phrase counts of the headline (weighted) and the body's lead (news puts the topic first)."""
    title, body = tokenise(article.title), tokenise(article.body)
    longest = cfg.tag_phrase_words
    if len(body.keys) > cfg.tag_body_words:
        body = Tokens(body.raw[: cfg.tag_body_words], body.keys[: cfg.tag_body_words])
    grams = _grams(_marked(title), longest) * _TITLE_WEIGHT + _grams(_marked(body), longest)
    return _Doc(Counter(grams), title, body)


def _ranked_phrases(
    doc: _Doc, df: Counter[str], n_docs: int, cfg: GroupingConfig, repeated: bool
) -> list[str]:
    """Candidate phrase keys, best first: shared ones, then (as filler) the rest."""
    max_df = max(cfg.tag_min_articles, int(cfg.tag_max_share * n_docs))
    logn = math.log(n_docs + 1)
    items = [(k, tf) for k, tf in doc.tf.items() if tf >= 2] if repeated else doc.tf.items()
    tiers: tuple[list[tuple[float, str]], list[tuple[float, str]]] = ([], [])
    for key, tf in items:
        d = df[key]
        if d > max_df:
            continue
        score = tf * (logn - math.log(d)) * (1 + _LONGER_BONUS * key.count(" "))
        tiers[d < cfg.tag_min_articles].append((-score, key))
    return [key for tier in tiers for _, key in sorted(tier)[: cfg.tags_max * 3]]


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
    df: Counter[str],
    n_docs: int,
    rules: EditorRules,
    cfg: GroupingConfig,
) -> _Picker:
    """Hand tags, pins, entities, then phrases until full (or at least tags_min)."""
    picker = _Picker(rules, cfg)
    for name in article.tags:
        picker.add(tag_key(name), name, forced=True)
    if rules.pinned:
        text = doc.key_text()
        for pin in rules.pinned:
            if f" {pin} " in text:
                picker.add(pin, None, forced=True)
    for name in _entity_names(article, cfg.tag_entities_max):
        if not picker.full and not _all_stop(tag_key(name)):
            picker.add(tag_key(name), name)
    for repeated in (True, False):
        ranked = _ranked_phrases(doc, df, n_docs, cfg, repeated)
        for key in ranked:
            if picker.full or (not repeated and len(picker.keys) >= cfg.tags_min):
                break
            if repeated and df[key] < cfg.tag_min_articles:
                continue  # a phrase of this article alone is only filler
            picker.add(key, None)
        if len(picker.keys) >= cfg.tags_min:
            break
    return picker


def _all_stop(key: str) -> bool:
    """Whether a key is empty or starts or ends with a stopword."""
    words = key.split()
    return not words or is_stop_key(words[0]) or is_stop_key(words[-1])


def _surfaces(doc: _Doc, wanted: set[str]) -> list[tuple[str, str]]:
    """(key, surface) of the first occurrence of each wanted phrase in the article."""
    if not wanted:
        return []
    text, raws = doc.key_text(), doc.raws()
    found: list[tuple[str, str]] = []
    for key in wanted:
        at = text.find(f" {key} ")
        if at >= 0:
            first = text.count(" ", 0, at + 1) - 1
            found.append((key, " ".join(raws[first : first + key.count(" ") + 1])))
    return found


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


def assign_tags(
    articles: Sequence[Article], cfg: GroupingConfig | None = None
) -> dict[str, list[str]]:
    """Tags for every article (slug -> display names), hand tags first."""
    cfg = cfg or GroupingConfig()
    rules = EditorRules.from_config(cfg)
    docs = [_analyse(a, cfg) for a in articles]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.tf.keys())
    picked = [
        _pick(a, d, df, len(articles), rules, cfg) for a, d in zip(articles, docs, strict=True)
    ]
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, pick in zip(docs, picked, strict=True):
        auto = {k for k, s in pick.surfaces.items() if not s}
        for key, surface in pick.surfaces.items():
            if surface:
                spellings[key][surface] += 1
        for key, surface in _surfaces(doc, auto):
            spellings[key][surface] += 1
        for key in auto:
            spellings[key][key] += 0  # a key never seen spelled still gets a name
    names = _display_names(spellings, rules)
    return {a.slug: [names[k] for k in p.keys] for a, p in zip(articles, picked, strict=True)}
