"""Pages the watch rendered last time, given again when the next build would render them alike.

`vaultkit watch` builds after every save, and most saves change a page or two: the other pages get the same
context as the build before. `RenderedPages` keeps each page's template name, context and text; when a
build makes the same context for the same template, and no template file changed in between, the text is
the one rendering would give (rendering depends only on the templates and the context, see
`vaultkit.render.render_page`), so it is given without rendering.

"The same context" is stricter than `==`: `1`, `1.0` and `True` are equal but print differently, dicts
equal in another order loop in another order, `-0.0 == 0.0`, datetimes in other time zones are equal. So
contexts equal by `==` (at C speed, and most changed contexts differ early) must also have the same `repr`
(at C speed too), which for the values contexts hold (dicts, lists, tuples, str, int, float, bool, None,
dates and datetimes: see `vaultkit.pages.PageBuilder`) shows all of that. Contexts hold fresh containers
on every build (the page builders make them), so a context kept here is never changed behind its back.

The templates' state is the `lstat` of every file and folder under the vault's overrides folder and under
the packaged templates (path, mode, size, mtime, ctime, inode): when it changes, every page is forgotten.
Like the parse cache, a state that changed within `RACY_NS` of the build is not trusted (a later save in
the same clock tick could keep the same size and times): that build renders every page and keeps none.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from vaultkit import render
from vaultkit.cache import RACY_NS

__all__ = ["RenderedPages", "templates_state"]

TemplatesState = tuple[tuple[str, int, int, int, int, int], ...]  # path, mode, size, mtime, ctime, inode


def _entry(path: str, relative: str) -> tuple[str, int, int, int, int, int]:
    s = os.lstat(path)
    return (relative, s.st_mode, s.st_size, s.st_mtime_ns, s.st_ctime_ns, s.st_ino)


def _folder_state(folder: Path, label: str) -> list[tuple[str, int, int, int, int, int]]:
    """The `lstat` of `folder` and of everything under it (symbolic links not followed); [] if missing."""
    top = os.fspath(folder)
    try:
        found = [_entry(top, label)]
    except OSError:
        return []
    if not stat.S_ISDIR(found[0][1]):
        return found
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):  # gone since: the folder's own times show the change
                found.append(_entry(path, label + "/" + os.path.relpath(path, top)))
    return found


def templates_state(vault_root: Path | None) -> TemplatesState | None:
    """The state of every template a page may be rendered from; None when some is too recent to trust."""
    now = time.time_ns()
    entries = _folder_state(render.packaged_templates_dir(), "packaged")
    if vault_root is not None:
        entries += _folder_state(vault_root / render.OVERRIDES_DIR, "overrides")
    if any(now - max(e[3], e[4]) < RACY_NS for e in entries):
        return None
    return tuple(entries)


class _Page:
    """A page as rendered: its template, context and text, and the context's `repr` once asked for."""

    __slots__ = ("context", "shown", "template", "text")

    def __init__(self, template: str, context: dict[str, object], text: str) -> None:
        self.template = template
        self.context = context
        self.text = text
        self.shown: str | None = None

    def alike(self, template: str, context: dict[str, object]) -> bool:
        """Whether rendering `template` with `context` gives this page's text. `==` first, at C speed: most
        changed contexts differ early; then `repr`, also at C speed, for what `==` lets through."""
        if template != self.template or context != self.context:
            return False
        if self.shown is None:
            self.shown = repr(self.context)
        return repr(context) == self.shown


class RenderedPages:
    """The pages of the last build, by page name: `start` each build, then `get` before rendering a page and
    `put` after. Not thread safe: one per `vaultkit.live.LiveVault`."""

    def __init__(self) -> None:
        self._pages: dict[str, _Page] = {}
        self._templates: TemplatesState | None = None
        self._trusted = False

    def start(self, vault_root: Path | None) -> None:
        """Begin a build of the vault at `vault_root`: pages rendered from other templates are forgotten."""
        state = templates_state(vault_root)
        if state is None or state != self._templates:
            self._pages.clear()
        self._templates = state
        self._trusted = state is not None

    def get(self, page: str, template: str, context: dict[str, object]) -> str | None:
        """The text of `page` when the last build rendered it from this template and an alike context (the
        page is then kept as it was: its context is the same)."""
        done = self._pages.get(page) if self._trusted else None
        if done is None or not done.alike(template, context):
            return None
        return done.text

    def put(self, page: str, template: str, context: dict[str, object], text: str | None) -> None:
        """`page` was rendered to `text` (None: it failed) from `template` and `context`."""
        if text is None or not self._trusted:
            self._pages.pop(page, None)
        else:
            self._pages[page] = _Page(template, context, text)
