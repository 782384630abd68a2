"""A progress bar while notes are parsed: on a terminal only, and only once the parse has taken a second."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

import click

from vaultkit.load import Progress

__all__ = ["parse_progress"]

DELAY = 1.0  # seconds of parsing before the bar appears: short builds stay quiet


@contextlib.contextmanager
def parse_progress(
    enabled: bool, *, label: str = "Reading notes", delay: float = DELAY, stream: TextIO | None = None
) -> Iterator[Progress | None]:
    """A `progress(done, total)` callback for `load_vault`, or None when nothing should be shown.

    Nothing is shown when `enabled` is false (e.g. `--json`), when the stream (stderr by default, so stdout
    stays clean) is not a terminal, or when the parse ends within `delay` seconds. The bar is finished and
    its line ended on the way out, also when the build fails.
    """
    out = stream if stream is not None else sys.stderr
    if not enabled or not out.isatty():
        yield None
        return
    start = time.monotonic()
    bar: Any = None  # click's ProgressBar, made on the first call after `delay`

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            if time.monotonic() - start < delay or done >= total:
                return
            bar = click.progressbar(length=total, label=label, file=out)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
