"""Rendering is pure: (archive, config) → Outputs (relative path, text). No file is written here."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jinja2
from jinja2.runtime import Macro

from generator import search
from generator.cache import plain_markdown
from generator.config import SiteConfig
from generator.content.model import Article
from generator.errors import SourceError
from generator.index.archive import Archive, Term
from generator.index.grouping import api_records
from generator.render.env import Formatter, environment, markdown

ENTITY_KINDS = {"people": "أشخاص", "places": "أماكن", "organisations": "منظمات"}


@dataclass(frozen=True)
class Output:
    """One file of the site: its path relative to the site root, and its text."""

    path: str
    text: str


@dataclass(frozen=True)
class Pager:
    """Where a page sits in a paginated list."""

    number: int
    total: int
    prev_url: str | None
    next_url: str | None
    page_urls: tuple[str, ...]


@dataclass(frozen=True)
class Partial:
    """A cached macro call: its markup, and what it asked the renderer while first rendered."""

    html: object
    deps: tuple[Any, ...]  # the recorded calls (parallel.Dep), added to every page reusing it
    cacheable: bool
    inputs: tuple[object, ...]  # the arguments, kept alive while their ids are in the key


PartialKey = tuple[object, ...]


def partial_key(
    macro: object, args: tuple[object, ...], kwargs: dict[str, object]
) -> PartialKey | None:
    """What identifies a macro call: its code and arguments (None when one cannot be a key).

    A Jinja macro is a new object on every page (imported with the page's context) but keeps
    its code. Articles are taken by identity: they are immutable and hashing one is costly.
    """
    func = macro._func if isinstance(macro, Macro) else macro
    try:
        return (
            getattr(func, "__code__", func),
            *map(_arg_key, args),
            *map(_arg_key, kwargs.items()),
        )
    except TypeError:  # an unhashable argument
        return None


def _arg_key(value: object) -> object:
    """An argument as part of a key: with its type, so 1, 1.0 and True stay apart."""
    if type(value) is Article:
        return (Article, id(value))
    if type(value) is tuple:
        return (tuple, *map(_arg_key, value))
    hash(value)
    return (type(value), value)


def _html_safe(json_text: str) -> str:
    """JSON text with '<', '>' and '&' escaped, so no text in it can close a tag or script."""
    return json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def article_path(slug: str) -> str:
    """The folder of an article page."""
    return f"articles/{slug}/"


def _page_dir(base: str, number: int) -> str:
    """Folder of page `number` of a list that starts at `base` ('' for the home page)."""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(
    base: str, slugs: tuple[str, ...], size: int
) -> Iterator[tuple[str, tuple[str, ...], Pager]]:
    """(folder, slugs on the page, pager) for each page of a list; one empty page when none."""
    total = max(1, -(-len(slugs) // size))
    urls = tuple(_page_dir(base, n) for n in range(1, total + 1))
    for n in range(1, total + 1):
        pager = Pager(
            n, total, urls[n - 2] if n > 1 else None, urls[n] if n < total else None, urls
        )
        yield urls[n - 1], slugs[(n - 1) * size : n * size], pager


class Renderer:
    """Renders every page of one archive with one Jinja environment."""

    def __init__(
        self, archive: Archive, config: SiteConfig, env: jinja2.Environment | None = None
    ) -> None:
        self.archive = archive
        self.config = config
        self.env = env if env is not None else environment(config)
        self.fmt = Formatter(config)
        self._partials: dict[PartialKey, Partial] = {}
        self._api_json: str | None = None
        self._co_occurring: dict[tuple[str, Term, int], list[tuple[str, Term]]] = {}

    def term(self, kind: str, value: str) -> Term | None:
        """The term a display value belongs to."""
        return self.archive.term(kind, value)

    def tag_has_page(self, term: Term) -> bool:
        """Tags carried by too few articles get no page (configurable)."""
        return term.count >= self.config.min_tag_articles

    def page_globals(self) -> dict[str, object]:
        """What every page sees besides its context (the build cache wraps these to record use)."""
        return {"r": self, "archive": self.archive, "cached": self.cached}

    def cached(self, macro: Callable[..., object], *args: object, **kwargs: object) -> object:
        """Template global: a macro's output for these arguments, rendered once per renderer.

        Like Hugo's partialCached: the macro must depend only on its arguments and site-wide
        globals (r, archive, url, site…), never on the page it is first called from.
        """
        key = partial_key(macro, args, kwargs)
        if key is None:
            return macro(*args, **kwargs)
        found = self._partials.get(key)
        if found is None:
            html = macro(*args, **kwargs)
            found = self._partials[key] = Partial(html, (), True, (args, kwargs))
        return found.html

    def _render(self, template: str, path: str, **context: object) -> Output:
        """One page from a template; `path` is the output file relative to the site root."""
        try:
            tpl: jinja2.Template = self.env.get_template(template)
            return Output(path, tpl.render(page_path=path, **self.page_globals(), **context))
        except jinja2.TemplateError as exc:
            raise template_error(exc, template) from exc

    def render_page(self, template: str, path: str, context: dict[str, object]) -> str:
        """The text of one planned page (the dev server's quick previews)."""
        return self._render(template, path, **context).text

    def _list_pages(
        self, template: str, base: str, slugs: tuple[str, ...], **context: object
    ) -> Iterator[Output]:
        """A paginated list of articles."""
        for folder, items, pager in paginate(base, slugs, self.config.page_size):
            yield self._render(
                template,
                folder + "index.html",
                items=self.archive.ordered(items),
                pager=pager,
                **context,
            )

    def body_html(self, article: Article) -> str:
        """The article's Markdown as HTML (raw HTML in the text is escaped, never passed on)."""
        fast = plain_markdown(article.body)  # the same bytes, far sooner, for plain prose
        html: str = markdown().render(article.body) if fast is None else fast
        return html

    def search_body(self, article: Article) -> str:
        """The body as HTML, plus hidden normalised forms for the search index when search is on."""
        html = self.body_html(article)
        return search.index_markup(html) if self.config.search else html

    def search_keys(self, text: str) -> str:
        """Hidden normalised forms of a title or summary, for the search index (escaped HTML)."""
        return search.text_keys(text) if self.config.search else ""

    def json_ld(self, data: object) -> str:
        """JSON for a <script> block: '<', '>' and '&' escaped so text cannot close the script."""
        return _html_safe(json.dumps(data, ensure_ascii=False))

    # The three lookups below are methods, not template reads of archive.related and the like,
    # because a page records each call with its answer: it then depends on its own list only,
    # not on the whole mapping (which changes somewhere whenever any article changes).

    def related(self, article: Article) -> list[Article]:
        """The stories related to an article, best first."""
        return self.archive.ordered(self.archive.related.get(article.slug, ()))

    def same_story(self, article: Article) -> list[Article]:
        """Other outlets' copies of the same story."""
        return self.archive.ordered(self.archive.same_story.get(article.slug, ()))

    def link(self, headline: str) -> str | None:
        """The slug of the article a read-also or related headline names, if any."""
        return self.archive.links.get(headline)

    def co_occurring(self, kind: str, term: Term, limit: int = 10) -> list[tuple[str, Term]]:
        """Entities most often named alongside this one, as (kind, term).

        Counted once per renderer: every page of a long entity list shows the same ones.
        """
        key = (kind, term, limit)
        if key not in self._co_occurring:
            self._co_occurring[key] = self._count_co_occurring(kind, term, limit)
        return list(self._co_occurring[key])

    def _count_co_occurring(self, kind: str, term: Term, limit: int) -> list[tuple[str, Term]]:
        """co_occurring, counted."""
        counts: Counter[tuple[str, str]] = Counter()
        for slug in term.articles:
            article = self.archive.articles[slug]
            for other_kind in ENTITY_KINDS:
                for value in getattr(article, other_kind):
                    found = self.term(other_kind, value)  # the build's renderer memoises terms
                    if found and (other_kind, found.key) != (kind, term.key):
                        counts[(other_kind, found.key)] += 1
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(k, getattr(self.archive, k)[key]) for (k, key), _ in top]

    def articles(self) -> Iterator[Output]:
        """One page per article."""
        for slug in self.archive.order:
            article = self.archive.articles[slug]
            tags = self.archive.tags_of.get(slug, article.tags)
            path = article_path(slug) + "index.html"
            yield self._render("article.html", path, article=article, tags=tags)

    def home(self) -> Iterator[Output]:
        """The home page, newest first, paginated."""
        yield from self._list_pages("list.html", "", self.archive.order, heading=None, feed=None)

    def tags(self) -> Iterator[Output]:
        """The tags index and a page (with a feed) per tag that has enough articles."""
        listed = [t for t in self.archive.tags.values() if self.tag_has_page(t)]
        listed.sort(key=lambda t: (-t.count, t.key))
        yield self._render(
            "terms.html", "tags/index.html", terms=listed, heading="الوسوم", kind="tags"
        )
        for term in listed:
            base = f"tags/{term.slug}/"
            yield from self._list_pages(
                "list.html",
                base,
                term.articles,
                heading=f"وسم: {term.name}",
                feed=base + "feed.xml",
            )
            yield self._feed(
                base + "feed.xml", f"{self.config.title}: {term.name}", term.articles, base
            )

    def sources(self) -> Iterator[Output]:
        """The sources index and a page per source."""
        listed = sorted(self.archive.sources.values(), key=lambda t: (-t.count, t.key))
        yield self._render(
            "terms.html", "sources/index.html", terms=listed, heading="المصادر", kind="sources"
        )
        for term in listed:
            yield from self._list_pages(
                "list.html",
                f"sources/{term.slug}/",
                term.articles,
                heading=f"المصدر: {term.name}",
                feed=None,
            )

    def entities(self) -> Iterator[Output]:
        """An index and a page per person, place and organisation."""
        for kind, label in ENTITY_KINDS.items():
            terms: dict[str, Term] = getattr(self.archive, kind)
            listed = sorted(terms.values(), key=lambda t: (-t.count, t.key))
            yield self._render(
                "terms.html", f"{kind}/index.html", terms=listed, heading=label, kind=kind
            )
            for term in listed:
                yield from self._list_pages(
                    "list.html",
                    f"{kind}/{term.slug}/",
                    term.articles,
                    heading=term.name,
                    feed=None,
                    entity=(kind, term),
                )

    def dates(self) -> Iterator[Output]:
        """The archive index, year and month pages, and the undated page."""
        yield self._render("archive.html", "archive/index.html")
        for year, slugs in self.archive.years.items():
            yield from self._list_pages(
                "list.html",
                f"archive/{year}/",
                slugs,
                heading=self.fmt.digits(year),
                feed=None,
            )
        for (year, month), slugs in self.archive.months.items():
            heading = self.fmt.month(year, month)
            yield from self._list_pages(
                "list.html", f"archive/{year}/{month:02d}/", slugs, heading=heading, feed=None
            )
        yield from self._list_pages(
            "list.html", "archive/undated/", self.archive.undated, heading="بدون تاريخ", feed=None
        )

    def _feed(self, path: str, title: str, slugs: tuple[str, ...], page: str) -> Output:
        """An Atom feed of the newest articles in a list."""
        items = self.archive.ordered(slugs[: self.config.feed_size])
        dated = [a.date for a in items if a.date]
        updated = max(
            (d if d.tzinfo else d.replace(tzinfo=UTC) for d in dated),
            default=datetime(2000, 1, 1, tzinfo=UTC),
        )
        return self._render(
            "feed.xml", path, items=items, feed_title=title, feed_page=page, updated=updated
        )

    def api_records(self) -> list[dict[str, object]]:
        """The archive's articles and their groupings, for site/api/articles.json."""
        a = self.archive
        return api_records(
            a.ordered(a.order),
            a.tags_of,
            a.related,
            a.same_story,
            lambda slug: self.fmt.url(article_path(slug)),
        )

    def api_json(self) -> str:
        """The text of site/api/articles.json: one record per line (made once per renderer).

        '<', '>', '&' and "'" are escaped as Jinja's tojson escapes them, so the text is safe
        inside HTML too; the file stays UTF-8 JSON with the same records.
        """
        if self._api_json is None:
            encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # one for all
            lines = [encode(r) for r in self.api_records()]
            text = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
            self._api_json = _html_safe(text).replace("'", "\\u0027")
        return self._api_json

    def api_index(self) -> Output:
        """site/api/articles.json, a machine-readable index of the archive for other tools."""
        return self._render("articles.json", "api/articles.json")

    def site_files(self) -> Iterator[Output]:
        """Site feed, sitemap, robots.txt and the 404 page."""
        yield self._feed("feed.xml", self.config.title, self.archive.order, "")
        yield self._render("404.html", "404.html")
        yield self._render("robots.txt", "robots.txt")
        yield self.api_index()
        # Search (issue 7): the Pagefind page, and a Google News sitemap of the newest articles.
        if self.config.search:
            yield self._render("search.html", "search/index.html", fold=search.query_fold_table())
        dated = [a for a in self.archive.ordered(self.archive.order) if a.date]
        yield self._render(
            "news-sitemap.xml", "news-sitemap.xml", items=dated[: self.config.news_sitemap_size]
        )

    def all(self) -> list[Output]:
        """Every page of the site; the sitemap lists the HTML pages among them."""
        outputs: list[Output] = []
        for part in (
            self.articles,
            self.home,
            self.tags,
            self.sources,
            self.entities,
            self.dates,
            self.site_files,
        ):
            outputs.extend(part())
        pages = sorted(o.path for o in outputs if o.path.endswith("index.html"))
        outputs.append(
            self._render(
                "sitemap.xml", "sitemap.xml", pages=[p.removesuffix("index.html") for p in pages]
            )
        )
        return outputs


def template_error(exc: jinja2.TemplateError, template: str) -> SourceError:
    """A template problem located at the template file and line where it happened."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return SourceError(
            exc.filename or exc.name or template,
            f"template syntax error: {exc.message}",
            exc.lineno,
        )
    tb = exc.__traceback__
    where: tuple[str, int] | None = None
    while tb is not None:  # Jinja rewrites frames so template code shows its own file and line
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            where = (name, tb.tb_lineno)
        tb = tb.tb_next
    path, line = where if where else (template, None)
    return SourceError(path, f"template error: {exc.message or exc}", line)
