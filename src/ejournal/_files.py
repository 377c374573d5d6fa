"""Files holding personal data, created readable by their owner only (mode 0600).

Backups, exports, rendered sheets, the ``json://`` storage file, SQLite databases and archives
hold names, marks and attendance of children.  They are created with mode ``0600`` whatever the
process's umask, so another account on the machine cannot read them.  Only the standard library
is used, so every layer may import this module.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["PRIVATE_MODE", "create_private", "private_file", "write_private"]

PRIVATE_MODE = 0o600
"""The permission bits of every file with personal data that ejournal creates."""


def write_private(path: str | os.PathLike[str], data: bytes, *, keep_mode: bool = False) -> None:
    """Replace the file ``path`` by ``data`` atomically, the new file with mode ``0600``.

    The bytes go to a temporary file in the same directory (created ``0600``, flushed and synced)
    that is then renamed over ``path``, so a reader sees the old file or the new one, never half.
    With ``keep_mode=True`` the permission bits of an existing ``path`` are kept (an
    administrator who widened them on purpose); a new file is always ``0600``.

    Raises :class:`OSError` (the previous file intact, no temporary file left behind).
    """
    with private_file(path, keep_mode=keep_mode) as f:
        f.write(data)


@contextlib.contextmanager
def private_file(path: str | os.PathLike[str], *, keep_mode: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into, piece by piece: on leaving the block
    it replaces ``path`` atomically as :func:`write_private` does; an exception inside the block
    (or a failed write) leaves the previous file intact and no temporary file behind.

    Raises :class:`OSError` and whatever the block raises.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    mode = PRIVATE_MODE
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.stat(target).st_mode)
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if sys.platform != "win32":  # make the rename itself durable; the data is already safe
        with contextlib.suppress(OSError):
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def create_private(path: str | os.PathLike[str]) -> bool:
    """Create ``path`` as an empty ``0600`` file if it does not exist yet.

    Used before a library (SQLite) creates a file itself with the umask's bits.  Returns ``True``
    when the file was created, ``False`` when it already existed (its bits are left alone).
    Raises :class:`OSError` when the file cannot be created (a missing or read-only directory).
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, PRIVATE_MODE)  # the umask may have removed bits, never added: make it exact
    finally:
        os.close(fd)
    return True
