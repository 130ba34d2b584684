"""Dates: structured strings, Arabic and Hijri text dates, datelines, and the HTML cascade.

Everything is regular expressions compiled once at import: parsing a crawler's date string
takes a few microseconds, so importing thousands of articles never waits on dates.
Hijri dates use the Umm al-Qura calendar (the `hijridate` package, 1343–1500 AH).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote, urlsplit

from hijridate import Gregorian, Hijri

# Display names (the forms a reader in any Arab country recognises).
GREGORIAN_MONTHS_AR = (
    "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)  # fmt: skip
HIJRI_MONTHS_AR = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip
WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
"""Indexed by `date.weekday()` (Monday = 0)."""

# Month names as written across the Arab world, by month number.
_GREGORIAN_NAMES: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "جانفييه"),
    2: ("فبراير", "فبراير", "شباط", "فيفري", "فيفرييه"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل"),
    5: ("مايو", "أيار", "آيار", "ماي"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "جويلة", "يوليوز"),
    8: ("أغسطس", "آب", "أوت", "غشت", "اغسطوس"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر"),
}
_HIJRI_NAMES: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع أول"),
    4: ("ربيع الآخر", "ربيع الثاني", "ربيع ثاني", "ربيع آخر"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى أولى"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الثاني", "جمادى الآخر", "جمادى ثاني"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة", "ذا القعدة"),
    12: ("ذو الحجة", "ذي الحجة", "ذا الحجة"),
}
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("الاثنين", "الإثنين", "الأثنين", "الاتنين"),
    1: ("الثلاثاء", "الثلاثا"),
    2: ("الأربعاء", "الاربعاء", "الأربعا"),
    3: ("الخميس",),
    4: ("الجمعة",),
    5: ("السبت",),
    6: ("الأحد", "الاحد"),
}

_MIN_YEAR, _MAX_YEAR = 1850, 2150
_HIJRI_YEARS = range(1300, 1501)

# --- normalisation -------------------------------------------------------------------------

_DIGIT_MAP = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGIT_MAP |= {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_FOLD_MAP: dict[int, str | None] = dict(_DIGIT_MAP)
_FOLD_MAP |= {ord(c): "ا" for c in "أإآٱ"} | {ord("ى"): "ي", ord("ة"): "ه", ord("ی"): "ي"}
# Tatweel, harakat and invisible controls sit inside real dates ("1/\u200f1/\u200f2018", "هـ").
_DROP = "\u0640\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a\u0670"
_DROP += "".join(chr(c) for c in range(0x064B, 0x0660))
_DROP += "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP += "\ufeff\u061c\u00ad"
_FOLD_MAP |= {ord(c): None for c in _DROP}
_FOLD_MAP |= {
    ord(c): " "
    for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000"
}
_FOLD_MAP |= {ord("٫"): ".", ord("٬"): ",", ord("／"): "/"}


def _fold(text: str) -> str:
    """Matching form: Western digits, one alef, no tatweel/harakat/bidi marks (never displayed)."""
    return text.translate(_FOLD_MAP)


def _key(name: str) -> str:
    """Lookup key of a month or weekday name: folded, lower-case, without spaces."""
    return _fold(name).lower().replace(" ", "")


# --- month lookup and the regular expressions built from it ---------------------------------

_MONTHS: dict[str, tuple[int, bool]] = {}  # key -> (month, is_hijri)
for _num, _names in _GREGORIAN_NAMES.items():
    _MONTHS.update({_key(n): (_num, False) for n in _names})
for _num, _names in _HIJRI_NAMES.items():
    _MONTHS.update({_key(n): (_num, True) for n in _names})
for _num, _name in enumerate(_ENGLISH_MONTHS, start=1):
    _MONTHS.update({_name: (_num, False), _name[:3]: (_num, False)})
_MONTHS["sept"] = (9, False)


def _name_pattern(names: list[str]) -> str:
    """Alternation of folded names, longest first, with flexible spaces inside them."""
    forms = sorted({_fold(n).lower() for n in names}, key=len, reverse=True)
    return "|".join(r"\s*".join(map(re.escape, f.split())) for f in forms)


_ALL_MONTH_NAMES = [n for t in (_GREGORIAN_NAMES, _HIJRI_NAMES) for ns in t.values() for n in ns]
_ALL_MONTH_NAMES += [*_ENGLISH_MONTHS, *(m[:3] for m in _ENGLISH_MONTHS), "sept"]
# Digits may touch a month name ("جانفي2017"); letters may not (a longer word).
_MONTH = r"(?<![^\W\d])(?:" + _name_pattern(_ALL_MONTH_NAMES) + r")(?![^\W\d])"
# "آب/اغسطس", "يوليو (تموز)", "نيسان / أبريل", "14 يوليو تموز": the first name decides.
_MONTH_EXPR = rf"(?P<mon>{_MONTH})(?:\s*[/(\\-]\s*{_MONTH}\s*\)?|\s+\(?{_MONTH}\)?)?"
_ERA = r"(?:\s*(?P<era>هجريه|هجري|ه|ميلاديه|ميلادي|م)(?!\w))?"
_YEAR = r"(?P<y>\d{4})(?!\d)"

_TEXT_DMY = re.compile(
    rf"(?<![\d/.\-])(?P<d>\d{{1,2}})(?:\s*(?:من\s+)?|\s*[-/.]\s*){_MONTH_EXPR}"
    rf"[\s,،.\-]*(?:من\s+)?(?:(?:عام|العام|سنه)\s+)?{_YEAR}{_ERA}",
    re.IGNORECASE,
)
_TEXT_MDY = re.compile(
    rf"{_MONTH_EXPR}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*{_YEAR}{_ERA}", re.IGNORECASE
)
_NUM_DMY = re.compile(
    rf"(?<![\d/.\-])(?P<d>\d{{1,2}})\s*(?P<s>[/.\-])\s*(?P<m>\d{{1,2}})\s*(?P=s)\s*{_YEAR}"
    rf"(?![/.\-]\d){_ERA}"
)
_NUM_YMD = re.compile(
    rf"(?<![\d/.\-])(?P<y>\d{{4}})\s*(?P<s>[/.\-])\s*(?P<m>\d{{1,2}})\s*(?P=s)\s*(?P<d>\d{{1,2}})"
    rf"(?![\d/]){_ERA}"
)
_TEXT_PATTERNS = (_TEXT_DMY, _TEXT_MDY, _NUM_DMY, _NUM_YMD)

_AMPM = r"(?P<ampm>صباحا|صباح|ص|مساءا|مساء|م|ظهرا|ظهر|ليلا|a\.?m\.?|p\.?m\.?)"
_ZONE = (
    r"(?:\s*\(?\s*(?:(?P<z>gmt|utc|z)(?:\s*(?P<zoff>[+-]\s*\d{1,2}(?::?\d{2})?))?"
    r"|(?P<off>[+-]\d{2}:?\d{2})|(?P<grw>بتوقيت\s+(?:غرينتش|غرينيتش|جرينتش|جرينيتش)))\s*\)?)?"
)
_TIME = (
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?(?!\d)" + rf"(?:\s*{_AMPM}(?!\w))?{_ZONE}"
)
_TIME_AFTER = re.compile(
    r"[\s,،\-–—|/:]*(?:(?:في\s+)?(?:عند\s+)?(?:الساعه)\s*)?" + _TIME, re.IGNORECASE
)
_TIME_BEFORE = re.compile(_TIME + r"\s*[,،\-–—|]?\s*$", re.IGNORECASE)

# Structured forms, tried first on the raw string (crawlers, feeds, meta tags, front matter).
_TZ = r"(?P<tz>z|utc|gmt|ut|[a-z]{3}|[+-]\d{2}(?::?\d{2})?)"
_ISO = re.compile(
    r"^(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:t|\s+)(?P<h>\d{1,2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?)?\s*" + _TZ + "?$",
    re.IGNORECASE,
)
_COMPACT = re.compile(
    r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:t(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?"
    + _TZ
    + "?$",
    re.IGNORECASE,
)
_DMY_STRUCT = re.compile(
    r"^(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?:(?:t|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?\s*" + _TZ + "?$",
    re.IGNORECASE,
)
_RFC822 = re.compile(
    r"^(?:[a-z]{3,9}\.?,?\s+)?(?P<d>\d{1,2})[\s-]+(?P<mon>[a-z]{3,9})\.?[\s-]+(?P<y>\d{4}|\d{2})"
    r"(?:,?\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?\s*" + _TZ + "?$",
    re.IGNORECASE,
)
_STRUCTURED = (_ISO, _COMPACT, _DMY_STRUCT, _RFC822)
# RFC 822's zones plus unambiguous European ones; AST, GST, BST… mean different places.
_NAMED_ZONES = {"z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5}
_NAMED_ZONES |= {"mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "cet": 1, "cest": 2, "eet": 2}
_NAMED_ZONES |= {"eest": 3, "msk": 3}


@dataclass(frozen=True)
class FoundDate:
    """A date found somewhere, with how much of it the source really gave."""

    value: datetime  # timezone-aware when the source gave an offset/zone, naive otherwise
    has_time: bool  # False when only a day was given (value is then at 00:00)
    # where it came from: "record", "meta:<key>", "jsonld", "time", "markup", "url", "text"
    origin: str

    def iso(self) -> str:
        """ISO 8601 text for front matter: date only, or date-time with offset when known."""
        if not self.has_time:
            return self.value.date().isoformat()
        return self.value.isoformat()


@dataclass(frozen=True)
class _Hit:
    """One date matched in text: its span, its day, and whether it was written as Hijri."""

    start: int
    end: int
    day: date
    hijri: bool


# --- building values -----------------------------------------------------------------------


def _zone(text: str | None) -> timezone | None:
    """A tzinfo from 'Z', 'GMT', '+0400', '+04:00', '-5' or a known abbreviation, else None."""
    if not text:
        return None
    t = text.strip().lower().replace(" ", "")
    if t in _NAMED_ZONES:
        return _offset_zone(_NAMED_ZONES[t] * 60)
    m = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", t)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    if minutes > 14 * 60:
        return None
    return _offset_zone(-minutes if m.group(1) == "-" else minutes)


def _offset_zone(minutes: int) -> timezone:
    """timezone.utc for a zero offset, a fixed offset otherwise."""
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def _day(y: int, m: int, d: int, hijri: bool = False) -> date | None:
    """A Gregorian day from year/month/day (Umm al-Qura when hijri), or None when impossible."""
    try:
        if hijri:
            g = Hijri(y, m, d).to_gregorian()
            return date(g.year, g.month, g.day)
        if not _MIN_YEAR <= y <= _MAX_YEAR:
            return None
        return date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _hour(h: int, ampm: str | None) -> int:
    """24-hour clock from a 12-hour reading with an Arabic or English AM/PM marker."""
    if not ampm:
        return h
    marker = ampm.lower().replace(".", "")
    pm = marker in ("م", "مساء", "مساءا", "pm")
    pm = pm or (marker in ("ظهر", "ظهرا") and h < 11) or (marker == "ليلا" and 6 <= h < 12)
    if pm and h < 12:
        return h + 12
    if not pm and h == 12 and marker not in ("ظهر", "ظهرا"):
        return 0
    return h


def _combine(
    day: date, m: re.Match[str] | None, tz_text: str | None = None
) -> tuple[datetime, bool]:
    """A datetime for the day plus the time/zone groups of a match (midnight when none)."""
    if m is None or m.group("h") is None:
        return datetime(day.year, day.month, day.day), False
    groups = m.groupdict()
    h, mi, s = int(groups["h"]), int(groups["mi"]), int(groups.get("s") or 0)
    h = _hour(h, groups.get("ampm"))
    if h > 23 or mi > 59 or s > 59:
        return datetime(day.year, day.month, day.day), False
    tz = _zone(tz_text) if tz_text is not None else _match_zone(groups)
    return datetime(day.year, day.month, day.day, h, mi, s, tzinfo=tz), True


def _match_zone(groups: dict[str, str | None]) -> timezone | None:
    """The zone stated after a time in free text ('GMT+3', '(GMT+0400)', 'بتوقيت غرينتش')."""
    if groups.get("grw"):
        return UTC
    if groups.get("z"):
        return _zone(groups.get("zoff") or "+0")
    return _zone(groups.get("off"))


# --- parse_date ----------------------------------------------------------------------------


def _parse_structured(s: str) -> tuple[bool, FoundDate | None]:
    """(machine format?, value) for ISO 8601 (also compact), day-first numeric and RFC 822."""
    for pattern in _STRUCTURED:
        m = pattern.match(s)
        if m is not None:
            return True, _structured_value(m, rfc=pattern is _RFC822)
    return False, None


def _structured_value(m: re.Match[str], rfc: bool) -> FoundDate | None:
    """FoundDate for a machine-format match, or None when the date or zone is impossible."""
    y = int(m.group("y"))
    if rfc:
        month = _MONTHS.get(m.group("mon").lower())
        if month is None or month[1]:
            return None
        mon = month[0]
        if len(m.group("y")) == 2:  # RFC 2822's rule for obsolete two-digit years
            y += 2000 if y < 50 else 1900
    else:
        mon = int(m.group("m"))
    day = _day(y, mon, int(m.group("d")), hijri=y in _HIJRI_YEARS)
    tz_text = m.group("tz") or ""
    if day is None or (tz_text[:1] in ("+", "-") and _zone(tz_text) is None):
        return None  # an impossible day or offset; an unknown zone name only loses the zone
    value, has_time = _combine(day, m, tz_text)
    if m.group("h") is not None and not has_time:
        return None  # "25:00" is not a time
    return FoundDate(value, has_time, "record")


def _hit(m: re.Match[str]) -> _Hit | None:
    """A _Hit from any of the text patterns, or None when the date is impossible."""
    groups = m.groupdict()
    y, d = int(groups["y"]), int(groups["d"])
    era = groups.get("era")
    if groups.get("mon"):
        key = re.sub(r"\s+", "", m.group("mon").lower())
        mon, hijri = _MONTHS.get(key, (0, False))
        if era is not None and era.startswith("ه") != hijri:
            return None  # the month's calendar and the era marker disagree
    else:
        mon = int(groups["m"])
        hijri = era.startswith("ه") if era else y in _HIJRI_YEARS
    day = _day(y, mon, d, hijri)
    return _Hit(m.start(), m.end(), day, hijri) if day else None


def _scan(folded: str) -> list[_Hit]:
    """Every full date (day, month, year) in folded text, in order, overlaps removed."""
    hits: list[_Hit] = []
    for pattern in _TEXT_PATTERNS:
        for m in pattern.finditer(folded):
            h = _hit(m)
            if h is not None:
                hits.append(h)
    hits.sort(key=lambda h: (h.start, -h.end))
    kept: list[_Hit] = []
    for h in hits:
        if not kept or h.start >= kept[-1].end:
            kept.append(h)
    return kept


def _choose(hits: list[_Hit]) -> _Hit | None:
    """The Gregorian date when a string gives both calendars (… هـ الموافق … م), else the first."""
    for h in hits:
        if not h.hijri:
            return h
    return hits[0] if hits else None


def _with_time(h: _Hit, folded: str, origin: str) -> FoundDate:
    """FoundDate for a hit, with a time read just after (or else just before) the date."""
    after = _TIME_AFTER.match(folded, h.end, min(len(folded), h.end + 60))
    if after is None:
        after = _TIME_BEFORE.search(folded, max(0, h.start - 30), h.start)
    value, has_time = _combine(h.day, after)
    return FoundDate(value, has_time, origin)


def _parse_free(text: str, origin: str = "record") -> FoundDate | None:
    """A date written in words or numbers anywhere in a short string (Arabic, Hijri, English)."""
    folded = _fold(text)
    hits = _scan(folded)
    chosen = _choose(hits)
    return _with_time(chosen, folded, origin) if chosen else None


def parse_date(value: str) -> FoundDate | None:
    """Parse a date string as crawlers and pages give it (all corpus formats, Arabic, Hijri)."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 400:
        return None
    if not s.isascii():
        s = s.translate(_DIGIT_MAP)
    structured, found = _parse_structured(s)
    return found if structured else _parse_free(s)


# --- find_text_date (datelines) ------------------------------------------------------------

_WEEKDAY_KEYS = {_key(n): wd for wd, ns in _WEEKDAY_NAMES.items() for n in ns}
# Words that show a date belongs to the story (an event, a deadline), not to the dateline.
_STORY_WORDS = frozenset(
    _key(w)
    for w in (
        "في", "يوم", "منذ", "حتى", "إلى", "الى", "من", "غد", "غدا", "أمس", "امس", "اليوم",
        "المقبل", "القادم", "الماضي", "بتاريخ", "تاريخ", "الموافق", "عام", "سنة", "خلال",
        "الفترة", "بعد", "قبل", "موعد", "بين", "ابتداء", "اعتبارا", "لغاية", "غاية", "مساء",
        "صباح", "ليلة", "فجر", "ظهر", "عصر", "الصادر", "العدد", "عدد", "نشرت", "صدر",
    )
)  # fmt: skip
_AGENCY_TAIL = re.compile(
    r"^\s*(?:[-–—:|/(]|\(?\s*(?:الموافق|واس|قنا|وام|بنا|كونا|سانا|بترا|وفا|واج|ومع|رويترز|ا\s*ف\s*ب|"
    r"د\s*ب\s*ا|شينخوا|[a-z]{2,}))",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\s\-–—:،,؛;|/()«»\"'.*_•#+]+")
# Between a Hijri date and its Gregorian twin; tolerates an era letter glued on ("هـالموافق").
_LINKER = re.compile(r"\s*(?:ه|م)?\s*[/(]?\s*(?:الموافق\s*ل?|ل|و)?\s*$")


def _dateline_prefix_words(prefix: str) -> int | None:
    """Words before a dateline's date, weekdays aside (a place, a credit); None if storylike."""
    tokens = _TOKEN.findall(prefix.lower())
    if any(ch.isdigit() for t in tokens for ch in t):
        return None
    if any(w in _STORY_WORDS or (w.startswith("و") and w[1:] in _WEEKDAY_KEYS) for w in tokens):
        return None
    words = [t for t in tokens if t not in _WEEKDAY_KEYS]
    return len(words) if len(words) <= 3 else None


def _dateline_end(hits: list[_Hit], first: int, folded: str) -> tuple[_Hit, int]:
    """The date to keep (Gregorian of a Hijri/Gregorian pair) and where the dateline date ends."""
    chosen, end = hits[first], hits[first].end
    if first + 1 < len(hits):
        nxt = hits[first + 1]
        linker = _LINKER.match(folded, end, nxt.start)
        if linker is not None:
            end = nxt.end
            chosen = nxt if chosen.hijri and not nxt.hijri else chosen
    return chosen, end


def _paragraph_dateline(paragraph: str, first: bool) -> FoundDate | None:
    """A dateline date opening this paragraph (جنيف 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس)."""
    if not any(ch.isdigit() for ch in paragraph[:100]):
        return None  # a dateline's date starts within its first words
    folded = _fold(paragraph[:240])
    hits = _scan(folded)
    if not hits or hits[0].start > 60:
        return None
    place_words = _dateline_prefix_words(folded[: hits[0].start])
    if place_words is None:
        return None
    chosen, end = _dateline_end(hits, 0, folded)
    time = _TIME_AFTER.match(folded, end, min(len(folded), end + 40))
    rest = folded[time.end() if time else end :]
    rest_words = len(_TOKEN.findall(rest))
    if rest_words > 3 and not _AGENCY_TAIL.match(rest):
        return None
    # A bare weekday + date (a fixture list, a schedule) is a dateline only as a line of its own.
    if place_words == 0 and not (first and rest_words == 0):
        return None
    value, has_time = _combine(chosen.day, time)
    return FoundDate(value, has_time, "text")


def find_text_date(text: str) -> FoundDate | None:
    """Find a publication date stated in the article text (a dateline), or None."""
    if not text:
        return None
    paragraphs = [p for p in (line.strip() for line in text.split("\n", 8)[:8]) if p][:2]
    for i, paragraph in enumerate(paragraphs):
        found = _paragraph_dateline(paragraph, first=i == 0)
        if found is not None:
            return found
    return None


# --- resolve_weekday -----------------------------------------------------------------------

_WEEKDAY_RE = re.compile(
    r"(?<!\w)[وب]?(?P<wd>" + _name_pattern([n for ns in _WEEKDAY_NAMES.values() for n in ns])
    + r")(?!\w)(?P<after>\s+(?:المقبل|القادم))?"
)  # fmt: skip


def resolve_weekday(text: str, published: date | None) -> date | None:
    """The date a weekday named in the text (الخميس) refers to, given the article's date.

    The first weekday named wins; it is the latest such day on or before publication
    (news reports what happened), or the next one after it when marked المقبل/القادم.
    """
    if published is None or not text:
        return None
    if isinstance(published, datetime):
        published = published.date()
    m = _WEEKDAY_RE.search(_fold(text))
    if m is None:
        return None
    wd = _WEEKDAY_KEYS[_key(m.group("wd"))]
    if m.group("after"):
        return published + timedelta(days=(wd - published.weekday() - 1) % 7 + 1)
    return published - timedelta(days=(published.weekday() - wd) % 7)


# --- hijri_parts ---------------------------------------------------------------------------


def hijri_parts(day: date) -> tuple[int, str, int]:
    """(day, Arabic month name, year) of the Umm al-Qura Hijri date for a Gregorian day.

    Raises ValueError outside the Umm al-Qura tables (1343–1500 AH, about 1924–2077).
    """
    try:
        h = Gregorian(day.year, day.month, day.day).to_hijri()
    except OverflowError as exc:
        raise ValueError(f"{day.isoformat()} is outside the Umm al-Qura calendar") from exc
    return h.day, HIJRI_MONTHS_AR[h.month - 1], h.year


# --- html_date -----------------------------------------------------------------------------

# Meta keys (name / property / itemprop) that state publication, best first.
_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "dcterms.issued", "dc.date.issued", "dc:date:issued",
    "dcterms.date", "dc.date", "dc:date", "dcterms.created", "dc.date.created",
    "citation_publication_date", "citation_date", "rnews:datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "published-date",
    "publication_date", "publication-date", "date_published", "article.published",
    "article_date_original", "original-publish-date", "originalpublicationdate",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime", "date", "datecreated",
)  # fmt: skip
_META_RANK = {k: i for i, k in enumerate(_PUBLISHED_META)}
_RDFA_PUBLISHED = frozenset(
    {"dc:date", "dc:created", "dc:issued", "dcterms:created", "dcterms:issued", "dcterms:date",
     "schema:datepublished", "article:published_time"}
)  # fmt: skip
_UPDATED = re.compile(r"تحديث|محدث|عدل|تعديل|updated|modified|edited", re.IGNORECASE)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg"})
_URL_YMD_PATH = re.compile(
    r"/(?P<y>(?:19|20)\d{2})/(?:[^/\d][^/]*/){0,2}(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[^\d/])"
)
_URL_YMD_JOINED = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_./](?P<m>\d{2})[-_./](?P<d>\d{2})(?!\d)"
)
# A path segment opening with YYYYMMDD: alone, or followed by an article id ("202003171044893040").
_URL_COMPACT = re.compile(r"/(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:\d{6,})?(?!\d)")


def _meta_key_values(soup: Any) -> Iterator[tuple[str, str]]:
    """(key, content) for every <meta> naming itself by name, property or itemprop."""
    for tag in soup.find_all("meta"):
        content = tag.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if isinstance(key, str) and key:
                yield key.strip().lower(), str(content)


def _from_meta(soup: Any) -> FoundDate | None:
    """The best-ranked publication meta tag that parses."""
    candidates = sorted(
        (
            (_META_RANK[k], i, k, v)
            for i, (k, v) in enumerate(_meta_key_values(soup))
            if k in _META_RANK
        ),
    )
    for _rank, _i, key, content in candidates:
        found = parse_date(content)
        if found is not None:
            return replace(found, origin=f"meta:{key}")
    return None


def _jsonld_dates(obj: Any) -> Iterator[tuple[bool, str]]:
    """(is the object Article-like?, its datePublished) for every object in a JSON-LD tree."""
    if isinstance(obj, list):
        for item in obj:
            yield from _jsonld_dates(item)
    elif isinstance(obj, dict):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        is_article = any(isinstance(k, str) and (k.endswith(("Article", "Posting"))) for k in kinds)
        value = obj.get("datePublished") or obj.get("dateCreated")
        if isinstance(value, str):
            yield is_article, value
        for key, child in obj.items():
            if isinstance(child, dict | list) and key not in ("publisher", "author", "isPartOf"):
                yield from _jsonld_dates(child)


def _jsonld_values(soup: Any) -> Iterator[tuple[bool, str]]:
    """datePublished values from every JSON-LD block, tolerating broken JSON."""
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.IGNORECASE)}):
        raw = script.string or script.get_text() or ""
        try:
            yield from _jsonld_dates(json.loads(raw, strict=False))
        except ValueError:
            for m in re.finditer(r'"datePublished"\s*:\s*"([^"]+)"', raw):
                yield False, m.group(1)


def _from_jsonld(soup: Any) -> FoundDate | None:
    """datePublished from JSON-LD, preferring an Article-like object (also in @graph)."""
    values = sorted(_jsonld_values(soup), key=lambda v: not v[0])
    for _article, value in values:
        found = parse_date(value)
        if found is not None:
            return replace(found, origin="jsonld")
    return None


def _element_value(tag: Any) -> str:
    """The date an element states: its datetime/content/title attribute, else its text."""
    for attr in ("datetime", "content", "title"):
        value = tag.get(attr)
        if isinstance(value, str) and value.strip():
            return value
    return str(tag.get_text(" ", strip=True))


def _marked_published(tag: Any) -> bool:
    """Does markup say this element is the publication date (itemprop, RDFa, pubdate, class)?"""
    itemprop = str(tag.get("itemprop") or "").lower()
    prop = str(tag.get("property") or "").lower()
    classes = " ".join(tag.get("class") or []).lower()
    if "modified" in itemprop or "updated" in classes or "modified" in classes:
        return False
    return (
        itemprop in ("datepublished", "datecreated")
        or prop in _RDFA_PUBLISHED
        or tag.has_attr("pubdate")
        or (tag.name in ("time", "abbr") and "publish" in classes)
    )


def _from_markup(soup: Any) -> FoundDate | None:
    """Body markup: elements marked as published, then a <time datetime> inside the article."""
    for tag in soup.find_all(_marked_published):
        if tag.name == "meta":
            continue
        found = parse_date(_element_value(tag))
        if found is not None:
            return replace(found, origin="time" if tag.name == "time" else "markup")
    scope = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
    times = [t for t in (scope or soup).find_all("time") if t.get("datetime")]
    if scope is not None or len(times) == 1:
        for tag in times:
            found = parse_date(str(tag["datetime"]))
            if found is not None:
                return replace(found, origin="time")
    return None


def _url_day(url: str) -> date | None:
    """A publication day written in a URL's path: /2013/x/8/3/, /2020-06-03-…, /20200317…."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    latest = date.today().year + 1
    for pattern in (_URL_YMD_PATH, _URL_YMD_JOINED, _URL_COMPACT):
        for m in pattern.finditer(path):
            y = int(m.group("y"))
            day = _day(y, int(m.group("m")), int(m.group("d"))) if 1990 <= y <= latest else None
            if day is not None:
                return day
    return None


def _page_urls(soup: Any, url: str | None) -> Iterator[str]:
    """The page's own URL, then its canonical and og:url."""
    if url:
        yield url
    link = soup.find("link", rel="canonical")
    if link is not None and link.get("href"):
        yield str(link["href"])
    og = soup.find("meta", property="og:url")
    if og is not None and og.get("content"):
        yield str(og["content"])


def _from_url(soup: Any, url: str | None) -> FoundDate | None:
    """A day written in the page URL (or canonical URL)."""
    for candidate in _page_urls(soup, url):
        day = _url_day(candidate)
        if day is not None:
            return FoundDate(datetime(day.year, day.month, day.day), False, "url")
    return None


def _headline(soup: Any) -> Any:
    """The <h1> that is the headline (matches the page title), else the first wordy one."""
    ref_tag = soup.find("meta", property="og:title")
    ref = str(ref_tag.get("content") or "") if ref_tag is not None else ""
    if soup.title is not None:
        ref += " " + soup.title.get_text(" ", strip=True)
    ref = _fold(ref)
    wordy = None
    for h1 in soup.find_all("h1"):
        text = _fold(h1.get_text(" ", strip=True))
        if len(text) >= 10 and text in ref:
            return h1
        if wordy is None and len(text.split()) >= 3:
            wordy = h1
    return wordy


def _text_after(tag: Any, limit: int = 400) -> str:
    """Visible text that follows an element, up to `limit` characters."""
    parts: list[str] = []
    size = 0
    for s in tag.find_all_next(string=True):
        if s.parent is None or s.parent.name in _SKIP_TAGS or type(s).__name__ != "NavigableString":
            continue
        text = str(s).strip()
        if text:
            parts.append(text)
            size += len(text)
            if size >= limit:
                break
    return " | ".join(parts)


def _visible_date(text: str) -> FoundDate | None:
    """The first full date in visible text that is not labelled as an update."""
    folded = _fold(text)
    for h in _scan(folded):
        context = folded[max(0, h.start - 25) : h.end + 25]
        if not _UPDATED.search(context):
            return _with_time(h, folded, "text")
    return None


def _inside(node: Any, ancestor: Any) -> bool:
    """Is node a descendant of ancestor (visible text only)?"""
    if node.parent is None or node.parent.name in _SKIP_TAGS:
        return False
    return any(parent is ancestor for parent in node.parents)


def _from_visible(soup: Any) -> FoundDate | None:
    """A date shown just after the headline (not the page banner, not the sidebars)."""
    h1 = _headline(soup)
    if h1 is None:
        scope = soup.find("article") or soup.find("main") or soup.find(attrs={"role": "main"})
        return _visible_date(scope.get_text(" | ", strip=True)[:400]) if scope else None
    found = _visible_date(_text_after(h1))
    # Text before the headline counts only inside its own block, never the page's banner.
    if found is None and h1.parent is not None and h1.parent.name not in ("body", "html"):
        before = [
            str(s) for s in h1.find_all_previous(string=True, limit=8) if _inside(s, h1.parent)
        ]
        found = _visible_date(" | ".join(reversed(before)))
    return found


def html_date(soup: Any, url: str | None) -> FoundDate | None:
    """Publication date of an HTML page: meta tags → JSON-LD → <time> → URL → visible text."""
    for step in (_from_meta, _from_jsonld, _from_markup):
        found = step(soup)
        if found is not None:
            return found
    return _from_url(soup, url) or _from_visible(soup)
