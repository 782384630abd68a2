"""Writing brand-new notes: frontmatter by ``yaml.safe_dump``, body from a (vault-overridable) template,
created with ``open(..., "xb")`` inside the vault and never over an existing note of the same name."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from vaultkit.interop import InteropError
from vaultkit.interop.names import SUFFIX, name_key, safe_stem
from vaultkit.load import Loaded
from vaultkit.read.reader import parse_note
from vaultkit.render import TemplateRenderError, render_page
from vaultkit.write import create_new_file

_TAG_BAD = re.compile(r"[^\w/\-]+")


def dump_frontmatter(data: Mapping[str, object]) -> str:
    """YAML for a frontmatter block: keys in the given order, ``None`` and empty values left out. Values are
    quoted by the dumper whenever they would read back as anything but the exact string (``no``, ``12:30``,
    ``[[Bob]]``, ``012``), so no value can break out of its field."""
    clean = {k: v for k, v in data.items() if v is not None and v != () and v != [] and v != ""}
    return yaml.safe_dump(
        clean, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )


def clean_tag(tag: str) -> str:
    """An Obsidian-friendly tag: no ``#``, spaces as ``-``, only letters, digits, ``_``, ``-``, ``/``."""
    text = _TAG_BAD.sub("-", tag.strip().lstrip("#").strip()).strip("-/")
    return "" if not text or text.isdigit() else text


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    out = (clean_tag(t) for t in tags)
    return tuple(dict.fromkeys(t for t in out if t))


@dataclass(frozen=True, slots=True)
class PersonDraft:
    """A person note to create. ``birthday`` as written in notes: ``YYYY-MM-DD`` or ``--MM-DD``."""

    name: str
    aliases: tuple[str, ...] = ()
    org: str | None = None  # the org's note name (link target)
    role: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    linkedin: str | None = None
    location: str | None = None
    tags: tuple[str, ...] = ()
    cadence: str | None = None
    birthday: str | None = None
    met_on: dt.date | None = None
    how_met: str | None = None
    contact_kind: str | None = None  # a vCard KIND other than individual: org, group, location
    notes: str | None = None  # body text
    extra: Mapping[str, object] = field(default_factory=dict)

    def frontmatter(self, stem: str) -> dict[str, object]:
        aliases = list(self.aliases)
        if self.name != stem and self.name not in aliases:
            aliases.insert(0, self.name)  # links and `vaultkit log` find the true name
        return {
            "type": "person",
            "name": self.name if self.name != stem else None,
            "aliases": aliases,
            "org": f"[[{self.org}]]" if self.org else None,
            "role": self.role,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "linkedin": self.linkedin,
            "location": self.location,
            "tags": list(self.tags),
            "cadence": self.cadence,
            "birthday": self.birthday,
            "met_on": self.met_on,
            "how_met": self.how_met,
            "contact_kind": self.contact_kind,
            **self.extra,
        }


class NoteNames:
    """Every note name in the vault (case-insensitive, NFC) -> its path, plus whatever is in the folders new
    notes go to (a directory called ``x.md`` or an unreadable note still blocks the name ``x``)."""

    def __init__(self, loaded: Loaded, folders: Iterable[str] = ()) -> None:
        self.root = loaded.root
        self.paths: dict[str, str] = {}
        for note in loaded.notes:
            self.paths.setdefault(name_key(note.name), note.path)
        for folder in folders:
            self.add_folder(folder)

    def add_folder(self, folder: str) -> None:
        directory = self.root / folder
        if directory.is_dir():
            for entry in sorted(os.listdir(directory)):
                if entry.lower().endswith(SUFFIX):
                    self.paths.setdefault(name_key(entry[: -len(SUFFIX)]), f"{folder}/{entry}")

    def clash(self, stem: str) -> str | None:
        return self.paths.get(name_key(stem))

    def add(self, stem: str, path: str) -> None:
        self.paths.setdefault(name_key(stem), path)


def target_folder(root: Path, folder: str) -> Path:
    """``root/folder``, created if missing; refused if it is not a folder strictly inside the vault."""
    parts = [p for p in folder.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        raise InteropError(f"{folder}: not a folder inside the vault")
    real_root = root.resolve()
    path = real_root.joinpath(*parts)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InteropError(f"{folder}: exists and is not a folder") from None
    except OSError as exc:
        raise InteropError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    if not path.resolve().is_relative_to(real_root):
        raise InteropError(f"{folder}: leads outside the vault (a symbolic link?); nothing written")
    return path


def plan_path(names: NoteNames, folder: str, name: str) -> tuple[str, str]:
    """(stem, vault-relative path) for a new note called ``name`` in ``folder``; refused when a note of the
    same name exists anywhere in the vault (Obsidian links by name, case-insensitively)."""
    stem = safe_stem(name)
    existing = names.clash(stem)
    if existing is not None:
        raise InteropError(f"{existing}: a note named {stem!r} already exists; not overwritten")
    return stem, f"{folder}/{stem}{SUFFIX}"


def render_note(template: str, context: Mapping[str, object], root: Path, path: str) -> str:
    """Render a note template (``.vaultkit/templates/`` overrides first) and check vaultkit can read it."""
    try:
        text = render_page(template, context, root)
    except TemplateRenderError as exc:
        raise InteropError(f"{path}: not written: {exc}") from None
    _note, diags = parse_note(path, text)
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        raise InteropError(f"{path}: not written: template {template} made a note vaultkit cannot read: "
                           f"{errors[0].format()}")  # fmt: skip
    return text


def write_note(root: Path, path: str, text: str) -> None:
    """Create ``root/path`` (vault-relative; its folder is made if missing); never overwrite."""
    folder, _, file_name = path.rpartition("/")
    directory = target_folder(root, folder)
    try:
        create_new_file(directory / file_name, text.encode("utf-8"))
    except FileExistsError:
        raise InteropError(f"{path}: already exists; not overwritten") from None
    except IsADirectoryError:
        raise InteropError(f"{path}: a folder of that name is in the way; nothing written") from None
    except OSError as exc:
        raise InteropError(f"{path}: not written: {exc.strerror or exc}") from None


def person_context(draft: PersonDraft, stem: str, today: dt.date) -> dict[str, object]:
    fields = draft.frontmatter(stem)
    return {
        "name": draft.name,
        "stem": stem,
        "fields": {k: v for k, v in fields.items() if v not in (None, [], ())},
        "frontmatter": dump_frontmatter(fields),
        "notes": (draft.notes or "").strip(),
        "today": today,
    }


def create_person(root: Path, path: str, stem: str, draft: PersonDraft, today: dt.date) -> str:
    """Render and create one person note; returns its text."""
    text = render_note("notes/person.md.j2", person_context(draft, stem, today), root, path)
    write_note(root, path, text)
    return text


def create_org(root: Path, path: str, stem: str, name: str, today: dt.date, kind: str = "company") -> None:
    renamed = name != stem
    fields: dict[str, object] = {"type": "org", "name": name if renamed else None}
    fields.update({"aliases": [name] if renamed else [], "kind": kind})
    context = {
        "name": name, "stem": stem, "fields": fields, "frontmatter": dump_frontmatter(fields), "today": today,
    }  # fmt: skip
    write_note(root, path, render_note("notes/org.md.j2", context, root, path))
