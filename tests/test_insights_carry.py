"""Answers carried over from the previous build (`Insights.previous`, the watch) equal a fresh build's.

Each test builds a tiny vault with `LiveVault` (which hands each build's insights to the next), changes one
input of the carried answers (or something they do not read), builds again, and checks that

* every report computed with the previous build's insights equals the report computed from nothing, and
* the pages the watch wrote are byte for byte those a whole build writes.

Some tests also check that the answers were indeed carried over (so that the comparison is not vacuous).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import TODAY, write_vault
from vaultkit.build import BuildResult, build
from vaultkit.config import Me
from vaultkit.insights.carry_people import changed_people, changed_window, patch_sorted
from vaultkit.insights.followups import Promise, compute_agenda, promise_order
from vaultkit.insights.followups_promised import TaskPart, _merged
from vaultkit.insights.giving_top import giving_top
from vaultkit.insights.mentorship import mentorship
from vaultkit.insights.network import network
from vaultkit.insights.shared import Insights
from vaultkit.live import LiveVault
from vaultkit.model import Person, Touch, Vault

EXAMPLE = Path(__file__).resolve().parents[1] / "example-vault"


def interaction(date: str, *people: str, extra: str = "", body: str = "") -> str:
    with_ = ", ".join(f'"[[{p}]]"' for p in people)
    return f"---\ndate: {date}\nwith: [{with_}]\n{extra}---\n{body}\n"


VAULT: dict[str, str] = {
    "vaultkit.toml": '[me]\nname = "Sam"\ngoals = ["become an engineering manager", "raise a seed round"]\n'
    'offers = ["python mentoring", "hiring advice"]\n',
    "people/Sam.md": "---\ntags: [me]\n---\n",
    "people/Ann.md": "---\ncadence: 30d\nbirthday: 1990-12-01\norg: Acme\ntags: [python, climate]\n"
    "relationship: [mentor]\nmentorship:\n  since: 2025-01-01\n  goals: [raise a seed round]\n"
    'offers: ["seed round advice", "engineering management coaching"]\n---\n'
    "- [ ] send [[Ann]] the deck 📅 2026-11-20\n",
    "people/team/Ann.md": "---\ncadence: 30d\norg: Acme\ntags: [python]\noffers: [seed round advice]\n---\n",
    "people/Bob.md": '---\ncadence: weekly\nneeds: ["python mentoring help"]\nrelationship: [mentee]\n'
    "tags: [python]\n---\n- [ ] call [[Bob]] about the job 📅 2026-11-28\n",
    "people/Cy.md": '---\ncadence: 14d\nsnooze_until: 2026-12-01\nneeds: ["hiring advice"]\norg: Beta\n---\n',
    "people/Dee.md": "---\nlast_contact: 2026-01-10\noffers: [raise a seed round]\ncadence: 90d\n---\n",
    "people/Fay.md": "---\ntags: [climate]\n---\n",
    "people/Gus.md": "---\nmilestones:\n  - {date: 2026-11-10, what: New job}\nbirthday: --11-30\n---\n",
    "people/Hal.md": "---\ncadence: monthly\nrelationship: [mentee]\n---\n",
    "interactions/2026-11-01 Ann.md": interaction(
        "2026-11-01", "Ann", extra="follow_up: 2026-11-20\n", body="- [ ] send the notes 📅 2026-11-22\n"
    ),
    "interactions/2026-11-12 Bob.md": interaction("2026-11-12", "Bob", extra="follow_up: 2026-11-30\n"),
    "interactions/2026-01-01 Fay.md": interaction("2026-01-01", "Fay"),
    "interactions/2026-01-15 Fay.md": interaction("2026-01-15", "Fay", "team/Ann"),
    "interactions/2026-02-01 Fay.md": interaction("2026-02-01", "Fay", extra="follow_up: 2026-02-10\n"),
    "interactions/2026-02-15 Fay.md": interaction("2026-02-15", "Fay"),
    "interactions/2026-03-01 Fay.md": interaction("2026-03-01", "Fay", "team/Ann"),
    "interactions/2026-10-01 Bob.md": interaction("2026-10-01", "Bob", extra="gave: [code review]\n"),
    "interactions/2026-11-10 Dee.md": interaction(
        "2026-11-10", "Dee", extra="received: [intro to an investor]\n"
    ),
    "interactions/2026-11-05 intro.md": interaction("2026-11-05", "Bob", "Cy", extra="kind: intro\n"),
    "interactions/2026-12-01 plan.md": interaction("2026-12-01", "Hal", extra="follow_up: 2026-11-26\n"),
    "events/Meetup.md": "---\ndate: 2026-11-20\nattendees: ['[[Ann]]', '[[Gus]]']\n---\n",
    "orgs/Acme.md": "---\nkind: company\n---\n",
    "daily/2026-11-18.md": "Met [[Cy]] for lunch.\n",
    "resources/Deck guide.md": "---\ntopics: [seed round, python]\n---\n",
}

_MTIME = itertools.count(1_900_000_000)


def write(root: Path, rel: str, text: str) -> set[str]:
    """Write a note, with a new mtime even within one clock tick (the watch compares size and mtime)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = next(_MTIME)
    os.utime(path, (stamp, stamp))
    return {rel}


def edit(rel: str, old: str, new: str) -> Callable[[Path], set[str]]:
    def change(root: Path) -> set[str]:
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, (rel, old)
        return write(root, rel, text.replace(old, new, 1))

    change.__name__ = f"{rel}: {old!r} -> {new!r}"
    return change


def add(rel: str, text: str) -> Callable[[Path], set[str]]:
    def change(root: Path) -> set[str]:
        return write(root, rel, text)

    change.__name__ = f"add {rel}"
    return change


def remove(rel: str) -> Callable[[Path], set[str]]:
    def change(root: Path) -> set[str]:
        (root / rel).unlink()
        return {rel}

    change.__name__ = f"remove {rel}"
    return change


EDITS: list[Callable[[Path], set[str]]] = [
    edit("people/Ann.md", "cadence: 30d", "cadence: 3d"),
    edit("people/Ann.md", "cadence: 30d", "cadence: 300d"),
    edit("people/Hal.md", "cadence: monthly", "cadence: weekly"),
    edit("people/Ann.md", "birthday: 1990-12-01", "birthday: 1990-12-25"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate]\nbirthday: --11-27"),
    edit("people/Cy.md", "snooze_until: 2026-12-01", "snooze_until: 2026-11-01"),
    edit("people/Bob.md", "cadence: weekly", "cadence: weekly\nsnooze_until: 2027-01-01"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate]\nsnooze_until: 2026-12-31"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate]\ncadence: 30d"),  # due: no longer drifting
    edit("people/Bob.md", "relationship: [mentee]", "relationship: [mentor]"),
    edit("people/Ann.md", "relationship: [mentor]", "relationship: [friend]"),
    edit("people/Ann.md", "since: 2025-01-01", "since: 2026-11-01"),
    edit("people/Dee.md", "offers: [raise a seed round]", "offers: [knitting]"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate]\noffers: [seed round coaching]"),
    edit("people/Bob.md", '"python mentoring help"', '"mentoring in python"'),
    edit("people/Dee.md", "last_contact: 2026-01-10", "last_contact: 2026-11-24"),
    edit("people/Ann.md", "cadence: 30d", "cadence: 30d\nlast_contact: 2026-11-24"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate]\nlast_contact: 2026-11-01"),
    edit("people/Ann.md", "org: Acme", "org: Beta"),
    edit("people/Fay.md", "tags: [climate]", "tags: [climate, python]"),
    edit("people/Gus.md", "2026-11-10", "2026-09-10"),
    edit("people/Ann.md", "📅 2026-11-20", "📅 2026-12-20"),
    edit("people/Ann.md", "- [ ] send", "- [x] send"),
    edit("people/Ann.md", "the deck", "the new deck"),
    edit("people/Bob.md", "call [[Bob]]", "call [[Bob]] and [[Cy]]"),
    edit("interactions/2026-11-01 Ann.md", "- [ ] send the notes", "- [x] send the notes"),
    edit("interactions/2026-11-01 Ann.md", "📅 2026-11-22", "📅 2027-01-22"),
    edit("interactions/2026-11-01 Ann.md", "follow_up: 2026-11-20", "follow_up: 2026-11-30"),
    edit("interactions/2026-11-01 Ann.md", "follow_up: 2026-11-20", "follow_up: 2026-12-30"),
    edit("interactions/2026-11-12 Bob.md", "follow_up: 2026-11-30", "follow_up: 2026-11-13"),
    edit("interactions/2026-11-12 Bob.md", "date: 2026-11-12", "date: 2026-11-24"),
    edit("interactions/2026-11-12 Bob.md", '"[[Bob]]"', '"[[Bob]]", "[[Ann]]"'),
    edit("interactions/2026-03-01 Fay.md", "date: 2026-03-01", "date: 2026-11-20"),
    edit("interactions/2026-10-01 Bob.md", "gave: [code review]", "received: [code review]"),
    edit("interactions/2026-10-01 Bob.md", "gave: [code review]", "kind: call"),
    edit("interactions/2026-01-15 Fay.md", "date: 2026-01-15", "date: 2026-01-15\ngave: [a lift]"),
    edit("interactions/2026-12-01 plan.md", "follow_up: 2026-11-26", "follow_up: 2026-11-27"),
    edit("interactions/2026-12-01 plan.md", "date: 2026-12-01", "date: 2027-01-05"),
    edit("interactions/2026-11-10 Dee.md", "received: [intro to an investor]", "gave: [a book]"),
    edit("interactions/2026-11-05 intro.md", '"[[Cy]]"', '"[[Cy]]", "[[Dee]]"'),
    edit(
        "interactions/2026-11-10 Dee.md", "date: 2026-11-10", "date: 2026-11-10\nshared: ['[[Deck guide]]']"
    ),
    edit("events/Meetup.md", "'[[Gus]]'", "'[[Gus]]', '[[Hal]]'"),
    edit("daily/2026-11-18.md", "[[Cy]]", "[[Cy]] and [[Fay]]"),
    edit("vaultkit.toml", '"hiring advice"', '"climate hiring"'),
    edit("people/Sam.md", "tags: [me]", "tags: [me]\nneeds: [python mentoring]"),
    add("interactions/2026-11-24 Fay.md", interaction("2026-11-24", "Fay", "Gus")),
    add("people/Ivy.md", "---\ncadence: 7d\n---\n"),
    remove("interactions/2026-02-15 Fay.md"),
    edit(
        "people/Gus.md",
        "---\n",
        "---\n",
    ),  # saved unchanged
]


def pages(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "Agenda").glob("*.md"))}


def reports(vault: Vault, today: dt.date, shared: Insights) -> dict[str, object]:
    """Every carried answer, whole (the pages show only their first rows)."""
    return {
        "agenda": compute_agenda(vault, today, shared),
        "mentorship": mentorship(vault, today, shared),
        "network": network(vault, today, shared=shared),
        "network-short": network(vault, today, top=2, closest=3, shared=shared),
        "network-parts": network_parts(shared),
        "giving": giving_top(vault, today, 30, 20, shared),
        "giving-parts": giving_parts(shared),
        "giving-short": giving_top(vault, today, 1, 1, shared),
        "warmth": shared.warmth,
        "contacts": shared.contacts,
        "me": shared.me,
        "intros": shared.intros,
    }


def network_parts(shared: Insights) -> object:
    parts = shared.__dict__["carry_network"]
    per_month, this_year = parts.per_month
    return (parts.labels, dict(per_month), this_year, parts.near)  # a Counter's == ignores zero counts


def giving_parts(shared: Insights) -> object:
    head = shared.__dict__["carry_giving_top"]
    return (head.helping, +head.helped)  # counted again, people with no help are not counted at all


def check(root: Path, result: BuildResult, today: dt.date, previous: Insights | None) -> None:
    """The watch's pages are a whole build's; every report from `previous` equals one from nothing."""
    assert result.loaded is not None
    vault = result.loaded.vault
    if previous is not None:
        assert reports(vault, today, Insights(vault, today, previous)) == reports(
            vault, today, Insights(vault, today)
        )
        assert compute_agenda(vault, today, Insights(vault, today, previous)) == compute_agenda(vault, today)
    got = pages(root)
    full = build(root, today, use_stamp=False)
    assert full.written == (), f"the watch left {full.written} stale"
    assert pages(root) == got


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", VAULT)


def insights(result: BuildResult) -> Insights:
    assert result.insights is not None
    return result.insights


@pytest.mark.parametrize("change", EDITS, ids=lambda c: c.__name__)
def test_one_edit_gives_a_fresh_builds_answers(root: Path, change: Callable[[Path], set[str]]) -> None:
    live = LiveVault(root)
    first = live.build(TODAY)
    check(root, first, TODAY, None)
    second = live.build(TODAY, change(root))
    check(root, second, TODAY, insights(first))
    third = live.build(TODAY, change(root) if change.__name__.startswith("add") else set())
    check(root, third, TODAY, insights(second))


@pytest.mark.parametrize("change", EDITS[::3], ids=lambda c: c.__name__)
def test_an_edit_and_midnight(root: Path, change: Callable[[Path], set[str]]) -> None:
    live = LiveVault(root)
    first = live.build(TODAY)
    tomorrow = TODAY + dt.timedelta(days=1)
    second = live.build(tomorrow, change(root))
    check(root, second, tomorrow, insights(first))
    third = live.build(tomorrow + dt.timedelta(days=6), set())
    check(root, third, tomorrow + dt.timedelta(days=6), insights(second))


@pytest.mark.parametrize("seed", range(4))
def test_a_random_sequence_of_edits_and_days(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    root = write_vault(tmp_path / "vault", VAULT)
    live = LiveVault(root)
    today = TODAY
    previous = live.build(today)
    for _ in range(12):
        change = rng.choice(EDITS)
        try:
            paths = change(root)
        except (AssertionError, FileNotFoundError):  # already made, or already removed
            continue
        if rng.random() < 0.25:
            today += dt.timedelta(days=rng.choice([1, 3, -1]))
        result = live.build(today, paths)
        check(root, result, today, insights(previous))
        previous = result


def test_a_person_edit_carries_the_other_answers_over(root: Path) -> None:
    live = LiveVault(root)
    first = live.build(TODAY)
    second = live.build(TODAY, edit("people/Hal.md", "cadence: monthly", "cadence: weekly")(root))
    old, new = insights(first), insights(second)
    assert new.changed == frozenset({"people/Hal.md"})
    assert new.promised is old.promised and new.birthdays is old.birthdays
    assert new.__dict__["carry_giving_top"] is old.__dict__["carry_giving_top"]
    network_parts = new.__dict__["carry_network"]
    assert network_parts.labels is old.__dict__["carry_network"].labels
    assert network_parts.per_month is old.__dict__["carry_network"].per_month
    assert new.follow_ups != old.follow_ups  # Hal's cadence


def test_a_follow_up_closed_by_a_contact_is_dropped(root: Path) -> None:
    live = LiveVault(root)
    first = live.build(TODAY)
    assert any(p.path == "interactions/2026-11-01 Ann.md" for p in insights(first).promised.all)
    second = live.build(
        TODAY, edit("people/Ann.md", "cadence: 30d", "cadence: 30d\nlast_contact: 2026-11-24")(root)
    )
    check(root, second, TODAY, insights(first))
    kinds = {(p.path, p.kind) for p in insights(second).promised.all}
    assert ("interactions/2026-11-01 Ann.md", "follow_up") not in kinds


SEQUENCES: dict[str, list[Callable[[Path], set[str]]]] = {
    "a follow-up made again, then closed": [
        edit("interactions/2026-11-12 Bob.md", "---\n\n", "---\nSee you soon.\n"),
        edit("people/Bob.md", "cadence: weekly", "cadence: weekly\nlast_contact: 2026-11-20"),
        edit("people/Bob.md", "last_contact: 2026-11-20", "last_contact: 2026-11-02"),
    ],
    "a closed follow-up added, then opened": [
        add(
            "interactions/2026-11-02 Bob.md",
            interaction("2026-11-02", "Bob", extra="follow_up: 2026-11-20\n"),
        ),
        edit("interactions/2026-11-12 Bob.md", "date: 2026-11-12", "date: 2026-10-12"),
        edit("interactions/2026-10-01 Bob.md", "date: 2026-10-01", "date: 2026-11-21"),
        remove("interactions/2026-11-02 Bob.md"),
    ],
    "a closed follow-up made again, then opened": [
        edit("interactions/2026-02-01 Fay.md", "---\ndate:", "---\nkind: call\ndate:"),
        edit("interactions/2026-02-15 Fay.md", "date: 2026-02-15", "date: 2026-01-20"),
        edit("interactions/2026-03-01 Fay.md", "date: 2026-03-01", "date: 2026-01-25"),
    ],
    "tasks moved between notes": [
        edit("people/Ann.md", "- [ ] send", "- [ ] ask [[Bob]] about it 📅 2026-11-21\n- [ ] send"),
        edit("people/Bob.md", "about the job", "about the job\n- [ ] thank [[Ann]] 📅 2026-11-01"),
        edit("people/Ann.md", "- [ ] ask [[Bob]] about it 📅 2026-11-21\n", ""),
        edit("interactions/2026-11-01 Ann.md", "📅 2026-11-22", "📅 2026-11-20"),
    ],
}


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=list(SEQUENCES))
def test_a_sequence_of_edits(root: Path, steps: list[Callable[[Path], set[str]]]) -> None:
    live = LiveVault(root)
    previous = live.build(TODAY)
    for step in steps:
        result = live.build(TODAY, step(root))
        check(root, result, TODAY, insights(previous))
        previous = result


def test_the_example_vault_through_edits(tmp_path: Path) -> None:
    root = tmp_path / "example-vault"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".vaultkit", "Agenda"))
    live = LiveVault(root)
    previous = live.build(TODAY)
    people = sorted((root / "people").glob("*.md"))
    for n, person in enumerate(people[:: max(1, len(people) // 6)]):
        rel = person.relative_to(root).as_posix()
        text = person.read_text(encoding="utf-8")
        changed = write(
            root, rel, text.replace("---\n", f"---\nlast_contact: 2026-11-{10 + n}\ncadence: 9d\n", 1)
        )
        result = live.build(TODAY, changed)
        check(root, result, TODAY, insights(previous))
        previous = result


def test_a_new_me_setting_with_the_same_records(root: Path) -> None:
    """The watch reads everything again when the config changes; the insights do not count on it."""
    first = LiveVault(root).build(TODAY)
    assert first.loaded is not None
    vault = first.loaded.vault
    for me in (
        Me("Sam", ("knitting", "raise a seed round"), vault.me.offers),
        Me("Sam", vault.me.goals, ("hiring advice",)),
        Me("Bob", vault.me.goals, vault.me.offers),
        Me("", vault.me.goals, vault.me.offers),
    ):
        other = dataclasses.replace(vault, me=me)
        carried = Insights(other, TODAY, insights(first))
        assert carried.changed == frozenset()
        assert reports(other, TODAY, carried) == reports(other, TODAY, Insights(other, TODAY))


def test_promises_merge_like_one_stable_sort() -> None:
    rng = random.Random(5)
    day = dt.date(2026, 11, 1)

    def promise(kind: str) -> Promise:
        due = day + dt.timedelta(days=rng.randrange(3))
        line = rng.choice([None, 1, 2]) if kind == "follow_up" else rng.choice([1, 2])
        return Promise(str(rng.random()), due, (), rng.choice(["a.md", "b.md"]), line, kind)

    for _ in range(50):
        tasks = sorted((promise("task") for _ in range(rng.randrange(8))), key=promise_order)
        kept = sorted((promise("follow_up") for _ in range(rng.randrange(5))), key=promise_order)
        part = TaskPart(tasks, [promise_order(p) for p in tasks])
        assert _merged(part, kept) == tuple(sorted(tasks + kept, key=promise_order))


# --- the helpers ----------------------------------------------------------------------------------------


def test_changed_people_finds_new_records_and_touches() -> None:
    ann, bob = Person("people/Ann.md", "Ann"), Person("people/Bob.md", "Bob")
    touch = (Touch(TODAY, "interactions/x.md", "interaction"),)
    old = Vault(people={ann.path: ann, bob.path: bob}, touches={ann.path: touch})
    assert changed_people(old, old) == frozenset()
    bob2 = Person("people/Bob.md", "Bob")
    same_touch = (Touch(TODAY, "interactions/x.md", "interaction"),)
    new = Vault(people={ann.path: ann, bob.path: bob2}, touches={ann.path: same_touch, "people/X.md": touch})
    assert changed_people(old, new) == frozenset({"people/Bob.md", "people/Ann.md", "people/X.md"})
    assert changed_people(new, Vault(people=new.people)) == frozenset({"people/Ann.md", "people/X.md"})
    unsorted = Vault(people={bob.path: bob, ann.path: ann})
    assert changed_people(unsorted, unsorted) is None
    assert changed_people(old, Vault(people={ann.path: ann})) is None
    assert changed_people(old, Vault(people={ann.path: ann, "people/Cy.md": bob})) is None


def test_patch_sorted_keeps_the_order_and_the_object_when_nothing_changes() -> None:
    items = [("a", 1), ("b", 2), ("c", 3)]
    same = patch_sorted(items, {"x"}, [], lambda i: i[0], lambda i: i[1])
    assert same is items
    assert patch_sorted(items, {"b"}, [("b", 9), ("d", 0)], lambda i: i[0], lambda i: i[1]) == [
        ("d", 0),
        ("a", 1),
        ("c", 3),
        ("b", 9),
    ]


def test_changed_window_is_the_stretch_that_differs() -> None:
    a, b, c, d, e = (object() for _ in range(5))
    x, y = object(), object()
    assert changed_window((a, b, c), (a, b, c)) == (3, 3, 3)
    assert changed_window((a, b, c, d), (a, x, c, d)) == (1, 2, 2)
    assert changed_window((a, b, c, d), (a, b, x, y, c, d)) == (2, 2, 4)
    assert changed_window((a, b, c, d, e), (a, e)) == (1, 4, 1)
    assert changed_window((a, a, a), (a, a)) == (2, 3, 2)
    assert changed_window((), (x,)) == (0, 0, 1)
    assert changed_window((a, b, c, d), (a, d, c, b)) == (1, 4, 4)
