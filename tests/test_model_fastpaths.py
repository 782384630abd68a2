"""The model's fast paths give what the plain ways give.

`constructor` makes the objects `__init__` makes; an interaction note takes the long way or the short one
to the same record and diagnostics; notes in any order (and the same path twice) build the same model; the
resolver, which finds a file by path among the files of its name, answers as one keyed by whole path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import random
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.model import ModelState, build_vault
from vaultkit.model.construct import constructor
from vaultkit.model.fields import note_tags
from vaultkit.model.types import DailyNote, Interaction, Person, Task, Touch
from vaultkit.read.types import Body, Note, RawLink, RawTag, RawTask
from vaultkit.resolve import FROM_FOLDER, Resolver
from vaultkit.values import parse_date

CONFIG = Config()
DAY = dt.date(2026, 3, 4)


# --- constructor -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "values"),
    [
        (
            Interaction,
            ("i/a.md", "a", DAY, ("p.md",), "call", None, 4, ("x",), (), (), ("q.md",), ("t",), "s"),
        ),
        (Task, ("a.md", 3, " ", "do", DAY, None, None, None, None, "high", ("p.md",))),
        (Touch, (DAY, "a.md", "interaction")),
        (DailyNote, ("d/2026-03-04.md", DAY, ())),
        (Person, ("p/A.md", "A", *(f.default for f in dataclasses.fields(Person)[2:]))),
    ],
)
def test_constructor_makes_what_init_makes(cls: type, values: tuple[Any, ...]) -> None:
    made, plain = constructor(cls)(*values), cls(*values)
    assert type(made) is cls
    assert made == plain
    assert repr(made) == repr(plain)
    assert hash(made) == hash(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, dataclasses.fields(cls)[0].name, None)


def test_constructor_refuses_what_it_cannot_make() -> None:
    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, PostInit):
        with pytest.raises(TypeError):
            constructor(cls)


# --- interactions: the short way and the long way ---------------------------------------------------------

PEOPLE = ["people/Ann Lee.md", "people/Bob.md", "people/sub/Bob.md", "people/Cara.md", "people/Dan.md"]
FILES = [*PEOPLE, "orgs/Acme.md", "notes/Bob.md", "Res.md", "x.png"]


def _records() -> Any:
    notes = [Note(p, {"type": "person", "aliases": ["Al"]} if "Ann" in p else {}, {}, Body()) for p in PEOPLE]
    notes += [Note(p, {}, {}, Body()) for p in FILES if p not in PEOPLE]
    return ModelState.build(notes, [], CONFIG)._shared.records


TARGETS = [
    "Ann Lee",
    "ann lee",
    "Bob",
    "Al",
    "Dan",
    "Acme",
    "Nobody",
    "",
    "./Bob",
    "people/Cara",
    "x.png",
    "Res",
]
ENTRY = st.sampled_from(TARGETS).flatmap(
    lambda t: st.sampled_from([f"[[{t}]]", t, f" [[{t}|x]] ", f"[[{t}#h]]"])
)
DATE = st.sampled_from(["2026-03-04", "2026-02-30", "soon", "", 5, DAY, None, [1], "2026-03-04T10:00:00Z"])
TEXT = st.sampled_from(["Call", " EMAIL ", "", "  ", 3, 2.5, True, None, ["x"], {"k": 1}])
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "type": st.sampled_from(["interaction", "Interaction ", None, 3]),
    "date": DATE,
    "follow_up": DATE,
    "kind": TEXT,
    "with": st.one_of(st.lists(ENTRY, max_size=3), ENTRY, st.sampled_from([None, 3, [["Bob"]], [1, "Bob"]])),
    "shared": st.one_of(st.lists(ENTRY, max_size=2), ENTRY, st.none()),
    "gave": st.one_of(st.lists(TEXT, max_size=2), TEXT),
    "received": st.one_of(st.lists(TEXT, max_size=2), TEXT),
    "tags": st.sampled_from([None, "a, B,#c", ["#X", "y", 1], "", "#t"]),
    "other": TEXT,
}


GOOD_DATE = st.sampled_from(["2026-03-04", "2026-03-04T10:00:00Z"])  # seen before (see the test)
USUAL = {
    "date": GOOD_DATE,
    "follow_up": st.one_of(st.none(), GOOD_DATE),
    "kind": st.sampled_from(["Call", " x "]),
}


@st.composite
def interaction_notes(draw: st.DrawFn) -> Note:
    """Random notes; half of them as most are (keys in lower case, good dates), for the short way."""
    usual = draw(st.booleans())
    meta: dict[Any, Any] = {}
    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), unique=True))
    if usual:
        keys = ["date", "with", *(k for k in keys if k not in ("date", "with"))]
    for key in keys:
        written = key if usual else draw(st.sampled_from([key] * 8 + [key.capitalize(), key.upper()]))
        meta[written] = draw(USUAL[key] if usual and key in USUAL else VALUES[key])
    links = tuple(RawLink(t, "", None, 3) for t in draw(st.lists(st.sampled_from(TARGETS), max_size=5)))
    tags = tuple(
        RawTag(name, 2) for name in draw(st.lists(st.sampled_from(["a", "A", "Ä", "x/y"]), max_size=4))
    )
    folder = draw(st.sampled_from(["interactions", "people", "notes/deep", ""]))
    name = draw(st.sampled_from(["Bob.md", "Call.MD", "2026-03-04 Call.md"]))
    path = f"{folder}/{name}" if folder else name
    return Note(path, meta, {k: i + 2 for i, k in enumerate(meta)}, Body(links, tags, (), (), "sum"))


@settings(max_examples=500, deadline=None)
@given(interaction_notes())
def test_interaction_fast_path_gives_what_the_long_way_gives(note: Note) -> None:
    for text in ("2026-03-04", "2026-03-04T10:00:00Z"):  # the short way takes only dates seen before
        parse_date(text)
    fast_diags: list[Diagnostic] = []
    long_diags: list[Diagnostic] = []
    fast = _records().interaction(note, fast_diags)
    long = _records()._interaction(note, long_diags)
    assert fast == long
    assert repr(fast) == repr(long)
    assert fast_diags == long_diags


def test_note_tags_frontmatter_first_then_body() -> None:
    body = (RawTag("Zed", 5), RawTag("a", 6), RawTag("Zed", 7))
    assert note_tags(body, "#A, b") == ("a", "b", "zed")
    assert note_tags(body, None) == ("zed", "a")
    assert note_tags((), ["#", "", "C"]) == ("c",)


# --- notes in any order ---------------------------------------------------------------------------------


def _notes(seed: int) -> list[Note]:
    rnd = random.Random(seed)
    notes = []
    for i in range(60):
        folder = rnd.choice(["people", "interactions", "daily", "orgs", "notes"])
        path = f"{folder}/n{rnd.randrange(40)}.md"
        meta = {"date": f"2026-01-{1 + i % 28:02d}", "with": [f"[[n{rnd.randrange(40)}]]"]}
        task = RawTask(3, " ", f"t{i}", links=(RawLink(f"n{rnd.randrange(40)}", "", None, 3),))
        notes.append(Note(path, meta, {}, Body((RawLink(f"n{i % 40}", "", None, 2),), (), (task,))))
    return notes


@pytest.mark.parametrize("seed", range(20))
def test_notes_in_any_order_build_the_same_model(seed: int) -> None:
    notes = _notes(seed)  # in no order, some paths twice: the last of a path counts
    kept = sorted({n.path: n for n in notes}.values(), key=lambda n: n.path)
    shuffled, plain = build_vault(notes, [], CONFIG), build_vault(kept, [], CONFIG)
    assert shuffled == plain
    assert repr(shuffled) == repr(plain)


# --- the resolver, against one keyed by whole path --------------------------------------------------------


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


class ByPath:
    """The resolver as it was: an index by whole path (the last of the same key wins)."""

    def __init__(self, paths: list[str]) -> None:
        self.by_path: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        self.ambiguous = False
        for path in paths:
            lower = _key(path)
            if self.by_path.setdefault(lower, path) != path:
                self.ambiguous = True
                self.by_path[lower] = path
            self.by_name.setdefault(lower.rpartition("/")[2], []).append(path)

    def exact(self, lower: str) -> str | None:
        hit = self.by_path.get(lower)
        if hit is None and not lower.endswith(".md"):
            hit = self.by_path.get(lower + ".md")
        return hit

    def resolve(self, linkpath: str, folder: str) -> str | None:
        lp = _key(linkpath)
        last = lp.rpartition("/")[2]
        suffix = lp
        candidates = self.by_name.get(last, []) if "." in last else []
        if not candidates:
            candidates = self.by_name.get(last + ".md", [])
            suffix = lp + ".md"
        if not candidates:
            return None
        if lp.startswith("./") or lp.startswith("../"):
            return self.exact(posixpath.normpath(posixpath.join(_key(folder), lp)))
        if lp.startswith("/"):
            return self.exact(lp.lstrip("/"))
        exact = self.exact(lp)
        if exact is not None:
            return exact
        if "/" not in lp and len(candidates) == 1:
            return candidates[0]
        matches = [c for c in candidates if _key(c).endswith(suffix)]
        if len(matches) <= 1:
            return matches[0] if matches else None
        return min(matches, key=lambda c: (not _key(c).startswith(_key(folder)), len(c), c))


SEGMENTS = ["a", "A", "b", "Ä", "A\u0308", "ä", "Σ", "ς", "x.md", "X.MD", "dir", "Dir", ".", "..", "İ", "ß"]


@pytest.mark.parametrize("seed", range(200))
def test_resolver_answers_as_one_keyed_by_path(seed: int) -> None:
    rnd = random.Random(seed)

    def path(ext: bool = True) -> str:
        name = "/".join(rnd.choice(SEGMENTS) for _ in range(rnd.randint(1, 3)))
        return name + (rnd.choice([".md", ".MD", ".png", ""]) if ext else "")

    paths = [path() for _ in range(rnd.randint(1, 20))]
    paths += rnd.sample(paths, min(2, len(paths)))  # the same path twice
    resolver, reference = Resolver(paths), ByPath(paths)
    assert resolver.ambiguous == reference.ambiguous
    for _ in range(40):
        linkpath = rnd.choice([path(False), path(), "./" + path(), "../" + path(), "/" + path(), *paths])
        folder = rnd.choice(["", "dir", "a/b", "Dir/x"])
        assert resolver.resolve_in(linkpath, folder) == reference.resolve(linkpath, folder)
        anywhere = resolver.anywhere(linkpath)
        if anywhere is not FROM_FOLDER:
            assert anywhere == reference.resolve(linkpath, "")
