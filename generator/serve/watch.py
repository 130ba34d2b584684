"""Watching the site's inputs: a debounced queue of changed paths fed by watchdog."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from generator.config import SiteConfig
from generator.serve.plan import classify

Clock = Callable[[], float]


class ChangeQueue:
    """Collects changed paths; hands them out together once no change came for `delay` seconds.

    Readiness is judged by the injected clock, so tests drive it without sleeping; `max_wait`
    keeps a never-quiet folder (a running import) from postponing the rebuild for ever.
    """

    def __init__(
        self, delay: float = 0.15, clock: Clock = time.monotonic, max_wait: float = 2.0
    ) -> None:
        self.delay, self.clock, self.max_wait = delay, clock, max_wait
        self._pending: set[Path] = set()
        self._first = self._last = 0.0
        self._closed = False
        self._cond = threading.Condition()

    def put(self, path: Path) -> None:
        """Record one changed path (called from the watcher's thread)."""
        with self._cond:
            now = self.clock()
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
            self._cond.notify_all()

    def _due_in(self) -> float | None:
        """Seconds until the pending batch is due (0 when due); None when nothing is pending."""
        if not self._pending:
            return None
        now = self.clock()
        return max(0.0, min(self._last + self.delay - now, self._first + self.max_wait - now))

    def take_ready(self) -> frozenset[Path] | None:
        """The pending batch if it is due, emptying the queue; else None."""
        with self._cond:
            if self._due_in() != 0.0:
                return None
            batch = frozenset(self._pending)
            self._pending.clear()
            return batch

    def wait(self, timeout: float) -> frozenset[Path] | None:
        """Block until a batch is due (then return it), the queue closes, or timeout passes."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._closed:
                batch = self.take_ready()
                if batch is not None:
                    return batch
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                due = self._due_in()
                self._cond.wait(left if due is None else min(left, max(due, 0.005)))
        return None

    def close(self) -> None:
        """Wake every waiter for good."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class OwnWrites:
    """Files the build itself wrote (seeds/ imported into content/): they trigger no rebuild."""

    def __init__(self) -> None:
        self._stats: dict[Path, tuple[int, int]] = {}

    @staticmethod
    def _stat(path: Path) -> tuple[int, int] | None:
        """(mtime_ns, size) of a file, None when it is gone."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def record(self, paths: Iterable[Path]) -> None:
        """Remember how these files looked right after the build wrote them."""
        for path in paths:
            stat = self._stat(path)
            if stat is not None:
                self._stats[path] = stat

    def drop_own(self, changed: Iterable[Path]) -> frozenset[Path]:
        """The changed paths minus those still exactly as the build left them."""
        kept = set()
        for path in changed:
            recorded = self._stats.get(path)
            if recorded is None or self._stat(path) != recorded:
                self._stats.pop(path, None)
                kept.add(path)
        return frozenset(kept)


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into paths on the queue, dropping those that cannot matter."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        """Queue the event's path (and its destination, for moves)."""
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads
        if event.is_directory and event.event_type == "modified":
            return  # a folder's own mtime, changing when a file inside changes
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.watcher.offer(Path(os.fsdecode(raw)))


class Watcher:
    """A watchdog observer on the site's input folders and its arshif.yml."""

    def __init__(self, config: SiteConfig, queue: ChangeQueue) -> None:
        self.config, self.queue = config, queue
        self.observer: BaseObserver = Observer()
        self.observer.daemon = True
        self._watches: dict[Path, ObservedWatch] = {}
        self._handler = _Handler(self)

    def offer(self, path: Path) -> None:
        """Queue a path if it is an input of the site."""
        if classify(path, self.config) is not None:
            self.queue.put(path)

    def folders(self) -> dict[Path, bool]:
        """Folders to watch, each with whether to watch it recursively."""
        wanted = {self.config.root: False}  # arshif.yml, and input folders that appear later
        for name in ("seeds", "content"):
            wanted[self.config.path(name)] = True
        for name in ("templates", "static"):
            wanted[self.config.root / name] = True
        return {p: rec for p, rec in wanted.items() if p.is_dir()}

    def refresh(self, config: SiteConfig | None = None) -> None:
        """Watch folders that now exist (or that a new config names); forget vanished ones."""
        if config is not None:
            self.config = config
        wanted = self.folders()
        for path in [p for p in self._watches if p not in wanted]:
            with contextlib.suppress(KeyError, OSError):  # already gone with its folder
                self.observer.unschedule(self._watches.pop(path))
        for path, recursive in wanted.items():
            if path not in self._watches:
                with contextlib.suppress(OSError):  # vanished since folders() looked
                    watch = self.observer.schedule(self._handler, str(path), recursive=recursive)
                    self._watches[path] = watch

    def start(self) -> None:
        """Start watching."""
        self.refresh()
        self.observer.start()

    def stop(self) -> None:
        """Stop the observer thread and wait for it."""
        self.observer.stop()
        if self.observer.is_alive():
            self.observer.join(timeout=5)
