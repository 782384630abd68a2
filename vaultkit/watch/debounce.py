"""Group change notifications into bursts, and run one handler call per burst.

Nothing here knows about watchdog or the real clock: the clock and the wait are injected, so tests replay
scripted events on a fake clock without sleeping (style.md items 10-11; mkdocs ``livereload._build_loop``).

A burst is handed over when ``quiet`` seconds pass with no new change, or ``ceiling`` seconds after its first
change, whichever comes first, so a long ``git pull`` or a sync storm cannot postpone the rebuild forever.
Changes that arrive while the handler runs form the next burst, so they cause exactly one more call.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vaultkit.watch.filter import Change

__all__ = ["Burst", "Debouncer", "run_bursts"]

DEFAULT_QUIET = 0.2
DEFAULT_CEILING = 2.0


@dataclass(frozen=True, slots=True)
class Burst:
    """What one rebuild is for: ``reason`` is ``start``, ``change`` or ``reconcile``.

    ``changes`` holds one entry per path, in the order the paths first changed; ``events`` counts the raw
    notifications merged into them.
    """

    reason: str
    changes: tuple[Change, ...] = ()
    events: int = 0
    first_at: float = 0.0
    last_at: float = 0.0


def _merge(old: Change, new: Change) -> Change:
    """One entry per path: created+modified is still created; deleted then created is a modification."""
    if old.kind == "created" and new.kind == "modified":
        return old
    if old.kind == "deleted" and new.kind in ("created", "saved"):
        return Change("modified", new.path, None, new.is_dir)
    return new


class Debouncer:
    """Collects changes from any thread; :meth:`next_burst` blocks until a burst has settled.

    ``clock`` is a monotonic clock in seconds. ``wait(timeout)`` blocks until :meth:`add` or :meth:`close`
    notifies, or ``timeout`` seconds pass (``None``: no limit); it is called with the lock held and
    defaults to the internal condition's ``wait``. A fake ``wait`` may advance a fake clock and call
    :meth:`add` itself (the lock is re-entrant).
    """

    def __init__(
        self,
        quiet: float = DEFAULT_QUIET,
        ceiling: float = DEFAULT_CEILING,
        *,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float | None], object] | None = None,
    ) -> None:
        if quiet < 0 or ceiling < quiet:
            raise ValueError("need 0 <= quiet <= ceiling")
        self.quiet = quiet
        self.ceiling = ceiling
        self.clock = clock
        self._cond = threading.Condition(threading.RLock())
        self._wait = wait if wait is not None else self._cond.wait
        self._pending: dict[str, Change] = {}
        self._events = 0
        self._first_at = 0.0
        self._last_at = 0.0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def pending(self) -> int:
        """How many paths wait for the next burst."""
        with self._cond:
            return len(self._pending)

    def add(self, changes: Iterable[Change]) -> None:
        """Record changes (from the observer's thread, or the loop's re-checks); an empty list is ignored."""
        with self._cond:
            now = self.clock()
            was_empty = not self._pending
            added = False
            for change in changes:
                if change.kind == "moved" and change.old_path is not None:
                    source = self._pending.get(change.old_path)
                    if source is not None and source.kind == "created":  # a temp file renamed into place
                        del self._pending[change.old_path]
                        change = Change("saved", change.path, None, change.is_dir)
                old = self._pending.get(change.path)
                self._pending[change.path] = change if old is None else _merge(old, change)
                self._events += 1
                added = True
            if not added:
                return
            if was_empty:
                self._first_at = now
            self._last_at = now
            self._cond.notify_all()

    def close(self) -> None:
        """Make :meth:`next_burst` return ``None`` now and from then on; pending changes are dropped."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def due_at(self) -> float | None:
        """When the pending burst will be handed over, or ``None`` if nothing is pending."""
        with self._cond:
            if not self._pending:
                return None
            return min(self._last_at + self.quiet, self._first_at + self.ceiling)

    def next_burst(self, deadline: float | None = None) -> Burst | None:
        """Block until a burst has settled and return it. Return ``None`` when closed, or when ``deadline``
        (on ``clock``) passes with nothing pending; a burst in progress at the deadline is waited for."""
        with self._cond:
            while not self._closed:
                now = self.clock()
                due = self.due_at()
                if due is not None and now >= due:
                    return self._take("change")
                if due is None and deadline is not None and now >= deadline:
                    return None
                until = due if due is not None else deadline
                self._wait(None if until is None else max(until - now, 0.0))
            return None

    def _take(self, reason: str) -> Burst:
        burst = Burst(reason, tuple(self._pending.values()), self._events, self._first_at, self._last_at)
        self._pending = {}
        self._events = 0
        self._first_at = 0.0
        self._last_at = 0.0
        return burst


def run_bursts(
    debouncer: Debouncer,
    handle: Callable[[Burst], object],
    *,
    reconcile_every: float | None = None,
    on_error: Callable[[BaseException], object] = lambda exc: None,
) -> None:
    """Call ``handle`` once at start, then once per burst, until the debouncer is closed.

    With ``reconcile_every`` (seconds), ``handle`` is also called with a ``reconcile`` burst after that long
    without any call, so a missed event cannot leave the pages stale. An exception from ``handle`` goes to
    ``on_error`` and the loop carries on; ``KeyboardInterrupt`` and other ``BaseException`` propagate.
    """

    def step(burst: Burst) -> None:
        try:
            handle(burst)
        except Exception as exc:
            on_error(exc)

    if debouncer.closed:
        return
    step(Burst("start"))
    while True:
        deadline = None if reconcile_every is None else debouncer.clock() + reconcile_every
        burst = debouncer.next_burst(deadline)
        if burst is None:
            if debouncer.closed:
                return
            burst = Burst("reconcile")
        step(burst)
