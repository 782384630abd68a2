"""Writing the parse cache in a forked child while the build goes on with the model and the pages.

On a cold build of a large vault, encoding the notes this process parsed and the SQLite transaction cost
about a second; the child does them on the other core, from the parse results it has in its memory
(nothing is copied or sent), and `vaultkit.build` waits for it before it returns. A fork is used only
when it is safe (no other thread runs) and worth it (`DEFER_MIN` rows); otherwise the cache is written
here, as before.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vaultkit.cache import Row, open_cache

if TYPE_CHECKING:
    from vaultkit.bulk import _Run

__all__ = ["DEFER_MIN", "CacheWrite", "can_fork", "save_in_child"]

DEFER_MIN = 1_000  # fewer cache rows to write than this: a child process costs more than it saves


@dataclass
class CacheWrite:
    """The parse cache being brought up to date by a forked child while the build goes on. `wait` for it
    before the build returns: the next build must find the rows. Nothing to wait for when `pid` is None."""

    pid: int | None = None
    # What the child writes, held here until it ends: freeing it in this process meanwhile would write to
    # the pages the two processes still share, and each such page gets copied (measured: 0.2 s).
    held: object = None

    def wait(self) -> bool:
        """Wait for the child; True when it wrote the cache (or there was no child)."""
        if self.pid is None:
            return True
        pid, self.pid = self.pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        finally:
            self.held = None
        return os.waitstatus_to_exitcode(status) == 0


def can_fork(run: _Run) -> bool:
    """Worth a child, and safe: many rows, a cache we may write, and no other thread in this process (a
    forked child gets only the thread that forked, whatever locks the others held)."""
    rows = len(run.unencoded) + len(run.upserts)
    writable = run.cache is not None and run.cache.writable and run.cache.conn is not None
    # Not on macOS, where a forked child that is not a fresh interpreter may crash in system libraries.
    forks = hasattr(os, "fork") and sys.platform != "darwin"
    return writable and rows >= DEFER_MIN and forks and threading.active_count() == 1


def save_in_child(run: _Run, rows: dict[str, Row]) -> CacheWrite:
    """Encode and save in a forked child, which has every parse result already in its memory (no copy is
    sent). It opens its own connection: SQLite connections must not cross a fork, so this process closes
    its own first. The child ignores Ctrl-C, so that the cache it writes is whole (SQLite's journal would
    undo half a transaction anyway), and ends with `os._exit`: no atexit handlers, no flushing of buffers
    it shares with this process."""
    assert run.cache is not None
    run.cache.close()
    try:
        pid = os.fork()
    except OSError:  # no memory for a child: write it here
        run.cache = open_cache(Path(run.root), run.max_bytes)
        run.save(rows)
        return CacheWrite()
    if pid:
        return CacheWrite(pid, (run, rows))
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        run.cache = open_cache(Path(run.root), run.max_bytes)
        run.save(rows)
        if run.cache is not None:
            run.cache.close()
        code = 0
    finally:
        os._exit(code)
