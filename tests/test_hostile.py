"""The hostile vault (tests/hostile/make_hostile.py): built, checked and watched without harm.

The promise under test (docs/safety.md): vaultkit never changes a byte it did not generate, and one bad note
never costs the user the rest of the vault. The main test runs the CLI in subprocesses with a timeout, so a
bomb, a deep nesting, a huge file or a FIFO that stalled vaultkit would fail the test instead of hanging it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.make_hostile import (
    POPULAR,
    POPULAR_LINKS,
    Manifest,
    State,
    make_hostile,
    snapshot,
)
from vaultkit.build import build
from vaultkit.diagnostics import Diagnostic
from vaultkit.insights.followups import compute_agenda
from vaultkit.load import Loaded, load_vault
from vaultkit.read import frontmatter
from vaultkit.read.reader import decode_note, parse_note
from vaultkit.watch import RebuildReport, Watcher
from vaultkit.write import MARKER

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
PAGE = "Agenda/Follow-ups.md"
GENERATED_DIRS = ("Agenda", ".vaultkit")
SUBPROCESS_TIMEOUT = 60  # a hang, not slowness: a healthy run takes well under a second
WHOLE_TEST_BOUND = 20.0  # seconds for the main test, hashing 50 MB and watching included (takes ~2 s)

# --- helpers ------------------------------------------------------------------------------------------------


def assert_untouched(before: dict[str, State], after: dict[str, State], *, allowed_new: set[str]) -> None:
    """Nothing the user had changed (bytes, mode, mtime); new entries only in Agenda/ and .vaultkit/."""
    moving_dirs = {"", *GENERATED_DIRS} | {p.rpartition("/")[0] for p in allowed_new}
    changed = []
    for path, state in before.items():
        now = after.get(path)
        if now == state:
            continue
        if state[0] == "dir" and now is not None and now[0] == "dir" and path in moving_dirs:
            continue  # a folder's mtime moves when an entry is added: vaultkit's own, or the test's
        changed.append((path, state, now))
    assert not changed, f"vaultkit changed files it did not generate: {changed[:10]}"
    new = [p for p in after.keys() - before.keys() if p not in allowed_new]
    outside = [p for p in new if p.split("/", 1)[0] not in GENERATED_DIRS]
    assert not outside, f"vaultkit wrote outside Agenda/ and .vaultkit/: {sorted(outside)}"


def vaultkit(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a fresh interpreter; a hang fails the test after SUBPROCESS_TIMEOUT seconds."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "vaultkit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=SUBPROCESS_TIMEOUT,
        env=env,
        cwd=REPO,
        check=False,
    )


def keyed(diags: list[Diagnostic] | tuple[Diagnostic, ...]) -> set[tuple[str, int | None, str]]:
    return {(d.path, d.line, d.code) for d in diags}


def assert_matches_manifest(manifest: Manifest, loaded: Loaded, diags: list[Diagnostic]) -> None:
    """Every bad file reported (path, line, code); every good note indexed and unreported; nothing extra."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diags:
        by_path.setdefault(d.path, []).append(d)
    notes = {n.path for n in loaded.notes}
    problems: list[str] = []
    for e in manifest.expects:
        found = by_path.get(e.path, [])
        if e.bad:
            hits = [d for d in found if d.code in e.codes and (e.line is None or d.line == e.line)]
            if not hits:
                problems.append(
                    f"{e.case}: {e.path!r} not reported as {sorted(e.codes)} line {e.line}: {found}"
                )
        elif found:
            problems.append(f"{e.case}: {e.path!r} must not be reported: {found}")
        if e.indexed is True and e.path not in notes:
            problems.append(f"{e.case}: {e.path!r} not indexed")
        if e.indexed is False and e.path in notes:
            problems.append(f"{e.case}: {e.path!r} must not be indexed")
        if e.person and e.path not in loaded.vault.people:
            problems.append(f"{e.case}: {e.path!r} not in vault.people")
    expected = manifest.by_path()
    for path, found in by_path.items():
        if path not in expected or not expected[path].bad:
            problems.append(f"unexpected diagnostics for {path!r}: {found}")
    assert not problems, "\n".join(problems)
    assert not any(n.path.startswith(("Agenda/", ".")) for n in loaded.notes)
    assert len(notes) == len(loaded.notes), "a note indexed twice (through a symlink?)"


@pytest.fixture
def hostile(tmp_path: Path) -> Manifest:
    return make_hostile(tmp_path / "vault", tmp_path / "outside")


def watch_once(root: Path, new_note: Path) -> list[RebuildReport]:
    """Start `Watcher`, wait for its first build, add `new_note`, wait for the rebuild, stop. Reports."""
    reports: queue.Queue[RebuildReport] = queue.Queue()
    notices: list[str] = []
    watcher = Watcher(
        root, today=TODAY, reconcile_every=None, quiet=0.1, on_report=reports.put, on_notice=notices.append
    )
    errors: list[BaseException] = []

    def run() -> None:
        try:
            watcher.run()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    got: list[RebuildReport] = []
    try:
        got.append(reports.get(timeout=30))
        new_note.write_text("---\ntype: person\ncadence: 7d\n---\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            report = reports.get(timeout=max(0.1, deadline - time.monotonic()))
            got.append(report)
            if any(c.path.endswith(new_note.name) for c in report.changes):
                break
    finally:
        watcher.stop()
        thread.join(timeout=30)
    assert not thread.is_alive(), "the watch did not stop"
    assert not errors, errors
    return got


# --- the main test ------------------------------------------------------------------------------------------


def test_hostile_vault_builds_checks_and_watches_without_harm(hostile: Manifest) -> None:
    started = time.monotonic()
    root, outside = hostile.root, hostile.outside
    before, before_outside = snapshot(root), snapshot(outside)

    # Build, then check, through the real CLI: cold cache, then warm.
    built = vaultkit("build", str(root), "--today", TODAY.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    assert "Traceback" not in built.stderr
    assert f"wrote {PAGE}" in built.stdout
    checked = vaultkit("check", "--json", str(root))
    assert checked.returncode == 1, checked.stderr[-3000:]  # the vault has errors: exit 1, no crash
    cli_diags = [Diagnostic(**d) for d in json.loads(checked.stdout)]
    for d in cli_diags:  # every problem names its file as the user sees it, relative to the vault
        assert not os.path.isabs(d.path) and ".." not in d.path.split("/"), d

    # The same vault read in this process: every bad note reported, every good one indexed.
    warm = load_vault(root)
    cold = load_vault(root, use_cache=False)
    assert keyed(warm.diagnostics) == keyed(cold.diagnostics) == keyed(cli_diags)
    assert [n.path for n in warm.notes] == [n.path for n in cold.notes]
    assert_matches_manifest(hostile, cold, list(cold.diagnostics))
    assert len(cold.vault.touches[POPULAR]) == POPULAR_LINKS

    # The page was written, and lists the good people; the user's own file in Agenda/ was left alone.
    page = (root / PAGE).read_text(encoding="utf-8")
    assert page.startswith(MARKER)
    due = {f.person for f in compute_agenda(cold.vault, TODAY).follow_ups}
    assert {e.path for e in hostile.good if e.case.startswith("names")} <= due

    # Nothing ran, nothing was read or written through a link out of the vault.
    assert not hostile.canary.exists()
    assert all("SECRET OUTSIDE" not in str(n.meta) for n in cold.notes)
    assert "Outside Person" not in page and "SECRET" not in page

    # Building again changes nothing.
    again = build(root, TODAY)
    assert again.ok and again.written == () and PAGE in again.unchanged

    # Watch it: a first build, then one more for a note the user adds; stops cleanly.
    late = root / "people" / "Late Arrival.md"
    reports = watch_once(root, late)
    assert all(r.error is None for r in reports), [r.line() for r in reports]
    assert any(c.path == "people/Late Arrival.md" for r in reports for c in r.changes)
    assert "[[Late Arrival]]" in (root / PAGE).read_text(encoding="utf-8")

    after = snapshot(root)
    assert_untouched(before, after, allowed_new={"people/Late Arrival.md"})
    assert snapshot(outside) == before_outside
    assert not [p for p in after if p.split("/")[-1].startswith(".vaultkit-")], "a temp file was left"
    elapsed = time.monotonic() - started
    assert elapsed < WHOLE_TEST_BOUND, f"the hostile vault took {elapsed:.1f} s"


# --- smaller tests, per case --------------------------------------------------------------------------------


@pytest.fixture(params=[True, False], ids=["libyaml", "pure-python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    if request.param and not frontmatter.USE_LIBYAML:
        pytest.skip("PyYAML is built without libyaml here")
    monkeypatch.setattr(frontmatter, "USE_LIBYAML", request.param)
    yield request.param


def test_same_problems_with_the_pure_python_yaml_parser(
    hostile: Manifest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reliability.md §1: C and Python loaders differ (ScannerError vs RecursionError); vaultkit must not."""
    with_c = load_vault(hostile.root, use_cache=False)
    monkeypatch.setattr(frontmatter, "USE_LIBYAML", False)
    pure = load_vault(hostile.root, use_cache=False)
    assert keyed(pure.diagnostics) == keyed(with_c.diagnostics)
    assert [n.path for n in pure.notes] == [n.path for n in with_c.notes]
    assert_matches_manifest(hostile, pure, list(pure.diagnostics))


def test_same_result_in_worker_processes(hostile: Manifest) -> None:
    """The hostile vault read by a pool of worker processes (as big vaults are) gives the same result."""
    alone = load_vault(hostile.root, use_cache=False, workers=1)
    pooled = load_vault(hostile.root, use_cache=False, workers=3)
    assert keyed(pooled.diagnostics) == keyed(alone.diagnostics)
    assert pooled.notes == alone.notes
    assert_matches_manifest(hostile, pooled, list(pooled.diagnostics))


HOSTILE_CONFIGS = [
    '[folders]\noutput = "../outside"\n',
    '[folders]\noutput = "/etc"\n',
    '[folders]\noutput = "Agenda/../../outside"\n',
    '[folders]\noutput = "."\n',
    '[folders]\noutput = ""\n',
    '[folders]\noutput = "outside-notes"\n',  # a symlink to a folder out of the vault
    '[folders]\noutput = "people/loop/people"\n',  # through the loop symlink back into the vault
    "[folders]\noutput = 5\n",
    "[limits]\nmax_note_bytes = -1\n",
    "[limits]\nmax_note_bytes = 99999999999999999999999\n",
    "not toml at all [[[\n",
    "\ufeff[me]\nname = 'BOM'\n",
    "[me]\nname = 'x'\n" * 2,
]


@pytest.mark.parametrize("config", HOSTILE_CONFIGS)
def test_hostile_settings_never_lead_a_write_out_of_place(tmp_path: Path, config: str) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["20-symlinks", "names"])
    (manifest.root / "vaultkit.toml").write_text(config, encoding="utf-8")
    before, before_outside = snapshot(manifest.root), snapshot(manifest.outside)
    result = vaultkit("build", str(manifest.root), "--today", TODAY.isoformat())
    assert "Traceback" not in result.stderr, result.stderr
    after = snapshot(manifest.root)
    changed = [p for p, s in before.items() if after.get(p) != s and s[0] != "dir"]
    assert changed == [], changed
    for path in after.keys() - before.keys():  # wherever the settings put the pages, inside the vault
        if after[path][0] == "file" and not path.startswith(".vaultkit/"):
            assert (manifest.root / path).read_text(encoding="utf-8").startswith(MARKER), path
    assert snapshot(manifest.outside) == before_outside
    assert not Path("/etc/Follow-ups.md").exists()


def _parse(text: str | bytes, path: str = "x.md") -> tuple[dict[str, object], list[Diagnostic]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    decoded, diags = decode_note(path, data)
    assert decoded is not None, diags
    note, more = parse_note(path, decoded, size=len(data))
    return note.meta, diags + more


def test_alias_bombs_are_refused_fast(yaml_parser: bool, hostile: Manifest) -> None:
    """§9.3-4: rejected before anything is expanded; well under 100 ms each."""
    for name in ("bomb.md", "self-alias.md", "merge-key.md"):
        data = (hostile.root / name).read_bytes()
        start = time.perf_counter()
        meta, diags = _parse(data, name)
        assert time.perf_counter() - start < 0.1
        assert meta == {} and [d.code for d in diags] == ["yaml-alias"] and diags[0].line == 2


def test_deep_nesting_is_refused_by_both_parsers(yaml_parser: bool) -> None:
    """§9.12: 20,000 '[' is "nested too deep", not a RecursionError or a ScannerError message."""
    for start in ("a: " + "[" * 20_000, "a: " + "{a: " * 20_000, "a:\n" + "- " * 20_000 + "x"):
        meta, diags = _parse(f"---\n{start}\n---\n")
        assert meta == {} and [d.code for d in diags] == ["yaml-too-deep"], diags


def test_yaml_1_1_words_stay_text(yaml_parser: bool) -> None:
    """§9.11: NO, yes, 10:30, 012345, 0x1F, 1e3 are read as written; a field's type decides later."""
    meta, diags = _parse(
        "---\ncountry: NO\ncall: 10:30\nzip: 012345\non: yes\nhex: 0x1F\nexp: 1e3\nd: 2024-01-01\n---\n"
    )
    assert diags == []
    assert meta == {
        "country": "NO",
        "call": "10:30",
        "zip": "012345",
        "on": "yes",
        "hex": "0x1F",
        "exp": "1e3",
        "d": "2024-01-01",
    }


def test_reserved_and_non_string_keys(yaml_parser: bool) -> None:
    """§9.14: python-frontmatter's TypeError keys are plain properties here, keys as written."""
    meta, diags = _parse("---\ncontent: c\nhandler: h\n1: one\nyes: y\n2024-01-01: d\ntrue: t\n---\n")
    assert diags == []
    assert meta == {"content": "c", "handler": "h", "1": "one", "yes": "y", "2024-01-01": "d", "true": "t"}


def test_bom_and_crlf_note_is_read_like_any_other(hostile: Manifest) -> None:
    """§9.8: properties read through a BOM and CRLF line ends; the person counts."""
    loaded = load_vault(hostile.root, use_cache=False)
    person = loaded.vault.people["people/Bom Crlf.md"]
    assert str(person.cadence) == "30d" and person.tags == ("crlf",)
    assert person.links_to == (POPULAR,)


def test_python_tags_never_run(yaml_parser: bool, tmp_path: Path) -> None:
    """§9.5: an unsupported tag on its line; nothing executed."""
    canary = tmp_path / "pwned"
    meta, diags = _parse(f'---\nx: !!python/object/apply:os.system ["touch {canary}"]\n---\n')
    assert meta == {} and [(d.code, d.line) for d in diags] == [("yaml-tag", 2)]
    assert not canary.exists()


def test_a_fifo_named_md_does_not_hang_the_build(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until someone writes: it must never be opened."""
    root = tmp_path / "vault"
    root.mkdir()
    os.mkfifo(root / "pipe.md")
    (root / "ok.md").write_text("fine\n", encoding="utf-8")
    result = vaultkit("build", str(root), "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert [n.path for n in load_vault(root).notes] == ["ok.md"]


# --- §9.25: a generated page edited by hand, made read-only, or replaced by a link ------------------------


def _built(hostile: Manifest) -> Path:
    result = build(hostile.root, TODAY)
    assert result.ok, result.page_errors
    return hostile.root / PAGE


def test_hand_edited_page_is_refused_and_kept(hostile: Manifest) -> None:
    page = _built(hostile)
    mine = page.read_bytes().replace(MARKER.encode(), b"My own agenda, thank you") + b"\n- call mum\n"
    page.write_bytes(mine)
    (hostile.root / "people" / "Someone New.md").write_text("---\ncadence: 7d\n---\n", encoding="utf-8")
    result = vaultkit("build", str(hostile.root), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert f"{PAGE}: error: not written: the file exists and was not generated by vaultkit" in result.stderr
    assert page.read_bytes() == mine
    assert not [p for p in page.parent.iterdir() if p.name.startswith(".vaultkit-")]


def test_read_only_page_is_refused_and_kept(hostile: Manifest, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root a 0444 file is still writable, so the check itself is faked to run the same path anywhere."""
    import vaultkit.write

    page = _built(hostile)
    old = page.read_bytes()
    page.chmod(0o444)
    (hostile.root / "people" / "Someone New.md").write_text("---\ncadence: 7d\n---\n", encoding="utf-8")
    real_access = os.access
    monkeypatch.setattr(
        vaultkit.write.os, "access", lambda p, m, **kw: False if Path(p) == page else real_access(p, m, **kw)
    )
    result = build(hostile.root, TODAY)
    assert [e.path for e in result.page_errors] == [PAGE]
    assert "read-only" in result.page_errors[0].message
    assert page.read_bytes() == old and stat.S_IMODE(page.stat().st_mode) == 0o444


def test_page_replaced_by_a_symlink_is_not_written_through(hostile: Manifest) -> None:
    page = _built(hostile)
    target = hostile.outside / "elsewhere.md"
    target.write_text(MARKER + "\nnot yours\n", encoding="utf-8")
    page.unlink()
    page.symlink_to(target)
    result = build(hostile.root, TODAY)
    assert [e.path for e in result.page_errors] == [PAGE]
    assert target.read_text(encoding="utf-8") == MARKER + "\nnot yours\n"
    assert page.is_symlink()


def test_output_folder_linked_out_of_the_vault_is_refused(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["names"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (manifest.root / "Agenda").symlink_to(elsewhere)
    result = build(manifest.root, TODAY)
    assert PAGE in [e.path for e in result.page_errors] and result.written == ()
    assert all("outside the vault" in e.message for e in result.page_errors)
    assert list(elsewhere.iterdir()) == []


# --- cases that were bugs once (each fixed; kept as its own test) ---------------------------------------


def test_nfd_named_note_is_indexed(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["nfd-name"])
    loaded = load_vault(manifest.root)
    name = unicodedata.normalize("NFC", "people/José Núñez.md")
    assert [d.format() for d in loaded.diagnostics if d.path == name] == []
    assert name in loaded.vault.people


def test_non_utf8_file_name_does_not_cost_the_page(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["non-utf8-name", "names"])
    result = build(manifest.root, TODAY)
    assert result.page_errors == ()
    assert (manifest.root / PAGE).is_file()


def test_one_note_flooding_promises_does_not_cost_the_page(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["popular", "task-flood"])
    result = build(manifest.root, TODAY)
    assert result.page_errors == ()


def test_milestones_of_the_wrong_type_are_reported_not_raised(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["model-milestones"])
    loaded = load_vault(manifest.root)
    assert "people/Milestone Number.md" in loaded.vault.people
    assert any(d.path == "people/Milestone Number.md" and d.line == 4 for d in loaded.diagnostics)


_BIDI_OPEN = "\u202a\u202b\u202d\u202e\u2066\u2067\u2068"
_BIDI_CLOSE = "\u202c\u2069"


def test_bidi_controls_from_notes_cannot_reorder_agenda_lines(tmp_path: Path) -> None:
    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["names", "bodies", "popular"])
    assert build(manifest.root, TODAY).ok
    for line in (manifest.root / PAGE).read_text(encoding="utf-8").splitlines():
        depth = 0
        for ch in line:
            depth += ch in _BIDI_OPEN
            depth -= ch in _BIDI_CLOSE and depth > 0
        assert depth == 0, f"unterminated bidi control in {line!r}"


# --- §9.21-23: hostile names for `add person` (the interop tests own the exact file names) ---------------

HOSTILE_NAMES = [
    "../x",
    "People/../../x",
    "/etc/passwd",
    "Bob]] [[Evil|x#y^z: *?",
    "CON",
    "nul.txt",
    "Ann.",
    "anna",  # Anna.md exists: no second file, no overwrite
    "-rf",
    ".hidden",
    "[[]]",
    "   ",
    "new\nline",
    "Evil\u202egnp",
    "Zoe\u200bZero",
    "a" * 300,
    "王" * 100,
    unicodedata.normalize("NFD", "José Núñez"),
    "🦄" * 80,
]


def test_add_person_with_hostile_names_stays_inside_people(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from vaultkit.cli import cli

    manifest = make_hostile(tmp_path / "vault", tmp_path / "outside", cases=["16-sync-conflicts", "names"])
    root = manifest.root
    before, before_outside = snapshot(root), snapshot(manifest.outside)
    runner = CliRunner()
    for name in HOSTILE_NAMES:
        result = runner.invoke(cli, ["add", "person", "--vault", str(root), "--", name])
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.output)
        assert result.exit_code in (0, 1, 2), (name, result.output)
    after = snapshot(root)
    new = sorted(p for p in after.keys() - before.keys() if p.split("/", 1)[0] not in GENERATED_DIRS)
    for path in new:
        assert after[path][0] == "file" and path.startswith("people/") and path.count("/") == 1, path
        assert path.endswith(".md") and len(path.rsplit("/", 1)[1].encode("utf-8")) <= 255, path
        assert path == unicodedata.normalize("NFC", path), path
    assert not [p for p in new if p.casefold() == "people/anna.md"]
    assert_untouched(before, after, allowed_new=set(new))
    assert snapshot(manifest.outside) == before_outside
    loaded = load_vault(root)
    assert not [d for d in loaded.diagnostics if d.path in new]
    assert set(new) <= set(loaded.vault.people)
    assert build(root, TODAY).ok


def test_generated_pages_are_never_read_back_as_notes(tmp_path: Path) -> None:
    manifest = make_hostile(
        tmp_path / "vault", tmp_path / "outside", cases=["20-symlinks", "16-sync-conflicts"]
    )
    (manifest.root / "vaultkit.toml").write_text(
        '[folders]\noutput = "people/loop/people"\n', encoding="utf-8"
    )
    build(manifest.root, TODAY)
    loaded = load_vault(manifest.root)
    assert not [n.path for n in loaded.notes if n.path.rsplit("/", 1)[-1] == "Follow-ups.md"]
