"""The parse cache: one SQLite row per note, so a build re-reads only the files that changed.

`<vault>/.vaultkit/cache.sqlite` holds, per note path, the size, `mtime_ns`, a content digest and the parse
result (the `Note` and its diagnostics) as JSON of plain lists. A row is reused when size and mtime match;
when the mtime could lie (it was within `RACY_NS` of the moment the file was read, or it is a whole second
that other notes share, as tools stamping files in bulk leave), the file is read again and its digest must
match too. Rows are decoded with every field's type checked: the file sits in a synced folder, so anything
in it may have been planted. Anything unexpected (garbage, a truncated file, another schema or version, a
row of the wrong shape) deletes the file and every note is parsed again. A cache that cannot be opened or
written (read-only vault, locked, full disk) is skipped: the build goes on without it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sqlite3
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import vaultkit
from vaultkit.cache_codec import CorruptCache, Decoder, Entry, encode
from vaultkit.read import frontmatter

__all__ = [
    "APPLICATION_ID",
    "CACHE_DIR",
    "CACHE_FILE",
    "GITIGNORE",
    "SCHEMA_VERSION",
    "CorruptCache",
    "Decoder",
    "Entry",
    "ParseCache",
    "Row",
    "classify",
    "digest",
    "encode",
    "needs_digest",
    "open_cache",
]

CACHE_DIR: Final = ".vaultkit"
CACHE_FILE: Final = "cache.sqlite"
SCHEMA_VERSION: Final = 1
APPLICATION_ID: Final = 0x766B6331  # "vkc1": marks the file as ours
RACY_NS: Final = 2_000_000_000  # an mtime this close to the read may be shared by a later write
SECOND: Final = 1_000_000_000
PAGE_SIZE: Final = 16384  # rows of ~1 KiB: larger pages split less often; a cold save is ~15% faster
GITIGNORE: Final = (
    "# vaultkit's local state (caches) is not shared; templates/ (your template overrides) is.\n"
    "*\n!.gitignore\n!templates/\n!templates/**\n"
)
_SCHEMA: Final = (
    (
        "meta",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ),
    (
        "notes",
        "CREATE TABLE notes (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
        "checked_ns INTEGER NOT NULL, digest BLOB, data TEXT NOT NULL) WITHOUT ROWID",
    ),
)
_CORRUPT_CODES: Final = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_BUSY_CODES: Final = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_READ_ONLY_CODES: Final = frozenset({sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM})

Row = tuple[int, int, int, bytes | None, str]  # size, mtime_ns, checked_ns, digest, data


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def needs_digest(mtime_ns: int, now_ns: int) -> bool:
    """Whether a row read at `now_ns` needs its file's digest: its mtime may be trusted only with it."""
    return now_ns - mtime_ns < RACY_NS or mtime_ns % SECOND == 0


HIT, MISS, VERIFY = 0, 1, 2


def classify(row: Row | None, size: int, mtime_ns: int, shared_seconds: Collection[int]) -> int:
    """HIT: reuse the row; MISS: parse the file; VERIFY: reuse the row only if the file's digest matches.

    A row whose mtime was too recent when it was read, or is a whole second that other notes share, is
    verified: a matching size and mtime prove nothing there. Raises `CorruptCache` for a row of bad types."""
    if row is None or row[0] != size or row[1] != mtime_ns:
        return MISS
    checked, found, data = row[2], row[3], row[4]
    if type(checked) is not int or type(data) is not str or not (found is None or type(found) is bytes):
        raise CorruptCache("row")
    if checked - mtime_ns < RACY_NS or (mtime_ns % SECOND == 0 and mtime_ns in shared_seconds):
        return MISS if found is None else VERIFY
    return HIT


# --- the SQLite file ------------------------------------------------------------------------------------


@functools.cache
def _source_hash() -> str:
    h = hashlib.blake2b(digest_size=16)
    here = Path(__file__).parent
    sources = [here / name for name in ("cache.py", "cache_codec.py", "load.py")]
    sources += sorted(Path(frontmatter.__file__).parent.glob("*.py"))
    for source in sources:
        with contextlib.suppress(OSError):
            h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()


def settings_key(max_note_bytes: int) -> str:
    """What parse results depend on besides a file's bytes: the parser's own code and its settings.

    The reader's sources are hashed, so a vaultkit upgrade (or a working copy being edited) never reuses
    results that another parser produced."""
    parts = [
        vaultkit.__version__,
        _source_hash(),
        f"py{sys.version_info[0]}.{sys.version_info[1]}",
        f"libyaml={frontmatter.USE_LIBYAML}",
        f"max_note_bytes={max_note_bytes}",
    ]
    return ";".join(parts)


@dataclass(slots=True)
class ParseCache:
    """An open cache file. Every method swallows SQLite errors: the cache is never worth a failed build."""

    path: Path
    conn: sqlite3.Connection | None
    writable: bool = True
    rebuilt: bool = False  # a cache file was there but not trusted (damaged, not ours, another version)

    def rows(self) -> dict[str, Row]:
        """Every row; `CorruptCache` when the file turns out to be damaged while reading."""
        if self.conn is None:
            return {}
        try:
            found = self.conn.execute("SELECT path, size, mtime_ns, checked_ns, digest, data FROM notes")
            return {r[0]: r[1:] for r in found}
        except sqlite3.DatabaseError as exc:
            if _is_corrupt(exc):
                raise CorruptCache(str(exc)) from None
            self.close()  # locked or unreadable: carry on without it
            return {}

    def save(
        self,
        upserts: list[tuple[str, int, int, int, bytes | None, str]],
        checked: list[tuple[int, str]],
        deletes: Iterable[str],
    ) -> bool:
        """Write the changes in one transaction: after a crash the file holds the old rows or the new ones."""
        conn = self.conn
        if conn is None or not self.writable:
            return False
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany("DELETE FROM notes WHERE path = ?", [(p,) for p in deletes])
                conn.executemany("UPDATE notes SET checked_ns = ? WHERE path = ?", checked)
                conn.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?)", upserts)
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
        except (sqlite3.Error, ValueError, OverflowError):
            return False
        return True

    def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()
            self.conn = None

    def reset(self, settings: str) -> None:
        """Delete the file (damaged or planted) and start an empty one."""
        self.close()
        _delete(self.path)
        fresh = _connect(self.path, settings)
        self.conn = fresh.conn if fresh is not None else None
        self.writable = fresh.writable if fresh is not None else False


def _is_corrupt(exc: sqlite3.Error) -> bool:
    return _code(exc) in _CORRUPT_CODES


_SUFFIXES: Final = ("", "-journal", "-wal", "-shm")  # the database and the files SQLite keeps beside it


def _delete(path: Path) -> None:
    for suffix in _SUFFIXES:
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _drop_symlinks(path: Path) -> None:
    """Remove symlinks planted in place of the database or its journal: SQLite would write through them,
    to a file outside the vault."""
    for suffix in _SUFFIXES:
        link = path.with_name(path.name + suffix)
        if link.is_symlink():
            with contextlib.suppress(OSError):
                link.unlink()


def _create(conn: sqlite3.Connection, settings: str) -> None:
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # only while the file is still empty
    conn.execute("BEGIN IMMEDIATE")
    for _, sql in _SCHEMA:
        conn.execute(sql)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("vaultkit", vaultkit.__version__), ("settings", settings)]
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")


def _check(conn: sqlite3.Connection, settings: str) -> bool:
    """True when the file is ours, of this schema version, written by this parser with these settings."""
    if conn.execute("PRAGMA application_id").fetchone() != (APPLICATION_ID,):
        return False
    if conn.execute("PRAGMA user_version").fetchone() != (SCHEMA_VERSION,):
        return False
    tables = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    if tuple(tables) != _SCHEMA:
        return False
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    return meta == {"vaultkit": vaultkit.__version__, "settings": settings}


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _connect(path: Path, settings: str) -> ParseCache | None:
    """Open (or create) the cache at `path`. A file that is not ours, of another version or damaged is
    deleted and created again; a busy or read-only one is used as it can be, or not at all."""
    rebuilt = False
    for _attempt in range(2):
        try:
            conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error:
            return None
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            empty = conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
            if empty and conn.execute("PRAGMA user_version").fetchone() == (0,):
                _create(conn, settings)
                return ParseCache(path, conn, rebuilt=rebuilt)
            if _check(conn, settings):
                return ParseCache(path, conn)
        except sqlite3.Error as exc:
            code = _code(exc)
            if code in _BUSY_CODES or code == sqlite3.SQLITE_IOERR:
                conn.close()
                return None
            if code in _READ_ONLY_CODES:
                conn.close()
                return _read_only(path, settings)
        conn.close()
        _delete(path)  # not ours, another version, or damaged: never trusted
        rebuilt = True
    return None


def _read_only(path: Path, settings: str) -> ParseCache | None:
    """A cache we may read but not write (a read-only vault): use its rows, save nothing."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=5.0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        if _check(conn, settings):
            return ParseCache(path, conn, writable=False)
    except sqlite3.Error:
        pass
    conn.close()
    return None


def ensure_gitignore(folder: Path) -> None:
    """`.vaultkit/.gitignore`, so the cache never enters git; an existing one is never touched."""
    with contextlib.suppress(OSError), open(folder / ".gitignore", "x", encoding="utf-8", newline="\n") as fh:
        fh.write(GITIGNORE)


def open_cache(root: Path, max_note_bytes: int) -> ParseCache | None:
    """The vault's parse cache, created when missing; None when it cannot be opened at all."""
    folder = root / CACHE_DIR
    with contextlib.suppress(OSError):
        folder.mkdir(exist_ok=True)
    if not folder.is_dir() or folder.is_symlink():
        return None
    ensure_gitignore(folder)
    _drop_symlinks(folder / CACHE_FILE)
    return _connect(folder / CACHE_FILE, settings_key(max_note_bytes))
