"""The one Arabic normaliser for matching (tags, entities, related stories, slugs, search).

Two jobs, kept apart: `clean_text` repairs what a reader sees (invisible characters,
presentation forms, odd spaces) without changing spelling; `normalise` folds spellings
into a matching key and is never shown to a reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path

from generator.usercache import derived

_DIACRITICS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
_TATWEEL = "\u0640"
# Zero-width and bidi controls carry no meaning in stored text and break matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u061c]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",  # Persian yeh
        "ک": "ك",  # Persian keheh
        "ۀ": "ه",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
    }
)
_DATA = Path(__file__).resolve().parents[1] / "data"


_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")


def _fold_presentation_forms(text: str) -> str:
    """Replace Arabic presentation-form letters (U+FB50–U+FDFF, U+FE70–U+FEFF) by normal ones."""
    if not _PRESENTATION.search(text):  # one C-level scan: almost no text has any
        return text
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def clean_text(text: str) -> str:
    """Repair display text: drop invisible characters, fold presentation forms, plain spaces."""
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _fold_presentation_forms(text)


def _table(mapping: dict[int, str | None], size: int = 0x2070) -> list[int | str | None]:
    """A str.translate table as a list: several times faster than a dict on Arabic text.

    A dict table costs a failed lookup for every character it leaves alone; the list holds
    every code point below `size` (Arabic and common punctuation), the rest map to themselves.
    """
    return [mapping.get(c, c) for c in range(size)]


# Diacritics and tatweel dropped and letters folded in one pass (they never overlap).
_DROP: dict[int, str | None] = {
    **{c: None for c in range(0x600, 0x700) if _DIACRITICS.match(chr(c))},
    ord(_TATWEEL): None,
}
_NORMALISE = _table({**_FOLD, **_DROP})
_WORD_RUN = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Fold a phrase into its matching key: no diacritics, tatweel, hamza/alef or ya/ta forms."""
    text = clean_text(text).translate(_NORMALISE).lower()
    return " ".join(_WORD_RUN.findall(text))


# Keys of _FOLD are code points: keep the digit and Persian-letter folds, drop the letter ones.
_LIGHT_FOLD = {k: v for k, v in _FOLD.items() if not (0x621 <= k <= 0x64A or k == ord("ۀ"))}
_LIGHT_NORMALISE = _table({**_LIGHT_FOLD, **_DROP})


def light_normalise(text: str) -> str:
    """Fold only what a reader cannot see or would not miss: marks, tatweel, digits, case.

    Letters keep their spelling (أ ة ى stay), so the result is fit to show, as in slugs.
    """
    return clean_text(text).translate(_LIGHT_NORMALISE).lower()


def tokens(text: str) -> list[str]:
    """Split text into normalised word tokens (clitics kept)."""
    return normalise(text).split()


def key_tokens(text: str) -> list[str]:
    """Split text into normalised tokens with clitics and the article stripped."""
    return [strip_clitics(t) for t in tokens(text)]


@lru_cache(maxsize=1 << 16)  # called for every tag and entity lookup while rendering
def match_key(phrase: str) -> str:
    """The grouping key of a phrase: normalised, each word stripped of clitics."""
    return " ".join(key_tokens(phrase))


# The lexicon is stored under normalised keys, so the fold must drop marks in one pass.
_LEXICON_FOLD = _table(
    {
        **{k: v for k, v in _FOLD.items()},
        **{c: None for c in range(0x610, 0x61B)},
        **{c: None for c in range(0x64B, 0x660)},
        0x670: None,
        0x640: None,
    }
)
# Below this frequency wordfreq's list is mostly typos and run-together words.
_MIN_FREQUENCY = 3e-8
# A prefix is a clitic only if the bare word is at least this share as common as the whole.
_CONJ_RATIO = 4.0
_ARTICLE_RATIO = 30.0


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a UTF-8 data file in generator/data."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def lexicon() -> Mapping[str, float]:
    """Known Arabic words (normalised key -> frequency) from wordfreq plus a project list.

    Folding wordfreq's list takes over a second and a few hundred MB at its peak, so the
    result is kept in the user's cache, named by everything it is derived from.
    """
    return derived("lexicon", lexicon_inputs(), _fold_lexicon)


@cache
def lexicon_inputs() -> str:
    """What the folded lexicon depends on: wordfreq's version, this module, the extra words."""
    try:
        from importlib.metadata import version

        wordfreq_version = version("wordfreq")
    except Exception:  # pragma: no cover - wordfreq is a declared dependency
        wordfreq_version = "none"
    code = Path(__file__).read_bytes()
    extra = (_DATA / "arabic_lexicon_extra.txt").read_bytes()
    return f"{wordfreq_version}\n{code.hex()}\n{extra.hex()}"


def _fold_lexicon() -> dict[str, float]:
    """The lexicon, folded from wordfreq's Arabic list."""
    lex: dict[str, float] = {}
    try:
        import wordfreq

        for word, freq in wordfreq.get_frequency_dict("ar", "large").items():
            if freq < _MIN_FREQUENCY:
                break  # the dict is sorted by frequency, most common first
            key = word.translate(_LEXICON_FOLD)
            lex[key] = lex.get(key, 0.0) + freq
    except ImportError:  # pragma: no cover - wordfreq is a declared dependency
        pass
    for line in data_lines("arabic_lexicon_extra.txt"):
        lex.setdefault(normalise(line), 1e-6)
    return lex


@cache
def _never_strip() -> frozenset[str]:
    """Words that look clitic-prefixed but are whole (الله, الذي, ...)."""
    return frozenset(normalise(w) for w in data_lines("arabic_no_clitic.txt"))


def _freq(word: str) -> float:
    """Frequency of a normalised word in the lexicon (0 when unknown)."""
    return lexicon().get(word, 0.0)


def _passes(whole: str, rest: str, ratio: float, min_len: int) -> bool:
    """Whether `rest` is a known word common enough for `whole` to be rest plus a clitic."""
    if len(rest) < min_len or whole in _never_strip():
        return False
    rest_freq = _freq(rest)
    if rest_freq == 0.0 and rest.startswith("ال"):
        rest_freq = _freq(rest[2:])
    return rest_freq > 0.0 and _freq(whole) < ratio * rest_freq


def _strip_conjunction(word: str) -> str:
    """Drop a leading و or ف when what follows is a known word."""
    if len(word) > 3 and word[0] in "وف" and _passes(word, word[1:], _CONJ_RATIO, 3):
        return word[1:]
    return word


def _strip_preposition(word: str) -> str:
    """Drop a leading ب ك ل (لل stands for ل + ال) when what follows is a known word."""
    if len(word) > 4 and word.startswith("لل"):
        rest = "ال" + word[2:]
        if _passes(word, rest, _CONJ_RATIO, 4):
            return rest
    if len(word) > 3 and word[0] in "بكل" and _passes(word, word[1:], _CONJ_RATIO, 3):
        return word[1:]
    return word


def _strip_article(word: str) -> str:
    """Drop the article ال when what follows is a known word."""
    if len(word) > 3 and word.startswith("ال") and _passes(word, word[2:], _ARTICLE_RATIO, 2):
        return word[2:]
    return word


@lru_cache(maxsize=200_000)
def strip_proclitics(token: str) -> str:
    """Drop و ف ب ك ل (keeping ال) from a normalised token where the rest is a known word."""
    return _strip_preposition(_strip_conjunction(token))


@lru_cache(maxsize=200_000)
def strip_clitics(token: str) -> str:
    """Drop و ف ب ك ل and ال from a normalised token where the rest is a known word."""
    return _strip_article(strip_proclitics(token))
