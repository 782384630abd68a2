"""The build stamp: when nothing a build depends on has changed, the pages on disk are already right.

After a successful build, `.vaultkit/build-stamp.json` records a key (a digest of everything the pages and
the problems depend on: vaultkit's own code and templates, Python, the config, `--today`, the vault's
template overrides, and every scanned file's path, size and mtime), the problems found, the number of
notes, and the state (size, mtime, inode) of each page written. The next build scans the vault (it must:
that is how changes are found), computes the key, and when it matches and every page is still as written,
it stops there: the pages are right and the problems are the recorded ones. Anything else, a changed
file, a page touched by hand, a damaged stamp, runs the whole build.

A stamp is written only when every note's mtime can be trusted (see `vaultkit.cache.classify`: not within
`RACY_NS` of the build, not a whole second that other notes share); otherwise a later save in the same
instant could go unseen, and the next build simply runs in full. Like the parse cache, the stamp trusts a
file whose size and mtime are unchanged: a tool that rewrites a file keeping both is not seen by either.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import sys
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import vaultkit
from vaultkit.cache import CACHE_DIR, RACY_NS, SECOND
from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.read import frontmatter
from vaultkit.read.scan import Scan
from vaultkit.render import OVERRIDES_DIR, packaged_templates_dir
from vaultkit.write import atomic_write_bytes

__all__ = ["STAMP_FILE", "Stamped", "forget", "read_stamp", "stamp_key", "write_stamp"]

STAMP_FILE: Final = "build-stamp.json"
_FORMAT: Final = 1
_MTIME = attrgetter("mtime_ns")
PageState = tuple[int, int, int]  # size, mtime_ns, inode


@dataclass(frozen=True, slots=True)
class Stamped:
    """What the stamped build found: its problems, its note count and the pages it left."""

    diagnostics: tuple[Diagnostic, ...]
    note_count: int
    pages: tuple[str, ...]  # vault-relative paths of the pages


@functools.cache
def _code_digest() -> str:
    """vaultkit's sources and packaged templates: an upgrade or an edited checkout never reuses a stamp."""
    h = hashlib.blake2b(digest_size=16)
    package = Path(vaultkit.__file__).parent
    files = sorted(package.rglob("*.py"))
    templates = packaged_templates_dir()
    if templates.is_dir():
        files += sorted(p for p in templates.rglob("*") if p.is_file())
    for path in files:
        with contextlib.suppress(OSError):
            h.update(os.fsencode(path.name) + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _overrides(root: Path) -> list[object]:
    """The state of every file under the vault's template overrides folder (without following links)."""
    folder = root / OVERRIDES_DIR
    found: list[object] = []
    try:
        st = os.lstat(folder)
    except OSError:
        return found
    found.append(("", st.st_mode, st.st_ino))
    if not stat.S_ISDIR(st.st_mode):
        return found
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):
                s = os.lstat(path)
                found.append((os.path.relpath(path, folder), s.st_mode, s.st_size, s.st_mtime_ns, s.st_ino))
    return found


def stamp_key(root: Path, config: Config, config_diags: list[Diagnostic], scan: Scan, today: object) -> str:
    """The digest of everything a build's pages and problems depend on."""
    h = hashlib.blake2b(digest_size=20)
    head = [
        _FORMAT,
        vaultkit.__version__,
        _code_digest(),
        sys.version,
        frontmatter.USE_LIBYAML,
        os.fspath(root),
        repr(config),
        repr(config_diags),
        str(today),
        repr(_overrides(root)),
        repr(scan.attachments),
        repr(scan.diagnostics),
    ]
    h.update(repr(head).encode("utf-8", "backslashreplace"))
    files = "\0".join(f"{f.path}\0{f.size}\0{f.mtime_ns}" for f in scan.notes)
    h.update(files.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def trusted(scan: Scan, now_ns: int) -> bool:
    """Whether every note's size and mtime, as scanned before `now_ns`, would show a later change."""
    mtimes = list(map(_MTIME, scan.notes))
    if mtimes and now_ns - max(mtimes) < RACY_NS:
        return False
    whole = Counter([mtime for mtime in mtimes if mtime % SECOND == 0])
    return all(count == 1 for count in whole.values())


def _stamp_path(root: Path) -> Path:
    return root / CACHE_DIR / STAMP_FILE


def _page_state(root: Path, page: str) -> PageState | None:
    try:
        st = os.lstat(root / page)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _diagnostic(item: Any) -> Diagnostic:
    path, line, severity, code, message = item
    ok = (
        type(path) is str
        and (line is None or type(line) is int)
        and severity in ("error", "warning")
        and type(code) is str
        and type(message) is str
    )
    if not ok:
        raise ValueError("bad diagnostic")
    return Diagnostic(path, line, severity, code, message)


def read_stamp(root: Path, key: str) -> Stamped | None:
    """The stamped build when `key` matches and its pages are untouched; None otherwise (never raises)."""
    folder = root / CACHE_DIR
    if folder.is_symlink():
        return None
    try:
        with open(_stamp_path(root), "rb") as fh:
            data = json.loads(fh.read(64 * 1024 * 1024))
        if data.get("key") != key or data.get("format") != _FORMAT:
            return None
        pages = data["pages"]
        if type(pages) is not dict:
            return None
        for page, state in pages.items():
            if type(state) is not list or _page_state(root, page) != tuple(state):
                return None
        count = data["notes"]
        if type(count) is not int:
            return None
        diags = tuple(_diagnostic(item) for item in data["diagnostics"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return Stamped(diags, count, tuple(sorted(pages)))


def write_stamp(
    root: Path, key: str, diagnostics: tuple[Diagnostic, ...], note_count: int, pages: tuple[str, ...]
) -> bool:
    """Record a successful build. False (and no stamp) when a page cannot be stat'ed or the write fails."""
    folder = root / CACHE_DIR
    states = {page: _page_state(root, page) for page in pages}
    if any(state is None for state in states.values()) or folder.is_symlink() or not folder.is_dir():
        forget(root)
        return False
    record = {
        "format": _FORMAT,
        "key": key,
        "notes": note_count,
        "pages": states,
        "diagnostics": [[d.path, d.line, d.severity, d.code, d.message] for d in diagnostics],
    }
    text = json.dumps(record, ensure_ascii=True, sort_keys=True)
    try:
        path = _stamp_path(root)
        with contextlib.suppress(OSError):
            if path.read_bytes() == text.encode():
                return True
        atomic_write_bytes(path, text.encode())
    except OSError:
        forget(root)
        return False
    return True


def forget(root: Path) -> None:
    """Remove the stamp: the next build runs in full."""
    if (root / CACHE_DIR).is_symlink():
        return
    with contextlib.suppress(OSError):
        _stamp_path(root).unlink()
