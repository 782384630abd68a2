"""`vaultkit import linkedin` with LinkedIn exports written for these tests (with the `Notes:` preamble)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from vaultkit.cli_interop import register
from vaultkit.interop import InteropError
from vaultkit.interop.capture import init_vault, load_or_refuse
from vaultkit.interop.contacts import apply_import, normalize_linkedin, plan_import
from vaultkit.interop.linkedin import parse_connected_on, read_linkedin
from vaultkit.load import load_vault

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "linkedin"
CONNECTIONS = FIXTURES / "Connections.csv"


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return init_vault(tmp_path / "vault").root


def test_import_creates_people_and_orgs(vault: Path) -> None:
    result = run("import", "linkedin", CONNECTIONS, "--vault", vault)
    assert result.exit_code == 0, result.output
    assert "created 5 people and 3 org notes; 0 matched; 0 skipped" in result.output
    loaded = load_vault(vault)
    assert loaded.diagnostics == ()
    people = loaded.vault.people
    jane = people["people/Jane Doe.md"]
    assert jane.emails == ("jane@acme.example",) and jane.role == "VP, Engineering"
    assert jane.org == "Acme Corp" and jane.org_path == "orgs/Acme Corp.md"
    assert jane.met_on == dt.date(2024, 3, 12) and jane.linkedin == "https://www.linkedin.com/in/jane-doe"
    bob = people["people/Bob Li.md"]
    assert bob.emails == () and bob.org_path == "orgs/Lisbon Climate Collective, CRL.md"
    assert people["people/Inês Carvalho.md"].role == 'Staff Engineer, Platform "Core"'
    assert people["people/Omar Ali.md"].org_path == "orgs/Acme Corp.md"
    assert people["people/Yuki Tanaka.md"].org is None
    assert sorted(loaded.vault.orgs) == [
        "orgs/Acme Corp.md", "orgs/Lisbon Climate Collective, CRL.md", "orgs/Tidewater Labs.md",
    ]  # fmt: skip
    assert loaded.vault.orgs["orgs/Acme Corp.md"].kind == "company"


def test_dry_run_writes_nothing(vault: Path) -> None:
    before = snapshot(vault)
    result = run("import", "linkedin", CONNECTIONS, "--vault", vault, "--dry-run")
    assert result.exit_code == 0
    assert "create  people/Jane Doe.md  (line 5)" in result.output
    assert "create  orgs/Acme Corp.md  (org 'Acme Corp')" in result.output
    assert (
        "dry run: would create 5 people and 3 org notes; 0 matched; 0 skipped; nothing written"
        in result.output
    )
    assert snapshot(vault) == before


def test_existing_people_are_matched_never_changed(vault: Path) -> None:
    (vault / "people" / "J Doe.md").write_text(
        "---\nemails: [JANE@acme.example]\n---\nmine\n", encoding="utf-8"
    )
    (vault / "people" / "Omar.md").write_text(
        "---\nlinkedin: http://linkedin.com/in/Omar-Ali?trk=x\nrole: Designer\n---\n", encoding="utf-8"
    )
    (vault / "people" / "Y. Tanaka.md").write_text("---\naliases: [yuki tanaka]\n---\n", encoding="utf-8")
    before = snapshot(vault)
    result = run("import", "linkedin", CONNECTIONS, "--vault", vault)
    assert result.exit_code == 0, result.output
    out = result.output
    assert (
        "match   people/J Doe.md  (line 5, by email jane@acme.example): not changed; would add org Acme Corp"
        in out
    )
    assert "match   people/Omar.md  (line 8, by LinkedIn https://www.linkedin.com/in/omar-ali)" in out
    assert "match   people/Y. Tanaka.md  (line 9, by name 'Yuki Tanaka')" in out
    assert "met_on 2022-11-30" in out
    assert "created 2 people and 2 org notes; 3 matched; 0 skipped" in out
    after = snapshot(vault)
    assert {k: after[k] for k in before} == before
    again = run("import", "linkedin", CONNECTIONS, "--vault", vault)
    assert "created 0 people; 5 matched; 0 skipped" in again.output
    assert snapshot(vault) == after


def test_bad_rows_are_reported_with_their_line_and_skipped(vault: Path) -> None:
    path = FIXTURES / "Connections-bad-rows.csv"
    result = run("import", "linkedin", path, "--vault", vault)
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{path}:6: no first or last name; skipped" in out
    assert f"{path}:7: Connected On '31 Foo 2024' is not a date like 12 Mar 2024; Carl Berg skipped" in out
    assert f"{path}:8: 8 fields where the header has 7; skipped" in out
    assert f"{path}:9: URL 'not a url' is not a LinkedIn profile; left out" in out
    assert f"{path}:9: email 'not-an-email' is not an e-mail address; left out" in out
    assert "created 3 people and 2 org notes; 0 matched; 3 skipped" in out
    people = load_vault(vault).vault.people
    assert sorted(people) == ["people/Ana Silva.md", "people/Eve Moss.md", "people/Frank Ocean Smith.md"]
    assert people["people/Frank Ocean Smith.md"].met_on == dt.date(2020, 9, 20)
    assert people["people/Eve Moss.md"].linkedin is None and people["people/Eve Moss.md"].emails == ()


def test_columns_by_name_bom_and_crlf(vault: Path) -> None:
    parsed = read_linkedin(FIXTURES / "Connections-reordered.csv")
    assert [(c.line, c.name, c.org, c.role, c.emails) for c in parsed.contacts] == [
        (5, "Jane Doe", "Acme Corp", "VP, Engineering", ("jane@acme.example",)),
        (6, "Ingrid Solberg", "Nordlys AS", "CTO", ()),
    ]
    assert parsed.problems == ()


def test_same_person_twice_in_one_file(vault: Path, tmp_path: Path) -> None:
    csv = tmp_path / "twice.csv"
    csv.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,https://www.linkedin.com/in/ann-lee,,,,\n"
        "Ann,Lee,https://www.linkedin.com/in/ann-lee/,,,,\n"
        "ANN,LEE,,,,,\n",
        encoding="utf-8",
    )
    result = run("import", "linkedin", csv, "--vault", vault)
    assert "match   people/Ann Lee.md  (line 3, same person as line 2 (by LinkedIn" in result.output
    assert "match   people/Ann Lee.md  (line 4, same person as line 2 (by name 'ANN LEE'))" in result.output
    assert "created 1 person; 2 matched; 0 skipped" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Notes:\nnothing here\n", "no header row with 'First Name' and 'Last Name'"),
        (b"First Name,Last Name\nJos\xe9,Silva\n", ":2: not UTF-8 (byte 0xE9)"),
    ],
)
def test_unreadable_files_are_refused(vault: Path, tmp_path: Path, content: bytes, message: str) -> None:
    csv = tmp_path / "Connections.csv"
    csv.write_bytes(content)
    before = snapshot(vault)
    result = run("import", "linkedin", csv, "--vault", vault)
    assert result.exit_code == 1 and message in result.output and str(csv) in result.output
    assert snapshot(vault) == before


def test_missing_file_is_refused(vault: Path, tmp_path: Path) -> None:
    result = run("import", "linkedin", tmp_path / "nope.csv", "--vault", vault)
    assert result.exit_code == 1 and "cannot read" in result.output


def test_a_note_that_appears_meanwhile_is_left_alone(vault: Path) -> None:
    loaded = load_or_refuse(vault)
    plan = plan_import(loaded, read_linkedin(CONNECTIONS), create_orgs=True)
    (vault / "people" / "Bob Li.md").write_text("written by someone else\n", encoding="utf-8")
    result = apply_import(loaded, plan, dt.date(2026, 11, 25))
    assert any("people/Bob Li.md: already exists" in f for f in result.failed)
    assert (vault / "people" / "Bob Li.md").read_text(encoding="utf-8") == "written by someone else\n"
    assert "people/Jane Doe.md" in result.created


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12 Mar 2024", dt.date(2024, 3, 12)),
        ("5-Jan-25", dt.date(2025, 1, 5)),
        ("2023-02-28", dt.date(2023, 2, 28)),
    ],
)
def test_connected_on(text: str, day: dt.date) -> None:
    assert parse_connected_on(text) == day


def test_normalize_linkedin() -> None:
    expected = "https://www.linkedin.com/in/jane-doe"
    for url in (
        "https://www.linkedin.com/in/Jane-Doe/",
        "linkedin.com/in/jane-doe?x=1",
        "https://uk.linkedin.com/in/jane-doe",
    ):
        assert normalize_linkedin(url) == expected
    assert normalize_linkedin("https://www.linkedin.com") is None
    assert normalize_linkedin("https://evil.example/linkedin.com/in/x") is None


def test_plan_refuses_nothing_it_cannot_name(vault: Path, tmp_path: Path) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("First Name,Last Name\n...,#\n", encoding="utf-8")
    result = run("import", "linkedin", csv, "--vault", vault)
    assert result.exit_code == 0 and "skip    line 2 '... #'" in result.output
    assert "no usable characters for a file name" in result.output
    with pytest.raises(InteropError):
        read_linkedin(tmp_path)


def test_example_vault_sample_parses() -> None:
    sample = Path(__file__).resolve().parents[1] / "example-vault" / "imports" / "Connections.csv"
    parsed = read_linkedin(sample)
    assert [c.name for c in parsed.contacts][:2] == ["Beatriz Lopes", "Diego Fernandes"]
    assert len(parsed.contacts) == 5
    assert [(p.line, p.skipped) for p in parsed.problems] == [(10, True)]
