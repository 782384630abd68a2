"""Parsed notes -> Vault. Field values that cannot be read become diagnostics; the note still counts."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.model.people import PeopleIndex
from vaultkit.model.types import (
    DailyNote,
    Event,
    Interaction,
    Link,
    Mentorship,
    Milestone,
    Org,
    Person,
    Resource,
    Task,
    Touch,
    Vault,
)
from vaultkit.read.types import Note
from vaultkit.resolve import Resolver
from vaultkit.values import ValueError_, link_target, parse_birthday, parse_cadence, parse_date, str_list

T = TypeVar("T")
TYPES = ("person", "interaction", "org", "event", "resource")
_DAILY_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _in_folder(path: str, folder: str) -> bool:
    return path.lower().startswith(folder.lower() + "/")


def note_type(note: Note, config: Config) -> str | None:
    declared = note.meta.get("type")
    if isinstance(declared, str) and declared.strip().lower() in TYPES:
        return declared.strip().lower()
    f = config.folders
    for kind, folder in (
        ("person", f.people),
        ("interaction", f.interactions),
        ("org", f.orgs),
        ("event", f.events),
        ("resource", f.resources),
    ):
        if _in_folder(note.path, folder):
            return kind
    if _in_folder(note.path, f.daily) or _DAILY_NAME.match(note.name):
        return "daily"
    return None


class _Fields:
    """Reads one note's fields, turning unreadable values into diagnostics with the key's line."""

    def __init__(self, note: Note, diags: list[Diagnostic]) -> None:
        self.note = note
        self.diags = diags
        self.lower = {k.lower(): k for k in note.meta if isinstance(k, str)}

    def raw(self, key: str) -> Any:
        real = key if key in self.note.meta else self.lower.get(key)
        return None if real is None else self.note.meta.get(real)

    def line(self, key: str) -> int | None:
        real = key if key in self.note.key_lines else self.lower.get(key, key)
        return self.note.key_lines.get(real)

    def report(self, key: str, message: str, code: str = "bad-value") -> None:
        self.diags.append(Diagnostic(self.note.path, self.line(key), "warning", code, message))

    def typed(self, key: str, parse: Callable[[Any], T]) -> T | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        try:
            return parse(value)
        except ValueError_ as exc:
            self.report(key, f"{key}: {exc}; ignored")
            return None

    def date(self, key: str) -> dt.date | None:
        return self.typed(key, parse_date)

    def text(self, key: str) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip() or None
        self.report(key, f"{key}: expected text, got {type(value).__name__}; ignored")
        return None

    def texts(self, key: str, *, comma_split: bool = False) -> tuple[str, ...]:
        return tuple(str_list(self.raw(key), comma_split=comma_split))


def _tags(fields: _Fields, note: Note) -> tuple[str, ...]:
    tags = [t.lstrip("#").lower() for t in fields.texts("tags", comma_split=True)]
    tags += [t.name.lower() for t in note.body.tags]
    return tuple(dict.fromkeys(t for t in tags if t))


class VaultBuilder:
    def __init__(self, notes: list[Note], attachments: Iterable[str], config: Config) -> None:
        self.notes = sorted(notes, key=lambda n: n.path)
        self.config = config
        self.diags: list[Diagnostic] = []
        self.resolver = Resolver([n.path for n in self.notes] + list(attachments))
        self.types = {n.path: note_type(n, config) for n in self.notes}
        self.fields = {n.path: _Fields(n, self.diags) for n in self.notes}
        people = [n for n in self.notes if self.types[n.path] == "person"]
        self.people = PeopleIndex(people, self.resolver, self.diags)
        self._body_people: dict[str, tuple[str, ...]] = {}

    def by_type(self, kind: str) -> list[Note]:
        return [n for n in self.notes if self.types[n.path] == kind]

    def link_to_note(self, text: str, source: str) -> tuple[str, str | None]:
        target, _ = link_target(text)
        return target, self.resolver.resolve(target, source)

    def body_people(self, note: Note) -> tuple[str, ...]:
        """The people a note's body links to (once per note: records and tasks both ask)."""
        found = self._body_people.get(note.path)
        if found is None:
            people: dict[str, None] = {}
            for raw in note.body.links:
                person = self.people.resolve_link(raw.target, note.path)
                if person is not None and person != note.path:
                    people[person] = None
            found = self._body_people[note.path] = tuple(people)
        return found

    def build(self) -> tuple[Vault, list[Diagnostic]]:
        people = {n.path: self.person(n) for n in self.by_type("person")}
        interactions = sorted(
            (self.interaction(n) for n in self.by_type("interaction")),
            key=lambda i: (i.date or dt.date.min, i.path),
        )
        daily = []
        for n in self.by_type("daily"):
            day = self.fields[n.path].date("date") if self.fields[n.path].raw("date") else None
            if day is None and _DAILY_NAME.match(n.name):
                try:
                    day = parse_date(n.name)
                except ValueError_:
                    day = None
            if day is None:
                self.diags.append(
                    Diagnostic(n.path, None, "warning", "daily-no-date", "daily note without a date; ignored")
                )
                continue
            daily.append(DailyNote(n.path, day, self.body_people(n)))
        vault = Vault(
            people=people,
            interactions=tuple(interactions),
            orgs={n.path: self.org(n) for n in self.by_type("org")},
            events={n.path: self.event(n) for n in self.by_type("event")},
            resources={n.path: self.resource(n) for n in self.by_type("resource")},
            daily=tuple(sorted(daily, key=lambda d: (d.date, d.path))),
            tasks=tuple(self.tasks(interactions)),
            touches=self.touches(people, interactions, daily),
            note_count=len(self.notes),
            me=self.config.me,
        )
        return vault, self.diags

    def person(self, n: Note) -> Person:
        f = self.fields[n.path]
        org_text = f.text("org")
        org = org_path = None
        if org_text:
            org, org_path = self.link_to_note(org_text, n.path)
        how_met = f.text("how_met")
        how_met_path = None
        if how_met:
            how_met, how_met_path = self.link_to_note(how_met, n.path)
        mentorship = None
        raw_m = f.raw("mentorship")
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
        raw_milestones = f.raw("milestones")
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
        return Person(
            path=n.path,
            name=n.name,
            aliases=self.people.aliases.get(n.path, ()),
            org=org,
            org_path=org_path,
            role=f.text("role"),
            emails=tuple(e.lower() for e in f.texts("emails") + f.texts("email")),
            phones=f.texts("phones") + f.texts("phone"),
            linkedin=f.text("linkedin"),
            location=f.text("location"),
            tags=_tags(f, n),
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
            milestones=tuple(sorted(milestones, key=lambda m: m.date)),
            links_to=self.body_people(n),
        )

    def people_field(self, n: Note, key: str) -> tuple[str, ...]:
        f = self.fields[n.path]
        found: dict[str, None] = {}
        for entry in f.texts(key):
            person = self.people.resolve_entry(entry, n.path, key, f.line(key))
            if person is not None:
                found[person] = None
        return tuple(found)

    def interaction(self, n: Note) -> Interaction:
        f = self.fields[n.path]
        date = f.date("date")
        if date is None and f.raw("date") is None:
            f.report("date", "interaction without a date: it cannot count as a contact", "no-date")
        shared = []
        for entry in f.texts("shared"):
            target, path = self.link_to_note(entry, n.path)
            shared.append(path or target)
        return Interaction(
            path=n.path,
            name=n.name,
            date=date,
            people=self.people_field(n, "with"),
            kind=(f.text("kind") or "").lower() or None,
            follow_up=f.date("follow_up"),
            follow_up_line=f.line("follow_up"),
            gave=f.texts("gave"),
            received=f.texts("received"),
            shared=tuple(shared),
            mentions=self.body_people(n),
            tags=_tags(f, n),
            summary=n.body.summary,
        )

    def org(self, n: Note) -> Org:
        f = self.fields[n.path]
        kind = f.text("kind")
        return Org(n.path, n.name, kind.lower() if kind else None, f.text("my_role"), _tags(f, n))

    def event(self, n: Note) -> Event:
        f = self.fields[n.path]
        org_text = f.text("org")
        org = self.link_to_note(org_text, n.path)[0] if org_text else None
        return Event(
            n.path,
            n.name,
            f.date("date"),
            f.date("end"),
            f.text("location"),
            org,
            self.people_field(n, "attendees"),
        )

    def resource(self, n: Note) -> Resource:
        f = self.fields[n.path]
        topics = tuple(t.lower() for t in f.texts("topics", comma_split=True))
        return Resource(n.path, n.name, f.text("url"), topics)

    def tasks(self, interactions: list[Interaction]) -> Iterable[Task]:
        with_people = {i.path: i.people for i in interactions}
        for n in self.notes:
            if not n.body.tasks:
                continue
            # A task that links no one belongs to its note's people: an interaction's `with:`, the person
            # of a person note, else whoever the note links to.
            if self.types[n.path] == "person":
                note_people: tuple[str, ...] = (n.path,)
            else:
                note_people = with_people.get(n.path, ()) or self.body_people(n)
            for t in n.body.tasks:
                own = [self.people.resolve_link(link.target, n.path) for link in t.links]
                people = tuple(dict.fromkeys(p for p in own if p)) or tuple(dict.fromkeys(note_people))
                yield Task(
                    n.path, t.line, t.status, t.text, t.due, t.scheduled, t.start, t.done, t.cancelled,
                    t.priority, people,
                )  # fmt: skip

    def touches(
        self, people: dict[str, Person], interactions: list[Interaction], daily: list[DailyNote]
    ) -> dict[str, tuple[Touch, ...]]:
        found: dict[str, list[Touch]] = defaultdict(list)
        for i in interactions:
            if i.date is None:
                continue
            for p in i.people:
                found[p].append(Touch(i.date, i.path, "interaction"))
            for p in i.mentions:
                if p not in i.people:
                    found[p].append(Touch(i.date, i.path, "interaction note"))
        for d in daily:
            for p in d.mentions:
                found[p].append(Touch(d.date, d.path, "daily note"))
        for p in people.values():
            if p.last_contact is not None:
                found[p.path].append(Touch(p.last_contact, p.path, "last_contact"))
        return {
            p: tuple(sorted(ts, key=lambda t: (t.date, t.source), reverse=True))
            for p, ts in sorted(found.items())
        }


def build_vault(
    notes: list[Note], attachments: Iterable[str], config: Config
) -> tuple[Vault, list[Diagnostic]]:
    """The whole model from every parsed note; diagnostics for values the fields cannot read."""
    return VaultBuilder(notes, attachments, config).build()


def resolve_links(notes: list[Note], attachments: Iterable[str]) -> list[Link]:
    """Every body link of every note with the file it resolves to (Obsidian's rules). Not part of the
    Vault, which needs only people's links: this is for `check`-style reports and conformance tests."""
    resolver = Resolver([n.path for n in notes] + list(attachments))
    return [
        Link(
            n.path,
            resolver.resolve(raw.target, n.path),
            raw.target,
            raw.subpath,
            raw.line,
            raw.embed,
            raw.markdown,
        )
        for n in sorted(notes, key=lambda n: n.path)
        for raw in n.body.links
    ]
