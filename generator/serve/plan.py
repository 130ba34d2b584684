"""The change planner: which kinds of input changed, and what a rebuild must therefore do.

Pure functions of (paths, config): no I/O, so they are tested without a file system and an
incremental build can later follow `Plan.steps` instead of calling the whole `build()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePath

from generator.config import CONFIG_NAME, SiteConfig


class Kind(StrEnum):
    """What a changed path is, as far as a rebuild is concerned."""

    CONFIG = "config"
    SEEDS = "seeds"
    CONTENT = "content"
    TEMPLATES = "templates"
    STATIC = "static"


class Step(StrEnum):
    """One stage of a rebuild, in pipeline order."""

    RELOAD_CONFIG = "reload-config"
    IMPORT = "import"
    LOAD = "load"
    INDEX = "index"
    RENDER = "render"
    COPY_STATIC = "copy-static"


# What each kind of change needs; a config change needs everything (its settings reach every stage).
_NEEDS: dict[Kind, tuple[Step, ...]] = {
    Kind.CONFIG: tuple(Step),
    Kind.SEEDS: (Step.IMPORT, Step.LOAD, Step.INDEX, Step.RENDER),
    Kind.CONTENT: (Step.LOAD, Step.INDEX, Step.RENDER),
    Kind.TEMPLATES: (Step.RENDER,),
    Kind.STATIC: (Step.COPY_STATIC,),
}

# Editors and our own writers leave these beside real files; they never change the site.
_TEMP_SUFFIXES = (".tmp", ".swp", ".swx", ".swo", "~", ".part", ".crdownload", ".kate-swp")
_TEMP_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db", "__pycache__"})


@dataclass(frozen=True)
class Plan:
    """What a set of changes requires: the changed paths by kind, and the steps to run."""

    changes: dict[Kind, frozenset[Path]]
    steps: tuple[Step, ...]

    @property
    def empty(self) -> bool:
        """Nothing that affects the site changed."""
        return not self.steps

    @property
    def full(self) -> bool:
        """Everything must be redone (the config changed)."""
        return Kind.CONFIG in self.changes

    @property
    def reload(self) -> str:
        """How open pages should refresh: 'none', 'css' (swap stylesheets) or 'page'."""
        if self.empty:
            return "none"
        static = self.changes.get(Kind.STATIC, frozenset())
        if set(self.changes) == {Kind.STATIC} and all(p.suffix == ".css" for p in static):
            return "css"
        return "page"

    def paths(self, kind: Kind) -> frozenset[Path]:
        """The changed paths of one kind (empty when none)."""
        return self.changes.get(kind, frozenset())

    def describe(self) -> str:
        """One line for the terminal: 'content (2), templates (1) → load, index, render'."""
        kinds = ", ".join(f"{k.value} ({len(v)})" for k, v in self.changes.items())
        return f"{kinds} → {', '.join(s.value for s in self.steps)}" if self.steps else "no change"


def is_temporary(path: PurePath) -> bool:
    """A hidden, temporary or editor-backup file (`.x.md.tmp`, `.site.new-*`, `.site.old-*`)."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(_TEMP_SUFFIXES) or name in _TEMP_NAMES


def _watched(config: SiteConfig) -> list[tuple[Path, Kind]]:
    """Each watched folder with the kind of change it holds."""
    return [
        (config.path("seeds"), Kind.SEEDS),
        (config.path("content"), Kind.CONTENT),
        (config.root / "templates", Kind.TEMPLATES),
        (config.root / "static", Kind.STATIC),
    ]


def classify(path: Path, config: SiteConfig) -> Kind | None:
    """The kind of a changed path, or None when it cannot affect the site."""
    if not path.is_absolute():
        path = config.root / path
    output = config.path("output")
    if path == output or path.is_relative_to(output):
        return None
    if path == config.root / CONFIG_NAME:
        return Kind.CONFIG
    for folder, kind in _watched(config):
        if path == folder:
            return kind  # the folder itself appeared, vanished or moved
        if path.is_relative_to(folder):
            parts = path.relative_to(folder).parts
            return None if any(is_temporary(PurePath(p)) for p in parts) else kind
    return None


def plan_changes(paths: Iterable[Path], config: SiteConfig) -> Plan:
    """Classify changed paths and list, in pipeline order, the steps a rebuild needs."""
    changes: dict[Kind, set[Path]] = {}
    for path in paths:
        kind = classify(path, config)
        if kind is not None:
            changes.setdefault(kind, set()).add(path)
    needed = {step for kind in changes for step in _NEEDS[kind]}
    ordered = {k: frozenset(changes[k]) for k in Kind if k in changes}
    return Plan(ordered, tuple(s for s in Step if s in needed))


def full_plan(config: SiteConfig) -> Plan:
    """The plan of a first build: as if the config had changed."""
    return plan_changes([config.root / CONFIG_NAME], config)
