"""All extraction figures of the metadata issue in one run, plus the import speed on the corpus.

Run: python benchmarks/extraction.py   (each part exits cleanly when ../shared/corpus is absent)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:  # run as a script from a fresh checkout
        sys.path.insert(0, str(path))

import extraction_dates  # noqa: E402
import extraction_entities  # noqa: E402
import extraction_text  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.importer import import_paths  # noqa: E402


def import_speed() -> dict[str, float]:
    """Wall time to import the 4,581 corpus JSON articles (all fields) into a fresh site."""
    outlets = [
        p for p in sorted(CORPUS.iterdir()) if p.is_dir() and p.name not in ("plain", "html")
    ]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = import_paths(load_config(Path(tmp)), outlets)
        seconds = time.perf_counter() - start
    seen = len(report.created) + len(report.duplicates) + report.log.skipped
    rate = seen / seconds
    print(f"\n== import speed: {seen} records in {seconds:.1f} s wall ({rate:.0f} articles/s)")
    print(f"{len(report.created)} written, {len(report.duplicates)} exact duplicates, ", end="")
    print(f"{report.log.skipped} skipped")
    return {"records": seen, "seconds": seconds}


def main() -> None:
    """Run every part and print its figures."""
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}: nothing to measure")
        return
    print("== dates")
    extraction_dates.main()
    print("\n== titles and boilerplate")
    extraction_text.main()
    print("\n== entities")
    extraction_entities.main()
    import_speed()


if __name__ == "__main__":
    main()
