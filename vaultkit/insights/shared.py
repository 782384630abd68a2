"""What several insights need, computed once per build: contacts, warmth, who knows whom, follow-ups.

Building the pages asks the same questions five times (the Follow-ups, Network and Introductions pages all
want everyone's warmth, for instance). An :class:`Insights` answers each once, on first use, for one vault and
one day. Every insight function also works without one (it then makes its own), so callers that need a single
report pay nothing extra. The answers are shared: callers must not change them.

`previous` is the Insights of the build before (the watch keeps it): an answer whose inputs are the same
objects, or equal, in both vaults is taken from it rather than computed again (see `carry`). A build that is
done calls `settle()`, which drops `previous` so that builds do not chain up in memory.

Most answers are patched rather than taken whole: `changed` names the people whose record or touches are
new objects (after one note was saved, a handful), and per-person answers of the previous build of the same
day are patched for them only (`carry_people`, `followups_carry`). `window` finds the stretch of a sorted
tuple (`Vault.interactions`, `Vault.tasks`) that differs, for answers made from those (`followups_promised`,
giving_top.py, network.py). Modules keep what the next build needs to patch their answers in the Insights'
`__dict__` under a key of their own (for instance "carry_mentorship"): `carried(key)` says whether the
previous build's can be used. Anything dated is computed again when the day changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from vaultkit.insights.acquainted import (
    INTRO_KIND,
    Acquaintance,
    acquaintance,
    carried_acquaintance,
    intro_interactions,
    my_note,
)
from vaultkit.insights.carry_people import changed_people, changed_window, patched_interactions
from vaultkit.insights.contacts import Contacts, contacts_as_of, contacts_patched
from vaultkit.insights.followups import BirthdayItem, Drifting, FollowUp
from vaultkit.insights.followups_carry import Carried, carried_birthdays, carried_drifting, carried_follow_ups
from vaultkit.insights.followups_promised import Promised, promised
from vaultkit.insights.warmth import warmth_map, warmth_patched
from vaultkit.model import Interaction, Vault


@dataclass(eq=False)
class Insights:
    """Answers for one vault as of `today`, each computed on first use."""

    vault: Vault
    today: dt.date
    previous: Insights | None = field(default=None, repr=False)
    _windows: dict[str, tuple[int, int, int]] = field(default_factory=dict, repr=False)

    def settle(self) -> None:
        """The build is done: forget the previous build's answers (everything needed was taken from them)."""
        self.previous = None

    @staticmethod
    def reuse(shared: Insights | None, vault: Vault, today: dt.date) -> Insights:
        """`shared` when it was made for this vault and day, else a new (empty) one."""
        if shared is not None and shared.vault is vault and shared.today == today:
            return shared
        return Insights(vault, today)

    @cached_property
    def changed(self) -> frozenset[str] | None:
        """The people whose record or touches are not the same objects as in the previous build's vault (see
        `changed_people`): only their per-person answers can differ. None when there is nothing to compare."""
        previous = self.previous
        return None if previous is None else changed_people(previous.vault, self.vault)

    def carried(self, name: str) -> Carried | None:
        """What answer `name` of the previous build needs to be patched into this build's, when that build was
        for the same day, computed it, and had the same people (see `changed`)."""
        previous = self.previous
        if previous is None or previous.today != self.today or name not in previous.__dict__:
            return None
        changed = self.changed
        return None if changed is None else Carried(previous.vault, changed, self.window)

    def window(self, name: str) -> tuple[int, int, int]:
        """`changed_window` of the previous build's `Vault.<name>` (a tuple) and this build's: where they
        differ. Only when there is a previous build."""
        found = self._windows.get(name)
        if found is None:
            assert self.previous is not None
            before, now = getattr(self.previous.vault, name), getattr(self.vault, name)
            found = self._windows[name] = changed_window(before, now)
        return found

    def _previous(self, name: str) -> Any:
        """The previous build's answer `name` (None when there is none)."""
        return None if self.previous is None else self.previous.__dict__.get(name)

    @cached_property
    def contacts(self) -> Contacts:
        carried = self.carried("contacts")
        if carried is not None:
            return contacts_patched(self._previous("contacts"), self.vault, carried.changed)
        return contacts_as_of(self.vault, self.today)

    @cached_property
    def warmth(self) -> dict[str, float]:
        """Everyone's warmth, by path."""
        carried = self.carried("warmth")
        if carried is not None:
            return warmth_patched(
                self._previous("warmth"), self.vault, self.today, self.contacts, carried.changed
            )
        return warmth_map(self.vault, self.today, self.contacts)

    @cached_property
    def known(self) -> Acquaintance:
        prev = self.previous
        if prev is not None and "known" in prev.__dict__:
            carried = carried_acquaintance(prev.vault, prev.known, self.vault)
            if carried is not None:
                return carried
        return acquaintance(self.vault)

    @cached_property
    def me(self) -> str | None:
        previous, changed = self.previous, self.changed
        if (
            previous is not None
            and changed is not None
            and "me" in previous.__dict__
            and previous.vault.me.name == self.vault.me.name
        ):
            old, new = previous.vault.people, self.vault.people
            if all(
                old[p].aliases == new[p].aliases and old[p].name == new[p].name for p in changed if p in new
            ):
                return previous.me  # same people paths, names and aliases
        return my_note(self.vault)

    @cached_property
    def intros(self) -> tuple[Interaction, ...]:
        """The intro interactions (`kind: intro`)."""
        previous = self.previous
        if previous is not None and "intros" in previous.__dict__:
            before, now = previous.vault.interactions, self.vault.interactions
            if before is now:
                return previous.intros
            found = patched_interactions(previous.intros, before, now, self.window("interactions"), _is_intro)
            if found is not None:
                return tuple(found)
        return tuple(intro_interactions(self.vault))

    @cached_property
    def follow_ups(self) -> tuple[FollowUp, ...]:
        """`keep_in_touch`: who is due, most overdue first."""
        old = self._previous("follow_ups")
        return carried_follow_ups(old, self.vault, self.today, self.contacts, self.carried("follow_ups"))

    @cached_property
    def drifting(self) -> tuple[Drifting, ...]:
        """`drifting`, leaving out the people already due in `follow_ups`."""
        skip = {f.person for f in self.follow_ups}
        old = self._previous("drifting")
        return carried_drifting(old, self.vault, self.today, self.contacts, skip, self.carried("drifting"))

    @cached_property
    def promised(self) -> Promised:
        """`promises`, with the parts the next build can carry over."""
        old = self._previous("promised")
        return promised(self.vault, self.today, self.contacts.last, old, self.carried("promised"))

    @cached_property
    def birthdays(self) -> tuple[BirthdayItem, ...]:
        return carried_birthdays(
            self._previous("birthdays"), self.vault, self.today, self.carried("birthdays")
        )


def _is_intro(i: Interaction) -> bool:
    return i.kind == INTRO_KIND  # as `intro_interactions`
