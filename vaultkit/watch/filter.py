"""Which file-system events can change the agenda: a pure function of the event and two folder names.

Rules (``docs/watch.md`` explains each one):

* Paths outside the vault, in the output folder (``Agenda/``), or with a hidden component (``.git/``,
  ``.obsidian/``, ``.trash/``, ``.vaultkit/`` …) never count, except templates under ``.vaultkit/templates/``,
  which change the pages.
* Editor droppings never count: vim swap and backup files (``*.swp``, ``*~``, ``4913``), Emacs lock and
  autosave files (``.#x``, ``#x#``), gedit's ``.goutputstream-*``, ``*.tmp`` (which covers our own
  ``.vaultkit-*.tmp``), ``.DS_Store``.
* A note (``*.md``), the root ``vaultkit.toml`` or a template counts for every kind of change. Any other file
  counts only when it appears or disappears, since the model uses its existence (links to attachments) and
  never its content. A folder counts when created, deleted or moved (it may carry notes); a folder "modified"
  event only says that an entry inside it changed, and that entry has its own event.
* A move counts if either side counts: ``.x.md.tmp -> x.md`` is an atomic save and ``x.md -> x.md~`` makes a
  note vanish (vim's backup save).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = [
    "TEMPLATES_DIR",
    "Change",
    "changes_for",
    "is_editor_dropping",
    "pruned_scandir",
    "should_rebuild",
]

CONFIG_FILE = "vaultkit.toml"  # same as vaultkit.config.CONFIG_FILE; kept here so this module imports nothing
TEMPLATES_DIR = (".vaultkit", "templates")

_DROPPING = re.compile(
    r"""
      \.sw.$                  # vim swap files: .swp .swo .swn … and .swx
    | ~$                      # backups: note.md~ (vim, gedit, emacs)
    | ^\.\#                   # emacs lock files
    | ^\#.*\#$                # emacs autosave files
    | ^4913$                  # vim checks that it may create files in the folder
    | ^\.goutputstream-       # gedit / GIO atomic saves
    | \.tmp$                  # editors' temp files, and our own .vaultkit-*.tmp
    | ^\.ds_store$            # macOS Finder
    | ^\.~lock\..*\#$         # LibreOffice lock files
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Change:
    """One path that changed, relative to the vault with ``/`` separators.

    ``kind`` is ``created``, ``modified``, ``deleted``, ``saved`` (a temp file moved over it: an atomic
    save) or ``moved`` (from ``old_path``).
    """

    kind: str
    path: str
    old_path: str | None = None
    is_dir: bool = False

    def describe(self) -> str:
        shown = f"{self.path}/" if self.is_dir else self.path
        if self.kind == "moved" and self.old_path is not None:
            return f"{self.old_path} moved to {shown}"
        return f"{shown} {self.kind}"


def is_editor_dropping(name: str) -> bool:
    """True for the temp, swap, lock and backup files that editors, tools and vaultkit leave next to notes."""
    return _DROPPING.search(name.lower()) is not None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _relative(path: str | None, vault_root: str | PurePath) -> tuple[str, ...] | None:
    """The path's components below the vault root, NFC; None if it is the root itself or outside it."""
    if not path:
        return None
    try:
        parts = PurePath(path).relative_to(vault_root).parts
    except ValueError:
        return None
    if not parts or ".." in parts:
        return None
    return tuple(_nfc(p) for p in parts)


def _output_parts(output_dir: str) -> tuple[str, ...]:
    return tuple(_nfc(p).lower() for p in output_dir.replace("\\", "/").split("/") if p not in ("", "."))


def _ignored_folder(parts: tuple[str, ...], output: tuple[str, ...]) -> bool:
    """True for the output folder and what is inside it, and for hidden paths (except the templates)."""
    if output and tuple(p.lower() for p in parts[: len(output)]) == output:
        return True
    hidden_from = len(TEMPLATES_DIR) if parts[: len(TEMPLATES_DIR)] == TEMPLATES_DIR else 0
    return any(p.startswith(".") for p in parts[hidden_from:])


def _counts(parts: tuple[str, ...] | None, kind: str, is_dir: bool, output: tuple[str, ...]) -> bool:
    """Whether a ``created``/``modified``/``deleted`` of this vault-relative path can change the pages."""
    if parts is None or _ignored_folder(parts, output):
        return False
    name = parts[-1]
    if is_editor_dropping(name):
        return False
    if is_dir:
        return kind != "modified"
    if parts[: len(TEMPLATES_DIR)] == TEMPLATES_DIR:
        return True
    if name.lower().endswith(".md") or parts == (CONFIG_FILE,):
        return True
    return kind != "modified"  # an attachment: its presence resolves links, its bytes never matter


def changes_for(
    event_type: str,
    src_path: str,
    dest_path: str | None,
    vault_root: str | PurePath,
    output_dir: str,
    *,
    is_directory: bool = False,
) -> list[Change]:
    """The changes an event means for the agenda (none when it cannot change a page). Pure: no file system."""
    output = _output_parts(output_dir)
    src = _relative(src_path, vault_root)
    src_rel = "/".join(src) if src is not None else ""
    if event_type == "moved":
        dest = _relative(dest_path, vault_root)
        dest_rel = "/".join(dest) if dest is not None else ""
        src_counts = _counts(src, "deleted", is_directory, output)
        dest_counts = _counts(dest, "created", is_directory, output)
        if src_counts and dest_counts:
            return [Change("moved", dest_rel, src_rel, is_directory)]
        if dest_counts:
            return [Change("saved", dest_rel, None, is_directory)]
        if src_counts:
            return [Change("deleted", src_rel, None, is_directory)]
        return []
    if event_type in ("created", "modified", "deleted") and _counts(src, event_type, is_directory, output):
        return [Change(event_type, src_rel, None, is_directory)]
    return []


def should_rebuild(
    event_type: str,
    src_path: str,
    dest_path: str | None,
    vault_root: str | PurePath,
    output_dir: str,
    *,
    is_directory: bool = False,
) -> bool:
    """True when the event may change an agenda page. Pure: decided from the names alone."""
    changes = changes_for(event_type, src_path, dest_path, vault_root, output_dir, is_directory=is_directory)
    return bool(changes)


def _descend(parts: tuple[str, ...], output: tuple[str, ...]) -> bool:
    """Whether a polling snapshot should look at this path: not ignored, or on the way to the templates."""
    return parts == TEMPLATES_DIR[: len(parts)] or not _ignored_folder(parts, output)


ScanDir = Callable[[str | None], Iterator[os.DirEntry[str]]]


def pruned_scandir(vault_root: Path, output_dir: Callable[[], str]) -> ScanDir:
    """An ``os.scandir`` for watchdog's polling snapshots that skips the folders the filter ignores anyway
    (``.git/`` can hold more files than the notes), so each poll stats only what can matter."""
    root = str(vault_root)

    def scandir(path: str | None) -> Iterator[os.DirEntry[str]]:
        directory = root if path is None else path
        parts = _relative(directory, root) or ()
        output = _output_parts(output_dir())
        with os.scandir(directory) as entries:
            kept = [e for e in entries if _descend((*parts, _nfc(e.name)), output)]
        return iter(kept)

    return scandir
