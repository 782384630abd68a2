"""`vaultkit build`: read the vault, compute the insights, render and write the agenda pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.load import Loaded, load_vault
from vaultkit.pages import render_pages
from vaultkit.write import write_pages


@dataclass(frozen=True, slots=True)
class BuildResult:
    loaded: Loaded
    written: tuple[str, ...]  # vault-relative paths of pages actually written
    unchanged: tuple[str, ...]
    page_errors: tuple[Diagnostic, ...]  # pages that could not be rendered or written

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.loaded.diagnostics

    @property
    def ok(self) -> bool:
        return not self.page_errors


def build_loaded(loaded: Loaded, today: dt.date) -> BuildResult:
    output = loaded.config.folders.output
    problems = len(loaded.diagnostics)
    rendered = render_pages(
        loaded.vault,
        today,
        loaded.root,
        [n.path for n in loaded.notes],
        output,
        extra={"problem_count": problems},
    )
    result = write_pages(loaded.root, output, rendered.pages)
    errors = list(rendered.errors)
    errors += [Diagnostic(e.path, None, "error", "write", e.message) for e in result.errors]
    return BuildResult(loaded, tuple(result.written), tuple(result.unchanged), tuple(errors))


def build(root: Path, today: dt.date) -> BuildResult:
    """Build every page; problems in notes are reported, and only pages that cannot be written fail it."""
    return build_loaded(load_vault(root), today)
