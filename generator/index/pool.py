"""Forked helpers for the index steps: the inputs are built first, then read by the workers.

A worker is forked after the read-only inputs of its step exist, so it sees them for free
(copy on write): only a part number goes out, and its result comes back. Small
archives and systems without fork stay in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import weakref
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

__all__ = ["POOL_THRESHOLD", "Background", "imap_parts", "map_parts", "pool_size", "slices"]

R = TypeVar("R")

# Below this many articles the index is built in one process: forking costs more than it saves.
POOL_THRESHOLD = 2000

# The function the workers of the running pool call (set before the fork, read by the child).
_TASK: list[Callable[[int], Any]] = []


def _cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover - every Linux has sched_getaffinity


def pool_size(items: int, threshold: int = POOL_THRESHOLD, workers: int | None = None) -> int:
    """How many processes to use for `items` articles: 1 (serial) when few, or without fork."""
    if (
        items < threshold
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon  # a pool's worker may not fork again
    ):
        return 1
    return max(1, _cores() if workers is None else workers)


def slices(n: int, parts: int) -> list[tuple[int, int]]:
    """range(n) cut into `parts` contiguous (start, stop) pieces of near equal size."""
    parts = max(1, min(parts, n))
    return [(n * i // parts, n * (i + 1) // parts) for i in range(parts)]


def _call(part: int) -> Any:
    """Run the pool's task on one part (in a forked worker)."""
    return _TASK[-1](part)


def imap_parts(
    fn: Callable[[int], R],
    parts: int,
    workers: int,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[R]:
    """fn(0) … fn(parts - 1), in order, on `workers` forked processes (serial for one).

    Each worker takes parts in increasing order. The objects made before the call are
    frozen for the collector, so the workers' collections do not copy their pages.
    `meanwhile` runs here once the workers have started (first, when serial).
    """
    if workers < 2 or parts < 2:
        if meanwhile is not None:
            meanwhile()
        yield from map(fn, range(parts))
        return
    _TASK.append(fn)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(min(workers, parts)) as pool:
            found = pool.imap(_call, range(parts))
            gc.unfreeze()  # the workers exist: what this process makes now is its own
            if meanwhile is not None:
                meanwhile()
            yield from found
    finally:
        gc.unfreeze()
        _TASK.pop()


def map_parts(fn: Callable[[int], R], parts: int, workers: int) -> list[R]:
    """imap_parts, all at once."""
    return list(imap_parts(fn, parts, workers))


class Background(Generic[R]):
    """fn() in a forked process while this one goes on; result() waits for its answer.

    Without a fork (one worker) fn runs when its result is first asked for. A child whose
    answer is never asked for (the build failed meanwhile) is stopped once this is dropped.
    """

    def __init__(self, fn: Callable[[], R], fork: bool, daemon: bool = True) -> None:
        """Start fn in a child process when fork is true (a non-daemon child may fork pools)."""
        self._fn: Callable[[], R] | None = fn
        self._conn: Connection | None = None
        self._proc: Any = None
        if fork:
            ctx = multiprocessing.get_context("fork")
            receive, send = ctx.Pipe(duplex=False)
            gc.freeze()
            try:
                proc = ctx.Process(target=_send_result, args=(fn, send), daemon=daemon)
                proc.start()
            finally:
                gc.unfreeze()
            send.close()
            self._conn, self._proc = receive, proc
            self._stop = weakref.finalize(self, _stop, proc, receive)
            self._fn = None  # the child has it; let go of what it holds

    def result(self) -> R:
        """fn's answer (an exception in the child is raised here)."""
        if self._conn is None:
            fn, self._fn = self._fn, None
            assert fn is not None, "result() asked twice"
            return fn()
        conn, self._conn = self._conn, None
        self._stop.detach()
        try:
            ok, value = conn.recv()
        except EOFError as exc:
            raise RuntimeError("an index worker process died") from exc
        finally:
            _stop(self._proc, conn, wait=1.0)  # it ends once its answer is sent
        if not ok:
            raise value
        result: R = value
        return result


def _send_result(fn: Callable[[], Any], conn: Connection) -> None:
    """Run fn in the child and send (ok, answer or exception) back."""
    try:
        answer: tuple[bool, Any] = (True, fn())
    except BaseException as exc:  # handed to the parent, which raises it
        answer = (False, exc)
    conn.send(answer)
    conn.close()


def _stop(proc: Any, conn: Connection, wait: float = 0.0) -> None:
    """End a child, giving it `wait` seconds to end by itself, and close its pipe."""
    proc.join(wait)
    if proc.is_alive():
        proc.terminate()
        proc.join()
    conn.close()
