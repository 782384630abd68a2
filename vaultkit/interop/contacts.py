"""Importing contacts (from LinkedIn or vCard) into person notes: match, plan, then create.

Existing notes are never changed. A contact matches an existing person by e-mail, then LinkedIn URL, then
exact name (note name or alias, case-insensitively); a match is reported with what the source has that the
note lacks. Cards that are not about a person (vCard ``KIND:org``/``location``) match by name only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from vaultkit.interop import InteropError
from vaultkit.interop.names import name_key, safe_stem
from vaultkit.interop.notes import NoteNames, PersonDraft, clean_tags, create_org, create_person, plan_path
from vaultkit.load import Loaded
from vaultkit.model import Person
from vaultkit.read.types import note_name

Action = Literal["create", "match", "skip"]
_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True, slots=True)
class Contact:
    """One person read from an import file; ``line`` is where its row or card starts."""

    line: int
    name: str
    aliases: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    org: str | None = None
    role: str | None = None
    linkedin: str | None = None
    location: str | None = None
    tags: tuple[str, ...] = ()
    birthday: str | None = None  # YYYY-MM-DD or --MM-DD
    met_on: dt.date | None = None
    notes: str | None = None
    contact_kind: str | None = None  # vCard KIND when not an individual


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A row, card or value that could not be read; it was skipped (or left out) and the rest imported."""

    source: str
    line: int | None
    message: str
    skipped: bool = False  # True when a whole row or card was skipped, not just one value left out

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}" if self.line else f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Parsed:
    source: str
    contacts: tuple[Contact, ...]
    problems: tuple[SourceProblem, ...]


@dataclass(frozen=True, slots=True)
class PlanItem:
    contact: Contact
    action: Action
    path: str | None  # the note to create, or the note it matches
    reason: str = ""  # how it matched, or why it is skipped
    would_add: tuple[str, ...] = ()  # for a match: what the source has that the note lacks (not written)


@dataclass(frozen=True, slots=True)
class ImportPlan:
    source: str
    items: tuple[PlanItem, ...]
    orgs: tuple[tuple[str, str], ...]  # (org name, note path) of org notes to create
    problems: tuple[SourceProblem, ...]

    def count(self, action: Action) -> int:
        return sum(item.action == action for item in self.items)

    @property
    def bad_rows(self) -> int:
        return sum(p.skipped for p in self.problems)


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: ImportPlan
    dry_run: bool
    created: tuple[str, ...] = ()  # notes written (people and orgs)
    failed: tuple[str, ...] = ()  # notes that could not be written, with why


def normalize_linkedin(url: str | None) -> str | None:
    """``https://www.linkedin.com/in/<slug>`` for any spelling of a LinkedIn profile URL, else None."""
    if not url or "linkedin." not in url.lower():
        return None
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in ("in", "pub"):
        return None
    return f"https://www.linkedin.com/in/{segments[1].lower()}"


def _phone_key(phone: str) -> str:
    return _DIGITS.sub("", phone)


@dataclass
class _Index:
    """Who is already there (and who this import will create), by e-mail, LinkedIn and name."""

    emails: dict[str, str] = field(default_factory=dict)
    linkedin: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def add(
        self, where: str, name: str, aliases: Iterable[str], emails: Iterable[str], url: str | None
    ) -> None:
        for email in emails:
            self.emails.setdefault(email.strip().lower(), where)
        key = normalize_linkedin(url)
        if key:
            self.linkedin.setdefault(key, where)
        for n in (name, *aliases):
            self.names.setdefault(name_key(n), where)

    def find(self, c: Contact) -> tuple[str, str] | None:
        if c.contact_kind is None:
            for email in c.emails:
                if email.lower() in self.emails:
                    return self.emails[email.lower()], f"by email {email.lower()}"
            key = normalize_linkedin(c.linkedin)
            if key and key in self.linkedin:
                return self.linkedin[key], f"by LinkedIn {key}"
        for n in (c.name, *c.aliases):
            if name_key(n) in self.names:
                return self.names[name_key(n)], f"by name {n!r}"
        return None


def _would_add(c: Contact, p: Person) -> tuple[str, ...]:
    adds: list[str] = []
    new_emails = [e for e in c.emails if e.lower() not in p.emails]
    if new_emails:
        adds.append("emails " + ", ".join(new_emails))
    have = {_phone_key(x) for x in p.phones}
    new_phones = [x for x in c.phones if _phone_key(x) not in have]
    if new_phones:
        adds.append("phones " + ", ".join(new_phones))
    singles = (
        ("org", c.org, p.org), ("role", c.role, p.role), ("linkedin", c.linkedin, p.linkedin),
        ("location", c.location, p.location), ("birthday", c.birthday, p.birthday),
        ("met_on", c.met_on.isoformat() if c.met_on else None, p.met_on),
    )  # fmt: skip
    adds += [f"{label} {mine}" for label, mine, theirs in singles if mine and theirs is None]
    new_tags = [t for t in clean_tags(c.tags) if t.lower() not in p.tags]
    if new_tags:
        adds.append("tags " + ", ".join(new_tags))
    return tuple(adds)


def plan_import(loaded: Loaded, parsed: Parsed, *, create_orgs: bool) -> ImportPlan:
    """Decide, for each contact, whether to create a note, report a match, or skip it (and why)."""
    people_folder = loaded.config.folders.people
    orgs_folder = loaded.config.folders.orgs
    names = NoteNames(loaded, [people_folder, orgs_folder])
    index = _Index()
    for p in loaded.vault.people.values():
        index.add(p.path, p.name, p.aliases, p.emails, p.linkedin)
    items: list[PlanItem] = []
    orgs: dict[str, tuple[str, str]] = {}
    planned: dict[str, int] = {}  # note path -> the line of the contact it is created from
    for c in parsed.contacts:
        found = index.find(c)
        if found is not None:
            where, how = found
            person = loaded.vault.people.get(where)
            if person is not None:
                items.append(PlanItem(c, "match", where, how, _would_add(c, person)))
            else:
                items.append(PlanItem(c, "match", where, f"same person as line {planned[where]} ({how})"))
            continue
        try:
            _stem, path = plan_path(names, people_folder, c.name)
        except InteropError as exc:
            items.append(PlanItem(c, "skip", None, str(exc)))
            continue
        names.add(_stem, path)
        planned[path] = c.line
        index.add(path, c.name, c.aliases, c.emails, c.linkedin)
        items.append(PlanItem(c, "create", path))
        if create_orgs and c.org and c.org.strip():
            try:
                org_stem = safe_stem(c.org)
            except InteropError:
                continue
            if names.clash(org_stem) is None:
                orgs[name_key(org_stem)] = (c.org.strip(), f"{orgs_folder}/{org_stem}.md")
                names.add(org_stem, f"{orgs_folder}/{org_stem}.md")
    return ImportPlan(parsed.source, tuple(items), tuple(orgs.values()), parsed.problems)


def _org_link(names: NoteNames, org: str | None) -> str | None:
    if not org or not org.strip():
        return None
    try:
        stem = safe_stem(org)
    except InteropError:
        return None
    existing = names.clash(stem)
    return note_name(existing) if existing else stem


def draft_of(c: Contact, org_target: str | None) -> PersonDraft:
    return PersonDraft(
        name=c.name,
        aliases=c.aliases,
        org=org_target,
        role=c.role,
        emails=c.emails,
        phones=c.phones,
        linkedin=c.linkedin,
        location=c.location,
        tags=clean_tags(c.tags),
        birthday=c.birthday,
        met_on=c.met_on,
        contact_kind=c.contact_kind,
        notes=c.notes,
    )


def apply_import(loaded: Loaded, plan: ImportPlan, today: dt.date) -> ImportResult:
    """Write the plan's new notes (``open(..., "x")``: a note that appeared meanwhile is left alone)."""
    root: Path = loaded.root
    created: list[str] = []
    failed: list[str] = []
    for name, path in plan.orgs:
        try:
            create_org(root, path, note_name(path), name, today)
            created.append(path)
        except InteropError as exc:
            failed.append(str(exc))
    names = NoteNames(loaded, [loaded.config.folders.orgs])
    for path in created:
        names.add(note_name(path), path)
    for item in plan.items:
        if item.action != "create" or item.path is None:
            continue
        stem = note_name(item.path)
        try:
            draft = draft_of(item.contact, _org_link(names, item.contact.org))
            create_person(root, item.path, stem, draft, today)
            created.append(item.path)
        except InteropError as exc:
            failed.append(str(exc))
    return ImportResult(plan, False, tuple(created), tuple(failed))
