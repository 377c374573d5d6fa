"""A small TOML writer for the fixed shape of a grading policy (core may not depend on tomli-w).

It writes what :meth:`GradingPolicy.to_dict` produces: strings, whole numbers, booleans, lists of
those, lists of small tables (written inline) and nested tables (written as ``[a.b]`` headers).
Floats are never written: exact numbers are strings ("4.65").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["policy_toml", "toml_value"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """One TOML value (inline); raises ``TypeError`` for floats and other unsupported types."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to a policy file")


def _table(data: Mapping[str, Any], path: tuple[str, ...], lines: list[str]) -> None:
    scalars = [(k, v) for k, v in data.items() if not isinstance(v, Mapping)]
    tables = [(k, v) for k, v in data.items() if isinstance(v, Mapping)]
    if path and (scalars or not tables):
        if lines:
            lines.append("")
        lines.append("[" + ".".join(_key(p) for p in path) + "]")
    for k, v in scalars:
        if isinstance(v, list) and v and all(isinstance(i, Mapping) for i in v):
            lines.append(f"{_key(k)} = [")
            lines.extend(f"  {toml_value(i)}," for i in v)
            lines.append("]")
        else:
            lines.append(f"{_key(k)} = {toml_value(v)}")
    for k, v in tables:
        _table(v, (*path, k), lines)


def policy_toml(data: Mapping[str, Any]) -> str:
    """The TOML document for a policy mapping (as made by ``GradingPolicy.to_dict``)."""
    lines = ['# ejournal grading policy (exact numbers are strings: "4.65", "9/2")']
    _table(data, (), lines)
    return "\n".join(lines) + "\n"
