"""A vault kept in memory between builds, for `vaultkit watch`.

The first build reads the whole vault (through the parse cache). After that, a build told which paths
changed re-reads only those files, updates the model incrementally (`vaultkit.model.ModelState.update`),
and renders and writes the pages: on a large vault that is the difference between seconds and a fraction
of one. A build told nothing (a periodic reconcile) scans the vault and re-reads whatever differs in size or
mtime from what it holds. Whatever a single path cannot settle (a folder, a symlink, a conflict copy, the
config) falls back to the scan, or to a full reload for the config. The result is always what
`vaultkit.build.build` would give for the same files; the tests compare the two after every kind of change.
Between builds it also keeps the notes and problems it gave (made again only where entries changed), and
the pages it rendered (`vaultkit.render_reuse`: a page whose context and templates are unchanged is not
rendered again).

Files parsed here are not written to the parse cache: the next `vaultkit build` re-reads the few the watch
saw change.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vaultkit.build import BuildResult, build_loaded
from vaultkit.bulk import Entry, read_entries
from vaultkit.config import CONFIG_FILE, Config
from vaultkit.diagnostics import Diagnostic, sort_key
from vaultkit.insights.shared import Insights
from vaultkit.load import CACHE_REBUILT, Loaded, Prepared, gc_paused, prepare
from vaultkit.model import ModelState
from vaultkit.read.reader import parse_bytes, read_file
from vaultkit.read.scan import ScannedFile, scan_one
from vaultkit.read.types import Note
from vaultkit.render import OVERRIDES_DIR
from vaultkit.render_reuse import RenderedPages

__all__ = ["LiveVault"]

FileKey = tuple[int, int]  # size, mtime_ns


@dataclass(slots=True)
class _State:
    root: Path
    config: Config
    config_diags: tuple[Diagnostic, ...]
    scan_diags: tuple[Diagnostic, ...]
    rebuilt: bool
    files: dict[str, FileKey]  # note path -> what was read
    entries: dict[str, Entry]  # note path -> its parse result (new paths at the end: see `loaded`)
    attachments: set[str]
    model: ModelState
    # What `loaded` gave last time, kept while it stays right (None: make it again from `entries`):
    notes: tuple[Note, ...] | None = None
    paths: tuple[str, ...] | None = None  # the notes' paths (the same while no note comes or goes)
    diagnostics: tuple[Diagnostic, ...] | None = None
    model_diags: list[Diagnostic] | None = None  # the model's diagnostics that went into `diagnostics`
    other_diags: list[Diagnostic] | None = None  # the rest of `diagnostics`: config, scan, entries

    def loaded(self) -> Loaded:
        """The vault as `vaultkit.load.load_vault` would give it. Made again only where entries changed in a
        way that shows: on a large vault, walking every entry would cost more than the rest of a build."""
        if self.notes is None or self.paths is None:
            self.entries = dict(sorted(self.entries.items()))
            self.notes = tuple([note for note, _ in self.entries.values() if note is not None])
            self.paths = tuple([note.path for note in self.notes])
        model_diags = self.model.diagnostics
        if self.diagnostics is None or not (
            model_diags is self.model_diags or model_diags == self.model_diags
        ):
            if self.diagnostics is None or self.other_diags is None:
                diags = [*self.config_diags, *self.scan_diags]
                if self.rebuilt:
                    diags.append(CACHE_REBUILT)
                for _, problems in self.entries.values():
                    diags.extend(problems)
                self.other_diags = diags
            self.diagnostics = tuple(sorted({*self.other_diags, *model_diags}, key=sort_key))
        self.model_diags = model_diags
        return Loaded(self.root, self.config, self.model.vault, self.notes, self.diagnostics)

    def changed(self, old: Entry | None, new: Entry | None, replaced: dict[str, Note | None]) -> None:
        """An entry went from `old` to `new` (None: no entry): forget what `loaded` must make again; a note
        that changed, came (or went: None) goes into `replaced` (see `patch_notes`)."""
        old_note, old_problems = old if old is not None else (None, ())
        new_note, new_problems = new if new is not None else (None, ())
        if (old_problems or new_problems) and tuple(old_problems) != tuple(new_problems):
            self.diagnostics = None
        if new_note is not None:
            replaced[new_note.path] = new_note
        elif old_note is not None:
            replaced[old_note.path] = None

    def patch_notes(self, replaced: dict[str, Note | None]) -> None:
        """Put the `replaced` notes into the kept notes (sorted by path), or take them out (None)."""
        if self.notes is None or self.paths is None or not replaced:
            return
        notes = list(self.notes)
        paths = list(self.paths)  # the same positions as `notes`
        moved = False
        for path, note in replaced.items():
            at = bisect_left(paths, path)
            here = at < len(paths) and paths[at] == path
            if note is not None and here:
                notes[at] = note
            elif note is not None:
                notes.insert(at, note)
                paths.insert(at, path)
                moved = True
            elif here:
                del notes[at], paths[at]
                moved = True
            else:
                self.notes = self.paths = None  # not where it should be: make them again
                return
        self.notes = tuple(notes)
        if moved:
            self.paths = tuple(paths)


def _path(note: Note) -> str:
    return note.path


class LiveVault:
    """`build(today, changed)`: the pages of the vault at `root`, re-reading only `changed` paths (vault-
    relative, both sides of a move) once a first build has read everything; `changed=None` rescans."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._state: _State | None = None
        self._insights: Insights | None = None  # the last build's, for the next to reuse what it can
        self._pages = RenderedPages()  # the last build's pages, likewise

    def build(self, today: dt.date, changed: Iterable[str] | None = None) -> BuildResult:
        try:
            with gc_paused():
                if self._state is None:
                    self._state = _full(prepare(self.root))
                elif changed is None:
                    self._rescan(self._state)
                else:
                    self._apply(self._state, set(changed))
                loaded = self._state.loaded()
            previous, self._insights = self._insights, None
            result = build_loaded(loaded, today, previous, self._pages, self._state.paths)
            self._insights = result.insights
            # What a build made is frozen (`gc_paused`) at the end of each phase that pauses the collector,
            # cyclic garbage too if it is still there (the templates' of the build before, say): that
            # would never be freed in a long-running watch. Collect it now, while only this build's
            # objects are not frozen, so the walk is short (a few ms).
            gc.collect()
            return result
        except BaseException:
            self._state = None  # half updated: read everything again next time
            self._pages = RenderedPages()
            raise

    # --- updates ------------------------------------------------------------------------------------------

    def _rescan(self, state: _State) -> None:
        ready = prepare(self.root)
        if ready.config != state.config or ready.config_diagnostics != state.config_diags:
            self._state = _full(ready)
            return
        scanned = {f.path: f for f in ready.scan.notes}
        changed = [f for f in ready.scan.notes if state.files.get(f.path) != (f.size, f.mtime_ns)]
        removed = [p for p in state.files if p not in scanned]
        if ready.scan.diagnostics != state.scan_diags:
            state.scan_diags = ready.scan.diagnostics
            state.diagnostics = None
        _update(state, changed, removed, set(ready.scan.attachments))

    def _apply(self, state: _State, paths: set[str]) -> None:
        if CONFIG_FILE in paths:
            self._state = _full(prepare(self.root))
            return
        changed: list[ScannedFile] = []
        removed: list[str] = []
        attachments = set(state.attachments)
        reported = {d.path for d in state.scan_diags}
        for rel in sorted(paths):
            if rel.startswith(OVERRIDES_DIR + "/"):
                continue  # templates: the pages are rendered again anyway
            verdict = scan_one(state.root, rel, state.config.folders.output)
            if verdict is None or rel in reported:
                self._rescan(state)
                return
            if verdict.note is not None:
                if state.files.get(rel) != (verdict.note.size, verdict.note.mtime_ns):
                    changed.append(verdict.note)
            elif verdict.kind == "attachment":
                attachments.add(rel)
            elif rel in state.files:
                removed.append(rel)
            else:
                attachments.discard(rel)
        _update(state, changed, removed, attachments)


def _full(ready: Prepared) -> _State:
    """Read everything (parse cache included) and build the model from scratch."""
    entries, rebuilt, _ = read_entries(ready.root, ready.config, ready.scan, ready.now_ns, use_cache=True)
    notes = [note for note, _ in entries if note is not None]
    model = ModelState.build(notes, ready.scan.attachments, ready.config)
    return _State(
        ready.root,
        ready.config,
        ready.config_diagnostics,
        ready.scan.diagnostics,
        rebuilt,
        {f.path: (f.size, f.mtime_ns) for f in ready.scan.notes},
        {f.path: entry for f, entry in zip(ready.scan.notes, entries, strict=True)},
        set(ready.scan.attachments),
        model,
    )


def _update(state: _State, changed: list[ScannedFile], removed: list[str], attachments: set[str]) -> None:
    """Re-read `changed`, drop `removed`, and bring the model up to date."""
    root, max_bytes = os.fspath(state.root), state.config.max_note_bytes
    notes = []
    gone = list(removed)
    replaced: dict[str, Note | None] = {}
    for f in changed:
        data, size, mtime_ns, diags = read_file(root, f.path, max_bytes)
        if any(d.code == "vanished" for d in diags):
            removed.append(f.path)  # deleted since: its own event follows
            gone.append(f.path)
            continue
        note = None
        if data is not None:
            note, diags = parse_bytes(f.path, data, mtime_ns)
        old = state.entries.get(f.path)
        state.entries[f.path] = (note, diags)
        state.changed(old, (note, diags), replaced)
        state.files[f.path] = (size, mtime_ns)
        if note is not None:
            notes.append(note)
        else:
            gone.append(f.path)
    for path in removed:
        state.changed(state.entries.pop(path, None), None, replaced)
        state.files.pop(path, None)
    state.patch_notes(replaced)
    if not (notes or gone or attachments != state.attachments):
        return
    state.attachments = attachments
    state.model = state.model.update(notes, gone, sorted(attachments))
