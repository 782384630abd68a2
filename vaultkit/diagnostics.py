"""Problems found in a vault: each names a file (relative to the vault) and, where there is one, a line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int | None
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def sort_key(d: Diagnostic) -> tuple[str, int, str, str]:
    return (d.path, d.line or 0, d.code, d.message)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)
