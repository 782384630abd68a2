"""One file -> one Note. Files that are not notes (binary, not UTF-8, too large, conflicted): diagnostics."""

from __future__ import annotations

import os
import re
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.read.frontmatter import read_frontmatter
from vaultkit.read.markdown import parse_body
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


def parse_note(path: str, text: str, *, size: int = 0, mtime_ns: int = 0) -> tuple[Note, list[Diagnostic]]:
    """Decoded text -> Note. Never raises: problems in the frontmatter or body become diagnostics."""
    fm = read_frontmatter(text)
    body = parse_body(text[fm.body_offset :], fm.body_line)
    diags = [_diag(path, p) for p in fm.problems]
    diags.extend(_diag(path, p) for p in body.problems)
    note = Note(
        path=path,
        meta=fm.data if fm.data is not None else {},
        key_lines=fm.key_lines if fm.data is not None else {},
        body=body,
        mtime_ns=mtime_ns,
        size=size,
    )
    return note, diags


def read_note(root: Path, path: str, max_bytes: int) -> tuple[Note | None, list[Diagnostic]]:
    """Read `root/path`; the size is checked before the file is read."""
    full = root / path
    try:
        with open(full, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > max_bytes:
                mb = max_bytes / (1024 * 1024)
                return None, [
                    Diagnostic(
                        path,
                        None,
                        "error",
                        "too-large",
                        f"too large ({st.st_size:,} bytes > {mb:g} MB limit); skipped",
                    )
                ]
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        return None, [
            Diagnostic(path, None, "warning", "vanished", "deleted or renamed while reading; skipped")
        ]
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [Diagnostic(path, None, "error", "unreadable", f"cannot read: {reason}; skipped")]
    if len(data) > max_bytes:
        return None, [
            Diagnostic(path, None, "error", "too-large", "grew past the size limit while reading; skipped")
        ]
    text, diags = decode_note(path, data)
    if text is None:
        return None, diags
    note, more = parse_note(path, text, size=len(data), mtime_ns=st.st_mtime_ns)
    return note, diags + more
