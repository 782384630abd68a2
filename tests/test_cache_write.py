"""The parse cache written by a forked child while the build goes on with the model and the pages
(`vaultkit.bulk.CacheWrite`): it must write exactly what this process would have written, be complete
when `build` returns, and never be left behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import vaultkit.bulk as bulk_module
import vaultkit.load as load_module
from tests.conftest import TODAY, VaultFactory
from tests.test_cache import FILES, age, cache_db, count_reads, reference, rows, same
from vaultkit.build import build
from vaultkit.bulk import DEFER_MIN, CacheWrite
from vaultkit.cache import CACHE_DIR
from vaultkit.load import load_vault

__all__ = ["count_reads"]  # a fixture

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="no cache child on this platform"
)


def _many(extra: int = DEFER_MIN + 20) -> dict[str, str | bytes]:
    files = dict(FILES)
    for i in range(extra):
        files[f"notes/n{i:04d}.md"] = (
            f"---\nn: {i}\ntags: [t{i % 5}]\n---\nNote {i} with [[n{i + 1:04d}]] #t{i % 3}\n"
            f"- [ ] Ask [[Ann Lee]] about {i} 📅 2026-12-0{1 + i % 9}\n"
        )
    return files


def _dump(root: Path) -> list[tuple[object, ...]]:
    """Every row but `checked_ns` (the time of the build)."""
    with sqlite3.connect(cache_db(root)) as conn:
        found = conn.execute("SELECT path, size, mtime_ns, digest, data FROM notes ORDER BY path").fetchall()
    return list(found)


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the cache-writing children started from now on."""
    started: list[int] = []
    real = bulk_module.save_in_child

    def spy(run: object, found: object) -> CacheWrite:
        write = real(run, found)  # type: ignore[arg-type]
        if write.pid is not None:
            started.append(write.pid)
        return write

    monkeypatch.setattr(bulk_module, "save_in_child", spy)
    return started


def _reaped(pid: int) -> bool:
    """True when `pid` is no child of this process any more (it ended and was waited for)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_writes_what_this_process_would(make_vault: VaultFactory) -> None:
    root = make_vault(_many())
    age(root)
    loaded = load_vault(root, defer_cache=True, workers=1)
    assert loaded.cache_write.pid is not None  # it was written by a child
    assert loaded.cache_write.wait()
    assert loaded.cache_write.pid is None and loaded.cache_write.wait()  # waiting twice is harmless
    deferred = _dump(root)
    assert len(deferred) == len(rows(root)) > DEFER_MIN
    shutil.rmtree(root / CACHE_DIR)
    here = load_vault(root, workers=1)  # written by this process
    assert here.cache_write.pid is None
    assert _dump(root) == deferred
    same(loaded, here)
    same(loaded, reference(root))


def test_with_workers_too(make_vault: VaultFactory) -> None:
    """Rows the workers encoded and rows this process parsed and the child encoded, together."""
    root = make_vault(_many())
    age(root)
    loaded = load_vault(root, defer_cache=True, workers=2)
    assert loaded.cache_write.wait()
    deferred = _dump(root)
    shutil.rmtree(root / CACHE_DIR)
    load_vault(root, workers=1)
    assert _dump(root) == deferred


def test_a_build_returns_with_the_cache_complete(
    make_vault: VaultFactory, children: list[int], count_reads: Callable[[], list[str]]
) -> None:
    root = make_vault(_many())
    age(root)
    assert build(root, TODAY).ok
    assert len(children) == 1 and _reaped(children[0])
    assert set(rows(root)) == {p for p in _many() if p.endswith(".md")}
    count_reads()
    (root / "notes" / "n0007.md").write_text("---\nn: 7\n---\nChanged [[Bo Chen]]\n", encoding="utf-8")
    again = build(root, TODAY)
    assert count_reads() == ["notes/n0007.md"]
    assert again.loaded is not None
    same(again.loaded, reference(root))


def test_no_child_while_another_thread_runs(make_vault: VaultFactory) -> None:
    """A forked child would get only the forking thread, and whatever locks the others held."""
    root = make_vault(_many())
    age(root)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        loaded = load_vault(root, defer_cache=True, workers=1)
    finally:
        stop.set()
        other.join()
    assert loaded.cache_write.pid is None
    assert len(rows(root)) == len(loaded.notes) + 3  # written already (binary, latin1, conflict: no note)


def test_no_child_for_a_few_rows(make_vault: VaultFactory) -> None:
    root = make_vault(FILES)
    loaded = load_vault(root, defer_cache=True)
    assert loaded.cache_write.pid is None
    assert len(rows(root)) == len(FILES) - 1  # every note, not chart.png


def test_an_interrupted_build_waits_for_the_child(
    make_vault: VaultFactory, monkeypatch: pytest.MonkeyPatch, children: list[int]
) -> None:
    """Ctrl-C during the model: the child (which ignores it) finishes the cache, and is waited for."""
    root = make_vault(_many())
    age(root)

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(load_module, "build_vault", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(root, TODAY)
    assert len(children) == 1 and _reaped(children[0])
    monkeypatch.undo()
    assert len(_dump(root)) == len(_many()) - 1
    same(load_vault(root), reference(root))
