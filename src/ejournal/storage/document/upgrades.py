"""Format versions of the journal document and the chain of upgrades between them.

A document names its ``format_version``.  Reading an older document runs the chain
``upgrade_v1_to_v2``, ``upgrade_v2_to_v3``... up to :data:`FORMAT_VERSION`: each step is a pure
function ``(doc: dict) -> dict`` that rewrites the raw JSON of version *N* into version *N + 1*
and is registered in :data:`UPGRADES` under *N*.  The chain, not the step, stamps the new
``format_version``.  Version 1 is the first published format, so the chain is empty for now.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ejournal.core.errors import InvalidInput

__all__ = ["FORMAT_VERSION", "UPGRADES", "Upgrade", "upgrade_document"]

FORMAT_VERSION = 1
"""The format version this ejournal writes (and the newest it reads)."""

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
"""One step of the chain: the raw document of version N in, of version N + 1 out."""

UPGRADES: Mapping[int, Upgrade] = MappingProxyType({})
"""The published steps, keyed by the version they upgrade *from* (read-only)."""


def upgrade_document(raw: dict[str, Any], *, chain: Mapping[int, Upgrade] | None = None) -> dict[str, Any]:
    """Bring a raw document (parsed JSON) up to :data:`FORMAT_VERSION`.

    Applies ``chain[v]``, ``chain[v + 1]``... (default: :data:`UPGRADES`) starting from the
    document's ``format_version`` ``v``; the input is never modified (an older document is
    deep-copied before the first step; a current one is returned as it is).  Raises :class:`InvalidInput` at
    ``$.format_version`` when it is missing or not a whole number, names a version newer than
    this ejournal reads, or has no upgrade step.
    """
    steps = UPGRADES if chain is None else chain
    if not isinstance(raw, dict):
        raise InvalidInput("$", "a document is a JSON object", type(raw).__name__)
    version = raw.get("format_version")
    if "format_version" not in raw:
        raise InvalidInput("$.format_version", "required key is missing")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidInput("$.format_version", "expected a whole number", version)
    if version > FORMAT_VERSION:
        raise InvalidInput(
            "$.format_version",
            f"the document was written in format {version} by a newer ejournal; this one reads formats up to "
            f"{FORMAT_VERSION} - upgrade ejournal to read it",
            version,
        )
    if version == FORMAT_VERSION:
        return raw
    doc = copy.deepcopy(raw)
    while version < FORMAT_VERSION:
        step = steps.get(version)
        if step is None:
            raise InvalidInput(
                "$.format_version",
                f"no upgrade from format {version} (this ejournal reads formats "
                f"{min([*steps, FORMAT_VERSION])} to {FORMAT_VERSION})",
                version,
            )
        doc = step(doc)
        if not isinstance(doc, dict):
            raise InvalidInput("$", f"the upgrade from format {version} did not return an object", type(doc).__name__)
        version += 1
        doc["format_version"] = version
    return doc
