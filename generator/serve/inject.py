"""What the dev server adds to served HTML: live-reload script, problems banner, error pages."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

from generator.serve.state import BuildFailure, BuildResult

EVENTS_PATH = "/__arshif/events"
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_SHOWN_SKIPS = 8
_CONTEXT_LINES = 3
_MAX_SOURCE_BYTES = 1_000_000

_BANNER_STYLE = (
    "position:fixed;inset-inline:0;bottom:0;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;"
    "padding:.6rem 1rem;background:#fff4e5;color:#5a3200;border-top:3px solid #e08a00;"
    "font:14px/1.5 system-ui,sans-serif;direction:ltr;text-align:left"
)


@cache
def _script_source() -> str:
    """The client script, read once."""
    return (Path(__file__).with_name("livereload.js")).read_text(encoding="utf-8")


def reload_script(result: BuildResult, server_id: str, page: str = "") -> str:
    """The <script> element that ties a served page (its site path) to the build it came from."""
    data = {**result.event(server_id), "events": EVENTS_PATH, "page": page}
    data.pop("paths", None)
    attr = html.escape(json.dumps(data), quote=True)
    return f'<script data-arshif-reload data-build="{attr}">\n{_script_source()}</script>\n'


def problems_banner(result: BuildResult) -> str:
    """A small fixed banner listing the files the last build skipped ('' when none)."""
    if not result.skipped:
        return ""
    shown = result.skipped[:_SHOWN_SKIPS]
    items = "".join(f"<li><code>{html.escape(s)}</code></li>" for s in shown)
    more = len(result.skipped) - _SHOWN_SKIPS
    tail = f"<li>… and {more} more (see the terminal)</li>" if more > 0 else ""
    count = len(result.skipped)
    head = f"arshif: the last build skipped {count} file{'s' if count != 1 else ''}"
    return (
        f'<aside data-arshif-problems role="status" style="{_BANNER_STYLE}">'
        f'<strong>{head}</strong><ul style="margin:.3rem 0;padding-inline-start:1.2rem">'
        f"{items}{tail}</ul></aside>\n"
    )


def inject(page: bytes, result: BuildResult, server_id: str, path: str = "") -> bytes:
    """The page with the banner and live-reload script added just before </body> (or at the end).

    `path` is the page's file in the site: open pages are re-rendered first after a change,
    and reload only when a build changed their file.
    """
    addition = (problems_banner(result) + reload_script(result, server_id, path)).encode("utf-8")
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + addition
    at = ends[-1].start()
    return page[:at] + addition + page[at:]


def _source_excerpt(failure: BuildFailure, root: Path) -> str:
    """The lines around the error in its file, the failing line marked ('' when unreadable)."""
    if failure.path is None or failure.line is None:
        return ""
    file = Path(failure.path)
    file = file if file.is_absolute() else root / file
    try:
        if not file.is_file() or file.stat().st_size > _MAX_SOURCE_BYTES:
            return ""
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    first = max(1, failure.line - _CONTEXT_LINES)
    last = min(len(lines), failure.line + _CONTEXT_LINES)
    rows = []
    for n in range(first, last + 1):
        mark = "&gt;" if n == failure.line else " "
        row = f"{mark} {n:>4} | {html.escape(lines[n - 1])}"
        rows.append(f"<mark>{row}</mark>" if n == failure.line else row)
    return '<pre class="source" dir="auto">' + "\n".join(rows) + "</pre>\n"


def error_page(result: BuildResult, root: Path, server_id: str) -> bytes:
    """A self-contained page showing why the build failed; it reloads itself once a build works."""
    failure = result.failure or BuildFailure("unknown error")
    where = html.escape(failure.where())
    detail = f"<pre>{html.escape(failure.detail)}</pre>\n" if failure.detail else ""
    body = (
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        "<title>Build error · arshif</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1d1d1f}"
        "h1{color:#b00020;font-size:1.4rem}pre{background:#f6f6f6;padding:1rem;overflow:auto}"
        "mark{background:#ffe0e0;display:inline-block;width:100%}.where{font-family:monospace;font-size:1.1rem}</style>\n"
        "</head>\n<body>\n<h1>Build error</h1>\n"
        + (f'<p class="where">{where}</p>\n' if where else "")
        + f'<p class="message" dir="auto">{html.escape(failure.message)}</p>\n'
        + _source_excerpt(failure, root)
        + detail
        + "<p>Fix the file and save it: this page reloads when the site builds again.</p>\n"
        "</body>\n</html>\n"
    )
    return inject(body.encode("utf-8"), result, server_id)
