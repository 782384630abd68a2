"""`vaultkit git-setup`, with real git in tmp_path: idempotent, hook-safe, and conflict-free agenda merges."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from vaultkit.build import build
from vaultkit.cli_interop import register
from vaultkit.interop.capture import add_person, init_vault


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for key, value in {
        "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@x.example",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@x.example", "GIT_TERMINAL_PROMPT": "0",
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def run(*args: str | Path) -> Result:
    group = click.Group("vaultkit")
    register(group)
    return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = init_vault(tmp_path / "vault").root
    git(root, "init", "-q", "-b", "main")
    return root


def state(root: Path) -> dict[str, bytes]:
    paths = [root / ".gitignore", root / ".gitattributes", root / ".git" / "config"]
    paths += sorted((root / ".git" / "hooks").glob("post-*"))
    return {str(p): p.read_bytes() for p in paths}


def test_setup_is_complete_and_idempotent(repo: Path) -> None:
    result = run("git-setup", repo)
    assert result.exit_code == 0, result.output
    assert (
        "added     .gitignore" in result.output
        and "Run `vaultkit git-setup` once in every clone" in result.output
    )
    ignore = (repo / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".vaultkit/*", "!.vaultkit/templates/", ".vaultkit/cache.sqlite*", ".vaultkit-*.tmp"} <= set(
        ignore
    )
    assert "/Agenda/** merge=ours" in (repo / ".gitattributes").read_text(encoding="utf-8")
    assert git(repo, "config", "merge.ours.driver").stdout.strip() == "true"
    for hook in ("post-merge", "post-checkout", "post-rewrite"):
        path = repo / ".git" / "hooks" / hook
        assert path.stat().st_mode & stat.S_IXUSR
        assert "-m vaultkit build ." in path.read_text(encoding="utf-8")
    (repo / ".vaultkit" / "templates" / "notes").mkdir(parents=True)
    (repo / ".vaultkit" / "templates" / "notes" / "person.md.j2").write_text("x", encoding="utf-8")
    (repo / ".vaultkit" / "cache.sqlite-wal").write_text("x", encoding="utf-8")
    (repo / "people" / ".vaultkit-123.tmp").write_text("x", encoding="utf-8")
    ignored = git(repo, "check-ignore", "--no-index", ".vaultkit/cache.sqlite-wal", "people/.vaultkit-123.tmp",
                  ".vaultkit/templates/notes/person.md.j2", check=False).stdout.split()  # fmt: skip
    assert ignored == [".vaultkit/cache.sqlite-wal", "people/.vaultkit-123.tmp"]
    assert "merge: ours" in git(repo, "check-attr", "merge", "Agenda/Follow-ups.md").stdout
    before = state(repo)
    again = run("git-setup", repo)
    assert again.exit_code == 0 and "Nothing to change: already set up." in again.output
    assert "added" not in again.output and state(repo) == before


def test_existing_shell_hook_is_appended_to_once(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "post-merge"
    hook.write_text("#!/bin/bash\necho mine", encoding="utf-8")
    hook.chmod(0o750)
    result = run("git-setup", repo)
    assert result.exit_code == 0 and "appended to your existing hook" in result.output
    text = hook.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\necho mine\n") and text.count("# >>> vaultkit git-setup >>>") == 1
    assert stat.S_IMODE(hook.stat().st_mode) == 0o750
    run("git-setup", repo)
    assert hook.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("content", "mode", "message"),
    [
        ("#!/usr/bin/env python3\nprint('hi')\n", 0o755, "is not a shell script"),
        ('#!/bin/sh\nexec my-tool "$@"\n', 0o755, "ends with exit/exec"),
        ("#!/bin/sh\necho off\n", 0o644, "not executable"),
    ],
)
def test_hooks_it_cannot_safely_extend_are_refused(repo: Path, content: str, mode: int, message: str) -> None:
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(content, encoding="utf-8")
    hook.chmod(mode)
    result = run("git-setup", repo)
    assert result.exit_code == 1
    assert (
        "refused" in result.output
        and message in result.output
        and "--print-hook post-checkout" in result.output
    )
    assert hook.read_text(encoding="utf-8") == content and stat.S_IMODE(hook.stat().st_mode) == mode
    printed = run("git-setup", repo, "--print-hook", "post-checkout")
    assert printed.exit_code == 0 and printed.output.startswith("# >>> vaultkit git-setup >>>")
    assert '[ "$3" = "1" ]' in printed.output


def test_other_merge_driver_is_refused(repo: Path) -> None:
    git(repo, "config", "merge.ours.driver", "my-merge %O %A %B")
    result = run("git-setup", repo)
    assert result.exit_code == 1 and "already set to 'my-merge %O %A %B'" in result.output
    assert git(repo, "config", "merge.ours.driver").stdout.strip() == "my-merge %O %A %B"


def test_not_a_repository(tmp_path: Path) -> None:
    root = init_vault(tmp_path / "plain").root
    result = run("git-setup", root)
    assert result.exit_code == 1 and "not in a git repository" in result.output


def test_vault_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    vault = init_vault(top / "My Vault").root
    assert run("git-setup", vault).exit_code == 0
    assert "-m vaultkit build 'My Vault'" in (top / ".git" / "hooks" / "post-merge").read_text(
        encoding="utf-8"
    )
    assert "merge: ours" in git(top, "check-attr", "merge", "My Vault/Agenda/Follow-ups.md").stdout


def _commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def _clone(origin: Path, target: Path, setup: bool) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(target))
    if setup:
        assert run("git-setup", target).exit_code == 0
    return target


def test_two_clones_merge_agenda_pages_without_conflicts(tmp_path: Path) -> None:
    today = dt.date.today()  # the hook rebuilds with the real date, so every build here uses it too
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    a = init_vault(tmp_path / "a").root
    git(a, "init", "-q", "-b", "main")
    add_person(a, "Ann Archer", today=today, cadence="30d")
    assert run("git-setup", a).exit_code == 0
    assert build(a, today).ok
    _commit(a, "start")
    git(a, "remote", "add", "origin", str(origin))
    git(a, "push", "-q", "-u", "origin", "main")
    b = _clone(origin, tmp_path / "b", setup=True)
    c = _clone(origin, tmp_path / "c", setup=False)  # control: no git-setup
    add_person(a, "Cleo Cruz", today=today, cadence="7d")
    assert build(a, today).ok
    _commit(a, "cleo")
    git(a, "push", "-q")
    for clone in (b, c):
        add_person(clone, "Dan Dune", today=today, cadence="7d")
        assert build(clone, today).ok
        _commit(clone, "dan")
    control = git(c, "pull", "--no-rebase", "-q", "origin", "main", check=False)
    assert control.returncode != 0 and "<<<<<<<" in (c / "Agenda" / "Follow-ups.md").read_text(
        encoding="utf-8"
    )
    pulled = git(b, "pull", "--no-rebase", "-q", "origin", "main", check=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    for page in (b / "Agenda").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "<<<<<<<" not in text and ">>>>>>>" not in text and "=======" not in text
    follow_ups = (b / "Agenda" / "Follow-ups.md").read_text(encoding="utf-8")
    for name in (
        "Ann Archer",
        "Cleo Cruz",
        "Dan Dune",
    ):  # rebuilt by the post-merge hook from the merged notes
        assert f"[[{name}]]" in follow_ups
    assert not git(b, "diff", "--name-only", "--diff-filter=U").stdout.strip()
    assert os.path.exists(b / "people" / "Cleo Cruz.md")
