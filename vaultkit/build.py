"""`vaultkit build`: read the vault, compute the insights, render and write the agenda pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.insights.shared import Insights
from vaultkit.load import Loaded, Prepared, Progress, load_vault, prepare
from vaultkit.pages import render_pages
from vaultkit.render_reuse import RenderedPages
from vaultkit.stamp import forget, read_stamp, stamp_key, trusted, write_stamp
from vaultkit.write import write_pages


@dataclass(frozen=True, slots=True)
class BuildResult:
    config: Config
    diagnostics: tuple[Diagnostic, ...]  # problems found in notes and config
    note_count: int
    written: tuple[str, ...]  # vault-relative paths of pages actually written
    unchanged: tuple[str, ...]
    page_errors: tuple[Diagnostic, ...]  # pages that could not be rendered or written
    loaded: Loaded | None = None  # None when the build stamp showed that nothing had changed
    reused: bool = False  # nothing had changed since the last build (see `vaultkit.stamp`)
    insights: Insights | None = field(default=None, compare=False)  # what the pages were made from

    @property
    def ok(self) -> bool:
        return not self.page_errors


def build_loaded(
    loaded: Loaded,
    today: dt.date,
    previous: Insights | None = None,
    reuse: RenderedPages | None = None,
    note_paths: Sequence[str] | None = None,
) -> BuildResult:
    """Render and write every page from a vault already read (`previous`, `reuse`: see `render_pages`).

    `note_paths`: the paths of `loaded.notes` when known (the watch keeps them between builds)."""
    output = loaded.config.folders.output
    problems = len(loaded.diagnostics)
    rendered = render_pages(
        loaded.vault,
        today,
        loaded.root,
        [n.path for n in loaded.notes] if note_paths is None else note_paths,
        output,
        extra={"problem_count": problems},
        previous=previous,
        reuse=reuse,
    )
    result = write_pages(loaded.root, output, rendered.pages)
    errors = list(rendered.errors)
    errors += [Diagnostic(e.path, None, "error", "write", e.message) for e in result.errors]
    return BuildResult(
        loaded.config,
        loaded.diagnostics,
        loaded.vault.note_count,
        tuple(result.written),
        tuple(result.unchanged),
        tuple(errors),
        loaded,
        insights=rendered.insights,
    )


def build(
    root: Path | Prepared,
    today: dt.date,
    *,
    progress: Progress | None = None,
    use_stamp: bool = True,
) -> BuildResult:
    """Build every page; problems in notes are reported, and only pages that cannot be written fail it.

    When nothing the pages depend on changed since the last build (`vaultkit.stamp`), only the scan runs.
    Raises `VaultNotFound`."""
    ready = root if isinstance(root, Prepared) else prepare(root)
    key = stamp_key(ready.root, ready.config, list(ready.config_diagnostics), ready.scan, today)
    if use_stamp:
        stamped = read_stamp(ready.root, key)
        if stamped is not None:
            return BuildResult(
                ready.config, stamped.diagnostics, stamped.note_count, (), stamped.pages, (), reused=True
            )
    loaded = load_vault(ready, progress=progress, defer_cache=True)
    try:
        result = build_loaded(loaded, today)  # while a child may still be writing the parse cache
    finally:
        loaded.cache_write.wait()
    if not use_stamp:
        return result
    if result.ok and trusted(ready.scan, ready.now_ns):
        pages = tuple(sorted(result.written + result.unchanged))
        write_stamp(ready.root, key, result.diagnostics, result.note_count, pages)
    else:
        forget(ready.root)
    return result
