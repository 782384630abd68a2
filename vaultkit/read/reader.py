"""One file -> one Note. Files that are not notes (binary, not UTF-8, too large, conflicted): diagnostics."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.read._mdfast import new_note, with_summary
from vaultkit.read.frontmatter import read_frontmatter
from vaultkit.read.markdown import parse_body
from vaultkit.read.scan import nfc
from vaultkit.read.types import Note, Problem

_MERGE_MARKERS = re.compile(r"^<{7}(?: |$).*?^={7}\r?$.*?^>{7}(?: |$)", re.MULTILINE | re.DOTALL)
_BINARY_SNIFF = 8192


def _diag(path: str, p: Problem) -> Diagnostic:
    return Diagnostic(path, p.line, p.severity, p.code, p.message)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_note(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text, or a diagnostic saying why these bytes are not a note."""
    if b"\x00" in data[:_BINARY_SNIFF]:
        return None, [
            Diagnostic(path, None, "error", "binary", "binary content (NUL bytes), not a note; skipped")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        return None, [
            Diagnostic(
                path, line, "error", "not-utf8", f"not UTF-8 at byte {exc.start}; save it as UTF-8. Skipped"
            )
        ]
    if "<<<<<<<" in text and ">>>>>>>" in text:
        m = _MERGE_MARKERS.search(text)
        if m is not None:
            line = text.count("\n", 0, m.start()) + 1
            return None, [
                Diagnostic(
                    path,
                    line,
                    "error",
                    "merge-conflict",
                    "unresolved merge conflict markers (<<<<<<< ... >>>>>>>); resolve them. Skipped",
                )
            ]
    return text, []


_SUMMARY_MAX = 160
_NOT_PROSE = re.compile(r"^(#|```|~~~|%%|<!--|\||---|\*\*\*|___|!\[|\^[\w-]+$|[-*+] \[.\]|\d+[.)] \[.\])")
_LIST_MARK = re.compile(r"^(?:>\s*)*(?:[-*+]|\d+[.)])?\s*")


def summary_of(body: str) -> str:
    """The first line of prose in a body: not a heading, task, fence, comment, table, rule or embed; list
    and quote marks removed; at most 160 characters. Good enough to recall what a note was about."""
    in_fence = False
    for raw in body.splitlines()[:200]:
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or not line or _NOT_PROSE.match(line) or _NOT_PROSE.match(_LIST_MARK.sub("", line, 1)):
            continue
        text = _LIST_MARK.sub("", line, 1).strip()
        if text:
            return text if len(text) <= _SUMMARY_MAX else text[: _SUMMARY_MAX - 1].rstrip() + "…"
    return ""


def parse_note(path: str, text: str, *, size: int = 0, mtime_ns: int = 0) -> tuple[Note, list[Diagnostic]]:
    """Decoded text -> Note. Never raises: problems in the frontmatter or body become diagnostics."""
    fm = read_frontmatter(text)
    rest = text[fm.body_offset :]
    body = parse_body(rest, fm.body_line)
    summary = summary_of(rest)
    if summary:
        body = with_summary(body, summary)
    diags = [_diag(path, p) for p in fm.problems] if fm.problems else []
    if body.problems:
        diags.extend(_diag(path, p) for p in body.problems)
    if fm.data is None:
        return new_note(path, {}, {}, body, mtime_ns, size), diags
    return new_note(path, fm.data, fm.key_lines, body, mtime_ns, size), diags


ReadResult = tuple[bytes | None, int, int, list[Diagnostic]]  # bytes, size, mtime_ns, diagnostics
_O_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
STABLE_READ_TRIES = 3  # a note that changes under every read is reported (and read again next build)


def read_file(root: str, path: str, max_bytes: int) -> ReadResult:
    """`root/path`'s bytes, size and mtime_ns from the open file, checking the size limit before
    reading; the bytes are None when the file cannot be a note. A file that changes while it is
    read (an editor truncating then writing) is read again; if it never settles it is reported and skipped."""
    for _ in range(STABLE_READ_TRIES):
        got, stable = _read_once(root, path, max_bytes)
        if stable:
            return got
        time.sleep(0.02)
    message = "kept changing while being read; skipped this time (the next build reads it again)"
    return None, got[1], got[2], [Diagnostic(path, None, "warning", "changed-while-reading", message)]


def _open(root: str, path: str) -> int:
    """Open `root/path`; `path` is NFC, and a name saved decomposed (NFD, as macOS does) is found too."""
    try:
        return os.open(f"{root}/{path}", _O_FLAGS)
    except FileNotFoundError:
        disk = _on_disk(root, path)
        if disk is None or disk == path:
            raise
        return os.open(f"{root}/{disk}", _O_FLAGS)


def _on_disk(root: str, path: str) -> str | None:
    """The name on disk of the NFC `path`, matching each part by its NFC form."""
    current = root
    parts: list[str] = []
    for part in path.split("/"):
        if not os.path.lexists(os.path.join(current, part)):
            try:
                names = os.listdir(current)
            except OSError:
                return None
            matches = [n for n in names if nfc(n) == part]
            if len(matches) != 1:
                return None
            part = matches[0]
        parts.append(part)
        current = os.path.join(current, part)
    return "/".join(parts)


def _read_once(root: str, path: str, max_bytes: int) -> tuple[ReadResult, bool]:
    try:
        fd = _open(root, path)
    except FileNotFoundError:
        vanished = Diagnostic(path, None, "warning", "vanished", "deleted or renamed while reading; skipped")
        return (None, 0, 0, [vanished]), True
    except OSError as exc:
        return (None, 0, 0, [_unreadable(path, exc)]), True
    try:
        st = os.fstat(fd)
        if st.st_size > max_bytes:
            mb = max_bytes / (1024 * 1024)
            message = f"too large ({st.st_size:,} bytes > {mb:g} MB limit); skipped"
            too_large = Diagnostic(path, None, "error", "too-large", message)
            return (None, st.st_size, st.st_mtime_ns, [too_large]), True
        parts: list[bytes] = []
        total, want = 0, st.st_size + 1
        while total <= max_bytes:
            asked = min(want, max_bytes + 1 - total)
            piece = os.read(fd, asked)
            if not piece:
                break
            parts.append(piece)
            total += len(piece)
            if len(piece) < asked:  # a regular file's short read is its end (checked by `after` below)
                break
            want = 65536
        after = os.fstat(fd)
    except OSError as exc:
        return (None, 0, 0, [_unreadable(path, exc)]), True
    finally:
        os.close(fd)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > max_bytes:
        message = "grew past the size limit while reading; skipped"
        return (
            None,
            st.st_size,
            st.st_mtime_ns,
            [Diagnostic(path, None, "error", "too-large", message)],
        ), True
    stable = len(data) == st.st_size and (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    return (data, st.st_size, st.st_mtime_ns, []), stable


def _unreadable(path: str, exc: OSError) -> Diagnostic:
    reason = exc.strerror or str(exc)
    return Diagnostic(path, None, "error", "unreadable", f"cannot read: {reason}; skipped")


def parse_bytes(path: str, data: bytes, mtime_ns: int) -> tuple[Note | None, list[Diagnostic]]:
    """A file's bytes -> Note (or the diagnostics saying why these bytes are not a note)."""
    text, diags = decode_note(path, data)
    if text is None:
        return None, diags
    note, more = parse_note(path, text, size=len(data), mtime_ns=mtime_ns)
    return note, diags + more


def read_note(root: Path, path: str, max_bytes: int) -> tuple[Note | None, list[Diagnostic]]:
    """Read and parse `root/path`; the size is checked before the file is read."""
    data, _, mtime_ns, diags = read_file(str(root), path, max_bytes)
    if data is None:
        return None, diags
    return parse_bytes(path, data, mtime_ns)
