"""Date extraction on the shared corpus: record dates, HTML pages (ours vs htmldate), speed.

Run: python benchmarks/extraction_dates.py   (exits cleanly when ../shared/corpus is absent)
An aggregator can `from benchmarks.extraction_dates import main` and read the returned figures.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
if str(ROOT) not in sys.path:  # a fresh checkout run as a script, without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from generator.extract.dates import FoundDate, find_text_date, html_date, parse_date  # noqa: E402


def reference_instant(value: str) -> datetime | None:
    """The instant a corpus date string means, read independently with the standard library."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            pass
    if value[:4].isdigit() and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def same_instant(found: FoundDate | None, ref: datetime | None) -> bool:
    """Equal wall time, and equal offset when the reference has one (naive stays naive)."""
    if found is None or ref is None:
        return False
    ours = found.value
    if (ours.tzinfo is None) != (ref.tzinfo is None):
        return False
    return ours == ref and ours.utcoffset() == ref.utcoffset()


def corpus_records() -> list[dict[str, Any]]:
    """Every article record of the corpus (not plain/ or html/)."""
    files = sorted(p for p in CORPUS.glob("*/*.json") if p.parent.name not in ("plain", "html"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def record_dates(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of record dates parsed to the right instant, with the misses named."""
    values = [r["date"] for r in records if r.get("date") is not None]
    misses = [v for v in values if not same_instant(parse_date(v), reference_instant(v))]
    right = len(values) - len(misses)
    return {
        "dates": len(values),
        "right": right,
        "share": right / len(values),
        "misses": misses[:5],
    }


def html_pages() -> dict[str, Any]:
    """Right publication days on the saved pages: our cascade and the htmldate library."""
    from bs4 import BeautifulSoup

    entries = json.loads((CORPUS / "html" / "index.json").read_text(encoding="utf-8"))
    ours_right = theirs_right = 0
    rows = []
    spent = 0.0
    for entry in entries:
        page = (CORPUS / "html" / entry["file"]).read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "lxml")
        start = time.perf_counter()
        found = html_date(soup, entry["url"])
        spent += time.perf_counter() - start
        ours = found.value.date().isoformat() if found else None
        theirs = _htmldate(page, entry["url"])
        ours_right += ours == entry["published"]
        theirs_right += theirs == entry["published"]
        rows.append(
            (entry["file"], entry["published"], ours, found.origin if found else "-", theirs)
        )
    return {
        "pages": len(entries),
        "ours_right": ours_right,
        "htmldate_right": theirs_right,
        "ms_per_page": 1000 * spent / max(1, len(entries)),
        "rows": rows,
    }


def _htmldate(page: str, url: str) -> str | None:
    """htmldate's answer for a page, or None when the library is missing or fails."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        answer = find_date(page, url=url, original_date=True)
    except Exception:  # a third-party failure is a miss, not a crash of the benchmark
        return None
    return str(answer) if answer else None


def speed(records: list[dict[str, Any]], rounds: int = 5) -> dict[str, float]:
    """Microseconds per parse_date call, and seconds to look for datelines in every text."""
    values = [r["date"] for r in records if r.get("date") is not None]
    start = time.perf_counter()
    for _ in range(rounds):
        for v in values:
            parse_date(v)
    per_date = (time.perf_counter() - start) / (rounds * len(values)) * 1e6
    start = time.perf_counter()
    found = sum(find_text_date(r.get("text") or "") is not None for r in records)
    return {
        "parse_us_per_date": per_date,
        "text_scan_s": time.perf_counter() - start,
        "text_dates": found,
    }


def main() -> dict[str, Any]:
    """Measure and print; returns the figures (empty with a reason when the corpus is absent)."""
    if not (CORPUS / "html" / "index.json").is_file():
        print(f"corpus not found at {CORPUS}: nothing to measure")
        return {"skipped": f"corpus not found at {CORPUS}"}
    records = corpus_records()
    dates = record_dates(records)
    pages = html_pages()
    fast = speed(records)
    share = f"{dates['right']}/{dates['dates']} ({dates['share']:.1%})"
    print(f"(a) record dates parsed to the right instant: {share}")
    for miss in dates["misses"]:
        print(f"    miss: {miss!r}")
    n = pages["pages"]
    print(
        f"(b) HTML pages with the right publication day: ours {pages['ours_right']}/{n}, "
        f"htmldate {pages['htmldate_right']}/{n}"
    )
    for file, truth, ours, origin, theirs in pages["rows"]:
        print(f"    {file:42} truth {truth}  ours {ours} ({origin})  htmldate {theirs}")
    print(
        f"(c) parse_date {fast['parse_us_per_date']:.1f} µs/date; html_date "
        f"{pages['ms_per_page']:.1f} ms/page (after parsing HTML); datelines in "
        f"{len(records)} texts: {fast['text_dates']} found in {fast['text_scan_s']:.2f} s"
    )
    return {
        "record_dates": dates["dates"],
        "record_dates_right": dates["right"],
        "record_dates_share": dates["share"],
        "html_pages": pages["pages"],
        "html_right": pages["ours_right"],
        "htmldate_right": pages["htmldate_right"],
        "html_ms_per_page": pages["ms_per_page"],
        **fast,
    }


if __name__ == "__main__":
    main()
