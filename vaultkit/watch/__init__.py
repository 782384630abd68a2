"""Keep the agenda pages current while the vault changes: filter -> debounce -> rebuild, on watchdog.

``filter`` decides from names alone which events matter, ``debounce`` groups them into bursts on an injectable
clock, ``rebuild`` runs one build per burst and reports it, ``observe`` wires them to watchdog. See
``docs/watch.md``.
"""

from vaultkit.watch.debounce import Burst, Debouncer, run_bursts
from vaultkit.watch.filter import Change, changes_for, is_editor_dropping, should_rebuild
from vaultkit.watch.observe import Watcher, fallback_message
from vaultkit.watch.rebuild import Rebuilder, RebuildReport

__all__ = [
    "Burst",
    "Change",
    "Debouncer",
    "RebuildReport",
    "Rebuilder",
    "Watcher",
    "changes_for",
    "fallback_message",
    "is_editor_dropping",
    "run_bursts",
    "should_rebuild",
]
