"""Coverage-guided fuzzing of vaultkit's reader with atheris (libFuzzer for Python). Run by hand, not in CI.

    pip install atheris                                  # Linux/macOS, CPython 3.8-3.11 wheels
    python fuzz/fuzz_reader.py --make-corpus fuzz/corpus  # seeds: the example vault + the hostile vault
    python fuzz/fuzz_reader.py fuzz/corpus -max_total_time=60 -timeout=5 -rss_limit_mb=2048

Every input is one note's bytes (the first byte picks libyaml or PyYAML's pure-Python parser). It goes through
`decode_note` and `parse_note`, which must never raise, and the result must hold these invariants:
diagnostics name the note and a line inside it; property keys are strings; properties are plain JSON
(no sets, bytes, dates or self-references); parsing twice gives the same result; and the parse cache's
codec gives back exactly what it was given. Any exception, a failed invariant, an input slower than
`-timeout` seconds or a memory blow-up beyond `-rss_limit_mb` is a finding: libFuzzer writes the input
to `crash-*`, `timeout-*` or `oom-*` in the current folder. Replay one with
`python fuzz/fuzz_reader.py crash-<hash>`.

`FUZZ_INSTRUMENT_YAML=1` also instruments PyYAML (its pure-Python scanner and parser get coverage guidance
too); give it a longer `-timeout` (30). `fuzz/corpus/` is generated and disposable (not committed).
docs/safety.md describes the harness.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import atheris  # noqa: E402

# PyYAML's own code is instrumented only on request: it makes the pure-Python parser ~30 times slower, so
# ordinary inputs (a 2.7 KB line of '[' takes 0.16 s uninstrumented) run into libFuzzer's -timeout.
_INSTRUMENTED = ["vaultkit", "yaml"] if os.environ.get("FUZZ_INSTRUMENT_YAML") == "1" else ["vaultkit"]

with atheris.instrument_imports(include=_INSTRUMENTED):
    import yaml  # noqa: F401

    from vaultkit.cache import Decoder, encode
    from vaultkit.read import frontmatter
    from vaultkit.read.reader import decode_note, parse_note

HAVE_LIBYAML = frontmatter.USE_LIBYAML
PATH = "people/fuzz.md"


def check(data: bytes) -> None:
    """One note's bytes through the reader; raises AssertionError when an invariant breaks."""
    text, diags = decode_note(PATH, data)
    if text is None:
        assert diags and all(d.path == PATH and d.severity == "error" for d in diags), diags
        return
    note, more = parse_note(PATH, text, size=len(data))
    diags = diags + more
    lines = text.count("\n") + 1
    for d in diags:
        assert d.path == PATH and d.message, d
        assert d.line is None or 1 <= d.line <= lines, (d, lines)
    assert all(type(key) is str for key in note.meta), note.meta
    for key, line in note.key_lines.items():
        assert key in note.meta and 1 <= line <= lines, (key, line, lines)
    for link in note.body.links:
        assert 1 <= link.line <= lines, (link, lines)
    for task in note.body.tasks:
        assert 1 <= task.line <= lines, (task, lines)
    json.dumps(note.meta)
    assert parse_note(PATH, text, size=len(data)) == (note, more), "parsing is not deterministic"
    cached = encode(PATH, note, diags)
    if cached is not None:
        assert Decoder().decode(PATH, note.size, note.mtime_ns, cached) == (note, tuple(diags)), "cache codec"


def test_one_input(data: bytes) -> None:
    if not data:
        check(data)
        return
    frontmatter.USE_LIBYAML = HAVE_LIBYAML and data[0] % 2 == 0
    try:
        check(data[1:])
    finally:
        frontmatter.USE_LIBYAML = HAVE_LIBYAML


def make_corpus(folder: Path) -> int:
    """Seed `folder` with the example vault's notes and the hostile vault's small files; returns the count."""
    import tempfile

    from tests.hostile.make_hostile import make_hostile

    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        make_hostile(Path(tmp) / "vault", Path(tmp) / "outside")
        for source in (REPO / "example-vault", Path(tmp) / "vault"):
            for path in sorted(source.rglob("*")):
                if path.is_symlink() or not path.is_file() or path.stat().st_size > 64 * 1024:
                    continue
                if "bulk" in path.parts and not path.name.startswith("000"):
                    continue  # the person linked from 1,000 notes: ten of them are enough
                for prefix in (b"\x00", b"\x01"):  # both YAML parsers
                    count += 1
                    (folder / f"seed-{count:05d}").write_bytes(prefix + path.read_bytes())
    return count


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[1] == "--make-corpus":
        target = Path(argv[2])
        if target.exists():
            shutil.rmtree(target)
        print(f"{make_corpus(target)} seeds in {target}")
        return
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
