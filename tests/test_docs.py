"""The docs stay honest: every command, option and page is documented, and the README's commands are real.

Like sqlite-utils' test_docs: the click group is walked recursively, so a new command (or option) fails here
until `docs/cli.md` describes it. Each command has a section there headed by its full name in backticks
(`### \\`vaultkit import linkedin\\``) holding its usage line, as `--help` prints it, and all its options.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from vaultkit.cli import cli
from vaultkit.pages import PAGES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI_DOC = DOCS / "cli.md"
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"

_HEADING = re.compile(r"#{2,6} `vaultkit ([a-z][a-z-]*(?: [a-z][a-z-]*)*)`\s*")
_ANY_HEADING = re.compile(r"#{1,6} ")


def _walk(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        yield path, command
        if isinstance(command, click.Group):
            yield from _walk(command, path)


COMMANDS = {" ".join(path): command for path, command in _walk(cli)}


def _sections(text: str) -> dict[str, str]:
    """Command name -> the text under its heading, up to the next heading (headings in code blocks skipped)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and _ANY_HEADING.match(line):
            heading = _HEADING.fullmatch(line)
            current = sections.setdefault(heading.group(1), []) if heading else None
            continue
        if current is not None:
            current.append(line)
    return {name: "\n".join(lines) for name, lines in sections.items()}


@pytest.fixture(scope="module")
def documented() -> dict[str, str]:
    return _sections(CLI_DOC.read_text("utf-8"))


def _usage(name: str, command: click.Command) -> str:
    with click.Context(command, info_name=f"vaultkit {name}") as ctx:
        return f"Usage: vaultkit {name} {' '.join(command.collect_usage_pieces(ctx))}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_help(name: str) -> None:
    assert (COMMANDS[name].help or "").strip(), f"vaultkit {name} has no help text"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_is_documented(name: str, documented: dict[str, str]) -> None:
    assert name in documented, f"docs/cli.md has no section headed `vaultkit {name}`"
    assert _usage(name, COMMANDS[name]) in documented[name], (
        f"docs/cli.md: wrong usage line for vaultkit {name}"
    )


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_options_are_documented(name: str, documented: dict[str, str]) -> None:
    section = documented.get(name, "")
    for param in COMMANDS[name].params:
        if not isinstance(param, click.Option) or param.name in ("help", "version"):
            continue
        option = max(param.opts, key=len)
        assert re.search(rf"{re.escape(option)}(?![\w-])", section), (
            f"vaultkit {name}: {option} not in docs/cli.md"
        )


def test_documented_commands_exist(documented: dict[str, str]) -> None:
    assert sorted(set(documented) - set(COMMANDS)) == []


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_is_documented(page: str) -> None:
    assert any(page in doc.read_text("utf-8") for doc in DOCS.glob("*.md")), f"Agenda/{page} is not in docs/"


def _first_code_block(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("```"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("```"))
    return lines[start + 1 : end]


def test_readme_opens_with_the_setup_commands() -> None:
    block = "\n".join(_first_code_block(README.read_text("utf-8")))
    assert "pip install" in block
    assert "vaultkit build example-vault" in block


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(token in rest for token in short)


def _steps(line: str) -> list[list[str]]:
    """A shell line's commands joined by `&&`, each as its words ([] when it is not one line of shell)."""
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return []
    steps: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            steps.append([])
        else:
            steps[-1].append(word)
    return steps if words else []


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` runs the README's test line (its set-up block's second line): the same commands in the same
    order, each with at least the README's arguments; CI may add flags (`pip install -q`, `-m "not slow"`)."""
    readme_line = _first_code_block(README.read_text("utf-8"))[1]
    wanted = _steps(readme_line)
    assert any(word.endswith("pytest") for step in wanted for word in step), readme_line
    for line in CI_RUN.read_text("utf-8").splitlines():
        steps = _steps(line)
        if len(steps) == len(wanted) and all(map(_is_subsequence, wanted, steps)):
            return
    pytest.fail(f".ci/run does not run the README's test command: {readme_line}")
