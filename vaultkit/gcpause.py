"""Pausing Python's cyclic garbage collector for a bulk phase, and freezing what the phase made."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic GC during a bulk phase: it costs a fifth of a cold parse and most of a cache load, and a
    sixth of working out the insights of a large vault.

    On the way out the objects made are frozen (`gc.freeze`), else the first collection afterwards would
    walk all of them at once. They are still freed as usual when no longer used: notes, the model and the
    insights hold no reference cycles (tests/test_render_speed_equivalence.py checks the insights). Cyclic
    garbage still uncollected is frozen too: a long-running process collects between phases (the watch
    does after each build). The collector is switched back on if it was on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
