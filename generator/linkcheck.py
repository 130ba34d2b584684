"""Check every internal link, stylesheet and feed reference of a built site."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {
    ("a", "href"),
    ("link", "href"),
    ("script", "src"),
    ("img", "src"),
    ("source", "src"),
}


@dataclass(frozen=True)
class BrokenLink:
    """A link on a page that leads to no file of the site."""

    page: str
    href: str

    def __str__(self) -> str:
        return f"{self.page}: broken link {self.href}"


class _Links(HTMLParser):
    """Collects link targets from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Keep href/src values of linking elements."""
        for name, value in attrs:
            if (tag, name) in _LINK_ATTRS and value:
                self.hrefs.append(value)


def _target(site: Path, base_path: str, page: str, href: str) -> Path | None:
    """The file a same-site link points to, or None for links that leave the site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#") or not parts.path:
        return None
    path = unquote(parts.path)
    if not path.startswith("/"):
        path = "/" + str(Path(page).parent / path)
    if not path.startswith(base_path):
        return site / "__outside_base_path__"
    rel = path[len(base_path) :]
    return site / rel / "index.html" if rel.endswith("/") or rel == "" else site / rel


def check_site(site: Path, base_path: str = "/") -> tuple[int, list[BrokenLink]]:
    """(links checked, broken links) over every HTML page of the site."""
    broken: list[BrokenLink] = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        rel_page = page.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = _target(site, base_path, rel_page, href)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(BrokenLink(rel_page, href))
    return checked, broken
