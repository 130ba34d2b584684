"""The Jinja environment: where templates live, and the filters that make pages Arabic."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from generator.config import SiteConfig
from generator.extract.dates import hijri_parts

_PACKAGE = Path(__file__).resolve().parents[1]
# The month names most Arabic readers recognise; regional sets are parsed on import, not shown.
MONTHS_AR = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def theme_dir(name: str) -> Path:
    """The default theme folder ('templates' or 'static'): in the wheel, or the checkout's root."""
    installed = _PACKAGE / "theme" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def template_dirs(config: SiteConfig) -> list[Path]:
    """The site's own templates first, then the default theme's."""
    own = config.root / "templates"
    default = theme_dir("templates")
    return [own, default] if own.is_dir() and own.resolve() != default.resolve() else [default]


@cache
def markdown() -> MarkdownIt:
    """CommonMark with raw HTML disabled, so article text can never inject markup or script."""
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


# What urllib.parse.quote(…, safe="/#?=&") writes for each byte of UTF-8: itself when it
# is unreserved or one of the safe characters, else %XX. One table lookup per byte is
# several times quicker than quote's general path, and pages link tens of thousands of
# distinct paths (each worker percent-encodes every one of them once).
_URL_SAFE = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/#?=&"
_URL_BYTE = [chr(b) if b in _URL_SAFE else f"%{b:02X}" for b in range(256)]


def percent_encode(text: str) -> str:
    """text as urllib.parse.quote(text, safe="/#?=&") writes it."""
    data = text.encode("utf-8")
    if data.isascii() and not data.translate(None, _URL_SAFE):
        return text  # nothing to encode
    return "".join(map(_URL_BYTE.__getitem__, data))


class Formatter:
    """Dates, numbers and URLs as the site's config asks for them."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self._base = config.base_path
        self._urls: dict[str, str] = {}  # pages link the same few thousand paths many times
        self._dates: dict[datetime, str] = {}

    def digits(self, value: object) -> str:
        """Text with Western digits turned Arabic-Indic when configured."""
        text = str(value)
        return text.translate(_ARABIC_INDIC) if self.config.digits == "arabic-indic" else text

    def gregorian(self, when: datetime) -> str:
        """'12 أغسطس 2015'."""
        return self.digits(f"{when.day} {MONTHS_AR[when.month - 1]} {when.year}")

    def hijri(self, when: datetime) -> str:
        """'25 شوال 1436 هـ' (Umm al-Qura)."""
        day, month, year = hijri_parts(when.date())
        return self.digits(f"{day} {month} {year} هـ")

    def date(self, when: datetime | None) -> str:
        """A date shown in the configured calendar(s); 'بدون تاريخ' when unknown."""
        if when is None:
            return "بدون تاريخ"
        shown = self._dates.get(when)
        if shown is None:
            shown = self._dates[when] = self._date(when)
        return shown

    def _date(self, when: datetime) -> str:
        """date() for a known date, uncached."""
        if self.config.calendar == "hijri":
            return self.hijri(when)
        if self.config.calendar == "both":
            return f"{self.gregorian(when)} ({self.hijri(when)})"
        return self.gregorian(when)

    def month(self, year: int, month: int) -> str:
        """'أغسطس 2015'."""
        return self.digits(f"{MONTHS_AR[month - 1]} {year}")

    def url(self, path: str) -> str:
        """A site-internal link under base_url, percent-encoded (path given without leading '/')."""
        found = self._urls.get(path)
        if found is None:
            found = self._urls[path] = percent_encode(self._base + path.lstrip("/"))
        return found

    def feed_id(self, path: str) -> str:
        """A permanent Atom id: the full URL, or a URN when base_url names no host."""
        origin = self.config.site_origin
        return origin + self.url(path) if origin else "urn:arshif:" + self.url(path)

    @staticmethod
    def atom_date(when: datetime) -> str:
        """RFC 3339 as Atom wants it; a naive time is taken as UTC."""
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()

    def absolute(self, path: str) -> str:
        """A full URL for feeds and sitemaps (just the path when base_url has no host)."""
        return self.config.site_origin + self.url(path)


def environment(config: SiteConfig) -> jinja2.Environment:
    """A Jinja environment with autoescaping on and the Arabic filters installed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in template_dirs(config)]),
        autoescape=jinja2.select_autoescape(
            ("html", "xml", "j2"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    fmt = Formatter(config)
    env.filters.update(digits=fmt.digits, date_ar=fmt.date, atom_date=fmt.atom_date)
    env.globals.update(
        url=fmt.url, absolute=fmt.absolute, feed_id=fmt.feed_id, fmt=fmt, site=config
    )
    return env
