"""Settings for grouping stories (tags, related stories, same story, links) and a shared tokeniser.

`GroupingConfig` is nested under `grouping:` in arshif.yml; `from_mapping` validates it with
messages that name the bad key and what is allowed. The tokeniser turns a text into aligned
(surface word, matching key) tokens with a break marker at punctuation, so every grouping step
reads the text once and matches with the project's one normaliser.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, NamedTuple

from generator.content.model import Article
from generator.extract.arabic import normalise, strip_clitics

try:
    from generator.extract.stopwords import is_stopword
except ImportError:  # pragma: no cover - the stopword module ships with the project
    from generator.extract.arabic import tokens as _tokens

    _FALLBACK = frozenset(_tokens("في من على إلى عن مع أن إن هذا هذه التي الذي قال وقال"))

    def is_stopword(token_key: str) -> bool:
        """Fallback stopword check when the stopword module is missing."""
        return len(token_key) < 2 or token_key.isdigit() or token_key in _FALLBACK


__all__ = [
    "GAP",
    "GroupingConfig",
    "Tokens",
    "api_records",
    "fold_keys",
    "is_stop_key",
    "lead_grams",
    "prime",
    "tokenise",
    "word_key",
    "word_keys",
]


@dataclass(frozen=True)
class GroupingConfig:
    """How tags, related stories, same-story groups and archive links are computed."""

    # tags
    tags_min: int = 3
    tags_max: int = 8
    tag_entities_max: int = 4  # entity names among the automatic tags
    tag_phrase_words: int = 3  # longest key phrase, in words
    tag_body_words: int = 400  # key phrases come from the headline and the body's lead
    tag_min_articles: int = 2  # a key phrase must occur in this many articles to be a tag
    tag_max_share: float = 0.05  # ... and in at most this share of the archive
    pinned_tags: tuple[str, ...] = ()
    banned_tags: tuple[str, ...] = ()
    tag_aliases: tuple[tuple[str, str], ...] = ()  # (variant, canonical)
    # related stories (a weighted inverted index, Hugo-style)
    related_count: int = 5
    weight_tags: float = 1.0
    weight_people: float = 1.0
    weight_places: float = 0.5
    weight_organisations: float = 0.75
    weight_words: float = 1.0  # the words an article uses most
    weight_date: float = 0.05
    related_words: int = 80  # how many of its most used words index an article
    related_max_share: float = 0.1
    related_threshold: float = 0.1
    related_max_postings: int = 400
    related_older_only: bool = False
    # same story (near-duplicate text)
    same_story_shingle: int = 4
    same_story_sketch: int = 64  # bottom-k sketch size
    same_story_lsh_threshold: float = 0.3
    same_story_min_shingles: int = 12
    same_story_min_jaccard: float = 0.5
    same_story_min_containment: float = 0.8
    # links from read_also / related_headlines to archive articles
    link_min_overlap: float = 0.85

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> GroupingConfig:
        """Validate a `grouping:` mapping from arshif.yml (a ValueError names the bad key)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"grouping: expected a mapping, got {type(data).__name__}")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise ValueError(
                    f"grouping.{key}: unknown key; allowed: {', '.join(sorted(known))}"
                )
            values[key] = _coerce(str(key), value, getattr(cls, key))
        cfg = cls(**values)
        cfg._check_ranges()
        return cfg

    def _check_ranges(self) -> None:
        """Reject values outside their meaningful ranges."""
        if not 1 <= self.tags_min <= self.tags_max:
            raise ValueError("grouping.tags_min: must be at least 1 and at most tags_max")
        if not 1 <= self.tag_phrase_words <= 5:
            raise ValueError("grouping.tag_phrase_words: allowed 1 to 5")
        for name in (
            "tag_max_share",
            "related_max_share",
            "same_story_lsh_threshold",
            "same_story_min_jaccard",
            "same_story_min_containment",
            "link_min_overlap",
        ):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"grouping.{name}: allowed a number above 0 and at most 1")
        for name in (
            "weight_tags",
            "weight_people",
            "weight_places",
            "weight_organisations",
            "weight_date",
            "weight_words",
            "related_threshold",
            "related_words",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"grouping.{name}: allowed a number of 0 or more")
        for name in (
            "related_count",
            "related_max_postings",
            "same_story_shingle",
            "same_story_sketch",
            "tag_min_articles",
            "tag_body_words",
            "tag_entities_max",
        ):
            if getattr(self, name) < (0 if name == "tag_entities_max" else 1):
                raise ValueError(f"grouping.{name}: allowed a whole number of 1 or more")

    @property
    def weights(self) -> dict[str, float]:
        """Weight of each index of the related-stories index."""
        return {
            "tags": self.weight_tags,
            "people": self.weight_people,
            "places": self.weight_places,
            "organisations": self.weight_organisations,
            "words": self.weight_words,
        }


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Check one value against its default's type; lists become tuples, aliases pairs."""
    where = f"grouping.{key}"
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: allowed true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: allowed a whole number, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{where}: allowed a number, got {value!r}")
        return float(value)
    if key == "tag_aliases":
        return _aliases(where, value)
    return _names(where, value)


def _names(where: str, value: Any) -> tuple[str, ...]:
    """A list of non-empty strings."""
    if not isinstance(value, list | tuple) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        raise ValueError(f"{where}: allowed a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _aliases(where: str, value: Any) -> tuple[tuple[str, str], ...]:
    """A mapping variant -> canonical, both non-empty strings."""
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: allowed a mapping of variant: canonical, got {value!r}")
    pairs: list[tuple[str, str]] = []
    for variant, canonical in value.items():
        if not (isinstance(variant, str) and isinstance(canonical, str)) or not (
            variant.strip() and canonical.strip()
        ):
            raise ValueError(f"{where}: allowed non-empty strings, got {variant!r}: {canonical!r}")
        pairs.append((variant.strip(), canonical.strip()))
    return tuple(pairs)


# --- tokeniser --------------------------------------------------------------------------------

# Marks, tatweel and invisible controls stay inside a word: the normaliser removes them later.
_WORD = (
    r"[\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c]+"
)
# Phrases never run across punctuation or a line break.
_BREAK = r"[\n.!?؟،,;؛:«»\"“”„()\[\]{}|/\\\-–—…*#<>=+]+"
_TOKEN = re.compile(f"{_WORD}|{_BREAK}")
_IS_WORD = re.compile(_WORD)
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
GAP = "\x00"  # the key of a break between segments
_TITLE_WEIGHT = 2  # a phrase in the headline counts as two mentions

# Matching keys of every raw token seen so far; words are few (~10^5) next to their uses.
_KEYS: dict[str, str] = {}
_KEYS_MAX = 2_000_000
# Joins new words into one string for a single normalise call, then splits them apart
# again: plain lowercase ASCII passes through the normaliser unchanged.
_MARK = "zqxjvmark"


class Tokens(NamedTuple):
    """A text's tokens: surface forms and matching keys, aligned; breaks have the key GAP."""

    raw: tuple[str, ...]
    keys: tuple[str, ...]


def _slow_key(raw: str) -> str:
    """Key of one token the careful way (one normalise call)."""
    if not _IS_WORD.match(raw):
        return GAP
    return " ".join(strip_clitics(p) for p in normalise(raw).split())


def fold_keys(raws: Iterable[str]) -> dict[str, str]:
    """Matching keys of raw tokens (GAP for a break), one normalise call for all plain words."""
    raws = list(raws)
    out: dict[str, str] = {}
    # A word with a presentation-form letter sends the normaliser's whole input down its
    # letter-by-letter path, so such rare words go one at a time (below).
    words = [
        r
        for r in raws
        if _IS_WORD.match(r) and _MARK not in r.lower() and not _PRESENTATION.search(r)
    ]
    if words:
        folded = normalise(f" {_MARK} ".join(words)).split(_MARK)
        for raw, norm in zip(words, folded, strict=True):
            piece = norm.strip()
            if " " in piece:  # a ligature or joined word that folds into several keys
                out[raw] = " ".join(map(strip_clitics, piece.split()))
            else:
                out[raw] = strip_clitics(piece) if piece else ""
    for raw in raws:
        if raw not in out:  # breaks, rare words as above, words holding the marker itself
            out[raw] = _slow_key(raw)
    return out


def _learn(raws: set[str]) -> None:
    """Add the matching keys of tokens not seen before (one normalise call for all words)."""
    if len(_KEYS) > _KEYS_MAX:
        _KEYS.clear()
    _KEYS.update(fold_keys(raws - _KEYS.keys()))


@lru_cache(maxsize=400_000)
def is_stop_key(key: str) -> bool:
    """Whether a matching key is a stopword (cached: called for every word of the archive)."""
    return is_stopword(key)


# Tokens of every text seen so far (the build tokenises each title and body once for all steps).
_TEXTS: dict[str, Tokens] = {}
_TEXTS_MAX = 50_000


def _assemble(raws: list[str]) -> Tokens:
    """Tokens of a text from its raw tokens, whose keys are all known."""
    # One C-level join/split for the whole text; the rare word that folds into 0 or 2 keys
    # (a ligature, a lone mark) takes the slow path that keeps surfaces aligned.
    keys = " ".join(map(_KEYS.__getitem__, raws)).split(" ")
    if len(keys) != len(raws) or "" in keys:
        pairs = [
            (p, p) if key != GAP else (raw, GAP)
            for raw in raws
            for key in [_KEYS[raw]]
            for p in key.split()
        ]
        return Tokens(tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))
    return Tokens(tuple(raws), tuple(keys))


def prime(texts: Iterable[str]) -> None:
    """Tokenise many texts at once: every new word of all of them folded in one call."""
    todo = [t for t in dict.fromkeys(texts) if t not in _TEXTS]
    if len(_TEXTS) + len(todo) > _TEXTS_MAX:
        _TEXTS.clear()
    found = [_TOKEN.findall(t) for t in todo]
    _learn(set().union(*found))
    for text, raws in zip(todo, found, strict=True):
        _TEXTS[text] = _assemble(raws)


def word_key(raw: str) -> str:
    """The matching key of one raw word token (as tokenise gives it)."""
    key = _KEYS.get(raw)
    return key if key is not None else _slow_key(raw)


def tokenise(text: str) -> Tokens:
    """Surface forms and matching keys of a text's words, with GAP at every break."""
    toks = _TEXTS.get(text)
    if toks is None:
        prime((text,))
        toks = _TEXTS[text]
    return toks


@lru_cache(maxsize=400_000)
def _run_key(key: str) -> str:
    """The key itself, or the gap marker for a stopword."""
    return GAP if is_stop_key(key) else key


def _grams(toks: Sequence[str], longest: int) -> list[str]:
    """All one- to `longest`-word phrases that span no break or stopword, as space-joined keys."""
    keys = list(map(_run_key, toks))
    out = [k for k in keys if len(k) > 2]  # the gap marker is one character long
    for size in range(2, longest + 1):
        pattern = " ".join(["{}"] * size)
        shifted = [keys[i:] for i in range(size)]
        out += [g for g in map(pattern.format, *shifted) if GAP not in g]
    return out


@lru_cache(maxsize=50_000)
def lead_grams(title: str, body: str, body_words: int, longest: int) -> Counter[str]:
    """Phrase counts of a headline (counted twice) and the body's lead: news puts the topic first.

    Shared by tags (all phrases) and related stories (single words), so it is counted once.
    """
    head = tokenise(title).keys
    lead = tokenise(body).keys[:body_words]
    return Counter(_grams(head, longest) * _TITLE_WEIGHT + _grams(lead, longest))


def word_keys(text: str) -> list[str]:
    """All matching keys of a text's words, in order (no breaks)."""
    return " ".join(tokenise(text).keys).replace(GAP, " ").split()


# --- API records ------------------------------------------------------------------------------


def api_records(
    articles: Sequence[Article],
    tags_by_slug: Mapping[str, Sequence[str]],
    related: Mapping[str, Sequence[str]],
    same_story: Mapping[str, Sequence[str]],
    url_of: Callable[[str], str],
) -> list[dict[str, Any]]:
    """One JSON-ready record per article (newest first) for site/api/articles.json."""
    return [
        {
            "slug": a.slug,
            "url": url_of(a.slug),
            "title": a.title,
            "date": a.date.isoformat() if a.date else None,
            "source": a.source,
            "tags": list(tags_by_slug.get(a.slug, a.tags)),
            "people": list(a.people),
            "places": list(a.places),
            "organisations": list(a.organisations),
            "related": list(related.get(a.slug, ())),
            "same_story": list(same_story.get(a.slug, ())),
        }
        for a in sorted(articles, key=Article.sort_key)
    ]
