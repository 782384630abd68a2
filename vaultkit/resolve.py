"""Obsidian's link resolver (obsidian-format.md §1.5): case-insensitive, NFC, `.md` optional, nearest wins."""

from __future__ import annotations

import posixpath
import unicodedata
from collections import defaultdict
from collections.abc import Iterable


def _key(text: str) -> str:
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFC", text).lower()


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


class Resolver:
    """Resolves link paths to vault files. Built once from every file in the vault (notes and attachments)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._by_path: dict[str, str] = {}
        self._memo: dict[tuple[str, str], str | None] = {}  # (linkpath, source folder) -> result
        for path in paths:
            lower = _key(path)
            self._by_path[lower] = path
            self._by_name[lower.rsplit("/", 1)[-1]].append(path)

    def resolve(self, linkpath: str, source: str) -> str | None:
        """The file `linkpath` points to from the note `source`, or None when it is unresolved."""
        if linkpath == "":
            return source
        key = (linkpath, folder_of(source))
        try:
            return self._memo[key]
        except KeyError:
            found = self._memo[key] = self._resolve(linkpath, source)
            return found

    def _resolve(self, linkpath: str, source: str) -> str | None:
        lp = _key(linkpath)
        last = lp.rsplit("/", 1)[-1]
        suffix = lp
        candidates = self._by_name.get(last, []) if "." in last else []
        if not candidates:
            candidates = self._by_name.get(last + ".md", [])
            suffix = lp + ".md"
        if not candidates:
            return None
        if lp.startswith("./") or lp.startswith("../"):
            joined = posixpath.normpath(posixpath.join(_key(folder_of(source)), lp))
            return self._exact(joined)
        if lp.startswith("/"):
            return self._exact(lp.lstrip("/"))
        exact = self._exact(lp)
        if exact is not None:
            return exact
        if "/" not in lp and len(candidates) == 1:
            return candidates[0]
        matches = [c for c in candidates if _key(c).endswith(suffix)]
        if not matches:
            return None
        src_folder = _key(folder_of(source))
        return min(matches, key=lambda c: (not _key(c).startswith(src_folder), len(c), c))

    def _exact(self, lower_path: str) -> str | None:
        hit = self._by_path.get(lower_path)
        if hit is None and not lower_path.endswith(".md"):
            hit = self._by_path.get(lower_path + ".md")
        return hit
