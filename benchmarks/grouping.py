"""Grouping on the shared corpus: related-story precision, same-story recall, tags, cost.

Run: /work/venv/bin/python benchmarks/grouping.py
Categories and sources are used only to score, never as features.
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from generator.content.model import Article
from generator.extract.arabic import match_key, normalise
from generator.index.grouping import GroupingConfig, word_keys
from generator.index.links import TitleIndex
from generator.index.related import related
from generator.index.samestory import same_story
from generator.index.tags import assign_tags

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GROUPS = {
    "internationalNews": "world",
    "middleEast": "world",
    "localNews": "local",
    "society": "local",
    "politic": "local",
}


def _date(raw: str | None) -> datetime | None:
    """Parse the corpus' five date formats (UTC-aware), None when unreadable."""
    if not raw:
        return None
    raw = raw.strip()
    parsers: list[Callable[[str], datetime]] = [
        datetime.fromisoformat,
        lambda s: datetime.strptime(s, "%d/%m/%Y"),
        parsedate_to_datetime,
    ]
    for parse in parsers:
        try:
            when = parse(raw)
        except (ValueError, TypeError, IndexError):
            continue
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return None


def load(with_entities: bool = True) -> tuple[list[Article], dict[str, dict[str, str]], bool]:
    """Corpus articles as Article objects, MANIFEST rows by slug, and whether entities came."""
    rows: dict[str, dict[str, str]] = {}
    articles: list[Article] = []
    extract: Callable[[str, list[str]], Any] | None = None
    if with_entities:
        try:
            from generator.extract.entities import extract_entities

            extract = extract_entities
        except ImportError:
            extract = None
    got_entities = False
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            slug = row["file"].removesuffix(".json").replace("/", "-")
            data = json.loads((CORPUS / row["file"]).read_text(encoding="utf-8"))
            title, text = (data["title"] or "").strip(), data["text"] or ""
            people: tuple[str, ...] = ()
            places: tuple[str, ...] = ()
            orgs: tuple[str, ...] = ()
            if extract is not None:
                found = extract(title, [p for p in text.split("\n") if p.strip()])
                people, places, orgs = (
                    tuple(found.people),
                    tuple(found.places),
                    tuple(found.organisations),
                )
                got_entities = got_entities or bool(people or places or orgs)
            articles.append(
                Article(
                    slug=slug,
                    path=row["file"],
                    title=title,
                    body=text,
                    date=_date(data["date"]),
                    source=data["source"],
                    people=people,
                    places=places,
                    organisations=orgs,
                )
            )
            rows[slug] = row
    return articles, rows, got_entities


def _topic(row: Mapping[str, str]) -> str | None:
    """The topic group of a MANIFEST row (None when the article has no category)."""
    cat = row.get("category") or ""
    return GROUPS.get(cat, cat) or None


def precision(
    lists: Mapping[str, Sequence[str]], rows: Mapping[str, Mapping[str, str]]
) -> dict[str, float]:
    """Share of the first five related stories (with a category) in the query's topic group."""
    hit = total = queries = empty = 0
    for slug, row in rows.items():
        topic = _topic(row)
        if topic is None or row["category"] == "diverse":
            continue
        queries += 1
        judged = [t for t in (_topic(rows[s]) for s in lists.get(slug, ())[:5]) if t is not None]
        empty += not lists.get(slug)
        hit += sum(t == topic for t in judged)
        total += len(judged)
    return {
        "precision": round(hit / total, 4) if total else 0.0,
        "judged": total,
        "queries": queries,
        "queries_without_related": empty,
    }


def shared_tag_baseline(
    tags: Mapping[str, Sequence[str]], k: int = 5
) -> dict[str, tuple[str, ...]]:
    """Pelican's related-posts: most shared tags first (ties by slug)."""
    by_tag: dict[str, list[str]] = defaultdict(list)
    for slug, names in tags.items():
        for key in {match_key(n) for n in names}:
            by_tag[key].append(slug)
    out: dict[str, tuple[str, ...]] = {}
    for slug, names in tags.items():
        counts: Counter[str] = Counter()
        for key in {match_key(n) for n in names}:
            counts.update(s for s in by_tag[key] if s != slug)
        out[slug] = tuple(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k])
    return out


def tfidf_baseline(
    articles: Sequence[Article], queries: Iterable[str], k: int = 5
) -> dict[str, tuple[str, ...]]:
    """TF-IDF cosine over the whole text (title + body), pairwise: the classic baseline."""
    import numpy as np
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, a in enumerate(articles):
        for term, tf in Counter(word_keys(a.title + "\n" + a.body)).items():
            rows.append(i)
            cols.append(vocab.setdefault(term, len(vocab)))
            vals.append(float(tf))
    m = csr_matrix((vals, (rows, cols)), shape=(len(articles), len(vocab)))
    df = np.bincount(m.indices, minlength=len(vocab))
    m = m.multiply(np.log(len(articles) / np.maximum(df, 1))).tocsr()
    norms = np.sqrt(m.multiply(m).sum(axis=1)).A1
    m = csr_matrix(m.multiply(1 / np.maximum(norms, 1e-9)[:, None]))
    index = {a.slug: i for i, a in enumerate(articles)}
    out: dict[str, tuple[str, ...]] = {}
    for slug in queries:
        sims = (m @ m[index[slug]].T).toarray().ravel()
        sims[index[slug]] = -1
        best = np.argsort(-sims, kind="stable")[:k]
        out[slug] = tuple(articles[j].slug for j in best if sims[j] > 0)
    return out


def dup_report(
    groups: Mapping[str, Sequence[str]], rows: Mapping[str, Mapping[str, str]]
) -> dict[str, Any]:
    """Recall of dup_group members and pairs grouped that share no dup_group."""
    truth: dict[str, set[str]] = defaultdict(set)
    for slug, row in rows.items():
        if row.get("dup_group"):
            truth[row["dup_group"]].add(slug)
    found = sum(
        len(set(groups.get(s, ())) & (members - {s})) > 0
        for members in truth.values()
        for s in members
    )
    members_total = sum(len(m) for m in truth.values())
    false_pairs = sorted(
        (a, b)
        for a, others in groups.items()
        for b in others
        if a < b
        and not (rows[a].get("dup_group") and rows[a]["dup_group"] == rows[b].get("dup_group"))
    )
    return {
        "groups": len(truth),
        "members": members_total,
        "members_found": found,
        "recall": round(found / members_total, 4),
        "false_pairs": len(false_pairs),
        "false_pair_examples": false_pairs[:5],
    }


def _false_pair_overlap(
    articles: Sequence[Article],
    groups: Mapping[str, Sequence[str]],
    rows: Mapping[str, Mapping[str, str]],
) -> dict[str, int]:
    """Pairs outside the MANIFEST's dup_groups, by the Jaccard of their bodies' shingles."""
    from generator.index.samestory import shingles

    bodies = {a.slug: a.body for a in articles}
    bins: Counter[str] = Counter()
    for a, others in groups.items():
        for b in others:
            if a < b and not (
                rows[a]["dup_group"] and rows[a]["dup_group"] == rows[b]["dup_group"]
            ):
                x, y = shingles(bodies[a], 4), shingles(bodies[b], 4)
                j = len(x & y) / len(x | y)
                bins[
                    ">=0.9"
                    if j >= 0.9
                    else ">=0.7"
                    if j >= 0.7
                    else ">=0.5"
                    if j >= 0.5
                    else "<0.5"
                ] += 1
    return dict(sorted(bins.items()))


def tag_report(tags: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Distinct tags, tags on two or more articles, the most frequent, key collisions."""
    counts = Counter(n for names in tags.values() for n in names)
    keys = Counter(normalise(n) for n in counts)
    sizes = [len(v) for v in tags.values()]
    return {
        "distinct": len(counts),
        "with_2_or_more": sum(c >= 2 for c in counts.values()),
        "per_article_min_max_mean": (min(sizes), max(sizes), round(sum(sizes) / len(sizes), 2)),
        "articles_under_3": sum(s < 3 for s in sizes),
        "key_collisions": sum(c > 1 for c in keys.values()),
        "top30": "، ".join(f"{n} {c}" for n, c in counts.most_common(30)),
    }


class _Clock:
    """Wall-clock and CPU seconds since the last lap (the CPU figure resists a busy machine)."""

    def __init__(self) -> None:
        """Start now."""
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        """Seconds (wall, CPU) since the previous lap."""
        wall, cpu = time.perf_counter(), time.process_time()
        out = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return out


def main() -> dict[str, Any]:
    """Measure everything; print and return the figures."""
    if not (CORPUS / "MANIFEST.tsv").exists():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return {}
    t0 = time.perf_counter()
    articles, rows, got_entities = load()
    report: dict[str, Any] = {
        "articles": len(articles),
        "entities_available": got_entities,
        "load_and_entities_s": round(time.perf_counter() - t0, 2),
    }
    cfg = GroupingConfig()
    timings: dict[str, tuple[float, float]] = {}
    clock = _Clock()
    tags = assign_tags(articles, cfg)
    timings["tags"] = clock.lap()
    groups = same_story(articles, cfg)
    timings["same_story"] = clock.lap()
    exclude = {s: set(v) for s, v in groups.items()}
    lists = related(articles, tags, cfg, exclude)
    timings["related"] = clock.lap()
    TitleIndex(articles)
    timings["title_index"] = clock.lap()
    report["seconds_wall_cpu"] = {k: (round(w, 2), round(c, 2)) for k, (w, c) in timings.items()}
    report["seconds_wall_cpu"]["total"] = (
        round(sum(w for w, _ in timings.values()), 2),
        round(sum(c for _, c in timings.values()), 2),
    )
    older = related(articles, tags, GroupingConfig(related_older_only=True), exclude)
    queries = [s for s, r in rows.items() if _topic(r) and r["category"] != "diverse"]
    report["related"] = precision(lists, rows)
    report["related_older_only"] = precision(older, rows)
    report["baseline_shared_tags"] = precision(shared_tag_baseline(tags), rows)
    report["baseline_tfidf_cosine"] = precision(tfidf_baseline(articles, queries), rows)
    report["same_story"] = dup_report(groups, rows)
    report["same_story"]["false_pairs_by_jaccard"] = _false_pair_overlap(articles, groups, rows)
    report["tags"] = tag_report(tags)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return report


if __name__ == "__main__":
    main()
