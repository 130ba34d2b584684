"""Unicode slugs that keep Arabic letters, are safe in paths and URLs, and are never empty.

A slug is the text folded as `light_normalise` folds it (no diacritics, tatweel, bidi
marks or presentation forms; Persian ی/ک and Eastern digits folded; Latin lower-cased;
Arabic letters keep their spelling so the slug reads well), cut into hyphen-separated runs
of letters and digits. Nothing is transliterated. Everything that is not a letter or digit (slashes,
dots, quotes, `%`, `?`, `#`, control characters, underscores) becomes a separator.
"""

from __future__ import annotations

import hashlib
import re

from generator.extract.arabic import light_normalise

# Letters and digits of any script, separated by single hyphens: nothing else.
SLUG_PATTERN = re.compile(r"^[^\W_]+(?:-[^\W_]+)*$")
MAX_BYTES = 80
_SEPARATORS = re.compile(r"[\W_]+")
# Windows refuses these as file names whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def _words(text: str) -> list[str]:
    """The letter-and-digit runs of the text's matching form."""
    return [w for w in _SEPARATORS.split(light_normalise(text)) if w]


def _fit_bytes(words: list[str], limit: int) -> list[str]:
    """Keep whole words while the joined slug stays within `limit` UTF-8 bytes."""
    kept: list[str] = []
    size = -1  # the first word brings no hyphen
    for word in words:
        cost = len(word.encode("utf-8")) + 1
        if size + cost > limit:
            break
        kept.append(word)
        size += cost
    if not kept and words:
        # One word longer than the limit: cut it between characters, never inside one.
        cut = words[0].encode("utf-8")[:limit].decode("utf-8", errors="ignore")
        kept = [cut] if cut else []
    return kept


def _fallback(text: str) -> str:
    """A short deterministic name for text with no letters or digits."""
    return "x-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def slugify(text: str, *, max_words: int = 8) -> str:
    """A path- and URL-safe slug; falls back to a short hash when nothing is left."""
    words = _fit_bytes(_words(text)[: max(max_words, 1)], MAX_BYTES)
    slug = "-".join(words)
    if not slug:
        return _fallback(text)
    if slug in _RESERVED:
        return slug + "-x"
    return slug


def unique_slug(base: str, taken: set[str]) -> str:
    """`base` if free, else the first free `base-2`, `base-3` … (does not add it to `taken`)."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
