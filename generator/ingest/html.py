"""Saved HTML article pages → RawArticle: the main text and the page's metadata.

The body is found by a density heuristic over bs4 + lxml: chrome (scripts, navigation,
headers, footers, sidebars, share bars) is dropped, every container is scored by the text
of its own paragraphs minus link text, and the best container's blocks become paragraphs.
A container the page marks as the article (`itemprop=articleBody`, `<article>`) gets a
bonus, so a well-marked page wins and an unmarked one still works.
"""

from __future__ import annotations

import html
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from generator.errors import SourceError
from generator.extract.arabic import clean_text
from generator.extract.dates import html_date
from generator.extract.summary import detect_lang
from generator.extract.title import clean_title
from generator.ingest.model import RawArticle

_CHROME_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                "iframe", "button", "select", "svg", "template", "object", "embed")  # fmt: skip
_CHROME_HINT = re.compile(
    r"(?i)(?:^|[\s_-])(?:nav|navbar|menu|footer|sidebar|side-bar|breadcrumbs?|comments?|share|sharing|"
    r"social|related|most-?read|popular|advert|ads?|banner|widget|newsletter|subscribe|tags|"
    r"pagination|cookie|modal|popup|login|header|topbar|ticker|latest)(?:$|[\s_-])"
)
_ARTICLE_HINT = re.compile(r"(?i)article|story|entry|post|content|body|details|text|news")
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "blockquote", "li", "pre", "figcaption")
_MIN_PARAGRAPH_CHARS = 25
_MAX_LINK_SHARE = 0.5


def _decode(data: bytes, seed: str) -> str:
    """Bytes → text: UTF-8 (BOM allowed), else the declared charset, else SourceError."""
    if not data.strip():
        raise SourceError(seed, "empty HTML file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise SourceError(seed, f"cannot decode UTF-16 HTML: {err.reason}") from None
    if b"\x00" in data:
        raise SourceError(seed, "binary data, not an HTML page")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = re.search(rb"""charset=["']?([\w-]+)""", data[:4096], re.I)
    for enc in ([m.group(1).decode("ascii")] if m else []) + ["cp1256"]:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceError(seed, "cannot decode HTML (not UTF-8 and no usable charset)")


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    """The first non-empty <meta> content among property/name/itemprop keys."""
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if isinstance(tag, Tag):
                value = str(tag.get("content") or "").strip()
                if value:
                    return " ".join(clean_text(html.unescape(value)).split())
    return None


def _text(tag: Tag | None) -> str | None:
    """Whitespace-collapsed text of a tag, or None."""
    if tag is None:
        return None
    value = " ".join(clean_text(tag.get_text(" ")).split())
    return value or None


def _strip_site_name(title: str, site: str | None) -> str:
    """Remove the page's own site name (og:site_name) where it prefixes or suffixes the title."""
    if not site:
        return title
    pattern = rf"^\s*{re.escape(site)}\s*[-|–—:]+\s*|\s*[-|–—:]+\s*{re.escape(site)}\s*$"
    stripped = re.sub(pattern, "", title, flags=re.I).strip()
    return stripped or title


def _title(soup: BeautifulSoup) -> str | None:
    """og:title → twitter:title → <h1> → <title>, cleaned of site names."""
    h1 = soup.find("h1")
    raw = (
        _meta(soup, "og:title", "twitter:title")
        or (_text(h1) if isinstance(h1, Tag) else None)
        or (_text(soup.title) if soup.title else None)
    )
    if not raw:
        return None
    title, _ = clean_title(_strip_site_name(raw, _meta(soup, "og:site_name", "application-name")))
    return title or None


def _is_ip_url(url: str) -> bool:
    """True when the URL's host is a bare IP address (a mirror, not the canonical page)."""
    try:
        ipaddress.ip_address(urlsplit(url).hostname or "")
    except ValueError:
        return False
    return True


def _canonical(soup: BeautifulSoup) -> str | None:
    """link rel=canonical, else og:url unless it points at a bare IP address."""
    for link in soup.find_all("link"):
        rel = link.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        href = str(link.get("href") or "").strip()
        if (
            "canonical" in [r.lower() for r in rels]
            and href.startswith("http")
            and not _is_ip_url(href)
        ):
            return href
    og = _meta(soup, "og:url")
    return og if og and og.startswith("http") and not _is_ip_url(og) else None


def _author(soup: BeautifulSoup) -> str | None:
    """Author from meta tags or an itemprop/rel author element; URLs are not names."""
    value = _meta(soup, "author", "article:author", "dc.creator", "sailthru.author")
    if not value:
        tag = soup.find(attrs={"itemprop": "author"}) or soup.find("a", attrs={"rel": "author"})
        value = _text(tag) if isinstance(tag, Tag) else None
    value = re.sub(r"\s*(?:https?://|www\.)\S*", "", value or "").strip()
    return value or None


# --- body -----------------------------------------------------------------------------


def _drop_chrome(soup: BeautifulSoup) -> None:
    """Remove scripts, navigation and page chrome in place."""
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.name in ("html", "body", "article"):
            continue
        hint = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
        if (
            hint
            and _CHROME_HINT.search(hint)
            and not _ARTICLE_HINT.search(str(tag.get("itemprop") or ""))
        ):
            tag.decompose()


def _own_text(el: Tag) -> tuple[int, int]:
    """(text chars, link chars) in the element's own paragraphs and loose text."""
    chars = links = 0
    for child in el.children:
        if isinstance(child, NavigableString):
            chars += len(child.strip()) if child.strip() and len(child.strip()) > 40 else 0
        elif isinstance(child, Tag) and child.name in ("p", "blockquote", "h2", "h3"):
            text = child.get_text(" ", strip=True)
            chars += len(text)
            links += sum(len(a.get_text(strip=True)) for a in child.find_all("a"))
    return chars, links


def _score(el: Tag) -> float:
    """Paragraph density of a container, with a bonus for markup that names the article."""
    chars, links = _own_text(el)
    score = float(chars - 2 * links)
    if score <= 0:
        return score
    marks = " ".join(
        [*(el.get("class") or []), str(el.get("id") or ""), str(el.get("itemprop") or "")]
    )
    if el.get("itemprop") == "articleBody":
        score *= 2.0
    elif el.name == "article" or _ARTICLE_HINT.search(marks):
        score *= 1.3
    return score


def _main_container(soup: BeautifulSoup) -> Tag | None:
    """The container with the densest article text."""
    best: tuple[float, Tag | None] = (0.0, None)
    for el in soup.find_all(["div", "section", "article", "td", "main"]):
        score = _score(el)
        if score > best[0]:
            best = (score, el)
    return best[1]


def _paragraphs(container: Tag) -> list[str]:
    """Block texts of the container, split at <br>, link-heavy lines dropped."""
    for br in container.find_all("br"):
        br.replace_with("\n")
    out: list[str] = []
    for block in container.find_all(_BLOCKS) or [container]:
        if block.find(_BLOCKS):
            continue  # the inner blocks are visited themselves
        link_chars = sum(len(a.get_text(strip=True)) for a in block.find_all("a"))
        for line in block.get_text("").split("\n"):
            text = " ".join(clean_text(line).split())
            if len(text) < _MIN_PARAGRAPH_CHARS and block.name not in ("h2", "h3", "h4"):
                continue
            if text and link_chars <= _MAX_LINK_SHARE * len(text):
                out.append(text)
    loose = [
        s.strip() for s in container.find_all(string=True, recursive=False) if len(s.strip()) > 40
    ]
    return out or [" ".join(clean_text(s).split()) for s in loose]


def _lang(soup: BeautifulSoup, body: str) -> str:
    """The body's language by script; the page's lang attribute is often wrong (`en-US`)."""
    if body.strip():
        return detect_lang(body)[0]
    html_tag = soup.find("html")
    declared = str(html_tag.get("lang") or "") if isinstance(html_tag, Tag) else ""
    return declared.split("-")[0].lower() or "ar"


def read_html(data: bytes, seed: str, seed_hash: str) -> RawArticle:
    """Read one saved HTML page into a RawArticle (fmt "html")."""
    text = _decode(data, seed).replace("\r\n", "\n").replace("\r", "\n").lstrip()
    soup = BeautifulSoup(text, "lxml")
    if soup.find("html") is None:
        raise SourceError(seed, "not an HTML page")
    meta: dict[str, Any] = {}
    url = _canonical(soup)
    found = html_date(soup, url)
    values = {
        "title": _title(soup),
        "url": url,
        "author": _author(soup),
        "description": _meta(soup, "description", "og:description", "twitter:description"),
        "date": found.iso() if found else None,
        "site_name": _meta(soup, "og:site_name"),
    }
    meta.update({k: v for k, v in values.items() if v})
    _drop_chrome(soup)
    container = _main_container(soup)
    paragraphs = _paragraphs(container) if container is not None else []
    body = "\n".join(paragraphs)
    meta["lang"] = _lang(soup, body)
    return RawArticle(seed=seed, index=None, fmt="html", text=body, seed_hash=seed_hash, meta=meta)
