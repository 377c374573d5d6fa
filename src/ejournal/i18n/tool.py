"""The translators' tools: the ``.pot`` template, the catalog check, importing keys from JSON.

Run as ``python -m ejournal.i18n template|check|import-json`` (docs/i18n.md).  ``ru.po`` is the
source: a developer adds a key there, ``template`` writes ``ejournal.pot`` from it, and the
standard ``pybabel update`` merges the template into the other ``.po`` files for translators.
``check`` is what the test suite runs: every locale has every key of ``ru.po`` with a non-empty
text, the same ``{placeholders}``, as many plural forms as its ``Plural-Forms`` header says, and
the template is up to date.
"""

from __future__ import annotations

import io
import json
import string
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ejournal.core.errors import InvalidInput
from ejournal.i18n.catalogs import DOMAIN
from ejournal.i18n.numbers import LOCALES

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog as PoCatalog

__all__ = ["LOCALE_DIR", "TEMPLATE", "import_json", "placeholders", "problems", "read", "template", "write"]

LOCALE_DIR = Path(__file__).parent / "locales"
"""Where the catalogs live: ``<lang>/LC_MESSAGES/ejournal.po`` and the template ``ejournal.pot``."""

TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
"""The template translators start a new locale from."""

SOURCE = "ru"
"""The locale whose ``.po`` holds the source texts."""

OPTIONAL_PLACEHOLDERS: dict[str, frozenset[str]] = {"footer.certified": frozenset({"words"})}
"""Placeholders a translation may leave out: the number in words exists only in Russian (pytils)."""


def po_file(locale: str) -> Path:
    """The ``.po`` file of ``locale``."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, locale: str | None = None) -> PoCatalog:
    """The catalog in ``path`` (a ``.po`` or the ``.pot``), read by Babel."""
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def write(catalog: PoCatalog, path: Path) -> None:
    """Write ``catalog`` to ``path``: sorted by key, lines unwrapped (as ``pybabel update --no-wrap``)."""
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, omit_header=False)
    path.write_bytes(buffer.getvalue())


def _key(message_id: object) -> str:
    return str(message_id[0] if isinstance(message_id, (tuple, list)) else message_id)


def _forms(value: object) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    return (str(value or ""),)


def placeholders(text: str) -> frozenset[str]:
    """The ``str.format`` field names of ``text`` (``"{student}: {value:02d}"`` → student, value)."""
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return frozenset(names)


def template() -> PoCatalog:
    """The ``.pot`` built from ``ru.po``: every key (plural keys with their plural id) and the
    Russian text as an extracted comment for translators."""
    from babel.messages.catalog import Catalog as PoCatalog

    source = read(po_file(SOURCE), SOURCE)
    pot = PoCatalog(domain=DOMAIN, project="ejournal", version="0.2.0", charset="utf-8", fuzzy=False)
    pot.creation_date = source.creation_date
    pot.revision_date = source.revision_date
    pot.header_comment = source.header_comment
    for m in source:
        if not m.id:
            continue
        forms = _forms(m.string)
        comment = "ru: " + " / ".join(forms)
        empty: str | tuple[str, ...] = ("",) * 2 if m.pluralizable else ""
        pot.add(m.id, empty, auto_comments=[comment])
    return pot


def problems(locales: Sequence[str] = LOCALES) -> list[str]:
    """Every disagreement between the catalogs, one line each (empty when all agree)."""
    out: list[str] = []
    source = {_key(m.id): m for m in read(po_file(SOURCE), SOURCE) if m.id}
    for locale in locales:
        po = read(po_file(locale), locale)
        messages = {_key(m.id): m for m in po if m.id}
        for key in sorted(source.keys() - messages.keys()):
            out.append(f"{locale}: {key}: missing")
        for key in sorted(messages.keys() - source.keys()):
            out.append(f"{locale}: {key}: not in {SOURCE}.po")
        for key in sorted(source.keys() & messages.keys()):
            src, msg = source[key], messages[key]
            forms = _forms(msg.string)
            if "fuzzy" in msg.flags:
                out.append(f"{locale}: {key}: marked fuzzy")
            if src.pluralizable != msg.pluralizable:
                out.append(f"{locale}: {key}: plural in one catalog, not in the other")
            elif msg.pluralizable and len(forms) != po.num_plurals:
                out.append(f"{locale}: {key}: {len(forms)} plural forms, Plural-Forms says {po.num_plurals}")
            if not all(forms):
                out.append(f"{locale}: {key}: empty translation")
            wanted = placeholders(" ".join(_forms(src.string)))
            optional = OPTIONAL_PLACEHOLDERS.get(key, frozenset()) if locale != SOURCE else frozenset()
            for form in forms:
                if form and not (wanted - optional <= placeholders(form) <= wanted):
                    got = ", ".join(sorted(placeholders(form))) or "none"
                    out.append(
                        f"{locale}: {key}: placeholders {got}, {SOURCE}.po has {', '.join(sorted(wanted)) or 'none'}"
                    )
    if not TEMPLATE.exists():
        out.append(f"{TEMPLATE.name}: missing (python -m ejournal.i18n template)")
    else:
        pot = {_key(m.id) for m in read(TEMPLATE) if m.id}
        if pot != source.keys():
            out.append(f"{TEMPLATE.name}: out of date with {SOURCE}.po (python -m ejournal.i18n template)")
    return out


def import_json(locale: str, path: Path) -> list[str]:
    """Add to ``locale``'s ``.po`` the keys of a JSON object ``{key: text}`` it lacks (a text may be
    ``{"one": ..., "few": ..., "many": ..., "other": ...}`` for a plural word).  Existing keys are
    kept.  Returns the keys added.  Raises :class:`InvalidInput` for another shape or locale."""
    if locale not in LOCALES:
        raise InvalidInput("locale", f"unsupported locale (supported: {', '.join(LOCALES)})", locale)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise InvalidInput(str(path), "must be a JSON object of key → text", type(data).__name__)
    po = read(po_file(locale), locale)
    known = {_key(m.id) for m in po if m.id}
    added = []
    for key, value in sorted(data.items()):
        if key in known:
            continue
        if isinstance(value, dict):
            from ejournal.i18n.catalogs import _categories

            order = [c for c in ("one", "two", "few", "many", "other") if c in _categories(locale)]
            forms = tuple(str(value.get(c) or value.get("other") or value.get("many") or "") for c in order)
            po.add((key, key), forms[: po.num_plurals])
        elif isinstance(value, str):
            po.add(key, value)
        else:
            raise InvalidInput(f"{path}[{key!r}]", "must be a text or a mapping of plural forms", value)
        added.append(key)
    if added:
        write(po, po_file(locale))
    return added
