"""Reading many notes at once: rows still valid in the parse cache are reused, the rest are parsed, by
worker processes too when there are many (`PARALLEL_MIN`), and the cache is brought up to date.

Bringing the cache up to date (encoding the notes this process parsed, and the SQLite transaction) can be
left to a forked child that works while the build goes on with the model and the pages (`CacheWrite`).

`vaultkit.load` drives this for a build; `vaultkit.live` for the watch's first build.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from operator import itemgetter
from pathlib import Path

from vaultkit.cache import (
    HIT,
    MISS,
    CorruptCache,
    Decoder,
    ParseCache,
    Row,
    classify,
    digest,
    encode,
    needs_digest,
    open_cache,
    settings_key,
)
from vaultkit.cache_write import DEFER_MIN, CacheWrite, can_fork, save_in_child
from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.read.reader import ReadResult, parse_bytes, read_file
from vaultkit.read.scan import Scan, ScannedFile
from vaultkit.read.types import Note

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "CHUNK",
    "DEFER_MIN",
    "PARALLEL_MIN",
    "CacheWrite",
    "Entry",
    "Progress",
    "read_entries",
]

Progress = Callable[[int, int], None]
"""Called as `progress(done, total)` while notes are parsed (not for notes taken from the cache)."""

PARALLEL_MIN = 2_000  # fewer notes to parse than this: worker processes cost more than they save
CHUNK = 500  # notes per job sent to a worker
MAX_WORKERS = 8
_DEPTH = 3  # jobs queued per worker: one running, the next ones ready when it ends
_STEPS = 5  # this process parses CHUNK // _STEPS notes between looks at what the workers sent
_SHARE = 4  # a job is at most 1/_SHARE of each process's share of the notes not yet taken
_SMALLEST_JOB = 50
_PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process (/proc/sys/fs/pipe-max-size)

Entry = tuple[Note | None, Sequence[Diagnostic]]
# What parsing one note gives: path, size, mtime_ns, digest, JSON (None: not encodable, or not encoded
# yet), whether it may be cached, and the result itself (a worker leaves it out when it sends the JSON).
Parsed = tuple[str, int, int, bytes | None, str | None, bool, Entry | None]


# --- one file ---------------------------------------------------------------------------------------------


def _parse(
    root: str, path: str, max_bytes: int, now_ns: int, *, encoded: bool, got: ReadResult | None = None
) -> Parsed:
    """Read (unless `got` holds what `read_file` returned) and parse one note; JSON-encode it if asked
    (else `store` says whether to encode and cache it later)."""
    data, size, mtime_ns, diags = got if got is not None else read_file(root, path, max_bytes)
    note: Note | None = None
    if data is not None:
        note, diags = parse_bytes(path, data, mtime_ns)
    # Only the result of a complete, consistent read is cached: not vanished, unreadable or still growing.
    store = (data is None or len(data) == size) and not any(d.code in _TRANSIENT for d in diags)
    found = digest(data) if store and data is not None and needs_digest(mtime_ns, now_ns) else None
    text = encode(path, note, diags) if encoded else None
    return path, size, mtime_ns, found, text, store and (text is not None or not encoded), (note, diags)


_TRANSIENT = frozenset({"vanished", "unreadable", "changed-while-reading"})  # never cached


# --- many files ------------------------------------------------------------------------------------------


def _worker_init() -> None:
    gc.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _parse_chunk(root: str, paths: list[str], max_bytes: int, now_ns: int) -> list[Parsed]:
    """A worker's job. Results travel as their JSON when they have one: cheaper than pickling objects."""
    out = []
    for path in paths:
        parsed = _parse(root, path, max_bytes, now_ns, encoded=True)
        out.append(parsed if parsed[4] is None else (*parsed[:6], None))
    return out


def _widen_result_pipe(pool: ProcessPoolExecutor) -> None:
    """Let a worker write a whole job's results into the pipe without waiting (Linux).

    A job's results (a few hundred KiB) fill the default 64 KiB pipe many times; each time the worker
    stops until the pool's thread in this process, which needs the GIL this process's parsing holds,
    has read it: measured, workers idled a fifth of the time. Best effort: the pipe is the pool's own
    (a private attribute), and anything unexpected leaves it as it is."""
    set_size: int | None = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    if set_size is None or reader is None:
        return
    with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
        fcntl.fcntl(reader.fileno(), set_size, _PIPE_BYTES)


def _mp_context() -> BaseContext:
    """fork is fastest, but unsafe once other threads run (the watch's observer): then spawn."""
    if "fork" in get_all_start_methods() and threading.active_count() == 1:
        return get_context("fork")
    return get_context("spawn")


def _worker_count(workers: int | None, todo: int) -> int:
    if workers is not None:
        return max(1, min(workers, MAX_WORKERS))
    if todo < PARALLEL_MIN:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, MAX_WORKERS))


@dataclass
class _Run:
    """One pass over the scanned notes: what came from the cache, what was parsed, what to write back."""

    root: str
    files: tuple[ScannedFile, ...]
    max_bytes: int
    now_ns: int
    cache: ParseCache | None
    results: list[Entry | None] = field(default_factory=list)
    upserts: list[tuple[str, int, int, int, bytes | None, str]] = field(default_factory=list)
    checked: list[tuple[int, str]] = field(default_factory=list)
    uncached: list[str] = field(default_factory=list)
    # Parsed here, to be encoded when the cache is written: (index, path, size, mtime_ns, digest).
    unencoded: list[tuple[int, str, int, int, bytes | None]] = field(default_factory=list)
    decoder: Decoder = field(default_factory=Decoder)

    def reuse(self, rows: dict[str, Row]) -> list[int]:
        """Fill `results` from the rows that still hold; returns the indexes of the notes left to parse.
        Raises `CorruptCache`."""
        self.results = [None] * len(self.files)
        if not rows:  # a cold build: every note is parsed
            return list(range(len(self.files)))
        seconds = Counter(f.mtime_ns for f in self.files if f.mtime_ns % 1_000_000_000 == 0)
        shared = {s for s, n in seconds.items() if n > 1}
        todo: list[int] = []
        hits: list[int] = []
        texts: list[tuple[str, int, int, str]] = []
        for i, f in enumerate(self.files):
            row = rows.get(f.path)
            kind = classify(row, f.size, f.mtime_ns, shared)
            if kind == HIT:
                hits.append(i)
                texts.append((f.path, f.size, f.mtime_ns, row[4]))  # type: ignore[index]
            elif kind == MISS:
                todo.append(i)
            else:
                self._verify(i, f, row)  # type: ignore[arg-type]
        for i, entry in zip(hits, self.decoder.decode_many(texts), strict=True):
            self.results[i] = entry
        return todo

    def _verify(self, i: int, f: ScannedFile, row: Row) -> None:
        """A row whose mtime may lie is reused only when the file's digest still matches; else the bytes
        just read are parsed."""
        got = read_file(self.root, f.path, self.max_bytes)
        data, size, mtime_ns, _ = got
        if data is not None and size == row[0] and mtime_ns == row[1] and digest(data) == row[3]:
            self.results[i] = self.decoder.decode(f.path, size, mtime_ns, row[4])
            self.checked.append((self.now_ns, f.path))
        else:
            self._keep(i, _parse(self.root, f.path, self.max_bytes, self.now_ns, encoded=False, got=got))

    def _keep(self, i: int, parsed: Parsed) -> None:
        path, size, mtime_ns, found, text, store, entry = parsed
        if entry is None:
            assert text is not None  # a worker leaves the result out only when it sent its JSON
            entry = self.decoder.decode(path, size, mtime_ns, text)
        self.results[i] = entry
        if not store:
            self.uncached.append(path)
        elif text is None:
            self.unencoded.append((i, path, size, mtime_ns, found))
        else:
            self.upserts.append((path, size, mtime_ns, self.now_ns, found, text))

    def _encode_rest(self) -> None:
        """Encode what this process parsed (encoding is left until the cache is written: see `CacheWrite`)."""
        for i, path, size, mtime_ns, found in self.unencoded:
            note, diags = self.results[i]  # type: ignore[misc]
            text = encode(path, note, diags)
            if text is None:
                self.uncached.append(path)
            else:
                self.upserts.append((path, size, mtime_ns, self.now_ns, found, text))
        self.unencoded = []

    def parse(self, todo: list[int], workers: int | None, progress: Progress | None) -> None:
        """Parse the notes at `todo`; with more than one process, worker processes help (see `_shared`)."""
        count = _worker_count(workers, len(todo))
        if count > 1 and len(todo) > CHUNK:
            with contextlib.suppress(OSError, BrokenExecutor):  # no /dev/shm, a worker killed: go on alone
                self._shared(todo, count - 1, progress)
            todo_left = [i for i in todo if self.results[i] is None]
        else:
            todo_left = todo
        done = len(todo) - len(todo_left)
        for k in range(0, len(todo_left), CHUNK):
            chunk = todo_left[k : k + CHUNK]
            self._parse_here(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, len(todo))

    def _parse_here(self, chunk: list[int]) -> None:
        for i in chunk:
            self._keep(i, _parse(self.root, self.files[i].path, self.max_bytes, self.now_ns, encoded=False))

    def _shared(self, todo: list[int], workers: int, progress: Progress | None) -> None:
        """Workers take jobs from the front while this process parses from the back (its own results
        need no decoding); they meet in the middle. This process parses a few notes at a time, between
        which it collects what the workers sent and hands out more, so that each worker always has
        `_DEPTH` jobs waiting. Jobs shrink as the middle nears, so that neither side waits long at the
        end for the other."""
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context(), initializer=_worker_init)
        lo, hi = 0, len(todo)  # todo[lo:hi]: not yet taken by either side
        running: set[Future[list[Parsed]]] = set()
        where = {self.files[i].path: i for i in todo}
        step = max(1, CHUNK // _STEPS)
        smallest = max(1, min(CHUNK, _SMALLEST_JOB))
        done = 0

        def hand_out() -> None:
            nonlocal lo
            while lo < hi and len(running) < _DEPTH * workers:
                size = max(smallest, min(CHUNK, (hi - lo) // (_SHARE * (workers + 1))))
                paths = [self.files[i].path for i in todo[lo : min(hi, lo + size)]]
                lo += len(paths)
                running.add(pool.submit(_parse_chunk, self.root, paths, self.max_bytes, self.now_ns))

        try:
            _widen_result_pipe(pool)
            hand_out()
            while lo < hi or running:
                if lo < hi:
                    mine = todo[max(lo, hi - step) : hi]
                    hi -= len(mine)
                    self._parse_here(mine)
                    done += len(mine)
                    finished = {f for f in running if f.done()}
                else:
                    finished = wait(running, return_when=FIRST_COMPLETED).done
                for future in finished:
                    running.discard(future)
                    done += self._collect(future, where)
                hand_out()
                if progress is not None:
                    progress(done, len(todo))
        finally:
            pool.shutdown(wait=True)

    def _collect(self, future: Future[list[Parsed]], where: dict[str, int]) -> int:
        parsed = future.result()
        for one in parsed:
            self._keep(where[one[0]], one)
        return len(parsed)

    def save(self, rows: dict[str, Row]) -> None:
        if self.cache is None:
            return
        self._encode_rest()
        present = {f.path for f in self.files}
        deletes = [p for p in rows if p not in present]
        deletes += [p for p in self.uncached if p in rows]
        if self.upserts or self.checked or deletes:
            # In key order (Python orders str as SQLite orders their UTF-8 bytes): SQLite's B-tree then
            # fills its pages one after another, ~15% faster on a cold build. Only speed depends on it.
            self.upserts.sort(key=itemgetter(0))
            self.cache.save(self.upserts, self.checked, deletes)


def _read_all(run: _Run, workers: int | None, progress: Progress | None, defer: bool) -> CacheWrite:
    rows: dict[str, Row] = {}
    if run.cache is not None:
        try:
            rows = run.cache.rows()
            todo = run.reuse(rows)
        except CorruptCache:
            run.cache.rebuilt = True
            run.cache.reset(settings_key(run.max_bytes))
            run.checked.clear()
            run.upserts.clear()
            run.uncached.clear()
            run.unencoded.clear()
            rows = {}
            todo = run.reuse(rows)
    else:
        todo = run.reuse(rows)
    run.parse(todo, workers, progress)
    if defer and can_fork(run):
        return save_in_child(run, rows)
    run.save(rows)
    return CacheWrite()


def read_entries(
    root: Path,
    config: Config,
    scan: Scan,
    now_ns: int,
    use_cache: bool,
    progress: Progress | None = None,
    workers: int | None = None,
    *,
    defer: bool = False,
) -> tuple[list[Entry], bool, CacheWrite]:
    """Each scanned note's parse result (note or None, problems), in scan order, whether a damaged cache was
    rebuilt, and the cache's writing. See `read_notes`. With `defer`, the cache may still be being written
    when this returns: the caller must `wait()` for the `CacheWrite` (even when it fails), at the latest
    before its own caller could read the vault again; without, it is written already."""
    real_root = root.resolve()
    cache = open_cache(real_root, config.max_note_bytes) if use_cache else None
    run = _Run(os.fspath(real_root), scan.notes, config.max_note_bytes, now_ns, cache)
    try:
        write = _read_all(run, workers, progress, defer)
    finally:
        if run.cache is not None:
            run.cache.close()
    entries = [entry for entry in run.results if entry is not None]
    assert len(entries) == len(scan.notes)
    return entries, cache is not None and cache.rebuilt, write
