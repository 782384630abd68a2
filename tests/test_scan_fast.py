"""The optimised `scan_vault` gives exactly what the earlier, plainer version gives, on every vault.

tests/reference_scan.py is a frozen copy of `scan_vault` before it was optimised for speed; it is the
oracle here. Whole `Scan` results are compared (notes with sizes and mtimes, attachments, diagnostics in
order), on hand-made vaults full of edge cases (non-ASCII and NFD names, names NFC folds together,
conflict copies in many spellings, hidden and skipped folders, the output folder in any case, symlinks
in and out, broken and looping symlinks, a FIFO, names that are not UTF-8, `.MD`, very long paths), on
random vaults (hypothesis), on the shared corpora and on the bench vaults when they exist. Each runs with
the folder file descriptor the scan stats through, and without it (the `DirEntry.stat()` path).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference_scan
from tests.conftest import CORPORA
from vaultkit.read import scan as scan_mod
from vaultkit.read.scan import Scan, ScannedFile, is_conflict_copy, scan_vault

BENCH = Path("/tmp/vaultkit-bench")
OUTPUTS = ["Agenda", "agenda", "AGENDA/", "/Agenda", "", "sub/Out", "SUB/out", "none-such"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.fixture(params=["fd", "no-fd"])
def fd_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each test with and without the folder fd (the fallback when it cannot be opened)."""
    if request.param == "no-fd":
        monkeypatch.setattr(scan_mod, "_open_dir", lambda real_dir, key: -1)
    return str(request.param)


def outcome(fn: Callable[[], Scan]) -> tuple[str, object]:
    try:
        return "ok", fn()
    except Exception as exc:  # the reference's own failures must be matched too
        return "raised", type(exc)


def assert_same(root: Path, outputs: list[str] = OUTPUTS) -> Scan | None:
    """Both scans give the same result (or fail the same way) for each output folder; the first result."""
    first: Scan | None = None
    for i, output in enumerate(outputs):
        want = outcome(lambda: reference_scan.scan_vault(root, output))  # noqa: B023
        have = outcome(lambda: scan_vault(root, output))  # noqa: B023
        assert have == want, output
        if have[0] == "ok":
            got, ref = have[1], want[1]
            assert isinstance(got, Scan) and isinstance(ref, Scan)
            for f, g in zip(got.notes, ref.notes, strict=True):
                assert type(f) is ScannedFile and repr(f) == repr(g) and hash(f) == hash(g)
            if i == 0:
                first = got
    return first


def touch(path: Path | bytes, data: bytes = b"x") -> None:
    """A new file; never opens what is there already (a FIFO would block)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def build_tricky(root: Path, outside: Path) -> None:
    root.mkdir()
    outside.mkdir()
    touch(outside / "far.md")
    (outside / "dir").mkdir()
    names = [
        "Plain.md", "plain.md", "UPPER.MD", "mixed.Md", "note.mD", "image.png", "doc.pdf", "noext", "a b.md",
        "a-b.md", "a.md.txt", ".hidden.md", "..md", "x.md ", " lead.md", "conflict.md", "Conflict notes.md",
        "my conflict (1).md", "x (conflict).md", "x (Conflict 2025-01-01).md", "x (CONFLICT).MD",
        "x (Jane's conflicted copy 2025-01-01).md", "x (jane's Conflicted Copy).md", "x (conflict) tail.md",
        "x.sync-conflict-20250101-120000-ABC.md", "x.SYNC-CONFLICT-20250101-120000-abc9.md",
        "x.sync-conflict-2025-bad.md", "x.sync-conflict-20250101-120000-ABC.md.md", "pic (conflict).png",
        "x.sync-conflict-20250101-120000-ABC.png", "onflict.md", "conflic.md", "CONFLICT",
        "café.md", nfd("café.md"), nfd("Zoë.md"), "Zoë.md", "日本.md", "🙂.MD", "K.md", "\u212a.md",
        ";x.md", "\u037ex.md", "`y.md", "\u1fefy.md", "x (conflİct).md", "x (conflıct).md", "x (conflict\u0307).md",
        "Ω.md", "\u2126.md", "Å.md", "\u212b.md", "a\u0301\u0302.md", "a\u0302\u0301.md",
    ]  # fmt: skip
    for i, name in enumerate(names):
        touch(root / name, b"y" * i)
    for folder in [
        "Agenda",
        "agenda2",
        "sub",
        "sub/Out",
        "sub/out2",
        ".obsidian",
        ".trash",
        ".git",
        ".vaultkit",
    ]:
        (root / folder).mkdir(exist_ok=True)
        touch(root / folder / "in.md")
        touch(root / folder / "in.png")
    for folder in [
        "Café",
        nfd("Café"),
        "Ω",
        "\u2126",
        "a",
        "a b",
        "a-b",
        "nested",
        "nested/deep",
        "dir.md",
        ".hid",
    ]:
        (root / folder).mkdir()
        touch(root / folder / "n.md", folder.encode("utf-8"))
        touch(root / folder / nfd("é.md"), b"1")
        touch(root / folder / "é.md", b"22")
        touch(root / folder / "x (conflict).md")
    touch(root / "nested" / "deep" / "z.MD")
    os.symlink(root / "Plain.md", root / "link-in.md")
    os.symlink("Plain.md", root / "link-rel.md")
    os.symlink(root / "nested", root / "link-dir")
    os.symlink(root, root / "link-root")
    os.symlink(outside / "far.md", root / "link-out.md")
    os.symlink(outside / "dir", root / "link-out-dir")
    os.symlink(root / "missing.md", root / "broken.md")
    os.symlink("loop", root / "loop")
    os.symlink("../Plain.md", root / "nested" / "up.md")
    os.symlink(root / ".obsidian" / "in.md", root / "to-hidden.md")
    os.symlink(root / "link-in.md", root / "link-to-link.md")
    os.symlink(nfd("é.md"), root / "Café" / "link-nfd.md")
    os.mkfifo(root / "fifo.md")
    os.mkfifo(root / "nested" / "pipe")
    touch(os.fsencode(root) + b"/latin1-\xe9.md")
    touch(os.fsencode(root) + b"/.hidden-\xe9.md")
    os.mkdir(os.fsencode(root) + b"/bad-\xff-dir")
    touch(os.fsencode(root) + b"/bad-\xff-dir/inside.md")
    os.symlink(b"nowhere", os.fsencode(root) + b"/badlink-\xfe.md")


def test_tricky_vault(tmp_path: Path, fd_mode: str) -> None:
    build_tricky(tmp_path / "vault", tmp_path / "outside")
    got = assert_same(tmp_path / "vault")
    assert got is not None
    codes = {d.code for d in got.diagnostics}
    assert {"sync-conflict", "broken-symlink", "symlink-outside", "bad-filename"} <= codes
    assert len(got.notes) > 30 and len(got.attachments) > 5
    paths = [f.path for f in got.notes]
    assert len(paths) != len(set(paths))  # names NFC folds together: the order between them is compared too


def test_tricky_vault_reached_through_symlink_and_relative_root(
    tmp_path: Path, fd_mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tricky(tmp_path / "vault", tmp_path / "outside")
    os.symlink(tmp_path / "vault", tmp_path / "alias")
    assert_same(tmp_path / "alias", OUTPUTS[:3])
    monkeypatch.chdir(tmp_path)
    assert_same(Path("vault"), OUTPUTS[:3])
    monkeypatch.chdir(tmp_path / "vault" / "nested")
    assert_same(Path(".."), OUTPUTS[:3])


def test_frozen_objects_are_as_built_by_the_class(tmp_path: Path, fd_mode: str) -> None:
    root = tmp_path / "v"
    root.mkdir()
    touch(root / "a.md", b"abc")
    note = scan_vault(root, "Agenda").notes[0]
    st_ = (root / "a.md").stat()
    plain = ScannedFile("a.md", 3, st_.st_mtime_ns)
    assert type(note) is ScannedFile and note == plain and hash(note) == hash(plain)
    assert repr(note) == repr(plain) == f"ScannedFile(path='a.md', size=3, mtime_ns={st_.st_mtime_ns})"
    assert dataclasses.astuple(note) == ("a.md", 3, st_.st_mtime_ns)
    assert pickle.loads(pickle.dumps(note)) == plain
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.path = "b.md"  # type: ignore[misc]
    assert not hasattr(note, "__dict__")


def test_unreadable_and_empty_folders(tmp_path: Path, fd_mode: str) -> None:
    root = tmp_path / "v"
    (root / "locked").mkdir(parents=True)
    (root / "noexec").mkdir()
    (root / "empty").mkdir()
    touch(root / "locked" / "a.md")
    touch(root / "noexec" / "b.md")
    touch(root / "c.md")
    os.chmod(root / "locked", 0)
    os.chmod(root / "noexec", 0o444)  # listable, but nothing in it can be stat-ed (unless root)
    try:
        assert_same(root)
    finally:
        os.chmod(root / "locked", 0o755)
        os.chmod(root / "noexec", 0o755)
    assert_same(tmp_path / "missing")
    assert_same(root / "c.md")


def test_very_long_paths(tmp_path: Path, fd_mode: str) -> None:
    """Near PATH_MAX the full path of a file can be too long to stat while its folder is listable."""
    root = tmp_path / "v"
    root.mkdir()
    here = os.fsencode(root)
    for i in range(16):
        name = (b"%02d" % i) + b"d" * 240
        os.mkdir(here + b"/" + name)
        here += b"/" + name
        fd = os.open(here, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for stem in (b"s", b"m" * 150, b"L" * 240):
                os.close(os.open(stem + b".md", os.O_CREAT | os.O_WRONLY, dir_fd=fd))
        finally:
            os.close(fd)
        if len(here) > 4200:
            break
    got = assert_same(root, OUTPUTS[:2])
    assert got is not None and 0 < len(got.notes) < 3 * (i + 1)  # the deepest files are out of reach


def test_output_folder_cases(tmp_path: Path, fd_mode: str) -> None:
    root = tmp_path / "v"
    for folder in ["Agenda", "agenda", "AGENDA", "sub/Out", "sub/OUT", "sub/x/out"]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        touch(root / folder / "f.md")
    assert_same(root, [*OUTPUTS, "sub", "sub/x/OUT", "SUB/X/OUT/", "sub/out/"])


class _FlakyEntry:
    """A DirEntry on a file system that gives no file type, where lstat fails for chosen names."""

    def __init__(self, entry: os.DirEntry[str], fail: frozenset[str]) -> None:
        self._entry = entry
        self._fail = entry.name in fail
        self.name = entry.name
        self.path = entry.path

    def _check(self) -> None:
        if self._fail:
            raise PermissionError(13, "Permission denied", self.path)

    def is_symlink(self) -> bool:
        self._check()
        return self._entry.is_symlink()

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        self._check()
        return self._entry.stat(follow_symlinks=follow_symlinks)


@pytest.mark.parametrize(
    "fail",
    [
        ["a.md"],  # the first entry: the reference trips over its unbound `is_link`
        ["b.md"],  # after a plain file
        ["c.md"],  # after a broken symlink: the reference reports it as one more
        ["é.md"],
        ["sub"],
        ["b.md", "d.png"],
        ["inner.md"],
    ],
)
def test_entries_that_cannot_be_stated(
    tmp_path: Path, fd_mode: str, monkeypatch: pytest.MonkeyPatch, fail: list[str]
) -> None:
    root = tmp_path / "v"
    (root / "sub").mkdir(parents=True)
    for name in ["a.md", "b.md", "d.png", "é.md", "sub/inner.md", "sub/other.md", "z.md"]:
        touch(root / name)
    os.symlink("nothing", root / "bz.md")
    touch(root / "c.md")
    real_scandir = os.scandir
    failing = frozenset(fail)

    def flaky_scandir(path: object) -> Iterator[_FlakyEntry]:
        return iter([_FlakyEntry(e, failing) for e in real_scandir(path)])  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", flaky_scandir)
    assert_same(root, OUTPUTS[:2])


def test_entries_whose_stat_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`is_symlink()` answers (from the file type) but the lstat fails: the file is skipped silently."""
    monkeypatch.setattr(scan_mod, "_open_dir", lambda real_dir, key: -1)
    root = tmp_path / "v"
    root.mkdir()
    for name in ["a.md", "b.md", "c.png", "é.md"]:
        touch(root / name)
    real_scandir = os.scandir

    class StatFails(_FlakyEntry):
        def is_symlink(self) -> bool:
            return self._entry.is_symlink()

    def flaky_scandir(path: object) -> Iterator[_FlakyEntry]:
        return iter([StatFails(e, frozenset({"b.md", "c.png"})) for e in real_scandir(path)])  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", flaky_scandir)
    got = assert_same(root, OUTPUTS[:1])
    assert got is not None and [f.path for f in got.notes] == ["a.md", "é.md"] and not got.attachments


# Random vaults: names built from the pieces the scan reacts to.
PIECES = [
    *("a", "B", "k", "K", "\u212a", "é", nfd("é"), "\u0301", "Ω", "\u2126", ";", "\u037e", "ı", "İ", "ſ"),
    *(".", " ", "(", ")", "'s ", "-", "_", "1", "20250101", "120000", "ABC", "日本", "🙂"),
    *("conflict", "Conflict", "CONFLICT", "conflicted copy", "sync-conflict", ".sync-conflict-"),
    *(".md", ".MD", ".Md", ".png", ".obsidian", ".git", "Agenda", "agenda"),
]
NAMES = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join).filter(lambda s: "/" not in s)
ENTRIES = st.lists(
    st.tuples(
        st.lists(NAMES, min_size=0, max_size=2), NAMES, st.sampled_from(["file", "dir", "link", "fifo"])
    ),
    min_size=1,
    max_size=25,
)


def build_random(root: Path, entries: list[tuple[list[str], str, str]]) -> None:
    root.mkdir()
    for i, (folders, name, kind) in enumerate(entries):
        parent = root.joinpath(*folders)
        try:
            parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                touch(parent / name, b"z" * i)
            elif kind == "dir":
                (parent / name).mkdir()
                touch(parent / name / f"{i}.md")
            elif kind == "fifo":
                os.mkfifo(parent / name)
            else:
                target = entries[(i * 7) % len(entries)][1]
                os.symlink(target if i % 2 else f"/nonexistent/{target}", parent / name)
        except (OSError, ValueError):
            pass  # a name taken already, too long, or a file where a folder should be


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=ENTRIES, output=st.sampled_from(["Agenda", "agenda", "a", ""]))
def test_random_vaults(entries: list[tuple[list[str], str, str]], output: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "v"
        build_random(root, entries)
        assert outcome(lambda: scan_vault(root, output)) == outcome(
            lambda: reference_scan.scan_vault(root, output)
        )


@settings(max_examples=2000, deadline=None)
@given(name=st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_conflict_precheck_is_necessary(name: str) -> None:
    """The fast path reads an ASCII note as no conflict copy when "conflict" is not in its lowered name."""
    assert is_conflict_copy(name) == reference_scan.is_conflict_copy(name)
    if name.isascii() and is_conflict_copy(name):
        assert "conflict" in name.lower()


@pytest.mark.parametrize(
    "root",
    [CORPORA / "obsidian-help-en", CORPORA / "obsidian-tasks-docs", BENCH / "small", BENCH / "medium"],
    ids=lambda p: p.name,
)
def test_corpora_and_bench_vaults(root: Path, fd_mode: str) -> None:
    if not root.is_dir():
        pytest.skip(f"{root} not present")
    got = assert_same(root, OUTPUTS[:2])
    assert got is not None and got.notes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the folder fd is used on Linux only")
def test_stats_through_the_folder_fd_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the speed-up itself: plain files are stat-ed relative to their folder's fd."""
    root = tmp_path / "v"
    (root / "sub").mkdir(parents=True)
    for name in ["a.md", "b.png", "sub/c.md"]:
        touch(root / name)
    calls: list[object] = []
    real_lstat = os.lstat

    def counting_lstat(path: str, *, dir_fd: int | None = None) -> os.stat_result:
        calls.append(dir_fd)
        return real_lstat(path, dir_fd=dir_fd)

    want = reference_scan.scan_vault(root, "Agenda")
    monkeypatch.setattr(os, "lstat", counting_lstat)
    assert scan_vault(root, "Agenda") == want
    assert len([fd for fd in calls if isinstance(fd, int)]) == 4  # a.md, b.png, sub (a folder), sub/c.md
