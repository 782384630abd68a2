"""vaultkit.watch.debounce and .rebuild: scripted events on a fake clock. Nothing sleeps; time jumps."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from vaultkit.build import BuildResult, build
from vaultkit.watch.debounce import Burst, Debouncer, run_bursts
from vaultkit.watch.filter import Change
from vaultkit.watch.rebuild import BuildFn, Rebuilder, RebuildReport

QUIET = 0.2
CEILING = 2.0


class Script:
    """A fake clock that replays scripted changes: ``wait`` jumps to the next change or the timeout, and a fake
    build's duration is skipped with ``advance``, delivering the changes that fall inside it. The script is
    over (the debouncer is closed) when nothing is left to wait for, or at ``end``."""

    def __init__(self, end: float | None = None) -> None:
        self.now = 0.0
        self.end = end
        self.pending: list[tuple[float, list[Change]]] = []
        self.debouncer = Debouncer(QUIET, CEILING, clock=lambda: self.now, wait=self.wait)

    def at(self, t: float, *paths: str, kind: str = "modified") -> Script:
        self.pending.append((t, [Change(kind, p) for p in paths]))
        self.pending.sort(key=lambda item: item[0])
        return self

    def _deliver_until(self, t: float) -> None:
        while self.pending and self.pending[0][0] <= t:
            when, changes = self.pending.pop(0)
            self.now = max(self.now, when)
            self.debouncer.add(changes)
        self.now = max(self.now, t)

    def advance(self, seconds: float) -> None:
        self._deliver_until(self.now + seconds)

    def wait(self, timeout: float | None) -> None:
        target = None if timeout is None else self.now + timeout
        if self.pending and (target is None or self.pending[0][0] <= target):
            target = self.pending[0][0]
        if self.end is not None and (target is None or target >= self.end):
            self._deliver_until(self.end)
            self.debouncer.close()
        elif target is None:
            self.debouncer.close()
        else:
            self._deliver_until(target)


class Builds:
    """A fake build: records when it started and what for, takes ``duration`` seconds of fake time."""

    def __init__(self, script: Script, duration: float = 0.05, fail_on: set[int] | None = None) -> None:
        self.script = script
        self.duration = duration
        self.fail_on = fail_on or set()
        self.log: list[tuple[float, Burst]] = []

    def __call__(self, burst: Burst) -> None:
        self.log.append((self.script.now, burst))
        self.script.advance(self.duration)
        if len(self.log) - 1 in self.fail_on:
            raise RuntimeError(f"build {len(self.log) - 1} failed")

    @property
    def times(self) -> list[float]:
        return [round(t, 3) for t, _ in self.log]

    @property
    def reasons(self) -> list[str]:
        return [b.reason for _, b in self.log]


def run(script: Script, builds: Builds, reconcile_every: float | None = None) -> list[BaseException]:
    errors: list[BaseException] = []
    run_bursts(script.debouncer, builds, reconcile_every=reconcile_every, on_error=errors.append)
    return errors


def test_a_burst_of_200_events_gives_one_build() -> None:
    script = Script()
    for i in range(200):
        script.at(1.0 + i * 0.005, f"people/p{i % 7}.md")
    builds = Builds(script)
    run(script, builds)
    assert builds.reasons == ["start", "change"]
    last_event = 1.0 + 199 * 0.005
    assert builds.times[1] == round(last_event + QUIET, 3)
    burst = builds.log[1][1]
    assert burst.events == 200
    assert [c.path for c in burst.changes] == [f"people/p{i}.md" for i in range(7)]


def test_the_quiet_period_is_waited_for_after_the_last_event() -> None:
    script = Script().at(1.0, "a.md").at(1.15, "b.md").at(1.3, "c.md").at(3.0, "d.md")
    builds = Builds(script)
    run(script, builds)
    assert builds.times == [0.0, 1.5, 3.2]
    assert [len(b.changes) for _, b in builds.log] == [0, 3, 1]


def test_the_ceiling_bounds_a_long_storm() -> None:
    script = Script()
    for i in range(51):  # an event every 100 ms for 5 s: never 200 ms of quiet
        script.at(1.0 + i * 0.1, f"n{i}.md")
    builds = Builds(script)
    run(script, builds)
    assert builds.times == [0.0, 3.0, 5.1, 6.2]  # the second burst starts at 3.1, after the build
    for t, burst in builds.log[1:]:
        assert t - burst.first_at <= CEILING + 1e-9
    assert sum(len(b.changes) for _, b in builds.log) == 51


def test_events_during_a_build_cause_exactly_one_more_build() -> None:
    script = Script().at(1.0, "a.md")
    for i in range(30):
        script.at(1.3 + i * 0.01, f"during{i}.md")  # all inside the build of 1.2 .. 2.2
    builds = Builds(script, duration=1.0)
    run(script, builds)
    assert builds.times == [0.0, 1.2, 2.2]
    assert len(builds.log[2][1].changes) == 30


def test_a_change_late_in_a_build_still_gets_its_quiet_period() -> None:
    script = Script().at(1.0, "a.md").at(2.15, "b.md")
    builds = Builds(script, duration=1.0)
    run(script, builds)
    assert builds.times == [0.0, 1.2, 2.35]


def test_a_failing_build_is_reported_and_the_next_burst_builds() -> None:
    script = Script().at(1.0, "a.md").at(2.0, "b.md")
    builds = Builds(script, fail_on={1})
    errors = run(script, builds)
    assert builds.times == [0.0, 1.2, 2.2]
    assert [str(e) for e in errors] == ["build 1 failed"]


def test_keyboard_interrupt_is_not_swallowed() -> None:
    script = Script().at(1.0, "a.md")

    def interrupted(burst: Burst) -> None:
        if burst.reason == "change":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_bursts(script.debouncer, interrupted)


def test_a_periodic_reconcile_runs_after_a_quiet_spell() -> None:
    script = Script(end=1000.0).at(100.0, "a.md")
    builds = Builds(script, duration=0.0)
    run(script, builds, reconcile_every=300.0)
    assert builds.reasons == ["start", "change", "reconcile", "reconcile"]
    assert builds.times == [0.0, 100.2, 400.2, 700.2]


def test_a_burst_in_progress_at_the_reconcile_deadline_is_waited_for() -> None:
    script = Script(end=20.0).at(9.9, "a.md").at(10.05, "b.md")
    builds = Builds(script, duration=0.0)
    run(script, builds, reconcile_every=10.0)
    assert builds.reasons == ["start", "change"]
    assert builds.times == [0.0, 10.25]


def test_close_stops_the_loop_and_drops_pending_changes() -> None:
    script = Script().at(1.0, "a.md")
    builds = Builds(script)
    script.debouncer.close()
    run(script, builds)
    assert builds.log == []


def test_changes_to_one_path_merge() -> None:
    now = [0.0]
    d = Debouncer(QUIET, CEILING, clock=lambda: now[0])
    d.add([Change("created", "a.md"), Change("modified", "a.md")])
    d.add([Change("deleted", "b.md"), Change("saved", "b.md")])  # vim: note renamed away, then a new one
    d.add([Change("created", "people/sedX1"), Change("moved", "people/Ann.md", "people/sedX1")])  # sed -i
    d.add([])
    assert d.pending == 3
    now[0] = QUIET
    burst = d.next_burst()
    assert burst is not None
    assert burst.changes == (
        Change("created", "a.md"),
        Change("modified", "b.md"),
        Change("saved", "people/Ann.md"),
    )
    assert burst.events == 6


def test_quiet_must_not_exceed_the_ceiling() -> None:
    with pytest.raises(ValueError):
        Debouncer(quiet=3.0, ceiling=2.0)


def test_threaded_change_during_build_is_seen(tmp_path: Path) -> None:
    """Real threads and a real condition (short timings): a change made while a build runs causes one more."""
    debouncer = Debouncer(quiet=0.02, ceiling=0.5)
    building = threading.Event()
    release = threading.Event()
    reasons: list[str] = []

    def handle(burst: Burst) -> None:
        reasons.append(burst.reason)
        if len(reasons) == 2:
            building.set()
            release.wait(5)
        if len(reasons) == 3:
            debouncer.close()

    loop = threading.Thread(target=run_bursts, args=(debouncer, handle), daemon=True)
    loop.start()
    debouncer.add([Change("modified", "a.md")])
    assert building.wait(5)
    debouncer.add([Change("modified", "b.md")])
    release.set()
    loop.join(5)
    assert not loop.is_alive()
    assert reasons == ["start", "change", "change"]


# --- the rebuilder: one build per burst, a report line, and a re-check of files changed mid-read ------------


def _rebuilder(
    root: Path, debouncer: Debouncer, reports: list[RebuildReport], build_fn: BuildFn = build
) -> Rebuilder:
    return Rebuilder(
        root,
        debouncer,
        output_dir="Agenda",
        today=lambda: dt.date(2026, 11, 25),
        build_fn=build_fn,
        on_report=reports.append,
    )


def test_a_file_changed_while_the_build_reads_it_is_rebuilt(tmp_path: Path) -> None:
    note = tmp_path / "people" / "Ann.md"
    note.parent.mkdir()
    note.write_text("---\ncadence: 30d\n")  # caught half-written
    now = [0.0]
    debouncer = Debouncer(QUIET, CEILING, clock=lambda: now[0])
    reports: list[RebuildReport] = []

    def build_while_saving(root: Path, today: dt.date) -> BuildResult:
        result = build(root, today)
        if not reports:  # the editor finishes saving while the first build reads
            note.write_text("---\ncadence: 30d\n---\nAnn, finally saved.\n")
        return result

    rebuild = _rebuilder(tmp_path, debouncer, reports, build_while_saving)
    rebuild(Burst("change", (Change("modified", "people/Ann.md"),), 1))
    assert reports[0].rechecking == ("people/Ann.md",)
    assert "changed during the build, building again" in reports[0].line()
    assert debouncer.pending == 1
    now[0] = QUIET
    again = debouncer.next_burst()
    assert again is not None
    rebuild(again)
    assert reports[1].rechecking == ()
    assert debouncer.pending == 0


def test_report_lines(tmp_path: Path) -> None:
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "Ann.md").write_text("---\ncadence: 30d\n---\n")
    reports: list[RebuildReport] = []
    rebuild = _rebuilder(tmp_path, Debouncer(), reports)
    rebuild(Burst("start"))
    changes = (Change("modified", "people/Ann.md"), Change("created", "b.md"), Change("deleted", "c.md"))
    rebuild(Burst("change", changes, 5))
    first, second = reports
    assert first.line().startswith("first build: ")
    assert "wrote Agenda/Follow-ups.md" in first.line()
    assert second.line().startswith("people/Ann.md modified, 2 more: ")
    assert second.line().endswith(" ms, no page changed")
    assert second.written == ()


def test_a_build_that_raises_is_reported_not_raised(tmp_path: Path) -> None:
    reports: list[RebuildReport] = []

    def broken(root: Path, today: dt.date) -> BuildResult:
        raise PermissionError(13, "Permission denied")

    rebuild = _rebuilder(tmp_path, Debouncer(), reports, broken)
    rebuild(Burst("reconcile"))
    assert isinstance(reports[0].error, PermissionError)
    assert reports[0].line().startswith("periodic check: build failed after ")
    assert reports[0].line().endswith("PermissionError: [Errno 13] Permission denied; still watching")


def test_today_is_read_at_every_build(tmp_path: Path) -> None:
    days = iter([dt.date(2026, 11, 24), dt.date(2026, 11, 25)])
    seen: list[dt.date] = []

    def record(root: Path, today: dt.date) -> BuildResult:
        seen.append(today)
        return build(root, today)

    rebuild = Rebuilder(tmp_path, Debouncer(), output_dir="Agenda", today=lambda: next(days), build_fn=record)
    rebuild(Burst("start"))
    rebuild(Burst("reconcile"))
    assert seen == [dt.date(2026, 11, 24), dt.date(2026, 11, 25)]
