"""Body cleaning: paragraphs, boilerplate, read-also blocks, trailing related headlines.

The steps run in order: recover paragraphs (newlines, NBSP-run breaks, entities,
invisible characters) → strip boilerplate (footers, share bars, disclaimers; a real
paragraph glued to boilerplate keeps its real part) → lift read-also blocks → in seed form,
move the trailing related-headline list out and turn short standalone lines into `##`
subheadings.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from generator.extract.arabic import clean_text


@dataclass(frozen=True)
class Body:
    """A cleaned body and what was taken out of it."""

    paragraphs: list[str]  # Markdown blocks: plain paragraphs, or "## heading" for subheadings
    read_also: list[str] = field(default_factory=list)
    related_headlines: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # boilerplate paragraphs dropped


# --- paragraphs -----------------------------------------------------------------------

# Some outlets separate paragraphs only by a run of spaces holding an NBSP on one long
# line; a break is trusted only after sentence-final punctuation, since single NBSPs
# also sit between ordinary words.
_NBSP_BREAK = re.compile('(?:(?<=[.!?؟])|(?<=[.!?؟]["»”)]))[ \t]*\u00a0[\u00a0 \t]*(?=\\S)')
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _unescape(text: str) -> str:
    """Decode HTML entities, twice for the double-escaped `&amp;quot;` crawlers produce."""
    if "&" not in text:
        return text
    once = html.unescape(text)
    return html.unescape(once) if "&" in once and once != text else once


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of raw text: newline, blank-line and NBSP-run breaks, cleaned and trimmed."""
    text = _unescape(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text.replace("\t", " "))
    out: list[str] = []
    for line in text.split("\n"):
        for piece in _NBSP_BREAK.split(line):
            para = _SPACE_RUN.sub(" ", clean_text(piece)).strip()
            if para:
                out.append(para)
    return out


# --- boilerplate ----------------------------------------------------------------------

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_HANDLE = r"@\w{2,}"
_URL = r"(?:https?://|www\.)\S+"
_OPERATORS = (
    r"(?:stc|mobily|zain|sawa|موبايلي|زين|الاتصالات|سوا|فودافون|vodafone|orange|اورنج|أورنج)"
)

# A whole line that is only contact details: addresses, handles, links, operator numbers.
_CONTACT_ONLY = re.compile(
    r"(?i)^[\W_]*(?:(?:تويتر|twitter|بريد|البريد الإلكتروني|e-?mail|فيسبوك|انستغرام|موقع)"
    r"\s*[:：]?\s*"
    rf"|{_EMAIL}|{_HANDLE}|{_URL}|\d{{4,7}}\s*[-–]?\s*{_OPERATORS}|[\s,،؛;/|\-–]+)+$"
)

# Footers: from the match to the end of the line is boilerplate.
_FOOTERS = [
    # app notifications ("you can receive notifications of the top stories …")
    re.compile(r"(?:يمكنك|يمكنكم|بإمكانك|بإمكانكم|حمّل)[^.]{0,40}إشعارات"),
    re.compile(
        r"^\W*(?:تابعونا|تابعوا)\s+(?:\S+\s+){0,4}?(?:على|عبر)\s+"
        r"(?:تطبيق|تويتر|فيسبوك|تلغرام|تيليجرام|يوتيوب|قناتنا|حساباتنا|صفحتنا)(?!\w)"
    ),
    # SMS / phone contact footers
    re.compile(r"(?i)للتواصل[^.]{0,40}(?:sms|رسالة نصية|رسالة قصيرة|الرسائل)"),
    re.compile(r"(?i)(?:ارسل|أرسل)\s+(?:رسالة\s+)?(?:نصية\s+)?sms"),
    re.compile(r"تبدأ\s+بالرمز\s*\(?\d+\)?"),
    # columnist contact lines
    re.compile(r"(?:لمراسلة|للتواصل مع)\s+(?:الكاتب|الكاتبة|المحرر)\s*[:：]?"),
    # opinion disclaimers
    re.compile(
        r"(?:المقالات|الآراء|المقال|التعليقات)\s+(?:المنشورة\s+)?(?:\S+\s+)?"
        r"(?:تمثل|تعبر عن|يعبر عن|يمثل)\s+"
        r"(?:رأي|آراء|وجهة نظر)\s+(?:كتابها|كاتبها|أصحابها|كاتبيها|الكاتب|صاحبها)"
    ),
    re.compile(
        r"(?:لا\s+)?(?:تعبر|يعبر)\s+(?:بالضرورة\s+)?عن\s+(?:رأي|وجهة نظر)\s+"
        r"(?:ال)?(?:موقع|صحيفة|قناة|جريدة|شبكة|مجلة|وكالة)"
    ),
    # comment-policy notes under the article
    re.compile(
        r"(?:ترحب|يرحب)\s+\S+(?:\s+\S+)?\s+بالنقاش|(?:إرشادات|سياسة|شروط)\s+(?:التعليقات|التعليق|المشاركة)"
    ),
    # "link to the story on <outlet>'s site:"
    re.compile(r"رابط\s+الخبر\s+(?:ب|في|على)"),
    # teaser stubs: "...المزيد", "…اقرأ المزيد"
    re.compile(r"(?:\.{2,}|…)\s*(?:اقرأ\s+|إقرأ\s+|قراءة\s+)?المزيد\s*$"),
]

# Headers: from the line start to the match end is boilerplate (a share bar before the lede).
_SHARE_WORDS = (
    r"(?:تويتر|فيسبوك|فيس بوك|جوجل بلس|جوجل|واتساب|واتس اب|لينكد ?إن|تلغرام|تيليجرام"
    r"|طباعة|البريد|الإيميل|اكتب رأيك|أضف تعليق|تعليق|حفظ)"
)
_HEADERS = [
    re.compile(
        r"^\W*(?:شارك|شاركوا|مشاركة|شارك الخبر)\s*(?:من خلال|عبر|على|:)?\s*"
        rf"(?:{_SHARE_WORDS}[\s،,|]*)+"
    ),
]

# Wire-service end markers and filing times: "// انتهى //", "16:54 ت م", "(النهاية)".
_WIRE_END = re.compile(
    r"^[\W_]*(?:انتهى|النهاية|نهاية الخبر|end)[\W_]*$"
    r"|^\d{1,2}:\d{2}\s*(?:ت\s*[مغ]|[صم]|gmt|utc)?\.?$",
    re.I,
)

# Whole short lines that are credits: "* خدمة «نيويورك تايمز»", "(خاص بـ…)".
_CREDIT_LINE = re.compile(
    r"^[\W_]*(?:خدمة|بالاتفاق مع|بالتعاون مع|بترتيب مع|ينشر بالاتفاق مع|خاص بـ?|نقلا عن|نقلاً عن"
    r"|عن صحيفة)\s*[«\"“(]?[^.]{2,40}?[»\"”)]?\s*$"
)
_MAX_CREDIT_WORDS = 8
_MAX_FOOTER_WORDS = 45  # a longer tail is an article paragraph that merely matched


def _real_part(text: str) -> str:
    """What remains of a fragment once contact details and stray punctuation are gone."""
    if _CONTACT_ONLY.match(text):
        return ""
    text = re.sub(rf"(?i){_EMAIL}|(?:تويتر|twitter)\s*[:：]\s*\S*", " ", text)
    text = text.strip(" \t-–—*•|:،,.")
    return text if len(text.split()) >= 3 else ""


def _strip_line(line: str) -> tuple[str, str]:
    """(real text kept, boilerplate removed) for one paragraph."""
    if _CONTACT_ONLY.match(line):
        return "", line
    if _WIRE_END.match(line) or (
        _CREDIT_LINE.match(line) and len(line.split()) <= _MAX_CREDIT_WORDS
    ):
        return "", line
    for pat in _HEADERS:
        m = pat.match(line)
        if m:
            kept = line[m.end() :].strip()
            return kept, line[: m.end()].strip()
    for pat in _FOOTERS:
        m = pat.search(line)
        if m and len(line[m.start() :].split()) <= _MAX_FOOTER_WORDS:
            before = _real_part(line[: m.start()])
            return before, line[m.start() :].strip() if before else line
    return line, ""


def strip_boilerplate(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(kept, removed) paragraphs; a real paragraph glued to boilerplate keeps its text."""
    kept: list[str] = []
    removed: list[str] = []
    for para in paragraphs:
        text, junk = _strip_line(para)
        if junk:
            removed.append(junk)
        if text:
            kept.append(text)
    return _drop_contact_tail(kept, removed)


# Lines of a contact block once a footer was found in it ("88591 - Stc", "ثم مسافة …").
_CONTACT_TAIL = re.compile(
    rf"(?i)^(?:[\d\s\-–()]*{_OPERATORS}[\s\d\-–]*|.*ثم\s+مسافة.*|\d{{4,7}})$"
)


def _drop_contact_tail(kept: list[str], removed: list[str]) -> tuple[list[str], list[str]]:
    """Drop the split-over-lines remains of an SMS footer (operator and number lines)."""
    if not removed:
        return kept, removed
    out = [p for p in kept if not (_CONTACT_TAIL.match(p) and len(p.split()) <= 12)]
    dropped = [p for p in kept if _CONTACT_TAIL.match(p) and len(p.split()) <= 12]
    return out, removed + dropped


# --- read also ------------------------------------------------------------------------

_READ_ALSO = re.compile(
    r"^[\W_]*(?:(?:اقرأ|إقرأ|اقرا|أقرأ|طالع|شاهد|تابع)\s+(?:[أا]يض(?:اً|ًا|ا)|كذلك|المزيد)"
    r"|(?:قد\s+)?(?:يهمك|يعجبك|يهمّك)\s+[أا]يض(?:اً|ًا|ا)"
    r"|[أا]يض(?:اً|ًا|ا)\s*(?:\.\.+|…|:)"
    r"|للمزيد\s*(?:[:：]|اقرأ)"
    r"|(?:مواضيع|أخبار|موضوعات|مقالات)\s+(?:ذات\s+صلة|متعلقة)"
    r")\s*[:：.…\-–—]*\s*"
)
_SENTENCE_END = ".:،,؛;"
_MAX_LIST = 8


def is_headline_like(line: str, max_words: int = 18) -> bool:
    """A short line without sentence-final punctuation: reads as a headline, not a paragraph."""
    words = line.split()
    if not 2 <= len(words) <= max_words or line.startswith("## "):
        return False
    end = line.rstrip("\"'”»)")[-1:]
    return end not in _SENTENCE_END or line.endswith("..")


def extract_read_also(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(paragraphs, read-also headlines): marker lines and the headline list right under them."""
    kept: list[str] = []
    found: list[str] = []
    i = 0
    while i < len(paragraphs):
        m = _READ_ALSO.match(paragraphs[i])
        if not m:
            kept.append(paragraphs[i])
            i += 1
            continue
        rest = paragraphs[i][m.end() :].strip()
        i += 1
        if rest:
            found.append(rest)
            continue
        while i < len(paragraphs) and len(found) < _MAX_LIST * 4 and _list_item(paragraphs[i]):
            found.append(paragraphs[i])
            i += 1
    return kept, found


def _list_item(line: str) -> bool:
    """A line that continues a read-also list (a headline, not an ordinary paragraph)."""
    return is_headline_like(line) and not line.startswith(("و", "ف"))


# --- seed form ------------------------------------------------------------------------

_MAX_RELATED = 8
_LIST_MARK = re.compile(r"^(?:\d+\s*[-.)]|[*•◦▪\-–]|\.\.)")
_MAX_HEADING_WORDS = 6


def _related_item(line: str) -> bool:
    """A line of an outlet's trailing related-stories list (not a list of scores or numbers)."""
    return (
        is_headline_like(line, max_words=16)
        and len(line.split()) >= 4
        and not line[-1].isdigit()
        and not line.endswith("!")
        and "/" not in line
        and not _LIST_MARK.match(line)
        and not line.startswith(("و", "ف", "## "))
    )


def extract_related(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """(paragraphs, trailing related headlines); needs ≥2 such lines after a real paragraph."""
    n = len(paragraphs)
    start = n
    while start > 0 and n - start < _MAX_RELATED and _related_item(paragraphs[start - 1]):
        start -= 1
    run = n - start
    if run < 2 or start == 0 or _related_item(paragraphs[start - 1]):
        return paragraphs, []
    lead = paragraphs[start - 1]
    if len(lead.split()) < 8 or lead.endswith((":", "：")):  # a real paragraph, not a list's intro
        return paragraphs, []
    return paragraphs[:start], paragraphs[start:]


def _heading_like(line: str) -> bool:
    """A few words, no final punctuation: an in-body subheading."""
    words = line.split()
    return (
        1 <= len(words) <= _MAX_HEADING_WORDS
        and line[-1] not in '.:،,؛;!?؟"”»)'
        and not line[0].isdigit()
    )


def mark_subheadings(paragraphs: list[str]) -> list[str]:
    """Turn short standalone lines between real paragraphs into `## ` headings."""
    out = list(paragraphs)
    for i in range(1, len(paragraphs) - 1):
        prev, line, nxt = paragraphs[i - 1], paragraphs[i], paragraphs[i + 1]
        if _heading_like(line) and len(prev.split()) >= 8 and len(nxt.split()) >= 8:
            out[i] = "## " + line.lstrip("*•- ").strip()
    return out


def clean_body(text: str, *, seed_form: bool = False) -> Body:
    """Split raw text into clean paragraphs; seed_form enables trailing-headline detection."""
    paragraphs, removed = strip_boilerplate(split_paragraphs(text))
    paragraphs, read_also = extract_read_also(paragraphs)
    related: list[str] = []
    if seed_form:
        paragraphs, related = extract_related(paragraphs)
        paragraphs = mark_subheadings(paragraphs)
    return Body(paragraphs, read_also, related, removed)
