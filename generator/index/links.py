"""Links inside the archive: a "read also" or related headline -> the archive article it names.

Titles match after normalisation (quotes, punctuation, diacritics, clitics fall away) and
with or without a site-name suffix ("… - سكاي نيوز عربية") or a media marker ("(شاهد)").
Exact matches come first; otherwise a conservative fuzzy match needs high word overlap both
ways, the same numbers and a single best title. A wrong link is worse than none.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from generator.content.model import Article
from generator.extract.arabic import key_tokens

__all__ = ["TitleIndex", "headline_keys"]

# A site name rides after a spaced dash or a bar; at most this many words long.
_SITE_SEPARATOR = re.compile(r"\s+[-–—|]\s+|\s*\|\s*")
_SITE_WORDS = 4
_MEDIA_MARKER = re.compile(
    r"[\(\[]\s*(?:شاهد|شاهدوا|فيديو|بالفيديو|صور|بالصور|صور وفيديو|فيديو وصور|"
    r"إنفوغراف|انفوغراف|video|photos?)\s*[\)\]]\s*$",
    re.IGNORECASE,
)
_MIN_FUZZY_WORDS = 4
# Words in more titles than this are useless for finding candidates.
_MAX_POSTING = 500


def _tokens(text: str) -> tuple[str, ...]:
    """Matching keys of a headline's words."""
    return tuple(key_tokens(text))


def headline_keys(headline: str) -> list[tuple[str, ...]]:
    """Key forms of a headline: as written, then without a media marker and a site suffix."""
    text = _MEDIA_MARKER.sub("", headline.strip()).strip()
    forms = [_tokens(headline), _tokens(text)]
    parts = _SITE_SEPARATOR.split(text)
    if len(parts) > 1 and len(_tokens(parts[-1])) <= _SITE_WORDS:
        forms.append(_tokens(" ".join(parts[:-1])))
    if len(parts) > 1 and len(_tokens(parts[0])) <= _SITE_WORDS - 1:
        forms.append(_tokens(" ".join(parts[1:])))
    out: list[tuple[str, ...]] = []
    for form in forms:
        if form and form not in out:
            out.append(form)
    return out


def _numbers(tokens: Sequence[str]) -> frozenset[str]:
    """The numbers in a headline: a different number is a different story."""
    return frozenset(t for t in tokens if any(map(str.isdigit, t)))


class TitleIndex:
    """Find the archive article a headline names."""

    def __init__(self, articles: Sequence[Article], min_overlap: float = 0.85) -> None:
        """Index every article's title forms; newest article first where titles coincide."""
        self.min_overlap = min_overlap
        self._exact: dict[tuple[str, ...], str] = {}
        self._stripped: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._titles: list[tuple[str, frozenset[str], frozenset[str]]] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for article in sorted(articles, key=Article.sort_key):
            forms = headline_keys(article.title)
            if not forms:  # an empty title, or one of punctuation only: nothing to match
                continue
            full, *rest = forms
            self._exact.setdefault(full, article.slug)
            for form in rest:
                self._stripped[form].add(article.slug)
            words = frozenset(full)
            for word in words:
                self._postings[word].append(len(self._titles))
            self._titles.append((article.slug, words, _numbers(full)))

    def find(self, headline: str) -> str | None:
        """Slug of the article this headline names, or None when no title surely matches."""
        forms = headline_keys(headline)
        if not forms:
            return None
        for form in forms:
            if form in self._exact:
                return self._exact[form]
        for form in forms:
            slugs = self._stripped.get(form, set())
            if len(slugs) == 1:
                return next(iter(slugs))
        return self._fuzzy(forms[-1])

    def _fuzzy(self, query: tuple[str, ...]) -> str | None:
        """The one title sharing nearly all words with the headline both ways, if any."""
        words = frozenset(query)
        if len(words) < _MIN_FUZZY_WORDS:
            return None
        shared: dict[int, int] = defaultdict(int)
        for word in words:
            plist = self._postings.get(word, [])
            if len(plist) <= _MAX_POSTING:
                for i in plist:
                    shared[i] += 1
        numbers = _numbers(query)
        good = {
            self._titles[i][0]
            for i, n in shared.items()
            if n >= self.min_overlap * len(words)
            and n >= self.min_overlap * len(self._titles[i][1])
            and self._titles[i][2] == numbers
        }
        return next(iter(good)) if len(good) == 1 else None
