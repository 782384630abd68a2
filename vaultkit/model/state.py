"""The model kept between builds: what each note contributed, so that saving one note costs one note.

`ModelState.build` is the whole model from every note (what `build_vault` returns). `update` gives the state
of the vault with some notes changed or removed. When the set of files stays the same and no note changes
its type, or a person's aliases, every link resolves as before: only the changed notes' records are made
again and the aggregates (sorted interactions, tasks, touches, ...) are patched. Anything else builds again
from scratch, reusing the link resolver when the files are the same. Either way the result equals
`ModelState.build` of the new notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.model.assemble import (
    all_touches,
    daily_order,
    interaction_order,
    replace_sorted,
    replace_tasks,
    update_touches,
)
from vaultkit.model.kinds import NoteTypes
from vaultkit.model.people import PeopleIndex, email_diagnostics, person_aliases, person_emails
from vaultkit.model.records import Record, Records
from vaultkit.model.types import DailyNote, Interaction, Task, Vault
from vaultkit.read.types import Note
from vaultkit.resolve import Resolver

__all__ = ["ModelState"]

KINDS = ("person", "interaction", "daily", "org", "event", "resource")  # the order of their diagnostics
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_by_date = attrgetter("date")
_path = attrgetter("path")


def _by_path(records: list[Record]) -> dict[str, Record]:
    return dict(zip(map(_path, records), records, strict=True))


_VAULT_DICTS = {"person": "people", "org": "orgs", "event": "events", "resource": "resources"}


@dataclass(frozen=True, slots=True, eq=False)
class _Shared:
    """What every state of the same files, people and aliases can share (its memos only grow)."""

    config: Config
    types: NoteTypes
    attachments: tuple[str, ...]
    attachment_set: frozenset[str]
    records: Records

    @property
    def people(self) -> PeopleIndex:
        return self.records.people

    @property
    def resolver(self) -> Resolver:
        return self.records.resolver

    def same_files(self, attachments: tuple[str, ...]) -> bool:
        """Whether these attachments (with the same notes) make the same resolver."""
        if self.resolver.ambiguous:  # then the order of the files matters too
            return attachments == self.attachments
        return frozenset(attachments) == self.attachment_set


@dataclass(frozen=True, slots=True, eq=False)
class ModelState:
    """The Vault and the model's diagnostics, with what each note contributed to them."""

    vault: Vault
    diagnostics: list[Diagnostic]
    incremental: bool  # made by patching the previous state (not built from scratch)
    _shared: _Shared
    _notes: dict[str, Note]  # by path (sorted, but for notes that came since the last build from scratch)
    _kinds: dict[str, str | None]  # note path -> its type (never changed once made)
    # Note path -> its record, for notes that have one. A state built from scratch has instead the paths
    # and the records in two lists (`_all_records` makes the map the first time a note changes).
    _records: dict[str, Record] | tuple[list[str], list[Record]]
    _note_diags: dict[str, tuple[Diagnostic, ...]]  # note path -> its diagnostics (when any), in their order
    _emails: dict[str, tuple[str, ...]]  # person path -> emails
    _people_diags: tuple[Diagnostic, ...]  # shared aliases and emails

    @classmethod
    def build(cls, notes: list[Note], attachments: Iterable[str], config: Config) -> ModelState:
        """The model of `notes` (one per path; the last wins) and `attachments` (the other files)."""
        return cls._build(notes, tuple(attachments), config, None, None)

    @classmethod
    def _build(
        cls,
        notes: Iterable[Note],
        attachments: tuple[str, ...],
        config: Config,
        resolver: Resolver | None,
        types: NoteTypes | None,
    ) -> ModelState:
        types = types or NoteTypes(config)
        by_path, kinds, groups = types.sort_out(list(notes))
        paths = list(by_path)
        if resolver is None:
            resolver = Resolver([*paths, *attachments])
        index = PeopleIndex(groups.get("person", []), resolver)
        maker = Records(index)
        shared = _Shared(config, types, attachments, frozenset(attachments), maker)

        made: dict[str, list[Record]] = {}  # kind -> the records of its notes, in path order
        made_paths: list[str] = []  # the paths of the records, kind by kind
        note_diags: dict[str, tuple[Diagnostic, ...]] = {}
        note_tasks: dict[str, tuple[Task, ...]] = {}
        out: list[Diagnostic] = []
        tasks_of = maker.tasks
        for kind in KINDS:
            make = getattr(maker, kind)
            found: list[Record] = []
            made[kind] = found
            add = found.append
            add_path = made_paths.append
            for n in groups.get(kind, ()):  # the tasks too, while the note is at hand
                path = n.path
                before = len(out)
                record = make(n, out)
                if record is not None:  # (a daily note without a date has none)
                    add(record)
                    add_path(path)
                if len(out) != before:
                    note_diags[path] = tuple(out[before:])
                if n.body.tasks:
                    note_tasks[path] = tasks_of(kind, n, record)
        for n in groups.get(None, ()):  # notes of no type have tasks but no record
            if n.body.tasks:
                note_tasks[n.path] = tasks_of(None, n, None)
        tasks: list[Task] = []
        for path in sorted(note_tasks):  # a few runs, each in path order already: quick to sort
            tasks += note_tasks[path]

        people = _by_path(made["person"])
        interactions = made["interaction"]  # by path: sorting by date is enough
        if any(i.date is None for i in interactions):  # type: ignore[union-attr]
            interactions = sorted(interactions, key=interaction_order)  # type: ignore[arg-type]
        else:
            interactions = sorted(interactions, key=_by_date)
        daily = sorted(made["daily"], key=_by_date)
        vault = Vault(
            people=people,  # type: ignore[arg-type]
            interactions=tuple(interactions),  # type: ignore[arg-type]
            orgs=_by_path(made["org"]),  # type: ignore[arg-type]
            events=_by_path(made["event"]),  # type: ignore[arg-type]
            resources=_by_path(made["resource"]),  # type: ignore[arg-type]
            daily=tuple(daily),  # type: ignore[arg-type]
            tasks=tuple(tasks),
            touches=all_touches(people.values(), interactions, daily),  # type: ignore[arg-type]
            note_count=len(by_path),
            me=config.me,
        )
        emails = {n.path: person_emails(n) for n in groups.get("person", ())}
        people_diags = (*index.alias_diagnostics, *email_diagnostics(emails.items()))
        diagnostics = [*people_diags, *out]
        return cls(
            vault,
            diagnostics,
            False,
            shared,
            by_path,
            kinds,
            (made_paths, list(chain.from_iterable(made.values()))),
            note_diags,
            emails,
            people_diags,
        )

    def update(
        self, changed: Iterable[Note], removed: Iterable[str], attachments: Iterable[str]
    ) -> ModelState:
        """The state with `changed` notes (new or modified) in place of those of the same path, without the
        notes at `removed` paths (a path also in `changed` stays), and with these `attachments`."""
        shared = self._shared
        new = {n.path: n for n in changed}
        gone = {path for path in removed if path in self._notes and path not in new}
        files = tuple(attachments)
        added = [path for path in new if path not in self._notes]
        if not shared.same_files(files):
            return self._rebuild(new, gone, files, None)
        if added or gone:
            moved = self._moved(new, added, gone)
            return moved if moved is not None else self._rebuild(new, gone, files, None)
        if not new:
            return self
        emails = self._same_people(new, shared)
        if emails is None:
            return self._rebuild(new, gone, files, shared.resolver)
        return self._patch(new, emails)

    def _same_people(self, new: dict[str, Note], shared: _Shared) -> dict[str, tuple[str, ...]] | None:
        """The emails after the notes `new` (that were there before) changed; None when one of them changed
        its type or is a person whose aliases changed (which can change what links resolve to)."""
        emails = self._emails
        for path, n in new.items():
            kind = shared.types(n)
            if kind != self._kinds[path]:
                return None
            if kind == "person":
                if person_aliases(n) != shared.people.aliases[path]:
                    return None
                found = person_emails(n)
                if found != emails[path]:
                    emails = emails if emails is not self._emails else dict(emails)
                    emails[path] = found
        return emails

    def _moved(self, new: dict[str, Note], added: list[str], gone: set[str]) -> ModelState | None:
        """The state after notes came (`added`, among `new`) or went (`gone`), patched rather than built
        again when no link resolves differently for it: none of them a person, and no other file of the
        same name nor any link so far that could name one (`Resolver.with_files`). None otherwise."""
        shared = self._shared
        types = shared.types
        kinds = dict(self._kinds)
        for path in added:
            kinds[path] = types(new[path])
        if any(kinds[path] == "person" for path in (*added, *gone)):
            return None
        for path in gone:
            del kinds[path]
        emails = self._same_people({p: n for p, n in new.items() if p in self._notes}, shared)
        if emails is None:
            return None
        resolver = shared.resolver.with_files(added, gone)
        if resolver is None:
            return None
        records = shared.records.with_people(shared.people.with_resolver(resolver))
        moved = _Shared(shared.config, types, shared.attachments, shared.attachment_set, records)
        return self._patch(new, emails, gone, kinds, moved)

    def _rebuild(
        self, new: dict[str, Note], gone: set[str], files: tuple[str, ...], resolver: Resolver | None
    ) -> ModelState:
        notes = [n for path, n in self._notes.items() if path not in new and path not in gone]
        notes += new.values()
        types = self._shared.types
        return ModelState._build(notes, files, self._shared.config, resolver, types)

    def _all_records(self) -> dict[str, Record]:
        """A new map of note path -> record."""
        if isinstance(self._records, dict):
            return dict(self._records)
        return dict(zip(*self._records, strict=True))

    def _patch(
        self,
        new: dict[str, Note],
        emails: dict[str, tuple[str, ...]],
        gone: set[str] | None = None,
        kinds: dict[str, str | None] | None = None,
        shared: _Shared | None = None,
    ) -> ModelState:
        """Only `new` notes' records change (same people and aliases, and no other link resolves differently);
        the notes at `gone` paths are dropped. `kinds` and `shared`: when notes came or went (`_moved`)."""
        shared = shared or self._shared
        kinds = kinds if kinds is not None else self._kinds
        maker, v = shared.records, self.vault
        records = self._all_records()
        note_diags = dict(self._note_diags)
        reorder = False
        old_records: list[Record] = []
        new_records: list[Record] = []
        interactions: tuple[list[Interaction], list[Interaction]] = ([], [])  # old, new
        daily: tuple[list[DailyNote], list[DailyNote]] = ([], [])
        dicts: dict[str, dict[str, Record]] = {}
        tasks: dict[str, tuple[Task, ...]] = {}
        for path, n in new.items():
            kind = kinds[path]
            diags: list[Diagnostic] = []
            record = maker.make(kind, n, diags)
            old = records.pop(path, None)
            for which, found in enumerate((old, record)):
                if isinstance(found, Interaction):
                    interactions[which].append(found)
                elif isinstance(found, DailyNote):
                    daily[which].append(found)
            if old is not None:
                old_records.append(old)
            if record is not None:
                records[path] = record
                new_records.append(record)
                if kind in _VAULT_DICTS:
                    if kind not in dicts:
                        dicts[kind] = dict(getattr(v, _VAULT_DICTS[kind]))
                    dicts[kind][path] = record
            if diags:
                reorder = reorder or path not in note_diags
                note_diags[path] = tuple(diags)
            elif note_diags.pop(path, None) is not None:
                reorder = True
            before = self._notes.get(path)
            if n.body.tasks or (before is not None and before.body.tasks):
                tasks[path] = maker.tasks(kind, n, record)
        for path in gone or ():
            old = records.pop(path, None)
            if old is not None:
                old_records.append(old)
                if isinstance(old, Interaction):
                    interactions[0].append(old)
                elif isinstance(old, DailyNote):
                    daily[0].append(old)
                kind = self._kinds[path]
                if kind in _VAULT_DICTS:
                    if kind not in dicts:
                        dicts[kind] = dict(getattr(v, _VAULT_DICTS[kind]))
                    del dicts[kind][path]
            note_diags.pop(path, None)  # the others stay in their order
            if self._notes[path].body.tasks:
                tasks[path] = ()
        for kind, found in dicts.items():
            if any(path not in self._notes for path in new if path in found):  # a new key: in path order
                dicts[kind] = {path: found[path] for path in sorted(found)}
        if reorder:
            note_diags = {
                p: note_diags[p]
                for p in sorted(note_diags, key=lambda p: (_RANK.get(kinds[p] or "", len(KINDS)), p))
            }

        vault = Vault(
            people=dicts.get("person", v.people),  # type: ignore[arg-type]
            interactions=replace_sorted(v.interactions, interaction_order, *interactions),
            orgs=dicts.get("org", v.orgs),  # type: ignore[arg-type]
            events=dicts.get("event", v.events),  # type: ignore[arg-type]
            resources=dicts.get("resource", v.resources),  # type: ignore[arg-type]
            daily=replace_sorted(v.daily, daily_order, *daily),
            tasks=replace_tasks(v.tasks, tasks) if tasks else v.tasks,
            touches=update_touches(v.touches, set(new).union(gone or ()), old_records, new_records),
            note_count=len(kinds),
            me=v.me,
        )
        people_diags = self._people_diags
        if emails is not self._emails:
            people_diags = (*shared.people.alias_diagnostics, *email_diagnostics(emails.items()))
        notes = dict(self._notes)
        notes.update(new)
        for path in gone or ():
            del notes[path]
        diagnostics = [*people_diags, *chain.from_iterable(note_diags.values())]
        return ModelState(
            vault, diagnostics, True, shared, notes, kinds, records, note_diags, emails, people_diags
        )
