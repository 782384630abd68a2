"""Introductions: pairs of people who would gain from knowing each other, and check-ins after intros I made.

Rules:

* A pair is suggested when one's `needs` meets the other's `offers` (either way; see matching.py) or when they
  share tags (interests, industries), or live in the same place (the weakest reason: it ranks last).
* Never two acquainted people (acquainted.py), never a pair an intro interaction has already named, never me.
* Warm contacts first: the score is the pair's relevance times 0.4 + 0.6 x their mean warmth, so an intro
  between people I am in touch with ranks higher.
* One person appears in at most CAP_PER_PERSON suggestions (except the person asked about with `for_person`).
* Candidates come from inverted indexes (needs -> offers, tags -> people). In a big group only the
  GROUP_TOP warmest people of each side are paired, so the work stays far from all n^2 pairs.
* Check-in: 14 to 28 days after an intro, unless either person has been in contact since.

In the watch, what a build worked out is kept for the next one while its inputs are unchanged: the people's
index (`intro_people`), the pairs already introduced, and the suggestions themselves (while warmth, who knows
whom and the index are unchanged too).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from vaultkit.insights.acquainted import Acquaintance, IntroMade, introduced_pairs, intros_made
from vaultkit.insights.carry import same_sequence
from vaultkit.insights.common import name_of
from vaultkit.insights.intro_people import IntroPeople, intro_people
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import WARM
from vaultkit.model import Interaction, Vault

CAP_PER_PERSON = 3
GROUP_TOP = 8
FOCUS_TOP = 50  # with `for_person`: the warmest 50 of each matching group
NEED_WEIGHT = 3.0
TAG_WEIGHT = 1.0
MAX_TAGS = 3
LOCATION_WEIGHT = 0.5
CHECK_IN_FROM_DAYS = 14
CHECK_IN_TO_DAYS = 28
RECENT_INTRO_DAYS = 90
_Args = tuple[str | None, int | None, int]  # suggest_intros's for_person, limit and cap
_SUGGESTED = "intro_suggestions"  # where `suggest_intros` keeps what it chose, by its arguments
_INTRODUCED = "intro_introduced"  # where `_introduced` keeps (intros, their pairs) on an Insights
_ROLE_ENDINGS = ("er", "or", "ist", "ant", "ent", "ian", "ee")
_DETERMINERS = frozenset({"a", "an", "the", "some", "any", "more", "my", "our", "their", "his", "her", "one"})


@dataclass(frozen=True, slots=True)
class Suggestion:
    a: str  # person paths; `a` sorts first by name
    b: str
    score: float
    reasons: tuple[str, ...]
    kinds: tuple[str, ...]  # "need-offer", "shared tags", "location"


@dataclass(frozen=True, slots=True)
class CheckIn:
    intro: str  # the intro interaction's path
    date: dt.date
    people: tuple[str, ...]
    days_ago: int


@dataclass(frozen=True, slots=True)
class Intros:
    today: dt.date
    suggestions: tuple[Suggestion, ...]
    check_ins: tuple[CheckIn, ...]
    recent: tuple[IntroMade, ...]  # intros made in the last RECENT_INTRO_DAYS days, newest first


def with_article(text: str) -> str:
    """Put "a" or "an" before a role ("a senior product designer"); plurals and mass nouns stay bare."""
    words = text.split()
    if not words:
        return text
    first, last = words[0].casefold(), words[-1].casefold()
    if first in _DETERMINERS or first[:1].isdigit() or not last.endswith(_ROLE_ENDINGS):
        return text
    return f"{'an' if first[:1] in 'aeiou' else 'a'} {text}"


class _Pairing:
    """What suggest_intros needs about everyone, computed once: the people's index (`IntroPeople`, which the
    watch carries from build to build) with this build's warmth, who knows whom and the intros made."""

    def __init__(self, vault: Vault, today: dt.date, shared: Insights | None = None) -> None:
        shared = Insights.reuse(shared, vault, today)
        self.vault = vault
        self.warm = shared.warmth
        self.known = shared.known
        self.introduced = _introduced(shared)
        people = self.people = intro_people(shared)
        self.names, self.sort_key = people.names, people.sort_key
        self.needs, self.offers, self.location = people.needs, people.offers, people.location
        self.tags, self.tag_sets = people.tags, people.tag_sets
        self.offer_index, self.need_index = people.offer_index, people.need_index
        self._top: dict[tuple[object, int], list[str]] = {}

    def top(self, key: object, owners: list[str], n: int = GROUP_TOP) -> list[str]:
        """The `n` warmest of a group (cached by the group's key)."""
        found = self._top.get((key, n))
        if found is None:
            warm = self.warm
            found = self._top[key, n] = heapq.nsmallest(n, owners, key=lambda p: (-warm[p], p))
        return found

    def candidates(self) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for words, needers in sorted(self.people.need_owners.items()):
            needing = self.top(("need", words), needers)
            for group in self.offer_index.groups(self.people.need_phrase[words]):
                offering = self.top(("offer", group), self.offer_index.owners(group))
                found.update(self._pairs(needing, offering))
        for tag, owners in sorted(self.people.tag_owners.items()):
            warmest = self.top(("tag", tag), owners)
            found.update(self._pairs(warmest, warmest))
        for place, owners in sorted(self.people.place_owners.items()):
            warmest = self.top(("place", place), owners)
            found.update(self._pairs(warmest, warmest))
        return found

    def candidates_for(self, focus: str) -> set[tuple[str, str]]:
        others: set[str] = set()
        for p in self.needs.get(focus, ()):
            for group in self.offer_index.groups(p):
                others.update(self.top(("offer", group), self.offer_index.owners(group), FOCUS_TOP))
        for p in self.offers.get(focus, ()):
            for group in self.need_index.groups(p):
                others.update(self.top(("needing", group), self.need_index.owners(group), FOCUS_TOP))
        for tag in self.tags.get(focus, {}):
            others.update(self.top(("tag", tag), self.people.tag_owners[tag], FOCUS_TOP))
        if focus in self.location:
            place = self.location[focus]
            others.update(self.top(("place", place), self.people.place_owners[place], FOCUS_TOP))
        return set(self._pairs([focus], sorted(others)))

    def _pairs(self, left: Iterable[str], right: list[str]) -> Iterable[tuple[str, str]]:
        for a in left:
            for b in right:
                if a != b:
                    yield (a, b) if self.sort_key[a] <= self.sort_key[b] else (b, a)

    def allowed(self, a: str, b: str) -> bool:
        return (
            a != b
            and a in self.needs
            and b in self.needs
            and not self.known.knows(a, b)
            and frozenset((a, b)) not in self.introduced
        )

    def score(self, a: str, b: str) -> float:
        """Relevance (needs met, shared tags, same place) times warmth; 0.0 when there is no reason."""
        needs = self.people.met_count(a, b) + self.people.met_count(b, a)
        tags = len(self.tag_sets[a] & self.tag_sets[b])
        relevance = NEED_WEIGHT * needs + TAG_WEIGHT * min(tags, MAX_TAGS)
        if self.people.same_place(a, b):
            relevance += LOCATION_WEIGHT
        if not relevance:
            return 0.0
        return round(relevance * (0.4 + 0.6 * (self.warm[a] + self.warm[b]) / 2), 2)

    def explain(self, a: str, b: str, score: float) -> Suggestion:
        reasons: list[str] = []
        kinds: list[str] = []
        for needer, offerer in ((a, b), (b, a)):
            for need, offer in self.people.met(needer, offerer):
                reasons.append(
                    f"{self.names[needer]} needs {with_article(need)}; {self.names[offerer]} offers {offer}"
                )
            if self.people.met(needer, offerer) and "need-offer" not in kinds:
                kinds.append("need-offer")
        shared = sorted(self.tag_sets[a] & self.tag_sets[b])
        if shared:
            reasons.append(f"both are into {_and([self.tags[a][t] for t in shared])}")
            kinds.append("shared tags")
        if self.people.same_place(a, b):
            reasons.append(f"both in {self.vault.people[a].location}")
            kinds.append("location")
        if self.warm[a] >= WARM and self.warm[b] >= WARM:
            reasons.append("you are in warm contact with both")
        return Suggestion(a, b, score, tuple(reasons), tuple(kinds))


def _introduced(shared: Insights) -> set[frozenset[str]]:
    """`introduced_pairs` of `shared`'s intros (read only): the previous build's when its intros name the same
    people, in the same order (kept on the Insights, as `intro_people` keeps its index)."""
    found: tuple[tuple[Interaction, ...], set[frozenset[str]]] | None = shared.__dict__.get(_INTRODUCED)
    if found is None:
        intros = shared.intros
        old = shared.previous.__dict__.get(_INTRODUCED) if shared.previous is not None else None
        if old is not None and same_sequence(old[0], intros, ("people",)):
            found = (intros, old[1])
        else:
            found = (intros, introduced_pairs(shared.vault, intros))
        shared.__dict__[_INTRODUCED] = found
    return found[1]


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def suggest_intros(
    vault: Vault,
    today: dt.date,
    *,
    for_person: str | None = None,
    limit: int | None = None,
    cap: int = CAP_PER_PERSON,
    shared: Insights | None = None,
) -> list[Suggestion]:
    """Intro suggestions, best first (score, then names). `for_person` (a path): only pairs including them."""
    shared = Insights.reuse(shared, vault, today)
    pairing = _Pairing(vault, today, shared)
    args = (for_person, limit, cap)
    made = _Suggested(args, pairing.people, pairing.known, pairing.introduced, pairing.warm)
    old = _suggested(shared.previous).get(args)
    if old is not None and old.same_inputs(made):
        made.chosen = old.chosen
    else:
        made.chosen = tuple(_suggest(pairing, for_person, limit, cap))
    shared.__dict__[_SUGGESTED] = {**_suggested(shared), args: made}
    return list(made.chosen)


def _suggested(shared: Insights | None) -> dict[_Args, _Suggested]:
    """What `suggest_intros` chose with `shared`, by its arguments."""
    if shared is None:
        return {}
    found: dict[_Args, _Suggested] = shared.__dict__.get(_SUGGESTED, {})
    return found


@dataclass(slots=True, eq=False)
class _Suggested:
    """What `suggest_intros` chose from what (kept on the Insights: the next build's if nothing changed).

    The choice depends only on these: the people's index (carried from build to build while the people are
    unchanged in what it reads), who knows whom, the intros made (both carried alike), and warmth (by value:
    it changes with the day and with every contact)."""

    args: _Args
    people: IntroPeople
    known: Acquaintance
    introduced: set[frozenset[str]]
    warm: dict[str, float]
    chosen: tuple[Suggestion, ...] = ()

    def same_inputs(self, other: _Suggested) -> bool:
        return (
            self.args == other.args
            and self.people is other.people
            and self.known is other.known
            and self.introduced is other.introduced
            and (self.warm is other.warm or self.warm == other.warm)
        )


def _suggest(pairing: _Pairing, for_person: str | None, limit: int | None, cap: int) -> list[Suggestion]:
    if for_person is not None:
        candidates = pairing.candidates_for(for_person) if for_person in pairing.needs else set()
    else:
        candidates = pairing.candidates()
    key = pairing.sort_key
    scored = [
        (-score, key[a], key[b])
        for a, b in candidates
        if pairing.allowed(a, b) and (score := pairing.score(a, b)) > 0
    ]
    scored.sort()
    seen: Counter[str] = Counter()
    chosen: list[Suggestion] = []
    for negative, (_, a), (_, b) in scored:
        if limit is not None and len(chosen) >= limit:
            break
        capped = [p for p in (a, b) if p != for_person]
        if any(seen[p] >= cap for p in capped):
            continue
        seen.update(capped)
        chosen.append(pairing.explain(a, b, -negative))
    return chosen


def intro_check_ins(vault: Vault, today: dt.date, shared: Insights | None = None) -> list[CheckIn]:
    """Intros made 14-28 days ago with no contact with either person since: "How did the intro go?"."""
    shared = Insights.reuse(shared, vault, today)
    touched_since = shared.contacts.touched_since
    found = []
    first, last = today - dt.timedelta(days=CHECK_IN_TO_DAYS), today - dt.timedelta(days=CHECK_IN_FROM_DAYS)
    for made in intros_made(vault, first, last, shared.intros):
        if made.date is None:
            continue
        days = (today - made.date).days
        if not CHECK_IN_FROM_DAYS <= days <= CHECK_IN_TO_DAYS:
            continue
        if any(touched_since(p, made.date) for p in made.people):
            continue
        found.append(CheckIn(made.path, made.date, made.people, days))
    return sorted(found, key=lambda c: (c.date, c.intro))


def intros(
    vault: Vault,
    today: dt.date,
    *,
    for_person: str | None = None,
    limit: int | None = None,
    shared: Insights | None = None,
) -> Intros:
    """Everything the Introductions page shows."""
    shared = Insights.reuse(shared, vault, today)
    start = today - dt.timedelta(days=RECENT_INTRO_DAYS)
    recent = intros_made(vault, start, today, shared.intros)
    return Intros(
        today,
        tuple(suggest_intros(vault, today, for_person=for_person, limit=limit, shared=shared)),
        tuple(intro_check_ins(vault, today, shared)),
        tuple(recent),
    )


def intros_json(vault: Vault, suggestions: Iterable[Suggestion]) -> list[dict[str, object]]:
    """Suggestions as JSON-ready objects `{a, b, score, reasons}`; people by note name, best first."""
    return [
        {"a": name_of(vault, s.a), "b": name_of(vault, s.b), "score": s.score, "reasons": list(s.reasons)}
        for s in suggestions
    ]


def check_ins_json(vault: Vault, check_ins: Iterable[CheckIn]) -> list[dict[str, object]]:
    return [
        {
            "intro": c.intro,
            "date": c.date.isoformat(),
            "people": [name_of(vault, p) for p in c.people],
            "days_ago": c.days_ago,
        }
        for c in check_ins
    ]
