"""Names to file names (reliability.md §7 and hostile cases 21-23)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathvalidate import validate_filename

from vaultkit.interop import InteropError
from vaultkit.interop.names import MAX_NAME_BYTES, clean_name, safe_stem, truncate_bytes


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Jane Doe", "Jane Doe"),
        ("Bob]] [[Evil|x#y^z: *?", "Bob Evil x y z"),
        ("CON", "CON_"),
        ("con", "con_"),
        (" CON ", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("COM1", "COM1_"),
        ("Ann.", "Ann"),
        ("../x", "x"),
        (".hidden", "hidden"),
        ("-rf", "rf"),
        ("a/b\\c", "a b c"),
        ("50%% off", "50 off"),
        ("tab\there\nnewline", "tab here newline"),
        ("x\u202eevil\u200b", "xevil"),  # bidi override and zero-width space dropped
        ("no\u00a0break", "no break"),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_nfd_becomes_nfc() -> None:
    assert safe_stem(unicodedata.normalize("NFD", "José")) == "José"
    assert unicodedata.is_normalized("NFC", safe_stem(unicodedata.normalize("NFD", "José")))
    assert clean_name(unicodedata.normalize("NFD", "José\n Silva")) == "José Silva"


@pytest.mark.parametrize("name", ["", "   ", "..", "...", "#", "[[]]", "|^|"])
def test_nothing_usable_is_refused(name: str) -> None:
    with pytest.raises(InteropError, match="no usable characters"):
        safe_stem(name)


@pytest.mark.parametrize("name", ["a" * 300, "中" * 100, "🇵🇹" * 80, "x\u0301" * 200, "👩‍💻" * 40])
def test_long_names_fit_255_bytes_on_a_cluster_boundary(name: str) -> None:
    stem = safe_stem(name)
    assert len((stem + ".md").encode("utf-8")) <= MAX_NAME_BYTES
    assert name.startswith(stem)
    rest = name[len(stem) :]
    assert not rest or unicodedata.combining(rest[0]) == 0  # never cut before a combining mark
    assert not stem.endswith("\u200d")
    if name.startswith("🇵🇹"):
        assert len(stem) % 2 == 0  # flags stay whole


def test_truncate_bytes_keeps_short_text() -> None:
    assert truncate_bytes("abc", 10) == "abc"
    assert truncate_bytes("é" * 10, 5) == "éé"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_any_name_gives_a_safe_file_name_or_a_clear_refusal(name: str) -> None:
    try:
        stem = safe_stem(name)
    except InteropError as exc:
        assert "no usable characters" in str(exc)
        return
    validate_filename(stem + ".md", platform="universal")
    assert len((stem + ".md").encode("utf-8")) <= MAX_NAME_BYTES
    assert not any(c in stem for c in '/\\:*?"<>|#^[]')
    assert not stem.startswith((".", "-", " ")) and not stem.endswith((".", " "))
    assert unicodedata.is_normalized("NFC", stem)
