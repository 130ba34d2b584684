"""Site configuration from `arshif.yml`: every key optional, every mistake named."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator.errors import SourceError
from generator.index.grouping import GroupingConfig

CONFIG_NAME = "arshif.yml"

_CHOICES: dict[str, tuple[str, ...]] = {
    "direction": ("rtl", "ltr"),
    "calendar": ("gregorian", "hijri", "both"),
    "digits": ("western", "arabic-indic"),
}


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings of one archive site; `root` is the folder holding it."""

    root: Path = field(default_factory=Path.cwd)
    title: str = "أرشيف الأخبار"
    description: str = "أرشيف أخبار عربية"
    base_url: str = "/"
    language: str = "ar"
    direction: str = "rtl"
    page_size: int = 20
    calendar: str = "gregorian"
    digits: str = "western"
    seeds_dir: str = "seeds"
    content_dir: str = "content"
    output_dir: str = "site"
    feed_size: int = 20
    min_tag_articles: int = 2
    # Search and hosting (issue 7): a Pagefind index on by default; where `arshif deploy` publishes.
    search: bool = True
    cname: str | None = None
    deploy_branch: str = "gh-pages"
    deploy_remote: str = "origin"
    news_sitemap_size: int = 1000
    grouping: GroupingConfig = field(default_factory=GroupingConfig)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def site_origin(self) -> str:
        """Scheme and host of base_url ('' when base_url is a bare path)."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""

    def path(self, name: str) -> Path:
        """Absolute path of one of the site's folders (seeds, content, output)."""
        return self.root / str(getattr(self, f"{name}_dir"))


def _fields() -> dict[str, dataclasses.Field[Any]]:
    """Config fields a user may set (all but root)."""
    return {f.name: f for f in dataclasses.fields(SiteConfig) if f.name != "root"}


def _check(path: str, key: str, value: Any, line: int | None) -> Any:
    """Validate one value against its field's type and allowed choices."""
    default = getattr(SiteConfig(), key)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SourceError(
                path, f"{key}: {value!r} is not allowed; expected true or false", line
            )
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SourceError(
                path, f"{key}: {value!r} is not allowed; expected a positive whole number", line
            )
        return value
    if not isinstance(value, str) or not value.strip():
        raise SourceError(path, f"{key}: {value!r} is not allowed; expected non-empty text", line)
    if key in _CHOICES and value not in _CHOICES[key]:
        allowed = ", ".join(_CHOICES[key])
        raise SourceError(path, f"{key}: {value!r} is not allowed; expected one of {allowed}", line)
    return value


def _key_lines(text: str) -> dict[str, int]:
    """Line number of each top-level key, so errors can point at it."""
    lines: dict[str, int] = {}
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 1
    return lines


def load_config(root: Path) -> SiteConfig:
    """Read `arshif.yml` in root if present; defaults for everything it leaves out."""
    root = root.resolve()
    file = root / CONFIG_NAME
    if not file.exists():
        return SiteConfig(root=root)
    text = file.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        key_lines = _key_lines(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise SourceError(str(file), f"invalid YAML: {exc.problem}", line, col) from exc
    if data is None:
        return SiteConfig(root=root)
    if not isinstance(data, dict):
        raise SourceError(str(file), "expected a mapping of settings at the top level", 1)
    known = _fields()
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = key_lines.get(str(key))
        if key not in known:
            allowed = ", ".join(sorted(known))
            raise SourceError(
                str(file), f"unknown setting {key!r}; allowed settings: {allowed}", line
            )
        if key == "grouping":
            values[key] = _grouping(str(file), value or {}, line)
            continue
        values[key] = _check(str(file), key, value, line)
    return SiteConfig(root=root, **values)


def _grouping(path: str, value: Any, line: int | None) -> GroupingConfig:
    """The nested `grouping:` settings (tags, related stories, same-story detection)."""
    try:
        return GroupingConfig.from_mapping(value)
    except ValueError as exc:
        raise SourceError(path, str(exc), line) from exc
