"""Walk a vault: every file once at its real path; no hidden folders; symlinks are never followed."""

from __future__ import annotations

import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass
from operator import attrgetter
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
    """List the vault's files; skip hidden folders, `.obsidian/`, `.trash/`, `.git/` and the output folder.

    Each folder's entries are first run through a fast loop that takes the common case in any order: a
    regular file with an ASCII name (NFC and UTF-8 are no-ops) that is no conflict copy. The rest (folders,
    symlinks, other names, files to report) then go in name order through the full rules, so diagnostics
    and the folder walk keep the name order; `notes` and `attachments` are sorted at the end anyway. Two
    notes share a path only where NFC folds names together, and their order is kept too: the sort is
    stable, folders are walked in name order, and an ASCII name (added first) sorts before any other
    name that NFC folds onto it.
    """
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
            entries = list(os.scandir(real_dir))
        except OSError as exc:
            diags.append(
                Diagnostic(rel_dir or ".", None, "warning", "unreadable-folder", f"cannot list: {exc}")
            )
            return
        rest = _fast_files(entries, real_dir, key, f"{rel_dir}/" if rel_dir else "", notes, attachments)
        rest.sort(key=_BY_NAME)
        for entry in rest:
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
    notes.sort(key=_BY_PATH)
    attachments.sort()
    return Scan(tuple(notes), tuple(attachments), tuple(diags))


_BY_NAME = attrgetter("name")
_BY_PATH = attrgetter("path")
# `ScannedFile(path, size, mtime_ns)` without the frozen dataclass `__init__` (one `object.__setattr__`
# per field): the same object, made by setting its slots directly.
_new = object.__new__
_set_path = ScannedFile.path.__set__  # type: ignore[attr-defined]
_set_size = ScannedFile.size.__set__  # type: ignore[attr-defined]
_set_mtime = ScannedFile.mtime_ns.__set__  # type: ignore[attr-defined]
# Stat-ing names relative to a folder fd (`lstat(name, dir_fd=fd)`) spares the kernel the walk of the
# whole path that `DirEntry.stat()` makes it do: a fifth of the scan's time. Only on Linux, and only
# for a folder path short enough that "<folder>/<name>" stays well under PATH_MAX (4096 bytes; names
# are at most 255), so the full path could not have failed with ENAMETOOLONG where the fd works.
_USE_DIR_FD = sys.platform.startswith("linux") and os.stat in os.supports_dir_fd
_MAX_DIR_BYTES = 3000


def _open_dir(real_dir: Path, key: tuple[int, int]) -> int:
    """A file descriptor on the folder `key` (st_dev, st_ino) at `real_dir`, or -1 to stat by path."""
    if not _USE_DIR_FD or len(os.fsencode(real_dir)) > _MAX_DIR_BYTES:
        return -1
    try:
        fd = os.open(real_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return -1
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) == key:  # still the folder listed
            return fd
    except OSError:
        pass
    os.close(fd)
    return -1


def _fast_files(
    entries: list[os.DirEntry[str]],
    real_dir: Path,
    key: tuple[int, int],
    prefix: str,
    notes: list[ScannedFile],
    attachments: list[str],
) -> list[os.DirEntry[str]]:
    """Add the folder's plain files to `notes` / `attachments`; return the entries left for the full rules.

    Taken here, in any order: a regular file (not a symlink) whose name is ASCII (so NFC and the UTF-8
    check change nothing), does not start with a dot and, for a note, does not contain "conflict" in any
    case (`_CONFLICT_COPY` needs that word, and on an ASCII name IGNORECASE matches only its ASCII case
    variants). A file that cannot be stat-ed is skipped, as by the full rules. `is_symlink()` is asked
    first of every entry: it can only fail where the file system gives no file type and an lstat fails,
    and then every entry is left to the full rules (which keep `is_link` from the entry before) and
    nothing from this folder is added here.
    """
    rest: list[os.DirEntry[str]] = []
    keep = rest.append
    found: list[ScannedFile] = []
    add_note = found.append
    others: list[str] = []
    add_other = others.append
    is_reg, lstat = stat.S_ISREG, os.lstat
    new, sf, set_path, set_size, set_mtime = _new, ScannedFile, _set_path, _set_size, _set_mtime
    fd = _open_dir(real_dir, key)
    try:
        for entry in entries:
            name = entry.name
            if entry.is_symlink() or not name.isascii():
                keep(entry)
                continue
            if name[0] == ".":
                continue
            try:
                st = lstat(name, dir_fd=fd) if fd >= 0 else entry.stat()
            except OSError:
                continue
            if not is_reg(st.st_mode):
                keep(entry)
                continue
            low = name.lower()
            if not low.endswith(".md"):
                add_other(prefix + name)
            elif "conflict" in low:
                keep(entry)
            else:
                f = new(sf)
                set_path(f, prefix + name)
                set_size(f, st.st_size)
                set_mtime(f, st.st_mtime_ns)
                add_note(f)
    except OSError:
        return entries
    finally:
        if fd >= 0:
            os.close(fd)
    notes += found
    attachments += others
    return rest


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
