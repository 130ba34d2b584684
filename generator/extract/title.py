"""Titles: cleaning a stated title, and a headline derived from the lede when there is none."""

from __future__ import annotations

import html
import re

from generator.extract.arabic import clean_text
from generator.extract.byline import lede_byline
from generator.extract.source import outlet_by_name

# A section label before a slash: `عام / `, `سياسي / `, `اقتصادي / ` (one or two words, no digits).
_SECTION = re.compile(r"^([^\W\d_]+(?: [^\W\d_]+)?)\s*/\s+(?=\S)")
# Separators between a headline and a site name; a colon is not one (`الأمم المتحدة: …`).
_SITE_SEP = re.compile(r"\s+[|\-–—»«:]{1,2}\s+|\s*\|\s*|\s*::\s*")
_DOMAINISH = re.compile(r"^(?:www\.)?[\w-]+(?:\.[a-z]{2,})+$", re.I)


def _site_name(part: str) -> bool:
    """True when a title piece is an outlet's name or a bare domain, not part of the headline."""
    part = part.strip(" \"'«»“”")
    return bool(part) and (outlet_by_name(part) is not None or bool(_DOMAINISH.match(part)))


def _strip_site(title: str) -> str:
    """Remove a site-name prefix or suffix split off by a separator."""
    for _ in range(2):  # `… | قسم | الموقع` can carry two
        pieces = _SITE_SEP.split(title)
        seps = _SITE_SEP.findall(title)
        if len(pieces) < 2:
            return title
        if _site_name(pieces[-1]) and seps[-1].strip() != ":":
            title = title[: title.rfind(seps[-1])].strip()
        elif _site_name(pieces[0]) and seps[0].strip() != ":":
            title = title[title.find(seps[0]) + len(seps[0]) :].strip()
        else:
            return title
    return title


def clean_title(title: str) -> tuple[str, str | None]:
    """(clean title, section) from a stated title: entities, site names, section prefixes."""
    text = html.unescape(html.unescape(title)) if "&" in title else title
    text = re.sub(r"\s+", " ", clean_text(text)).strip()
    section: str | None = None
    m = _SECTION.match(text)
    if m and len(text) > m.end() + 3:
        section, text = m.group(1), text[m.end() :].strip()
    stripped = _strip_site(text)
    return (stripped if stripped else text), section


# --- headline from the lede -----------------------------------------------------------

_MAX_WORDS = 14
_MIN_CLAUSE_WORDS = 7  # a clause cut never leaves fewer words than this
_MIN_LEDE_WORDS = 5
# Clause openers a headline stops before: it reads as one complete statement.
_CUT_WORDS = (
    "في حين", "فيما", "وسط", "بعد أن", "حيث", "وذلك", "وهو ما", "إلا أن", "غير أن",
    "لكن", "ولكن", "بينما", "مشيرا", "مشيرة", "مؤكدا", "مؤكدة", "موضحا", "موضحة",
    "مضيفا", "مضيفة", "لافتا", "لافتة", "والذي", "والتي",
)  # fmt: skip
_CUT_RE = re.compile(r"\s(?:" + "|".join(re.escape(w) for w in _CUT_WORDS) + r")\s")
_STRONG_STOP = re.compile(r"[.!?؟؛;]\s|[.!?؟]$")
_SOFT_STOP = re.compile(r"[،,:]\s|\s[-–—]\s")
_DAYS = "الأحد|الاثنين|الإثنين|الأثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت"
# Words editors leave out of headlines: times of day, weekdays, "yesterday", honorific chains.
_FILLER = re.compile(
    rf"\s(?:(?:صباح|مساء|ظهر|فجر|ليلة)\s+)?(?:(?:يوم|أمس|امس|اليوم)\s+)?(?:{_DAYS})(?=\s|[،,.]|$)"
    r"|\s(?:صباح|مساء)?\s*(?:أمس|امس)(?=\s|[،,.]|$)"
    r"|\s(?:صاحب السمو الملكي|صاحب السمو|معالي|فخامة|سعادة)(?=\s)"
)
# Headlines are in the present tense: the commonest lede verbs (past → present, masc./fem.).
_PRESENT = {
    "أعلن": "يعلن", "أعلنت": "تعلن", "أكد": "يؤكد", "أكدت": "تؤكد", "كشف": "يكشف",
    "كشفت": "تكشف", "دعا": "يدعو", "دعت": "تدعو", "طالب": "يطالب", "طالبت": "تطالب",
    "قرر": "يقرر", "قررت": "تقرر", "وافق": "يوافق", "وافقت": "توافق", "أطلق": "يطلق",
    "أطلقت": "تطلق", "بحث": "يبحث", "بحثت": "تبحث", "استقبل": "يستقبل", "استقبلت": "تستقبل",
    "وجه": "يوجه", "وجهت": "توجه", "افتتح": "يفتتح", "افتتحت": "تفتتح", "نفى": "ينفي",
    "نفت": "تنفي", "حذر": "يحذر", "حذرت": "تحذر", "أصدر": "يصدر", "أصدرت": "تصدر",
    "رفض": "يرفض", "رفضت": "ترفض", "شهد": "يشهد", "شهدت": "تشهد", "وقع": "يوقع",
    "وقعت": "توقع", "اتهم": "يتهم", "اتهمت": "تتهم", "تسلم": "يتسلم",
    "دشن": "يدشن", "دشنت": "تدشن", "نظم": "ينظم", "نظمت": "تنظم", "أقام": "يقيم",
    "أقامت": "تقيم", "أجرى": "يجري", "أجرت": "تجري", "حقق": "يحقق", "حققت": "تحقق",
}  # fmt: skip
# `قال X إن Y` → `X: Y`, the usual headline form of a statement.
_SAID = re.compile(
    r"^(?:قال|قالت|أكد|أكدت|أوضح|أوضحت|صرح|صرحت|ذكر|ذكرت|أفاد|أفادت)\s+(.{3,60}?)\s*،?\s+(?:إن|أن|بأن|ان)\s+"
)


def _lede(paragraphs: list[str]) -> str:
    """The first paragraph that is real text: no heading, byline or credit line."""
    for para in paragraphs[:4]:
        if para.startswith("## "):
            continue
        _, rest = lede_byline(para)
        if len(rest.split()) >= _MIN_LEDE_WORDS:
            return rest
    return next((p for p in paragraphs if not p.startswith("## ")), "")


def _first_sentence(text: str) -> str:
    """Text up to the first sentence end."""
    m = _STRONG_STOP.search(text)
    return text[: m.start()] if m else text


def _cut(text: str) -> str:
    """Cut at a clause boundary so the headline has at most about _MAX_WORDS words."""
    for boundary in (_CUT_RE, _SOFT_STOP):
        for m in boundary.finditer(text):
            if len(text[: m.start()].split()) >= _MIN_CLAUSE_WORDS:
                text = text[: m.start()]
                break
    words = text.split()
    return text if len(words) <= _MAX_WORDS else " ".join(words[:_MAX_WORDS])


def _headline_style(text: str) -> str:
    """Headline conventions: no hashtags or fillers, present tense, `X: Y` for statements."""
    text = re.sub(r"#(\w+)", lambda m: m.group(1).replace("_", " "), text)
    text = _FILLER.sub("", " " + text).strip()
    said = _SAID.match(text)
    if said and "،" not in said.group(1):
        return f"{said.group(1)}: {text[said.end() :]}"
    first, _, rest = text.partition(" ")
    return f"{_PRESENT[first]} {rest}" if first in _PRESENT else text


def headline_from_lede(paragraphs: list[str]) -> str:
    """A headline that reads like one (a complete clause, ≤ about 14 words) from the lede."""
    lede = _lede(paragraphs)
    if not lede:
        return ""
    head = _cut(_first_sentence(_headline_style(lede))).strip(" ،,:؛;-–—\"'«")
    return head.rstrip('«"“(') or " ".join(lede.split()[:10])
