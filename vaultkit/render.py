"""Render agenda pages from Jinja2 templates: sandboxed, capped, deterministic, Markdown-safe.

Templates are looked up first in ``<vault>/.vaultkit/templates/`` (user overrides, possibly written by a
stranger in a shared vault), then in the packaged templates. Both go through the same
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment`. Notes are never template sources: note values reach
templates only as context data, and the loaders are rooted at the template folders, so a template cannot
include a note.

Resource caps, and what they do not cover:

* output size (``max_bytes``): counted chunk by chunk while rendering;
* time (``max_seconds``): checked on every output chunk, every function or macro call, attribute or item
  lookup, intercepted ``*``/``**``, and every iteration of every ``{% for %}`` loop (each loop's iterable is
  wrapped when the template is compiled), so loops that print nothing are caught too;
* ``range()`` is limited to ``jinja2.sandbox.MAX_RANGE`` (100 000) items; ``str``/``list`` ``*`` n results
  to ``max_bytes`` items; ``**`` results to about 10 000 bits; template files to 1 MB; recursion by Python's
  recursion limit.

Not capped: single expensive built-in operations that never return to template code, e.g.
``'x'|center(10**8)``, ``'%0100000000d' % 1``, ``s|replace('a', big)``, or doubling a string in a loop ~30
times. Such a template can use a lot of memory before the next check. If hostile templates matter beyond
this, render in a subprocess with ``resource.setrlimit(RLIMIT_AS)`` and a wall-clock kill.
"""

from __future__ import annotations

import importlib.resources
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

import vaultkit
from vaultkit.render_cache import CompiledTemplates
from vaultkit.render_filters import FILTERS, iso_date, link, plural, text

__all__ = [
    "OVERRIDES_DIR",
    "RenderLimitError",
    "TemplateRenderError",
    "iso_date",
    "link",
    "packaged_templates_dir",
    "plural",
    "render_page",
    "text",
]

OVERRIDES_DIR = ".vaultkit/templates"
MAX_TEMPLATE_BYTES = 1_000_000
_MAX_POWER_BITS = 10_000
_LOOP_GUARD = "vaultkit_loop_guard"
_DICT_ATTRIBUTES = frozenset(dir(dict))  # every name `getattr` finds on a plain dict (methods, dunders)
# The filters called as functions ({{ link(a, b) }}): plain functions that take no context or environment
# and never raise StopIteration, so the sandbox may call them directly. By id: a template's value may not
# be hashable, and these functions live as long as the process.
_PLAIN_CALLS = frozenset(map(id, FILTERS.values()))
_LOOP_ATTRIBUTES = frozenset(name for name in dir(LoopContext) if not name.startswith("_"))  # loop.index, ...


class TemplateRenderError(Exception):
    """A template could not be rendered. ``template`` is the vault-relative path for an override
    (``.vaultkit/templates/pages/X.md.j2``) or the packaged template name (``pages/X.md.j2``)."""

    def __init__(self, template: str, line: int | None, message: str) -> None:
        super().__init__(template, line, message)
        self.template = template
        self.line = line
        self.message = message

    def __str__(self) -> str:
        where = self.template if self.line is None else f"{self.template}:{self.line}"
        return f"{where}: template error: {self.message}"


class RenderLimitError(jinja2.TemplateError):
    """Raised while rendering when a cap is hit; :func:`render_page` reports it as a TemplateRenderError."""


def packaged_templates_dir() -> Path:
    """``vaultkit/templates`` in an installed wheel, else the checkout's top-level ``templates/``."""
    resource = importlib.resources.files("vaultkit") / "templates"
    if resource.is_dir():
        return Path(str(resource))
    return Path(vaultkit.__file__).resolve().parents[1] / "templates"


# --- Loading --------------------------------------------------------------------------------------


class _ConfinedLoader(jinja2.BaseLoader):
    """Loads templates from one folder only: refuses files whose real path leaves it (symlinks), non-files
    and files over MAX_TEMPLATE_BYTES. With ``fence``, the folder must resolve inside it (the vault)."""

    def __init__(self, root: Path, label: str, names: dict[str, str], fence: Path | None = None) -> None:
        self.root = root
        self.label = label
        self.names = names
        self.fence = fence

    def _unlinked_root(self) -> Path | None:
        """Where the folder is when no part of it below the fence is a symlink (None if not below it)."""
        assert self.fence is not None
        try:
            return self.fence.resolve().joinpath(*self.root.relative_to(self.fence).parts)
        except ValueError:
            return None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.root.joinpath(*split_template_path(template))
        try:
            root = self.root.resolve(strict=True)
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise jinja2.TemplateNotFound(template) from None
        if self.fence is not None and root != self._unlinked_root():
            raise SecurityError(
                f"{self.label.rstrip('/')} is or passes through a symbolic link; no templates loaded from it"
            )
        if not real.is_relative_to(root) or not real.is_file():
            raise jinja2.TemplateNotFound(template)
        if real.stat().st_size > MAX_TEMPLATE_BYTES:
            raise RenderLimitError(f"template '{template}' is larger than {MAX_TEMPLATE_BYTES} bytes")
        source = real.read_text(encoding="utf-8")  # universal newlines: CRLF templates render like LF ones
        filename = str(path)
        self.names[filename] = self.label + template
        return source, filename, lambda: True


_COMPILED = CompiledTemplates(size=64)  # one for the process: see render_cache.py


# --- The sandbox ----------------------------------------------------------------------------------


@jinja2.pass_context
def _loop_guard(context: Context, iterable: Iterable[Any]) -> Iterator[Any]:
    environment = context.environment
    for item in iterable:
        if isinstance(environment, _Sandbox):
            environment.check_time()
        yield item


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, loader: jinja2.BaseLoader, names: dict[str, str], max_bytes: int, max_seconds: float):
        super().__init__(
            loader=loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            bytecode_cache=_COMPILED,
            # No constant folding: it would cost a tenth of compiling a template, and folds almost nothing
            # here (a sandbox folds no calls, attributes or intercepted operators); the text is the same.
            optimized=False,
        )
        self.names = names
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.deadline = time.monotonic() + max_seconds
        self.filters.pop("random", None)  # nondeterministic
        self.globals.pop("lipsum", None)  # nondeterministic
        self.filters.update(FILTERS)
        self.globals.update(FILTERS)  # also callable as functions: {{ link(target, name) }}
        self.filters[_LOOP_GUARD] = _loop_guard

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitError(
                f"rendering took longer than {self.max_seconds:g} seconds (an endless loop?)"
            )

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = nodes.Filter(
                loop.iter, _LOOP_GUARD, [], [], None, None, lineno=loop.iter.lineno, environment=self
            )
        return tree

    # The hooks below run for every call, attribute and item a template reads: `check_time` is inlined.

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() > self.deadline:
            self.check_time()
        if id(obj) in _PLAIN_CALLS:
            # What `super().call` comes to for these (safe to call, nothing passed to them), less its checks:
            # Jinja's loop and block variables are for functions marked `pass_context` only.
            if kwargs:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            try:
                return obj(*args, **kwargs)
            except StopIteration:  # as `jinja2.runtime.Context.call` does
                return self.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(context, obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if time.monotonic() > self.deadline:
            self.check_time()
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            # What Jinja does for `row.key` on a plain dict, without raising and catching AttributeError:
            # a dict has no attribute of that name, so the item (unchecked, as in Jinja), else undefined.
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if type(obj) is LoopContext and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)  # `loop.last` etc.: what Jinja finds safe, none is `str.format`
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if time.monotonic() > self.deadline:
            self.check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.check_time()
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and abs(left).bit_length() * right > _MAX_POWER_BITS
        ):
            raise RenderLimitError(f"{left} ** {right} is too large a number")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > self.max_bytes
                ):
                    raise RenderLimitError(f"'*' would make something longer than {self.max_bytes}")
        return super().call_binop(context, operator, left, right)


def _environment(vault_root: Path | None, max_bytes: int, max_seconds: float) -> _Sandbox:
    names: dict[str, str] = {}
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None:
        loaders.append(_ConfinedLoader(vault_root / OVERRIDES_DIR, f"{OVERRIDES_DIR}/", names, vault_root))
    loaders.append(_ConfinedLoader(packaged_templates_dir(), "", names))
    return _Sandbox(jinja2.ChoiceLoader(loaders), names, max_bytes, max_seconds)


# --- Errors ---------------------------------------------------------------------------------------


def _innermost_template_line(exc: BaseException, names: Mapping[str, str]) -> tuple[str, int] | None:
    """Jinja rewrites tracebacks so template frames carry the template's filename and line; take the last."""
    found: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in names:
            found = (names[filename], tb.tb_lineno)
        tb = tb.tb_next
    return found


def _as_render_error(
    exc: Exception, names: Mapping[str, str], root: str | None, name: str
) -> TemplateRenderError:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = names.get(exc.filename or "", exc.name or root or name)
        return TemplateRenderError(where, exc.lineno, exc.message or "syntax error")
    if isinstance(exc, jinja2.TemplateNotFound) and root is None and exc.name == name:
        return TemplateRenderError(
            name, None, f"template not found in {OVERRIDES_DIR}/ or the packaged templates"
        )
    template, line = _innermost_template_line(exc, names) or (root or name, None)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template '{exc.name}' not found (templates may include only other templates)"
    elif isinstance(exc, SecurityError):
        message = f"not allowed in templates: {exc.message}"
    elif isinstance(exc, jinja2.TemplateError):  # UndefinedError, RenderLimitError, ...
        message = exc.message or type(exc).__name__
    elif isinstance(exc, OverflowError):  # e.g. range() beyond MAX_RANGE
        message = str(exc)
    elif isinstance(exc, RecursionError):
        message = "templates nest too deeply (does a macro or include call itself without end?)"
    else:
        message = f"{type(exc).__name__}: {exc}"
    return TemplateRenderError(template, line, message)


def render_page(
    name: str,
    context: Mapping[str, object],
    vault_root: Path | None,
    *,
    max_bytes: int = 5_000_000,
    max_seconds: float = 5.0,
) -> str:
    """Render template ``name`` (e.g. ``"pages/Follow-ups.md.j2"``) with ``context``; return it unmarked.

    A template of that name in ``<vault_root>/.vaultkit/templates/`` wins over the packaged one
    (``vault_root=None``: packaged only). Every failure, including a cap being hit, raises
    :class:`TemplateRenderError` naming the template (and the line where known). The output depends only on
    the templates and ``context``: no clock, locale, timezone or randomness is available to templates.
    """
    environment = _environment(vault_root, max_bytes, max_seconds)
    root: str | None = None
    chunks: list[str] = []
    size = 0
    try:
        template = environment.get_template(name)
        root = environment.names.get(template.filename or "", name)
        deadline = environment.deadline
        monotonic, append = time.monotonic, chunks.append  # locals: this loop runs for every chunk
        for chunk in template.generate(dict(context)):
            size += len(chunk) if chunk.isascii() else len(chunk.encode("utf-8", "surrogatepass"))
            if size > max_bytes:
                raise RenderLimitError(f"the page would be larger than {max_bytes} bytes")
            if monotonic() > deadline:
                environment.check_time()
            append(chunk)
    except Exception as exc:
        raise _as_render_error(exc, environment.names, root, name) from exc
    return "".join(chunks)
