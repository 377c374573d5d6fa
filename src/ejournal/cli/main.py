"""The ``ejournal`` command: the group, the ``db`` commands and the entry point.

Shared helpers live in :mod:`ejournal.cli._shared`; the commands in :mod:`ejournal.cli.commands`,
:mod:`ejournal.cli.report` and :mod:`ejournal.cli.year`, which never import this module: the
imports go one way (shared helpers → command modules → this group).
"""

from __future__ import annotations

import sys

import click

from ejournal.cli import commands, report, year
from ejournal.cli._shared import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_STORAGE,
    CliError,
    State,
    _mask,
    common,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "EXIT_STORAGE", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ejournal")
def cli() -> None:
    """ejournal: school class journals, grading, validation and the annual summary sheet."""


# ---------------------------------------------------------------------------------------------- db
@cli.group()
def db() -> None:
    """Database schema management."""


@db.command("upgrade")
@common
def db_upgrade(state: State) -> None:
    """Upgrade the database schema to the version this library needs."""
    from ejournal.storage.sql import upgrade

    upgrade(state.db)
    click.echo(f"{_mask(state.db)}: schema is up to date")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ejournal`` script: runs the CLI and exits with the documented code."""
    try:
        cli.main(args=argv, prog_name="ejournal", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code if isinstance(e, CliError) else EXIT_BAD_INPUT)
    except click.Abort:
        click.echo("ejournal: aborted", err=True)
        sys.exit(EXIT_BAD_INPUT)
    sys.exit(EXIT_OK)


for _module in (commands, report, year):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
