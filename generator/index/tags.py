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
from dataclasses import dataclass, field
from functools import cache, lru_cache

from generator.content.model import Article
from generator.extract.arabic import data_lines, match_key, normalise, strip_proclitics
from generator.extract.source import outlets
from generator.index.grouping import (
    GAP,
    GroupingConfig,
    Tokens,
    is_stop_key,
    lead_grams,
    prime,
    tokenise,
    word_key,
)

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
    """Phrase counts of the headline and the body's lead, with the tokens to spell them."""
    title, body = tokenise(article.title), tokenise(article.body)
    limit = cfg.tag_body_words
    tf = lead_grams(article.title, article.body, limit, cfg.tag_phrase_words)
    return _Doc(tf, title, Tokens(body.raw[:limit], body.keys[:limit]))


_VERB_PENALTY = 0.2  # score factor for a phrase that opens with a verb-like word
_DEFINITE = ("ال", "وال", "بال", "فال", "كال", "لل")  # a word written with the article


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


def _shape(docs: Sequence[_Doc]) -> _Shape:
    """The phrase-shape knowledge for this archive."""
    raws: set[str] = set()
    for doc in docs:
        raws.update(doc.title.raw, doc.body.raw)
    definite = frozenset(word_key(r) for r in raws if r.startswith(_DEFINITE))
    return _Shape(
        definite,
        _credit_keys(),
        _list_keys("entities_first_names.txt"),
        _list_keys("entities_roles.txt"),
    )


def _ranked_phrases(
    doc: _Doc, df: Counter[str], n_docs: int, cfg: GroupingConfig, shape: _Shape, repeated: bool
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
        factor = shape.factor(key)
        if factor:
            score = tf * (logn - math.log(d)) * factor
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
    shape: _Shape,
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
        key = tag_key(name)
        if not picker.full and not _all_stop(key) and key not in shape.credits:
            picker.add(key, name)
    for repeated in (True, False):
        ranked = _ranked_phrases(doc, df, n_docs, cfg, shape, repeated)
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


def assign_tags(
    articles: Sequence[Article], cfg: GroupingConfig | None = None
) -> dict[str, list[str]]:
    """Tags for every article (slug -> display names), hand tags first."""
    cfg = cfg or GroupingConfig()
    rules = EditorRules.from_config(cfg)
    prime(t for a in articles for t in (a.title, a.body))
    docs = [_analyse(a, cfg) for a in articles]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.tf.keys())
    shape = _shape(docs)
    picked = [
        _pick(a, d, df, len(articles), rules, cfg, shape)
        for a, d in zip(articles, docs, strict=True)
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
