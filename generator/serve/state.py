"""The server's build state: an epoch per finished build; a gate so no request sees half a build."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from generator.errors import ArshifError, SourceError


@dataclass(frozen=True)
class BuildFailure:
    """Why the last build failed, located when the error knows its file."""

    message: str
    path: str | None = None
    line: int | None = None
    col: int | None = None
    detail: str = ""  # a traceback, for errors that are bugs rather than bad input

    @classmethod
    def from_exception(cls, exc: BaseException) -> BuildFailure:
        """Describe an exception raised by a build."""
        if isinstance(exc, SourceError):
            return cls(exc.problem, exc.path, exc.line, exc.col)
        if isinstance(exc, ArshifError):
            return cls(str(exc))
        detail = "".join(traceback.format_exception(exc))
        return cls(f"{type(exc).__name__}: {exc}", detail=detail)

    def where(self) -> str:
        """'path:line:col' (as much of it as is known)."""
        parts = [str(v) for v in (self.path, self.line, self.col) if v is not None]
        return ":".join(parts) if self.path else ""

    def line_text(self) -> str:
        """The whole error as one line, as the CLI prints errors."""
        return f"{self.where()}: {self.message}" if self.where() else self.message


@dataclass(frozen=True)
class BuildResult:
    """The outcome of one finished build, numbered by epoch."""

    epoch: int
    reload: str = "page"  # how open pages refresh: 'page' or 'css'
    failure: BuildFailure | None = None
    skipped: tuple[str, ...] = ()  # inputs the build skipped (bad front matter …), shown on pages
    warnings: int = 0
    seconds: float = 0.0
    paths: tuple[str, ...] | None = None  # site files that changed; None: any may have

    def event(self, server_id: str) -> dict[str, object]:
        """What the live-reload endpoint sends about this build."""
        error = self.failure is not None
        event: dict[str, object] = {
            "id": server_id,
            "epoch": self.epoch,
            "reload": self.reload,
            "error": error,
        }
        if self.paths is not None:
            event["paths"] = list(self.paths)
        return event


@dataclass
class BuildState:
    """Requests read the site, one build at a time writes it; each build bumps the epoch."""

    result: BuildResult = field(default_factory=lambda: BuildResult(epoch=0))
    building: bool = False
    closing: bool = False
    _readers: int = 0
    _cond: threading.Condition = field(default_factory=threading.Condition)

    @contextmanager
    def reading(self) -> Iterator[BuildResult]:
        """Hold off builds while a request reads the site; waits while a build runs."""
        with self._cond:
            self._cond.wait_for(lambda: not self.building or self.closing)
            self._readers += 1
            result = self.result
        try:
            yield result
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Run a build: new readers wait, and the build waits for current readers to finish."""
        with self._cond:
            self._cond.wait_for(lambda: not self.building)
            self.building = True
            self._cond.wait_for(lambda: self._readers == 0)
        try:
            yield
        finally:
            with self._cond:
                self.building = False
                self._cond.notify_all()

    def publish(self, result: BuildResult) -> None:
        """Make a finished build's result current and wake everyone waiting for it."""
        with self._cond:
            self.result = result
            self._cond.notify_all()

    def wait_newer(self, epoch: int, timeout: float) -> BuildResult | None:
        """The current result once its epoch exceeds `epoch`; None on timeout or when closing."""
        with self._cond:
            self._cond.wait_for(lambda: self.result.epoch > epoch or self.closing, timeout)
            return None if self.closing or self.result.epoch <= epoch else self.result

    def close(self) -> None:
        """Release every waiter (the server is stopping)."""
        with self._cond:
            self.closing = True
            self._cond.notify_all()
