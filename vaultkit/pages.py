"""Insights -> page contexts -> rendered Markdown pages (one template per page)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

from vaultkit.diagnostics import Diagnostic
from vaultkit.gcpause import gc_paused
from vaultkit.insights.followups import Agenda, BirthdayItem, Drifting, FollowUp, Promise, compute_agenda
from vaultkit.insights.shared import Insights
from vaultkit.model import Vault
from vaultkit.pages_giving import GIVING_PAGES
from vaultkit.read.types import note_name, strip_md
from vaultkit.render import TemplateRenderError, render_page
from vaultkit.render_reuse import RenderedPages
from vaultkit.write import mark

_WIKILINK = re.compile(r"!?\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")


def unlink(text: str) -> str:
    """A task's text with its wikilinks shown as their display text (the people are linked beside it)."""
    return _WIKILINK.sub(lambda m: (m.group(2) or m.group(1).split("#", 1)[0]).strip(), text)


_FILE_NAME = itemgetter(2)


class _FileNames:
    """Case-folded file names (with extension) counted, for the last list of paths asked about.

    Builds in a row (`vaultkit watch`) mostly see the same notes, and comparing the paths with the last
    build's is much cheaper than counting again. Counting needs no Python call per path: case folding works
    letter by letter and turns only ".", "m"/"M", "d"/"D" into ".", "m", "d", so a folded file name ends in
    ".md" exactly when the name ends in ".md" in any case, and folding then stripping ".md" equals stripping
    then folding.
    """

    def __init__(self) -> None:
        self._last: tuple[tuple[str, ...], Counter[str]] | None = None
        self.refs: tuple[Counter[str], dict[str, dict[str, str]]] | None = None  # see `Linker`

    def count(self, paths: Iterable[str]) -> Counter[str]:
        """The counts (shared: read only) of the file names in `paths`."""
        key = tuple(paths)
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        files = Counter(map(str.casefold, map(_FILE_NAME, map(str.rpartition, key, repeat("/")))))
        self._last = (key, files)
        return files


_FILE_NAMES = _FileNames()


class Linker:
    """How to link to a note: its bare name when unique in the vault, else its path (Obsidian's rule)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._files = _FILE_NAMES.count(paths)
        # A note's ref depends only on the file names counted: Linkers of the same names share them.
        shared = _FILE_NAMES.refs
        if shared is None or shared[0] is not self._files:
            shared = _FILE_NAMES.refs = (self._files, {})
        self._refs = shared[1]

    def _count(self, name: str) -> int:
        """How many notes are called `name` (case-folded): `name.md` in any case, or `name` without `.md`."""
        bare = 0 if name.endswith(".md") else self._files[name]
        return self._files[name + ".md"] + bare

    def target(self, path: str) -> str:
        name = note_name(path)
        return name if self._count(name.casefold()) <= 1 else strip_md(path)

    def ref(self, path: str) -> dict[str, str]:
        """What a template needs to link a note: `target` and display `name` (a new dict each time)."""
        found = self._refs.get(path)
        if found is None:
            found = self._refs[path] = {"target": self.target(path), "name": note_name(path)}
        return found.copy()


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


def _capped_rows(
    sections: dict[str, tuple[Sequence[Any], Callable[[Any], dict[str, object]]]], limit: int
) -> dict[str, object]:
    """`capped` for lists of rows built from items: only the rows shown are built."""
    out: dict[str, object] = {}
    more: dict[str, int] = {}
    for key, (items, row) in sections.items():
        if len(items) > limit:
            more[key] = len(items) - limit
            items = items[:limit]
        out[key] = [row(item) for item in items]
    out["more"] = more
    return out


def follow_ups_context(
    vault: Vault, agenda: Agenda, link: Linker, limit: int = PAGE_SECTION_LIMIT
) -> dict[str, object]:
    """The Follow-ups page's context, each list `capped` to `limit` rows."""
    today = agenda.today
    ref = link.ref

    def follow_up(f: FollowUp) -> dict[str, object]:
        last = f.last_contact
        return {
            "person": ref(f.person),
            "cadence": f.cadence,
            "due": f.due,
            "days_overdue": f.days_overdue,
            "never_contacted": f.never_contacted,
            "last_contact": last.date if last else None,
            "via": ref(last.source) if last else None,
            "via_how": last.how if last else None,
        }

    def task(p: Promise) -> dict[str, object]:
        return {
            "text": unlink(p.text),
            "due": p.due,
            "overdue_days": (today - p.due).days,
            "people": [ref(x) for x in p.people],
            "source": ref(p.path),
            "line": p.line,
            "kind": p.kind,
        }

    def birthday(b: BirthdayItem) -> dict[str, object]:
        return {"person": ref(b.person), "date": b.date, "age": b.age, "in_days": (b.date - today).days}

    def drift(d: Drifting) -> dict[str, object]:
        return {
            "person": ref(d.person),
            "last_contact": d.last_contact.date,
            "usual_gap_days": d.usual_gap_days,
            "silent_days": d.silent_days,
        }

    sections: dict[str, tuple[Sequence[Any], Callable[[Any], dict[str, object]]]] = {
        "follow_ups": (agenda.follow_ups, follow_up),
        "tasks": (agenda.tasks, task),
        "birthdays": (agenda.birthdays, birthday),
        "congratulate": (
            agenda.congratulate,
            lambda c: {"person": ref(c.person), "date": c.date, "what": c.what},
        ),
        "after_events": (
            agenda.after_events,
            lambda a: {"person": ref(a.person), "event": ref(a.event), "date": a.date},
        ),
        "drifting": (agenda.drifting, drift),
    }
    return {"today": today, **_capped_rows(sections, limit)}


class PageBuilder(Protocol):
    """Makes a page's context; `shared` (optional) holds what the pages of one build have in common.

    A context holds only dicts (str keys), lists, tuples, str, int, float, bool, None, dates and datetimes,
    in containers made for it: the watch compares it with the last build's by `==` and `repr` to skip
    rendering the page again (`vaultkit.render_reuse`)."""

    def __call__(
        self, vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None, /
    ) -> dict[str, object]: ...


def _follow_ups(
    vault: Vault, today: dt.date, link: Linker, shared: Insights | None = None
) -> dict[str, object]:
    return follow_ups_context(vault, compute_agenda(vault, today, shared), link)


PAGES: dict[str, tuple[str, PageBuilder]] = {
    "Follow-ups.md": ("pages/Follow-ups.md.j2", _follow_ups),
    **GIVING_PAGES,
}


@dataclass(frozen=True, slots=True)
class Rendered:
    pages: dict[str, str]  # page path in the output folder -> full text
    errors: tuple[Diagnostic, ...]
    insights: Insights = field(compare=False)  # made from these: the `previous` of the watch's next build


def render_pages(
    vault: Vault,
    today: dt.date,
    vault_root: Path | None,
    note_paths: Iterable[str],
    output_dir: str,
    extra: Mapping[str, object] | None = None,
    previous: Insights | None = None,
    reuse: RenderedPages | None = None,
) -> Rendered:
    """Render every page; a page whose template fails is left out (its previous version stays).

    `previous`: the insights of the build before; its answers are reused where their inputs are unchanged.
    `reuse`: the pages of the build before (`vaultkit.render_reuse`); a page whose template and context are
    unchanged is not rendered again, and it is updated with this build's pages."""
    # Templates are rendered with the collector on: their environments hold cycles.
    with gc_paused():
        link = Linker(note_paths)
        shared = Insights(vault, today, previous)
        contexts = [
            (page, template, {**builder(vault, today, link, shared), **(extra or {})})
            for page, (template, builder) in PAGES.items()
        ]
    pages: dict[str, str] = {}
    errors: list[Diagnostic] = []
    if reuse is not None:
        reuse.start(vault_root)
    for page, template, context in contexts:
        text = None if reuse is None else reuse.get(page, template, context)
        if text is None:
            try:
                text = mark(render_page(template, context, vault_root))
            except TemplateRenderError as exc:
                errors.append(
                    Diagnostic(f"{output_dir}/{page}", None, "error", "template", f"not written: {exc}")
                )
            if reuse is not None:
                reuse.put(page, template, context, text)
        if text is not None:
            pages[page] = text
    shared.settle()
    return Rendered(pages, tuple(errors), shared)
