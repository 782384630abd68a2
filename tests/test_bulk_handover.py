"""Worker processes and this process sharing the parsing (`vaultkit.bulk`): whoever parses a note, the
result and the cache row are the same as when one process reads the whole vault."""

from __future__ import annotations

import os
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

import vaultkit.bulk as bulk_module
from tests.conftest import VaultFactory
from vaultkit.bulk import Entry, read_entries
from vaultkit.cache import CACHE_DIR, CACHE_FILE
from vaultkit.config import Config
from vaultkit.load import scan_now
from vaultkit.read.types import Note

TRICKY: dict[str, str | bytes] = {
    "notes/bad yaml.md": "---\ntitle: Assignment 1: Some Title\n---\nbody [[Ann]]\n",
    "notes/dup keys.md": "---\na: 1\na: 2\n---\n",
    "notes/unclosed.md": "---\na: 1\n",
    "notes/bom.md": "\ufeff---\ntype: person\n---\nHi [[Ann]] #tag\n".encode(),
    "notes/crlf.md": "---\r\ntype: person\r\ntags: [a, b]\r\n---\r\nLine [[Bo]]\r\n- [ ] Call 📅 2026-01-02\r\n".encode(),
    "notes/huge.md": "x" * 5000,
    "notes/empty.md": "",
    "notes/latin1.md": "caf\xe9\n".encode("latin-1"),
    "notes/binary.md": b"\x00\x01\x02 not text",
    "notes/conflict.md": "<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n",
    "notes/rich.md": (
        "---\ntype: interaction\ndate: 2026-11-20\nwith: ['[[Ann]]', '[[Bo]]']\nratio: 1.5\n"
        "big: 123456789012345678901234567890\nnested: {a: [1, {b: null}], c: true}\n---\n"
        "See [grants](../r/Grants.md#Section), ![[chart.png]] and [[Ann#Work|her work]].\n"
        "- [ ] Send [[Ann]] the deck 📅 2026-11-28 ⏫ 🔁 every week ⏳ 2026-11-26 ➕ 2026-11-20\n"
        "- [x] Book the room ✅ 2026-11-19\n- [ ] Bad date 📅 2026-02-31\n"
    ),
    "notes/unicode ü.md": "---\nname: Zoë 🎉\n---\nCafé [[Zoë]] #naïve\n",
    "notes/tag only.md": "#just-a-tag\n",
}
CONFIG = Config(max_note_bytes=4096)


def _vault(make_vault: VaultFactory, extra: int = 40) -> Path:
    files: dict[str, str | bytes] = dict(TRICKY)
    for i in range(extra):  # plenty of plain notes between the tricky ones, so both sides get some
        files[f"notes/n{i:03d}.md"] = f"---\nn: {i}\n---\nNote {i} links [[n{i + 1:03d}]] #t{i % 3}\n"
    return make_vault(files)


def _entries(root: Path, *, workers: int, use_cache: bool, progress: Any = None) -> list[Entry]:
    scan, now_ns = scan_now(root, CONFIG)
    entries, _, _ = read_entries(root, CONFIG, scan, now_ns, use_cache, progress, workers)
    return [(note, tuple(diags)) for note, diags in entries]


def _rows(root: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(root / CACHE_DIR / CACHE_FILE) as conn:
        return conn.execute("SELECT path, size, mtime_ns, digest, data FROM notes ORDER BY path").fetchall()


def _drop_cache(root: Path) -> None:
    for name in os.listdir(root / CACHE_DIR):
        if name.startswith(CACHE_FILE):
            os.unlink(root / CACHE_DIR / name)


@pytest.fixture
def small_jobs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs of a few notes, so that a small vault is shared out in many jobs; returns, per job a worker
    sent back, how many notes it held."""
    monkeypatch.setattr(bulk_module, "CHUNK", 4)
    monkeypatch.setattr(bulk_module, "_SMALLEST_JOB", 2)
    monkeypatch.setattr(bulk_module, "_mp_context", lambda: get_context("fork"))
    sizes: list[int] = []
    real_collect = bulk_module._Run._collect

    def collect(self: bulk_module._Run, future: Any, where: dict[str, int]) -> int:
        count = real_collect(self, future, where)
        sizes.append(count)
        return count

    monkeypatch.setattr(bulk_module._Run, "_collect", collect)
    return sizes


def test_workers_give_what_one_process_gives(make_vault: VaultFactory, small_jobs: list[int]) -> None:
    root = _vault(make_vault)
    alone = _entries(root, workers=1, use_cache=False)
    assert any(note is None for note, _ in alone) and any(diags for _, diags in alone)  # tricky indeed
    pooled = _entries(root, workers=2, use_cache=False)
    assert small_jobs and sum(small_jobs) < len(alone)  # both sides parsed some
    assert pooled == alone


def test_worker_results_make_the_same_cache(make_vault: VaultFactory, small_jobs: list[int]) -> None:
    root = _vault(make_vault)
    alone = _entries(root, workers=1, use_cache=True)
    rows_alone = _rows(root)
    _drop_cache(root)
    pooled = _entries(root, workers=2, use_cache=True)
    assert small_jobs
    assert pooled == alone and _rows(root) == rows_alone
    assert _entries(root, workers=2, use_cache=True) == alone  # and read back from the cache: the same


def test_a_result_without_json_comes_back_whole(
    make_vault: VaultFactory, small_jobs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _vault(make_vault)
    alone = _entries(root, workers=1, use_cache=False)
    real_encode = bulk_module.encode

    def encode(path: str, note: Note | None, diags: Any) -> str | None:
        return None if path.endswith(("5.md", "rich.md")) else real_encode(path, note, diags)

    monkeypatch.setattr(bulk_module, "encode", encode)  # the forked workers see it too
    assert _entries(root, workers=2, use_cache=True) == alone
    cached = {row[0] for row in _rows(root)}
    assert "notes/rich.md" not in cached and "notes/n005.md" not in cached and "notes/n004.md" in cached


def test_progress_only_grows_and_ends_at_the_total(make_vault: VaultFactory, small_jobs: list[int]) -> None:
    root = _vault(make_vault, extra=80)
    calls: list[tuple[int, int]] = []
    entries = _entries(root, workers=3, use_cache=False, progress=lambda d, t: calls.append((d, t)))
    total = len(entries)
    assert small_jobs and calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_jobs_are_never_larger_than_a_chunk(make_vault: VaultFactory, small_jobs: list[int]) -> None:
    _entries(_vault(make_vault, extra=200), workers=2, use_cache=False)
    assert small_jobs and max(small_jobs) <= 4


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are Linux's")
def test_the_result_pipe_is_widened() -> None:
    import fcntl

    with open("/proc/sys/fs/pipe-max-size") as fh:
        if int(fh.read()) < bulk_module._PIPE_BYTES:
            pytest.skip("pipes may not grow that large here")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("fork"))
    try:
        bulk_module._widen_result_pipe(pool)
        reader = pool._result_queue._reader  # type: ignore[attr-defined]
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) >= bulk_module._PIPE_BYTES
    finally:
        pool.shutdown()


def test_widening_never_fails() -> None:
    class NotAPool:
        pass

    bulk_module._widen_result_pipe(NotAPool())  # type: ignore[arg-type]
