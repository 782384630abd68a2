"""The parse cache: a warm build equals a cold one, whatever happened to the files or to the cache file."""

from __future__ import annotations

import dataclasses
import io
import os
import sqlite3
import stat
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

import vaultkit
import vaultkit.bulk as bulk_module
from tests.conftest import VaultFactory
from vaultkit.cache import (
    APPLICATION_ID,
    CACHE_DIR,
    CACHE_FILE,
    GITIGNORE,
    SCHEMA_VERSION,
    Decoder,
    encode,
    settings_key,
)
from vaultkit.config import Config
from vaultkit.load import Loaded, load_vault, read_notes
from vaultkit.progress import parse_progress
from vaultkit.read.reader import read_note
from vaultkit.read.scan import scan_vault

HOUR_AGO = 3600 * 10**9

FILES: dict[str, str | bytes] = {
    "people/Ann Lee.md": (
        "---\ntype: person\naliases: [Annie]\ntags: [climate, python]\ncadence: 30d\nbirthday: --04-12\n"
        "offers: [hiring advice]\nneeds: [designer]\nratio: 1.5\nbig: 123456789012345678901234567890\n"
        "nested: {a: [1, {b: null}], c: true}\n---\nWorks with [[Bo Chen]]. #climate #python\n"
    ),
    "people/Bo Chen.md": "---\ntype: person\nemails: [bo@example.com]\n---\nMet at [[PyCon|the conf]].\n",
    "interactions/2026/2026-11-20 Coffee.md": (
        "---\ntype: interaction\ndate: 2026-11-20\nwith: ['[[Ann Lee]]', '[[Bo Chen]]']\nkind: coffee\n---\n"
        "Talked about [grants](../../resources/Grants.md#Section) and ![[chart.png]].\n"
        "- [ ] Send [[Ann Lee]] the deck 📅 2026-11-28 ⏫ 🔁 every week ⏳ 2026-11-26 ➕ 2026-11-20\n"
        "- [x] Book the room ✅ 2026-11-19\n- [ ] Bad date 📅 2026-02-31\n"
    ),
    "daily/2026-11-21.md": "# Saturday\n- Lunch with [[Annie]] `[[not a link]]` #followup\n",
    "notes/broken yaml.md": "---\ntitle: Assignment 1: Some Title\n---\nbody\n",
    "notes/dup.md": "---\na: 1\na: 2\n---\n",
    "notes/unclosed.md": "---\na: 1\n",
    "notes/binary.md": b"\x00\x01\x02 not text",
    "notes/latin1.md": "caf\xe9\n".encode("latin-1"),
    "notes/conflict.md": "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n",
    "notes/plain.md": "Just text, no links.\n",
    "notes/empty.md": "",
    "chart.png": b"\x89PNG",
}


def age(root: Path, seconds_ago: int = 3600) -> None:
    """Give every note a distinct mtime in the past, so cached rows are trusted without a digest."""
    now = os.stat(root).st_mtime_ns
    for i, path in enumerate(sorted(root.rglob("*.md"))):
        stamp = now - seconds_ago * 10**9 + i * 1_234_567
        os.utime(path, ns=(stamp, stamp))


def same(a: Loaded, b: Loaded) -> None:
    assert a.notes == b.notes
    assert a.diagnostics == b.diagnostics
    assert a.vault == b.vault


def rebuilt_notice(loaded: Loaded) -> Loaded:
    """`loaded` less the one warning that says the cache was rebuilt, which must be there."""
    notices = [d for d in loaded.diagnostics if d.code == "cache-rebuilt"]
    assert [(d.path, d.severity) for d in notices] == [(".vaultkit/cache.sqlite", "warning")]
    return dataclasses.replace(loaded, diagnostics=tuple(d for d in loaded.diagnostics if d not in notices))


def reference(root: Path) -> Loaded:
    loaded = load_vault(root, use_cache=False)
    return loaded


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Paths read from disk since the last call (cache hits read nothing)."""
    seen: list[str] = []
    real = bulk_module.read_file

    def spy(root: str, path: str, max_bytes: int):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(root, path, max_bytes)

    monkeypatch.setattr(bulk_module, "read_file", spy)

    def take() -> list[str]:
        out = sorted(seen)
        seen.clear()
        return out

    return take


def cache_db(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def rows(root: Path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(cache_db(root)) as conn:
        return {p: (s, m) for p, s, m in conn.execute("SELECT path, size, mtime_ns FROM notes")}


# --- cold, warm, and after changes ------------------------------------------------------------------------


def test_cold_warm_and_changes_give_what_a_cold_build_gives(
    make_vault: VaultFactory, count_reads: Callable[[], list[str]]
) -> None:
    root = make_vault(FILES)
    age(root)
    cold = load_vault(root)
    assert len(count_reads()) == 12
    same(cold, reference(root))
    count_reads()
    assert len(rows(root)) == 12  # every note, the broken ones too (their diagnostics are cached)

    warm = load_vault(root)
    same(warm, cold)
    assert count_reads() == []  # nothing read: size and mtime match, and the mtimes are old

    edited = root / "people/Bo Chen.md"
    edited.write_text("---\ntype: person\nemails: [bo@example.org]\n---\nNow links [[Ann Lee]].\n")
    (root / "notes/dup.md").unlink()
    (root / "people/Ann Lee.md").rename(root / "people/Ann Li.md")
    (root / "notes/new.md").write_text("New with [[Ann Li]] #tag\n")
    after = load_vault(root)
    assert count_reads() == ["notes/new.md", "people/Ann Li.md", "people/Bo Chen.md"]
    same(after, reference(root))
    assert "notes/dup.md" not in rows(root) and "people/Ann Lee.md" not in rows(root)
    assert "people/Ann Li.md" in rows(root)

    touched = root / "notes/plain.md"
    os.utime(touched, ns=(touched.stat().st_mtime_ns + 5_000, touched.stat().st_mtime_ns + 5_000))
    same(load_vault(root), reference(root))  # same content, new mtime: read again, same result
    count_reads()
    assert rows(root)["notes/plain.md"][1] == touched.stat().st_mtime_ns


def test_read_notes_reads_like_read_note(make_vault: VaultFactory) -> None:
    root = make_vault({**FILES, "notes/huge.md": "x" * 5000})
    config = Config(max_note_bytes=4096)
    notes, _, diags = read_notes(root, config)
    expected_notes, expected_diags = [], list(scan_vault(root, "Agenda").diagnostics)
    for f in scan_vault(root, "Agenda").notes:
        note, problems = read_note(root, f.path, config.max_note_bytes)
        expected_diags.extend(problems)
        if note is not None:
            expected_notes.append(note)
    assert (notes, diags) == (expected_notes, expected_diags)
    assert any(d.code == "too-large" for d in diags)


def test_worker_processes_give_the_same_notes(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_module, "CHUNK", 2)  # six chunks: the workers and this process share them
    collected: list[object] = []
    real_collect = bulk_module._Run._collect

    def collect(self: bulk_module._Run, future: Any, where: dict[str, int]) -> int:
        collected.append(future)
        return real_collect(self, future, where)

    monkeypatch.setattr(bulk_module._Run, "_collect", collect)
    root = make_vault(FILES)
    calls: list[tuple[int, int]] = []
    parallel = load_vault(root, workers=2, progress=lambda done, total: calls.append((done, total)))
    assert collected  # a worker process parsed some
    same(parallel, reference(root))
    assert calls[-1] == (12, 12) and all(total == 12 for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    same(load_vault(root, workers=2), parallel)  # and the rows they wrote are good


def _die(*args: object) -> None:
    os._exit(3)  # a worker killed (out of memory, say) in the middle of its job


@pytest.mark.parametrize("failure", ["no processes", "a worker dies"])
def test_parsing_goes_on_without_workers(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    monkeypatch.setattr(bulk_module, "CHUNK", 2)
    if failure == "no processes":

        def refuse(*args: object, **kwargs: object) -> None:
            raise OSError(38, "Function not implemented")  # e.g. no /dev/shm for the pool's semaphores

        monkeypatch.setattr(bulk_module, "ProcessPoolExecutor", refuse)
    else:
        monkeypatch.setattr(bulk_module, "_mp_context", lambda: get_context("fork"))
        monkeypatch.setattr(bulk_module, "_parse_chunk", _die)
    root = make_vault(FILES)
    same(load_vault(root, workers=2), reference(root))


def test_progress_counts_only_the_notes_parsed(make_vault: VaultFactory) -> None:
    root = make_vault({f"notes/n{i}.md": f"note {i}\n" for i in range(1200)})
    age(root)
    calls: list[tuple[int, int]] = []
    load_vault(root, workers=1, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(500, 1200), (1000, 1200), (1200, 1200)]
    calls.clear()
    (root / "notes/n7.md").write_text("changed\n")
    load_vault(root, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]


# --- mtimes that lie --------------------------------------------------------------------------------------


def test_same_mtime_same_size_new_content_is_seen(make_vault: VaultFactory) -> None:
    """Written twice within one clock tick: size and mtime match, only the digest tells."""
    root = make_vault(
        {"people/Ann.md": "---\ncadence: 30d\n---\n", "people/Bo.md": "---\ncadence: 1w\n---\n"}
    )
    load_vault(root)  # just written: the rows are too recent to trust without a digest
    path = root / "people/Ann.md"
    before = path.stat()
    path.write_text("---\ncadence: 90d\n---\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    same(load_vault(root), reference(root))
    assert load_vault(root).notes[0].meta == {"cadence": "90d"}


def test_whole_second_mtimes_shared_by_many_notes_are_checked(
    make_vault: VaultFactory, count_reads: Callable[[], list[str]]
) -> None:
    """Tools that stamp files in bulk (unzip, rsync, some syncs) leave whole-second mtimes: not trusted."""
    root = make_vault({"notes/a.md": "alpha [[b]]\n", "notes/b.md": "beta\n", "notes/c.md": "gamma\n"})
    stamp = (os.stat(root).st_mtime_ns // 10**9 - 3600) * 10**9
    for name in ("a", "b"):
        os.utime(root / f"notes/{name}.md", ns=(stamp, stamp))
    os.utime(root / "notes/c.md", ns=(stamp + 7, stamp + 7))
    load_vault(root)
    count_reads()
    (root / "notes/a.md").write_text("ALPHA [[c]]\n")
    os.utime(root / "notes/a.md", ns=(stamp, stamp))
    warm = load_vault(root)
    assert count_reads() == ["notes/a.md", "notes/b.md"]  # c's mtime is its own: trusted
    same(warm, reference(root))


def test_old_rows_are_not_read_again(make_vault: VaultFactory, count_reads: Callable[[], list[str]]) -> None:
    root = make_vault({"notes/a.md": "alpha\n"})
    load_vault(root)  # fresh file: its row is verified by digest next time
    count_reads()
    load_vault(root)
    assert count_reads() == ["notes/a.md"]  # still within the racy window: verified, not parsed
    age(root)
    load_vault(root)
    count_reads()
    load_vault(root)
    assert count_reads() == []


# --- a cache that cannot be trusted -----------------------------------------------------------------------


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database at all" * 200)


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _sql(*statements: str) -> Callable[[Path], None]:
    def run(db: Path) -> None:
        conn = sqlite3.connect(db)
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return run


DAMAGE = {
    "garbage": _garbage,
    "truncated": _truncated,
    "empty file": lambda db: db.write_bytes(b""),
    "newer version": _sql(f"PRAGMA user_version = {SCHEMA_VERSION + 1}"),
    "older version": _sql("PRAGMA user_version = 0"),
    "foreign file": _sql("PRAGMA application_id = 42"),
    "other schema": _sql("ALTER TABLE notes ADD COLUMN extra TEXT"),
    "other vaultkit": _sql("UPDATE meta SET value = '0.0.1' WHERE key = 'vaultkit'"),
    "other parser": _sql("UPDATE meta SET value = 'x' WHERE key = 'settings'"),
    "row not json": _sql("UPDATE notes SET data = 'not json'"),
    "row wrong shape": _sql(
        """UPDATE notes SET data = '[[{}, {}, [["a", "", null, "1", false, false]], [], [], []], []]'"""
    ),
    "row bad line": _sql("""UPDATE notes SET data = '[null, [[1.5, "error", "x", "y"]]]'"""),
    "row bad severity": _sql("""UPDATE notes SET data = '[null, [[1, "fatal", "x", "y"]]]'"""),
    "row bad date": _sql(
        """UPDATE notes SET data = '[[{}, {}, [], [], [[1, " ", "t", 0, null, null, null, null, null,"""
        """ null, null, []]], []], []]'"""
    ),
    "row bad types": _sql("UPDATE notes SET checked_ns = 'soon', data = X'00'"),
    "row object": _sql("""UPDATE notes SET data = '{"a": 1, "b": 2}'"""),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_rebuilt_never_trusted(make_vault: VaultFactory, damage: str) -> None:
    root = make_vault(FILES)
    age(root)
    expected = reference(root)
    load_vault(root)
    DAMAGE[damage](cache_db(root))
    loaded = load_vault(root)
    if damage != "empty file":  # SQLite takes an empty file for a new database: nothing was distrusted
        loaded = rebuilt_notice(loaded)
    same(loaded, expected)  # no crash, nothing wrong taken from the file, and it is said
    assert_healthy(root, 12)  # deleted and written again
    same(load_vault(root), expected)


def assert_healthy(root: Path, count: int) -> None:
    conn = sqlite3.connect(cache_db(root))
    try:
        assert conn.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert dict(conn.execute("SELECT key, value FROM meta")) == {
            "vaultkit": vaultkit.__version__,
            "settings": settings_key(Config().max_note_bytes),
        }
        found = conn.execute("SELECT path, size, mtime_ns, data FROM notes").fetchall()
    finally:
        conn.close()
    assert len(found) == count
    Decoder().decode_many(found)  # every row is well-formed


def test_codec_round_trips_every_note(make_vault: VaultFactory) -> None:
    root = make_vault(FILES)
    for f in scan_vault(root, "Agenda").notes:
        note, diags = read_note(root, f.path, 10**6)
        text = encode(f.path, note, diags)
        assert text is not None
        size, mtime = (note.size, note.mtime_ns) if note is not None else (0, 0)
        assert Decoder().decode(f.path, size, mtime, text) == (note, tuple(diags))


# --- where the cache cannot be written --------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind")
def test_read_only_cache_folder(make_vault: VaultFactory) -> None:
    root = make_vault(FILES)
    load_vault(root)
    (root / "notes/plain.md").write_text("changed [[Ann Lee]]\n")
    folder = root / CACHE_DIR
    cache_db(root).chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        same(load_vault(root), reference(root))
        same(load_vault(root), reference(root))
    finally:
        folder.chmod(stat.S_IRWXU)
        cache_db(root).chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_database(
    make_vault: VaultFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite itself refuses every write (as for a read-only vault, even when running as root)."""
    root = make_vault(FILES)
    age(root)
    load_vault(root)
    before = rows(root)
    real = sqlite3.connect

    def read_only(database: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        if isinstance(database, Path):
            database, kwargs["uri"] = f"{database.as_uri()}?mode=ro", True
        return real(database, *args, **kwargs)  # type: ignore[arg-type, call-overload]

    monkeypatch.setattr(sqlite3, "connect", read_only)
    (root / "notes/plain.md").write_text("changed [[Ann Lee]]\n")
    same(load_vault(root), reference(root))
    monkeypatch.undo()
    assert rows(root) == before  # read, never written

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "a.md").write_text("a [[b]]\n")
    monkeypatch.setattr(sqlite3, "connect", read_only)
    same(load_vault(fresh), reference(fresh))
    monkeypatch.undo()
    assert not cache_db(fresh).exists()


@pytest.mark.parametrize("blocker", [".vaultkit is a file", "cache.sqlite is a folder"])
def test_no_cache_when_it_cannot_be_created(make_vault: VaultFactory, blocker: str) -> None:
    root = make_vault(FILES)
    if blocker == ".vaultkit is a file":
        (root / CACHE_DIR).write_text("not a folder")
    else:
        cache_db(root).mkdir(parents=True)
    same(load_vault(root), reference(root))
    same(load_vault(root), reference(root))


@pytest.mark.parametrize("name", [CACHE_FILE, CACHE_FILE + "-journal"])
def test_planted_symlinks_are_never_written_through(
    make_vault: VaultFactory, tmp_path: Path, name: str
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"")  # empty: SQLite would happily make a database of it
    root = make_vault(FILES)
    (root / CACHE_DIR).mkdir()
    (root / CACHE_DIR / name).symlink_to(victim)
    same(load_vault(root), reference(root))
    (root / "notes/plain.md").write_text("changed\n")  # a write transaction: the journal is used
    same(load_vault(root), reference(root))
    assert victim.read_bytes() == b""
    assert not (root / CACHE_DIR / name).is_symlink()


def test_use_cache_false_leaves_the_vault_alone(make_vault: VaultFactory) -> None:
    root = make_vault(FILES)
    load_vault(root, use_cache=False)
    assert not (root / CACHE_DIR).exists()


def test_settings_that_change_results_empty_the_cache(make_vault: VaultFactory) -> None:
    root = make_vault({"notes/big.md": "x" * 3000, "notes/small.md": "y\n"})
    assert not any(d.code == "too-large" for d in load_vault(root).diagnostics)
    (root / "vaultkit.toml").write_text("[limits]\nmax_note_bytes = 2000\n")
    loaded = rebuilt_notice(load_vault(root))
    assert [d.path for d in loaded.diagnostics if d.code == "too-large"] == ["notes/big.md"]
    same(loaded, reference(root))


# --- .vaultkit/.gitignore ---------------------------------------------------------------------------------


def test_gitignore_is_created_once_and_never_overwritten(make_vault: VaultFactory) -> None:
    root = make_vault({"notes/a.md": "a\n"})
    load_vault(root)
    ignore = root / CACHE_DIR / ".gitignore"
    assert ignore.read_text() == GITIGNORE
    assert GITIGNORE.splitlines()[1:] == ["*", "!.gitignore", "!templates/", "!templates/**"]
    ignore.write_text("# mine\n*\n")
    load_vault(root)
    assert ignore.read_text() == "# mine\n*\n"


def test_gitignore_matches_the_one_vaultkit_init_writes() -> None:
    template = Path(__file__).resolve().parents[1] / "templates" / "init" / "vaultkit-gitignore"
    assert template.read_text(encoding="utf-8") == GITIGNORE


# --- the progress bar -------------------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_for_long_parses(make_vault: VaultFactory) -> None:
    root = make_vault({f"notes/n{i}.md": f"note {i}\n" for i in range(1100)})
    with parse_progress(False, stream=FakeTerminal()) as progress:
        assert progress is None  # --json
    with parse_progress(True, stream=io.StringIO()) as progress:
        assert progress is None  # not a terminal
    quick = FakeTerminal()
    with parse_progress(True, stream=quick) as progress:
        load_vault(root, progress=progress, use_cache=False)
    assert quick.getvalue() == ""  # done within a second
    slow = FakeTerminal()
    with parse_progress(True, stream=slow, delay=0.0) as progress:
        load_vault(root, progress=progress, use_cache=False)
    assert "Reading notes" in slow.getvalue() and "100%" in slow.getvalue()


def test_the_first_line_of_prose_survives_the_cache(make_vault: VaultFactory) -> None:
    root = make_vault({"notes/a.md": "---\nx: 1\n---\n\n## Heading\n> Quoted first line\n"})
    cold = load_vault(root)
    warm = load_vault(root)
    assert cold.notes[0].body.summary == warm.notes[0].body.summary == "Quoted first line"
