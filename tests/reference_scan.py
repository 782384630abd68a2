"""FROZEN REFERENCE (tests only): the pre-optimisation `scan_vault` of `vaultkit/read/scan.py`, kept
unchanged as an oracle for the differential tests in tests/test_scan_fast.py. Do not edit or optimise it.

It builds the public `ScannedFile` and `Scan` types of `vaultkit.read.scan`, so results compare equal.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.read.scan import Scan, ScannedFile
from vaultkit.read.types import strip_md

__all__ = ["is_conflict_copy", "scan_vault"]

ALWAYS_SKIPPED = frozenset({".obsidian", ".trash", ".git", ".vaultkit"})
_CONFLICT_COPY = re.compile(
    r"(\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]+)|( \((?:[^()]*'s )?conflict(?:ed copy)?[^()]*\))$",
    re.IGNORECASE,
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_conflict_copy(name: str) -> bool:
    """Sync tools' conflict copies: `x.sync-conflict-20250101-120000-ABC.md`, `x (conflict 2025-01-01).md`."""
    stem = strip_md(name)
    return _CONFLICT_COPY.search(stem) is not None


def scan_vault(root: Path, output_dir: str) -> Scan:
    """List the vault's files; skip hidden folders, `.obsidian/`, `.trash/`, `.git/` and the output folder."""
    root = root.resolve()
    notes: list[ScannedFile] = []
    attachments: list[str] = []
    diags: list[Diagnostic] = []
    output_lower = output_dir.lower().strip("/")
    seen_dirs: set[tuple[int, int]] = set()

    def walk(real_dir: Path, rel_dir: str) -> None:
        try:
            st = real_dir.stat()
        except OSError:
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(real_dir), key=lambda e: e.name)
        except OSError as exc:
            diags.append(
                Diagnostic(rel_dir or ".", None, "warning", "unreadable-folder", f"cannot list: {exc}")
            )
            return
        for entry in entries:
            name = nfc(entry.name)
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name.startswith("."):
                continue
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # bytes that are not UTF-8 in the name (e.g. from a Latin-1 zip)
                shown = rel.encode("utf-8", "backslashreplace").decode("utf-8")
                diags.append(
                    Diagnostic(
                        shown, None, "warning", "bad-filename", "name is not valid UTF-8; rename it. Skipped"
                    )
                )
                continue
            try:
                is_link = entry.is_symlink()
                st = entry.stat(follow_symlinks=True)
            except OSError:
                if is_link:
                    diags.append(
                        Diagnostic(rel, None, "warning", "broken-symlink", "symlink to nothing; skipped")
                    )
                continue
            if is_link:
                # Never followed: a target inside the vault is read at its own path; one outside is not read.
                target = Path(os.path.realpath(entry.path))
                if target != root and root not in target.parents:
                    diags.append(
                        Diagnostic(
                            rel,
                            None,
                            "warning",
                            "symlink-outside",
                            "symlink points outside the vault; skipped",
                        )
                    )
                continue
            if stat.S_ISDIR(st.st_mode):
                if rel.lower() == output_lower or name in ALWAYS_SKIPPED:
                    continue
                walk(Path(entry.path), rel)
            elif stat.S_ISREG(st.st_mode):
                if not name.lower().endswith(".md"):
                    attachments.append(rel)
                elif is_conflict_copy(name):
                    diags.append(
                        Diagnostic(
                            rel,
                            None,
                            "warning",
                            "sync-conflict",
                            "a sync conflict copy: merge it by hand; not read",
                        )
                    )
                else:
                    notes.append(ScannedFile(rel, st.st_size, st.st_mtime_ns))

    walk(root, "")
    notes.sort(key=lambda f: f.path)
    attachments.sort()
    return Scan(tuple(notes), tuple(attachments), tuple(diags))
