"""What the commands of the ``ejournal`` CLI share: exit codes, the actor, the one-line errors,
the ``--db``/``--policy``/``--debug`` options, and the helpers every command module uses.

The command modules import this module and nothing else of the CLI; :mod:`ejournal.cli.main`
imports the command modules and attaches their commands to the ``ejournal`` group.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import unquote

import click

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import (
    ConcurrentModification,
    EjournalError,
    InvalidInput,
    NotFound,
    PeriodLocked,
    PermissionDenied,
    StorageUnavailable,
)
from ejournal.core.journal import Actor, ClassJournal, Role

if TYPE_CHECKING:  # the CLI imports these when a command runs, so `ejournal --help` stays quick
    from ejournal.core.collation import Collator
    from ejournal.core.grading import GradingPolicy
    from ejournal.core.summary import SheetLayout
    from ejournal.service import JournalService
    from ejournal.storage.ports import Storage

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_STORAGE = 3

DEFAULT_DB = "sqlite:///ejournal.db"
OPERATOR = Actor("cli", Role.SYSTEM)
"""The region-wide actor of ``--all`` (whole-database backup and restore): explicit, never implied."""


def admin(school_id: str) -> Actor:
    """The CLI's actor in one school: an administrator of ``school_id`` (schools are tenants)."""
    return Actor("cli", Role.ADMINISTRATOR, school_id)


F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error with an exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: Any = None) -> None:
        click.echo(f"ejournal: error: {self.format_message()}", err=True)


def _internal(error: BaseException, command: str = "") -> str:
    """The one line of an unexpected error: its type, what was running, and its message (or why
    there is none), never an empty ``: ;``."""
    where = f" in `ejournal {command}`" if command else ""
    if isinstance(error, MemoryError):
        detail = "ran out of memory" + (f" ({error})" if str(error) else "")
    else:
        detail = str(error) or "the error carried no message"
    return f"internal error ({type(error).__name__}){where}: {detail}; rerun with --debug for details"


def _translate(error: BaseException, command: str = "") -> CliError:
    if isinstance(error, StorageUnavailable):
        return CliError(str(error), EXIT_STORAGE)
    if isinstance(error, (InvalidInput, NotFound, PeriodLocked, PermissionDenied, ConcurrentModification)):
        return CliError(str(error), EXIT_BAD_INPUT)
    if isinstance(error, EjournalError):
        return CliError(str(error), EXIT_BAD_INPUT)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        return CliError(f"{where}{error.strerror or error}", EXIT_BAD_INPUT)
    return CliError(_internal(error, command), 70)


class State:
    """What every command shares: the storage URL, the policy, debug mode."""

    def __init__(self, db: str | None, policy: str, debug: bool) -> None:
        self.db = db or os.environ.get("EJOURNAL_STORAGE") or DEFAULT_DB
        self.policy_name = policy
        self.debug = debug

    def policy(self) -> GradingPolicy:
        from ejournal.core.grading import BUILTIN_POLICY_NAMES, builtin_policy, load_policy

        if self.policy_name in BUILTIN_POLICY_NAMES:
            return builtin_policy(self.policy_name)
        return load_policy(self.policy_name)

    @contextmanager
    def storage(self, *, create: bool = True) -> Iterator[Storage]:
        from ejournal.storage import open as open_storage

        storage = open_storage(self.db)
        try:
            yield storage
        finally:
            storage.close()


def common(func: F) -> F:
    """Add ``--db``, ``--policy`` and ``--debug`` to a command and turn errors into one line."""

    @click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Storage URL (default: $EJOURNAL_STORAGE or sqlite:///ejournal.db).",
    )
    @click.option(
        "--policy", default="federal", show_default=True, help="Grading policy: a built-in name or a TOML/JSON file."
    )
    @click.option("--debug", is_flag=True, help="Show tracebacks.")
    @functools.wraps(func)
    def wrapper(db: str | None, policy: str, debug: bool, **kwargs: Any) -> Any:
        state = State(db, policy, debug)
        try:
            return func(state, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if debug:
                raise
            context = click.get_current_context(silent=True)
            command = context.command_path.partition(" ")[2] if context else ""  # without the program name
            translated = _translate(error, command)
            raise CliError(_scrub(translated.message, state.db), translated.exit_code) from error

    return cast(F, wrapper)


def _progress(items: Iterable[Any], label: str) -> Iterator[Any]:
    """Yield ``items`` (a list, or an iterator that loads them one by one), drawing a progress
    bar on stderr only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar


def _school_id(storage: Storage, school: str | None) -> str:
    with storage.unit_of_work() as uow:
        schools = uow.schools.list()
    if school:
        if not any(s.id == school for s in schools):
            raise NotFound("school", school, "the database")
        return school
    if not schools:
        raise NotFound("school", "(any)", "the database; run `ejournal demo` or `ejournal import FILE` first")
    if len(schools) > 1:
        raise InvalidInput(
            "--school", f"the database holds {len(schools)} schools; name one", ", ".join(s.id for s in schools)
        )
    return str(schools[0].id)


def _year(text: str | None) -> AcademicYear | None:
    return AcademicYear.parse(text) if text else None


def _as_of(journal: ClassJournal) -> date:
    return min(journal.class_group.year.end, date.today())


def _scrub(message: str, url: str) -> str:
    """``message`` with the password of ``url`` (if it has one) replaced by ``***`` wherever it occurs.

    A last line of defence: a driver's message may quote the URL it was given, parsed or not.
    """
    from ejournal.storage import mask_url

    message = message.replace(url, mask_url(url))
    _head, sep, rest = url.partition("://")
    at = rest.rfind("@")
    if sep and at != -1:
        _user, colon, password = rest[:at].partition(":")
        if colon and password:
            for secret in {password, unquote(password)}:
                message = message.replace(secret, "***")
    return message


def _mask(url: str) -> str:
    from ejournal.storage import mask_url

    return str(mask_url(url))


FORMATS = ("pdf", "html", "csv", "xlsx", "json")
LOCALES = ("ru", "tt", "en")
LAYOUTS = ("students", "subjects")


def _layout(name: str) -> SheetLayout:
    from ejournal.core.summary import SheetLayout

    return SheetLayout.STUDENTS_AS_ROWS if name == "students" else SheetLayout.SUBJECTS_AS_ROWS


def _service(state: State, storage: Storage) -> JournalService:
    from ejournal.service import JournalService

    return JournalService(storage, state.policy())


def _collator(language: str = "ru") -> Collator:
    from ejournal.i18n.collation import collator

    return collator("tt" if language == "tt" else "ru")


def _format_of(output: Path | None) -> str:
    """The renderer named by the extension of ``output`` (``sheet.xlsx`` → ``xlsx``).

    ``None`` (a directory) or an extension no renderer has gives ``pdf``, except a known but
    different extension is never silently overridden: that is the caller's ``--format``.
    """
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if suffix == "htm":
        return "html"
    return suffix if suffix in FORMATS else "pdf"


def _day(value: str | None, option: str) -> date | None:
    """The date ``value`` (YYYY-MM-DD) given to ``option``, ``None`` when not given; a bad one is
    :class:`InvalidInput` naming the option."""
    try:
        return None if value is None else date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(option, "expected a date YYYY-MM-DD", value) from None
