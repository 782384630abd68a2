"""``vaultkit git-setup``: make a git-synced vault merge cleanly.

Generated pages change on every machine, so two clones that both ran ``vaultkit build`` would conflict on
``Agenda/`` at every pull. This module, idempotently and without overwriting anything of the user's:

1. ignores vaultkit's local state in ``.gitignore`` (``.vaultkit/*`` except ``templates/``, the parse cache
   ``.vaultkit/cache.sqlite*``, and ``.vaultkit-*.tmp`` temp files);
2. marks the output folder ``merge=ours`` in ``.gitattributes`` and sets
   ``git config merge.ours.driver true``, so a merge keeps this side's copy of a generated page instead of
   writing conflict markers into it;
3. adds ``post-merge``, ``post-checkout`` (branch switches) and ``post-rewrite`` (rebases) hooks that run
   ``vaultkit build``, so the kept copy is rebuilt from the merged notes at once.

Hooks and git config are per clone (git does not copy them): run it once in every clone.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vaultkit.interop import InteropError
from vaultkit.write import atomic_write_bytes, create_new_file

Status = Literal["added", "updated", "unchanged", "refused"]
BEGIN = "# >>> vaultkit git-setup >>>"
END = "# <<< vaultkit git-setup <<<"
GITIGNORE_HEADER = "# vaultkit (git-setup): local caches and temp files, never shared"
GITIGNORE_LINES = (".vaultkit/*", "!.vaultkit/templates/", ".vaultkit/cache.sqlite*", ".vaultkit-*.tmp")
ATTRIBUTES_HEADER = (
    "# vaultkit (git-setup): generated pages keep this side's copy on merge; a hook rebuilds them"
)
HOOKS = ("post-merge", "post-checkout", "post-rewrite")
_SHELLS = re.compile(r"^#!\s*(/usr)?/bin/(env\s+)?(sh|bash|dash|zsh|ksh)\b")


@dataclass(frozen=True, slots=True)
class GitStep:
    target: str  # the file or setting concerned
    status: Status
    explain: str


@dataclass(frozen=True, slots=True)
class GitSetupResult:
    repo: Path
    steps: tuple[GitStep, ...]

    @property
    def changed(self) -> bool:
        return any(s.status in ("added", "updated") for s in self.steps)

    @property
    def refused(self) -> tuple[GitStep, ...]:
        return tuple(s for s in self.steps if s.status == "refused")


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise InteropError("git is not installed (or not on PATH)") from None


def _append_lines(path: Path, header: str, lines: tuple[str, ...], label: str, explain: str) -> GitStep:
    old = path.read_bytes() if path.is_file() else b""
    present = {line.strip() for line in old.decode("utf-8", "replace").splitlines()}
    missing = [line for line in lines if line not in present]
    if not missing:
        return GitStep(label, "unchanged", explain)
    prefix = b"" if not old or old.endswith(b"\n") else b"\n"
    gap = b"\n" if old.strip() else b""
    added = "\n".join([header, *missing]) + "\n"
    data = old + prefix + gap + added.encode("utf-8")
    try:
        if old or path.exists():
            atomic_write_bytes(path, data, stat.S_IMODE(path.stat().st_mode))
        else:
            create_new_file(path, data)
    except OSError as exc:
        raise InteropError(f"{path}: not written: {exc.strerror or exc}") from None
    return GitStep(label, "added" if not old else "updated", explain)


def _attribute_pattern(rel_output: str) -> str:
    """A ``.gitattributes`` pattern for everything under the output folder (spaces are not allowed raw)."""
    return "/" + rel_output.strip("/").replace(" ", "[[:space:]]") + "/**"


def _hook_block(hook: str, python: str, vault: str) -> str:
    py, where = shlex.quote(python), shlex.quote(vault)
    failed = "echo \"vaultkit: rebuilding the agenda failed; run 'vaultkit build' to see why\" >&2"
    body = [
        f"if [ -x {py} ]; then",
        f"  {py} -m vaultkit build {where} >/dev/null 2>&1 || {failed}",
        "elif command -v vaultkit >/dev/null 2>&1; then",
        f"  vaultkit build {where} >/dev/null 2>&1 || {failed}",
        "else",
        "  echo \"vaultkit: not found; run 'vaultkit build' to refresh the agenda pages\" >&2",
        "fi",
    ]
    condition = {"post-checkout": '[ "$3" = "1" ]', "post-rewrite": '[ "$1" = "rebase" ]'}.get(hook)
    if condition:
        body = [f"if {condition}; then", *("  " + line for line in body), "fi"]
    comment = "# Rebuild vaultkit's generated pages after git changed the notes (safe to remove this block)."
    return "\n".join([BEGIN, comment, *body, END]) + "\n"


def _last_command(text: str) -> str:
    for line in reversed(text.splitlines()):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return ""


def _install_hook(path: Path, block: str) -> GitStep:
    label = str(path)
    explain = "runs `vaultkit build` after git changes the notes"
    if not path.exists():
        try:
            create_new_file(path, ("#!/bin/sh\n" + block).encode("utf-8"))
            os.chmod(path, 0o755)
        except OSError as exc:
            raise InteropError(f"{path}: not written: {exc.strerror or exc}") from None
        return GitStep(label, "added", explain)
    text = path.read_text(encoding="utf-8", errors="replace")
    mode = stat.S_IMODE(path.stat().st_mode)
    if BEGIN in text and END in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        end += 1 if text[end : end + 1] == "\n" else 0
        if text[start:end] == block:
            return GitStep(label, "unchanged", explain)
        new = text[:start] + block + text[end:]
        atomic_write_bytes(path, new.encode("utf-8"), mode)
        return GitStep(label, "updated", explain)
    how = f"add the lines between {BEGIN!r} and {END!r} from `vaultkit git-setup --print-hook {path.name}`"
    if not mode & stat.S_IXUSR:
        return GitStep(label, "refused", f"exists but is not executable (disabled?); not changed: {how}")
    if not _SHELLS.match(text):
        return GitStep(label, "refused", f"exists and is not a shell script; not changed: {how}")
    if re.match(r"^(exit|exec)\b", _last_command(text)):
        return GitStep(
            label, "refused", f"exists and ends with exit/exec, so appended lines would never run: {how}"
        )
    sep = "" if text.endswith("\n") else "\n"
    try:
        atomic_write_bytes(path, (text + sep + "\n" + block).encode("utf-8"), mode)
    except OSError as exc:
        raise InteropError(f"{path}: not written: {exc.strerror or exc}") from None
    return GitStep(label, "updated", explain + " (appended to your existing hook)")


def hook_block(vault: Path, hook: str, python: str | None = None) -> str:
    """The block ``git-setup`` would add to ``hook`` for the vault at ``vault`` (for manual installs)."""
    repo = _toplevel(vault)
    rel = vault.resolve().relative_to(repo).as_posix() or "."
    return _hook_block(hook, python or sys.executable, rel)


def _toplevel(vault: Path) -> Path:
    if not vault.is_dir():
        raise InteropError(f"{vault}: not a folder")
    top = _git(vault, "rev-parse", "--show-toplevel")
    if top.returncode != 0 or not top.stdout.strip():
        raise InteropError(f"{vault}: not in a git repository (run `git init` there first)")
    return Path(top.stdout.strip()).resolve()


def git_setup(vault: Path, output: str, python: str | None = None) -> GitSetupResult:
    """Set up the git repository holding ``vault`` (see the module docs); a second run changes nothing."""
    repo = _toplevel(vault)
    root = vault.resolve()
    rel = root.relative_to(repo).as_posix() or "."
    ignore_why = "vaultkit's cache and temp files stay out of git; .vaultkit/templates/ is shared"
    merge_why = f"a merge keeps this side's copy of {output}/ pages: no conflict markers"
    attribute = (f"{_attribute_pattern(output)} merge=ours",)
    steps = [
        _append_lines(root / ".gitignore", GITIGNORE_HEADER, GITIGNORE_LINES, ".gitignore", ignore_why),
        _append_lines(root / ".gitattributes", ATTRIBUTES_HEADER, attribute, ".gitattributes", merge_why),
    ]
    driver = _git(repo, "config", "--get", "merge.ours.driver")
    current = driver.stdout.strip()
    label = "git config merge.ours.driver"
    if driver.returncode == 0 and current == "true":
        steps.append(GitStep(label, "unchanged", "the `ours` merge driver keeps this side's copy"))
    elif driver.returncode == 0 and current:
        why = (
            f"already set to {current!r}, not `true`; not changed (generated pages may get conflict markers)"
        )
        steps.append(GitStep(label, "refused", why))
    else:
        _git(repo, "config", "merge.ours.name", "keep this side (vaultkit rebuilds generated pages)")
        if _git(repo, "config", "merge.ours.driver", "true").returncode != 0:
            raise InteropError(f"{repo}: `git config merge.ours.driver true` failed")
        steps.append(
            GitStep(label, "added", "the `ours` merge driver keeps this side's copy (this clone only)")
        )
    hooks = _git(root, "rev-parse", "--git-path", "hooks")
    hooks_dir = (root / hooks.stdout.strip()).resolve()
    hooks_dir.mkdir(parents=True, exist_ok=True)
    for hook in HOOKS:
        steps.append(_install_hook(hooks_dir / hook, _hook_block(hook, python or sys.executable, rel)))
    return GitSetupResult(repo, tuple(steps))
