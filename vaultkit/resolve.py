"""Obsidian's link resolver (obsidian-format.md §1.5): case-insensitive, NFC, `.md` optional, nearest wins."""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final, cast

FROM_FOLDER: Final = object()  # a result that depends on the folder of the note the link is in
_MISSING: Final = object()


def _key(text: str) -> str:
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFC", text).lower()


def _name_key(path: str) -> str:
    """The key of a file's name, as `Resolver` indexes it."""
    return path[path.rfind("/") + 1 :].lower() if path.isascii() else _key(path).rpartition("/")[2]


def folder_of(path: str) -> str:
    return path.rpartition("/")[0]


class Resolver:
    """Resolves link paths to vault files. Built once from every file in the vault (notes and attachments).

    Results are memoized, per link path when the source folder does not matter (most links), else per source
    folder (results depend on nothing else), so a resolver can be shared by every build of the same files."""

    __slots__ = ("_anywhere", "_by_key", "_by_name", "_memo", "ambiguous")

    def __init__(self, paths: Iterable[str]) -> None:
        # File name (its key: lower case, NFC) -> the path of the one file of that name, else the paths of
        # all of them in order. There is no index by whole path: a file is found by path among the files
        # of its name (`_exact`), which costs less than keying every path.
        by_name: dict[str, str | list[str]] = {}
        shared: list[list[str]] = []  # the paths of each name that is not one file's
        for path in paths:
            # `_name_key(path)`, inline (a call per file costs a quarter of this loop)
            name = path[path.rfind("/") + 1 :].lower() if path.isascii() else _key(path).rpartition("/")[2]
            same = by_name.get(name)
            if same is None:
                by_name[name] = path
            elif isinstance(same, str):
                shared.append([same, path])
                by_name[name] = shared[-1]
            else:
                same.append(path)
        self._by_name = by_name
        # Two files that differ only in case (or NFC): the order the paths came in decides between them.
        self.ambiguous = any(len({_key(path) for path in same}) < len(set(same)) for same in shared)
        self._anywhere: dict[str, object] = {}  # linkpath -> result from any folder, or FROM_FOLDER
        self._by_key: dict[str, object] = {}  # the same by lower-case linkpath ([[Ann]] is [[ann]])
        self._memo: dict[str, dict[str, str | None]] = {}  # source folder -> linkpath -> result

    def with_files(self, added: Iterable[str], removed: Iterable[str]) -> Resolver | None:
        """A resolver of these files with `added` and without `removed`, keeping every result found so far;
        None when that could change one of them (build a new one then): when a file added or removed
        shares its name with another file, or any link looked up so far could name it (its last part is
        the name, with or without `.md`). The memos are copied: this one stays as it was."""
        if self.ambiguous:
            return None
        changes: dict[str, str | None] = {}  # name key -> the file added (None: removed)
        for path in added:
            name = _name_key(path)
            if name in changes or name in self._by_name:
                return None
            changes[name] = path
        for path in removed:
            name = _name_key(path)
            if name in changes or self._by_name.get(name) != path:
                return None
            changes[name] = None
        named = set(changes)
        named.update(name[:-3] for name in changes if name.endswith(".md"))
        if any(key.rpartition("/")[2] in named for key in self._by_key):
            return None
        new = Resolver(())
        by_name = new._by_name = dict(self._by_name)
        for name, path in changes.items():
            if path is None:
                del by_name[name]
            else:
                by_name[name] = path
        new._anywhere = dict(self._anywhere)
        new._by_key = dict(self._by_key)
        new._memo = {folder: dict(memo) for folder, memo in self._memo.items()}
        return new

    def resolve(self, linkpath: str, source: str) -> str | None:
        """The file `linkpath` points to from the note `source`, or None when it is unresolved."""
        if linkpath == "":
            return source
        return self.resolve_in(linkpath, source.rpartition("/")[0])

    def anywhere(self, linkpath: str) -> object:
        """What a non-empty `linkpath` resolves to from any folder, or FROM_FOLDER when that depends on it."""
        found = self._anywhere.get(linkpath, _MISSING)
        if found is _MISSING:
            found = self._anywhere[linkpath] = self._anywhere_by_key(linkpath)
        return found

    def _anywhere_by_key(self, linkpath: str) -> object:
        key = linkpath.lower() if linkpath.isascii() else _key(linkpath)
        found = self._by_key.get(key, _MISSING)
        if found is _MISSING:
            found = self._by_key[key] = self._resolve(linkpath, None)
        return found

    def resolve_in(self, linkpath: str, folder: str) -> str | None:
        """`resolve` from any note in `folder`, for a non-empty `linkpath`."""
        found = self._anywhere.get(linkpath, _MISSING)
        if found is _MISSING:
            found = self._anywhere[linkpath] = self._anywhere_by_key(linkpath)
        if found is not FROM_FOLDER:
            return found  # type: ignore[return-value]
        memo = self._memo.get(folder)
        if memo is None:
            memo = self._memo[folder] = {}
        try:
            return memo[linkpath]
        except KeyError:
            result = memo[linkpath] = cast("str | None", self._resolve(linkpath, folder))
            return result

    def _resolve(self, linkpath: str, folder: str | None) -> object:
        """The file, or FROM_FOLDER when `folder` is None and the file depends on it."""
        lp = linkpath.lower() if linkpath.isascii() else _key(linkpath)
        last = lp.rpartition("/")[2]
        suffix = lp
        candidates = self._named(last) if "." in last else ()
        if not candidates:
            candidates = self._named(last + ".md")
            suffix = lp + ".md"
        if not candidates:
            return None
        if lp.startswith("./") or lp.startswith("../"):
            if folder is None:
                return FROM_FOLDER
            joined = posixpath.normpath(posixpath.join(_key(folder), lp))
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
        if len(matches) == 1:
            return matches[0]
        if folder is None:
            return FROM_FOLDER
        src_folder = _key(folder)
        return min(matches, key=lambda c: (not _key(c).startswith(src_folder), len(c), c))

    def _named(self, name: str) -> Sequence[str]:
        """The files of this name (key)."""
        same = self._by_name.get(name)
        if same is None:
            return ()
        return (same,) if type(same) is str else same

    def _exact(self, lower_path: str) -> str | None:
        """The file of this path (key), else of this path with `.md`."""
        hit = self._path(lower_path)
        if hit is None and not lower_path.endswith(".md"):
            hit = self._path(lower_path + ".md")
        return hit

    def _path(self, lower_path: str) -> str | None:
        """The file whose path has this key: the last of them (as the paths came in) when they are several."""
        hit = None
        for path in self._named(lower_path.rpartition("/")[2]):
            if _key(path) == lower_path:
                hit = path
        return hit
