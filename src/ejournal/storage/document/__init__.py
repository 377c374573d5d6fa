"""The versioned journal document: ejournal's import, export and backup format.

A document is canonical UTF-8 JSON holding one school's academic year (see ``docs/format.md``
and the JSON Schema at :func:`schema_path`)::

    data = dump_school_year(sy)          # bytes, identical for equal school years
    same = load_school_year(data)        # validated; InvalidInput lists every problem by JSON path

Files: :func:`read_document` / :func:`write_document` (atomic, gzip by the ``.gz`` suffix);
:func:`write_export` and :func:`write_backup` stream from a storage into a file, one class
journal in memory at a time (the same bytes as the in-memory documents).
Storage: :func:`export_school_year` / :func:`import_school_year` (one unit of work each) and
:func:`backup_storage` / :func:`restore_storage` for a whole storage (:func:`read_backup` reads a
bundle without writing it).  :func:`dumps_record` / :func:`loads_record` give an audit record's
JSON text alone (the SQL backend stores it so).
"""

from __future__ import annotations

import gzip as _gzip
import os
from collections.abc import Collection
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ejournal._files import private_file, write_private
from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import NotFound, StorageUnavailable
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document._codec import (
    _converter,
    decode_json,
    dumps_record,
    encode_json,
    loads_record,
    parse_document,
)
from ejournal.storage.document._storage import (
    Backup,
    GzipWriter,
    SchoolRecords,
    backup_storage,
    export_school_year,
    import_school_year,
    read_backup,
    replacement_changes,
    restore_storage,
    stream_backup,
    stream_school_year,
)
from ejournal.storage.document.upgrades import FORMAT_VERSION, UPGRADES, Upgrade, upgrade_document
from ejournal.storage.ports import Storage

__all__ = [
    "FORMAT_VERSION",
    "UPGRADES",
    "Backup",
    "SchoolRecords",
    "Upgrade",
    "backup_storage",
    "decode_json",
    "dump_school_year",
    "dumps_record",
    "export_school_year",
    "import_school_year",
    "load_school_year",
    "loads_record",
    "read_backup",
    "read_document",
    "replacement_changes",
    "restore_storage",
    "schema_path",
    "stream_backup",
    "stream_school_year",
    "upgrade_document",
    "write_backup",
    "write_document",
    "write_export",
]

SCHEMA_FILE = "ejournal-document-v1.schema.json"


def dump_school_year(sy: SchoolYear) -> bytes:
    """The canonical document of ``sy``: UTF-8 JSON, sorted keys, lists sorted by id, final newline.

    Equal school years give identical bytes, and ``dump(load(dump(sy))) == dump(sy)``.  The
    document is written as given (validation happens on reading).  Raises :class:`InvalidInput`
    when a journal's school differs from ``sy.school`` or a date-time is not timezone-aware.
    """
    return encode_json(_converter.unstructure(sy, SchoolYear))


def load_school_year(data: bytes | str) -> SchoolYear:
    """Read a school-year document (text, UTF-8 bytes or gzip-compressed bytes).

    Older formats are upgraded through :func:`upgrade_document`.  Everything is validated before
    anything is built: types, unknown and missing keys, duplicate ids, dangling references, marks
    off their scale, dates outside the year.  Raises ONE :class:`InvalidInput` whose
    ``problems`` list every problem, each ``where`` a JSON path such as
    ``$.journals[0].marks[12].value``; malformed JSON names its line and column.
    """
    raw = parse_document(data)
    result: SchoolYear = _converter.structure(raw, SchoolYear)
    return result


def read_document(path: str | os.PathLike[str]) -> SchoolYear:
    """Read the school-year document stored at ``path`` (gzip detected by content).

    Raises :class:`NotFound` when the file does not exist, :class:`StorageUnavailable` when it
    cannot be read, :class:`InvalidInput` (see :func:`load_school_year`) for a bad document.
    """
    target = Path(path)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise NotFound("document", str(target)) from None
    except OSError as e:
        raise StorageUnavailable(str(target), e.strerror or str(e)) from None
    return load_school_year(data)


def write_document(path: str | os.PathLike[str], sy: SchoolYear, *, gzip: bool | None = None) -> None:
    """Write ``sy``'s document to ``path`` atomically (a temporary file renamed over the target),
    mode ``0600`` (it holds personal data).

    ``gzip=None`` compresses when the name ends in ``.gz``.  Gzip output carries no timestamp, so
    equal school years give equal files.  A failed write leaves any previous file intact and
    raises :class:`StorageUnavailable` (or :class:`InvalidInput`, see :func:`dump_school_year`).
    """
    target = Path(path)
    data = dump_school_year(sy)
    if gzip is None:
        gzip = target.name.endswith(".gz")
    if gzip:
        data = _gzip.compress(data, compresslevel=6, mtime=0)
    try:
        write_private(target, data)
    except OSError as e:
        raise StorageUnavailable(str(target), e.strerror or str(e)) from None


def write_export(
    storage: Storage, school_id: str, year: AcademicYear, path: str | os.PathLike[str], *, gzip: bool | None = None
) -> None:
    """Write the document of one school's year from ``storage`` to ``path`` as it is read
    (:func:`stream_school_year`): the bytes :func:`write_document` writes for the exported year,
    in the memory of the largest class.  Atomic and ``0600``; ``gzip=None`` compresses for a
    ``.gz`` name.  Raises :class:`NotFound` (school), :class:`StorageUnavailable` (the storage,
    or the file: the previous file intact).
    """
    target = Path(path)
    compress = target.name.endswith(".gz") if gzip is None else gzip
    try:
        with private_file(target) as f:
            if compress:
                gz = GzipWriter(f.write)
                stream_school_year(storage, school_id, year, gz.write)
                gz.close()
            else:
                stream_school_year(storage, school_id, year, f.write)
    except OSError as e:
        raise StorageUnavailable(str(target), e.strerror or str(e)) from None


def write_backup(storage: Storage, path: str | os.PathLike[str], *, schools: Collection[str] | None = None) -> int:
    """Write :func:`backup_storage`'s bundle to ``path`` as it is read (:func:`stream_backup`),
    atomic and ``0600``; returns its size in bytes.  A problem in the stored data raises
    :class:`InvalidInput` and leaves the previous file intact (and no temporary file); a failed
    write raises :class:`StorageUnavailable`.
    """
    target = Path(path)
    size = 0

    def write(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        f.write(piece)

    try:
        with private_file(target) as f:
            stream_backup(storage, write, schools=schools)
    except OSError as e:
        raise StorageUnavailable(str(target), e.strerror or str(e)) from None
    return size


def schema_path() -> Traversable:
    """The JSON Schema (draft 2020-12) of the current document format, shipped in the package.

    Open it with ``schema_path().read_text(encoding="utf-8")``.
    """
    return files("ejournal.storage.document") / "schema" / SCHEMA_FILE
