"""Faults injected end to end: each gives a clear message, leaves every existing file as it was, and the next
run recovers.

`tests/test_write.py` covers the writer's own error paths one by one; here the same faults hit a whole
`vaultkit build` (the CLI through click's runner, or a real process for crashes), and every file of the vault
is fingerprinted before and after.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import vaultkit.load
import vaultkit.write
from tests.hostile.make_hostile import snapshot
from vaultkit.build import build
from vaultkit.cache import CACHE_DIR, CACHE_FILE
from vaultkit.cli import cli
from vaultkit.insights.followups import agenda_json, compute_agenda
from vaultkit.load import Loaded, load_vault
from vaultkit.read.scan import Scan
from vaultkit.write import MARKER

TODAY = dt.date(2026, 11, 25)
PAGE = "Agenda/Follow-ups.md"
REPO = Path(__file__).resolve().parents[1]

NOTES = {
    "people/Ann.md": "---\ncadence: 7d\nrole: old\n---\nAnn likes [[Bob]].\n",
    "people/Bob.md": "---\ncadence: 30d\n---\n",
    "people/Cy.md": "---\ncadence: 14d\n---\n",
    "interactions/2026-10-01 Coffee.md": "---\ndate: 2026-10-01\nwith: ['[[Ann]]', '[[Bob]]']\n---\n"
    "- [ ] send Ann the deck 📅 2026-11-20\n",
}


def write_notes(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A small vault, built once: its pages exist, then a new person makes the next build change them."""
    root = tmp_path / "vault"
    write_notes(root, NOTES)
    assert build(root, TODAY).ok
    write_notes(root, {"people/Dee New.md": "---\ncadence: 7d\n---\n"})
    return root


def run_build(root: Path) -> Result:
    return CliRunner().invoke(cli, ["build", str(root), "--today", TODAY.isoformat()], catch_exceptions=False)


def user_files(before: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    return {p: s for p, s in before.items() if not p.startswith((".vaultkit", "Agenda")) and s[0] != "dir"}


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".vaultkit-*") if p.is_file()]


def about(loaded: Loaded, path: str) -> list[str]:
    """The diagnostics naming `path`, formatted as the CLI prints them."""
    return [d.format() for d in loaded.diagnostics if d.path == path]


def agenda(root: Path, *, use_cache: bool = True) -> dict[str, list[dict[str, object]]]:
    loaded = load_vault(root, use_cache=use_cache)
    return agenda_json(loaded.vault, compute_agenda(loaded.vault, TODAY))


# --- writing: disk full, EIO, permission denied ------------------------------------------------------------


def _raise(err: int, text: str) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(err, text) if err not in (errno.EACCES, errno.EPERM) else PermissionError(err, text)

    return fail


@pytest.mark.parametrize(
    ("function", "err", "reason"),
    [
        ("write", errno.ENOSPC, "no space left on the disk"),
        ("write", errno.EIO, "input/output error"),
        ("write", errno.EDQUOT, "disk quota exceeded"),
        ("fsync", errno.EIO, "input/output error"),
        ("fsync", errno.ENOSPC, "no space left on the disk"),
        ("replace", errno.EACCES, "permission denied"),
        ("replace", errno.EROFS, "the file system is read-only"),
        ("replace", errno.EIO, "input/output error"),
    ],
)
def test_write_fault_gives_a_clear_message_keeps_every_file_and_the_next_run_recovers(
    vault: Path, monkeypatch: pytest.MonkeyPatch, function: str, err: int, reason: str
) -> None:
    before = snapshot(vault)
    with monkeypatch.context() as patch:
        patch.setattr(vaultkit.write.os, function, _raise(err, os.strerror(err)))
        result = run_build(vault)
    assert result.exit_code == 1
    assert f"{PAGE}: error: not written: {reason}" in result.output
    assert "Traceback" not in result.output
    after = snapshot(vault)
    pages = {p: s for p, s in before.items() if p.startswith("Agenda/")}
    assert {p: after[p] for p in pages} == pages  # every page byte-identical, same mtime
    assert user_files(after) == user_files(before)
    assert temp_files(vault) == []

    recovered = run_build(vault)
    assert recovered.exit_code == 0, recovered.output
    assert f"wrote {PAGE}" in recovered.output
    assert "[[Dee New]]" in (vault / PAGE).read_text(encoding="utf-8")
    assert user_files(snapshot(vault)) == user_files(before)


def test_a_fault_on_one_page_does_not_stop_the_others(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def replace(src: object, dst: object) -> None:
        if str(dst).endswith("Follow-ups.md"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    (vault / "Agenda" / "Network.md").unlink(missing_ok=True)  # another page that must be written
    monkeypatch.setattr(vaultkit.write.os, "replace", replace)
    result = build(vault, TODAY)
    assert [e.path for e in result.page_errors] == [PAGE]
    if "Network.md" in {p.rsplit("/", 1)[-1] for p in result.written + result.unchanged}:
        assert (vault / "Agenda" / "Network.md").read_text(encoding="utf-8").startswith(MARKER)


# --- a crash between writing the temp file and the rename -------------------------------------------------


def test_crash_between_temp_file_and_rename(vault: Path) -> None:
    before = snapshot(vault)
    script = (
        "import os, sys\n"
        "import vaultkit.write\n"
        "from vaultkit.cli import cli\n"
        "vaultkit.write.os.replace = lambda *a: os._exit(137)  # kill -9 right before the rename\n"
        "cli(['build', sys.argv[1], '--today', sys.argv[2]])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    crashed = subprocess.run(
        [sys.executable, "-c", script, str(vault), TODAY.isoformat()],
        env=env,
        timeout=60,
        check=False,
        capture_output=True,
    )
    assert crashed.returncode == 137
    after = snapshot(vault)
    assert {p: after[p] for p in before if p.startswith("Agenda/")} == {
        p: s for p, s in before.items() if p.startswith("Agenda/")
    }
    assert user_files(after) == user_files(before)
    [leftover] = temp_files(vault)  # the fsynced temp file of the page being replaced
    assert leftover.parent == vault / "Agenda"

    recovered = run_build(vault)
    assert recovered.exit_code == 0, recovered.output
    assert temp_files(vault) == []
    assert "[[Dee New]]" in (vault / PAGE).read_text(encoding="utf-8")


# --- the cache: truncated, garbage, from a future version, unusable ------------------------------------------


def _cache(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def _future_version(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")


def _future_vaultkit(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99.0' WHERE key = 'vaultkit'")


def _planted_row(path: Path) -> None:
    with sqlite3.connect(path) as conn:  # a row of the wrong shape, as another program could leave
        conn.execute("UPDATE notes SET data = '[[{\"role\": \"planted\"}], 5]' WHERE path = 'people/Ann.md'")


def _wrong_types(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE notes SET data = '[[{}, {}, [[1, 2, 3, 4, 5, 6]], [], [], []], []]'")


def _a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("in the way", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "damage",
    [_truncate, _garbage, _empty, _future_version, _future_vaultkit, _planted_row, _wrong_types, _a_folder],
)
def test_a_damaged_cache_is_never_trusted_and_the_build_goes_on(
    vault: Path, damage: Callable[[Path], None]
) -> None:
    reference = agenda(vault, use_cache=False)
    assert agenda(vault) == reference  # fills the cache
    damage(_cache(vault))
    before = user_files(snapshot(vault))
    result = run_build(vault)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert agenda(vault) == reference  # the same agenda as without any cache
    assert agenda(vault) == reference  # and again, from whatever the cache became
    assert "[[Dee New]]" in (vault / PAGE).read_text(encoding="utf-8")
    assert user_files(snapshot(vault)) == before


def test_cache_folder_that_is_a_file_is_left_alone(vault: Path) -> None:
    import shutil

    shutil.rmtree(vault / CACHE_DIR)
    (vault / CACHE_DIR).write_text("someone else's file\n", encoding="utf-8")
    result = run_build(vault)
    assert result.exit_code == 0, result.output
    assert (vault / CACHE_DIR).read_text(encoding="utf-8") == "someone else's file\n"
    assert agenda(vault) == agenda(vault, use_cache=False)


# --- a note deleted or renamed between listing and reading ----------------------------------------------------


@pytest.fixture(params=[1, 2], ids=["in-process", "workers"])
def workers(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def _after_listing(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    real = vaultkit.load.scan_vault

    def scan_then_act(root: Path, output_dir: str) -> Scan:
        scan = real(root, output_dir)
        action()
        return scan

    monkeypatch.setattr(vaultkit.load, "scan_vault", scan_then_act)


def test_note_deleted_between_listing_and_reading(
    vault: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    bob = vault / "people" / "Bob.md"
    with monkeypatch.context() as patch:
        _after_listing(patch, bob.unlink)
        loaded = load_vault(vault, workers=workers)
    assert about(loaded, "people/Bob.md") == [
        "people/Bob.md: warning: deleted or renamed while reading; skipped"
    ]
    assert "people/Bob.md" not in loaded.vault.people and "people/Ann.md" in loaded.vault.people
    again = load_vault(vault, workers=workers)  # the next run: simply gone, nothing stale from the cache
    assert about(again, "people/Bob.md") == [] and "people/Bob.md" not in again.vault.people
    assert agenda(vault) == agenda(vault, use_cache=False)


def test_note_renamed_between_listing_and_reading(
    vault: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    bob = vault / "people" / "Bob.md"

    def rename() -> None:
        bob.rename(bob.with_name("Robert.md"))

    with monkeypatch.context() as patch:
        _after_listing(patch, rename)
        loaded = load_vault(vault, workers=workers)
    assert about(loaded, "people/Bob.md") == [
        "people/Bob.md: warning: deleted or renamed while reading; skipped"
    ]
    again = load_vault(vault, workers=workers)
    assert about(again, "people/Bob.md") == [] and about(again, "people/Robert.md") == []
    assert "people/Robert.md" in again.vault.people and "people/Bob.md" not in again.vault.people


def test_unreadable_note_is_reported_and_the_rest_is_read(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def deny(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith("Bob.md"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    loaded = load_vault(vault)
    assert about(loaded, "people/Bob.md") == ["people/Bob.md: error: cannot read: Permission denied; skipped"]
    assert {"people/Ann.md", "people/Cy.md", "people/Dee New.md"} <= set(loaded.vault.people)
    monkeypatch.undo()
    assert "people/Bob.md" in load_vault(vault).vault.people  # not cached as unreadable


def test_read_error_is_reported_and_the_next_run_recovers(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open, real_read = os.open, os.read
    bad: set[int] = set()

    def tracked_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        fd = real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]
        if str(path).endswith("Ann.md"):
            bad.add(fd)
        return fd

    def failing_read(fd: int, n: int) -> bytes:
        if fd in bad:
            bad.discard(fd)  # the number is reused by the next open once vaultkit closes it
            raise OSError(errno.EIO, "Input/output error")
        return real_read(fd, n)

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", tracked_open)
        patch.setattr(os, "read", failing_read)
        loaded = load_vault(vault)
    assert about(loaded, "people/Ann.md") == [
        "people/Ann.md: error: cannot read: Input/output error; skipped"
    ]
    assert "people/Bob.md" in loaded.vault.people
    assert load_vault(vault).diagnostics == ()
    assert agenda(vault) == agenda(vault, use_cache=False)


# --- a note changing while being read ----------------------------------------------------------------------


Action = Callable[[], None]
MidRead = Callable[[Path, Action, Action], None]


def _nothing() -> None:
    pass


@pytest.fixture
def mid_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[MidRead]:
    """`arm(path, before, after)`: run `before` just before vaultkit's first `os.read` of `path` (after its
    open and fstat) and `after` just after it."""
    real_open, real_read = os.open, os.read

    def arm(path: Path, before: Action, after: Action = _nothing) -> None:
        fds: set[int] = set()
        done: list[bool] = []

        def tracked_open(p: object, flags: int, *args: object, **kwargs: object) -> int:
            fd = real_open(p, flags, *args, **kwargs)  # type: ignore[arg-type]
            if str(p) == str(path):
                fds.add(fd)
            return fd

        def read(fd: int, n: int) -> bytes:
            if fd not in fds or done:  # (fd numbers are reused: only the first read counts)
                return real_read(fd, n)
            done.append(True)
            before()
            data = real_read(fd, n)
            after()
            return data

        monkeypatch.setattr(os, "open", tracked_open)
        monkeypatch.setattr(os, "read", read)

    yield arm
    monkeypatch.undo()


NEW_ANN = "---\ncadence: 7d\nrole: new\n---\nAnn likes [[Cy]] now.\n"


def test_note_rewritten_in_place_while_read_is_seen_next_run(
    vault: Path, mid_read: MidRead, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size, same mtime after the change: only the content digest can tell. The next run must."""
    ann = vault / "people" / "Ann.md"
    old = ann.read_text(encoding="utf-8")
    new = old.replace("role: old", "role: new").replace("[[Bob]]", "[[Cy]] ")
    assert len(new) == len(old)
    st = ann.stat()

    def rewrite() -> None:
        ann.write_text(new, encoding="utf-8")
        os.utime(ann, ns=(st.st_atime_ns, st.st_mtime_ns))

    mid_read(ann, _nothing, rewrite)
    load_vault(vault)
    monkeypatch.undo()
    assert load_vault(vault).vault.people["people/Ann.md"].role == "new"
    assert agenda(vault) == agenda(vault, use_cache=False)


def _truncate_then_write(ann: Path) -> tuple[Action, Action]:
    """An editor's truncate-then-write save, with vaultkit's read caught in between."""

    def write() -> None:
        ann.write_text(NEW_ANN, encoding="utf-8")

    return (lambda: os.truncate(ann, 0)), write


def test_note_truncated_and_rewritten_while_read_recovers_next_run(
    vault: Path, mid_read: MidRead, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann = vault / "people" / "Ann.md"
    mid_read(ann, *_truncate_then_write(ann))
    during = load_vault(vault)
    assert "people/Bob.md" in during.vault.people  # the rest of the vault is read as usual
    monkeypatch.undo()
    after = load_vault(vault)
    assert after.vault.people["people/Ann.md"].role == "new"
    assert agenda(vault) == agenda(vault, use_cache=False)


def test_note_changing_while_read_is_reread_or_reported(vault: Path, mid_read: MidRead) -> None:
    ann = vault / "people" / "Ann.md"
    mid_read(ann, *_truncate_then_write(ann))
    loaded = load_vault(vault)
    person = loaded.vault.people.get("people/Ann.md")
    reported = [d for d in loaded.diagnostics if d.path == "people/Ann.md"]
    assert reported or (person is not None and person.cadence is not None), (
        "Ann was read half-written (no properties) and nothing said so"
    )


def test_scanned_file_of_a_note_that_became_a_folder(vault: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listed as a file, a folder by the time it is read (a sync replacing it): reported, not a crash."""
    cy = vault / "people" / "Cy.md"

    def swap() -> None:
        cy.unlink()
        cy.mkdir()

    with monkeypatch.context() as patch:
        _after_listing(patch, swap)
        loaded = load_vault(vault)
    assert [d.path for d in loaded.diagnostics] == ["people/Cy.md"]
    assert "people/Ann.md" in loaded.vault.people
