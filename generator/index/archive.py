"""The archive: every article by slug plus the indexes built from the whole set.

Indexes hold slugs, not Article objects, so they stay plain data (cheap to cache and
compare) and every page looks articles up in one place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.content.model import Article
from generator.content.slugs import slugify
from generator.extract.arabic import match_key, normalise
from generator.extract.entities import entity_key
from generator.index.analysis import Analysis, analyse, count_phrases
from generator.index.grouping import GroupingConfig
from generator.index.links import TitleIndex
from generator.index.pool import POOL_THRESHOLD, Background, pool_size
from generator.index.related import rank_related, related_index
from generator.index.samestory import same_story
from generator.index.tags import assign_tags

Grouper = Callable[[Article], Iterable[str]]
KeyFunc = Callable[[str], str]

# How each kind of term folds spellings together: tags drop clitics (الاقتصاد = اقتصاد),
# entities also honour the alias file (قرة باغ = قره باغ), sources only normalise.
KEYS: dict[str, KeyFunc] = {
    "tags": match_key,
    "sources": normalise,
    "people": entity_key,
    "places": entity_key,
    "organisations": entity_key,
}


@dataclass(frozen=True)
class Term:
    """A tag, source or entity: one matching key, one display name, its page slug, its articles."""

    key: str
    name: str
    slug: str
    articles: tuple[str, ...]  # slugs, newest first

    @property
    def count(self) -> int:
        """How many articles carry it."""
        return len(self.articles)


@dataclass(frozen=True)
class Archive:
    """All articles (newest first) and the indexes over them."""

    articles: dict[str, Article]
    order: tuple[str, ...]
    tags: dict[str, Term] = field(default_factory=dict)
    sources: dict[str, Term] = field(default_factory=dict)
    people: dict[str, Term] = field(default_factory=dict)
    places: dict[str, Term] = field(default_factory=dict)
    organisations: dict[str, Term] = field(default_factory=dict)
    years: dict[int, tuple[str, ...]] = field(default_factory=dict)
    months: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    undated: tuple[str, ...] = ()
    tags_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> tag names
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> slugs, best first
    same_story: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slug -> other copies
    links: dict[str, str] = field(default_factory=dict)  # read-also/related headline -> slug
    # kind -> every spelling the articles use -> its term's key: pages look terms up by the
    # names they show, and folding a name again would load the clitic lexicon (40 MB) into
    # every render worker.
    spellings: dict[str, dict[str, str]] = field(default_factory=dict)

    def ordered(self, slugs: Iterable[str]) -> list[Article]:
        """Articles for slugs, in the given order."""
        return [self.articles[s] for s in slugs]

    def term(self, kind: str, value: str) -> Term | None:
        """The tag, source or entity a display value belongs to."""
        terms: dict[str, Term] = getattr(self, kind)
        key = self.spellings.get(kind, {}).get(value)
        return terms.get(KEYS[kind](value) if key is None else key)


def _unique(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is free; records it as taken."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def build_terms(
    order: list[Article], values: Grouper, key_of: KeyFunc, spelled: dict[str, str] | None = None
) -> dict[str, Term]:
    """Group articles by the normalised key of each value; display the most frequent spelling.

    Each value's key is also noted in `spelled`, when given.
    """
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    known: dict[str, str] = {} if spelled is None else spelled
    for article in order:
        seen: set[str] = set()
        for value in values(article):
            key = known.get(value)
            if key is None:
                key = known[value] = key_of(value)
            if not key or key in seen:
                continue
            seen.add(key)
            members[key].append(article.slug)
            spellings[key][value] += 1
    taken: set[str] = set()
    terms: dict[str, Term] = {}
    # Most common terms claim the plain slug first, so collisions are resolved deterministically.
    for key in sorted(members, key=lambda k: (-len(members[k]), k)):
        name = min(spellings[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        terms[key] = Term(key, name, _unique(slugify(name), taken), tuple(members[key]))
    return terms


def _by_date(
    order: list[Article],
) -> tuple[dict[int, tuple[str, ...]], dict[tuple[int, int], tuple[str, ...]], tuple[str, ...]]:
    """Year and month archives, plus the undated articles."""
    years: dict[int, list[str]] = defaultdict(list)
    months: dict[tuple[int, int], list[str]] = defaultdict(list)
    undated: list[str] = []
    for article in order:
        if article.date is None:
            undated.append(article.slug)
            continue
        years[article.date.year].append(article.slug)
        months[(article.date.year, article.date.month)].append(article.slug)
    return (
        {y: tuple(s) for y, s in sorted(years.items(), reverse=True)},
        {m: tuple(s) for m, s in sorted(months.items(), reverse=True)},
        tuple(undated),
    )


def _headline_links(order: list[Article], min_overlap: float) -> dict[str, str]:
    """Each read-also and related headline that names an archive article, mapped to its slug."""
    index = TitleIndex(order, min_overlap)
    links: dict[str, str] = {}
    for article in order:
        for headline in (*article.read_also, *article.related_headlines):
            if headline not in links:
                found = index.find(headline)
                if found is not None and found != article.slug:
                    links[headline] = found
    return links


def _plain_indexes(order: list[Article], cfg: GroupingConfig) -> dict[str, Any]:
    """The indexes that need no text analysis: dates, sources, entities and headline links."""
    years, months, undated = _by_date(order)
    out: dict[str, Any] = {"years": years, "months": months, "undated": undated}
    values: dict[str, Grouper] = {
        "sources": lambda a: [a.source] if a.source else [],
        "people": lambda a: a.people,
        "places": lambda a: a.places,
        "organisations": lambda a: a.organisations,
    }
    out["spellings"] = {}
    for kind, grouper in values.items():
        spelled: dict[str, str] = {}
        out[kind] = build_terms(order, grouper, KEYS[kind], spelled)
        out["spellings"][kind] = spelled
    out["links"] = _headline_links(order, cfg.link_min_overlap)
    return out


def _apart(order: list[Article], cfg: GroupingConfig, analysis: Analysis) -> dict[str, Any]:
    """Same-story groups and the indexes that read no text (made in another process)."""
    return {"same_story": same_story(order, cfg, analysis), **_plain_indexes(order, cfg)}


def build_archive(
    articles: list[Article],
    grouping: GroupingConfig | None = None,
    *,
    workers: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
) -> Archive:
    """Every index over the articles: each is built from posting lists, never pairwise.

    From `pool_threshold` articles on, the work is spread over `workers` forked processes
    (all cores by default); the archive is the same either way.
    """
    cfg = grouping or GroupingConfig()
    order = sorted(articles, key=Article.sort_key)
    procs = pool_size(len(order), pool_threshold, workers)
    fork = procs > 1
    # Every text is read once, into ids, for tags, same-story groups and related stories.
    analysis = analyse(order, cfg, procs, phrases=False)
    # Same-story groups need no phrase counts, and the indexes that read no text need no
    # analysis: another process makes them meanwhile (when serial: once asked for). It is
    # waited for before this process lets go of the arrays it shares with it, which it
    # would otherwise keep alive.
    apart = Background(partial(_apart, order, cfg, analysis), fork)
    count_phrases(analysis, cfg)
    # Tags are picked here, not on a pool, while the other process works: with both cores
    # busy a pool only adds its forks and copies (measured at 10,000 articles: 2.2 s → 1.6 s,
    # and two workers' 150 MB less at the build's peak).
    tags = assign_tags(order, cfg, analysis, 1 if fork else procs)
    tags_of = {slug: tuple(names) for slug, names in tags.items()}
    analysis.drop("title_surface_flat", "lead_surface_flat", "lead_keys_flat", "pair_df")
    done = apart.result()
    copies: dict[str, tuple[str, ...]] = done.pop("same_story")
    analysis.drop("shingle_flat", "title_keys_flat")
    index = related_index(order, tags_of, cfg, analysis)
    del analysis
    exclude = {slug: set(others) for slug, others in copies.items()}

    def tag_terms() -> None:
        """The tags' terms (made here while the workers rank)."""
        spelled: dict[str, str] = {}
        done["tags"] = build_terms(
            order, lambda a: tags_of.get(a.slug, a.tags), KEYS["tags"], spelled
        )
        done["spellings"]["tags"] = spelled

    linked = rank_related(index, cfg, exclude, procs, meanwhile=tag_terms)
    del index
    return Archive(
        articles={a.slug: a for a in order},
        order=tuple(a.slug for a in order),
        tags_of=tags_of,
        related=linked,
        same_story=copies,
        **done,
    )
