"""What kind of note a note is: its `type:`, else the folder it is in, else a daily note by its name."""

from __future__ import annotations

from operator import attrgetter

from vaultkit.config import Config
from vaultkit.model.records import DAILY_NAME
from vaultkit.read.types import Note

_path = attrgetter("path")
TYPES = ("person", "interaction", "org", "event", "resource")


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
    if _in_folder(note.path, f.daily) or DAILY_NAME.match(note.name):
        return "daily"
    return None


class NoteTypes:
    """`note_type` for many notes of one config: what a folder says is worked out once per folder."""

    __slots__ = ("_declared", "_folders", "config")

    def __init__(self, config: Config) -> None:
        self.config = config
        self._folders: dict[str, str | None] = {}  # ASCII folder -> its type by folder alone
        self._declared: dict[str, str | None] = {}  # `type:` as written -> the type it declares, if one

    def __call__(self, note: Note) -> str | None:
        declared = note.meta.get("type")
        if type(declared) is str:
            kind = self._declared.get(declared, "")
            if kind == "":
                kind = declared.strip().lower()
                kind = self._declared[declared] = kind if kind in TYPES else None
            if kind is not None:
                return kind
        elif declared is not None:
            return note_type(note, self.config)
        path = note.path
        if not path.isascii():
            return note_type(note, self.config)
        folder = path.rpartition("/")[0]
        kind = self._folders.get(folder, "")
        if kind == "":
            kind = self._folders[folder] = self._by_folder(folder) if folder else None
        if kind is None and DAILY_NAME.match(note.name):
            return "daily"
        return kind

    def sort_out(
        self, notes: list[Note]
    ) -> tuple[dict[str, Note], dict[str, str | None], dict[str | None, list[Note]]]:
        """`notes` in path order, by path (the last of the same path wins), the type of each, and the notes
        of each type: in one pass over notes that come sorted, as they mostly do (this pass is the first to
        read them)."""
        by_path: dict[str, Note] = {}
        kinds: dict[str, str | None] = {}
        groups: dict[str | None, list[Note]] = {kind: [] for kind in (*TYPES, "daily", None)}
        declared_as = self._declared.get
        last = ""
        for n in notes:
            path = n.path
            if path < last:  # not in path order after all
                return self.sort_out(sorted(notes, key=_path))
            last = path
            by_path[path] = n
            declared = n.meta.get("type")
            kind = declared_as(declared) if type(declared) is str else None
            if kind is None:  # no `type:`, or one not seen before, or not a type
                kind = self(n)
            kinds[path] = kind
            groups[kind].append(n)
        if len(by_path) != len(notes):
            return self.sort_out(list(by_path.values()))
        return by_path, kinds, groups

    def _by_folder(self, folder: str) -> str | None:
        f = self.config.folders
        within = folder.lower() + "/"  # a note in `folder` is in every folder this starts with
        for kind, name in (
            ("person", f.people),
            ("interaction", f.interactions),
            ("org", f.orgs),
            ("event", f.events),
            ("resource", f.resources),
            ("daily", f.daily),
        ):
            if within.startswith(name.lower() + "/"):
                return kind
        return None
