"""What the reader extracts from one note, before any meaning is given to it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal


def strip_md(path: str) -> str:
    """`path` without a trailing `.md` (any case)."""
    return path[:-3] if path[-3:].lower() == ".md" else path


def note_name(path: str) -> str:
    """A note's name: its file name without `.md` (`people/Jane Doe.md` -> `Jane Doe`)."""
    return strip_md(path.rpartition("/")[2])


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem inside one note; the reader turns it into a Diagnostic with the note's path."""

    line: int | None
    severity: Literal["error", "warning"]
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class RawLink:
    """A wikilink, embed or internal Markdown link as written, split per obsidian-format.md §1.3."""

    target: str  # the linkpath: trimmed, `\\|` unescaped, percent-decoded for Markdown links; "" = this note
    subpath: str  # "" or "#Heading", "#H1#H2", "#^block"
    display: str | None  # text after the first `|` (wikilinks) or the link text (Markdown links)
    line: int  # 1-based line number in the file
    embed: bool = False
    markdown: bool = False  # True for [text](target) links


@dataclass(frozen=True, slots=True)
class RawTag:
    name: str  # without '#', as written (case kept)
    line: int


@dataclass(frozen=True, slots=True)
class RawTask:
    line: int
    status: str  # the single character between the brackets
    text: str  # description with the trailing Tasks/Dataview fields removed
    due: dt.date | None = None
    scheduled: dt.date | None = None
    start: dt.date | None = None
    created: dt.date | None = None
    done: dt.date | None = None
    cancelled: dt.date | None = None
    priority: str | None = None  # highest, high, medium, low, lowest
    recurrence: str | None = None
    links: tuple[RawLink, ...] = ()  # links written on the task's own line

    @property
    def is_open(self) -> bool:
        return self.status == " " and self.cancelled is None


@dataclass(frozen=True, slots=True)
class Body:
    links: tuple[RawLink, ...] = ()
    tags: tuple[RawTag, ...] = ()
    tasks: tuple[RawTask, ...] = ()
    problems: tuple[Problem, ...] = ()
    summary: str = ""  # the body's first line of prose (for briefings), "" when there is none


@dataclass(frozen=True, slots=True)
class Frontmatter:
    data: dict[str, Any] | None  # None when there is none or it could not be read
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 1-based line in the file
    problems: tuple[Problem, ...] = ()
    body_offset: int = 0  # character offset of the body in the decoded text
    body_line: int = 1  # 1-based line number where the body starts


@dataclass(frozen=True, slots=True)
class Note:
    """One Markdown file, read: its path, its properties and what its body links to."""

    path: str  # relative to the vault, '/'-separated, NFC
    meta: dict[str, Any]  # {} when there is no (valid) frontmatter
    key_lines: dict[str, int]
    body: Body
    mtime_ns: int = 0
    size: int = 0

    @property
    def name(self) -> str:
        return note_name(self.path)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)
