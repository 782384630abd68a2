"""Benchmark: how long from saving a note to the agenda page showing it, under `vaultkit watch`.

Run: .venv/bin/python benchmarks/bench_watch.py VAULT [--edits 9] [--new-notes 5] [--quiet-ms 200] [--polling]

VAULT is any vault folder, e.g. one made by `benchmarks/generate.py /tmp/vaultkit-bench/medium --size medium`.
The watch runs in a child process (this file with `--child`), as `vaultkit watch` would. The benchmark adds
one person note, `<people>/Bench Watch Person.md`, and saves it N times by atomic save (temp file +
os.replace), each time with a new cadence. The latency of one edit is the time from the os.replace to the
moment `Agenda/Follow-ups.md` holds the new line: debounce, build and write included. It prints the median
(and min, max) of the N edits, and the build times the watch reported. The note is deleted at the end (the
watch rebuilds once more before it is stopped), so the vault is left as it was apart from `Agenda/` and the
parse cache.

With `--new-notes N` it then logs N meetings with that person, each a new interaction note dated today
(the line leaves "Keep in touch": time to the page without it), and deletes each again (the line comes
back): the creating and deleting of notes, which change the set of files.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

NAME = "Bench Watch Person"
TODAY = dt.date(2026, 11, 25)


def child(vault: Path, quiet_ms: float, polling: bool) -> None:
    """The watch itself: one `REPORT reason ms written` line per rebuild on stdout."""
    from vaultkit.watch import RebuildReport, Watcher

    def on_report(report: RebuildReport) -> None:
        status = "error" if report.error is not None else "ok"
        print(f"REPORT {report.reason} {report.duration_ms:.1f} {len(report.written)} {status}", flush=True)

    watcher = Watcher(vault, today=TODAY, quiet=quiet_ms / 1000, polling=polling, on_report=on_report)
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run()


class Child:
    def __init__(self, vault: Path, quiet_ms: float, polling: bool) -> None:
        command = [sys.executable, __file__, "--child", str(vault), "--quiet-ms", str(quiet_ms)]
        self.proc = subprocess.Popen(
            [*command, *(["--polling"] if polling else [])], stdout=subprocess.PIPE, text=True
        )
        self.reports: queue.Queue[tuple[str, float, int, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("REPORT "):
                _, reason, ms, written, status = line.split()
                self.reports.put((reason, float(ms), int(written), status))

    def next_report(self, timeout: float) -> tuple[str, float, int, str]:
        return self.reports.get(timeout=timeout)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def note_text(cadence_days: int) -> str:
    # A last contact long ago puts the person at the top of "Keep in touch", which shows only the most
    # overdue people on a big vault.
    return (
        f"---\ncadence: {cadence_days}d\nlast_contact: 2001-01-01\n---\n"
        "A note the watch benchmark edits; safe to delete.\n"
    )


def atomic_save(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.bench.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def page_state(page: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(page)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def page_shows(page: Path, cadence_days: int) -> bool:
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return False
    wanted = re.compile(rf"\b{cadence_days}d\b")  # "(every 401d)", "(cadence 401d)"
    return any(NAME in line and wanted.search(line) for line in text.splitlines())


def wait_for_page(page: Path, cadence_days: int, timeout: float, shown: bool = True) -> float:
    """Poll the page's stat every millisecond; read it only when it changed. Returns perf_counter() when the
    page shows the edit (with `shown` False: when it no longer shows the line)."""
    deadline = time.perf_counter() + timeout
    seen = None
    while time.perf_counter() < deadline:
        state = page_state(page)
        if state != seen:
            now = time.perf_counter()
            if page_shows(page, cadence_days) == shown:
                return now
            seen = state
        time.sleep(0.001)
    raise TimeoutError(f"{page} did not show the edit within {timeout:g} s")


def meeting_text() -> str:
    return (
        f'---\ntype: interaction\ndate: {TODAY.isoformat()}\nwith: ["[[{NAME}]]"]\n---\n'
        "A meeting the watch benchmark logs; safe to delete.\n"
    )


def new_notes(
    watch: Child, folder: Path, page: Path, cadence: int, count: int, timeout: float
) -> tuple[list[float], list[float]]:
    """Create and delete `count` interaction notes, one at a time: (create latencies, delete latencies)."""
    created: list[float] = []
    deleted: list[float] = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        meeting = folder / f"{TODAY.isoformat()} Bench Watch Meeting {i + 1}.md"
        atomic_save(meeting, meeting_text())
        saved = time.perf_counter()
        created.append((wait_for_page(page, cadence, timeout, shown=False) - saved) * 1000)
        _, ms, _, _ = watch.next_report(timeout)
        print(f"  new note {i + 1}: page updated {created[-1]:.0f} ms after the save (build {ms:.0f} ms)")
        time.sleep(0.3)
        meeting.unlink()
        gone = time.perf_counter()
        deleted.append((wait_for_page(page, cadence, timeout) - gone) * 1000)
        _, ms, _, _ = watch.next_report(timeout)
        print(f"  deleted {i + 1}: page updated {deleted[-1]:.0f} ms after the delete (build {ms:.0f} ms)")
        time.sleep(0.3)
    return created, deleted


def _summary(what: str, latencies: list[float]) -> str:
    return (
        f"{what}: median {statistics.median(latencies):.0f} ms "
        f"(min {min(latencies):.0f}, max {max(latencies):.0f})"
    )


def measure(vault: Path, edits: int, quiet_ms: float, polling: bool, timeout: float, meetings: int) -> None:
    from vaultkit.config import load_config

    root = vault.resolve()
    config, _ = load_config(root)
    note = root / config.folders.people / f"{NAME}.md"
    page = root / config.folders.output / "Follow-ups.md"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(note_text(400), encoding="utf-8")
    notes = sum(1 for _ in root.rglob("*.md"))
    print(f"vault {root}: about {notes:,} .md files; quiet period {quiet_ms:g} ms; {edits} edits")

    started = time.perf_counter()
    watch = Child(root, quiet_ms, polling)
    latencies: list[float] = []
    builds: list[float] = []
    try:
        _, ms, _, _ = watch.next_report(timeout)
        after = time.perf_counter() - started
        print(f"first build: {ms / 1000:.2f} s ({after:.2f} s after starting the watch)")
        for i in range(edits):
            cadence = 401 + i
            atomic_save(note, note_text(cadence))
            saved = time.perf_counter()
            shown = wait_for_page(page, cadence, timeout)
            latencies.append((shown - saved) * 1000)
            _, ms, _, _ = watch.next_report(timeout)
            builds.append(ms)
            print(f"  edit {i + 1}: page updated {latencies[-1]:.0f} ms after the save (build {ms:.0f} ms)")
            time.sleep(0.3)  # let the burst end, so each edit is its own rebuild
        if meetings:
            folder = root / config.folders.interactions
            made = new_notes(watch, folder, page, 400 + edits, meetings, timeout)
        note.unlink()
        watch.next_report(timeout)
    finally:
        watch.stop()
        if note.exists():
            note.unlink()

    print(
        f"{_summary('save -> page', latencies)}; "
        f"build median {statistics.median(builds):.0f} ms; debounce {quiet_ms:g} ms"
    )
    if meetings:
        print(f"{_summary('new note -> page', made[0])}; {_summary('deleted note -> page', made[1])}")


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("vault", type=Path)
    parser.add_argument("--edits", type=int, default=9)
    parser.add_argument("--new-notes", type=int, default=0, help="also create and delete this many notes")
    parser.add_argument("--quiet-ms", type=float, default=200.0)
    parser.add_argument("--polling", action="store_true")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for one build")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.vault.is_dir():
        parser.error(f"{args.vault}: not a folder")
    if args.child:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        child(args.vault, args.quiet_ms, args.polling)
    else:
        measure(args.vault, args.edits, args.quiet_ms, args.polling, args.timeout, args.new_notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
