"""Benchmark vaultkit on a generated vault against the floor and Python peers; each run is its own process.

Run: .venv/bin/python benchmarks/bench.py /tmp/vaultkit-bench/large [--runs 3] [--timeout 300]

Rows (each run N times in a fresh process; the table shows medians):
  floor          read every note's bytes in Python (os.scandir walk, open().read()): nothing is faster
  frontmatter    a bare python-frontmatter loop over the same files: `frontmatter.load(path)`
  cold           `vaultkit.build.build(vault, today)` after deleting .vaultkit/ (parse cache and build stamp)
  cold, 1 proc   the same without worker processes (`load_vault(workers=1)`)
  warm           the same build again, nothing changed
  one edit       one note edited (a line appended) just before the build
  obsidiantools  `obsidiantools.api.Vault(vault).connect()` when installed (`pip install obsidiantools`),
                 killed after --timeout seconds
Times are measured inside each process after its imports; "process" adds interpreter start and imports.
Peak memory is the child's own ru_maxrss (os.wait4). The vault is changed only by the "one edit" row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 25)
ROWS = ("floor", "frontmatter", "cold", "cold1", "warm", "edit", "obsidiantools")
LABELS = {
    "floor": "floor: read every file's bytes",
    "frontmatter": "python-frontmatter loop",
    "cold": "cold build (no cache)",
    "cold1": "cold build, 1 process",
    "warm": "warm build, nothing changed",
    "edit": "build after a one-note edit",
    "obsidiantools": "obsidiantools connect()",
}
SKIP_DIRS = {".obsidian", ".trash", ".git", ".vaultkit", "Agenda"}


def note_paths(root: Path) -> Iterator[str]:
    """Every note vaultkit would read: .md files outside hidden folders and the output folder."""
    stack = [os.fspath(root)]
    while stack:
        for entry in os.scandir(stack.pop()):
            if entry.name.startswith(".") or entry.name in SKIP_DIRS:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.name.endswith(".md"):
                yield entry.path


# --- what each child process does ------------------------------------------------------------------------


def child_floor(root: Path) -> dict[str, Any]:
    start = time.perf_counter()
    total = count = 0
    for path in note_paths(root):
        with open(path, "rb") as fh:
            total += len(fh.read())
        count += 1
    return {"seconds": time.perf_counter() - start, "notes": count, "bytes": total}


def child_frontmatter(root: Path) -> dict[str, Any]:
    import frontmatter

    start = time.perf_counter()
    count = errors = 0
    for path in note_paths(root):
        try:
            frontmatter.load(path)
        except Exception:  # a bare loop: skip what it cannot read
            errors += 1
        count += 1
    return {"seconds": time.perf_counter() - start, "notes": count, "errors": errors}


def child_obsidiantools(root: Path) -> dict[str, Any]:
    import obsidiantools.api as otools  # type: ignore[import-untyped]

    start = time.perf_counter()
    vault = otools.Vault(root).connect()
    return {"seconds": time.perf_counter() - start, "notes": len(vault.md_file_index)}


def child_build(root: Path, kind: str) -> dict[str, Any]:
    """A real `build()`, with the time of each stage taken by wrapping the functions it calls."""
    import functools

    import vaultkit.build as build_module
    import vaultkit.load as load_module

    phases: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    load_module._read_notes = timed("read", load_module._read_notes)  # type: ignore[assignment]
    load_module.build_vault = timed("model", load_module.build_vault)  # type: ignore[assignment]
    build_module.render_pages = timed("render", build_module.render_pages)  # type: ignore[assignment]
    build_module.write_pages = timed("write", build_module.write_pages)  # type: ignore[assignment]
    parsed = [0]  # notes parsed rather than taken from the cache, as the progress callback reports them

    def count(done: int, total: int) -> None:
        parsed[0] = total

    if kind == "cold1":
        build_module.load_vault = functools.partial(load_module.load_vault, workers=1)  # type: ignore[assignment]
    start = time.perf_counter()
    result = build_module.build(root, TODAY, progress=count)
    seconds = time.perf_counter() - start
    notes, written = result.note_count, len(result.written)
    return {"seconds": seconds, "notes": notes, "parsed": parsed[0], "written": written, **phases}


def run_child(kind: str, root: Path) -> dict[str, Any]:
    if kind == "floor":
        return child_floor(root)
    if kind == "frontmatter":
        return child_frontmatter(root)
    if kind == "obsidiantools":
        return child_obsidiantools(root)
    return child_build(root, kind)


# --- the parent: prepare, spawn, measure -----------------------------------------------------------------


def spawn(kind: str, root: Path, timeout: float) -> dict[str, Any]:
    """Run one child; its result plus `process` (wall time of the whole process) and `rss_mb`."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        start = time.perf_counter()
        pid = os.spawnv(
            os.P_NOWAIT,
            sys.executable,
            [sys.executable, __file__, "--child", kind, os.fspath(root), os.fspath(out)],
        )
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() - start > timeout:
                os.kill(pid, 9)
                os.wait4(pid, 0)
                return {"timeout": True}
            time.sleep(0.02)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0 or out.stat().st_size == 0:
            return {"failed": True}
        result = json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    result["process"] = wall
    result["rss_mb"] = usage.ru_maxrss / scale
    return result


def prepare(kind: str, root: Path, run: int) -> None:
    if kind in ("cold", "cold1"):
        shutil.rmtree(root / ".vaultkit", ignore_errors=True)
    elif kind == "edit":
        people = sorted((root / "people").glob("*.md")) or sorted(root.rglob("*.md"))
        with open(people[0], "a", encoding="utf-8") as fh:
            fh.write(f"\nEdited in benchmark run {run}.\n")


def has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def measure(root: Path, rows: list[str], runs: int, timeout: float) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {}
    spawn("floor", root, timeout)  # untimed: fills the OS page cache
    for kind in rows:
        if kind in ("frontmatter", "obsidiantools") and not has_module(kind):
            results[kind] = [{"missing": True}]
            continue
        if kind in ("warm", "edit"):
            spawn("warm", root, timeout)  # untimed: the cache holds this vault
        results[kind] = []
        for run in range(runs):
            prepare(kind, root, run)
            result = spawn(kind, root, timeout)
            results[kind].append(result)
            print(f"  {kind} #{run + 1}: {_short(result)}", file=sys.stderr, flush=True)
            if "timeout" in result or "failed" in result:
                break
    return results


def _short(result: dict[str, Any]) -> str:
    if "seconds" not in result:
        return ", ".join(result)
    return f"{result['seconds']:.2f} s, {result['rss_mb']:.0f} MB"


def _median(results: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in results if key in r]
    return statistics.median(values) if values else None


def table(root: Path, results: dict[str, list[dict[str, Any]]], timeout: float) -> str:
    floor = _median(results.get("floor", []), "seconds")
    lines = [
        "| what | median | × floor | whole process | peak RSS | runs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, found in results.items():
        label = LABELS[kind]
        seconds = _median(found, "seconds")
        if seconds is None:
            why = "not installed" if found and "missing" in found[0] else f"did not finish in {timeout:g} s"
            lines.append(f"| {label} | {why} | | | | |")
            continue
        ratio = f"{seconds / floor:.2f}" if floor else ""
        rss, process = _median(found, "rss_mb"), _median(found, "process")
        lines.append(
            f"| {label} | {seconds:.2f} s | {ratio} | {process:.2f} s | {rss:.0f} MB | {len(found)} |"
        )
    phases = [
        "| build stage (median s) | read + parse | model | render | write | notes parsed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind in ("cold", "cold1", "warm", "edit"):
        if kind in results and _median(results[kind], "read") is not None:
            cells = [f"{_median(results[kind], p) or 0:.2f}" for p in ("read", "model", "render", "write")]
            cells.append(f"{_median(results[kind], 'parsed') or 0:,.0f}")
            phases.append(f"| {LABELS[kind]} | " + " | ".join(cells) + " |")
    if len(phases) == 2:  # no build rows
        return "\n".join(lines)
    return "\n".join(lines) + "\n\n" + "\n".join(phases)


def describe(root: Path, load_before: float) -> str:
    count = size = 0
    for path in note_paths(root):
        count += 1
        size += os.stat(path).st_size
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"vault {root}: {count:,} notes, {size / 1e6:.0f} MB; {cpus} CPUs; "
        f"Python {platform.python_version()}; load average {load_before:.2f} before, {load_after:.2f} after"
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        _, kind, root, out = args
        Path(out).write_text(json.dumps(run_child(kind, Path(root))))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("vault", type=Path, help="a vault made by benchmarks/generate.py")
    parser.add_argument("--runs", type=int, default=3, help="runs of each row (default 3)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed")
    parser.add_argument("--rows", default=",".join(ROWS), help=f"comma-separated subset of {','.join(ROWS)}")
    parser.add_argument("--json", type=Path, help="also write every run's numbers to this file")
    opts = parser.parse_args(args)
    rows = [r for r in opts.rows.split(",") if r]
    unknown = set(rows) - set(ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    root = opts.vault.resolve()
    if not root.is_dir():
        parser.error(f"{root}: not a folder")
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results = measure(root, rows, opts.runs, opts.timeout)
    print(describe(root, load_before))
    print()
    print(table(root, results, opts.timeout))
    if opts.json:
        opts.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
