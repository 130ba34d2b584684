"""One exception type for everything a user can get wrong, and a problem log."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field


class ArshifError(Exception):
    """An error the user can fix; the CLI prints it as one line and exits non-zero."""


@dataclass
class SourceError(ArshifError):  # not frozen: raising sets __cause__/__traceback__ on it
    """A problem in an input file, located as `path:line:col: problem` (line and col 1-based)."""

    path: str
    problem: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class Problem:
    """One warning or skipped file, grouped under a short kind for the summary."""

    kind: str
    message: str
    fatal: bool = False  # the file or article was skipped


@dataclass
class ProblemLog:
    """Collects problems from every stage so the build can summarise them instead of flooding."""

    problems: list[Problem] = field(default_factory=list)

    def warn(self, kind: str, message: str) -> None:
        """Record a warning (the article is kept)."""
        self.problems.append(Problem(kind, message))

    def skip(self, kind: str, message: str) -> None:
        """Record an input that was skipped."""
        self.problems.append(Problem(kind, message, fatal=True))

    def extend(self, other: ProblemLog) -> None:
        """Append another log's problems."""
        self.problems.extend(other.problems)

    @property
    def skipped(self) -> int:
        """How many inputs were skipped."""
        return sum(p.fatal for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many warnings were recorded."""
        return sum(not p.fatal for p in self.problems)

    def summary(self, shown: int = 5) -> list[str]:
        """Lines that show the first few of each kind and count the rest."""
        by_kind: dict[str, list[Problem]] = defaultdict(list)
        for p in self.problems:
            by_kind[p.kind].append(p)
        lines: list[str] = []
        for kind, items in sorted(by_kind.items()):
            label = "skipped" if items[0].fatal else "warning"
            for p in items[:shown]:
                lines.append(f"{label}: {p.message}")
            if len(items) > shown:
                lines.append(f"  … and {len(items) - shown} more ({kind})")
        return lines

    def counts(self) -> Counter[str]:
        """Problems per kind."""
        return Counter(p.kind for p in self.problems)
