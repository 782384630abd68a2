"""Walk a vault: every file once at its real path; no hidden folders; symlinks are never followed."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.read.types import strip_md

ALWAYS_SKIPPED = frozenset({".obsidian", ".trash", ".git", ".vaultkit"})
_CONFLICT_COPY = re.compile(
    r"(\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]+)|( \((?:[^()]*'s )?conflict(?:ed copy)?[^()]*\))$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ScannedFile:
    path: str  # relative to the vault root, '/'-separated, NFC
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Scan:
    notes: tuple[ScannedFile, ...]  # Markdown notes to read, sorted by path
    attachments: tuple[str, ...]  # every other file (link targets such as images), sorted
    diagnostics: tuple[Diagnostic, ...]


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


@dataclass(frozen=True, slots=True)
class OneFile:
    """What `scan_vault` would make of one path: a note, an attachment, or nothing (missing or skipped)."""

    kind: str  # "note", "attachment" or "none"
    note: ScannedFile | None = None


def scan_one(root: Path, rel: str, output_dir: str) -> OneFile | None:
    """The scan's verdict on one vault-relative path, without walking the vault; None when only a full
    scan can tell (a folder, a symlink, a name the scan would report, a path through a symlinked folder)."""
    parts = rel.split("/")
    if not rel or rel != nfc(rel) or any(p in ("", ".", "..") for p in parts):
        return None
    output = output_dir.lower().strip("/")
    in_output = bool(output) and ("/".join(parts[:-1]).lower() + "/").startswith(output + "/")
    hidden = any(p.startswith(".") for p in parts) or not ALWAYS_SKIPPED.isdisjoint(parts[:-1])
    if in_output or hidden:  # as `scan_vault`, which never enters these folders
        return OneFile("none")
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return None
    real = os.path.join(root, *parts)
    try:
        st = os.lstat(real)
    except FileNotFoundError:
        return OneFile("none") if _parent_is_real(root, parts) else None
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or not _parent_is_real(root, parts):
        return None
    if not parts[-1].lower().endswith(".md"):
        return OneFile("attachment")
    if is_conflict_copy(parts[-1]):
        return None
    return OneFile("note", ScannedFile(rel, st.st_size, st.st_mtime_ns))


def _parent_is_real(root: Path, parts: list[str]) -> bool:
    """Every folder on the way is a real folder (not a symlink) whose name the scan would keep."""
    here = os.fspath(root)
    for part in parts[:-1]:
        here = os.path.join(here, part)
        try:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return False
        except OSError:
            return False
        if nfc(part) != part:
            return False
    return True
