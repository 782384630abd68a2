"""`vaultkit init`, `vaultkit add person` and `vaultkit log`, through the CLI, with real files."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from vaultkit.build import build
from vaultkit.cli_interop import register
from vaultkit.config import load_config
from vaultkit.load import load_vault

TODAY = "2026-11-25"


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


def files(root: Path) -> dict[str, bytes]:
    found = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {rel: p.read_bytes() for rel, p in found.items() if not rel.startswith(".vaultkit/cache")}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    assert run("init", root).exit_code == 0
    return root


def note_meta(root: Path, path: str) -> dict[str, object]:
    loaded = load_vault(root)
    return next(n.meta for n in loaded.notes if n.path == path)


# --- init ---------------------------------------------------------------------------------------------


def test_init_makes_a_vault_that_checks_clean(tmp_path: Path) -> None:
    root = tmp_path / "new" / "vault"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    for folder in ("people", "interactions", "orgs", "events", "resources", "daily"):
        assert (root / folder).is_dir()
    assert (root / "Welcome.md").is_file() and (root / ".vaultkit" / ".gitignore").is_file()
    config, diags = load_config(root)
    assert diags == [] and config.folders.people == "people"
    assert "# " in (root / "vaultkit.toml").read_text(encoding="utf-8")  # commented
    assert load_vault(root).diagnostics == ()
    assert "created vaultkit.toml" in result.output


def test_init_never_touches_existing_files(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "people").mkdir(parents=True)
    (root / "vaultkit.toml").write_text('[folders]\npeople = "contacts"\n', encoding="utf-8")
    (root / "Welcome.md").write_text("my own welcome\n", encoding="utf-8")
    before = files(root)
    result = run("init", root)
    assert result.exit_code == 0
    assert "kept    vaultkit.toml" in result.output and "kept    Welcome.md" in result.output
    after = files(root)
    assert {k: after[k] for k in before} == before
    assert (root / "contacts").is_dir()  # the folder names come from the existing settings
    assert run("init", root).exit_code == 0
    assert files(root) == after


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = run("init", target)
    assert result.exit_code == 1
    assert "not a folder" in result.output


# --- add person ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("Bob]] [[Evil|x", "people/Bob Evil x.md"),
        ("no", "people/no.md"),
        ("12:30", "people/12 30.md"),
        ("012", "people/012.md"),
        ("2024-01-01", "people/2024-01-01.md"),
        ("CON", "people/CON_.md"),
        ("Ann.", "people/Ann.md"),
        ("---\nowned: true", "people/owned true.md"),
    ],
)
def test_add_person_keeps_the_exact_name(vault: Path, name: str, path: str) -> None:
    result = run("add", "person", "--vault", vault, "--cadence", "30d", "--", name)
    assert result.exit_code == 0, result.output
    assert f"created {path}" in result.output
    meta = note_meta(vault, path)
    true = " ".join(name.split())
    assert meta.get("name", Path(path).stem) == true
    if true != Path(path).stem:
        assert true in meta["aliases"]  # type: ignore[operator]
    assert meta["type"] == "person" and meta["cadence"] == "30d"
    assert load_vault(vault).diagnostics == ()


def test_hostile_name_is_one_link_in_the_agenda(vault: Path) -> None:
    assert run("add", "person", "Bob]] [[Evil|x", "--vault", vault, "--cadence", "30d").exit_code == 0
    result = build(vault, dt.date(2026, 11, 25))
    assert result.ok
    page = (vault / "Agenda" / "Follow-ups.md").read_text(encoding="utf-8")
    assert page.count("[[Bob Evil x]]") == 1 and "[[Evil" not in page


def test_add_person_fields(vault: Path) -> None:
    (vault / "orgs" / "Acme Corp.md").write_text("---\ntype: org\n---\n", encoding="utf-8")
    result = run(
        "add", "person", "Jane Doe", "--vault", vault, "--org", "acme corp", "--role", "VP, Engineering",
        "--in", "Lisbon", "--tag", "#climate", "--tag", "machine learning", "--email", "jane@acme.example",
        "--linkedin", "https://www.linkedin.com/in/jane-doe", "--cadence", "monthly",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    person = load_vault(vault).vault.people["people/Jane Doe.md"]
    assert person.org == "Acme Corp" and person.org_path == "orgs/Acme Corp.md"
    assert person.role == "VP, Engineering" and person.location == "Lisbon"
    assert person.tags == ("climate", "machine-learning")
    assert person.emails == ("jane@acme.example",) and str(person.cadence) == "monthly"


def test_same_name_in_any_case_is_refused(vault: Path) -> None:
    (vault / "people" / "Anna.md").write_text("---\nemails: [a@x.example]\n---\nmine\n", encoding="utf-8")
    before = files(vault)
    result = run("add", "person", "anna", "--vault", vault)
    assert result.exit_code == 1
    assert "people/Anna.md" in result.output and "already exists" in result.output
    assert files(vault) == before


def test_a_note_of_that_name_elsewhere_is_refused(vault: Path) -> None:
    (vault / "orgs" / "Acme.md").write_text("org\n", encoding="utf-8")
    result = run("add", "person", "ACME", "--vault", vault)
    assert result.exit_code == 1 and "orgs/Acme.md" in result.output


def test_nfd_name_matches_existing_nfc_note(vault: Path) -> None:
    (vault / "people" / "José.md").write_text("x\n", encoding="utf-8")
    result = run("add", "person", unicodedata.normalize("NFD", "José"), "--vault", vault)
    assert result.exit_code == 1 and "already exists" in result.output


def test_folder_named_like_the_note_blocks_it(vault: Path) -> None:
    (vault / "people" / "x.md").mkdir()
    result = run("add", "person", "x", "--vault", vault)
    assert result.exit_code == 1 and "people/x.md" in result.output


def test_path_tricks_stay_inside_the_people_folder(vault: Path, tmp_path: Path) -> None:
    for name in ("../x", "people/../../y"):
        assert run("add", "person", name, "--vault", vault).exit_code == 0
    assert (vault / "people" / "x.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]
    assert not (vault / "x.md").exists()


def test_people_folder_leading_outside_is_refused(vault: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.rmdir(vault / "people")
    (vault / "people").symlink_to(outside)
    result = run("add", "person", "Jane", "--vault", vault)
    assert result.exit_code == 1 and "outside the vault" in result.output
    assert list(outside.iterdir()) == []


def test_long_names(vault: Path) -> None:
    for name in ("a" * 300, "中" * 100):
        result = run("add", "person", name, "--vault", vault)
        assert result.exit_code == 0
    for p in (vault / "people").iterdir():
        assert len(p.name.encode("utf-8")) <= 255 and p.name.endswith(".md")
    names = {n.meta.get("name") for n in load_vault(vault).notes}
    assert "a" * 300 in names and "中" * 100 in names


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cadence", "banana"], "not a cadence"),
        (["--email", "not an email"], "not an e-mail address"),
    ],
)
def test_bad_values_are_refused(vault: Path, args: list[str], message: str) -> None:
    result = run("add", "person", "Jane", "--vault", vault, *args)
    assert result.exit_code == 1 and message in result.output
    assert not (vault / "people" / "Jane.md").exists()


def test_missing_vault_is_refused(tmp_path: Path) -> None:
    result = run("add", "person", "Jane", "--vault", tmp_path / "nope")
    assert result.exit_code == 1 and "not a folder" in result.output


def test_alias_of_someone_else_is_mentioned(vault: Path) -> None:
    (vault / "people" / "Jane Doe.md").write_text("---\naliases: [Jane]\n---\n", encoding="utf-8")
    result = run("add", "person", "Jane", "--vault", vault)
    assert result.exit_code == 0 and "people/Jane Doe.md already has the alias 'Jane'" in result.output


def test_vault_template_override(vault: Path) -> None:
    override = vault / ".vaultkit" / "templates" / "notes"
    override.mkdir(parents=True)
    (override / "person.md.j2").write_text(
        "---\n{{ frontmatter }}---\n## About {{ name | text }}\n", encoding="utf-8"
    )
    assert run("add", "person", "Jane", "--vault", vault).exit_code == 0
    assert (vault / "people" / "Jane.md").read_text(encoding="utf-8").endswith("## About Jane\n")
    (override / "person.md.j2").write_text("---\nbroken: [\n---\n", encoding="utf-8")
    result = run("add", "person", "Bob", "--vault", vault)
    assert result.exit_code == 1 and "people/Bob.md: not written" in result.output
    assert not (vault / "people" / "Bob.md").exists()


# --- log ----------------------------------------------------------------------------------------------


@pytest.fixture
def people(vault: Path) -> Path:
    (vault / "people" / "Jane Doe.md").write_text("---\naliases: [JD]\ncadence: 30d\n---\n", encoding="utf-8")
    (vault / "people" / "Bob Li.md").write_text("---\n---\n", encoding="utf-8")
    (vault / "people" / "Bobby Tables.md").write_text("---\n---\n", encoding="utf-8")
    return vault


def test_log_by_alias_prefix_and_name(people: Path) -> None:
    result = run("log", "jd", "bob li", "--vault", people, "--kind", "coffee", "--date", "2026-11-20",
                 "--note", "Talked about the seed round", "--follow-up", "2w")  # fmt: skip
    assert result.exit_code == 0, result.output
    path = "interactions/2026/2026-11-20 Coffee with Jane Doe and Bob Li.md"
    assert f"created {path}" in result.output
    loaded = load_vault(people)
    assert loaded.diagnostics == ()
    [interaction] = loaded.vault.interactions
    assert interaction.path == path and interaction.kind == "coffee"
    assert interaction.people == ("people/Jane Doe.md", "people/Bob Li.md")
    assert interaction.date == dt.date(2026, 11, 20) and interaction.follow_up == dt.date(2026, 12, 4)
    assert loaded.vault.last_touch("people/Jane Doe.md").date == dt.date(2026, 11, 20)  # type: ignore[union-attr]
    assert "Talked about the seed round" in (people / path).read_text(encoding="utf-8")


def test_log_unique_prefix_and_default_date(people: Path) -> None:
    result = run("log", "JANE", "--vault", people, "--today", TODAY, "--follow-up", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "interactions/2026/2026-11-25 Meeting with Jane Doe.md" in result.output


def test_log_ambiguous_prefix_is_refused(people: Path) -> None:
    result = run("log", "bob", "--vault", people)
    assert result.exit_code == 1
    assert "'bob' could be any of: Bob Li, Bobby Tables" in result.output
    assert not list((people / "interactions").rglob("*.md"))


def test_log_unknown_person_gets_close_matches(people: Path) -> None:
    result = run("log", "Jnae Doe", "jane", "--vault", people)
    assert result.exit_code == 1
    assert "'Jnae Doe' is not a person in this vault; did you mean 'Jane Doe'?" in result.output
    assert "--create" in result.output
    assert not list((people / "interactions").rglob("*.md"))


def test_log_create(people: Path) -> None:
    result = run("log", "Zed Zhou", "jane", "--vault", people, "--create", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "created people/Zed Zhou.md" in result.output
    loaded = load_vault(people)
    assert loaded.diagnostics == ()
    assert loaded.vault.interactions[0].people == ("people/Zed Zhou.md", "people/Jane Doe.md")


def test_log_same_note_twice_is_refused_then_titled(people: Path) -> None:
    args: list[str | Path] = ["log", "jane", "--vault", people, "--date", "2026-11-20", "--kind", "call"]
    assert run(*args).exit_code == 0
    first = people / "interactions/2026/2026-11-20 Call with Jane Doe.md"
    before = first.read_bytes()
    again = run(*args, "--note", "second call")
    assert again.exit_code == 1 and "2026-11-20 Call with Jane Doe.md" in again.output
    assert first.read_bytes() == before
    titled = run(*args, "--title", "Second call with Jane")
    assert titled.exit_code == 0 and "2026-11-20 Second call with Jane.md" in titled.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "yesterday"], "not a date"),
        (["--follow-up", "soon"], "not a date (YYYY-MM-DD) or a delay"),
        (["--kind", "a/b"], "must be a short word"),
    ],
)
def test_log_bad_values(people: Path, args: list[str], message: str) -> None:
    result = run("log", "jane", "--vault", people, *args)
    assert result.exit_code == 1 and message in result.output


def test_log_uses_the_configured_folder(people: Path) -> None:
    (people / "vaultkit.toml").write_text('[folders]\ninteractions = "meetings"\n', encoding="utf-8")
    result = run("log", "jane", "--vault", people, "--date", "2025-01-02")
    assert result.exit_code == 0
    assert (people / "meetings" / "2025" / "2025-01-02 Meeting with Jane Doe.md").is_file()


def test_log_links_by_path_when_the_name_is_not_unique(people: Path) -> None:
    (people / "orgs" / "Bob Li.md").write_text("---\ntype: org\n---\n", encoding="utf-8")
    assert run("log", "bob li", "--vault", people, "--date", "2026-01-02").exit_code == 0
    loaded = load_vault(people)
    assert loaded.vault.interactions[0].people == ("people/Bob Li.md",)


def test_log_create_names_each_new_person_once(people: Path) -> None:
    result = run("log", "Zed", "zed", "--vault", people, "--create", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert result.output.count("created people/") == 1
    assert load_vault(people).vault.interactions[0].people == ("people/Zed.md",)


def test_log_refused_before_creating_anyone(people: Path) -> None:
    assert run("log", "jane", "--vault", people, "--date", "2026-11-20", "--title", "Chat").exit_code == 0
    again = run("log", "New Person", "--vault", people, "--date", "2026-11-20", "--title", "Chat", "--create")
    assert again.exit_code == 1 and "2026-11-20 Chat.md" in again.output
    assert not (people / "people" / "New Person.md").exists()
