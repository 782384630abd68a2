"""Finding people: by note name (Obsidian's resolver), then by alias; shared emails/aliases reported."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Final, cast

from vaultkit.diagnostics import Diagnostic
from vaultkit.model.fields import LOWER_KEYS, lower_keys
from vaultkit.read.types import Note
from vaultkit.resolve import FROM_FOLDER, Resolver
from vaultkit.values import link_target, str_list

Found = tuple[str | None, str | None]  # (person path, else the non-person file it links to)
NOBODY: Final = object()  # in `PeopleIndex.anywhere`: a target that links to no person
THIS_NOTE: Final = object()  # in `PeopleIndex.entries_anywhere`: an entry that links to its own note


def name_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def person_aliases(note: Note) -> tuple[str, ...]:
    meta = note.meta
    if meta.keys() <= LOWER_KEYS or lower_keys(meta):  # then `aliases:` is the only key that can be it
        return tuple(str_list(meta.get("aliases"), comma_split=False))
    for key, value in meta.items():
        if isinstance(key, str) and key.lower() == "aliases":
            return tuple(str_list(value, comma_split=False))
    return ()


def person_emails(note: Note) -> tuple[str, ...]:
    """Every email a person note gives (under `emails:` and `email:`), lower-case: to find the same person
    written down twice."""
    meta = note.meta
    if meta.keys() <= LOWER_KEYS or lower_keys(meta):  # then only `emails:` and `email:` can be them
        emails = meta.get("emails")
        email = meta.get("email")
        if email is None or emails is None:  # else their order decides
            return tuple([found.strip().lower() for found in str_list(email if emails is None else emails)])
    found: list[str] = []
    for key, value in meta.items():
        if isinstance(key, str) and key.lower() in ("emails", "email"):
            found.extend(email.strip().lower() for email in str_list(value))
    return tuple(found)


def email_diagnostics(emails: Iterable[tuple[str, tuple[str, ...]]]) -> list[Diagnostic]:
    """`shared-email` for every person (path, emails) whose email another person has too."""
    owners: dict[str, set[str]] = defaultdict(set)
    for path, found in emails:
        for email in found:
            owners[email].add(path)
    diags = []
    for email in sorted(email for email, paths in owners.items() if len(paths) > 1):
        unique = sorted(owners[email])
        for other in unique[1:]:
            diags.append(
                Diagnostic(
                    other, None, "warning", "shared-email",
                    f"email {email} is also on {unique[0]}: the same person twice?",
                )
            )  # fmt: skip
    return diags


class PeopleIndex:
    """The people of one set of vault files and their aliases, with memos of every link resolved so far.

    The memos depend only on the files, the people and their aliases: an index can serve every build in
    which those stay the same."""

    __slots__ = (
        "_entries",
        "_links",
        "alias_diagnostics",
        "aliases",
        "anywhere",
        "by_alias",
        "entries_anywhere",
        "paths",
        "resolver",
    )

    def __init__(self, people: list[Note], resolver: Resolver) -> None:
        self.resolver = resolver
        self.paths = {n.path for n in people}
        self.aliases: dict[str, tuple[str, ...]] = {}
        self.by_alias: dict[str, str] = {}
        # Memos: the same names are resolved from many notes. Most resolve the same from every folder.
        # Link target -> person path, NOBODY or FROM_FOLDER (then see _links).
        self.anywhere: dict[str, object] = {}
        self._links: dict[str, dict[str, str | None]] = {}  # folder -> target -> person path or None
        # `with:` entry (stripped) -> person path, (None, other file), THIS_NOTE or FROM_FOLDER (see _entries)
        self.entries_anywhere: dict[str, object] = {}
        self._entries: dict[str, dict[str, Found]] = {}  # folder -> entry -> Found
        owners: dict[str, list[str]] = defaultdict(list)
        for n in people:
            aliases = person_aliases(n)
            self.aliases[n.path] = aliases
            for alias in aliases:
                owners[name_key(alias)].append(n.path)
        self.alias_diagnostics: list[Diagnostic] = []
        for alias in sorted(owners):
            paths = owners[alias]
            if len(paths) == 1:  # most aliases are one person's
                self.by_alias[alias] = paths[0]
                continue
            unique = sorted(set(paths))
            self.by_alias[alias] = unique[0]
            for other in unique[1:]:
                self.alias_diagnostics.append(
                    Diagnostic(
                        other, None, "warning", "shared-alias",
                        f"alias {alias!r} is also an alias of {unique[0]}; links by it go to {unique[0]}",
                    )
                )  # fmt: skip

    def with_resolver(self, resolver: Resolver) -> PeopleIndex:
        """The same people against `resolver` (of other files, whose results so far are the same: see
        `Resolver.with_files`), with copies of the memos."""
        new = PeopleIndex([], resolver)
        new.paths, new.aliases, new.by_alias = self.paths, self.aliases, self.by_alias
        new.alias_diagnostics = self.alias_diagnostics
        new.anywhere = dict(self.anywhere)
        new._links = {folder: dict(memo) for folder, memo in self._links.items()}
        new.entries_anywhere = dict(self.entries_anywhere)
        new._entries = {folder: dict(memo) for folder, memo in self._entries.items()}
        return new

    def resolve_link(self, target: str, source: str) -> str | None:
        """A link target -> a person path: by note name first, then by alias."""
        if target == "":  # the note itself
            return source if source in self.paths else None
        return self._link(target, source.rpartition("/")[0])

    def resolve_entry(self, entry: str, source: str) -> Found:
        """A `with:`/`attendees:` entry (a link or a plain name) -> (the person, else the other file it
        links to); (None, None) when it names nothing."""
        found = self.entries_anywhere.get(entry)
        if found is None:
            found = self.entries_anywhere[entry] = self._entry(entry, None)
        if type(found) is str:
            return found, None
        if type(found) is tuple:
            return found
        if found is THIS_NOTE:
            return (source if source in self.paths else None), None
        folder = source.rpartition("/")[0]  # FROM_FOLDER
        memo = self._entries.get(folder)
        if memo is None:
            memo = self._entries[folder] = {}
        result = memo.get(entry)
        if result is None:
            result = memo[entry] = self._entry(entry, folder)  # type: ignore[assignment]
        return result  # type: ignore[return-value]

    def _link(self, target: str, folder: str) -> str | None:
        found = self.anywhere.get(target)
        if found is None:
            found = self.anywhere[target] = self._person(target, None)
        if type(found) is str:
            return found
        if found is NOBODY:
            return None
        memo = self._links.get(folder)  # FROM_FOLDER
        if memo is None:
            memo = self._links[folder] = {}
        if target not in memo:
            memo[target] = cast("str | None", self._person(target, folder))
        return memo[target]

    def _file(self, target: str, folder: str | None) -> object:
        return self.resolver.anywhere(target) if folder is None else self.resolver.resolve_in(target, folder)

    def _person(self, target: str, folder: str | None) -> object:
        """From any folder (`folder` None): the person, NOBODY or FROM_FOLDER; else the person or None."""
        path = self._file(target, folder)
        if path is FROM_FOLDER:
            return path
        if path not in self.paths:
            path = self.by_alias.get(name_key(target))
        if path is None and folder is None:
            return NOBODY
        return path

    def _entry(self, entry: str, folder: str | None) -> object:
        """From any folder (`folder` None): the person, (None, other file), FROM_FOLDER or THIS_NOTE; else
        a `Found`."""
        target, _ = link_target(entry)
        if not target:
            return THIS_NOTE
        if folder is not None:
            person = self._link(target, folder)
            return (person, None) if person is not None else (None, self.resolver.resolve_in(target, folder))
        known = self.anywhere.get(target)
        if known is None:
            known = self.anywhere[target] = self._person(target, None)
        if known is FROM_FOLDER or type(known) is str:
            return known
        other = self.resolver.anywhere(target)
        return FROM_FOLDER if other is FROM_FOLDER else (None, other)


def entry_diagnostic(entry: str, other: str | None, source: str, key: str, line: int | None) -> Diagnostic:
    """Why `entry` under `key` (a `with:` or `attendees:` list) found no person."""
    if other is not None:
        message = f"{key}: {entry!r} links to {other}, which is not a person"
        code = "not-a-person"
    else:
        message = f"{key}: {entry!r} is not a person in this vault (no note or alias of that name)"
        code = "unknown-person"
    return Diagnostic(source, line, "warning", code, message)
