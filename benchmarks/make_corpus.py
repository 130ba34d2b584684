"""Write a synthetic Arabic news site of N articles for benchmarks (never stored in the repo).

Arabic text is sampled at run time from the shared corpus (../shared/corpus): paragraphs for
bodies, words for titles and tags. Tags come from a Zipf-like pool, dates span ten years.

    python benchmarks/make_corpus.py 10000 /tmp/bench10k            # content/*.md
    python benchmarks/make_corpus.py 10000 /tmp/raw10k --raw         # seeds/*.json (import bench)
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]{3,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # XML 1.0 feeds (Pelican's) refuse these
SOURCES = ("وكالة الأنباء", "صحيفة الشرق", "قناة الخبر", "موقع الرأي", "جريدة المساء")


@dataclass
class Pool:
    """Paragraphs and words taken from the corpus."""

    paragraphs: list[str]
    words: list[str]


def load_pool(corpus: Path) -> Pool:
    """Every non-trivial paragraph and Arabic word of the corpus JSON files."""
    paragraphs: list[str] = []
    words: set[str] = set()
    for file in sorted(corpus.glob("*/*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        text = data.get("text") or "" if isinstance(data, dict) else ""
        for line in text.split("\n"):
            line = " ".join(_CONTROL.sub(" ", line).split())
            if len(line.split()) >= 12:
                paragraphs.append(line)
                words.update(w for w in line.split() if _ARABIC_WORD.match(w))
    if not paragraphs:
        raise SystemExit(f"no corpus text under {corpus}")
    return Pool(paragraphs, sorted(words))


def tag_pool(rng: random.Random, pool: Pool, size: int) -> list[str]:
    """`size` distinct tag names of one to three words."""
    tags: set[str] = set()
    while len(tags) < size:
        tags.add(" ".join(rng.sample(pool.words, rng.choice((1, 1, 2, 3)))))
    return sorted(tags)


def zipf_tags(rng: random.Random, tags: list[str], weights: list[float]) -> list[str]:
    """Two to five distinct tags, popular ones far more often (Zipf-like)."""
    chosen: list[str] = []
    want = rng.randint(2, 5)
    while len(chosen) < want:
        tag = rng.choices(tags, weights)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen


def body(rng: random.Random, pool: Pool, words: int = 600) -> list[str]:
    """Paragraphs adding up to about `words` words."""
    out: list[str] = []
    count = 0
    while count < words:
        para = rng.choice(pool.paragraphs)
        out.append(para)
        count += len(para.split())
    return out


def article(
    rng: random.Random, pool: Pool, tags: list[str], weights: list[float]
) -> dict[str, object]:
    """One synthetic article's fields and paragraphs."""
    start = datetime(2014, 1, 1)
    when = start + timedelta(seconds=rng.randrange(10 * 365 * 86400))
    paras = body(rng, pool)
    return {
        "title": " ".join(rng.sample(pool.words, rng.randint(5, 10))),
        "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
        "source": rng.choice(SOURCES),
        "summary": " ".join(paras[0].split()[:30]),
        "tags": zipf_tags(rng, tags, weights),
        "paragraphs": paras,
    }


def markdown_file(fields: dict[str, object]) -> str:
    """A content/*.md file: YAML front matter, body with a subheading."""
    paras = list(fields["paragraphs"])  # type: ignore[call-overload]
    meta = {k: v for k, v in fields.items() if k != "paragraphs"}
    cut = min(2, len(paras) - 1)
    heading = "## " + " ".join(paras[cut].split()[:4])
    text = "\n\n".join([*paras[:cut], heading, *paras[cut:]])
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n{text}\n"


def raw_record(fields: dict[str, object], n: int) -> str:
    """A crawler-export JSON record (the shared corpus's shape) for the import benchmark."""
    record = {
        "source": fields["source"],
        "url": f"https://news.example/a/{n}",
        "date": str(fields["date"]).replace("T", " "),
        "title": fields["title"],
        "author": "",
        "text": "\n".join(fields["paragraphs"]),  # type: ignore[arg-type]
    }
    return json.dumps(record, ensure_ascii=False, indent=2)


def make(n: int, root: Path, *, raw: bool = False, seed: int = 1, corpus: Path = CORPUS) -> None:
    """Write n articles under root/content (or root/seeds when raw)."""
    rng = random.Random(seed)
    pool = load_pool(corpus)
    tags = tag_pool(rng, pool, max(50, n // 20))
    weights = [1 / (rank + 1) for rank in range(len(tags))]
    folder = root / ("seeds" if raw else "content")
    folder.mkdir(parents=True, exist_ok=True)
    (root / "arshif.yml").write_text("title: أرشيف الاختبار\npage_size: 20\n", encoding="utf-8")
    for i in range(n):
        fields = article(rng, pool, tags, weights)
        if raw:
            (folder / f"a{i:06d}.json").write_text(raw_record(fields, i), encoding="utf-8")
        else:
            (folder / f"a{i:06d}.md").write_text(markdown_file(fields), encoding="utf-8")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--raw", action="store_true", help="write raw seeds/*.json instead")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make(args.n, args.root, raw=args.raw, seed=args.seed)


if __name__ == "__main__":
    main()
