"""The reading pipeline: folder -> config -> scan -> notes -> model, with every problem as a diagnostic."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vaultkit.config import Config, load_config
from vaultkit.diagnostics import Diagnostic, sort_key
from vaultkit.model import Vault, build_vault
from vaultkit.read.reader import read_note
from vaultkit.read.scan import scan_vault
from vaultkit.read.types import Note


class VaultNotFound(Exception):
    """The vault folder does not exist or is not a folder."""


@dataclass(frozen=True, slots=True)
class Loaded:
    root: Path
    config: Config
    vault: Vault
    notes: tuple[Note, ...]
    diagnostics: tuple[Diagnostic, ...]


def read_notes(root: Path, config: Config) -> tuple[list[Note], tuple[str, ...], list[Diagnostic]]:
    scan = scan_vault(root, config.folders.output)
    diags = list(scan.diagnostics)
    notes: list[Note] = []
    for f in scan.notes:
        note, problems = read_note(root, f.path, config.max_note_bytes)
        diags.extend(problems)
        if note is not None:
            notes.append(note)
    return notes, scan.attachments, diags


def load_vault(root: Path) -> Loaded:
    """Read the whole vault. One bad note is reported and skipped; it never stops the rest."""
    if not root.is_dir():
        raise VaultNotFound(f"{root}: not a folder")
    root = root.resolve()
    config, diags = load_config(root)
    notes, attachments, more = read_notes(root, config)
    diags.extend(more)
    vault, model_diags = build_vault(notes, attachments, config)
    diags.extend(model_diags)
    return Loaded(root, config, vault, tuple(notes), tuple(sorted(set(diags), key=sort_key)))


def check(root: Path) -> list[Diagnostic]:
    """Every problem in the vault, sorted by path and line."""
    return list(load_vault(root).diagnostics)
