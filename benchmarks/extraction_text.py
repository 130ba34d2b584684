"""Text-extraction figures on the shared corpus: derived titles, boilerplate left, speed.

Run: /work/venv/bin/python benchmarks/extraction_text.py
Exits cleanly (empty figures) when ../shared/corpus is absent.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract.arabic import normalise  # noqa: E402
from generator.extract.body import clean_body  # noqa: E402
from generator.extract.title import clean_title, headline_from_lede  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"

# Known boilerplate, written to find leftovers (independent of the cleaner's own patterns).
KNOWN: dict[str, re.Pattern[str]] = {
    "app notification": re.compile(r"إشعارات بأهم"),
    "share bar": re.compile(r"شارك\s+من\s+خلال\s+تويتر"),
    "sms footer": re.compile(r"(?i)(?:أرسل|ارسل)\s+(?:رسالة\s+)?(?:نصية\s+)?sms"),
    "operator footer": re.compile(r"(?i)^\d{5,6}\s*-\s*(?:stc|mobily|zain)\b"),
    "columnist contact": re.compile(r"لمراسلة الكاتب"),
    "opinion disclaimer": re.compile(r"تمثل رأي كتابها"),
    "teaser more": re.compile(r"\.{2,}\s*المزيد\s*$"),
    "syndication credit": re.compile(r"^\W*خدمة\s*«[^»]+»\s*$"),
    "read-also marker": re.compile(r"^\W*(?:[اإ]قرأ\s+[أا]يض|قد يعجبك أيض)"),
    "bare e-mail line": re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
}


def _f1(a: str, b: str) -> float:
    """Word-overlap F1 of two phrases after normalisation (bag of words)."""
    x, y = normalise(a).split(), normalise(b).split()
    if not x or not y:
        return 0.0
    common = sum(min(x.count(w), y.count(w)) for w in set(x))
    if not common:
        return 0.0
    p, r = common / len(x), common / len(y)
    return 2 * p * r / (p + r)


def title_figures() -> dict[str, Any]:
    """Mean F1 of derived headline and of the first-10-words baseline against editors' titles."""
    derived: list[float] = []
    baseline: list[float] = []
    lengths: list[int] = []
    for txt in sorted((CORPUS / "plain").glob("*.txt")):
        meta = json.loads(txt.with_suffix(".meta.json").read_text("utf-8"))
        truth, _ = clean_title(meta["title"])
        text = txt.read_text("utf-8")
        body = clean_body(text, seed_form=True)
        head = headline_from_lede(body.paragraphs)
        derived.append(_f1(head, truth))
        baseline.append(_f1(" ".join(text.split()[:10]), truth))
        lengths.append(len(head.split()))
    n = len(derived) or 1
    return {
        "articles": len(derived),
        "title_f1_derived": round(sum(derived) / n, 4),
        "title_f1_baseline_first10": round(sum(baseline) / n, 4),
        "derived_mean_words": round(sum(lengths) / n, 1),
    }


def _articles() -> list[dict[str, Any]]:
    """Every article JSON of the corpus (not plain/)."""
    out = []
    for path in sorted(CORPUS.glob("*/[0-9]*.json")):
        if path.parent.name != "plain":
            out.append(json.loads(path.read_text("utf-8")))
    return out


def boilerplate_figures(articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Known boilerplate left after cleaning, paragraphs removed, and clean_body speed."""
    left = dict.fromkeys(KNOWN, 0)
    removed: list[str] = []
    read_also = related = 0
    start = time.perf_counter()
    bodies = [clean_body(a.get("text") or "") for a in articles]
    elapsed = time.perf_counter() - start
    for body in bodies:
        removed.extend(body.removed)
        read_also += len(body.read_also)
        for para in body.paragraphs:
            for name, pat in KNOWN.items():
                left[name] += bool(pat.search(para))
    for a in articles:
        related += len(clean_body(a.get("text") or "", seed_form=True).related_headlines)
    rng = random.Random(7)
    return {
        "articles": len(articles),
        "boilerplate_left": left,
        "boilerplate_left_total": sum(left.values()),
        "paragraphs_removed": len(removed),
        "read_also_found": read_also,
        "related_headlines_seed_form": related,
        "clean_body_ms_per_article": round(1000 * elapsed / max(1, len(articles)), 3),
        "removed_sample": rng.sample(removed, min(15, len(removed))),
    }


def main() -> dict[str, Any]:
    """Compute and print all figures; empty when the corpus is absent."""
    if not (CORPUS / "plain").is_dir():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return {}
    figures = {**title_figures(), **boilerplate_figures(_articles())}
    for key, value in figures.items():
        if key == "removed_sample":
            print("removed_sample:")
            for item in value:
                print("  -", item[:140])
        else:
            print(f"{key}: {value}")
    return figures


if __name__ == "__main__":
    main()
