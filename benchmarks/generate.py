"""Generate a realistic, deterministic vault (shared/vault-format.md) for the benchmarks.

Run: .venv/bin/python benchmarks/generate.py /tmp/vaultkit-bench/large --size large [--seed 7]

Sizes: small (2,000 notes), medium (20,000), large (111,500: 10,000 people and 100,000 interactions, plus
daily notes, orgs and events). The same size and seed always give the same files, byte for byte. The target
folder must not exist or be empty, and is never the repository itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, slots=True)
class Size:
    people: int
    interactions: int
    daily: int
    orgs: int
    events: int

    @property
    def total(self) -> int:
        return self.people + self.interactions + self.daily + self.orgs + self.events


SIZES = {
    "tiny": Size(people=40, interactions=150, daily=20, orgs=10, events=5),
    "small": Size(people=200, interactions=1_600, daily=150, orgs=30, events=20),
    "medium": Size(people=2_000, interactions=16_000, daily=1_500, orgs=300, events=200),
    "large": Size(people=10_000, interactions=100_000, daily=1_000, orgs=300, events=200),
}


def _split(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


FIRST = _split(
    "Ada Amara Ana Andre Bea Ben Carla Chen Dara Diego Elif Emma Farah Femi Gael Grace Hana Hugo Ines Ivan "
    "Jana Jonas Kai Kemal Lara Leo Lina Luca Maya Mei Nadia Nico Nora Omar Paula Priya Quinn Rafael Rosa Sam "
    "Sara Taro Theo Uma Vera Victor Wen Yara Yusuf Zoe"
)
LAST = _split(
    "Okafor Lopes Chen Novak Silva Ali Rossi Tanaka Kowalski Haddad Jensen Costa Moreau Ivanova Garcia "
    "Nguyen Schmidt Fischer Santos Mehta Kaya Petrov Dubois Larsen Bauer Romero Yilmaz Sato Abbas Keller "
    "Murphy Varga Horvat Lindqvist Ferreira Mendes Baptiste Osei Adeyemi Rahman Kim Park Wong Ortiz Reyes "
    "Cohen Levi Dias Pinto Marques"
)
SECTORS = _split("climate fintech health edtech ai logistics retail energy biotech gaming security mobility")
SKILLS = _split("python design marketing sales leadership data ml devops ux product community writing hiring")
ROLES = _split(
    "product designer|backend engineer|data scientist|frontend developer|engineering manager|"
    "technical cofounder|growth marketer|sales lead|recruiter|lawyer|accountant|ux researcher|CTO|"
    "VP Engineering|founder",
    "|",
)
CITIES = _split("Lisbon Porto London Berlin Paris Madrid Amsterdam Dublin Warsaw Prague Vienna Milan Oslo")
CADENCES = ("30d", "6w", "2w", "monthly", "quarterly", "yearly", "3m", "weekly", "none", "biweekly")
RELATIONSHIPS = ("mentor", "mentee", "peer", "colleague", "client", "friend", "family")
KINDS = ("coffee", "call", "meeting", "email", "message", "event", "intro", "help")
ORG_KINDS = ("company", "association", "community", "school")
WORDS = _split(
    "the a we they talked about pricing roadmap hiring team launch customers investors product design data "
    "pipeline migration budget quarter goals feedback deck demo pilot contract onboarding metrics churn "
    "growth retention seed round board advice intro follow next week plan idea market users feature release "
    "bug infra cost revenue partner grant conference talk workshop mentoring career promotion move city "
    "family holiday book podcast article climate energy batteries solar grid python rust sql dashboards "
    "reports"
)


def _sentence(rng: random.Random, extra: list[str] | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    if extra and rng.random() < 0.6:
        words.insert(rng.randrange(len(words)), rng.choice(extra))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: int, extra: list[str] | None = None) -> str:
    return " ".join(_sentence(rng, extra) for _ in range(sentences))


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' if ("[" in i or ":" in i or "," in i) else i for i in items) + "]"


class Generator:
    def __init__(self, size: Size, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.people = self._names(size.people)
        suffixes = ("Labs", "Ventures", "Data", "Guild", "Works")
        self.orgs = [f"{self.rng.choice(LAST)} {self.rng.choice(suffixes)} {k}" for k in range(size.orgs)]
        self.events = [
            f"{self.rng.choice(SECTORS).title()} Meetup {k} {2020 + k % 7}" for k in range(size.events)
        ]
        self.start, self.end = dt.date(2019, 1, 1), dt.date(2026, 11, 24)

    def _names(self, n: int) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < n:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name in seen:
                name = f"{name.split()[0]} {chr(65 + self.rng.randrange(26))}. {name.split()[1]}"
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def _link(self, name: str) -> str:
        return f"[[{name}]]"

    def _people_links(self, k: int) -> list[str]:
        return [self._link(p) for p in self.rng.sample(self.people, min(k, len(self.people)))]

    def person(self, k: int) -> tuple[str, str]:
        rng = self.rng
        name = self.people[k]
        first, last = name.split()[0], name.split()[-1]
        tags = rng.sample(SECTORS, 1) + rng.sample(SKILLS, rng.randint(1, 3))
        lines = ["---", "type: person"]
        if rng.random() < 0.5:
            lines.append(f"aliases: [{first[0]}. {last} {k}]")
        if self.orgs and rng.random() < 0.8:
            lines.append(f'org: "[[{rng.choice(self.orgs)}]]"')
        lines.append(f"role: {rng.choice(ROLES)}")
        lines.append(f"emails: [{first.lower()}.{last.lower()}{k}@example.com]")
        if rng.random() < 0.5:
            lines.append(f'phones: ["+351 912 {k % 1000:03d} {rng.randrange(1000):03d}"]')
        lines.append(f"linkedin: https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{k}")
        lines.append(f"location: {rng.choice(CITIES)}")
        lines.append(f"tags: {_yaml_list(tags)}")
        if rng.random() < 0.7:
            lines.append(f"cadence: {rng.choice(CADENCES)}")
        if rng.random() < 0.6:
            born = _date(rng, dt.date(1960, 1, 1), dt.date(2002, 12, 31))
            lines.append(f"birthday: {born.isoformat() if rng.random() < 0.7 else born.strftime('--%m-%d')}")
        if self.events and rng.random() < 0.4:
            lines.append(f'how_met: "[[{rng.choice(self.events)}]]"')
            lines.append(f"met_on: {_date(rng, self.start, self.end).isoformat()}")
        relationship = rng.sample(RELATIONSHIPS, rng.randint(0, 2))
        if relationship:
            lines.append(f"relationship: {_yaml_list(relationship)}")
        if "mentor" in relationship or "mentee" in relationship:
            lines.append("mentorship:")
            lines.append(f"  since: {_date(rng, self.start, self.end).isoformat()}")
            lines.append(f"  goals: [{rng.choice(SKILLS)} skills, {rng.choice(ROLES)} role]")
        if rng.random() < 0.6:
            offers = [f"{rng.choice(SKILLS)} advice" for _ in range(rng.randint(1, 3))]
            lines.append(f"offers: {_yaml_list(offers)}")
        if rng.random() < 0.4:
            lines.append(f"needs: [{rng.choice(ROLES)}]")
        if rng.random() < 0.1:
            lines.append("milestones:")
            lines.append(f"  - {{date: {_date(rng, self.start, self.end).isoformat()}, what: Promoted}}")
        lines.append("---")
        lines.append(_paragraph(rng, rng.randint(3, 7)))
        lines.append("")
        lines.append("## What they care about")
        for _ in range(rng.randint(2, 5)):
            lines.append(f"- {_sentence(rng, [f'#{rng.choice(SECTORS)}'])}")
        if rng.random() < 0.3:
            lines.append("")
            lines.append(f"Works closely with {self._link(rng.choice(self.people))}.")
        return f"people/{name}.md", "\n".join(lines) + "\n"

    def interaction(self, k: int) -> tuple[str, str]:
        rng = self.rng
        day = _date(rng, self.start, self.end)
        kind = rng.choice(KINDS)
        with_ = self._people_links(rng.choice((1, 1, 1, 2, 2, 3)))
        title = f"{day.isoformat()} {kind.title()} with {with_[0][2:-2]} {k}"
        lines = ["---", "type: interaction", f"date: {day.isoformat()}"]
        lines.append(f"with: [{', '.join(repr(w).replace(chr(39), chr(34)) for w in with_)}]")
        lines.append(f"kind: {kind}")
        if rng.random() < 0.2:
            lines.append(f"follow_up: {(day + dt.timedelta(days=rng.randint(3, 30))).isoformat()}")
        if rng.random() < 0.15:
            lines.append(f"gave: [feedback on {rng.choice(WORDS)} {rng.choice(WORDS)}]")
        if rng.random() < 0.1:
            lines.append(f"received: [intro to {rng.choice(self.orgs) if self.orgs else 'someone'}]")
        lines.append("---")
        mentions = [*with_, f"#{rng.choice(SECTORS)}"]
        for _ in range(rng.randint(2, 5)):
            lines.append(_paragraph(rng, rng.randint(3, 6), mentions))
            lines.append("")
        if rng.random() < 0.5:
            due = (day + dt.timedelta(days=rng.randint(1, 21))).isoformat()
            box = "x" if rng.random() < 0.6 else " "
            done = f" ✅ {due}" if box == "x" else ""
            lines.append(f"- [{box}] Send {with_[0]} the {rng.choice(WORDS)} notes 📅 {due}{done}")
        if rng.random() < 0.2:
            lines.append(f"- [ ] Ask about `{rng.choice(WORDS)}` next time")
        return f"interactions/{day.year}/{title}.md", "\n".join(lines) + "\n"

    def daily(self, day: dt.date) -> tuple[str, str]:
        rng = self.rng
        lines = [f"# {day.strftime('%A %d %B %Y')}", ""]
        for _ in range(rng.randint(1, 4)):
            lines.append(f"- {_sentence(rng, self._people_links(1))}")
        if rng.random() < 0.3:
            lines.append(f"- [ ] Call {self._link(rng.choice(self.people))} #followup")
        return f"daily/{day.isoformat()}.md", "\n".join(lines) + "\n"

    def org(self, k: int) -> tuple[str, str]:
        rng = self.rng
        lines = ["---", "type: org", f"kind: {rng.choice(ORG_KINDS)}"]
        if rng.random() < 0.3:
            lines.append("my_role: program committee")
        lines += [f"tags: [{rng.choice(SECTORS)}]", "---", _paragraph(rng, 2)]
        return f"orgs/{self.orgs[k]}.md", "\n".join(lines) + "\n"

    def event(self, k: int) -> tuple[str, str]:
        rng = self.rng
        day = _date(rng, self.start, self.end)
        attendees = self._people_links(rng.randint(2, 8))
        lines = ["---", "type: event", f"date: {day.isoformat()}", f"location: {rng.choice(CITIES)}"]
        if self.orgs:
            lines.append(f'org: "[[{rng.choice(self.orgs)}]]"')
        lines.append(f"attendees: [{', '.join(chr(34) + a + chr(34) for a in attendees)}]")
        lines += ["---", _paragraph(rng, 3)]
        return f"events/{self.events[k]}.md", "\n".join(lines) + "\n"

    def notes(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        makers: list[tuple[int, Callable[[int], tuple[str, str]]]] = [
            (self.size.people, self.person),
            (self.size.interactions, self.interaction),
            (self.size.orgs, self.org),
            (self.size.events, self.event),
        ]
        for count, make in makers:
            out.extend(make(k) for k in range(count))
        out.extend(self.daily(self.end - dt.timedelta(days=k)) for k in range(self.size.daily))
        return out


CONFIG = """[me]
name = "Sam Rivera"
goals = ["become an engineering manager", "raise a seed round"]
offers = ["python mentoring", "hiring advice"]
needs = ["senior product designer"]
"""


def generate(target: Path, size: Size, seed: int = 7) -> int:
    """Write the vault into `target` (created); returns the number of notes written."""
    notes = Generator(size, seed).notes()
    target.mkdir(parents=True, exist_ok=True)
    (target / "vaultkit.toml").write_text(CONFIG, encoding="utf-8")
    made: set[Path] = set()
    for rel, text in notes:
        path = target / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(text.encode("utf-8"))
    return len(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("target", type=Path, help="folder to create, e.g. /tmp/vaultkit-bench/large")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    target: Path = args.target.resolve()
    if target == REPO or REPO in target.parents:
        parser.error(f"{target} is inside the repository; pick a folder elsewhere, e.g. /tmp/vaultkit-bench")
    if target.exists() and any(target.iterdir()):
        parser.error(f"{target} exists and is not empty")
    count = generate(target, SIZES[args.size], args.seed)
    print(f"wrote {count:,} notes to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
