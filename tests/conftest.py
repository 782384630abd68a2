from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"

VaultFactory = Callable[[Mapping[str, str | bytes]], Path]


def write_vault(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """A tiny vault from a dict of relative path -> text (or bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


@pytest.fixture
def make_vault(tmp_path: Path) -> VaultFactory:
    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make


TODAY = dt.date(2026, 11, 25)


def person(**fields: object) -> str:
    """A person note's text from frontmatter fields (values written as YAML flow)."""
    import json

    lines = ["---"]
    for key, value in fields.items():
        if key == "body":
            continue
        lines.append(
            f"{key}: {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}"
        )
    lines.append("---")
    lines.append(str(fields.get("body", "")))
    return "\n".join(lines) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the example vault instead of comparing against it.",
    )
