"""Insights -> page contexts -> rendered Markdown pages (one template per page)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from vaultkit.diagnostics import Diagnostic
from vaultkit.insights.followups import Agenda, compute_agenda
from vaultkit.model import Vault
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.read.types import note_name, strip_md
from vaultkit.render import TemplateRenderError, render_page
from vaultkit.write import mark

_WIKILINK = re.compile(r"!?\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


def unlink(text: str) -> str:
    """A task's text with its wikilinks shown as their display text (the people are linked beside it)."""
    return _WIKILINK.sub(lambda m: (m.group(2) or m.group(1).split("#", 1)[0]).strip(), text)


class Linker:
    """How to link to a note: its bare name when unique in the vault, else its path (Obsidian's rule)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._count = Counter(note_name(p).casefold() for p in paths)

    def target(self, path: str) -> str:
        name = note_name(path)
        return name if self._count[name.casefold()] <= 1 else strip_md(path)

    def ref(self, path: str) -> dict[str, str]:
        """What a template needs to link a note: `target` and display `name`."""
        return {"target": self.target(path), "name": note_name(path)}


PAGE_SECTION_LIMIT = 200  # rows per section on a page; `vaultkit agenda` prints them all


def capped(context: dict[str, object], limit: int = PAGE_SECTION_LIMIT) -> dict[str, object]:
    """Cut every list in the context to `limit` rows; `more[key]` says how many were left out."""
    more: dict[str, int] = {}
    out: dict[str, object] = {}
    for key, value in context.items():
        if isinstance(value, list) and len(value) > limit:
            more[key] = len(value) - limit
            value = value[:limit]
        out[key] = value
    out["more"] = more
    return out


def follow_ups_context(vault: Vault, agenda: Agenda, link: Linker) -> dict[str, object]:
    return capped(
        {
            "today": agenda.today,
            "follow_ups": [
                {
                    "person": link.ref(f.person),
                    "cadence": f.cadence,
                    "due": f.due,
                    "days_overdue": f.days_overdue,
                    "never_contacted": f.never_contacted,
                    "last_contact": f.last_contact.date if f.last_contact else None,
                    "via": link.ref(f.last_contact.source) if f.last_contact else None,
                    "via_how": f.last_contact.how if f.last_contact else None,
                }
                for f in agenda.follow_ups
            ],
            "tasks": [
                {
                    "text": unlink(p.text),
                    "due": p.due,
                    "overdue_days": (agenda.today - p.due).days,
                    "people": [link.ref(x) for x in p.people],
                    "source": link.ref(p.path),
                    "line": p.line,
                    "kind": p.kind,
                }
                for p in agenda.tasks
            ],
            "birthdays": [
                {
                    "person": link.ref(b.person),
                    "date": b.date,
                    "age": b.age,
                    "in_days": (b.date - agenda.today).days,
                }
                for b in agenda.birthdays
            ],
            "congratulate": [
                {"person": link.ref(c.person), "date": c.date, "what": c.what} for c in agenda.congratulate
            ],
            "after_events": [
                {"person": link.ref(a.person), "event": link.ref(a.event), "date": a.date}
                for a in agenda.after_events
            ],
            "drifting": [
                {
                    "person": link.ref(d.person),
                    "last_contact": d.last_contact.date,
                    "usual_gap_days": d.usual_gap_days,
                    "silent_days": d.silent_days,
                }
                for d in agenda.drifting
            ],
        }
    )


PageBuilder = Callable[[Vault, dt.date, Linker], dict[str, object]]


def _follow_ups(vault: Vault, today: dt.date, link: Linker) -> dict[str, object]:
    return follow_ups_context(vault, compute_agenda(vault, today), link)


PAGES: dict[str, tuple[str, PageBuilder]] = {
    "Follow-ups.md": ("pages/Follow-ups.md.j2", _follow_ups),
    **GIVING_PAGES,
}


@dataclass(frozen=True, slots=True)
class Rendered:
    pages: dict[str, str]  # page path in the output folder -> full text
    errors: tuple[Diagnostic, ...]


def render_pages(
    vault: Vault,
    today: dt.date,
    vault_root: Path | None,
    note_paths: Iterable[str],
    output_dir: str,
    extra: Mapping[str, object] | None = None,
) -> Rendered:
    """Render every page; a page whose template fails is left out (its previous version stays)."""
    link = Linker(note_paths)
    pages: dict[str, str] = {}
    errors: list[Diagnostic] = []
    for page, (template, builder) in PAGES.items():
        context = {**builder(vault, today, link), **(extra or {})}
        try:
            pages[page] = mark(render_page(template, context, vault_root))
        except TemplateRenderError as exc:
            errors.append(
                Diagnostic(f"{output_dir}/{page}", None, "error", "template", f"not written: {exc}")
            )
    return Rendered(pages, tuple(errors))
