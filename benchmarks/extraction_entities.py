"""Entity extraction: the sample article against its expected lists, speed, corpus top names.

Run: /work/venv/bin/python benchmarks/extraction_entities.py
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from generator.extract.entities import entity_key, extract_entities

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "000_37b764dca38cb101.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
EXPECTED = {
    "people": [
        "فلاديمير بوتين",
        "إيمانويل ماكرون",
        "سيرغي لافروف",
        "شوشان ستيبانيان",
        "جيهون بيراموف",
    ],
    "places": ["قره باغ", "أذربيجان", "أرمينيا", "روسيا", "فرنسا", "تركيا", "غوريس"],
    "organisations": [
        "وزارة الدفاع الأذربيجانية",
        "مجموعة مينسك",
        "مجلس الأمن الدولي",
        "الكرملين",
        "وكالة تاس",
        "رويترز",
    ],
}


def _sample_report() -> dict[str, Any]:
    """Found, missing and extra names per kind on the sample article (body without trailers)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    # The last three lines are related headlines; they leave the body on import.
    found = extract_entities(lines[0], lines[1:-3])
    report: dict[str, Any] = {}
    for kind, expected in EXPECTED.items():
        got: list[str] = getattr(found, kind)
        want = {entity_key(n) for n in expected}
        have = {entity_key(n) for n in got}
        report[kind] = {
            "found": [n for n in got if entity_key(n) in want],
            "missing": [n for n in expected if entity_key(n) not in have],
            "extra": [n for n in got if entity_key(n) not in want],
        }
    return report


def _corpus_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every corpus article."""
    out = []
    for path in sorted(CORPUS.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(record, dict) or "text" not in record:
            continue  # html/index.json and other non-article files
        paragraphs = [p.strip() for p in (record.get("text") or "").split("\n") if p.strip()]
        out.append((record.get("title") or "", paragraphs))
    return out


def _corpus_report() -> dict[str, Any]:
    """Speed over the corpus and the 30 most frequent names of each kind."""
    articles = _corpus_articles()
    extract_entities("", ["تحميل القوائم"])  # word lists load once, outside the timing
    counters: dict[str, Counter[str]] = {k: Counter() for k in EXPECTED}
    start = time.perf_counter()
    results = [extract_entities(t, p) for t, p in articles]
    elapsed = time.perf_counter() - start
    for ents in results:
        for kind, counter in counters.items():
            counter.update(getattr(ents, kind))
    return {
        "articles": len(articles),
        "seconds": round(elapsed, 2),
        "articles_per_second": round(len(articles) / elapsed, 1),
        "top": {k: c.most_common(30) for k, c in counters.items()},
    }


def main() -> dict[str, Any]:
    """Run both checks, print them, return them."""
    result: dict[str, Any] = {"sample": _sample_report()}
    if CORPUS.is_dir():
        result["corpus"] = _corpus_report()
    else:
        result["corpus"] = "skipped: ../shared/corpus is absent"
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return result


if __name__ == "__main__":
    main()
