"""The build stamp: a build that finds nothing changed only scans, and anything that matters ends that."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TODAY
from vaultkit.build import BuildResult, build
from vaultkit.cli import cli
from vaultkit.stamp import STAMP_FILE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example-vault"
OLD_NS = 1_700_000_000_123_456_789  # a settled mtime (2023), not a whole second


def age(root: Path) -> None:
    """Give every note an old, distinct mtime: saved long ago, so size and mtime can be trusted."""
    for i, path in enumerate(sorted(root.rglob("*.md"))):
        if ".vaultkit" not in path.parts and "Agenda" not in path.parts:
            os.utime(path, ns=(OLD_NS + i * 1000, OLD_NS + i * 1000))


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    dest = tmp_path / "example-vault"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".vaultkit", "Agenda"))
    age(dest)
    return dest


def pages(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "Agenda").glob("*.md"))}


def same_outcome(a: BuildResult, b: BuildResult) -> None:
    assert a.diagnostics == b.diagnostics
    assert a.note_count == b.note_count
    assert sorted(a.written + a.unchanged) == sorted(b.written + b.unchanged)


def test_nothing_changed_reuses_the_stamp(vault: Path) -> None:
    first = build(vault, TODAY)
    assert first.ok and not first.reused and (vault / ".vaultkit" / STAMP_FILE).is_file()
    before = pages(vault)
    second = build(vault, TODAY)
    assert second.reused and second.loaded is None and second.written == ()
    same_outcome(second, first)
    assert pages(vault) == before
    full = build(vault, TODAY, use_stamp=False)
    assert not full.reused
    same_outcome(second, full)


def edit_note(root: Path) -> None:
    path = root / "interactions" / "2026" / "2026-11-20 Coffee with Jane.md"
    if not path.exists():
        path = sorted((root / "interactions").rglob("*.md"))[-1]
    path.write_text(path.read_text(encoding="utf-8") + "\nAlso: [[Nobody Here]]\n", encoding="utf-8")
    os.utime(path, ns=(OLD_NS + 10**12, OLD_NS + 10**12))


def test_an_edited_note_runs_the_whole_build(vault: Path) -> None:
    build(vault, TODAY)
    edit_note(vault)
    again = build(vault, TODAY)
    assert not again.reused
    same_outcome(again, build(vault, TODAY, use_stamp=False))


@pytest.mark.parametrize(
    "change",
    ["delete note", "add note", "new today", "config", "template override", "page edited", "page deleted"],
)
def test_whatever_the_pages_depend_on_ends_the_reuse(vault: Path, change: str) -> None:
    build(vault, TODAY)
    today = TODAY
    if change == "delete note":
        sorted((vault / "people").glob("*.md"))[0].unlink()
    elif change == "add note":
        (vault / "people" / "Zoe New.md").write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
        age(vault)
    elif change == "new today":
        today = TODAY + dt.timedelta(days=1)
    elif change == "config":
        config = vault / "vaultkit.toml"
        text = config.read_text(encoding="utf-8") if config.exists() else ""
        config.write_text(text + '\n# touched\n[me]\nname = "Someone Else"\n', encoding="utf-8")
    elif change == "template override":
        folder = vault / ".vaultkit" / "templates" / "pages"
        folder.mkdir(parents=True)
        (folder / "Follow-ups.md.j2").write_text("# Mine\n", encoding="utf-8")
    elif change == "page edited":
        page = vault / "Agenda" / "Follow-ups.md"
        page.write_bytes(page.read_bytes() + b"\nmy own line\n")
    elif change == "page deleted":
        (vault / "Agenda" / "Follow-ups.md").unlink()
    result = build(vault, today)
    assert not result.reused
    if change in ("page edited", "page deleted"):
        assert result.written == ("Agenda/Follow-ups.md",)
    if change == "template override":
        assert (vault / "Agenda" / "Follow-ups.md").read_text(encoding="utf-8").endswith("# Mine\n")


def test_fresh_files_are_not_stamped(vault: Path) -> None:
    """A note saved within the last instants may change again unseen: no stamp until it settles."""
    path = sorted((vault / "people").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(vault, TODAY)
    assert not (vault / ".vaultkit" / STAMP_FILE).exists()
    assert not build(vault, TODAY).reused


def test_shared_whole_second_mtimes_are_not_stamped(vault: Path) -> None:
    for path in (vault / "people").glob("*.md"):
        os.utime(path, ns=(OLD_NS - OLD_NS % 10**9,) * 2)  # unzipped from an archive: second precision
    build(vault, TODAY)
    assert not build(vault, TODAY).reused


@pytest.mark.parametrize(
    "content",
    [b"garbage", b"{}", b'{"format": 1, "key": 5}', b"[1, 2]", b"\xff\xfe", b'{"format": 1, "key": "x"'],
)
def test_a_damaged_stamp_is_ignored(vault: Path, content: bytes) -> None:
    first = build(vault, TODAY)
    (vault / ".vaultkit" / STAMP_FILE).write_bytes(content)
    again = build(vault, TODAY)
    assert not again.reused
    same_outcome(again, first)
    assert build(vault, TODAY).reused  # and written again


def test_a_planted_stamp_with_bad_diagnostics_is_ignored(vault: Path) -> None:
    import json

    build(vault, TODAY)
    stamp = vault / ".vaultkit" / STAMP_FILE
    data = json.loads(stamp.read_text(encoding="utf-8"))
    data["diagnostics"] = [["x.md", "one", "fatal", 1, None]]
    stamp.write_text(json.dumps(data), encoding="utf-8")
    assert not build(vault, TODAY).reused


def test_cli_build_reports_the_recorded_problems(vault: Path) -> None:
    (vault / "people" / "Broken.md").write_text("---\ncadence: [unclosed\n---\n", encoding="utf-8")
    age(vault)
    runner = CliRunner()
    args = ["build", str(vault), "--today", TODAY.isoformat()]
    first = runner.invoke(cli, args)
    second = runner.invoke(cli, args)
    assert first.exit_code == second.exit_code == 0
    assert "people/Broken.md:" in first.stderr
    assert second.stderr == first.stderr
    assert second.stdout.endswith("0 written, 5 unchanged\n")
