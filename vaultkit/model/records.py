"""One note -> its record (Person, Interaction, ...) and its tasks. Each depends only on the note itself and
on the shared index of files and people, so a note's record can be made again alone when it changes.

Written for speed, as it runs on every note of a cold build: records are made without `__init__`
(`construct`), and an interaction note as most are (keys in lower case, dates seen before) takes a short
way that reads its values directly; anything else takes the long way, through `Fields`. The two give the
same record and diagnostics (tests/test_model_fastpaths.py)."""

from __future__ import annotations

import re
from typing import Any

from vaultkit.diagnostics import Diagnostic
from vaultkit.model.construct import constructor
from vaultkit.model.fields import LOWER_KEYS, TAG_KEYS, Fields, lower_keys, note_tags, tag_key
from vaultkit.model.people import NOBODY, PeopleIndex, entry_diagnostic
from vaultkit.model.person import person_record
from vaultkit.model.types import DailyNote, Event, Interaction, Org, Person, Resource, Task
from vaultkit.read.types import Note, RawLink
from vaultkit.resolve import Resolver
from vaultkit.values import KNOWN_DATES, ValueError_, link_target, parse_date, str_list

DAILY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Record = Person | Interaction | Org | Event | Resource | DailyNote

_TARGETS_MAX = 1 << 16
new_interaction = constructor(Interaction)
new_daily = constructor(DailyNote)
new_task = constructor(Task)


def note_name(path: str) -> str:
    """`Note.name` (the file name without `.md`) in one call."""
    name = path.rpartition("/")[2]
    return name[:-3] if name[-3:].lower() == ".md" else name


class Records:
    """Makes the records of notes against one `PeopleIndex` (and its resolver)."""

    __slots__ = ("_targets", "_words", "people", "resolver")

    def __init__(self, people: PeopleIndex) -> None:
        self.people = people
        self.resolver: Resolver = people.resolver
        self._targets: dict[str, str] = {}  # `org:` text -> its link target: the same few, again and again
        self._words: dict[str, str | None] = {}  # `kind:` text -> `_word`

    def with_people(self, people: PeopleIndex) -> Records:
        """A maker against `people` that shares this one's memos (which depend on the text alone)."""
        new = Records(people)
        new._targets, new._words = self._targets, self._words
        return new

    def make(self, kind: str | None, n: Note, diags: list[Diagnostic]) -> Record | None:
        """The record of note `n` of type `kind`: None for a daily note without a date or an untyped note."""
        if kind == "interaction":
            return self.interaction(n, diags)
        if kind == "person":
            return self.person(n, diags)
        if kind == "daily":
            return self.daily(n, diags)
        if kind == "org":
            return self.org(n, diags)
        if kind == "event":
            return self.event(n, diags)
        if kind == "resource":
            return self.resource(n, diags)
        return None

    def _word(self, text: str) -> str | None:
        """`text` stripped, in lower case (None when that is empty), as one string for every note that
        writes the same (`kind: call`)."""
        word = text.strip().lower() or None
        if len(self._words) < _TARGETS_MAX:
            self._words[text] = word
        return word

    def link_to_note(self, text: str, source: str) -> tuple[str, str | None]:
        """The link target `text` names (a link or a plain name), and the file it resolves to."""
        target = self._targets.get(text)
        if target is None:
            target = link_target(text)[0]
            if len(self._targets) < _TARGETS_MAX:
                self._targets[text] = target
        return target, self.resolver.resolve(target, source)

    def body_people(self, note: Note) -> tuple[str, ...]:
        """The people a note's body links to, each once, the note itself left out."""
        links = note.body.links
        if not links:
            return ()
        known = self.people.anywhere.get
        found: dict[str, None] = {}
        for raw in links:
            person = known(raw.target)
            if type(person) is not str:
                if person is NOBODY:
                    continue
                # Not known yet (or ""), or it depends on the note's folder.
                person = self.people.resolve_link(raw.target, note.path)
                if person is None:
                    continue
            found[person] = None
        found.pop(note.path, None)
        return tuple(found)

    def known_people(self, value: Any) -> tuple[str, ...] | None:
        """The people of a `with:`/`attendees:` value when it is a list of entries that each name a person
        from any folder (the common case), else None (`people_field` then reads it)."""
        if type(value) is not list:
            return None
        known = self.people.entries_anywhere.get
        found: dict[str, None] = {}
        for entry in value:
            person = known(entry) if type(entry) is str else None
            if type(person) is not str:
                return None
            found[person] = None
        return tuple(found)

    def people_field(self, f: Fields, key: str) -> tuple[str, ...]:
        """The people of a `with:`/`attendees:` list; a diagnostic for each entry that names no one."""
        value = f.get(key)
        if value is None:
            return ()
        people = self.known_people(value)
        if people is not None:
            return people
        found: dict[str, None] = {}
        source = f.note.path
        for entry in str_list(value):
            person, other = self.people.resolve_entry(entry, source)
            if person is not None:
                found[person] = None
            else:
                f.diags.append(entry_diagnostic(entry, other, source, key, f.line(key)))
        return tuple(found)

    def person(self, n: Note, diags: list[Diagnostic]) -> Person:
        return person_record(self, n, diags)

    def interaction(self, n: Note, diags: list[Diagnostic]) -> Interaction:
        meta = n.meta
        get = meta.get
        date = get("date")
        kind = get("kind")
        follow_up = get("follow_up")
        # The common case, in short: keys in lower case, dates as seen before, `kind:` text or absent.
        # Nothing here can be reported but the `with:` entries; anything else takes the long way.
        if not (
            type(date) is str
            and (date := KNOWN_DATES.get(date)) is not None
            and (kind is None or type(kind) is str)
            and (
                follow_up is None
                or (type(follow_up) is str and (follow_up := KNOWN_DATES.get(follow_up)) is not None)
            )
            and (meta.keys() <= LOWER_KEYS or lower_keys(meta))
        ):
            return self._interaction(n, diags)
        path = n.path
        name = path[path.rfind("/") + 1 : -3] if path.endswith(".md") else note_name(path)
        if kind is not None:
            kind = self._words.get(kind) or self._word(kind)
        value = get("shared")
        shared = () if value is None else self.shared(value, path)
        value = get("with")
        people: tuple[str, ...] | None = ()
        if type(value) is list:  # `known_people`, here for speed
            known = self.people.entries_anywhere.get
            if len(value) == 1:
                entry = value[0]
                person = known(entry) if type(entry) is str else None
                people = (person,) if type(person) is str else None
            else:
                found: dict[str, None] = {}
                for entry in value:
                    person = known(entry) if type(entry) is str else None
                    if type(person) is not str:
                        people = None
                        break
                    found[person] = None
                else:
                    people = tuple(found)
        elif value is not None:
            people = None
        if people is None:
            people = self.people_field(Fields(n, diags), "with")
        value = get("gave")
        gave = () if value is None else tuple(str_list(value))
        value = get("received")
        received = () if value is None else tuple(str_list(value))
        body = n.body
        mentions: tuple[str, ...] = ()
        if body.links:  # `body_people`, here for speed
            known = self.people.anywhere.get
            found = {}
            for raw in body.links:
                person = known(raw.target)
                if type(person) is not str:
                    if person is NOBODY:
                        continue
                    person = self.people.resolve_link(raw.target, path)
                    if person is None:
                        continue
                found[person] = None
            found.pop(path, None)
            mentions = tuple(found)
            if mentions == people:  # the same people (one tuple kept the less)
                mentions = people
        value = get("tags")
        if value is None and body.tags:  # `note_tags` without frontmatter tags
            found = {}
            lower = TAG_KEYS.get
            for tag in body.tags:
                found[lower(tag.name) or tag_key(tag.name)] = None
            found.pop("", None)
            tags = tuple(found)
        else:
            tags = note_tags(body.tags, value)
        return new_interaction(
            path,
            name,
            date,
            people,
            kind,
            follow_up,
            n.key_lines.get("follow_up"),
            gave,
            received,
            shared,
            mentions,
            tags,
            body.summary,
        )

    def shared(self, value: Any, source: str) -> tuple[str, ...]:
        """`shared:` entries: the files they link to (names when they link to none)."""
        found = []
        for entry in str_list(value):
            target, path = self.link_to_note(entry, source)
            found.append(path or target)
        return tuple(found)

    def _interaction(self, n: Note, diags: list[Diagnostic]) -> Interaction:
        """`interaction`, the long way: any key case, any values."""
        f = Fields(n, diags)
        get = f.get
        date = f.date("date")
        if date is None and get("date") is None:
            f.report("date", "interaction without a date: it cannot count as a contact", "no-date")
        shared = () if get("shared") is None else self.shared(get("shared"), n.path)
        people = self.people_field(f, "with")
        kind = f.text("kind")
        return new_interaction(
            n.path,
            note_name(n.path),
            date,
            people,
            kind.lower() or None if kind else None,
            None if get("follow_up") is None else f.date("follow_up"),
            f.line("follow_up"),
            () if get("gave") is None else f.texts("gave"),
            () if get("received") is None else f.texts("received"),
            shared,
            self.body_people(n),
            f.tags(),
            n.body.summary,
        )

    def daily(self, n: Note, diags: list[Diagnostic]) -> DailyNote | None:
        f = Fields(n, diags)
        day = f.date("date") if f.get("date") else None
        if day is None and DAILY_NAME.match(note_name(n.path)):
            try:
                day = parse_date(note_name(n.path))
            except ValueError_:
                day = None
        if day is None:
            diags.append(
                Diagnostic(n.path, None, "warning", "daily-no-date", "daily note without a date; ignored")
            )
            return None
        return new_daily(n.path, day, self.body_people(n))

    def org(self, n: Note, diags: list[Diagnostic]) -> Org:
        f = Fields(n, diags)
        kind = f.text("kind")
        return Org(n.path, note_name(n.path), kind.lower() if kind else None, f.text("my_role"), f.tags())

    def event(self, n: Note, diags: list[Diagnostic]) -> Event:
        f = Fields(n, diags)
        org_text = f.text("org")
        org = self.link_to_note(org_text, n.path)[0] if org_text else None
        return Event(
            n.path,
            note_name(n.path),
            f.date("date"),
            f.date("end"),
            f.text("location"),
            org,
            self.people_field(f, "attendees"),
        )

    def resource(self, n: Note, diags: list[Diagnostic]) -> Resource:
        f = Fields(n, diags)
        topics = tuple(t.lower() for t in f.texts("topics", comma_split=True))
        return Resource(n.path, note_name(n.path), f.text("url"), topics)

    def tasks(self, kind: str | None, n: Note, record: Record | None) -> tuple[Task, ...]:
        """The note's tasks. A task that links no one belongs to its note's people: an interaction's
        `with:`, the person of a person note, else whoever the note links to."""
        tasks = n.body.tasks
        if not tasks:
            return ()
        path = n.path
        note_people: tuple[str, ...]
        if kind == "person":
            note_people = (path,)
        elif isinstance(record, Interaction):
            note_people = record.people or record.mentions
        elif isinstance(record, DailyNote):
            note_people = record.mentions
        else:
            note_people = self.body_people(n)
        anywhere = self.people.anywhere.get
        found = []
        for t in tasks:
            people = note_people
            links = t.links
            if links:
                if len(links) == 1:
                    person = anywhere(links[0].target)
                    if type(person) is not str:
                        person = self.people.resolve_link(links[0].target, path)
                    if person:
                        people = (person,)
                else:
                    people = self._task_people(links, path) or note_people
            found.append(
                new_task(
                    path, t.line, t.status, t.text, t.due, t.scheduled, t.start, t.done, t.cancelled,
                    t.priority, people,
                )
            )  # fmt: skip
        return tuple(found)

    def _task_people(self, links: tuple[RawLink, ...], source: str) -> tuple[str, ...]:
        """The people a task's links name, each once."""
        anywhere = self.people.anywhere.get
        own: dict[str, None] = {}
        for link in links:
            person = anywhere(link.target)
            if type(person) is not str:
                person = self.people.resolve_link(link.target, source)
            if person:
                own[person] = None
        return tuple(own)
