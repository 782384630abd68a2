"""Conformance on real vaults nobody here wrote (../shared/corpora, read in place, never copied).

The expected counts come from ../shared/corpora/README.md (a careful script, not Obsidian itself).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import CORPORA
from vaultkit.config import Config
from vaultkit.load import read_notes
from vaultkit.model import Link, build_vault, resolve_links
from vaultkit.read.markdown import parse_body
from vaultkit.read.types import Note

HELP = CORPORA / "obsidian-help-en"
TASKS = CORPORA / "obsidian-tasks-docs"
pytestmark = pytest.mark.skipif(not HELP.is_dir(), reason="../shared/corpora is not beside the checkout")


class Links:
    """What the tests read of a corpus: every body link, resolved."""

    def __init__(self, links: list[Link]) -> None:
        self.links = tuple(links)


@cache
def corpus(root: Path) -> tuple[tuple[Note, ...], Links, tuple[str, ...]]:
    """Read a corpus; for the help vault, the manifest supplies the attachments that were not copied."""
    notes, attachments, diags = read_notes(root, Config())
    manifest = CORPORA / "obsidian-help-en.manifest.tsv"
    if root == HELP:
        rows = [
            line.rstrip("\n").split("\t")[2] for line in manifest.read_text(encoding="utf-8").splitlines()
        ]
        attachments = tuple(p for p in rows if not p.endswith(".md"))
    _, model_diags = build_vault(notes, attachments, Config())
    errors = tuple(d.format() for d in diags + model_diags if d.severity == "error")
    return tuple(notes), Links(resolve_links(notes, attachments)), errors


def wikilinks(vault: Links) -> list[Link]:
    return [k for k in vault.links if not k.embed and not k.markdown]


def embeds(vault: Links) -> list[Link]:
    return [k for k in vault.links if k.embed and not k.markdown]


@pytest.mark.parametrize("root", [HELP, TASKS], ids=["obsidian-help-en", "obsidian-tasks-docs"])
def test_every_note_reads_without_an_error(root: Path) -> None:
    notes, _, errors = corpus(root)
    assert errors == ()
    assert len(notes) == {HELP: 173, TASKS: 118}[root]


def test_help_wikilinks_outside_code_and_their_resolution() -> None:
    _, vault, _ = corpus(HELP)
    links = wikilinks(vault)
    assert len(links) == 1524
    unresolved = [(k.source, k.line, k.linkpath) for k in links if k.target is None]
    assert unresolved == [
        ("Linking notes and files/Internal links.md", line, "Example") for line in (154, 155, 162, 163)
    ]


def test_help_embeds_all_resolve_including_attachments() -> None:
    _, vault, _ = corpus(HELP)
    found = embeds(vault)
    assert len(found) == 283 and all(k.target is not None for k in found)


def test_help_markdown_links_percent_decoded_and_resolved() -> None:
    _, vault, _ = corpus(HELP)
    md = sorted((k.source, k.line, k.linkpath, k.target) for k in vault.links if k.markdown)
    assert md == [
        ("Bases/Introduction to Bases.md", 15, "bases-noshadow.png", "Attachments/bases-noshadow.png"),
        ("Bases/Layouts/Table view.md", 8, "bases-noshadow.png", "Attachments/bases-noshadow.png"),
        ("Linking notes and files/Internal links.md", 168, "Example.md", None),
        ("Linking notes and files/Internal links.md", 169, "Example.md", None),
    ]


def test_help_five_duplicate_name_links_resolve_to_the_same_folder() -> None:
    _, vault, _ = corpus(HELP)
    names = Counter(k.target.rsplit("/", 1)[-1].lower() for k in vault.links if k.target)
    notes, _, _ = corpus(HELP)
    dup_names = {n for n, c in Counter(n.path.rsplit("/", 1)[-1].lower() for n in notes).items() if c > 1}
    assert dup_names == {"security and privacy.md", "templates.md"} and names
    bare = sorted(
        (k.source, k.line, k.target)
        for k in vault.links
        if k.target
        and "/" not in k.linkpath
        and k.linkpath
        and k.target.rsplit("/", 1)[-1].lower() in dup_names
    )
    assert bare == [
        (
            "Obsidian Publish/Introduction to Obsidian Publish.md",
            34,
            "Obsidian Publish/Security and privacy.md",
        ),
        ("Obsidian Sync/Headless Sync.md", 9, "Obsidian Sync/Security and privacy.md"),
        ("Obsidian Sync/Introduction to Obsidian Sync.md", 31, "Obsidian Sync/Security and privacy.md"),
        ("Obsidian Sync/Set up Obsidian Sync.md", 52, "Obsidian Sync/Security and privacy.md"),
        ("Obsidian Sync/Upgrade Sync encryption.md", 43, "Obsidian Sync/Security and privacy.md"),
    ]
    qualified = {(k.source, k.target) for k in vault.links if k.linkpath == "Plugins/Templates"}
    assert ("Editing and formatting/Properties.md", "Plugins/Templates.md") in qualified


def test_help_45_links_resolve_only_case_insensitively() -> None:
    _, vault, _ = corpus(HELP)
    case_only = [
        k
        for k in vault.links
        if k.target
        and k.linkpath
        and not k.markdown
        and k.target.rsplit("/", 1)[-1]
        not in {k.linkpath.rsplit("/", 1)[-1], k.linkpath.rsplit("/", 1)[-1] + ".md"}
    ]
    assert len(case_only) == 45
    assert any(k.linkpath == "formulas" and k.target == "Bases/Formulas.md" for k in case_only)


def test_help_trimmed_target_and_escaped_pipe() -> None:
    _, vault, _ = corpus(HELP)
    settings = [k for k in vault.links if k.source == "User interface/Settings.md" and k.line == 244]
    assert ("Quick Switcher", "Plugins/Quick switcher.md") in [(k.linkpath, k.target) for k in settings]
    table = [k for k in vault.links if k.source == "Editing and formatting/Advanced formatting syntax.md"]
    assert {k.line for k in table} >= {53, 66} and 61 not in {k.line for k in table}
    assert all(not k.linkpath.endswith("\\") for k in vault.links)


def test_help_tags_and_tasks() -> None:
    notes, _, _ = corpus(HELP)
    tags = [(n.path, t.name) for n in notes for t in n.body.tags]
    assert len(tags) == 10 and {p for p, _ in tags} == {"Editing and formatting/Tags.md"}
    assert len({t.lower() for _, t in tags}) == 6 and "1984" not in {t for _, t in tags}
    tasks = [(n.path, t.status) for n in notes for t in n.body.tasks]
    assert len(tasks) == 9 and len({p for p, _ in tasks}) == 1
    assert Counter(s for _, s in tasks) == Counter({" ": 5, "x": 2, "?": 1, "-": 1})


def test_tasks_docs_links_tags_and_tasks_outside_code() -> None:
    notes, vault, _ = corpus(TASKS)
    assert len(wikilinks(vault)) == 1108 and all(k.target for k in wikilinks(vault))
    # Only the Markdown files of the tasks docs were copied: image embeds have nothing to resolve to here.
    notes_embedded = [k for k in embeds(vault) if not k.linkpath.endswith(".png")]
    assert len(embeds(vault)) == 28 and len(notes_embedded) == 26 and all(k.target for k in notes_embedded)
    assert sum(len(n.body.tasks) for n in notes) == 50
    assert sum(len(n.body.tags) for n in notes) == 15
    dotted = [k for k in vault.links if k.linkpath.endswith("Obsidian 1.9.x versions")]
    assert dotted and all(k.target and k.target.endswith("Obsidian 1.9.x versions.md") for k in dotted)


# The Tasks-emoji examples in the tasks docs all sit inside code fences (so they are not tasks of the
# vault). Read as notes of their own, they must parse to the dates the docs describe.
EMOJI_CASES = [
    ("How To/Find tasks for coming 7 days.md", "- [ ] 7 days 📅 2022-09-15", {"due": "2022-09-15"}),
    (
        "How To/Find tasks with invalid data.md",
        " - [x] check 📅 2022-12-29 ✅ 2023-01-09 > appointment 19.1.",
        {},
    ),
    (
        "How To/Style custom statuses.md",
        "- [X] #task Do important stuff ✅ 2023-01-09",
        {"done": "2023-01-09"},
    ),
]


@pytest.mark.parametrize(("path", "line", "expected"), EMOJI_CASES)
def test_tasks_docs_emoji_fields_parse_to_the_right_dates(
    path: str, line: str, expected: dict[str, str]
) -> None:
    assert line in (TASKS / path).read_text(encoding="utf-8")
    (task,) = parse_body(line + "\n").tasks
    got = {f: getattr(task, f).isoformat() for f in ("due", "done", "scheduled", "start") if getattr(task, f)}
    assert got == expected


def test_tasks_docs_every_emoji_line_in_code_parses() -> None:
    """Every fenced `- [ ] ... 📅 YYYY-MM-DD` line whose fields end the line yields that due date."""
    import re

    pattern = re.compile(r"^\s*[-*] \[.\] .*📅\uFE0F? ?(\d{4}-\d{2}-\d{2})$")
    checked = 0
    for path in sorted(TASKS.rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = pattern.match(line)
            if m is None:
                continue
            try:
                dt.date.fromisoformat(m.group(1))
            except ValueError:
                continue  # the docs' own examples of invalid dates
            (task,) = parse_body(line + "\n").tasks
            assert task.due is not None and task.due.isoformat() == m.group(1), line
            checked += 1
    assert checked >= 20
