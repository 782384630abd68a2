"""What several insights need, computed once per build: contacts, warmth, who knows whom, follow-ups.

Building the pages asks the same questions five times (the Follow-ups, Network and Introductions pages all
want everyone's warmth, for instance). An :class:`Insights` answers each once, on first use, for one vault and
one day. Every insight function also works without one (it then makes its own), so callers that need a single
report pay nothing extra. The answers are shared: callers must not change them.

`previous` is the Insights of the build before (the watch keeps it): an answer whose inputs are the same
objects, or equal, in both vaults is taken from it rather than computed again (see `carry`). A build that is
done calls `settle()`, which drops `previous` so that builds do not chain up in memory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from vaultkit.insights.acquainted import Acquaintance, acquaintance, intro_interactions, my_note
from vaultkit.insights.contacts import Contacts, contacts_as_of
from vaultkit.insights.followups import Drifting, FollowUp, drifting, keep_in_touch
from vaultkit.insights.warmth import warmth_map
from vaultkit.model import Interaction, Vault


@dataclass(eq=False)
class Insights:
    """Answers for one vault as of `today`, each computed on first use."""

    vault: Vault
    today: dt.date
    previous: Insights | None = field(default=None, repr=False)

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
    def contacts(self) -> Contacts:
        return contacts_as_of(self.vault, self.today)

    @cached_property
    def warmth(self) -> dict[str, float]:
        """Everyone's warmth, by path."""
        return warmth_map(self.vault, self.today, self.contacts)

    @cached_property
    def known(self) -> Acquaintance:
        return acquaintance(self.vault)

    @cached_property
    def me(self) -> str | None:
        return my_note(self.vault)

    @cached_property
    def intros(self) -> tuple[Interaction, ...]:
        """The intro interactions (`kind: intro`)."""
        return tuple(intro_interactions(self.vault))

    @cached_property
    def follow_ups(self) -> tuple[FollowUp, ...]:
        """`keep_in_touch`: who is due, most overdue first."""
        return tuple(keep_in_touch(self.vault, self.today, self.contacts))

    @cached_property
    def drifting(self) -> tuple[Drifting, ...]:
        """`drifting`, leaving out the people already due in `follow_ups`."""
        skip = {f.person for f in self.follow_ups}
        return tuple(drifting(self.vault, self.today, skip, self.contacts))
