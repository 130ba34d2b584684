"""The only code that writes to site/: safe joins, one page per path, an atomic swap."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path, PurePosixPath

from generator.errors import ArshifError
from generator.render.pages import Output

# Held while the finished site is swapped or patched in: the dev server passes one that makes
# requests wait (and that may refuse, raising, when a newer change has made this build stale).
Gate = Callable[[], AbstractContextManager[object]]


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


class Staging:
    """A fresh folder beside the site that replaces it only once every file is in place.

    Used as a context manager: leaving normally swaps it in, an exception removes it and
    leaves the old site untouched. Unchanged pages are hard-linked from the old site.
    """

    def __init__(self, target: Path, static_dirs: list[Path], gate: Gate = nullcontext) -> None:
        self.target = target
        self.static_dirs = static_dirs
        self.gate = gate
        self.root = target
        self._dirs: set[Path] = set()
        self.changed: list[str] | None = None  # pages whose bytes changed, when known

    def __enter__(self) -> Staging:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(
            tempfile.mkdtemp(prefix=f".{self.target.name}.new-", dir=self.target.parent)
        )
        _copy_static(self.static_dirs, self.root)
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            try:
                with self.gate():
                    _swap(self.root, self.target)
                return
            except BaseException:
                shutil.rmtree(self.root, ignore_errors=True)
                raise
        shutil.rmtree(self.root, ignore_errors=True)

    def compare(self, rendered: list[str], removed: list[str], limit: int = 1000) -> None:
        """Note which rendered pages differ from the current site (skipped for big rebuilds)."""
        if len(rendered) > limit:
            return
        changed = [
            rel for rel in rendered if not _same_bytes(self.root / rel, safe_join(self.target, rel))
        ]
        self.changed = changed + removed

    def _parent(self, rel: str) -> Path:
        """The staged path for rel, with its folder created (once per process)."""
        path = safe_join(self.root, rel)
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        return path

    def write(self, rel: str, text: str) -> tuple[int, int]:
        """Write one page as UTF-8; returns the file's size and mtime for the manifest."""
        path = self._parent(rel)
        with open(path, "wb", buffering=0) as fh:
            fh.write(text.encode("utf-8"))
            st = os.fstat(fh.fileno())
        return st.st_size, st.st_mtime_ns

    def reuse(self, rel: str, size: int, mtime_ns: int) -> bool:
        """Hard-link an unchanged page from the current site, if it is still as we wrote it."""
        old = safe_join(self.target, rel)
        try:
            st = old.stat()
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                return False
            os.link(old, self._parent(rel))
        except OSError:
            return False
        return True


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two files exist and hold the same bytes."""
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _swap(staging: Path, target: Path) -> None:
    """Replace target by staging with renames: readers see the old or the new site, never half."""
    os.chmod(staging, 0o755)
    if not target.exists():
        os.replace(staging, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.replace(target, old / target.name)
    os.replace(staging, target)
    # Deleting thousands of files is slow on some file systems and nobody waits for it.
    threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}).start()


class Patch(Staging):
    """Changes to an existing site: rendered into a temporary folder, applied only at the end.

    For small rebuilds, where linking thousands of unchanged pages into a fresh folder would
    cost more than the rendering. Nothing in the site changes until every page is rendered;
    then changed pages are moved in, and files the new site no longer has are removed.
    Pages may be written by worker processes, so what to move in is found on disk.
    """

    def __init__(
        self, target: Path, static_dirs: list[Path], expected: set[str], gate: Gate = nullcontext
    ) -> None:
        super().__init__(target, static_dirs, gate)
        self.expected = expected  # every page path of the new site (static/ is added here)

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        try:
            if kind is None:
                with self.gate():
                    self._apply()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def write(self, rel: str, text: str) -> tuple[int, int]:
        """Stage one page (moved in once everything is rendered) unless the site has its bytes.

        A page rendered again with the same bytes keeps its file, so the dev server knows
        which open pages really changed and reloads only those.
        """
        data = text.encode("utf-8")
        old = safe_join(self.target, rel)
        try:
            st = old.stat()
            if st.st_size == len(data) and old.read_bytes() == data:
                return st.st_size, st.st_mtime_ns
        except OSError:
            pass
        return super().write(rel, text)

    def reuse(self, rel: str, size: int, mtime_ns: int) -> bool:
        """An unchanged page simply stays where it is."""
        return True

    def compare(self, rendered: list[str], removed: list[str], limit: int = 1000) -> None:
        """Changed pages are known once the patch is applied."""

    def _staged(self) -> list[str]:
        """Pages in the temporary folder, and static files that differ from the site's."""
        staged: list[str] = []
        for folder, _, files in os.walk(self.root):
            for name in files:
                path = Path(folder, name)
                rel = path.relative_to(self.root).as_posix()
                if rel.startswith("static/"):
                    old = self.target / rel
                    if old.is_file() and old.read_bytes() == path.read_bytes():
                        continue
                staged.append(rel)
        return sorted(staged)

    def _apply(self) -> None:
        """Move staged pages and changed static files in; remove what the site no longer has."""
        static = self.root / "static"
        wanted = set(self.expected)
        wanted.update(p.relative_to(self.root).as_posix() for p in static.rglob("*") if p.is_file())
        self.changed = self._staged()
        for rel in self.changed:
            dest = safe_join(self.target, rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / rel, dest)
        self.changed += _remove_unwanted(self.target, wanted)


def _remove_unwanted(site: Path, wanted: set[str]) -> list[str]:
    """Delete files (and then empty folders) of site that are not in wanted; returns them.

    A folder is known to be empty once all its files and subfolders went, without listing
    it again (at 10,000 articles the site has 20,000 folders).
    """
    removed: list[str] = []
    gone: set[str] = set()  # folders removed so far
    root = str(site)
    for folder, dirs, files in os.walk(root, topdown=False):
        prefix = folder[len(root) + 1 :] + "/" if folder != root else ""
        kept = False
        for name in files:
            rel = prefix + name
            if rel in wanted:
                kept = True
            else:
                os.unlink(os.path.join(folder, name))
                removed.append(rel)
        empty = not kept and all(os.path.join(folder, d) in gone for d in dirs)
        if folder != root and empty:
            os.rmdir(folder)
            gone.add(folder)
    return removed


def replace_file(site: Path, rel: str, text: str) -> bool:
    """Atomically replace one page of an existing site; False when it already had these bytes."""
    path = safe_join(site, rel)
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True
