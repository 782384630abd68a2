"""The reading pipeline: folder -> config -> scan -> notes -> model, with every problem as a diagnostic.

Notes whose files did not change come from the parse cache (`vaultkit.cache`); the others are read and
parsed, by worker processes when there are many of them (`vaultkit.bulk`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from vaultkit.bulk import PARALLEL_MIN, CacheWrite, Entry, Progress, read_entries
from vaultkit.cache import CACHE_DIR, CACHE_FILE
from vaultkit.config import Config, load_config
from vaultkit.diagnostics import Diagnostic, sort_key
from vaultkit.gcpause import gc_paused
from vaultkit.model import Vault, build_vault
from vaultkit.read.scan import Scan, scan_vault
from vaultkit.read.types import Note

__all__ = [
    "CACHE_REBUILT",
    "PARALLEL_MIN",
    "Entry",
    "Loaded",
    "Prepared",
    "Progress",
    "VaultNotFound",
    "check",
    "gc_paused",
    "load_vault",
    "prepare",
    "read_notes",
    "scan_now",
]

CACHE_PATH = f"{CACHE_DIR}/{CACHE_FILE}"


class VaultNotFound(Exception):
    """The vault folder does not exist or is not a folder."""


@dataclass(frozen=True, slots=True)
class Loaded:
    root: Path
    config: Config
    vault: Vault
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]
    # The parse cache, possibly still being written (`load_vault(defer_cache=True)`): wait for it.
    cache_write: CacheWrite = field(default_factory=CacheWrite, compare=False, repr=False)


def scan_now(root: Path, config: Config) -> tuple[Scan, int]:
    """Scan the vault, with the time just before: a file changed after the scan is never taken as older."""
    now_ns = time.time_ns()
    return scan_vault(root, config.folders.output), now_ns


CACHE_REBUILT: Final = Diagnostic(
    CACHE_PATH,
    None,
    "warning",
    "cache-rebuilt",
    "the parse cache was damaged or from another vaultkit version; rebuilt from the notes",
)


def read_notes(
    root: Path,
    config: Config,
    *,
    use_cache: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    scanned: tuple[Scan, int] | None = None,
) -> tuple[list[Note], tuple[str, ...], list[Diagnostic]]:
    """Every note of the vault, the other files (attachments) and the problems found reading them.

    With `use_cache`, notes whose files did not change come from `.vaultkit/cache.sqlite`, and the cache is
    brought up to date. `workers`: processes for parsing (None: as many as there are cores, once at least
    `PARALLEL_MIN` notes need parsing; 1: never). `scanned`: the scan already made, with the time taken just
    before it (see `scan_now`)."""
    notes, attachments, diags, _ = _read_notes(root, config, use_cache, progress, workers, scanned, False)
    return notes, attachments, diags


def _read_notes(
    root: Path,
    config: Config,
    use_cache: bool,
    progress: Progress | None,
    workers: int | None,
    scanned: tuple[Scan, int] | None,
    defer: bool,
) -> tuple[list[Note], tuple[str, ...], list[Diagnostic], CacheWrite]:
    with gc_paused():
        scan, now_ns = scanned if scanned is not None else scan_now(root, config)
        entries, rebuilt, write = read_entries(
            root, config, scan, now_ns, use_cache, progress, workers, defer=defer
        )
        diags = list(scan.diagnostics)
        if rebuilt:
            diags.append(CACHE_REBUILT)
        notes: list[Note] = []
        for note, problems in entries:
            diags.extend(problems)
            if note is not None:
                notes.append(note)
    return notes, scan.attachments, diags, write


@dataclass(frozen=True, slots=True)
class Prepared:
    """A vault's config and scan: what a build needs before reading any note."""

    root: Path
    config: Config
    config_diagnostics: tuple[Diagnostic, ...]
    scan: Scan
    now_ns: int  # taken just before the scan


def prepare(root: Path) -> Prepared:
    """Read the config and scan the vault. Raises `VaultNotFound`."""
    if not root.is_dir():
        raise VaultNotFound(f"{root}: not a folder")
    root = root.resolve()
    config, diags = load_config(root)
    with gc_paused():
        scan, now_ns = scan_now(root, config)
    return Prepared(root, config, tuple(diags), scan, now_ns)


def load_vault(
    root: Path | Prepared,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
    workers: int | None = None,
    defer_cache: bool = False,
) -> Loaded:
    """Read the whole vault. One bad note is reported and skipped; it never stops the rest.

    `root` may be a folder or what `prepare` found in it. `use_cache=False` reads every note and leaves
    `.vaultkit/` alone; see `read_notes` for the rest. With `defer_cache`, a child process may still be
    writing the parse cache when this returns: the caller must `loaded.cache_write.wait()`."""
    ready = root if isinstance(root, Prepared) else prepare(root)
    root, config, diags = ready.root, ready.config, list(ready.config_diagnostics)
    scanned = (ready.scan, ready.now_ns)
    with gc_paused():
        notes, attachments, more, write = _read_notes(
            root, config, use_cache, progress, workers, scanned, defer_cache
        )
        try:
            diags.extend(more)
            vault, model_diags = build_vault(notes, attachments, config)
            diags.extend(model_diags)
        except BaseException:
            write.wait()
            raise
    return Loaded(root, config, vault, tuple(notes), tuple(sorted(set(diags), key=sort_key)), write)


def check(root: Path) -> list[Diagnostic]:
    """Every problem in the vault, sorted by path and line."""
    return list(load_vault(root).diagnostics)
