"""vaultkit.watch.filter: which events can change the agenda. A table of scripted events; no file system."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vaultkit.watch.filter import Change, changes_for, is_editor_dropping, pruned_scandir, should_rebuild

ROOT = "/vault"
OUT = "Agenda"

# (event type, src relative to the vault, dest relative to the vault or None, is a folder, counts?)
CASES: list[tuple[str, str, str | None, bool, bool]] = [
    # notes and settings
    ("modified", "people/Ann.md", None, False, True),
    ("created", "people/Ann.md", None, False, True),
    ("deleted", "people/Ann.md", None, False, True),
    ("modified", "people/Ann.MD", None, False, True),
    ("modified", "Welcome.md", None, False, True),
    ("modified", "vaultkit.toml", None, False, True),
    ("modified", "notes/vaultkit.toml", None, False, False),  # only the root's settings file counts
    ("modified", "people/Ann (conflict 2026-01-01).md", None, False, True),  # reported by check
    # attachments: their presence resolves links, their bytes never matter
    ("created", "files/diagram.png", None, False, True),
    ("deleted", "files/diagram.png", None, False, True),
    ("modified", "files/diagram.png", None, False, False),
    # our output and our own temp files
    ("modified", "Agenda/Follow-ups.md", None, False, False),
    ("created", "Agenda/.vaultkit-abc123.tmp", None, False, False),
    ("created", "agenda/Follow-ups.md", None, False, False),  # the output folder on a case-insensitive disk
    ("created", "Agenda", None, True, False),
    ("deleted", "Agenda", None, True, False),
    ("moved", "Agenda/.vaultkit-abc123.tmp", "Agenda/Follow-ups.md", False, False),
    ("created", "people/.vaultkit-x1.tmp", None, False, False),
    # tool folders and hidden paths
    ("modified", ".obsidian/workspace.json", None, False, False),
    ("created", ".obsidian/plugins/x/data.md", None, False, False),
    ("modified", ".git/index", None, False, False),
    ("created", ".git/objects/ab/cdef", None, False, False),
    ("created", ".trash/Ann.md", None, False, False),
    ("modified", ".vaultkit/cache.sqlite", None, False, False),
    ("modified", ".vaultkit/cache.sqlite-journal", None, False, False),
    ("created", ".vaultkit", None, True, False),
    ("modified", "people/.hidden/Ann.md", None, False, False),
    ("modified", ".Ann.md", None, False, False),
    # templates change the pages
    ("modified", ".vaultkit/templates/pages/Follow-ups.md.j2", None, False, True),
    ("created", ".vaultkit/templates/pages/Network.md.j2", None, False, True),
    ("created", ".vaultkit/templates", None, True, True),
    ("modified", ".vaultkit/templates/pages/.Follow-ups.md.j2.swp", None, False, False),
    ("modified", ".vaultkit/templates/pages/Follow-ups.md.j2~", None, False, False),
    # editor droppings
    ("created", "people/.Ann.md.swp", None, False, False),
    ("modified", "people/.Ann.md.swx", None, False, False),
    ("created", "people/Ann.md.swo", None, False, False),
    ("created", "people/Ann.md~", None, False, False),
    ("deleted", "people/Ann.md~", None, False, False),
    ("created", "people/.#Ann.md", None, False, False),
    ("created", "people/#Ann.md#", None, False, False),
    ("created", "people/4913", None, False, False),
    ("deleted", "people/4913", None, False, False),
    ("created", "people/.goutputstream-XYZ123", None, False, False),
    ("created", "people/Ann.md.tmp", None, False, False),
    ("created", "people/Ann.TMP", None, False, False),
    ("created", ".DS_Store", None, False, False),
    ("created", "people/.~lock.Ann.odt#", None, False, False),
    # folders: created, deleted and moved count (they may carry notes); "modified" says nothing new
    ("created", "people/team", None, True, True),
    ("deleted", "people/team", None, True, True),
    ("modified", "people/team", None, True, False),
    ("moved", "people/team", "people/staff", True, True),
    ("moved", "people/team", ".trash/team", True, True),
    ("moved", ".trash/team", "people/team", True, True),
    ("moved", ".git/refs", ".git/refs2", True, False),
    # moves: either side counts
    ("moved", "people/.Ann.md.tmp", "people/Ann.md", False, True),  # atomic save
    ("moved", "people/.goutputstream-AB12", "people/Ann.md", False, True),  # gedit
    ("moved", "people/Ann.md", "people/Ann.md~", False, True),  # vim backup save: the note vanished
    ("moved", "people/Ann.md", ".trash/Ann.md", False, True),  # Obsidian's delete
    ("moved", "people/Ann.md", "people/Anne.md", False, True),
    ("moved", "people/a.tmp", "people/b.tmp", False, False),
    ("moved", "Agenda/.vaultkit-1.tmp", "Agenda/Network.md", False, False),
    ("moved", "Agenda/Follow-ups.md", "people/Follow-ups.md", False, True),  # a page moved into the notes
    # other event types never count (the observer does not even deliver them)
    ("opened", "people/Ann.md", None, False, False),
    ("closed", "people/Ann.md", None, False, False),
    ("closed_no_write", "people/Ann.md", None, False, False),
    ("attrib", "people/Ann.md", None, False, False),
]


def _abs(rel: str | None) -> str | None:
    return None if rel is None else f"{ROOT}/{rel}"


@pytest.mark.parametrize(("kind", "src", "dest", "is_dir", "expected"), CASES)
def test_should_rebuild(kind: str, src: str, dest: str | None, is_dir: bool, expected: bool) -> None:
    assert should_rebuild(kind, _abs(src) or "", _abs(dest), ROOT, OUT, is_directory=is_dir) is expected


def test_outside_the_vault_and_the_root_itself_never_count() -> None:
    assert not should_rebuild("modified", "/elsewhere/Ann.md", None, ROOT, OUT)
    assert not should_rebuild("modified", "/vault/../etc/x.md", None, ROOT, OUT)
    assert not should_rebuild("deleted", ROOT, None, ROOT, OUT, is_directory=True)
    assert should_rebuild("moved", "/elsewhere/Ann.md", "/vault/people/Ann.md", ROOT, OUT)


def test_a_nested_output_folder_is_matched_by_its_components() -> None:
    assert not should_rebuild("modified", "/vault/Out/Agenda/Follow-ups.md", None, ROOT, "Out/Agenda")
    assert should_rebuild("modified", "/vault/Out/notes.md", None, ROOT, "Out/Agenda")
    assert should_rebuild("modified", "/vault/Agenda/x.md", None, ROOT, "Out/Agenda")
    assert should_rebuild("modified", "/vault/Agendas/x.md", None, ROOT, OUT)


def test_unicode_names_are_compared_in_nfc() -> None:
    decomposed = "Age\u0301nda"  # "Agénda" as a macOS disk may spell it
    assert not should_rebuild("modified", f"/vault/{decomposed}/x.md", None, ROOT, "Ag\u00e9nda")


def test_changes_name_the_path_that_matters() -> None:
    def changes(kind: str, src: str, dest: str | None = None) -> list[Change]:
        return changes_for(kind, f"{ROOT}/{src}", _abs(dest), ROOT, OUT)

    assert changes("modified", "people/Ann.md") == [Change("modified", "people/Ann.md")]
    assert changes("moved", "people/.Ann.md.tmp", "people/Ann.md") == [Change("saved", "people/Ann.md")]
    assert changes("moved", "people/Ann.md", "people/Ann.md~") == [Change("deleted", "people/Ann.md")]
    assert changes("moved", "people/Ann.md", "people/Anne.md") == [
        Change("moved", "people/Anne.md", "people/Ann.md")
    ]
    assert changes("modified", "Agenda/Follow-ups.md") == []


def test_change_descriptions() -> None:
    assert Change("modified", "people/Ann.md").describe() == "people/Ann.md modified"
    assert Change("moved", "people/Anne.md", "people/Ann.md").describe() == (
        "people/Ann.md moved to people/Anne.md"
    )
    assert Change("created", "people/team", None, True).describe() == "people/team/ created"


@pytest.mark.parametrize(
    ("name", "dropping"),
    [
        (".x.md.swp", True),
        ("x~", True),
        ("4913", True),
        ("49130", False),
        ("#x#", True),
        ("x#", False),
        ("x.md", False),
        ("swap.md", False),
        ("notes.tmp.md", False),
    ],
)
def test_editor_droppings(name: str, dropping: bool) -> None:
    assert is_editor_dropping(name) is dropping


def test_polling_snapshots_skip_ignored_folders_but_reach_the_templates(tmp_path: Path) -> None:
    for rel in [
        "people/Ann.md",
        ".git/objects/x",
        "Agenda/Follow-ups.md",
        ".vaultkit/cache.sqlite",
        ".vaultkit/templates/pages/Follow-ups.md.j2",
        ".obsidian/app.json",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    scandir = pruned_scandir(tmp_path, lambda: OUT)

    def names(rel: str) -> set[str]:
        return {e.name for e in scandir(os.path.join(tmp_path, rel) if rel else str(tmp_path))}

    assert names("") == {"people", ".vaultkit"}
    assert names(".vaultkit") == {"templates"}
    assert names(".vaultkit/templates") == {"pages"}
    assert names(".vaultkit/templates/pages") == {"Follow-ups.md.j2"}
    assert names("people") == {"Ann.md"}
