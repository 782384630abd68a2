"""The network at a glance: counts, who is on time, people by org and tag, busy months, who is drifting away,
and data for two Mermaid pictures (interactions per month; my closest people and their orgs).

Every list is capped (`top`), so a vault of 10,000 people still gives a page one can read.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, combinations, compress
from operator import attrgetter

from vaultkit.insights.carry_people import FEW_WINDOW
from vaultkit.insights.common import name_of
from vaultkit.insights.shared import Insights
from vaultkit.model import Person, Vault
from vaultkit.model.people import name_key
from vaultkit.values import add_months

TOP = 10
CLOSEST = 15
MONTHS = 12
BUSIEST = 3
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MERMAID_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "(": "#40;",
    ")": "#41;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    "&": "#amp;",
}


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    count: int
    path: str | None = None  # the note, when the label names one


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: str  # YYYY-MM
    count: int

    @property
    def label(self) -> str:
        return f"{_MONTH_NAMES[int(self.month[5:]) - 1]} {self.month[:4]}"


@dataclass(frozen=True, slots=True)
class LosingTouch:
    person: str
    why: str
    last_contact: dt.date


@dataclass(frozen=True, slots=True)
class Closest:
    person: str
    warmth: float
    org: str | None
    org_path: str | None


@dataclass(frozen=True, slots=True)
class Network:
    today: dt.date
    people: int
    orgs: int
    events: int
    interactions_this_year: int
    with_cadence: int  # people with a cadence who are not snoozed
    on_time: int
    by_org: tuple[Count, ...]
    by_tag: tuple[Count, ...]
    busiest_months: tuple[MonthCount, ...]
    monthly: tuple[MonthCount, ...]  # the last 12 months, oldest first
    losing_touch: tuple[LosingTouch, ...]
    closest: tuple[Closest, ...]
    closest_links: tuple[tuple[str, str], ...]  # acquainted pairs among the closest

    @property
    def on_time_share(self) -> float | None:
        return round(self.on_time / self.with_cadence, 3) if self.with_cadence else None


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _top(counter: Counter[str], labels: dict[str, tuple[str, str | None]], top: int) -> tuple[Count, ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], labels[kv[0]][0].casefold(), kv[0]))
    return tuple(Count(labels[k][0], n, labels[k][1]) for k, n in ranked[:top])


def _losing_touch(shared: Insights, top: int) -> list[LosingTouch]:
    found = [
        LosingTouch(
            d.person,
            f"silent for {d.silent_days} days, usually every {d.usual_gap_days} days",
            d.last_contact.date,
        )
        for d in shared.drifting[:top]
    ]
    for f in shared.follow_ups:
        if len(found) >= top:
            break
        if f.last_contact is not None and f.days_overdue:
            why = f"{f.days_overdue} days overdue (cadence {f.cadence})"
            found.append(LosingTouch(f.person, why, f.last_contact.date))
    return found[:top]


def _label_counts(
    vault: Vault, people: list[Person]
) -> tuple[Counter[str], Counter[str], dict[str, tuple[str, str | None]]]:
    """People per org (by path, else name) and per tag ("#tag"), and each key's label and org path; a key
    that is both an org's and a tag's gets the label met first."""
    # Counted at C speed: each (org, org_path) and each tag, then per key. A key's label is the first
    # person's with that key: the first of its (org, org_path) pairs counted.
    orgs = Counter(map(_ORG, people))
    org_count: Counter[str] = Counter()
    labels: dict[str, tuple[str, str | None]] = {}
    for (org, org_path), n in orgs.items():
        if org:
            key = org_path or name_key(org)
            org_count[key] += n
            if key not in labels:
                labels[key] = (name_of(vault, org_path) if org_path else org, org_path)
    if any(key.startswith("#") for key in org_count):  # could be a tag's key too: count person by person
        return _label_counts_in_order(vault, people)
    tags = Counter(chain.from_iterable(map(_TAGS, people)))
    tag_count = Counter({"#" + tag: n for tag, n in tags.items()})
    labels.update(("#" + tag, (tag, None)) for tag in tags)
    return org_count, tag_count, labels


def _label_counts_in_order(
    vault: Vault, people: list[Person]
) -> tuple[Counter[str], Counter[str], dict[str, tuple[str, str | None]]]:
    """`_label_counts`, one person at a time (orgs and tags then share keys)."""
    org_count: Counter[str] = Counter()
    tag_count: Counter[str] = Counter()
    labels: dict[str, tuple[str, str | None]] = {}
    for p in people:
        if p.org:
            key = p.org_path or name_key(p.org)
            org_count[key] += 1
            labels.setdefault(key, (name_of(vault, p.org_path) if p.org_path else p.org, p.org_path))
        for tag in p.tags:
            tag_count["#" + tag] += 1
            labels.setdefault("#" + tag, (tag, None))
    return org_count, tag_count, labels


def _per_month(vault: Vault, today: dt.date) -> tuple[Counter[str], int]:
    """Interactions on or before today per month (YYYY-MM), and how many of them are this year."""
    per_day = Counter(map(attrgetter("date"), vault.interactions))
    per_month: Counter[str] = Counter()
    this_year = 0
    for day, n in per_day.items():
        if day is None or day > today:
            continue
        per_month[_month(day)] += n
        if day.year == today.year:
            this_year += n
    return per_month, this_year


@dataclass(frozen=True, slots=True)
class _Parts:
    """What `network` computes over every person or interaction, for the next build to carry over."""

    me: str | None
    labels: tuple[Counter[str], Counter[str], dict[str, tuple[str, str | None]]]  # `_label_counts`
    per_month: tuple[Counter[str], int]  # `_per_month`
    near: list[Person]  # the `closest` warmest people
    closest: int


_ORG = attrgetter("org", "org_path")
_TAGS = attrgetter("tags")
_PATH = attrgetter("path")
_PARTS = "carry_network"  # where an Insights keeps its `_Parts`
_LABEL_FIELDS = ("name", "org", "org_path", "tags")


def _parts(vault: Vault, today: dt.date, closest: int, shared: Insights, people: list[Person]) -> _Parts:
    """`_Parts`, from the previous build's where their inputs are the same."""
    me, warm = shared.me, shared.warmth
    previous, changed = shared.previous, shared.changed
    old = previous.__dict__.get(_PARTS) if previous is not None else None
    if not isinstance(old, _Parts) or old.me != me or previous is None or changed is None:
        old = None
    labels = per_month = near = None
    if old is not None and previous is not None and changed is not None:
        before, now = previous.vault.people, vault.people
        get = attrgetter(*_LABEL_FIELDS)
        if all(get(before[p]) == get(now[p]) for p in changed if p in now):
            labels = old.labels
        if previous.today == today:
            per_month = _per_month_patched(old.per_month, shared, today)
            if old.closest == closest and changed.isdisjoint(p.path for p in old.near):
                # the warmest are the same but for changed people
                again = [now[p] for p in sorted(changed) if p in now and p != me and warm[p] > 0]
                near = _nearest([now[p.path] for p in old.near] + again, warm, closest)
    return _Parts(
        me,
        labels or _label_counts(vault, people),
        per_month or _per_month(vault, today),
        near if near is not None else _warmest(people, warm, closest),
        closest,
    )


def _per_month_patched(
    old: tuple[Counter[str], int], shared: Insights, today: dt.date
) -> tuple[Counter[str], int] | None:
    """`_per_month` of `shared`'s vault, from `old` (that of the previous build's, for the same day) when few
    interactions differ."""
    assert shared.previous is not None
    before, now = shared.previous.vault.interactions, shared.vault.interactions
    if before is now:
        return old
    lo, old_hi, new_hi = shared.window("interactions")
    if (old_hi - lo) + (new_hi - lo) > FEW_WINDOW:
        return None
    per_month, this_year = Counter(old[0]), old[1]
    for sign, items in ((-1, before[lo:old_hi]), (1, now[lo:new_hi])):
        for i in items:
            day = i.date
            if day is not None and day <= today:
                per_month[_month(day)] += sign
                this_year += sign * (day.year == today.year)
    for month in [m for m, n in per_month.items() if n <= 0]:
        del per_month[month]  # as if counted again: months with interactions only
    return per_month, this_year


def _nearest(people: Iterable[Person], warm: dict[str, float], closest: int) -> list[Person]:
    return heapq.nsmallest(closest, people, key=lambda p: (-warm[p.path], p.name.casefold(), p.path))


def _warmest(people: list[Person], warm: dict[str, float], closest: int) -> list[Person]:
    """`_nearest` of the people with some warmth: only those as warm as the `closest`-th warmest can be."""
    warmth = list(map(warm.__getitem__, map(_PATH, people)))
    if 0 < closest < len(warmth):
        floor = sorted(warmth, reverse=True)[closest - 1]  # the `closest`-th warmest's
        if floor > 0:
            return _nearest(compress(people, map(floor.__le__, warmth)), warm, closest)
    return _nearest(compress(people, map((0.0).__lt__, warmth)), warm, closest)


def network(
    vault: Vault,
    today: dt.date,
    top: int = TOP,
    closest: int = CLOSEST,
    shared: Insights | None = None,
) -> Network:
    shared = Insights.reuse(shared, vault, today)
    me = shared.me
    people = [p for path, p in vault.people.items() if path != me]
    parts = _parts(vault, today, closest, shared, people)
    shared.__dict__[_PARTS] = parts
    org_count, tag_count, labels = parts.labels
    snoozed = {p.path for p in people if p.snooze_until is not None and today < p.snooze_until}
    with_cadence = [p.path for p in people if p.cadence is not None and p.path not in snoozed]
    due = {f.person for f in shared.follow_ups}
    per_month, this_year = parts.per_month
    first = add_months(today.replace(day=1), -(MONTHS - 1))
    monthly = [_month(add_months(first, k)) for k in range(MONTHS)]
    busiest = sorted(per_month.items(), key=lambda kv: (-kv[1], kv[0]))[:BUSIEST]
    warm = shared.warmth
    near = parts.near
    known = shared.known
    links = [(a.path, b.path) for a, b in combinations(near, 2) if known.knows(a.path, b.path)]
    return Network(
        today=today,
        people=len(people),
        orgs=len(vault.orgs),
        events=len(vault.events),
        interactions_this_year=this_year,
        with_cadence=len(with_cadence),
        on_time=sum(1 for p in with_cadence if p not in due),
        by_org=_top(org_count, labels, top),
        by_tag=_top(tag_count, labels, top),
        busiest_months=tuple(MonthCount(m, n) for m, n in busiest),
        monthly=tuple(MonthCount(m, per_month.get(m, 0)) for m in monthly),
        losing_touch=tuple(_losing_touch(shared, top)),
        closest=tuple(Closest(p.path, warm[p.path], p.org, p.org_path) for p in near),
        closest_links=tuple(links),
    )


def mermaid_label(text: str) -> str:
    """A Mermaid node label, quoted: characters that could end it or start markup become entity codes."""
    flat = " ".join(text.split())
    return '"' + "".join(_MERMAID_ESCAPES.get(c, c) for c in flat) + '"'


def mermaid_monthly(report: Network) -> str:
    """A Mermaid `xychart-beta` bar chart of interactions per month (the last 12 months)."""
    counts = [m.count for m in report.monthly]
    labels = ", ".join(mermaid_label(m.label) for m in report.monthly)
    return "\n".join(
        [
            "xychart-beta",
            '    title "Interactions per month"',
            f"    x-axis [{labels}]",
            f'    y-axis "Interactions" 0 --> {max([*counts, 1])}',
            f"    bar [{', '.join(str(n) for n in counts)}]",
        ]
    )


def mermaid_graph(vault: Vault, report: Network) -> str:
    """A Mermaid `graph` of my closest people, their orgs, and who among them knows whom ("" when empty)."""
    if not report.closest:
        return ""
    lines = ["graph LR"]
    ids: dict[str, str] = {}
    orgs: dict[str, str] = {}
    edges: list[str] = []
    for n, c in enumerate(report.closest, 1):
        ids[c.person] = f"p{n}"
        lines.append(f"    p{n}[{mermaid_label(name_of(vault, c.person))}]")
    for c in report.closest:
        if not c.org:
            continue
        key = c.org_path or name_key(c.org)
        if key not in orgs:
            orgs[key] = f"o{len(orgs) + 1}"
            shown = name_of(vault, c.org_path) if c.org_path else c.org
            lines.append(f"    {orgs[key]}{{{{{mermaid_label(shown)}}}}}")
        edges.append(f"    {ids[c.person]} --- {orgs[key]}")
    edges += [f"    {ids[a]} -.- {ids[b]}" for a, b in report.closest_links]
    return "\n".join(lines + edges)


def network_json(vault: Vault, report: Network) -> dict[str, object]:
    """The report as JSON-ready data; people by note name."""

    def counts(items: tuple[Count, ...]) -> list[dict[str, object]]:
        return [{"label": c.label, "count": c.count} for c in items]

    return {
        "people": report.people,
        "orgs": report.orgs,
        "events": report.events,
        "interactions_this_year": report.interactions_this_year,
        "with_cadence": report.with_cadence,
        "on_time": report.on_time,
        "on_time_share": report.on_time_share,
        "by_org": counts(report.by_org),
        "by_tag": counts(report.by_tag),
        "busiest_months": [{"month": m.month, "count": m.count} for m in report.busiest_months],
        "monthly": [{"month": m.month, "count": m.count} for m in report.monthly],
        "losing_touch": [
            {"person": name_of(vault, x.person), "why": x.why, "last_contact": x.last_contact.isoformat()}
            for x in report.losing_touch
        ],
        "closest": [
            {"person": name_of(vault, c.person), "warmth": c.warmth, "org": c.org} for c in report.closest
        ],
    }
