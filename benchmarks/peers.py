"""Build one synthetic corpus with Arshif, Hugo and Pelican, side by side; print medians.

    python benchmarks/make_corpus.py 10000 /tmp/bench10k
    python benchmarks/peers.py /tmp/bench10k --runs 3    # needs: pip install "arshif[bench]"

Every run is cold: the output folder (and Arshif's .arshif-cache) is moved out of the way
first, into a trash folder deleted only once every tool has run. Deleting tens of thousands
of files right before a build would slow that build's file creation for reasons of the file
system, not of the tool: ext4 without a journal skips, one by one, inodes freed in the last
minutes when it allocates new ones (measured here: writing the same 34,000 files took 2.4 s
into a quiet file system, 11-20 s right after deleting as many). Peak
memory is the largest sum of PSS over the whole process tree (workers included), sampled
every 250 ms in one extra, untimed run. The peers get minimal equivalent templates: article
pages, paginated home, tag pages with feeds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HUGO_CONFIG = """baseURL = "/"
title = "bench"
disableKinds = ["section"]
[pagination]
pagerSize = 20
[taxonomies]
tag = "tags"
[outputs]
home = ["html", "rss"]
term = ["html", "rss"]
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    '<title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>'  # noqa: E501
    '{{ .Content }}<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>'  # noqa: E501
    "{{ end }}</ul></article>{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li>'
    '<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ol>'
    '{{ with .Paginator.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}\n',
    "terms.html": '{{ define "main" }}<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">'  # noqa: E501
    "{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}\n",
}
PELICAN_CONF = """AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
TIMEZONE = "UTC"
DEFAULT_LANG = "ar"
DEFAULT_PAGINATION = 20
THEME = "theme"
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/{slug}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
ARTICLE_URL = ARTICLE_SAVE_AS = "articles/{slug}/index.html"
DIRECT_TEMPLATES = ["index", "tags"]
CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
CACHE_CONTENT = False
"""
PELICAN_THEME = {
    "base.html": '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{{ SITENAME }}'  # noqa: E501
    "</title></head><body>{% block content %}{% endblock %}</body></html>\n",
    "article.html": '{% extends "base.html" %}{% block content %}<article><h1>{{ article.title }}</h1>'  # noqa: E501
    "<time>{{ article.date }}</time>{{ article.content }}<ul>{% for t in article.tags %}"
    '<li><a href="/{{ t.url }}">{{ t }}</a></li>{% endfor %}</ul></article>{% endblock %}\n',
    "index.html": '{% extends "base.html" %}{% block content %}<ol>{% for a in articles_page.object_list %}'  # noqa: E501
    '<li><a href="/{{ a.url }}">{{ a.title }}</a> {{ a.summary }}</li>{% endfor %}</ol>'
    '{% if articles_page.has_next() %}<a href="/{{ articles_next_page.url }}">next</a>{% endif %}'
    "{% endblock %}\n",
    "tags.html": '{% extends "base.html" %}{% block content %}<ul>{% for t, arts in tags %}<li>'
    '<a href="/{{ t.url }}">{{ t }}</a> {{ arts|count }}</li>{% endfor %}</ul>{% endblock %}\n',
}
for _name in ("tag", "category", "author", "archives", "period_archives", "categories", "authors"):
    PELICAN_THEME[f"{_name}.html"] = '{% extends "index.html" %}\n'
PELICAN_THEME["page.html"] = (
    '{% extends "base.html" %}{% block content %}{{ page.content }}{% endblock %}\n'
)


def prepare_hugo(corpus: Path, work: Path) -> list[str]:
    """A Hugo site reading the corpus's content/ (same YAML front matter)."""
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    (site / "content").symlink_to(corpus / "content")
    hugo = shutil.which("hugo") or str(Path(sys.executable).parent / "hugo")
    return [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")]


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def prepare_pelican(corpus: Path, work: Path) -> list[str]:
    """A Pelican site: the corpus converted to Pelican's Markdown metadata lines."""
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "theme" / "templates").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for name, text in PELICAN_THEME.items():
        (site / "theme" / "templates" / name).write_text(text, encoding="utf-8")
    for file in sorted((corpus / "content").glob("*.md")):
        text = file.read_text(encoding="utf-8")
        match = _FRONT.match(text)
        meta = yaml.safe_load(match.group(1)) if match else {}
        head = (
            f"Title: {meta['title']}\nDate: {str(meta['date']).replace('T', ' ')}\n"
            f"Tags: {', '.join(meta.get('tags') or [])}\nSlug: {file.stem}\n"
            f"Summary: {meta.get('summary', '')}\n\n"
        )
        body = text[match.end() :] if match else text
        (site / "content" / file.name).write_text(head + body, encoding="utf-8")
    pelican = str(Path(sys.executable).parent / "pelican")
    return [
        pelican,
        "-q",
        "-s",
        str(site / "pelicanconf.py"),
        "-o",
        str(site / "output"),
        str(site / "content"),
    ]


def arshif_command(corpus: Path, executor: str) -> list[str]:
    """Arshif rendering content/ (extraction already done)."""
    return [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--no-import",
        "--site",
        str(corpus),
        "--executor",
        executor,
    ]


def _tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size of one process (shared pages split between sharers)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(
    command: list[str], clean: Callable[[], None], sample: float = 0.0
) -> tuple[float, float]:
    """Seconds and peak MB (sum of PSS over the process tree) of one cold run.

    Reading PSS walks the page tables of every process and slows forked workers down, so
    timed runs do not sample (sample=0) and one extra run per tool measures memory only.
    """
    clean()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        if sample:
            peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
        time.sleep(sample or 0.01)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{command[0]} failed:\n{err}")
    return seconds, peak / 1024


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path, help="a folder written by make_corpus.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="arshif,hugo,pelican")
    parser.add_argument("--executor", default="processes")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    work = corpus.parent / f"{corpus.name}-peers"
    tools: dict[str, tuple[list[str], Callable[[], None]]] = {}
    for name in args.tools.split(","):
        if name == "arshif":
            tools[name] = (
                arshif_command(corpus, args.executor),
                lambda: _rm(corpus / "site", corpus / ".arshif-cache"),
            )
        elif name == "hugo":
            tools[name] = (prepare_hugo(corpus, work), lambda: _rm(work / "hugo" / "public"))
        elif name == "pelican":
            tools[name] = (prepare_pelican(corpus, work), lambda: _rm(work / "pelican" / "output"))
    n = len(list((corpus / "content").glob("*.md")))
    results: dict[str, tuple[float, float]] = {}
    try:
        for name, (command, clean) in tools.items():
            runs = [measure(command, clean) for _ in range(args.runs)]
            memory = measure(command, clean, sample=0.25)[1]
            results[name] = (statistics.median(r[0] for r in runs), memory)
            print(
                f"{name:8} {n} articles: median {results[name][0]:.2f}s over {args.runs} runs "
                f"({', '.join(f'{r[0]:.2f}' for r in runs)}), peak {results[name][1]:.0f} MB",
                flush=True,
            )
    finally:
        for trash in _TRASH:
            shutil.rmtree(trash, ignore_errors=True)
    if "arshif" in results:
        for peer in ("hugo", "pelican"):
            if peer in results:
                print(f"ratio arshif/{peer}: {results['arshif'][0] / results[peer][0]:.2f}")


_TRASH: list[Path] = []  # where old outputs wait until the benchmark ends


def _rm(*paths: Path) -> None:
    """Move output folders out of the way before a cold run (deleted when all runs are done)."""
    for path in paths:
        if not path.exists():
            continue
        trash = Path(tempfile.mkdtemp(prefix=".peers-trash-", dir=path.parent))
        _TRASH.append(trash)
        os.replace(path, trash / path.name)


if __name__ == "__main__":
    main()
