"""Benchmark: intro suggestions on a generated vault of 10,000 people (model objects in memory, no files).

Run: .venv/bin/python benchmarks/bench_intros.py [PEOPLE]
Prints the time of each step (best of 3) and how many suggestions came out.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar

from vaultkit.config import Me
from vaultkit.insights.acquainted import acquaintance
from vaultkit.insights.intros import intro_check_ins, suggest_intros
from vaultkit.insights.warmth import warmth_map
from vaultkit.model import Event, Interaction, Person, Touch, Vault
from vaultkit.values import Cadence

T = TypeVar("T")
TODAY = dt.date(2026, 11, 25)
SECTORS = [
    "climate", "fintech", "health", "edtech", "ai", "logistics", "retail", "energy", "biotech", "gaming",
    "security", "mobility",
]  # fmt: skip
SKILLS = [
    "python", "design", "marketing", "sales", "leadership", "data", "ml", "devops", "ux", "product",
    "community", "writing", "hiring",
]  # fmt: skip
ROLES = [
    "product designer", "backend engineer", "data scientist", "frontend developer", "engineering manager",
    "technical cofounder", "growth marketer", "sales lead", "recruiter", "lawyer", "accountant",
    "ux researcher",
]  # fmt: skip
MODIFIERS = ["", "", "senior", "freelance", "part-time", "lead", "junior"]
CITIES = [f"City {n}" for n in range(25)]
KINDS = ["coffee", "call", "meeting", "email", "message", "intro", "help"]


def _need(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        role = rng.choice(ROLES)
        return f"{rng.choice(MODIFIERS)} {role}{'s' if rng.random() < 0.2 else ''}".strip()
    if roll < 0.7:
        return f"intros to {rng.choice(SECTORS)} investors"
    if roll < 0.85:
        return f"customers in {rng.choice(SECTORS)}"
    return f"advice on {rng.choice(SKILLS)}"


def _offer(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"{rng.choice(MODIFIERS)} {rng.choice(ROLES)}".strip()
    if roll < 0.6:
        return f"{rng.choice(SECTORS)} investor intros"
    if roll < 0.8:
        return f"{rng.choice(SKILLS)} mentoring"
    return f"{rng.choice(SKILLS)} advice"


def generate(n: int, seed: int = 42) -> Vault:
    rng = random.Random(seed)
    people: dict[str, Person] = {}
    for k in range(n):
        path = f"people/Person {k:05d}.md"
        people[path] = Person(
            path=path,
            name=f"Person {k:05d}",
            org=f"Org {rng.randrange(n // 10 or 1)}",
            location=rng.choice(CITIES),
            tags=tuple(dict.fromkeys(rng.sample(SECTORS, 1) + rng.sample(SKILLS, rng.randint(1, 3)))),
            cadence=Cadence(months=rng.choice([1, 3, 6])) if rng.random() < 0.3 else None,
            needs=tuple(_need(rng) for _ in range(rng.randint(0, 2))),
            offers=tuple(_offer(rng) for _ in range(rng.randint(0, 3))),
            links_to=tuple(f"people/Person {rng.randrange(n):05d}.md" for _ in range(rng.randint(0, 2))),
        )
    paths = sorted(people)
    interactions = []
    for k in range(3 * n):
        day = TODAY - dt.timedelta(days=rng.randrange(730))
        with_ = tuple(sorted(set(rng.sample(paths, rng.choice([1, 1, 1, 2, 3])))))
        interactions.append(Interaction(f"interactions/{k}.md", f"i{k}", day, with_, rng.choice(KINDS)))
    interactions.sort(key=lambda i: (i.date or dt.date.min, i.path))
    events = {}
    for k in range(n // 100):
        path = f"events/Event {k}.md"
        attendees = tuple(sorted(rng.sample(paths, rng.randint(20, 80))))
        events[path] = Event(
            path, f"Event {k}", TODAY - dt.timedelta(days=rng.randrange(730)), attendees=attendees
        )
    touches: dict[str, list[Touch]] = defaultdict(list)
    for i in interactions:
        for p in i.people:
            touches[p].append(Touch(i.date or TODAY, i.path, "interaction"))
    return Vault(
        people=people,
        interactions=tuple(interactions),
        events=events,
        touches={
            p: tuple(sorted(ts, key=lambda t: (t.date, t.source), reverse=True)) for p, ts in touches.items()
        },
        me=Me(name="Me", goals=("become an engineering manager",), offers=("python mentoring",)),
    )


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    best = float("inf")
    result: T
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    start = time.perf_counter()
    vault = generate(n)
    print(
        f"generated {n} people, {len(vault.interactions)} interactions in {time.perf_counter() - start:.2f} s"
    )
    for label, fn in (
        ("warmth of everyone", lambda: warmth_map(vault, TODAY)),
        ("who knows whom", lambda: acquaintance(vault)),
        ("intro check-ins", lambda: intro_check_ins(vault, TODAY)),
        ("suggest_intros (all)", lambda: suggest_intros(vault, TODAY)),
        ("suggest_intros --limit 20", lambda: suggest_intros(vault, TODAY, limit=20)),
        (
            "suggest_intros --for one",
            lambda: suggest_intros(vault, TODAY, for_person="people/Person 00042.md"),
        ),
    ):
        seconds, result = best_of(3, fn)
        size = len(result) if isinstance(result, list) else "-"
        print(f"{label:28} {seconds * 1000:8.1f} ms   results: {size}")


if __name__ == "__main__":
    main()
