"""The archive: every article by slug plus the indexes built from the whole set.

Indexes hold slugs, not Article objects, so they stay plain data (cheap to cache and
compare) and every page looks articles up in one place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from generator.content.model import Article
from generator.content.slugs import slugify
from generator.extract.arabic import match_key, normalise
from generator.extract.entities import entity_key
from generator.index.analysis import analyse
from generator.index.grouping import GroupingConfig
from generator.index.links import TitleIndex
from generator.index.related import related
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

    def ordered(self, slugs: Iterable[str]) -> list[Article]:
        """Articles for slugs, in the given order."""
        return [self.articles[s] for s in slugs]

    def term(self, kind: str, value: str) -> Term | None:
        """The tag, source or entity a display value belongs to."""
        terms: dict[str, Term] = getattr(self, kind)
        return terms.get(KEYS[kind](value))


def _unique(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … whichever is free; records it as taken."""
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def build_terms(order: list[Article], values: Grouper, key_of: KeyFunc) -> dict[str, Term]:
    """Group articles by the normalised key of each value; display the most frequent spelling."""
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for article in order:
        seen: set[str] = set()
        for value in values(article):
            key = key_of(value)
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


def build_archive(articles: list[Article], grouping: GroupingConfig | None = None) -> Archive:
    """Every index over the articles: each is built from posting lists, never pairwise."""
    cfg = grouping or GroupingConfig()
    order = sorted(articles, key=Article.sort_key)
    years, months, undated = _by_date(order)
    # Every text is read once, into ids, for tags, same-story groups and related stories.
    analysis = analyse(order, cfg)
    tags_of = {slug: tuple(names) for slug, names in assign_tags(order, cfg, analysis).items()}
    analysis.drop("title_surface_flat", "lead_surface_flat", "lead_keys_flat", "pair_df")
    copies = same_story(order, cfg, analysis)
    analysis.drop("shingle_flat", "title_keys_flat")
    exclude = {slug: set(others) for slug, others in copies.items()}
    linked = related(order, tags_of, cfg, exclude, analysis)
    del analysis
    return Archive(
        articles={a.slug: a for a in order},
        order=tuple(a.slug for a in order),
        tags=build_terms(order, lambda a: tags_of.get(a.slug, a.tags), KEYS["tags"]),
        sources=build_terms(order, lambda a: [a.source] if a.source else [], KEYS["sources"]),
        people=build_terms(order, lambda a: a.people, KEYS["people"]),
        places=build_terms(order, lambda a: a.places, KEYS["places"]),
        organisations=build_terms(order, lambda a: a.organisations, KEYS["organisations"]),
        years=years,
        months=months,
        undated=undated,
        tags_of=tags_of,
        related=linked,
        same_story=copies,
        links=_headline_links(order, cfg.link_min_overlap),
    )
