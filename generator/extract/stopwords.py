"""Arabic stopwords for matching: stopwords-iso's Arabic list plus the project's news stoplist.

Every entry is stored as normalised keys (with and without clitics), so a check works on
whatever key the caller holds: `normalise` output, a `key_tokens` item or a `match_key`.
"""

from __future__ import annotations

from functools import cache

from generator.extract.arabic import data_lines, match_key, normalise

__all__ = ["STOPWORDS", "is_stopword", "stopwords"]

STOPWORDS: frozenset[str]  # built on first access by __getattr__ below

# stopwords-iso lists a few content words that news tags and entities need (وقف إطلاق النار).
_NOT_STOPWORDS = frozenset({"وقف", "زياره", "عين", "قوه", "برس", "للامم", "لوكاله", "امم", "وكاله"})


def _news_list() -> list[str]:
    """Entries of the project's news stoplist (reporting verbs, dates, fillers)."""
    return data_lines("stopwords_news.txt")


def _iso_list() -> list[str]:
    """Arabic stopwords shipped by the stopwordsiso package (empty if it is missing)."""
    try:
        import stopwordsiso
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    return sorted(stopwordsiso.stopwords("ar"))


@cache
def stopwords() -> frozenset[str]:
    """All stopword keys: each entry normalised, and again with clitics stripped."""
    keys: set[str] = set()
    for entry in (*_iso_list(), *_news_list()):
        plain = normalise(entry)
        if plain:
            keys.add(plain)
            keys.add(match_key(entry))
    return frozenset(keys - _NOT_STOPWORDS)


def is_stopword(token_key: str) -> bool:
    """True for a stopword key, a lone letter or a bare number (none makes a tag or entity)."""
    if len(token_key) < 2 or token_key.isdigit():
        return True
    return token_key in stopwords()


def __getattr__(name: str) -> frozenset[str]:
    """Build `STOPWORDS` on first use, so importing this module loads no word lists."""
    if name == "STOPWORDS":
        return stopwords()
    raise AttributeError(name)
