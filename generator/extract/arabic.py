"""The one Arabic normaliser for matching (tags, entities, related stories, slugs, search).

Two jobs, kept apart: `clean_text` repairs what a reader sees (invisible characters,
presentation forms, odd spaces) without changing spelling; `normalise` folds spellings
into a matching key and is never shown to a reader.
"""

from __future__ import annotations

import re
import unicodedata

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
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
_NON_WORD = re.compile(r"[^\w]+")


def _fold_presentation_forms(text: str) -> str:
    """Replace Arabic presentation-form letters (U+FB50–U+FDFF, U+FE70–U+FEFF) by normal ones."""
    if not any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe" for ch in text):
        return text
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe" else ch
        for ch in text
    )


def clean_text(text: str) -> str:
    """Repair display text: drop invisible characters, fold presentation forms, plain spaces."""
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _fold_presentation_forms(text)


def normalise(text: str) -> str:
    """Fold a phrase into its matching key: no diacritics, tatweel, hamza/alef or ya/ta forms."""
    text = clean_text(text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_FOLD).lower()
    return " ".join(t for t in _NON_WORD.split(text) if t)


def tokens(text: str) -> list[str]:
    """Split text into normalised word tokens."""
    return normalise(text).split()
