"""The outlet: an Arabic display name from the record's id, the URL's domain, or the text.

The table of outlets and agencies is `generator/data/outlets.yml`; byline and title
cleaning use the same table (through `outlet_by_name`) to recognise outlet names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.extract.arabic import clean_text, normalise

_DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Outlet:
    """One outlet or agency from the table."""

    name: str  # Arabic display name
    kind: str  # agency, tv, paper, site, radio
    ids: tuple[str, ...]
    domains: tuple[str, ...]
    names: tuple[str, ...]  # every spelling (display name included)
    common: bool = False  # the bare display name is also an ordinary word or place

    @property
    def is_agency(self) -> bool:
        """True for wire services (واس، رويترز …)."""
        return self.kind == "agency"


@dataclass(frozen=True)
class _Tables:
    """Lookup indexes over the outlet table."""

    by_id: dict[str, Outlet]
    by_name: dict[str, Outlet]  # names that can only mean the outlet
    by_loose_name: dict[str, Outlet]  # also bare names that are ordinary words (الرياض، البيان)
    domains: tuple[tuple[str, Outlet], ...]  # longest first, so bbc.com/arabic wins over bbc.com


def _id_key(value: str) -> str:
    """Fold an identifier: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z\u0600-\u06ff]+", "", value.lower())


@cache
def outlets() -> tuple[Outlet, ...]:
    """Every outlet of the table, in table order."""
    raw = yaml.safe_load((_DATA / "outlets.yml").read_text("utf-8"))
    out: list[Outlet] = []
    for row in raw:
        names = tuple(dict.fromkeys([str(row["name"]), *(str(n) for n in row.get("names") or [])]))
        out.append(
            Outlet(
                name=str(row["name"]),
                kind=str(row.get("kind", "site")),
                ids=tuple(str(i) for i in row.get("ids") or []),
                domains=tuple(str(d).lower() for d in row.get("domains") or []),
                names=names,
                common=bool(row.get("common", False)),
            )
        )
    return tuple(out)


@cache
def _tables() -> _Tables:
    """Build the id, name and domain indexes once."""
    by_id: dict[str, Outlet] = {}
    by_name: dict[str, Outlet] = {}
    by_loose: dict[str, Outlet] = {}
    domains: list[tuple[str, Outlet]] = []
    for outlet in outlets():
        for ident in (*outlet.ids, *outlet.domains):
            by_id.setdefault(_id_key(ident), outlet)
        bare = normalise(outlet.name)
        for name in outlet.names:
            key = normalise(name)
            by_loose.setdefault(key, outlet)
            if not (outlet.common and key == bare):
                by_name.setdefault(key, outlet)
            by_id.setdefault(_id_key(name), outlet)
        domains.extend((d, outlet) for d in outlet.domains)
    domains.sort(key=lambda pair: -len(pair[0]))
    return _Tables(by_id, by_name, by_loose, tuple(domains))


def preload() -> None:
    """Build the outlet tables now (before forking workers, so they share one copy)."""
    _tables()


# "صحيفة X", "مكتب X" (a bureau) and "X أونلاين", "X الإلكتروني" all name outlet X.
_OUTLET_WORDS = ("صحيفه ", "جريده ", "وكاله ", "قناه ", "موقع ", "مكتب ", "مجله ", "اذاعه ")
_OUTLET_SUFFIXES = (" اونلاين", " الالكتروني", " الالكترونيه", " نت", " online")


def outlet_by_name(text: str, *, loose: bool = False) -> Outlet | None:
    """The outlet a whole phrase names (`العربية.نت`); loose also takes bare common names."""
    index = _tables().by_loose_name if loose else _tables().by_name
    text = text.strip(" \"'«»“”")
    key = normalise(text.replace(".", " "))
    found = index.get(key) or index.get(normalise(text))
    if found is None and key.startswith(_OUTLET_WORDS):
        found = _tables().by_loose_name.get(key.split(" ", 1)[1])
    if found is None and key.endswith(_OUTLET_SUFFIXES):
        found = _tables().by_loose_name.get(key.rsplit(" ", 1)[0])
    return found


def outlet_by_id(source_id: str) -> Outlet | None:
    """The outlet a crawler identifier (`okaz`, `Jawhara FM`, `alarabia`) stands for."""
    return _tables().by_id.get(_id_key(source_id)) or outlet_by_name(source_id, loose=True)


def outlet_by_url(url: str) -> Outlet | None:
    """The outlet whose domain (and path prefix, as for bbc.com/arabic) the URL is on."""
    try:
        parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    where = host + parts.path.lower()
    for domain, outlet in _tables().domains:
        dom_host = domain.split("/", 1)[0]
        if (host == dom_host or host.endswith("." + dom_host)) and where.startswith(
            domain if "/" in domain else host
        ):
            return outlet
    return None


# An outlet credited in the text: an interview "لـ«الصباح»", a dateline "(CNN)" or "- واس".
_CREDIT = re.compile(
    r"لـ\s*[\"«“]([^\"»”]{2,30})[\"»”]|\(([^()]{2,30})\)\s*[-—–]|[-—–]\s*([^-—–\s:]{2,20})\s*$"
)


def outlet_in_text(text: str) -> Outlet | None:
    """The outlet the text credits (`لـ"عربي21"`, `(CNN)—`), looked for in quotes and datelines."""
    head = clean_text(text[:3000])
    for m in _CREDIT.finditer(head):
        name = next(g for g in m.groups() if g)
        found = outlet_by_name(name, loose=True)
        if found is not None:
            return found
    return None


def source_name(source_id: str | None, url: str | None, text: str) -> str | None:
    """Arabic display name of the outlet, or None when nothing names it."""
    found: Outlet | None = None
    if source_id and source_id.strip():
        found = outlet_by_id(source_id)
    if found is None and url:
        found = outlet_by_url(url)
    if found is None and text:
        found = outlet_in_text(text)
    if found is not None:
        return found.name
    return source_id.strip() if source_id and source_id.strip() else None
