"""LiveVault (the watch's in-memory vault) gives what a whole build gives, after every kind of change."""

from __future__ import annotations

import gc
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import TODAY
from vaultkit.build import BuildResult, build
from vaultkit.live import LiveVault

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example-vault"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    dest = tmp_path / "example-vault"
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".vaultkit", "Agenda"))
    return dest


def pages(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "Agenda").glob("*.md"))}


def same_as_full(root: Path, live: BuildResult) -> None:
    """A whole build (no stamp) right after finds the same problems, model and pages: it writes nothing."""
    got = pages(root)
    full = build(root, TODAY, use_stamp=False)
    assert live.loaded is not None and full.loaded is not None
    assert live.diagnostics == full.diagnostics
    assert live.loaded.vault == full.loaded.vault
    assert [n.path for n in live.loaded.notes] == [n.path for n in full.loaded.notes]
    assert full.written == (), f"the live build left {full.written} stale"
    assert pages(root) == got


def interactions(root: Path) -> list[Path]:
    return sorted((root / "interactions").rglob("*.md"))


def people(root: Path) -> list[Path]:
    return sorted((root / "people").glob("*.md"))


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


Change = Callable[[Path], set[str]]


def edit_interaction(root: Path) -> set[str]:
    path = interactions(root)[3]
    text = path.read_text(encoding="utf-8").replace("date: 20", "date: 2026-11-2", 1)
    path.write_text(text + "\n- [ ] send [[" + people(root)[0].stem + "]] the deck 📅 2026-11-01\n", "utf-8")
    return {rel(root, path)}


def edit_person_aliases(root: Path) -> set[str]:
    path = people(root)[1]
    text = path.read_text(encoding="utf-8").replace("---\n", "---\naliases: [Zed, Jane]\n", 1)
    path.write_text(text, encoding="utf-8")
    return {rel(root, path)}


def touch_last_contact(root: Path) -> set[str]:
    path = people(root)[2]
    text = path.read_text(encoding="utf-8").replace("---\n", "---\nlast_contact: 2026-11-24\n", 1)
    path.write_text(text, encoding="utf-8")
    return {rel(root, path)}


def add_interaction(root: Path) -> set[str]:
    who = people(root)[0].stem
    path = root / "interactions" / "2026" / "2026-11-24 Lunch.md"
    path.write_text(f"---\ndate: 2026-11-24\nwith: ['[[{who}]]']\n---\nLunch, see [[Nowhere]].\n", "utf-8")
    return {rel(root, path)}


def delete_interaction(root: Path) -> set[str]:
    path = interactions(root)[0]
    path.unlink()
    return {rel(root, path)}


def rename_person(root: Path) -> set[str]:
    path = people(root)[0]
    new = path.with_name("Renamed Person.md")
    path.rename(new)
    return {rel(root, path), rel(root, new)}


def add_attachment(root: Path) -> set[str]:
    path = root / "Nowhere"
    path.write_bytes(b"not a note")
    return {"Nowhere"}


def break_a_note(root: Path) -> set[str]:
    path = interactions(root)[5]
    path.write_bytes(b"---\ndate: [unclosed\n---\n\xff\xfe body")
    return {rel(root, path)}


def conflict_copy(root: Path) -> set[str]:
    path = root / "people" / "Someone (conflicted copy 2026-11-24).md"
    path.write_text("---\ncadence: monthly\n---\n", encoding="utf-8")
    return {rel(root, path)}


def new_folder(root: Path) -> set[str]:
    folder = root / "people" / "team"
    folder.mkdir()
    (folder / "Newcomer.md").write_text("---\ncadence: weekly\n---\n", encoding="utf-8")
    return {"people/team", "people/team/Newcomer.md"}


def config(root: Path) -> set[str]:
    (root / "vaultkit.toml").write_text('[me]\nname = "Someone Else"\n', encoding="utf-8")
    return {"vaultkit.toml"}


def page_by_hand(root: Path) -> set[str]:
    """Edit a generated page the way a user might: the marker stays, so vaultkit may restore the page."""
    page = root / "Agenda" / "Follow-ups.md"
    page.write_text(page.read_text(encoding="utf-8") + "my own line\n", encoding="utf-8")
    return {"Agenda/Follow-ups.md"}


CHANGES: list[Change] = [
    edit_interaction,
    edit_person_aliases,
    touch_last_contact,
    add_interaction,
    delete_interaction,
    rename_person,
    add_attachment,
    break_a_note,
    conflict_copy,
    new_folder,
    config,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_one_change_told_by_path(vault: Path, change: Change) -> None:
    live = LiveVault(vault)
    same_as_full(vault, live.build(TODAY))
    same_as_full(vault, live.build(TODAY, change(vault)))


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.__name__)
def test_one_change_found_by_rescan(vault: Path, change: Change) -> None:
    live = LiveVault(vault)
    live.build(TODAY)
    change(vault)
    same_as_full(vault, live.build(TODAY))


def test_a_page_edited_by_hand_is_written_again(vault: Path) -> None:
    live = LiveVault(vault)
    live.build(TODAY)
    first = pages(vault)
    result = live.build(TODAY, page_by_hand(vault))
    assert result.written == ("Agenda/Follow-ups.md",) and pages(vault) == first


@pytest.mark.parametrize("seed", range(6))
def test_a_random_sequence_of_changes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = tmp_path / f"v{seed}"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".vaultkit", "Agenda"))
    live = LiveVault(root)
    live.build(TODAY)
    for change in rng.sample(CHANGES, 5):
        try:
            paths = change(root)
        except (FileExistsError, FileNotFoundError, IndexError):
            continue
        result = live.build(TODAY, paths) if rng.random() < 0.8 else live.build(TODAY)
    same_as_full(root, result)


def test_a_failed_build_reads_everything_next_time(vault: Path) -> None:
    live = LiveVault(vault)
    live.build(TODAY)
    with pytest.raises(TypeError):
        live.build(TODAY, 42)  # type: ignore[arg-type]
    edit_interaction(vault)
    same_as_full(vault, live.build(TODAY, set()))


def test_a_long_watch_keeps_no_garbage(vault: Path) -> None:
    """Each build freezes what it made (`gc_paused`); cyclic garbage left from the build before must not be
    frozen with it, or a watch running for days grows without end (it did: ~1,300 objects a build)."""
    live = LiveVault(vault)
    live.build(TODAY)
    meeting = vault / "interactions" / "2026-11-24 Garbage check.md"
    counts = []
    for i in range(12):
        meeting.write_text(f"---\ntype: interaction\ndate: 2026-11-24\nwith: [Nobody]\n---\n{i}\n", "utf-8")
        live.build(TODAY, [meeting.relative_to(vault).as_posix()])
        meeting.unlink()
        live.build(TODAY, [meeting.relative_to(vault).as_posix()])
        counts.append(gc.get_freeze_count())
    assert counts[-1] - counts[2] < 200, counts


SCAN_FILES = [
    "people/Ann.md",
    "people/deep/er/Bob.md",
    "people/photo.png",
    "Agenda/Follow-ups.md",
    "agenda/mine.md",
    "Agenda/sub/x.md",
    ".obsidian/workspace.md",
    ".trash/Old.md",
    "notes/.hidden/x.md",
    "notes/.x.md",
    "notes/Ann (conflicted copy).md",
    "notes/Ann.sync-conflict-20260101-120000-ABCDEFG.md",
    "notes/report.MD",
    "notes/no-extension",
]


def test_scan_one_agrees_with_the_whole_scan(tmp_path: Path) -> None:
    """Wherever `scan_one` gives a verdict, it is the one `scan_vault` gives for that path."""
    from vaultkit.read.scan import scan_one, scan_vault

    for rel in SCAN_FILES:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")
    whole = scan_vault(tmp_path, "Agenda")
    notes = {f.path: f for f in whole.notes}
    kinds = {}
    for rel in [*SCAN_FILES, "people/Gone.md", "nowhere/Gone.md"]:
        verdict = scan_one(tmp_path, rel, "Agenda")
        kinds[rel] = None if verdict is None else verdict.kind
        if verdict is None:
            continue
        if verdict.kind == "note":
            assert verdict.note == notes[rel], rel
        elif verdict.kind == "attachment":
            assert rel in whole.attachments, rel
        else:
            assert rel not in notes and rel not in whole.attachments, rel
    # the common cases get a verdict of their own, without a rescan
    assert kinds["people/deep/er/Bob.md"] == "note" and kinds["people/photo.png"] == "attachment"
    assert kinds[".obsidian/workspace.md"] == kinds["agenda/mine.md"] == kinds["people/Gone.md"] == "none"
