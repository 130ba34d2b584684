"""Unicode slugs that keep Arabic letters, are safe in paths and URLs, and are never empty.

CONTRACT STUB: the signature below is the interface other modules use.
"""

from __future__ import annotations

import hashlib
import re

from generator.extract.arabic import normalise


def slugify(text: str, *, max_words: int = 8) -> str:
    """A path- and URL-safe slug; falls back to a short hash when nothing is left."""
    words = re.sub(r"[^\w\s-]", " ", normalise(text)).replace("_", " ").split()
    slug = "-".join(words[:max_words])
    return slug or "x-" + hashlib.sha256(text.encode()).hexdigest()[:8]
