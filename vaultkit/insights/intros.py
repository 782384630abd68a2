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
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from vaultkit.insights.acquainted import IntroMade, introduced_pairs, intros_made
from vaultkit.insights.common import name_of
from vaultkit.insights.matching import Phrase, PhraseIndex, all_matches, phrase
from vaultkit.insights.shared import Insights
from vaultkit.insights.warmth import WARM
from vaultkit.model import Vault
from vaultkit.model.people import name_key

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
    """What suggest_intros needs about everyone, computed once."""

    def __init__(self, vault: Vault, today: dt.date, shared: Insights | None = None) -> None:
        shared = Insights.reuse(shared, vault, today)
        self.vault = vault
        self.warm = shared.warmth
        self.me = shared.me
        self.known = shared.known
        self.introduced = introduced_pairs(vault, shared.intros)
        self.names = {p: person.name for p, person in vault.people.items()}  # name_of, for people
        self.sort_key = {p: (n.casefold(), p) for p, n in self.names.items()}
        self.needs: dict[str, tuple[Phrase, ...]] = {}
        self.offers: dict[str, tuple[Phrase, ...]] = {}
        self.tags: dict[str, dict[str, str]] = {}  # normalised tag -> as written (shared: read only)
        self.tag_sets: dict[str, frozenset[str]] = {}
        self.location: dict[str, str] = {}
        self.offer_index = PhraseIndex()
        self.need_index = PhraseIndex()
        self.need_owners: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.need_phrase: dict[tuple[str, ...], Phrase] = {}
        self.place_owners: dict[str, list[str]] = defaultdict(list)
        self.tag_owners: dict[str, list[str]] = defaultdict(list)
        # people with the same needs (offers) share an id, so matching is done once per distinct pair of lists
        self.need_id: dict[str, int] = {}
        self.offer_id: dict[str, int] = {}
        self._index_people(vault)
        self._top: dict[tuple[object, int], list[str]] = {}
        self._met: dict[tuple[int, int], tuple[tuple[str, str], ...]] = {}
        # for scoring: each need's matching offer groups, and each person's offer groups
        self.need_meets: dict[str, frozenset[tuple[str, ...]]] = {}
        for ps in self.needs.values():
            for p in ps:
                if p.text not in self.need_meets:
                    self.need_meets[p.text] = frozenset(self.offer_index.groups(p))
        self.offer_groups = {path: frozenset(p.words for p in ps) for path, ps in self.offers.items()}

    def _index_people(self, vault: Vault) -> None:
        lists = _Lists()
        need_owners, need_phrase, tag_owners = self.need_owners, self.need_phrase, self.tag_owners
        add_offer, add_need = self.offer_index.add_phrase, self.need_index.add_phrase
        for path, person in vault.people.items():
            if path == self.me:
                continue
            needs, self.need_id[path] = lists.phrases(person.needs)
            offers, self.offer_id[path] = lists.phrases(person.offers)
            self.needs[path] = needs
            self.offers[path] = offers
            tags, self.tag_sets[path] = lists.tags(person.tags)
            self.tags[path] = tags
            for key in tags:
                tag_owners[key].append(path)
            if person.location:
                place = self.location[path] = lists.place(person.location)
                self.place_owners[place].append(path)
            for p in offers:
                add_offer(path, p)
            for p in needs:
                add_need(path, p)
                owners = need_owners[p.words]
                if not owners or owners[-1] != path:  # people come one at a time: only the last can be them
                    owners.append(path)
                if p.words not in need_phrase:
                    need_phrase[p.words] = p

    def top(self, key: object, owners: list[str], n: int = GROUP_TOP) -> list[str]:
        """The `n` warmest of a group (cached by the group's key)."""
        found = self._top.get((key, n))
        if found is None:
            warm = self.warm
            found = self._top[key, n] = heapq.nsmallest(n, owners, key=lambda p: (-warm[p], p))
        return found

    def candidates(self) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for words, needers in sorted(self.need_owners.items()):
            needing = self.top(("need", words), needers)
            for group in self.offer_index.groups(self.need_phrase[words]):
                offering = self.top(("offer", group), self.offer_index.owners(group))
                found.update(self._pairs(needing, offering))
        for tag, owners in sorted(self.tag_owners.items()):
            warmest = self.top(("tag", tag), owners)
            found.update(self._pairs(warmest, warmest))
        for place, owners in sorted(self.place_owners.items()):
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
            others.update(self.top(("tag", tag), self.tag_owners[tag], FOCUS_TOP))
        if focus in self.location:
            place = self.location[focus]
            others.update(self.top(("place", place), self.place_owners[place], FOCUS_TOP))
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

    def met(self, needer: str, offerer: str) -> tuple[tuple[str, str], ...]:
        """(need, offer) for each of `needer`'s needs that `offerer` offers (the offer sharing most words)."""
        key = (self.need_id[needer], self.offer_id[offerer])
        found = self._met.get(key)
        if found is None:
            best: dict[str, tuple[int, str]] = {}
            for m in all_matches(self.needs[needer], self.offers[offerer]):
                if m.left not in best or len(m.words) > best[m.left][0]:
                    best[m.left] = (len(m.words), m.right)
            found = self._met[key] = tuple((need, offer) for need, (_, offer) in best.items())
        return found

    def met_count(self, needer: str, offerer: str) -> int:
        """How many of `needer`'s needs `offerer` offers (what `met` lists, without building it)."""
        offers = self.offer_groups[offerer]
        return sum(1 for p in self.needs[needer] if not offers.isdisjoint(self.need_meets[p.text]))

    def same_place(self, a: str, b: str) -> bool:
        return a in self.location and self.location[a] == self.location.get(b)

    def score(self, a: str, b: str) -> float:
        """Relevance (needs met, shared tags, same place) times warmth; 0.0 when there is no reason."""
        needs = self.met_count(a, b) + self.met_count(b, a)
        tags = len(self.tag_sets[a] & self.tag_sets[b])
        relevance = NEED_WEIGHT * needs + TAG_WEIGHT * min(tags, MAX_TAGS)
        if self.same_place(a, b):
            relevance += LOCATION_WEIGHT
        if not relevance:
            return 0.0
        return round(relevance * (0.4 + 0.6 * (self.warm[a] + self.warm[b]) / 2), 2)

    def explain(self, a: str, b: str, score: float) -> Suggestion:
        reasons: list[str] = []
        kinds: list[str] = []
        for needer, offerer in ((a, b), (b, a)):
            for need, offer in self.met(needer, offerer):
                reasons.append(
                    f"{self.names[needer]} needs {with_article(need)}; {self.names[offerer]} offers {offer}"
                )
            if self.met(needer, offerer) and "need-offer" not in kinds:
                kinds.append("need-offer")
        shared = sorted(self.tag_sets[a] & self.tag_sets[b])
        if shared:
            reasons.append(f"both are into {_and([self.tags[a][t] for t in shared])}")
            kinds.append("shared tags")
        if self.same_place(a, b):
            reasons.append(f"both in {self.vault.people[a].location}")
            kinds.append("location")
        if self.warm[a] >= WARM and self.warm[b] >= WARM:
            reasons.append("you are in warm contact with both")
        return Suggestion(a, b, score, tuple(reasons), tuple(kinds))


class _Lists:
    """Many people share the same needs, offers, tags or place: each distinct one is normalised once."""

    def __init__(self) -> None:
        self._phrases: dict[tuple[str, ...], tuple[tuple[Phrase, ...], int]] = {}
        self._ids: dict[tuple[str, ...], int] = {}
        self._tags: dict[tuple[str, ...], tuple[dict[str, str], frozenset[str]]] = {}
        self._tag_keys: dict[str, str] = {}
        self._places: dict[str, str] = {}

    def phrases(self, texts: tuple[str, ...]) -> tuple[tuple[Phrase, ...], int]:
        """The phrases with words, and an id shared by every list with the same phrases."""
        found = self._phrases.get(texts)
        if found is None:
            phrases = tuple(p for p in map(phrase, texts) if p.words)
            key = tuple(p.text for p in phrases)
            found = self._phrases[texts] = (phrases, self._ids.setdefault(key, len(self._ids)))
        return found

    def tags(self, tags: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str]]:
        """Normalised tag -> the first tag written so (empty ones left out), and the normalised tags."""
        found = self._tags.get(tags)
        if found is None:
            keys = self._tag_keys
            keyed: dict[str, str] = {}
            for tag in tags:
                key = keys.get(tag)
                if key is None:
                    key = keys[tag] = phrase(tag).key
                if key and key not in keyed:
                    keyed[key] = tag
            found = self._tags[tags] = (keyed, frozenset(keyed))
        return found

    def place(self, location: str) -> str:
        found = self._places.get(location)
        if found is None:
            found = self._places[location] = name_key(location)
        return found


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
    pairing = _Pairing(vault, today, shared)
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
