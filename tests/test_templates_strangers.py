"""Templates from strangers (reliability.md §5, §9.24): a shared vault's `.vaultkit/templates/` may hold templates
someone else wrote. Each hostile one gives a named template error with its line from `vaultkit build`, no note
leaks into a page, and the previous page stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import vaultkit.pages
from tests.hostile.make_hostile import snapshot
from vaultkit.build import build
from vaultkit.cli import cli
from vaultkit.render import render_page

TODAY = dt.date(2026, 11, 25)
PAGE = "Agenda/Follow-ups.md"
OVERRIDE = ".vaultkit/templates/pages/Follow-ups.md.j2"
SECRET = "my secret diary entry"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A vault with a private note, built once with the packaged templates."""
    root = tmp_path / "vault"
    for rel, text in {
        "people/Jane.md": "---\ncadence: 7d\n---\nJane's private notes.\n",
        "Private/diary.md": SECRET + "\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    assert build(root, TODAY).ok
    return root


@pytest.fixture(autouse=True)
def short_time_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real cap is 5 s per page (checked once, in a slow test); half a second keeps these fast."""
    monkeypatch.setattr(vaultkit.pages, "render_page", functools.partial(render_page, max_seconds=0.5))


def run_build(root: Path) -> Result:
    return CliRunner().invoke(cli, ["build", str(root), "--today", TODAY.isoformat()], catch_exceptions=False)


def override(root: Path, text: str) -> None:
    path = root / OVERRIDE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def agenda_pages(root: Path) -> dict[str, tuple[object, ...]]:
    return {p: s for p, s in snapshot(root).items() if p.startswith("Agenda/")}


HOSTILE = [
    pytest.param(
        "# Follow-ups\n{{ ''.__class__.__mro__ }}\n",
        2,
        "not allowed in templates: access to attribute '__class__' of 'str' object is unsafe",
        id="mro",
    ),
    pytest.param(
        "{{ cycler.__init__.__globals__ }}\n",
        1,
        "not allowed in templates: access to attribute '__init__'",
        id="globals",
    ),
    pytest.param("{{ ''|attr('__class__') }}\n", 1, "not allowed in templates", id="attr-filter"),
    pytest.param("{{ follow_ups.append(1) }}\n", 1, "not allowed in templates", id="mutate-context"),
    pytest.param(
        '# Follow-ups\n\n{% include "people/Jane.md" %}\n',
        3,
        "template 'people/Jane.md' not found (templates may include only other templates)",
        id="include-note",
    ),
    pytest.param(
        "{% include '../../Private/diary.md' %}\n",
        1,
        "template '../../Private/diary.md' not found",
        id="include-dotdot",
    ),
    pytest.param(
        "{% include '/etc/passwd' %}\n", 1, "template '/etc/passwd' not found", id="include-absolute"
    ),
    pytest.param(
        "# Follow-ups\n{% for x in range(99999) %}{% for y in range(99999) %}{% endfor %}{% endfor %}\n",
        2,
        "rendering took longer than 0.5 seconds (an endless loop?)",
        id="endless-loop",
    ),
    pytest.param(
        "{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}\n",
        1,
        "templates nest too deeply",
        id="endless-recursion",
    ),
    pytest.param(
        "{% extends 'pages/Follow-ups.md.j2' %}\n", 1, "templates nest too deeply", id="extends-itself"
    ),
    pytest.param("# Follow-ups\n\n{{ follow_up }}\n", 3, "'follow_up' is undefined", id="typo-name"),
    pytest.param(
        "{% for f in follow_ups %}\n{{ f.persn.name }}\n{% endfor %}\n{{ 'x' }}\n",
        2,
        "has no attribute 'persn'",
        id="typo-attribute",
    ),
    pytest.param(
        "# Follow-ups\n{% for f in follow_ups %}\nno end\n", 3, "Unexpected end of template", id="typo-syntax"
    ),
    pytest.param("{{ today | dat }}\n", 1, "No filter named 'dat'", id="typo-filter"),
    pytest.param(
        "{% for x in range(99999) %}{{ 'x' * 99999 }}{% endfor %}\n", None, "larger than", id="output-cap"
    ),
    pytest.param("{{ 'x' * 10**9 }}\n", 1, "longer than", id="big-multiply"),
    pytest.param("{{ 9 ** 9999999 }}\n", 1, "too large a number", id="big-power"),
]


@pytest.mark.parametrize(("text", "line", "message"), HOSTILE)
def test_hostile_template_is_a_named_error_and_the_page_stays(
    vault: Path, text: str, line: int | None, message: str
) -> None:
    before = agenda_pages(vault)
    override(vault, text)
    (vault / "people" / "Kim New.md").write_text(
        "---\ncadence: 7d\n---\n", encoding="utf-8"
    )  # pages would change

    result = run_build(vault)

    assert result.exit_code == 1
    where = OVERRIDE if line is None else f"{OVERRIDE}:{line}"
    expected = f"{PAGE}: error: not written: {where}: template error: "
    [reported] = [x for x in result.output.splitlines() if x.startswith(f"{PAGE}: ")]
    assert reported.startswith(expected), reported
    assert message in reported, reported
    after = agenda_pages(vault)
    assert after[PAGE] == before[PAGE]  # byte-identical, same mtime
    assert "Traceback" not in result.output
    assert not any(p.rsplit("/", 1)[-1].startswith(".vaultkit-") for p in after)
    for path in after:
        if after[path][0] == "file":
            assert SECRET not in (vault / path).read_text(encoding="utf-8")


def test_other_pages_are_still_written_when_one_template_fails(vault: Path) -> None:
    override(vault, "{{ ''.__class__ }}\n")
    (vault / "people" / "Kim New.md").write_text("---\ncadence: 7d\n---\n", encoding="utf-8")
    result = build(vault, TODAY)
    assert [e.path for e in result.page_errors] == [PAGE]
    assert PAGE not in result.written


def test_a_stranger_template_that_is_fine_is_used(vault: Path) -> None:
    override(
        vault,
        "# Our follow-ups\n{% for f in follow_ups %}- {{ link(f.person.target, f.person.name) }}\n{% endfor %}",
    )
    result = run_build(vault)
    assert result.exit_code == 0, result.output
    page = (vault / PAGE).read_text(encoding="utf-8")
    assert "# Our follow-ups\n- [[Jane]]\n" in page


def test_a_template_linked_to_a_note_is_not_loaded(vault: Path) -> None:
    """A symlink inside the templates folder pointing at a note: not a template."""
    folder = vault / OVERRIDE
    folder.parent.mkdir(parents=True, exist_ok=True)
    (folder.parent / "diary.j2").symlink_to(vault / "Private" / "diary.md")
    override(vault, "x\n{% include 'pages/diary.j2' %}\n")
    before = agenda_pages(vault)[PAGE]
    result = run_build(vault)
    assert result.exit_code == 1
    assert f"{OVERRIDE}:2: template error: template 'pages/diary.j2' not found" in result.output
    assert agenda_pages(vault)[PAGE] == before


def test_template_folder_linked_out_of_the_vault_is_refused(vault: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "pages").mkdir(parents=True)
    (elsewhere / "pages" / "Follow-ups.md.j2").write_text("from outside\n", encoding="utf-8")
    (vault / ".vaultkit").mkdir(exist_ok=True)
    (vault / ".vaultkit" / "templates").symlink_to(elsewhere)
    before = agenda_pages(vault)[PAGE]
    result = run_build(vault)
    assert result.exit_code == 1
    assert "symbolic link" in result.output
    assert agenda_pages(vault)[PAGE] == before


def test_template_folder_linked_to_the_vault_cannot_include_notes(vault: Path) -> None:
    (vault / ".vaultkit").mkdir(exist_ok=True)
    (vault / ".vaultkit" / "templates").symlink_to("..")
    (vault / "pages").mkdir()
    (vault / "pages" / "Follow-ups.md.j2").write_text(
        "x\n{% include 'Private/diary.md' %}\n", encoding="utf-8"
    )
    run_build(vault)
    assert SECRET not in (vault / PAGE).read_text(encoding="utf-8")


def test_oversized_template_is_refused(vault: Path) -> None:
    override(vault, "{# padding #}\n" * 100_000)
    result = run_build(vault)
    assert result.exit_code == 1
    assert "larger than 1000000 bytes" in result.output


@pytest.mark.slow
def test_endless_loop_is_stopped_by_the_real_cap(vault: Path) -> None:
    """The real 5 s cap, in a real process: finished well before the timeout, page kept."""
    override(vault, "x\n{% for x in range(99999) %}{% for y in range(99999) %}{% endfor %}{% endfor %}\n")
    before = agenda_pages(vault)[PAGE]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "vaultkit", "build", str(vault), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert f"{OVERRIDE}:2: template error: rendering took longer than 5 seconds" in result.stderr
    assert agenda_pages(vault)[PAGE] == before
