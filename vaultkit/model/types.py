"""The model: typed, immutable records built only from parsed notes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from vaultkit.config import Me
from vaultkit.values import Birthday, Cadence

TouchHow = Literal["interaction", "interaction note", "daily note", "last_contact"]


@dataclass(frozen=True, slots=True)
class Link:
    source: str  # the note the link is written in
    target: str | None  # the file it resolves to (Obsidian's rules), None when unresolved
    linkpath: str
    subpath: str
    line: int
    embed: bool = False
    markdown: bool = False


@dataclass(frozen=True, slots=True)
class Task:
    path: str
    line: int
    status: str
    text: str
    due: dt.date | None = None
    scheduled: dt.date | None = None
    start: dt.date | None = None
    done: dt.date | None = None
    cancelled: dt.date | None = None
    priority: str | None = None
    people: tuple[str, ...] = ()  # person note paths the task (or else its note) links to

    @property
    def is_open(self) -> bool:
        return self.status == " " and self.cancelled is None


@dataclass(frozen=True, slots=True)
class Milestone:
    date: dt.date
    what: str


@dataclass(frozen=True, slots=True)
class Mentorship:
    since: dt.date | None = None
    goals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    path: str
    name: str
    aliases: tuple[str, ...] = ()
    org: str | None = None  # org name (note name when it links to one)
    org_path: str | None = None
    role: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str | None = None
    location: str | None = None
    tags: tuple[str, ...] = ()  # frontmatter tags and body tags, lower-case, without '#'
    cadence: Cadence | None = None
    last_contact: dt.date | None = None
    snooze_until: dt.date | None = None
    birthday: Birthday | None = None
    how_met: str | None = None  # as written, link brackets removed
    how_met_path: str | None = None  # the note it links to (event, person)
    met_on: dt.date | None = None
    relationship: tuple[str, ...] = ()
    mentorship: Mentorship | None = None
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    links_to: tuple[str, ...] = ()  # person paths this note links to


@dataclass(frozen=True, slots=True)
class Interaction:
    path: str
    name: str
    date: dt.date | None
    people: tuple[str, ...] = ()  # person paths from `with:`
    kind: str | None = None
    follow_up: dt.date | None = None
    follow_up_line: int | None = None
    gave: tuple[str, ...] = ()
    received: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()  # resource paths (or names when unresolved)
    mentions: tuple[str, ...] = ()  # person paths linked from the body
    tags: tuple[str, ...] = ()
    summary: str = ""  # the first line of prose in its body


@dataclass(frozen=True, slots=True)
class Org:
    path: str
    name: str
    kind: str | None = None
    my_role: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    path: str
    name: str
    date: dt.date | None = None
    end: dt.date | None = None
    location: str | None = None
    org: str | None = None
    attendees: tuple[str, ...] = ()  # person paths


@dataclass(frozen=True, slots=True)
class Resource:
    path: str
    name: str
    url: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DailyNote:
    path: str
    date: dt.date
    mentions: tuple[str, ...] = ()  # person paths linked from the body


@dataclass(frozen=True, slots=True)
class Touch:
    """A contact with a person: when, where it is written down, and how."""

    date: dt.date
    source: str
    how: TouchHow


@dataclass(frozen=True, slots=True)
class Vault:
    people: dict[str, Person] = field(default_factory=dict)  # by path, sorted
    interactions: tuple[Interaction, ...] = ()  # sorted by (date, path)
    orgs: dict[str, Org] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    resources: dict[str, Resource] = field(default_factory=dict)
    daily: tuple[DailyNote, ...] = ()
    tasks: tuple[Task, ...] = ()
    touches: dict[str, tuple[Touch, ...]] = field(default_factory=dict)  # person path -> newest first
    note_count: int = 0
    me: Me = field(default_factory=Me)

    def last_touch(self, person: str) -> Touch | None:
        touches = self.touches.get(person)
        return touches[0] if touches else None
