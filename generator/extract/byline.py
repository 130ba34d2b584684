"""Bylines and datelines: author, dateline (city) and agency.

A recorded byline mixes three things: who wrote it, where from (the dateline) and for
which agency or outlet. Position decides most of it: `CITY: NAME`, `NAME (CITY)`,
`CITY - OUTLET`, `NAME - OUTLET - CITY:`; the outlet table decides which part is an outlet.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from generator.extract.arabic import clean_text
from generator.extract.source import outlet_by_id, outlet_by_name


@dataclass(frozen=True)
class Byline:
    """Who wrote it, from where, for which agency; None where not stated or not a person."""

    author: str | None = None
    dateline: str | None = None
    agency: str | None = None


_GUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_NOT_A_NAME = re.compile(r"^[\W\d_]*$|https?://|www\.|@|^[\w-]*\d{3,}[\w-]*$")
# Words that introduce the writer rather than being part of the name.
_ROLE = re.compile(
    r"^(?:بقلم|كتب|كتبت|إعداد|اعداد|حوار|تقرير|ترجمة|متابعة|تحرير|تصوير|عرض|by)\s*[:：]?\s*", re.I
)
_GENERIC_CREDITS = {
    "متابعات", "وكالات", "الوكالات", "خاص", "المحرر", "محرر", "فريق التحرير", "هيئة التحرير",
}  # fmt: skip
_SEPARATORS = r"\s*[-–—ـ:：]+\s*|\s+من\s+"
_MAX_NAME_WORDS = 5
_MAX_PLACE_WORDS = 4


def _tidy(value: str) -> str:
    """Entities decoded, display-cleaned, spaces collapsed, edge punctuation trimmed."""
    value = re.sub(r"\s+", " ", clean_text(html.unescape(html.unescape(value))))
    value = value.split("|")[0] if re.search(r"\|.*\d", value) else value  # `… | Tuesday, 11 Aug`
    value = value.strip(" \t:：-–—ـ,،.;؛*|")
    if value.startswith("(") and value.endswith(")") and value.count("(") == 1:
        value = value[1:-1].strip()
    return value


def _agency(part: str) -> str | None:
    """Display name when the part names an outlet/agency (`واس`), or a generic credit as is."""
    outlet = outlet_by_name(part, loose=True)
    if outlet is not None:
        return outlet.name
    return part if part in _GENERIC_CREDITS else None


def _rank(part: str) -> int:
    """3 wire agency, 2 unambiguous outlet, 1 generic credit or outlet name that is also a word."""
    outlet = outlet_by_name(part)
    if outlet is not None:
        return 3 if outlet.is_agency else 2
    return 1 if _agency(part) else 0


def _is_name(part: str) -> bool:
    """A plausible personal name: a few words, letters only, not an id or address."""
    return (
        bool(part)
        and len(part.split()) <= _MAX_NAME_WORDS
        and not _NOT_A_NAME.search(part)
        and not re.search(r"\d", part)
    )


def _is_place(part: str) -> bool:
    """A plausible dateline: a few words, no digits."""
    return bool(part) and len(part.split()) <= _MAX_PLACE_WORDS and not re.search(r"\d|@|/", part)


def _people_and_places(parts: list[str], credit_at: int | None) -> tuple[str | None, str | None]:
    """(author, dateline) among the non-outlet parts: a one-word part is the city."""
    usable = [(j, p) for j, p in enumerate(parts) if _is_name(p) or _is_place(p)]
    if not usable:
        return None, None
    if len(usable) >= 2:
        (_, a), (_, b) = usable[:2]
        if len(a.split()) == 1 or (len(b.split()) > 1 and a.startswith("ال")):
            return (b if _is_name(b) else None), a
        return (a if _is_name(a) else None), b
    j, only = usable[0]
    one_word = len(only.split()) == 1
    if one_word or credit_at is None or j > credit_at or only.startswith("ال"):
        return None, only if _is_place(only) else None
    return only, None


def _from_parts(parts: list[str]) -> Byline:
    """Classify separated parts: an outlet/agency, a writer, a city."""
    if len(parts) == 1 and re.fullmatch(r"[A-Za-z0-9 ._-]+", parts[0]):
        outlet = outlet_by_id(parts[0])
        if outlet is not None:
            return Byline(agency=outlet.name)
    ranks = [_rank(p) for p in parts]
    best = max(ranks, default=0)
    if best == 1 and len(parts) == 2:
        # `الرياض - أحمد غاوي`: a common outlet name beside a full name is the city
        others = [p for p, r in zip(parts, ranks, strict=True) if r == 0]
        if any(len(p.split()) > 1 for p in others) and not any(
            p in _GENERIC_CREDITS for p in parts
        ):
            ranks = [0] * len(parts)
            best = 0
    if best == 0:
        if len(parts) == 1:
            only = parts[0]
            if len(only.split()) == 1 and _is_place(only):
                return Byline(dateline=only)
            return Byline(author=only) if _is_name(only) else Byline()
        author, dateline = _people_and_places(parts, None)
        return Byline(author=author, dateline=dateline)
    i = ranks.index(best)
    rest = [p for p, r in zip(parts, ranks, strict=True) if r < 2 and p not in _GENERIC_CREDITS]
    rest = [p for p in rest if p != parts[i]]
    credit_at = sum(1 for p in parts[:i] if p in rest)
    author, dateline = _people_and_places(rest, credit_at)
    return Byline(author=author, dateline=dateline, agency=_agency(parts[i]))


def split_byline(author: str | None) -> Byline:
    """Split a recorded byline (`القاهرة: خالد محمود`) into author, dateline and agency."""
    if not author:
        return Byline()
    text = _ROLE.sub("", _tidy(author))
    if not text or _GUID.match(text) or _NOT_A_NAME.search(text):
        return Byline()
    paren = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", text)
    if paren and _is_place(paren.group(2).strip()):
        inner = split_byline(paren.group(1))
        return Byline(inner.author, paren.group(2).strip(), inner.agency)
    return _from_parts([p.strip(" \"'«»“”") for p in re.split(_SEPARATORS, text) if p.strip()])


# --- bylines opening the text ---------------------------------------------------------

# `دبي، الإمارات العربية المتحدة (CNN)—`, `(CNN)--`
_PAREN_CREDIT = re.compile(
    r"^(?:([^()\n]{2,60}?)\s*)?\(([A-Za-z .]{2,12}|[^()\s]{2,15})\)\s*(?:[-—–]+|:)\s*"
)
# `الرياض 26 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس`
_DATED_CREDIT = re.compile(
    r"^([^\d\n.،,]{2,40}?)\s+\d{1,2}\s+\S+\s+\d{4}\s*هـ?\s*(?:الموافق\s+\d{1,2}\s+\S+\s+\d{4}\s*م?)?\s*"
)
# A credit prefix ending in a colon: `فهد الغبيوي- سبق- عفيف:`, `سبق ـ الرياض:`
_COLON_CREDIT = re.compile(r"^([^:.!؟?\n]{2,60}?)\s*(?::-?|：)\s*")
_MAX_CREDIT_LINE_WORDS = 8


def _credit(prefix: str) -> Byline | None:
    """The byline a prefix states, only when it names an outlet/agency (else unsure → None)."""
    parts = [p for p in re.split(r"\s*[-–—ـ]+\s*", _tidy(prefix)) if p]
    ranks = [_rank(p) for p in parts]
    if not parts or not (max(ranks) >= 2 or (len(parts) > 1 and max(ranks) == 1)):
        return None
    found = _from_parts(parts)
    return found if found.agency else None


def _paren_credit(text: str) -> tuple[Byline, str] | None:
    """`CITY، COUNTRY (AGENCY)—` opening the text."""
    m = _PAREN_CREDIT.match(text)
    if not m or not (_agency(m.group(2)) or re.fullmatch(r"[A-Z .]{2,12}", m.group(2))):
        return None
    if not _agency(m.group(2)) and len((m.group(1) or "").split("،")[0].split()) > 3:
        return None  # `قالت منظمة … (WHO) -`: an acronym inside a sentence, not a credit
    place = (m.group(1) or "").split("،")[0].split(",")[0].strip() or None
    agency = _agency(m.group(2)) or m.group(2).strip()
    return Byline(dateline=place, agency=agency), text[m.end() :].strip()


def _dated_credit(text: str) -> tuple[Byline, str] | None:
    """`CITY <day month year هـ> [الموافق …] AGENCY` opening the text."""
    m = _DATED_CREDIT.match(text)
    if not m:
        return None
    rest = text[m.end() :]
    words = rest.split()
    for n in (3, 2, 1):
        if len(words) >= n and (found := _agency(" ".join(words[:n]))):
            tail = " ".join(words[n:]).lstrip(" :-–—")
            return Byline(dateline=m.group(1).strip(), agency=found), tail
    return None


def lede_byline(first_paragraph: str) -> tuple[Byline, str]:
    """A byline/dateline opening the text (`عين اليوم – جدة`), and the paragraph without it."""
    text = first_paragraph.strip()
    for finder in (_paren_credit, _dated_credit):
        found = finder(text)
        if found is not None:
            return found
    m = _COLON_CREDIT.match(text)
    if m and (by := _credit(m.group(1))) is not None:
        return by, text[m.end() :].strip()
    if len(text.split()) <= _MAX_CREDIT_LINE_WORDS and (by := _credit(text)) is not None:
        return by, ""
    return Byline(), first_paragraph
