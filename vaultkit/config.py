"""`vaultkit.toml` -> a frozen Config. Every problem is reported at once; unknown keys only warn."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from vaultkit.diagnostics import Diagnostic

CONFIG_FILE = "vaultkit.toml"
DEFAULT_MAX_NOTE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Folders:
    people: str = "people"
    interactions: str = "interactions"
    orgs: str = "orgs"
    events: str = "events"
    resources: str = "resources"
    daily: str = "daily"
    output: str = "Agenda"


@dataclass(frozen=True, slots=True)
class Me:
    name: str = ""
    goals: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    folders: Folders = field(default_factory=Folders)
    me: Me = field(default_factory=Me)
    max_note_bytes: int = DEFAULT_MAX_NOTE_BYTES


_FOLDER_KEYS = set(Folders.__dataclass_fields__)
_ME_KEYS = {"name", "goals", "offers", "needs"}
_LIMIT_KEYS = {"max_note_bytes"}


def _clean_folder(value: str) -> str | None:
    parts = [p for p in value.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def _str_list(value: object) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def load_config(vault_root: Path) -> tuple[Config, list[Diagnostic]]:
    """Read `vaultkit.toml` at the vault root; a missing file gives the defaults."""
    path = vault_root / CONFIG_FILE
    diags: list[Diagnostic] = []

    def problem(message: str, severity: str = "error", code: str = "config") -> None:
        diags.append(Diagnostic(CONFIG_FILE, None, severity, code, message))  # type: ignore[arg-type]

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config(), diags
    except (OSError, UnicodeDecodeError) as exc:
        problem(f"cannot read the settings: {exc}")
        return Config(), diags
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        diags.append(Diagnostic(CONFIG_FILE, line, "error", "config", f"not valid TOML: {exc}"))
        return Config(), diags

    folders: dict[str, str] = {}
    for key, value in (raw.get("folders") or {}).items():
        if key not in _FOLDER_KEYS:
            problem(f"unknown setting [folders] {key}", "warning")
        elif not isinstance(value, str) or _clean_folder(value) is None:
            problem(f"[folders] {key} must be a folder inside the vault, not {value!r}")
        else:
            folders[key] = _clean_folder(value)  # type: ignore[assignment]

    me: dict[str, object] = {}
    for key, value in (raw.get("me") or {}).items():
        if key not in _ME_KEYS:
            problem(f"unknown setting [me] {key}", "warning")
        elif key == "name":
            if isinstance(value, str):
                me[key] = value.strip()
            else:
                problem("[me] name must be text")
        else:
            items = _str_list(value)
            if items is None:
                problem(f"[me] {key} must be a list of text")
            else:
                me[key] = items

    limits: dict[str, int] = {}
    for key, value in (raw.get("limits") or {}).items():
        if key not in _LIMIT_KEYS:
            problem(f"unknown setting [limits] {key}", "warning")
        elif not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problem(f"[limits] {key} must be a positive number of bytes")
        else:
            limits[key] = value

    for section in raw:
        if section not in ("folders", "me", "limits"):
            problem(f"unknown section [{section}]", "warning")

    config = Config(
        folders=Folders(**folders),
        me=Me(**me),  # type: ignore[arg-type]
        max_note_bytes=limits.get("max_note_bytes", DEFAULT_MAX_NOTE_BYTES),
    )
    return config, diags
