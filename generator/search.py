"""Client-side search: Pagefind indexes the written site, fed the project's normalised word forms.

Pagefind's Arabic stemmer finds بالكتاب from كتاب but not والكتاب, and folds ى/ي one way only.
So each article word whose matching forms differ from its spelling is followed by those forms
in hidden, marked markup (`index_markup`); the search page folds the query the same way
(`query_fold_table`) and strips the marked forms from excerpts, so readers see only the original.
"""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from generator.errors import ArshifError
from generator.extract import arabic

# U+2063 INVISIBLE SEPARATOR: Pagefind indexes the word after it, and the search page drops
# every excerpt word that starts with it (the forms exist for matching, never for reading).
KEY_MARK = "\u2063"
# U+2062 INVISIBLE TIMES marks forms of a whole title, which follow no particular word: they
# are dropped from excerpts too, but their highlight is not moved onto the word before them.
LOOSE_MARK = "\u2062"
BUNDLE_DIR = "pagefind"
_SKIP = frozenset({"code", "pre", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"})
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# A word keeps its combining marks (harakat) and joiners: a span between them would break shaping.
_WORD_OR_ENTITY = re.compile(
    r"&#?\w+;|(?:\w|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d])+"
)


def _optional(name: str) -> Callable[[str], str] | None:
    """A clitic helper of the normaliser, if this version has it."""
    helper = getattr(arabic, name, None)
    return helper if callable(helper) else None


@lru_cache(maxsize=200_000)
def match_forms(word: str) -> tuple[str, ...]:
    """Forms search should also find a word by: normalised, without و ف ب ك ل, without ال too.

    والحكومة gives والحكومه, الحكومه and حكومه, so a query with or without the article finds it.
    """
    steps = [_optional("strip_proclitics"), _optional("strip_clitics")]
    forms: list[str] = []
    for token in arabic.tokens(word):
        for form in [token, *(str(step(token)) for step in steps if step)]:
            if form and form != word.lower() and form not in forms:  # Pagefind lowercases
                forms.append(form)
    return tuple(forms)


def _annotate_text(text: str) -> str:
    """Escaped text with a hidden span of matching forms after each word that needs one."""

    def annotate(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.startswith("&"):
            return word
        forms = match_forms(word)
        if not forms:
            return word
        keys = " ".join(KEY_MARK + f for f in forms)
        return f"{word}<span hidden> {keys}</span>"

    return _WORD_OR_ENTITY.sub(annotate, text)


def index_markup(fragment: str) -> str:
    """HTML with matching forms added after its words (tags and entities are left untouched)."""
    parts = _TAG_OR_TEXT.split(fragment)
    skipping = 0
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part[1:].split(None, 1)[0].lower().rstrip(">") if len(part) > 2 else ""
            # Headings stay byte-for-byte as written (their words recur in the paragraphs).
            if name in _SKIP:
                skipping += 1
            elif name.lstrip("/") in _SKIP:
                skipping = max(0, skipping - 1)
        elif part and not skipping:
            parts[i] = _annotate_text(part)
    return "".join(parts)


def text_keys(text: str) -> str:
    """Plain (unescaped) text → its matching forms as one loosely marked, space-separated line."""
    forms: list[str] = []
    for word in _WORD_OR_ENTITY.findall(html.escape(text, quote=False)):
        if word.startswith("&"):
            continue
        forms.extend(f for f in match_forms(word) if f not in forms)
    return html.escape(" ".join(LOOSE_MARK + f for f in forms))


@cache
def query_fold_table() -> dict[str, str]:
    """Character folds of the normaliser, for the search page to apply to a typed query."""
    table: dict[str, str] = {}
    for code in [*range(0x0600, 0x0700), *range(0x0750, 0x0780)]:
        ch = chr(code)
        kind = unicodedata.category(ch)[0]
        if kind == "M" or ch == "\u0640":  # marks and tatweel disappear
            table[ch] = ""
        elif kind in "LN" and arabic.normalise(ch) != ch:
            table[ch] = arabic.normalise(ch)
    return table


def pagefind_executable() -> Path | None:
    """The Pagefind binary shipped by the `pagefind[bin]` wheel, if installed."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except FileNotFoundError:
        return None


def run_search_index(
    site_dir: Path, *, language: str = "ar", pages: str = "articles/**/*.html"
) -> int:
    """Index a written site with Pagefind (once, over the whole folder); returns pages indexed.

    Only article pages carry data-pagefind-body, so only they are parsed (half the time).
    """
    if not any(site_dir.glob(pages)):
        return 0  # an empty archive: Pagefind refuses to build an index of nothing
    exe = pagefind_executable()
    if exe is None:
        raise ArshifError(
            "search: Pagefind is not installed (pip install 'pagefind[bin]'), "
            "or set `search: false` in arshif.yml"
        )
    cmd = [str(exe), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR]
    cmd += ["--force-language", language, "--glob", pages]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ArshifError(f"search: Pagefind failed on {site_dir}: {' '.join(detail)}")
    found = re.search(r"Indexed (\d+) pages?", done.stdout)
    return int(found.group(1)) if found else 0
