"""`vaultkit watch`: a watchdog observer on the vault feeding the filter, the debouncer and the rebuilder.

The native observer (inotify, FSEvents, ReadDirectoryChangesW) is used when it starts; when it cannot (inotify
limits, a file system without notifications) or with ``polling=True``, a polling observer takes over. Polling
snapshots skip the folders the filter ignores (``.git/``, the output folder), so each poll stats only the
vault's own files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from vaultkit.config import load_config
from vaultkit.load import VaultNotFound
from vaultkit.watch.debounce import DEFAULT_CEILING, DEFAULT_QUIET, Burst, Debouncer, run_bursts
from vaultkit.watch.filter import changes_for, pruned_scandir
from vaultkit.watch.rebuild import BuildFn, Rebuilder, RebuildReport

__all__ = ["WATCHED_EVENTS", "NativeObserver", "Watcher", "fallback_message"]

NativeObserver = Observer  # the platform's best observer class; tests make it fail to check the fallback
DEFAULT_RECONCILE = 300.0
DEFAULT_POLLING_INTERVAL = 1.0

# No opened/closed events (a build that only reads notes must not wake the watch), and no folder "modified"
# events: they only say that an entry inside changed, and that entry has its own event.
WATCHED_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


def fallback_message(exc: OSError, interval: float) -> str:
    """Why the native observer failed, and what to do about it; names the inotify limit when it is one."""
    polling = f"watching by polling every {interval:g} s instead (more CPU on big vaults)"
    if exc.errno == errno.ENOSPC:
        return (
            "the inotify watch limit is reached (fs.inotify.max_user_watches); "
            f"{polling}. To watch natively: sudo sysctl fs.inotify.max_user_watches=524288 "
            "(and add it to /etc/sysctl.conf to keep it)"
        )
    if exc.errno == errno.EMFILE:
        return (
            "too many inotify instances or open files (fs.inotify.max_user_instances, "
            f"fs.inotify.max_user_watches); {polling}"
        )
    return f"native file watching is not available here ({exc}); {polling}"


class _Handler(FileSystemEventHandler):
    """Runs in the observer's thread: filter each event and hand what counts to the debouncer."""

    def __init__(
        self,
        root: Path,
        debouncer: Debouncer,
        output_dir: Callable[[], str],
        on_notice: Callable[[str], object],
    ) -> None:
        self._root = str(root)
        self._debouncer = debouncer
        self._output_dir = output_dir
        self._on_notice = on_notice

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            dest = os.fsdecode(event.dest_path) if event.dest_path else None
            changes = changes_for(
                event.event_type,
                os.fsdecode(event.src_path),
                dest,
                self._root,
                self._output_dir(),
                is_directory=event.is_directory,
            )
        except Exception as exc:  # never let one odd event kill the observer thread
            self._on_notice(f"ignored an event the filter could not read: {exc!r}")
            return
        if changes:
            self._debouncer.add(changes)


class Watcher:
    """Watch a vault and keep its agenda pages current until :meth:`stop` (or Ctrl-C in :meth:`run`).

    ``today``: a fixed date for the agenda; ``None`` reads the date at every rebuild.
    ``quiet``/``ceiling``: the debounce, in seconds. ``reconcile_every``: seconds without a rebuild before a
    full one anyway (``None``: never). ``on_report`` gets one :class:`RebuildReport` per rebuild;
    ``on_notice`` gets messages about the watching itself (polling fallback, observer restarts).
    Nothing here prints.
    """

    def __init__(
        self,
        root: Path,
        *,
        today: dt.date | None = None,
        polling: bool = False,
        quiet: float = DEFAULT_QUIET,
        ceiling: float = DEFAULT_CEILING,
        reconcile_every: float | None = DEFAULT_RECONCILE,
        polling_interval: float = DEFAULT_POLLING_INTERVAL,
        on_report: Callable[[RebuildReport], object] = lambda report: None,
        on_notice: Callable[[str], object] = lambda message: None,
        build_fn: BuildFn | None = None,
    ) -> None:
        self.root = Path(root)
        self.debouncer = Debouncer(quiet, ceiling)
        self.mode: str | None = None  # "native" or "polling" once the observer runs
        self.started = threading.Event()  # set once the observer runs (before the first build)
        self._today = (lambda: today) if today is not None else dt.date.today
        self._polling = polling
        self._reconcile_every = reconcile_every
        self._polling_interval = polling_interval
        self._on_report = on_report
        self._on_notice = on_notice
        self._build_fn = build_fn
        self._observer: BaseObserver | None = None
        self._rebuilder: Rebuilder | None = None
        self._output_dir = "Agenda"

    @property
    def builds(self) -> int:
        """How many builds ran (failed ones included)."""
        return self._rebuilder.builds if self._rebuilder is not None else 0

    def _current_output_dir(self) -> str:
        return self._rebuilder.output_dir if self._rebuilder is not None else self._output_dir

    def stop(self) -> None:
        """Ask :meth:`run` to return; a build in progress finishes first. Safe from any thread."""
        self.debouncer.close()

    def run(self) -> None:
        """Build once, then rebuild per burst of changes until :meth:`stop`. The observer is always stopped
        and joined on the way out, also when ``KeyboardInterrupt`` propagates. Raises ``VaultNotFound``."""
        if not self.root.is_dir():
            raise VaultNotFound(f"{self.root}: not a folder")
        root = self.root.resolve()
        config, _ = load_config(root)
        self._output_dir = config.folders.output
        rebuilder = self._rebuilder = Rebuilder(
            root,
            self.debouncer,
            output_dir=config.folders.output,
            today=self._today,
            build_fn=self._build_fn,
            on_report=self._on_report,
        )
        handler = _Handler(root, self.debouncer, self._current_output_dir, self._on_notice)

        def step(burst: Burst) -> None:
            self._check_observer(root, handler)
            rebuilder(burst)

        try:
            self._start_observer(root, handler, polling=self._polling)
            self.started.set()
            run_bursts(
                self.debouncer,
                step,
                reconcile_every=self._reconcile_every,
                on_error=lambda exc: self._on_notice(f"watch step failed: {type(exc).__name__}: {exc}"),
            )
        finally:
            self._stop_observer()

    def _start_observer(self, root: Path, handler: _Handler, *, polling: bool) -> None:
        if not polling:
            observer = NativeObserver()
            try:
                observer.schedule(handler, str(root), recursive=True, event_filter=WATCHED_EVENTS)
                observer.start()
            except OSError as exc:
                self._on_notice(fallback_message(exc, self._polling_interval))
                with contextlib.suppress(Exception):
                    observer.stop()
            else:
                self._observer, self.mode = observer, "native"
                return
        scandir = pruned_scandir(root, self._current_output_dir)
        observer = PollingObserverVFS(os.stat, scandir, polling_interval=self._polling_interval)
        observer.schedule(handler, str(root), recursive=True, event_filter=WATCHED_EVENTS)
        observer.start()
        self._observer, self.mode = observer, "polling"

    def _check_observer(self, root: Path, handler: _Handler) -> None:
        """A dead observer thread (an error inside watchdog) leaves only the periodic check: restart it."""
        observer = self._observer
        if observer is None or (observer.is_alive() and all(e.is_alive() for e in observer.emitters)):
            return
        self._on_notice("the file watcher stopped unexpectedly; restarting it by polling")
        self._stop_observer()
        self._start_observer(root, handler, polling=True)

    def _stop_observer(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            if observer.is_alive():
                observer.join()
