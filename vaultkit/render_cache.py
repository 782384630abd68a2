"""Compiled Jinja templates kept for the process, so `vaultkit watch` does not compile them on every build."""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import CodeType

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates for this process, so each source is compiled once (not on every build).

    Only render.py's sandboxed environments use it, and they all compile alike (same options, filters and
    loop guards), so compiled code depends only on the template's name, file name and source: together the
    key, compared in full (no hashes). Templates are still read and checked through their loaders every
    time; a changed file is a new key. The least recently used entries are dropped beyond ``size``.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._code: OrderedDict[tuple[str, str], CodeType] = OrderedDict()
        self._lock = threading.Lock()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return repr((name, filename))

    def get_source_checksum(self, source: str) -> str:
        return source

    def load_bytecode(self, bucket: Bucket) -> None:
        key = (bucket.key, bucket.checksum)
        with self._lock:
            code = self._code.get(key)
            if code is not None:
                self._code.move_to_end(key)
                bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        with self._lock:
            self._code[bucket.key, bucket.checksum] = bucket.code
            while len(self._code) > self.size:
                self._code.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._code.clear()
