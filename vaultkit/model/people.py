"""Finding people: by note name (Obsidian's resolver), then by alias; shared emails/aliases reported."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from vaultkit.diagnostics import Diagnostic
from vaultkit.read.types import Note
from vaultkit.resolve import Resolver, folder_of
from vaultkit.values import link_target, str_list


def name_key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _aliases(note: Note) -> tuple[str, ...]:
    for key, value in note.meta.items():
        if isinstance(key, str) and key.lower() == "aliases":
            return tuple(str_list(value, comma_split=False))
    return ()


class PeopleIndex:
    def __init__(self, people: list[Note], resolver: Resolver, diags: list[Diagnostic]) -> None:
        self.resolver = resolver
        self.diags = diags
        self.paths = {n.path for n in people}
        self.aliases: dict[str, tuple[str, ...]] = {}
        self.by_alias: dict[str, str] = {}
        # Memos: the same names are resolved from many notes; results depend only on the source folder.
        self._links: dict[tuple[str, str], str | None] = {}
        self._entries: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        owners: dict[str, list[str]] = defaultdict(list)
        emails: dict[str, list[str]] = defaultdict(list)
        for n in people:
            aliases = _aliases(n)
            self.aliases[n.path] = aliases
            for alias in aliases:
                owners[name_key(alias)].append(n.path)
            for key, value in n.meta.items():
                if isinstance(key, str) and key.lower() in ("emails", "email"):
                    for email in str_list(value):
                        emails[email.strip().lower()].append(n.path)
        for alias, paths in sorted(owners.items()):
            unique = sorted(set(paths))
            self.by_alias[alias] = unique[0]
            if len(unique) > 1:
                for other in unique[1:]:
                    diags.append(
                        Diagnostic(
                            other, None, "warning", "shared-alias",
                            f"alias {alias!r} is also an alias of {unique[0]}; links by it go to {unique[0]}",
                        )
                    )  # fmt: skip
        for email, paths in sorted(emails.items()):
            unique = sorted(set(paths))
            for other in unique[1:]:
                diags.append(
                    Diagnostic(
                        other, None, "warning", "shared-email",
                        f"email {email} is also on {unique[0]}: the same person twice?",
                    )
                )  # fmt: skip

    def resolve_link(self, target: str, source: str) -> str | None:
        """A link target -> a person path: by note name first, then by alias."""
        key = (target, folder_of(source))
        try:
            return self._links[key]
        except KeyError:
            pass
        path = self.resolver.resolve(target, source)
        if path not in self.paths:
            path = self.by_alias.get(name_key(target)) if target else None
        self._links[key] = path
        return path

    def resolve_entry(self, entry: str, source: str, key: str, line: int | None) -> str | None:
        """A `with:`/`attendees:` entry (a link or a plain name) -> a person path, or a diagnostic."""
        memo = (entry, folder_of(source))
        found = self._entries.get(memo)
        if found is None:
            target, _ = link_target(entry)
            person = self.resolve_link(target, source)
            other = None if person is not None or not target else self.resolver.resolve(target, source)
            found = self._entries[memo] = (person, other)
        person, other = found
        if person is not None:
            return person
        if other is not None:
            message = f"{key}: {entry!r} links to {other}, which is not a person"
            code = "not-a-person"
        else:
            message = f"{key}: {entry!r} is not a person in this vault (no note or alias of that name)"
            code = "unknown-person"
        self.diags.append(Diagnostic(source, line, "warning", code, message))
        return None
