"""The model stage: parsed notes -> a typed, immutable Vault."""

from vaultkit.model.build import build_vault, note_type, resolve_links
from vaultkit.model.state import ModelState
from vaultkit.model.types import (
    DailyNote,
    Event,
    Interaction,
    Link,
    Mentorship,
    Milestone,
    Org,
    Person,
    Resource,
    Task,
    Touch,
    Vault,
)

__all__ = [
    "DailyNote",
    "Event",
    "Interaction",
    "Link",
    "Mentorship",
    "Milestone",
    "ModelState",
    "Org",
    "Person",
    "Resource",
    "Task",
    "Touch",
    "Vault",
    "build_vault",
    "note_type",
    "resolve_links",
]
