"""Faster constructors for the model's frozen dataclasses, for the records a build makes by the thousand.

A frozen dataclass's `__init__` sets each field with `object.__setattr__`, which looks the slot up by name
every time: a 13-field Interaction costs ~0.9 µs, most of it there. `constructor(cls)` gives a function
that makes the very same object (the same class, equal field by field, `__init__` skipped) by calling each
slot's descriptor directly, in about half the time (as `vaultkit.read._mdfast` does for the reader's types).

The function takes every field, positionally, in order: no defaults. `constructor` refuses a class it
cannot make this way (not a slots dataclass, a field left out of `__init__`, a `__post_init__`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["constructor"]

T = TypeVar("T")


def constructor(cls: type[T]) -> Callable[..., T]:
    """`cls(*values)` without `__init__`: every field of `cls` given positionally, in order."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    if (
        getattr(cls, "__slots__", None) != names
        or "__post_init__" in vars(cls)
        or any(not f.init or f.name.startswith("_") for f in fields)
    ):
        raise TypeError(f"{cls.__name__}: not a slots dataclass whose fields are all set by __init__")
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def new_{cls.__name__.lower()}({', '.join(names)}):", "    _made = _new(_cls)"]
    for i, name in enumerate(names):
        scope[f"_set{i}"] = vars(cls)[name].__set__
        lines.append(f"    _set{i}(_made, {name})")
    lines.append("    return _made")
    exec("\n".join(lines), scope)  # the way dataclasses makes __init__
    made: Callable[..., T] = scope[f"new_{cls.__name__.lower()}"]
    made.__doc__ = f"{cls.__name__}({', '.join(names)}), without __init__."
    return made
