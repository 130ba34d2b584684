"""Data derived from installed packages, computed once per machine and kept in the user's cache.

Some tables (the Arabic word lexicon folded from wordfreq's lists) take a second or more to
derive and hundreds of MB while doing it, but depend only on installed data. They are kept
as pickles under $ARSHIF_CACHE_DIR, else $XDG_CACHE_HOME/arshif, else ~/.cache/arshif, named
by a digest of everything they are derived from. Like a site's own cache, a damaged or
unwritable one only costs time: the table is then derived again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_root() -> Path:
    """Where per-user derived data lives."""
    explicit = os.environ.get("ARSHIF_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "arshif"


def derived(name: str, inputs: str, make: Callable[[], T]) -> T:
    """make(), or its result from an earlier run with the same name and inputs."""
    tag = hashlib.blake2b(inputs.encode("utf-8"), digest_size=8).hexdigest()
    path = cache_root() / f"{name}-{tag}.pickle"
    try:
        with path.open("rb") as fh:
            value: T = pickle.load(fh)
        return value
    except Exception:  # absent or damaged: derive it again
        pass
    value = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home: derive it next time too
        pass
    return value
