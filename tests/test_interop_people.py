"""`vaultkit people`: listing and filtering ("who's in Lisbon"), as text and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from vaultkit.cli_interop import register
from vaultkit.interop.capture import init_vault

NOTES = {
    "people/Jane Doe.md": "---\norg: '[[Acme Corp]]'\nrole: CTO\nlocation: Lisbon, Portugal\ntags: [climate, python]\n---\n",
    "people/Bob Li.md": "---\norg: Tidewater Labs\nlocation: lisboa\ntags: python\n---\n",
    "people/Zoë.md": "---\nlocation: São Paulo\ntags: [climate]\nemails: [zoe@x.example]\n---\n",
    "people/Amy.md": "---\nlast_contact: 2026-10-01\ncadence: 30d\n---\n",
}


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = init_vault(tmp_path / "vault").root
    for rel, text in NOTES.items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def names(*args: str) -> list[str]:
    return [row["name"] for row in json.loads(args_output(*args))]


def args_output(*args: str) -> str:
    result = run("people", *args, "--json")
    assert result.exit_code == 0, result.output
    return result.output


def test_everyone_sorted(vault: Path) -> None:
    assert names(str(vault)) == ["Amy", "Bob Li", "Jane Doe", "Zoë"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--in", "lisbon"], ["Jane Doe"]),
        (["--in", "LISB"], ["Bob Li", "Jane Doe"]),
        (["--in", "sao paulo"], ["Zoë"]),
        (["--tag", "python"], ["Bob Li", "Jane Doe"]),
        (["--tag", "#Python", "--tag", "climate"], ["Jane Doe"]),
        (["--org", "acme"], ["Jane Doe"]),
        (["--org", "tidewater", "--in", "lisboa"], ["Bob Li"]),
        (["--in", "Berlin"], []),
    ],
)
def test_filters(vault: Path, args: list[str], expected: list[str]) -> None:
    assert names(str(vault), *args) == expected


def test_json_fields(vault: Path) -> None:
    assert json.loads(args_output(str(vault), "--org", "nobody")) == []
    rows = {r["name"]: r for r in json.loads(args_output(str(vault), "--today", "2026-11-25"))}
    assert list(rows["Jane Doe"]) == [
        "name", "path", "org", "role", "location", "tags", "emails", "cadence", "last_contact",
    ]  # fmt: skip
    assert rows["Jane Doe"]["org"] == "Acme Corp" and rows["Jane Doe"]["tags"] == ["climate", "python"]
    assert rows["Amy"]["last_contact"] == "2026-10-01" and rows["Amy"]["cadence"] == "30d"


def test_text_output(vault: Path) -> None:
    result = run("people", vault, "--tag", "python")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Bob Li · Tidewater Labs · lisboa · #python · no contact yet",
        "Jane Doe · Acme Corp · CTO · Lisbon, Portugal · #climate #python · no contact yet",
        "2 people",
    ]


def test_missing_vault(tmp_path: Path) -> None:
    result = run("people", tmp_path / "nope")
    assert result.exit_code == 1 and "not a folder" in result.output
