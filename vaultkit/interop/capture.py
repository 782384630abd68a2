"""Start and capture: ``vaultkit init``, ``vaultkit add person`` and ``vaultkit log``."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultkit.config import CONFIG_FILE, Folders, load_config
from vaultkit.interop import InteropError
from vaultkit.interop.names import clean_name, name_key, safe_stem
from vaultkit.interop.notes import (
    NoteNames,
    PersonDraft,
    clean_tags,
    create_person,
    dump_frontmatter,
    plan_path,
    render_note,
    target_folder,
    write_note,
)
from vaultkit.load import Loaded, VaultNotFound, load_vault
from vaultkit.model import Person
from vaultkit.pages import Linker
from vaultkit.read.types import note_name
from vaultkit.render import packaged_templates_dir
from vaultkit.values import ValueError_, parse_cadence, parse_date
from vaultkit.write import create_new_file

_KIND = re.compile(r"^[^\W_][\w\- ]{0,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_INIT_FILES = {
    CONFIG_FILE: "vaultkit.toml",
    "Welcome.md": "Welcome.md",
    ".vaultkit/.gitignore": "vaultkit-gitignore",
}


@dataclass(frozen=True, slots=True)
class InitResult:
    root: Path
    created: tuple[str, ...]  # files and folders made, vault-relative
    kept: tuple[str, ...]  # files that were already there and were left alone


def init_vault(root: Path) -> InitResult:
    """Make ``root`` a vaultkit vault: folders, a commented ``vaultkit.toml``, ``.vaultkit/.gitignore`` and a
    welcome note. Existing files are never touched: each one is listed in ``kept``."""
    if root.exists() and not root.is_dir():
        raise InteropError(f"{root}: exists and is not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InteropError(f"{root}: cannot create the folder ({exc.strerror or exc})") from None
    folders, _ = load_config(root)  # an existing vaultkit.toml may rename the folders
    created: list[str] = []
    kept: list[str] = []
    wanted = [getattr(folders.folders, f) for f in Folders.__dataclass_fields__ if f != "output"]
    for folder in [*wanted, ".vaultkit"]:
        if (root / folder).is_dir():
            continue
        target_folder(root, folder)
        created.append(folder + "/")
    source = packaged_templates_dir() / "init"
    for rel, template in _INIT_FILES.items():
        try:
            create_new_file(root / rel, (source / template).read_bytes())
            created.append(rel)
        except FileExistsError:
            kept.append(rel)
        except OSError as exc:
            raise InteropError(f"{rel}: not written: {exc.strerror or exc}") from None
    return InitResult(root, tuple(created), tuple(kept))


def load_or_refuse(root: Path) -> Loaded:
    try:
        return load_vault(root)
    except VaultNotFound as exc:
        raise InteropError(str(exc)) from None


@dataclass(frozen=True, slots=True)
class Created:
    path: str  # vault-relative
    name: str
    notes: tuple[str, ...] = ()  # things worth telling the user (e.g. the name is also someone's alias)


def _alias_notes(loaded: Loaded, name: str) -> tuple[str, ...]:
    key = name_key(name)
    return tuple(
        f"{p.path} already has the alias {name!r}: is it the same person?"
        for p in loaded.vault.people.values()
        if any(name_key(a) == key for a in p.aliases)
    )


def _org_target(names: NoteNames, org: str | None) -> str | None:
    """The note name to link for an org: an existing note of that name (any case), else its safe name."""
    if not org or not org.strip():
        return None
    existing = names.clash(safe_stem(org))
    if existing is not None:
        return note_name(existing)
    return safe_stem(org)


def add_person(
    root: Path,
    name: str,
    *,
    today: dt.date,
    org: str | None = None,
    role: str | None = None,
    location: str | None = None,
    cadence: str | None = None,
    tags: Sequence[str] = (),
    emails: Sequence[str] = (),
    linkedin: str | None = None,
    loaded: Loaded | None = None,
) -> Created:
    """Create a person note in the people folder from ``templates/notes/person.md.j2``."""
    name = clean_name(name)
    if not name:
        raise InteropError("a person needs a name")
    if cadence is not None:
        try:
            parse_cadence(cadence)
        except ValueError_ as exc:
            raise InteropError(str(exc)) from None
    for email in emails:
        if not _EMAIL.match(email.strip()):
            raise InteropError(f"email {email!r} is not an e-mail address")
    loaded = loaded or load_or_refuse(root)
    folder = loaded.config.folders.people
    names = NoteNames(loaded, [folder])
    stem, path = plan_path(names, folder, name)
    draft = PersonDraft(
        name=name,
        org=_org_target(names, org),
        role=role,
        emails=tuple(e.strip() for e in emails),
        linkedin=linkedin,
        location=location,
        tags=clean_tags(tags),
        cadence=cadence,
    )
    create_person(loaded.root, path, stem, draft, today)
    return Created(path, name, _alias_notes(loaded, name))


# --- log --------------------------------------------------------------------------------------------


class Unresolved(InteropError):
    """Some people given to ``log`` are unknown or ambiguous; the message lists each with suggestions."""

    def __init__(self, message: str, unknown: tuple[str, ...]) -> None:
        super().__init__(message)
        self.unknown = unknown


def _keys(person: Person) -> list[str]:
    return [name_key(person.name), *(name_key(a) for a in person.aliases)]


@dataclass(frozen=True, slots=True)
class Found:
    """How a name given on the command line resolved: one person, several (ambiguous), or none."""

    path: str | None
    ambiguous: tuple[str, ...] = ()  # names of the people it could be
    suggestions: tuple[str, ...] = ()  # close spellings when nobody matched


def find_person(loaded: Loaded, query: str) -> Found:
    """A person by note name, alias or unique prefix, case-insensitively; close matches when none."""
    key = name_key(query)
    people = loaded.vault.people
    exact = sorted({p.path for p in people.values() if key in _keys(p)})
    if not exact:
        exact = sorted({p.path for p in people.values() if key and any(k.startswith(key) for k in _keys(p))})
    if len(exact) == 1:
        return Found(exact[0])
    if exact:
        return Found(None, ambiguous=tuple(people[p].name for p in exact))
    spelled: dict[str, str] = {}
    for p in people.values():
        spelled.setdefault(name_key(p.name), p.name)
        for alias in p.aliases:
            spelled.setdefault(name_key(alias), alias)
    close = difflib.get_close_matches(key, list(spelled), n=3, cutoff=0.6)
    return Found(None, suggestions=tuple(spelled[k] for k in close))


@dataclass(frozen=True, slots=True)
class Logged:
    path: str
    people: tuple[str, ...]  # person note paths
    created_people: tuple[str, ...]


def _date_or_offset(text: str, base: dt.date, what: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError_:
        pass
    try:
        cadence = parse_cadence(text.lstrip("+"))
    except ValueError_:
        cadence = None
    if cadence is None:
        raise InteropError(f"{what} {text!r} is not a date (YYYY-MM-DD) or a delay like 2w, 10d, 1m")
    return cadence.after(base)


def _unique_queries(queries: list[str]) -> list[str]:
    """One query per person: ``Zed`` and ``zed`` name the same new person."""
    first: dict[str, str] = {}
    for q in queries:
        first.setdefault(name_key(clean_name(q)), q)
    return list(first.values())


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def log_interaction(
    root: Path,
    people: Sequence[str],
    *,
    today: dt.date,
    kind: str = "meeting",
    date: str | None = None,
    note: str | None = None,
    follow_up: str | None = None,
    title: str | None = None,
    create: bool = False,
) -> Logged:
    """Create ``<interactions>/<YYYY>/<YYYY-MM-DD> <Kind> with <names>.md``.

    People are found by name, alias or unique prefix; unknown ones are refused with close matches unless
    ``create`` (then a person note is made for each)."""
    if not people:
        raise InteropError("name at least one person")
    kind = kind.strip().lower()
    if not _KIND.match(kind):
        raise InteropError(f"kind {kind!r} must be a short word such as coffee, call, meeting, email, intro")
    try:
        day = parse_date(date) if date else today
    except ValueError_ as exc:
        raise InteropError(f"--date: {exc}") from None
    follow = _date_or_offset(follow_up, day, "follow-up") if follow_up else None
    loaded = load_or_refuse(root)
    found: list[str | None] = []
    problems: list[str] = []
    unknown: list[str] = []
    for query in people:
        match = find_person(loaded, query)
        found.append(match.path)
        if match.ambiguous:
            problems.append(f"{query!r} could be any of: {', '.join(match.ambiguous)}; give more of the name")
        elif match.path is None:
            unknown.append(query)
            if not create:
                close = " or ".join(repr(c) for c in match.suggestions)
                hint = f"; did you mean {close}?" if close else ""
                problems.append(f"{query!r} is not a person in this vault{hint} (use --create to add them)")
    if problems:
        raise Unresolved("\n".join(problems), tuple(unknown))
    # Everything is named and checked before the first write: new people's notes, then the interaction's.
    people_folder = loaded.config.folders.people
    names = NoteNames(loaded, [people_folder])
    new: dict[str, tuple[str, str]] = {}  # name key -> (stem, path) of a person to create
    for query in unknown:
        if name_key(clean_name(query)) not in new:
            stem, new_path = plan_path(names, people_folder, clean_name(query))
            names.add(stem, new_path)
            new[name_key(clean_name(query))] = (stem, new_path)
    paths = [
        p if p is not None else new[name_key(clean_name(q))][1] for p, q in zip(found, people, strict=True)
    ]
    paths = list(dict.fromkeys(paths))
    stems = {path: stem for stem, path in new.values()}
    person_names = [loaded.vault.people[p].name if p in loaded.vault.people else stems[p] for p in paths]
    title = title.strip() if title and title.strip() else f"{kind.capitalize()} with {_joined(person_names)}"
    folder = f"{loaded.config.folders.interactions}/{day.year:04d}"
    names.add_folder(folder)
    _stem, path = plan_path(names, folder, f"{day.isoformat()} {title}")
    created = [add_person(loaded.root, q, today=today, loaded=loaded).path for q in _unique_queries(unknown)]
    linker = Linker([n.path for n in loaded.notes] + created)
    refs = [{"name": n, "target": linker.target(p)} for n, p in zip(person_names, paths, strict=True)]
    fields: dict[str, object] = {
        "type": "interaction",
        "date": day,
        "with": [f"[[{r['target']}]]" for r in refs],
        "kind": kind,
        "follow_up": follow,
    }
    context = {
        "title": title, "date": day, "kind": kind, "people": refs, "note": (note or "").strip(),
        "follow_up": follow, "fields": fields, "frontmatter": dump_frontmatter(fields), "today": today,
    }  # fmt: skip
    text = render_note("notes/interaction.md.j2", context, loaded.root, path)
    write_note(loaded.root, path, text)
    return Logged(path, tuple(paths), tuple(created))
