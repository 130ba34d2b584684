"""The archive's indexes kept between builds, reused when no article and no grouping input changed.

Building the indexes reads every text of the archive (10 s at 10,000 articles), yet a build
after a template, theme or site-setting change starts from exactly the same articles. The
indexes depend only on the articles as they see them (`index_view`: without the fields
that are only shown, such as the summary), the grouping settings, the generator's code and
data, and the installed word list, so they are stored under a digest of all of those and
rebuilt the moment any of them differs. A damaged or foreign file is ignored, as every cache
here is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from generator.cache import code_digest, digest, read_pickle, write_pickle
from generator.content.model import Article, index_view
from generator.extract.arabic import lexicon_inputs
from generator.index.archive import Archive, build_archive
from generator.index.grouping import GroupingConfig
from generator.index.pool import POOL_THRESHOLD, Background, pool_size

# Everything an Archive holds besides the Article objects themselves (those come fresh
# from the files, which the key already names by digest).
_STORED = tuple(f.name for f in dataclasses.fields(Archive) if f.name != "articles")


def index_key(
    articles: Sequence[Article], digests: dict[str, str], grouping: GroupingConfig
) -> str:
    """A digest of everything the indexes are computed from (digests: of each index view)."""
    files = sorted((a.slug, a.path, digests.get(a.slug, "")) for a in articles)
    return digest(code_digest(), lexicon_inputs(), repr(grouping), repr(files))


def stored_archive(
    articles: Sequence[Article],
    digests: dict[str, str],
    grouping: GroupingConfig,
    path: Path | None,
) -> Archive:
    """build_archive, or the indexes the last build stored at path when their inputs match.

    `digests` are those of the articles' index views (`cache.index_digest`).
    """
    if path is None or any(a.slug not in digests for a in articles):
        return _restore(articles, built_apart(articles, grouping))
    key = index_key(articles, digests, grouping)
    kept = read_pickle(path)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key:
        return _restore(articles, kept[1])
    parts = built_apart(articles, grouping)
    write_pickle(path, (key, parts))
    return _restore(articles, parts)


def _parts(articles: Sequence[Article], grouping: GroupingConfig) -> dict[str, Any]:
    """The stored fields of an Archive freshly built from the articles' index views."""
    archive = build_archive([index_view(a) for a in articles], grouping)
    return {name: getattr(archive, name) for name in _STORED}


def built_apart(
    articles: Sequence[Article], grouping: GroupingConfig, threshold: int = POOL_THRESHOLD
) -> dict[str, Any]:
    """The indexes, built in a child process when the archive is big enough for a pool.

    Building them leaves this process hundreds of megabytes bigger than their result (the
    word tables, the lexicon, a fragmented heap) and every render worker forked afterwards
    would carry that. The child hands back only the indexes (4 MB pickled at 10,000
    articles) and takes the rest with it when it ends.
    """
    fork = pool_size(len(articles), threshold) > 1
    return Background(partial(_parts, articles, grouping), fork, daemon=False).result()


def _restore(articles: Sequence[Article], parts: dict[str, Any]) -> Archive:
    """An Archive from stored indexes and this build's Article objects."""
    by_slug = {a.slug: a for a in articles}
    order: tuple[str, ...] = parts["order"]
    return Archive(articles={slug: by_slug[slug] for slug in order}, **parts)
