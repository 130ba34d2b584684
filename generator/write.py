"""The only code that writes to site/: safe joins, one page per path, an atomic swap."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from generator.errors import ArshifError
from generator.render.pages import Output


def safe_join(root: Path, rel: str) -> Path:
    """root/rel, refusing absolute paths, '..' and anything else that would leave root."""
    parts = PurePosixPath(rel).parts
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or any(p in ("..", ".", "") for p in parts)
        or "\x00" in rel
    ):
        raise ArshifError(f"refusing to write outside the site: {rel!r}")
    return root.joinpath(*parts)


def check_unique(outputs: Iterable[Output]) -> None:
    """Fail when two outputs would be written to one path."""
    seen: set[str] = set()
    for out in outputs:
        key = out.path.casefold()  # case-insensitive file systems would merge these
        if key in seen:
            raise ArshifError(f"two pages would be written to {out.path!r}")
        seen.add(key)


def _copy_static(sources: list[Path], dest: Path) -> None:
    """Copy static folders in order; a later (the site's own) file overrides an earlier one."""
    for folder in sources:
        if folder.is_dir():
            shutil.copytree(folder, dest / "static", dirs_exist_ok=True)


def write_site(outputs: list[Output], static_dirs: list[Path], target: Path) -> None:
    """Write everything into a fresh folder beside target, then swap it into place."""
    check_unique(outputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _copy_static(static_dirs, staging)
        for out in outputs:
            path = safe_join(staging, out.path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(out.text, encoding="utf-8")
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    """Swap staging in with renames: readers see the old or the new site, never half of one."""
    os.chmod(staging, 0o755)
    if not target.exists():
        os.replace(staging, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
