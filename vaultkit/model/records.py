"""One note -> its record (Person, Interaction, ...) and its tasks. Each depends only on the note itself and
on the shared index of files and people, so a note's record can be made again alone when it changes."""

from __future__ import annotations

import re

from vaultkit.diagnostics import Diagnostic
from vaultkit.model.fields import Fields
from vaultkit.model.people import NOBODY, PeopleIndex, entry_diagnostic
from vaultkit.model.types import (
    DailyNote,
    Event,
    Interaction,
    Mentorship,
    Milestone,
    Org,
    Person,
    Resource,
    Task,
)
from vaultkit.read.types import Note
from vaultkit.resolve import Resolver
from vaultkit.values import ValueError_, link_target, parse_birthday, parse_cadence, parse_date, str_list

DAILY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Record = Person | Interaction | Org | Event | Resource | DailyNote


def note_name(path: str) -> str:
    """`Note.name` (the file name without `.md`) in one call."""
    name = path.rpartition("/")[2]
    return name[:-3] if name[-3:].lower() == ".md" else name


class Records:
    """Makes the records of notes against one `PeopleIndex` (and its resolver)."""

    __slots__ = ("people", "resolver")

    def __init__(self, people: PeopleIndex) -> None:
        self.people = people
        self.resolver: Resolver = people.resolver

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

    def link_to_note(self, text: str, source: str) -> tuple[str, str | None]:
        target, _ = link_target(text)
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

    def people_field(self, f: Fields, key: str) -> tuple[str, ...]:
        """The people of a `with:`/`attendees:` list; a diagnostic for each entry that names no one."""
        value = f.get(key)
        if value is None:
            return ()
        found: dict[str, None] = {}
        if type(value) is list:  # every entry a name known to be a person, whatever the folder?
            known = self.people.entries_anywhere.get
            for entry in value:
                person = known(entry) if type(entry) is str else None
                if type(person) is not str:
                    found = {}
                    break
                found[person] = None
            else:
                return tuple(found)
        source = f.note.path
        for entry in str_list(value):
            person, other = self.people.resolve_entry(entry, source)
            if person is not None:
                found[person] = None
            else:
                f.diags.append(entry_diagnostic(entry, other, source, key, f.line(key)))
        return tuple(found)

    def person(self, n: Note, diags: list[Diagnostic]) -> Person:
        f = Fields(n, diags)
        org_text = f.text("org")
        org = org_path = None
        if org_text:
            org, org_path = self.link_to_note(org_text, n.path)
        how_met = f.text("how_met")
        how_met_path = None
        if how_met:
            how_met, how_met_path = self.link_to_note(how_met, n.path)
        mentorship = None
        raw_m = f.get("mentorship")
        if isinstance(raw_m, dict):
            since = None
            if raw_m.get("since"):
                try:
                    since = parse_date(raw_m["since"])
                except ValueError_ as exc:
                    f.report("mentorship", f"mentorship since: {exc}; ignored")
            mentorship = Mentorship(since, tuple(str_list(raw_m.get("goals"))))
        elif raw_m is not None:
            f.report("mentorship", "mentorship: expected `since:` and `goals:` under it; ignored")
        milestones = []
        raw_milestones = f.get("milestones")
        if isinstance(raw_milestones, dict):
            raw_milestones = [raw_milestones]
        elif raw_milestones is not None and not isinstance(raw_milestones, list):
            f.report("milestones", "milestones: expected a list of {date: YYYY-MM-DD, what: ...}; ignored")
            raw_milestones = None
        for item in raw_milestones or []:
            if not isinstance(item, dict) or "date" not in item:
                f.report("milestones", "milestones: each needs {date: YYYY-MM-DD, what: ...}; one ignored")
                continue
            try:
                milestones.append(Milestone(parse_date(item["date"]), str(item.get("what") or "").strip()))
            except ValueError_ as exc:
                f.report("milestones", f"milestones: {exc}; ignored")
        if len(milestones) > 1:
            milestones.sort(key=lambda m: m.date)
        return Person(
            path=n.path,
            name=note_name(n.path),
            aliases=self.people.aliases.get(n.path, ()),
            org=org,
            org_path=org_path,
            role=f.text("role"),
            emails=tuple(e.lower() for e in f.texts("emails") + f.texts("email")),
            phones=f.texts("phones") + f.texts("phone"),
            linkedin=f.text("linkedin"),
            location=f.text("location"),
            tags=f.tags(),
            cadence=f.typed("cadence", parse_cadence),
            last_contact=f.date("last_contact"),
            snooze_until=f.date("snooze_until"),
            birthday=f.typed("birthday", parse_birthday),
            how_met=how_met,
            how_met_path=how_met_path,
            met_on=f.date("met_on"),
            relationship=tuple(r.lower() for r in f.texts("relationship", comma_split=True)),
            mentorship=mentorship,
            offers=f.texts("offers"),
            needs=f.texts("needs"),
            milestones=tuple(milestones),
            links_to=self.body_people(n),
        )

    def interaction(self, n: Note, diags: list[Diagnostic]) -> Interaction:
        f = Fields(n, diags)
        get = f.get
        date = f.date("date")
        if date is None and get("date") is None:
            f.report("date", "interaction without a date: it cannot count as a contact", "no-date")
        shared = []
        if get("shared") is not None:
            for entry in f.texts("shared"):
                target, path = self.link_to_note(entry, n.path)
                shared.append(path or target)
        people = self.people_field(f, "with")
        kind = f.text("kind")
        return Interaction(
            n.path,
            note_name(n.path),
            date,
            people,
            kind.lower() or None if kind else None,
            None if get("follow_up") is None else f.date("follow_up"),
            f.line("follow_up"),
            () if get("gave") is None else f.texts("gave"),
            () if get("received") is None else f.texts("received"),
            tuple(shared),
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
        return DailyNote(n.path, day, self.body_people(n))

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
        if not n.body.tasks:
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
        anywhere = self.people.anywhere
        resolve_link = self.people.resolve_link
        found = []
        for t in n.body.tasks:
            people = note_people
            if t.links:
                own: dict[str, None] = {}
                for link in t.links:
                    person = anywhere.get(link.target)
                    if type(person) is not str:
                        person = resolve_link(link.target, path)
                    if person:
                        own[person] = None
                if own:
                    people = tuple(own)
            found.append(
                Task(
                    path, t.line, t.status, t.text, t.due, t.scheduled, t.start, t.done, t.cancelled,
                    t.priority, people,
                )
            )  # fmt: skip
        return tuple(found)
