"""Parsed notes -> Vault. Field values that cannot be read become diagnostics; the note still counts."""

from __future__ import annotations

from collections.abc import Iterable

from vaultkit.config import Config
from vaultkit.diagnostics import Diagnostic
from vaultkit.model.kinds import note_type
from vaultkit.model.state import ModelState
from vaultkit.model.types import Link, Vault
from vaultkit.read.types import Note
from vaultkit.resolve import Resolver

__all__ = ["build_vault", "note_type", "resolve_links"]


def build_vault(
    notes: list[Note], attachments: Iterable[str], config: Config
) -> tuple[Vault, list[Diagnostic]]:
    """The whole model from every parsed note; diagnostics for values the fields cannot read."""
    state = ModelState.build(notes, attachments, config)
    return state.vault, state.diagnostics


def resolve_links(notes: list[Note], attachments: Iterable[str]) -> list[Link]:
    """Every body link of every note with the file it resolves to (Obsidian's rules). Not part of the
    Vault, which needs only people's links: this is for `check`-style reports and conformance tests."""
    resolver = Resolver([n.path for n in notes] + list(attachments))
    return [
        Link(
            n.path,
            resolver.resolve(raw.target, n.path),
            raw.target,
            raw.subpath,
            raw.line,
            raw.embed,
            raw.markdown,
        )
        for n in sorted(notes, key=lambda n: n.path)
        for raw in n.body.links
    ]
