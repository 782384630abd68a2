"""Sharing work between the pages of one build gives the same answers as computing each page on its own.

Covers the per-build `Insights`, the contacts summary, `giving_top` (the page's head of `giving()`), the
`Linker`'s name counting and the renderer's compiled-template cache.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
import statistics
from pathlib import Path

import pytest

from tests.conftest import TODAY, VaultFactory
from vaultkit.insights.common import last_touch, touched_since
from vaultkit.insights.contacts import contacts_as_of
from vaultkit.insights.followups import Drifting, _median, compute_agenda, drifting, keep_in_touch
from vaultkit.insights.giving import giving
from vaultkit.insights.giving_top import giving_top
from vaultkit.insights.intros import intros
from vaultkit.insights.mentorship import mentorship
from vaultkit.insights.network import _label_counts, network
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import warmth, warmth_map
from vaultkit.load import load_vault
from vaultkit.model import Interaction, Person, Touch, Vault
from vaultkit.pages import PAGES, Linker, render_pages
from vaultkit.read.types import note_name, strip_md
from vaultkit.render import TemplateRenderError, render_page

EXAMPLE = Path(__file__).resolve().parents[1] / "example-vault"
DAYS = (TODAY, dt.date(2026, 6, 1), dt.date(2025, 12, 31), dt.date(2027, 3, 15))


@pytest.fixture(scope="module")
def example() -> Vault:
    return load_vault(EXAMPLE, use_cache=False).vault


# --- one Insights for every page: the same answers as none --------------------------------------------


@pytest.mark.parametrize("today", DAYS)
def test_shared_insights_give_the_same_reports(example: Vault, today: dt.date) -> None:
    shared = Insights(example, today)
    assert compute_agenda(example, today, shared) == compute_agenda(example, today)
    assert intros(example, today, shared=shared) == intros(example, today)
    assert mentorship(example, today, shared) == mentorship(example, today)
    assert giving(example, today, shared) == giving(example, today)
    assert network(example, today, shared=shared) == network(example, today)


def test_insights_made_for_another_day_or_vault_are_not_used(example: Vault) -> None:
    other_day = Insights(example, dt.date(2020, 1, 1))
    assert Insights.reuse(other_day, example, TODAY) is not other_day
    assert compute_agenda(example, TODAY, other_day) == compute_agenda(example, TODAY)
    assert network(example, TODAY, shared=Insights(Vault(), TODAY)) == network(example, TODAY)
    same = Insights(example, TODAY)
    assert Insights.reuse(same, example, TODAY) is same


def test_pages_with_and_without_shared_insights_match(example: Vault) -> None:
    link = Linker(list(example.people) + list(example.resources))
    shared = Insights(example, TODAY)
    for _page, (_template, builder) in PAGES.items():
        assert builder(example, TODAY, link, shared) == builder(example, TODAY, link)


# --- contacts, warmth and drifting from the summary: as scanning every touch ---------------------------


def _random_vault(rng: random.Random, people: int = 40, interactions: int = 400, days: int = 1200) -> Vault:
    """A vault from the model types: clashing names, undated and future interactions, repeated people."""
    paths = [f"people/P{n:02d}.md" for n in range(people)]
    names = {
        p: rng.choice(["Ann", "ann", "Bob", "Cy", "Dee", "Éve", "eve"]) + str(n % 7)
        for n, p in enumerate(paths)
    }
    everyone = {p: Person(p, names[p]) for p in paths}
    start = dt.date(2024, 1, 1)
    made: list[Interaction] = []
    for n in range(interactions):
        date = None if rng.random() < 0.05 else start + dt.timedelta(days=rng.randrange(days))
        with_ = tuple(rng.choice([*paths, "people/Nobody.md"]) for _ in range(rng.choice([1, 1, 2, 2, 3, 4])))
        kind = rng.choice(["coffee", "intro", "call", None])
        gave = tuple(
            rng.choice(["advice", "CV review", "a book", "advice"]) for _ in range(rng.choice([0, 0, 1, 2]))
        )
        received = tuple(rng.choice(["intro", "a lead", "lunch"]) for _ in range(rng.choice([0, 0, 0, 1, 2])))
        path = f"interactions/{rng.randrange(interactions * 3):05d}-{n}.md"
        made.append(Interaction(path, path, date, with_, kind, gave=gave, received=received))
    made.sort(key=lambda i: (i.date or dt.date.min, i.path))
    touches: dict[str, list[Touch]] = {}
    for i in made:
        if i.date is not None:
            for p in i.people:
                touches.setdefault(p, []).append(Touch(i.date, i.path, "interaction"))
    return Vault(
        people=everyone,
        interactions=tuple(made),
        touches={
            p: tuple(sorted(ts, key=lambda t: (t.date, t.source), reverse=True))
            for p, ts in sorted(touches.items())
        },
    )


def _drifting_by_scan(vault: Vault, today: dt.date, skip: set[str]) -> list[Drifting]:
    """The rule as first written: every person's distinct contact days, their median gap."""
    found = []
    for path in vault.people:
        person = vault.people[path]
        if path in skip or (person.snooze_until is not None and today < person.snooze_until):
            continue
        days = sorted({t.date for t in vault.touches.get(path, ()) if t.date <= today})
        if len(days) < 4:
            continue
        usual = statistics.median([(b - a).days for a, b in itertools.pairwise(days)])
        silent = (today - days[-1]).days
        if silent > 2.0 * usual and silent >= 14:
            touch = last_touch(vault, path, today)
            assert touch is not None
            found.append(Drifting(path, touch, round(usual), silent))
    return sorted(
        found, key=lambda d: (-d.silent_days / max(d.usual_gap_days, 1), vault.people[d.person].name)
    )


@pytest.mark.parametrize("seed", range(6))
def test_contacts_summary_answers_like_a_scan(seed: int) -> None:
    rng = random.Random(seed)
    vault = _random_vault(rng)
    for today in (dt.date(2024, 3, 1), dt.date(2025, 6, 15), dt.date(2027, 6, 1)):
        known = contacts_as_of(vault, today)
        for path in [*vault.people, "people/Nobody.md", "people/Unknown.md"]:
            assert known.last_touch(path) == last_touch(vault, path, today)
            for since in (today - dt.timedelta(days=d) for d in (0, 1, 13, 60, 400, 2000)):
                assert known.touched_since(path, since) == touched_since(vault, path, since, today)
        assert warmth_map(vault, today, known) == {p: warmth(vault, p, today) for p in vault.people}
        skip = {f.person for f in keep_in_touch(vault, today)} | set(rng.sample(sorted(vault.people), 5))
        assert drifting(vault, today, skip, known) == _drifting_by_scan(vault, today, skip)


def test_median_is_statistics_median() -> None:
    rng = random.Random(3)
    for size in range(1, 12):
        values = [rng.randrange(1, 90) for _ in range(size)]
        assert _median(values) == statistics.median(values)
        assert type(_median(values)) is type(statistics.median(values))


# --- giving_top: the head of giving() -----------------------------------------------------------------


def _assert_head_of_giving(vault: Vault, today: dt.date, rows: int, owed: int) -> None:
    full = giving(vault, today)
    top = giving_top(vault, today, rows, owed)
    assert top.reciprocity_count == len(full.reciprocity)
    assert [(r.person, r.given, r.received, r.latest) for r in top.reciprocity] == [
        (r.person, r.given, r.received, r.items[0]) for r in full.reciprocity[:rows]
    ]
    assert top.owe_back_count == len(full.owe_back)
    assert top.owe_back == full.owe_back[:owed]
    assert top.resources == full.resources


@pytest.mark.parametrize("seed", range(8))
def test_giving_top_is_the_head_of_giving(seed: int) -> None:
    vault = _random_vault(random.Random(seed))
    for today in (dt.date(2024, 2, 1), dt.date(2025, 6, 15), dt.date(2027, 6, 1)):
        for rows, owed in ((30, 20), (3, 2), (1000, 1000), (0, 0)):
            _assert_head_of_giving(vault, today, rows, owed)


@pytest.mark.parametrize("seed", range(4))
def test_giving_top_when_many_people_share_their_latest_day(seed: int) -> None:
    vault = _random_vault(random.Random(seed), people=30, interactions=300, days=12)
    for today in (dt.date(2024, 1, 3), dt.date(2024, 1, 8), dt.date(2024, 2, 1)):
        for rows, owed in ((1, 1), (2, 3), (5, 5), (29, 29)):
            _assert_head_of_giving(vault, today, rows, owed)


def test_giving_top_with_two_interactions_at_one_path_and_date() -> None:
    day = dt.date(2026, 5, 1)
    people = {p: Person(p, note_name(p)) for p in ("people/Ann.md", "people/Bob.md")}
    both = ("people/Ann.md", "people/Bob.md")
    twins = (
        Interaction("interactions/x.md", "x", day, both, "intro", received=("zebra",)),
        Interaction("interactions/x.md", "x", day, both, "coffee", received=("apple",)),
    )
    vault = Vault(people=people, interactions=twins)
    _assert_head_of_giving(vault, TODAY, 30, 20)


def test_giving_top_of_the_example_vault(example: Vault) -> None:
    for today in DAYS:
        _assert_head_of_giving(example, today, 30, 20)


# --- network: counts by org and tag -------------------------------------------------------------------


@pytest.mark.parametrize("org_first", [True, False])
def test_an_org_keyed_like_a_tag_is_labelled_as_before(org_first: bool) -> None:
    org = Person("people/A.md", "A", org="#Design")
    tagged = Person("people/B.md", "B", tags=("design", "ux"))
    people = [org, tagged] if org_first else [tagged, org]
    vault = Vault(people={p.path: p for p in people})
    orgs, tags, labels = _label_counts(vault, people)
    assert orgs == {"#design": 1} and tags == {"#design": 1, "#ux": 1}
    assert labels == {"#design": ("#Design" if org_first else "design", None), "#ux": ("ux", None)}
    plain = [Person("people/C.md", "C", org="Acme", tags=("design",)), tagged]
    assert _label_counts(vault, plain) == (
        {"acme": 1},
        {"#design": 2, "#ux": 1},
        {"acme": ("Acme", None), "#design": ("design", None), "#ux": ("ux", None)},
    )


# --- Linker -------------------------------------------------------------------------------------------

TRICKY = [
    "people/Ann.md",
    "notes/ann.MD",
    "x/Ann",
    "a/Straße.md",
    "b/STRASSE.md",
    "c/report.md.md",
    "d/report.md",
    "e/Report.Md",
    "f/İstanbul.md",
    "g/i̇stanbul.md",
    "h/.md",
    "i/Only.md",
    "j/K.md",
    "k/\u212a.md",  # Kelvin sign: folds to "k"
]


def test_linker_counts_names_like_note_name() -> None:
    for n in range(len(TRICKY) + 1):
        paths = TRICKY[:n] + TRICKY[n + 1 :]
        link = Linker(paths)
        counts: dict[str, int] = {}
        for p in paths:
            counts[note_name(p).casefold()] = counts.get(note_name(p).casefold(), 0) + 1
        for p in TRICKY:
            name = note_name(p)
            expected = name if counts.get(name.casefold(), 0) <= 1 else strip_md(p)
            assert link.target(p) == expected, (p, paths)
            assert link.ref(p) == {"target": expected, "name": name}


def test_linker_refs_are_new_dicts_and_follow_the_paths_given() -> None:
    one = Linker(["a/Ann.md"])
    ref = one.ref("a/Ann.md")
    ref["name"] = "changed"
    assert one.ref("a/Ann.md") == {"target": "Ann", "name": "Ann"}
    assert Linker(["a/Ann.md", "b/Ann.md"]).target("a/Ann.md") == "a/Ann"
    assert Linker(["a/Ann.md"]).target("a/Ann.md") == "Ann"


# --- the renderer's compiled-template cache -----------------------------------------------------------


def _override(root: Path, source: str, name: str = "pages/Network.md.j2") -> None:
    path = root / ".vaultkit" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def test_an_edited_override_renders_its_new_text(make_vault: VaultFactory) -> None:
    root = make_vault({"people/Ann.md": "---\ntype: person\n---\n"})
    _override(root, "one {{ today }}\n")
    assert render_page("pages/Network.md.j2", {"today": "x"}, root) == "one x\n"
    _override(root, "two {{ today }}\n")
    assert render_page("pages/Network.md.j2", {"today": "x"}, root) == "two x\n"
    _override(root, "one {{ today }}\n")
    assert render_page("pages/Network.md.j2", {"today": "y"}, root) == "one y\n"


def test_a_cached_template_still_reports_its_own_file_and_line(tmp_path: Path) -> None:
    roots = [tmp_path / "a", tmp_path / "b"]
    for root in roots:
        root.mkdir()
        _override(root, "fine\n{{ missing.name }}\n")
    for root in [*roots, *roots]:
        with pytest.raises(TemplateRenderError) as caught:
            render_page("pages/Network.md.j2", {}, root)
        assert (caught.value.template, caught.value.line) == (".vaultkit/templates/pages/Network.md.j2", 2)
    shutil.rmtree(roots[0] / ".vaultkit")
    assert render_page("pages/Network.md.j2", _network_context(), roots[0]).startswith("# Network")


def _network_context() -> dict[str, object]:
    vault = Vault()
    link = Linker([])
    return {**PAGES["Network.md"][1](vault, TODAY, link), "problem_count": 0}


def test_dict_rows_read_like_jinja(tmp_path: Path) -> None:
    _override(
        tmp_path, "{{ row.name }} {{ row['items'] }} {{ row.items is callable }} {{ row.get('name') }}\n"
    )
    row = {"name": "Ann", "items": "a key"}
    assert render_page("pages/Network.md.j2", {"row": row}, tmp_path) == "Ann a key True Ann\n"
    _override(tmp_path, "{{ row.missing }}\n")
    with pytest.raises(TemplateRenderError, match="has no attribute 'missing'"):
        render_page("pages/Network.md.j2", {"row": row}, tmp_path)
    _override(tmp_path, "{{ row.__class__ }}\n")
    with pytest.raises(TemplateRenderError):
        render_page("pages/Network.md.j2", {"row": row}, tmp_path)


def test_render_pages_twice_gives_the_same_pages(example: Vault) -> None:
    paths = [*example.people, *example.resources, *example.orgs, *example.events]
    first = render_pages(example, TODAY, None, paths, "Agenda", {"problem_count": 0})
    again = render_pages(example, TODAY, None, list(paths), "Agenda", {"problem_count": 0})
    assert first == again and not first.errors
