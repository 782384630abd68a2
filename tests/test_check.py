"""`vaultkit check`: the reading rules that are not about one note's syntax, and the command itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import VaultFactory
from vaultkit.cli import cli
from vaultkit.load import check, load_vault


def codes(root: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for d in check(root):
        found.setdefault(d.path, set()).add(d.code)
    return found


def test_hidden_obsidian_trash_git_and_output_folders_are_skipped(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\ncadence: banana\n---\n",
            ".obsidian/x.md": "---\ncadence: banana\n---\n",
            ".trash/people/Old.md": "x",
            ".git/x.md": "x",
            ".hidden/y.md": "x",
            "Agenda/Follow-ups.md": "x",
            "notes/.draft.md": "x",
        }
    )
    loaded = load_vault(root)
    assert [n.path for n in loaded.notes] == ["people/Ann.md"]


def test_vaultkit_toml_renames_folders(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "vaultkit.toml": (
                '[folders]\npeople = "Contacts"\noutput = "CRM"\n[me]\nname = "Sam"\ngoals = ["x"]\n'
            ),
            "Contacts/Ann.md": "---\ncadence: 30d\n---\n",
            "CRM/page.md": "not read",
        }
    )
    loaded = load_vault(root)
    assert list(loaded.vault.people) == ["Contacts/Ann.md"]
    assert loaded.vault.me.name == "Sam" and loaded.vault.me.goals == ("x",)
    assert [n.path for n in loaded.notes] == ["Contacts/Ann.md"]


def test_bad_vaultkit_toml_is_reported(make_vault: VaultFactory) -> None:
    root = make_vault({"vaultkit.toml": "[me\nname=", "people/Ann.md": ""})
    assert codes(root)["vaultkit.toml"] == {"config"}


def test_symlinks_out_of_the_vault_and_loops_are_not_followed(
    make_vault: VaultFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ncadence: banana\n---\n")
    root = make_vault({"people/Ann.md": "", "notes/a.md": ""})
    os.symlink(outside, root / "out")
    os.symlink(outside / "secret.md", root / "secret.md")
    os.symlink("..", root / "notes" / "loop")
    os.symlink(root / "people" / "Ann.md", root / "notes" / "ann-link.md")
    loaded = load_vault(root)
    assert [n.path for n in loaded.notes] == ["notes/a.md", "people/Ann.md"]
    found = codes(root)
    assert found["out"] == {"symlink-outside"} and found["secret.md"] == {"symlink-outside"}


def test_binary_invalid_utf8_and_too_large_files(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "vaultkit.toml": "[limits]\nmax_note_bytes = 1000\n",
            "image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            "latin1.md": b"---\ntitle: caf\xe9\n---\n",
            "huge.md": "x" * 2000,
            "people/Ann.md": "fine",
        }
    )
    diags = {d.path: d for d in check(root)}
    assert diags["image.md"].code == "binary"
    assert diags["latin1.md"].code == "not-utf8" and diags["latin1.md"].line == 2
    assert diags["huge.md"].code == "too-large"
    assert [n.path for n in load_vault(root).notes] == ["people/Ann.md"]


def test_merge_conflict_markers_and_sync_conflict_copies(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Anna.md": "---\ncadence: 30d\n---\n",
            "people/Merge.md": "---\nx: 1\n---\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> origin/main\n",
            "people/Anna.sync-conflict-20250101-120000-ABCDEFG.md": "---\n---\n",
            "people/Anna (conflict 2025-01-01).md": "---\n---\n",
            "people/Anna (Bob's conflicted copy).md": "---\n---\n",
        }
    )
    found = codes(root)
    assert found["people/Merge.md"] == {"merge-conflict"}
    assert sum(c == {"sync-conflict"} for c in found.values()) == 3
    assert list(load_vault(root).vault.people) == ["people/Anna.md"]


def test_unreadable_field_values_are_diagnostics_not_crashes(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\nrole: CTO\ncadence: banana\n---\n",
            "interactions/a.md": '---\ndate: 2026-13-45\nwith: ["[[Ann]]"]\n---\n',
        }
    )
    diags = {d.path: d for d in check(root)}
    assert diags["people/Ann.md"].line == 3 and "banana" in diags["people/Ann.md"].message
    assert diags["interactions/a.md"].line == 2 and "2026-13-45" in diags["interactions/a.md"].message
    loaded = load_vault(root)
    assert loaded.vault.people["people/Ann.md"].role == "CTO"
    assert loaded.vault.interactions[0].people == ("people/Ann.md",)


def test_people_links_that_resolve_to_nothing_or_to_non_people(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "",
            "orgs/Acme.md": "",
            "interactions/a.md": '---\ndate: 2026-01-01\nwith: ["[[Ann]]", "[[Ghost]]", "[[Acme]]"]\n---\n',
            "events/E.md": '---\ndate: 2026-01-01\nattendees: ["[[Nobody]]"]\n---\n',
        }
    )
    found = codes(root)
    assert found["interactions/a.md"] == {"unknown-person", "not-a-person"}
    assert found["events/E.md"] == {"unknown-person"}


def test_two_people_sharing_an_email_or_alias(make_vault: VaultFactory) -> None:
    root = make_vault(
        {
            "people/Ann.md": "---\naliases: [AJ]\nemails: [ann@x.example]\n---\n",
            "people/Ann Jones.md": "---\naliases: [aj]\nemails: [ANN@x.example]\n---\n",
        }
    )
    assert codes(root)["people/Ann.md"] == {"shared-alias", "shared-email"}


def test_check_cli_text_json_and_exit_code(make_vault: VaultFactory) -> None:
    root = make_vault({"people/Ann.md": "---\ncadence: banana\n---\n", "bad.md": b"\x00\x01"})
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "bad.md: error: binary content (NUL bytes), not a note; skipped"
    assert lines[1].startswith("people/Ann.md:2: warning: cadence:")
    assert lines[-1] == "1 note read; 1 error, 1 warning"
    result = runner.invoke(cli, ["check", str(root), "--json"])
    data = json.loads(result.output)
    assert data[0] == {
        "path": "bad.md",
        "line": None,
        "severity": "error",
        "code": "binary",
        "message": "binary content (NUL bytes), not a note; skipped",
    }


def test_check_clean_vault_exits_zero(make_vault: VaultFactory) -> None:
    root = make_vault({"people/Ann.md": "---\ncadence: 30d\n---\n"})
    result = CliRunner().invoke(cli, ["check", str(root)])
    assert result.exit_code == 0, result.output


def test_check_missing_vault_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "not a folder" in result.output
