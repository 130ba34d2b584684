"""The outlet: an Arabic display name from the record's id, the URL's domain, or the text.

CONTRACT STUB: the signatures below are the interface other modules use.
"""

from __future__ import annotations


def source_name(source_id: str | None, url: str | None, text: str) -> str | None:
    """Arabic display name of the outlet, or None when nothing names it."""
    return source_id or None
