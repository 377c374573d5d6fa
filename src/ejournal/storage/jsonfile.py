"""The JSON file backend (``json:///path/to/school.json``): a whole storage in one backup document.

The file holds exactly what :func:`~ejournal.storage.document.backup_storage` produces for the
stored data: plain canonical JSON for most names, the same gzip stream when the name ends in
``.gz``.  So the file can be read back with ``restore_storage`` into any backend, and a backup
taken with ``ejournal backup`` can be opened directly as a storage.

- **Opening** loads the file into memory (a missing file is an empty storage, created on the
  first commit).  A damaged file raises :class:`InvalidInput` whose problems are placed as
  ``<file>: <JSON path>``; journals keep the versions the file records.
- **Units of work** behave as those of :class:`~ejournal.storage.memory.MemoryStorage` (this class
  extends it): read-committed, optimistic journal versions, thread-safe within one process.
- **Every commit** that writes something rewrites the whole file atomically (a temporary file in
  the same directory, flushed to disk, renamed over the target).  If the file cannot be written
  the commit raises :class:`StorageUnavailable` and the storage keeps the state the file has:
  memory never runs ahead of the disk.
- **One storage per file.**  Two processes (or two storages in one process) cannot share a file:
  on POSIX the storage holds an advisory lock (``fcntl.flock``) on ``<file>.lock`` until
  :meth:`JsonFileStorage.close`, and a second open raises :class:`StorageUnavailable`.  The lock
  file is left in place on close (removing it would race with another opener).  Elsewhere no lock
  is taken.

Each commit costs a serialization of the whole storage, so this backend suits one school, backups
and tests; use SQLite or a server database for many schools or frequent writes.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import os
import sys
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ejournal._files import write_private
from ejournal.core.errors import InvalidInput, Problem, StorageUnavailable
from ejournal.storage.document import backup_storage, read_backup, restore_storage
from ejournal.storage.memory import MemoryStorage, MemoryUnitOfWork
from ejournal.storage.ports import Capability
from ejournal.storage.registry import mask_url

if sys.platform != "win32":
    import fcntl

__all__ = ["SCHEME", "JsonFileStorage", "JsonFileUnitOfWork", "open_storage"]

SCHEME = "json"
"""The URL scheme this backend serves: ``json://`` followed by the file path."""

_PREFIX = f"{SCHEME}://"


class JsonFileStorage(MemoryStorage):
    """A storage whose committed data lives in one backup document file (see the module docstring).

    Capabilities: transactions, concurrency (units of work of one process, as in memory) and
    persistence.  Construct it with :func:`open_storage`.
    """

    def __init__(self, url: str, path: str | os.PathLike[str]) -> None:
        """Lock ``path`` and load it; ``url`` is what :attr:`url` reports (password-masked).

        Raises :class:`StorageUnavailable` (naming the file) when its lock is held by another
        storage or the file or its lock file cannot be read or created, :class:`InvalidInput`
        (problems placed as ``<file>: $.documents[0]...``) when the file is not a valid backup.
        """
        super().__init__(mask_url(url))
        self._path = Path(path).absolute()
        self._gzip = self._path.name.endswith(".gz")
        release = _acquire_lock(self._path, self.url)
        self._release: Callable[[], None] = weakref.finalize(self, release)
        try:
            self._load()
        except BaseException:
            self._release()
            raise

    @property
    def path(self) -> Path:
        """The absolute path of the document file."""
        return self._path

    @property
    def capabilities(self) -> frozenset[str]:
        """Transactions, concurrency and persistence."""
        return frozenset({Capability.TRANSACTIONS, Capability.CONCURRENCY, Capability.PERSISTENCE})

    def unit_of_work(self) -> JsonFileUnitOfWork:
        """A new unit of work; raises :class:`StorageUnavailable` once the storage is closed."""
        self._check_open()
        return JsonFileUnitOfWork(self)

    def close(self) -> None:
        """Drop the in-memory copy and release the file's lock; the file keeps every commit.

        Later use raises :class:`StorageUnavailable`.  Closing twice is harmless.
        """
        with self._lock:
            super().close()
            self._release()

    def __repr__(self) -> str:
        return f"<JsonFileStorage {self._path}{' closed' if self._closed else ''}>"

    # ------------------------------------------------------------------ file I/O
    def _load(self) -> None:
        try:
            data = self._path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as e:
            raise StorageUnavailable(self.url, f"cannot read {self._path}: {e.strerror or e}") from None
        scratch = MemoryStorage(self.url)
        try:
            backup = read_backup(data)
            restore_storage(scratch, backup)
        except InvalidInput as e:
            raise InvalidInput.many(
                [Problem(f"{self._path}: {p.where}", p.message, p.value) for p in e.problems]
            ) from None
        state = scratch._state
        for sy in backup.years:
            for journal in sy.journals.values():
                if journal.version > 1:
                    state.journals[(sy.school.id, journal.id)].version = journal.version
        self._state = state

    def _commit(self, apply: Callable[[], None]) -> None:
        """Run ``apply`` (the in-memory commit) on a copy of the state, write it, then keep it.

        On any failure the previous state is put back, so memory never holds what the file lacks.
        """
        with self._lock:
            before = self._state
            self._state = attrs.evolve(
                before,
                schools=dict(before.schools),
                teachers={k: dict(v) for k, v in before.teachers.items()},
                parents={k: dict(v) for k, v in before.parents.items()},
                journals=dict(before.journals),
                audit={k: list(v) for k, v in before.audit.items()},
            )
            try:
                apply()
                self._write()
            except BaseException:
                self._state = before
                raise

    def _write(self) -> None:
        bundle = backup_storage(self)
        _write_atomic(self._path, bundle if self._gzip else gzip.decompress(bundle), self.url)


class JsonFileUnitOfWork(MemoryUnitOfWork):
    """One transaction over a :class:`JsonFileStorage`: a memory unit of work whose commit writes the file."""

    def __init__(self, storage: JsonFileStorage) -> None:
        """A unit of work over ``storage`` (use :meth:`JsonFileStorage.unit_of_work`)."""
        super().__init__(storage)
        self._file_storage = storage

    def commit(self) -> None:
        """Apply every buffered write and rewrite the file, all or nothing; then start afresh.

        A unit of work with nothing buffered writes no file.  Raises (applying nothing, leaving
        the file as it was and discarding the buffer) what :meth:`MemoryUnitOfWork.commit` raises,
        :class:`StorageUnavailable` naming the file when it cannot be written, and
        :class:`InvalidInput` when the data could not be read back from a backup (see
        :func:`~ejournal.storage.document.backup_storage`).  As after any failed commit, journals
        saved in this unit of work must be loaded again.
        """
        if not (self._schools or self._teachers or self._parents or self._journals or self._audit):
            super().commit()
            return
        self._file_storage._commit(super().commit)


def _acquire_lock(path: Path, url: str) -> Callable[[], None]:
    """Lock ``<path>.lock`` exclusively and return the function that releases it."""
    if sys.platform == "win32":  # pragma: no cover - no flock on Windows
        return lambda: None
    lock_path = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StorageUnavailable(url, f"cannot create the lock file {lock_path}: {e.strerror or e}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        holder = ""
        with contextlib.suppress(OSError, ValueError):
            holder = f" (process {int(os.pread(fd, 32, 0).decode().strip())})"
        os.close(fd)
        if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            raise StorageUnavailable(
                url,
                f"{path} is in use by another storage{holder}: its lock {lock_path} is held; "
                "close that storage first (one json:// file serves one storage at a time)",
            ) from None
        raise StorageUnavailable(url, f"cannot lock {lock_path}: {e.strerror or e}") from None
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def release() -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        with contextlib.suppress(OSError):
            os.close(fd)

    return release


def _write_atomic(path: Path, data: bytes, url: str) -> None:
    """Replace ``path`` by ``data`` atomically: a flushed temporary file renamed over it.

    A new file is created ``0600`` (it holds personal data); an existing file's permission bits
    are kept.  Raises :class:`StorageUnavailable` naming the file, with any previous file intact
    and no temporary file left behind.
    """
    try:
        write_private(path, data, keep_mode=True)
    except OSError as e:
        raise StorageUnavailable(url, f"cannot write {path}: {e.strerror or e}") from None


def open_storage(url: str, **options: Any) -> JsonFileStorage:
    """Open ``json://<path>``: ``json:///srv/school.json`` is ``/srv/school.json``, ``json://school.json``
    is relative to the working directory; a name ending in ``.gz`` is written gzip-compressed.

    Raises :class:`InvalidInput` for another scheme, an empty path or any option (the backend
    takes none), and as :class:`JsonFileStorage` does (a damaged file, a held lock...).
    """
    if not isinstance(url, str) or not url.lower().startswith(_PREFIX):
        raise InvalidInput("storage url", "the json backend serves json://<path> URLs", url)
    if options:
        raise InvalidInput("storage options", "the json backend takes no options", sorted(options))
    path = url[len(_PREFIX) :]
    if not path:
        raise InvalidInput("storage url", "expected json://<path to a .json or .json.gz file>", url)
    return JsonFileStorage(url, path)
