"""Writing an export file (``--out``): atomically, only when the bytes changed, and never over a file that
vaultkit did not write (recognised by vaultkit's PRODID near its start)."""

from __future__ import annotations

import stat
from pathlib import Path

from vaultkit.interop import InteropError
from vaultkit.write import atomic_write_bytes

_SNIFF_BYTES = 4096


def write_export(path: Path, data: bytes, prodid: str) -> bool:
    """Write ``data`` to ``path``; returns False when the file already had exactly these bytes."""
    if path.is_dir():
        raise InteropError(f"{path}: is a folder; give a file name")
    mode = None
    if path.exists() or path.is_symlink():
        if path.is_symlink() or not path.is_file():
            raise InteropError(f"{path}: not a regular file; not overwritten")
        old = path.read_bytes()
        if old == data:
            return False
        if prodid.encode("utf-8") not in old[:_SNIFF_BYTES]:
            raise InteropError(f"{path}: exists and was not written by vaultkit; not overwritten")
        mode = stat.S_IMODE(path.stat().st_mode)
    if not path.parent.is_dir():
        raise InteropError(f"{path.parent}: no such folder")
    try:
        atomic_write_bytes(path, data, mode)
    except OSError as exc:
        raise InteropError(f"{path}: not written: {exc.strerror or exc}") from None
    return True
