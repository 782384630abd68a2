"""`ModelState.update` gives what `ModelState.build` of the new notes gives, cheaply when it can.

Tiny vaults from dicts of path -> text, parsed in memory; a property test edits random vaults."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hypothesis import event, given, settings
from hypothesis import strategies as st

from vaultkit.config import Config
from vaultkit.model import ModelState, build_vault
from vaultkit.read.reader import parse_note
from vaultkit.read.types import Note

CONFIG = Config()


def parse(files: Mapping[str, str]) -> list[Note]:
    return [parse_note(path, text)[0] for path, text in files.items()]


def build(files: Mapping[str, str], attachments: Iterable[str] = ()) -> ModelState:
    return ModelState.build(parse(files), attachments, CONFIG)


def assert_same(state: ModelState, files: Mapping[str, str], attachments: Iterable[str] = ()) -> None:
    """`state` is what a build from scratch of `files` gives: the same records in the same order."""
    fresh = build(files, attachments)
    assert state.vault == fresh.vault
    assert repr(state.vault) == repr(fresh.vault)  # dict order and labels too
    assert state.diagnostics == fresh.diagnostics


def update(
    state: ModelState,
    files: dict[str, str],
    changed: Mapping[str, str] = {},
    removed: Iterable[str] = (),
    attachments: Iterable[str] = (),
) -> ModelState:
    """`state.update`, with `files` (the vault's current text) brought along."""
    removed = list(removed)
    for path in removed:
        del files[path]
    files.update(changed)
    return state.update(parse(changed), removed, attachments)


def person(aliases: str = "[]", extra: str = "", body: str = "") -> str:
    return f"---\naliases: {aliases}\n{extra}---\n{body}\n"


def meeting(date: str, with_: str, body: str = "", extra: str = "") -> str:
    return f"---\ndate: {date}\nwith: {with_}\nkind: coffee\n{extra}---\n{body}\n"


BASE = {
    "people/Ann Lee.md": person("[Annie]", "last_contact: 2024-01-05\ntags: [friend]\n"),
    "people/Bob.md": person("[Bobby]", "emails: [bob@example.com]\n", "Knows [[Ann Lee]].\n- [ ] call him"),
    "people/team/Cy.md": person(),
    "interactions/2024-02-01 Coffee.md": meeting("2024-02-01", '["[[Ann Lee]]"]', "Met [[Bobby]] too. #work"),
    "interactions/2024-03-01 Lunch.md": meeting("2024-03-01", "[Bob, Nobody]", "- [ ] send [[Cy]] the deck"),
    "interactions/2024-04-01 Call.md": meeting("not a date", "[Annie]"),
    "daily/2024-02-02.md": "Saw [[Ann Lee]] and [[Cy]].\n",
    "orgs/Acme.md": "---\nkind: Company\n---\n",
    "events/Conf.md": "---\ndate: 2024-05-01\nattendees: ['[[Bob]]', Acme]\n---\n",
    "notes/todo.md": "- [ ] ask [[Bob]] about [[Acme]]\n",
}


def test_build_is_build_vault() -> None:
    state = build(BASE)
    assert (state.vault, state.diagnostics) == build_vault(parse(BASE), [], CONFIG)
    assert not state.incremental
    assert {d.code for d in state.diagnostics} >= {"unknown-person", "not-a-person", "bad-value"}


def test_modified_interaction_is_patched() -> None:
    files = dict(BASE)
    state = build(files)
    changed = {
        "interactions/2024-02-01 Coffee.md": meeting("2023-12-31", "[Bobby, Cy]", "- [ ] ping [[Annie]]")
    }
    new = update(state, files, changed)
    assert new.incremental
    assert_same(new, files)
    assert [i.date.isoformat() for i in new.vault.interactions if i.date] == [
        "2023-12-31",
        "2024-03-01",
    ]


def test_the_old_state_is_left_as_it_was() -> None:
    files = dict(BASE)
    state = build(files)
    before = repr(state.vault), list(state.diagnostics)
    update(state, dict(files), {"people/Ann Lee.md": person("[Annie]", "last_contact: 2025-01-01\n")})
    assert (repr(state.vault), state.diagnostics) == before


def test_a_fixed_value_drops_its_diagnostic_and_a_broken_one_adds_one() -> None:
    files = dict(BASE)
    state = update(build(files), files, {"interactions/2024-04-01 Call.md": meeting("2024-04-01", "[Annie]")})
    assert state.incremental
    assert_same(state, files)
    state = update(state, files, {"orgs/Acme.md": "---\nkind: [a, list]\n---\n"})
    assert state.incremental
    assert_same(state, files)


def test_person_edits_that_keep_aliases_are_patched() -> None:
    files = dict(BASE)
    state = build(files)
    for text in (
        person("[Annie]", "last_contact: 2024-06-01\ntags: [mentor]\ncadence: 2w\n", "[[Bob]]"),
        person("[Annie]"),
        person("[Annie]", "emails: [BOB@example.com]\n"),  # shared with Bob now
    ):
        state = update(state, files, {"people/Ann Lee.md": text})
        assert state.incremental
        assert_same(state, files)
    assert "shared-email" in {d.code for d in state.diagnostics}


def test_changes_to_what_links_resolve_to_build_again() -> None:
    files = dict(BASE)
    state = build(files)
    steps: list[tuple[dict[str, str], list[str]]] = [
        ({"people/Bob.md": person("[Robert]")}, []),  # aliases
        ({"people/Dee.md": person()}, []),  # a new note
        ({}, ["people/team/Cy.md"]),  # a removed one
        ({"notes/Ann Lee.md": "a note of the same name\n"}, []),
        ({"orgs/Acme.md": "---\ntype: person\n---\n"}, []),  # a note's type
    ]
    for changed, removed in steps:
        state = update(state, files, changed, removed)
        assert not state.incremental
        assert_same(state, files)


def test_notes_that_come_and_go_are_patched_when_no_link_could_name_them() -> None:
    """Logging a meeting, deleting it, renaming it: no link resolves differently, so no build again."""
    files = dict(BASE)
    state = build(files)
    steps: list[tuple[dict[str, str], list[str]]] = [
        ({"interactions/2024-06-01 Walk.md": meeting("2024-06-01", '["[[Cy]]"]', "- [ ] book [[Acme]]")}, []),
        ({"interactions/2024-01-01 Early.md": meeting("2024-01-01", "[Annie]", "#work")}, []),
        ({"orgs/Beta Corp.md": "---\nkind: Company\n---\n"}, []),  # a dict of the vault, in path order
        ({"events/Meetup.md": "---\ndate: 2024-07-01\nattendees: [Bob]\n---\n"}, []),
        ({"daily/2024-06-02.md": "Called [[Bob]].\n- [ ] write to [[Ann Lee]]\n"}, []),
        ({"notes/idea.md": "- [ ] think #later\n"}, []),  # no type: tasks only
        ({}, ["interactions/2024-06-01 Walk.md"]),
        ({}, ["orgs/Beta Corp.md", "daily/2024-06-02.md", "notes/idea.md"]),
        ({"interactions/2024-01-02 Early.md": meeting("2024-01-01", "[Annie]", "#work")}, []),
        ({}, ["interactions/2024-01-01 Early.md"]),  # a rename: the new name came first
        (  # one came, one changed, one went, in one burst
            {
                "interactions/2024-08-01 Dinner.md": meeting("2024-08-01", "[Bobby, Cy]", "bad: [[Nobody]]"),
                "interactions/2024-03-01 Lunch.md": meeting("2024-03-02", "[Bob]", "- [x] done"),
            },
            ["events/Meetup.md"],
        ),
    ]
    for changed, removed in steps:
        state = update(state, files, changed, removed)
        assert state.incremental, (changed, removed)
        assert_same(state, files)
        assert sorted(state._notes) == sorted(files)


def test_notes_that_a_link_could_name_build_again() -> None:
    files = dict(BASE)
    files["interactions/2024-05-01 Plan.md"] = meeting(
        "2024-05-01", "[Bob]", "See [[Roadmap]] and [[Later]]."
    )
    state = build(files)
    steps: list[tuple[dict[str, str], list[str]]] = [
        ({"notes/Roadmap.md": "the plan\n"}, []),  # [[Roadmap]] was unresolved: now it is this note
        ({}, ["notes/Roadmap.md"]),  # and now it is unresolved again
        ({"notes/later.MD": "case and extension differ\n"}, []),
        ({"notes/todo 2.md": "x\n", "notes/Acme.md": "an org's name\n"}, []),  # another file of that name
        ({}, ["orgs/Acme.md"]),  # a note that links resolve to
        ({"people/Dee.md": person()}, []),  # a person
        ({}, ["people/Dee.md"]),
    ]
    for changed, removed in steps:
        state = update(state, files, changed, removed)
        assert not state.incremental, (changed, removed)
        assert_same(state, files)
    state = update(state, files, {"interactions/2024-09-01 Walk.md": meeting("2024-09-01", "[Cy]")})
    assert state.incremental  # after all that, a plain new meeting is patched again
    assert_same(state, files)


def test_attachments() -> None:
    files = dict(BASE)
    state = build(files, ["img/a.png", "img/b.png"])
    state = state.update([], [], ["img/b.png", "img/a.png"])  # the same files
    assert_same(state, files, ["img/a.png", "img/b.png"])
    state = state.update([], [], ["img/a.png"])
    assert not state.incremental
    assert_same(state, files, ["img/a.png"])


def test_removing_a_path_the_model_never_had_changes_nothing() -> None:
    files = dict(BASE)
    state = build(files)
    assert state.update([], ["people/Ghost.md"], []) is state


def test_a_path_both_changed_and_removed_stays() -> None:
    files = dict(BASE)
    state = build(files)
    text = meeting("2024-01-01", "[Cy]")
    new = state.update(
        parse({"interactions/2024-03-01 Lunch.md": text}), ["interactions/2024-03-01 Lunch.md"], []
    )
    files["interactions/2024-03-01 Lunch.md"] = text
    assert_same(new, files)


def test_links_that_depend_on_the_folder() -> None:
    """Two people named Cy: a link by name goes to the one nearest the note."""
    files = dict(BASE) | {
        "people/Cy.md": person(),
        "people/team/log.md": "---\ntype: interaction\ndate: 2024-01-01\nwith: [Cy]\n---\n[[Cy]]\n",
    }
    state = build(files)
    log = next(i for i in state.vault.interactions if i.path == "people/team/log.md")
    assert log.people == log.mentions == ("people/team/Cy.md",)
    lunch = {"interactions/2024-03-01 Lunch.md": meeting("2024-03-05", "[Cy]", "[[Cy]]")}
    state = update(state, files, lunch)
    assert state.incremental
    assert_same(state, files)


def test_a_link_to_its_own_note_is_that_note_whichever_note_comes_first() -> None:
    """`[[#Heading]]` links to the note it is in: Bob's task is Bob's, though Ann's note, read first and in
    the same folder, links to itself the same way."""
    files = {"people/Ann.md": "See [[#Top]].\n", "people/Bob.md": "- [ ] ask [[#Top]]\n"}
    state = build(files)
    assert [t.people for t in state.vault.tasks] == [("people/Bob.md",)]
    assert state.vault.people["people/Ann.md"].links_to == ()


# --- random vaults, random edits -------------------------------------------------------------------------

NAMES = ["Ann Lee", "Bob", "Cy", "Dee"]
ALIASES = ["Annie", "Bobby", "Boss", "Cy", "cy"]
WHO = [*NAMES, *ALIASES, "Nobody", "Acme", "team/Cy", "ann lee", "#Top", "Cy.png", "./Cy"]
DATES = ["2024-01-01", "2024-01-02", "2024-02-29", "2024-13-01", "soon", ""]
PERSON_PATHS = [f"people/{n}.md" for n in NAMES] + ["people/team/Cy.md", "people/old/Bob.md"]
OTHER_PATHS = [
    *(f"interactions/i{k}.md" for k in range(4)),
    "interactions/2024/i0.md",
    "daily/2024-01-03.md",
    "daily/2024-02-30.md",
    "daily/notes.md",
    "orgs/Acme.md",
    "events/Conf.md",
    "notes/todo.md",
    "resources/Book.md",
]

links = st.lists(st.sampled_from(WHO), max_size=3)


@st.composite
def body(draw: st.DrawFn) -> str:
    lines = [" ".join(f"[[{w}]]" for w in draw(links))]
    if draw(st.booleans()):
        lines.append(f"#{draw(st.sampled_from(['work', 'Work', 'x/y']))}")
    for _ in range(draw(st.integers(0, 2))):
        lines.append(
            f"- [{draw(st.sampled_from([' ', 'x']))}] task " + " ".join(f"[[{w}]]" for w in draw(links))
        )
    return "\n".join(lines)


def listing(items: list[str]) -> str:
    return "[" + ", ".join(f'"[[{w}]]"' if k % 2 else w for k, w in enumerate(items)) + "]"


@st.composite
def note_text(draw: st.DrawFn, path: str) -> str:
    fields: list[str] = []
    date_key = draw(st.sampled_from(["date", "date", "Date"]))
    if path.startswith("people/"):
        fields.append(f"aliases: {listing(draw(st.lists(st.sampled_from(ALIASES), max_size=2)))}")
        if draw(st.booleans()):
            fields.append(f"last_contact: {draw(st.sampled_from(DATES))}")
        if draw(st.booleans()):
            fields.append(f"emails: [{draw(st.sampled_from(['a@x.org', 'b@x.org', 'A@X.org']))}]")
        if draw(st.booleans()):
            fields.append(f"tags: [{draw(st.sampled_from(['friend', '#Friend', 'a, b']))}]")
    elif path.startswith("interactions/"):
        if draw(st.integers(0, 4)):
            fields.append(f"{date_key}: {draw(st.sampled_from(DATES))}")
        fields.append(f"with: {listing(draw(st.lists(st.sampled_from(WHO), max_size=3)))}")
        if draw(st.booleans()):
            fields.append(f"follow_up: {draw(st.sampled_from(DATES))}")
    elif path.startswith("daily/"):
        if draw(st.booleans()):
            fields.append(f"{date_key}: {draw(st.sampled_from(DATES))}")
    elif path.startswith("events/"):
        fields.append(f"attendees: {listing(draw(st.lists(st.sampled_from(WHO), max_size=3)))}")
    elif path.startswith("orgs/"):
        fields.append(f"kind: {draw(st.sampled_from(['Company', '[1, 2]']))}")
    if draw(st.integers(0, 9)) == 0:
        fields.append(f"type: {draw(st.sampled_from(['person', 'interaction', 'event', 'nonsense']))}")
    front = "---\n" + "".join(f"{line}\n" for line in fields) + "---\n" if fields else ""
    return front + draw(body()) + "\n"


@st.composite
def vault(draw: st.DrawFn) -> dict[str, str]:
    paths = draw(st.sets(st.sampled_from(PERSON_PATHS + OTHER_PATHS), min_size=1, max_size=10))
    return {path: draw(note_text(path)) for path in sorted(paths)}


@st.composite
def edit(
    draw: st.DrawFn, files: Mapping[str, str], attachments: list[str]
) -> tuple[dict[str, str], list[str], list[str]]:
    """(changed, removed, attachments)."""
    kind = draw(st.sampled_from(["modify"] * 6 + ["add", "remove", "rename", "attachment"]))
    existing = sorted(files)
    absent = [p for p in PERSON_PATHS + OTHER_PATHS if p not in files]
    if kind == "attachment":
        attachments = draw(st.sampled_from([[], ["Cy.png"], ["Cy.png", "people/Dee.pdf"], ["Cy.PNG"]]))
    if kind == "modify" and existing:
        path = draw(st.sampled_from(existing))
        return {path: draw(note_text(path))}, [], attachments
    if kind in ("add", "rename") and absent:
        path = draw(st.sampled_from(absent))
        if kind == "rename" and existing:
            old = draw(st.sampled_from(existing))
            return {path: files[old]}, [old], attachments
        return {path: draw(note_text(path))}, [], attachments
    if kind == "remove" and existing:
        return {}, [draw(st.sampled_from(existing))], attachments
    return {}, [], attachments


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_updates_equal_a_build_from_scratch(data: st.DataObject) -> None:
    files = data.draw(vault())
    attachments: list[str] = []
    state = build(files, attachments)
    for _ in range(data.draw(st.integers(1, 8))):
        changed, removed, attachments = data.draw(edit(files, attachments))
        state = update(state, files, changed, removed, attachments)
        event("patched" if state.incremental else "built again")
        assert_same(state, files, attachments)
