"""One rebuild per burst: run the build, time it, re-check the files that changed, and report one line."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from vaultkit.build import BuildResult
from vaultkit.diagnostics import Diagnostic
from vaultkit.live import LiveVault
from vaultkit.watch.debounce import Burst, Debouncer
from vaultkit.watch.filter import Change

__all__ = ["BuildFn", "RebuildReport", "Rebuilder", "stat_snapshot"]

BuildFn = Callable[[Path, dt.date], BuildResult]
FileState = tuple[int, int, int] | None  # (size, mtime_ns, inode), or None when the path is missing


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What one rebuild did. ``error`` is set when the build raised (the watch goes on)."""

    reason: str  # "start", "change" or "reconcile"
    changes: tuple[Change, ...]
    events: int
    duration_ms: float
    written: tuple[str, ...] = ()
    problems: int = 0  # problems found in notes (see `vaultkit check`)
    page_errors: tuple[Diagnostic, ...] = ()  # pages that could not be rendered or written
    error: Exception | None = None
    rechecking: tuple[str, ...] = ()  # paths that changed while the build read them: rebuilt again

    @property
    def ok(self) -> bool:
        return self.error is None and not self.page_errors

    def what(self) -> str:
        """``people/Ann.md modified, 2 more``; ``first build``; ``periodic check``."""
        if self.reason == "start":
            return "first build"
        if self.reason == "reconcile":
            return "periodic check"
        if not self.changes:
            return "changes"
        more = len(self.changes) - 1
        return self.changes[0].describe() + (f", {more} more" if more else "")

    def line(self) -> str:
        """One line for the terminal, e.g.
        ``people/Ann.md modified, 2 more: 143 ms, wrote Agenda/Follow-ups.md; 1 problem in notes``."""
        ms = f"{self.duration_ms:.0f} ms"
        if self.error is not None:
            text = f"{self.what()}: build failed after {ms}: {type(self.error).__name__}: {self.error}"
            text += "; still watching"
        else:
            pages = f"wrote {', '.join(self.written)}" if self.written else "no page changed"
            text = f"{self.what()}: {ms}, {pages}"
            counts = []
            if self.problems:
                counts.append(f"{_plural(self.problems, 'problem')} in notes")
            if self.page_errors:
                counts.append(f"{_plural(len(self.page_errors), 'page')} not written")
            if counts:
                text += "; " + ", ".join(counts)
        if self.rechecking:
            more = len(self.rechecking) - 1
            others = f" and {more} more" if more else ""
            text += f"; {self.rechecking[0]}{others} changed during the build, building again"
        return text


def stat_snapshot(root: Path, paths: Iterable[str]) -> dict[str, FileState]:
    """Size, mtime and inode of each vault-relative path (None when missing): spots files changed mid-read."""
    states: dict[str, FileState] = {}
    for rel in paths:
        try:
            st = os.stat(root / rel)
        except OSError:
            states[rel] = None
        else:
            states[rel] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return states


class Rebuilder:
    """The handler for :func:`vaultkit.watch.debounce.run_bursts`: builds, reports, re-checks.

    ``today`` is called at every build, so a watch left running over midnight uses the new date.
    ``output_dir`` is the output folder from the last good build (the event filter reads it).
    After a build, the files of the burst are stat'ed again: any that changed while the build read them
    (a save caught half-written) go back into ``debouncer`` and cause one more build once they settle.
    Builds go through a :class:`vaultkit.live.LiveVault`, which re-reads only the files of the burst;
    ``build_fn`` replaces it with a whole build per burst (the tests use it to inject failures).
    """

    def __init__(
        self,
        root: Path,
        debouncer: Debouncer,
        *,
        output_dir: str,
        today: Callable[[], dt.date] = dt.date.today,
        build_fn: BuildFn | None = None,
        on_report: Callable[[RebuildReport], object] = lambda report: None,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.root = root
        self.output_dir = output_dir
        self.builds = 0
        self._debouncer = debouncer
        self._today = today
        self._build = build_fn
        self._live = LiveVault(root) if build_fn is None else None
        self._on_report = on_report
        self._timer = timer

    def _run(self, burst: Burst) -> BuildResult:
        if self._live is None:
            assert self._build is not None
            return self._build(self.root, self._today())
        if burst.reason != "change" or any(c.is_dir for c in burst.changes):
            return self._live.build(self._today())  # first build, reconcile, folders: scan it all
        paths = {c.path for c in burst.changes} | {c.old_path for c in burst.changes if c.old_path}
        return self._live.build(self._today(), paths)

    def __call__(self, burst: Burst) -> RebuildReport:
        paths = [c.path for c in burst.changes if not c.is_dir]
        before = stat_snapshot(self.root, paths)
        start = self._timer()
        result: BuildResult | None = None
        error: Exception | None = None
        try:
            result = self._run(burst)
        except Exception as exc:
            error = exc
        elapsed_ms = (self._timer() - start) * 1000
        self.builds += 1
        after = stat_snapshot(self.root, paths)
        changed = tuple(p for p in paths if before[p] != after[p])
        if changed:
            self._debouncer.add(Change("modified", p) for p in changed)
        if result is not None:
            self.output_dir = result.config.folders.output
            report = RebuildReport(
                burst.reason,
                burst.changes,
                burst.events,
                elapsed_ms,
                written=result.written,
                problems=len(result.diagnostics),
                page_errors=result.page_errors,
                rechecking=changed,
            )
        else:
            report = RebuildReport(
                burst.reason, burst.changes, burst.events, elapsed_ms, error=error, rechecking=changed
            )
        self._on_report(report)
        return report
