"""Bad input and secrets at the command line: passwords never printed, private files, passphrases."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ejournal.cli import EXIT_BAD_INPUT, cli


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ejournal: error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    return errors[0]


def _commands(tmp_path: Path) -> list[list[str]]:
    doc = tmp_path / "doc.json"
    doc.write_text("{}", encoding="utf-8")
    return [
        ["validate"],
        ["sheet", "--class", "9А", "--format", "pdf", "-o", str(tmp_path / "s.pdf")],
        ["export", "-o", str(tmp_path / "e.json")],
        ["backup", "-o", str(tmp_path / "b.gz")],
        ["restore", str(doc)],
        ["db", "upgrade"],
    ]


def _with_db(command: list[str], url: str) -> list[str]:
    depth = 2 if command[0] in ("archive", "db") else 1
    return [*command[:depth], "--db", url, *command[depth:]]


UNPARSABLE = [
    "postgresql://u:secret@host:notaport/db",
    "postgresql://u:secret@[::1/db",
    "mariadb://u:secret@host:port/db",
]


@pytest.mark.parametrize("url", UNPARSABLE)
@pytest.mark.parametrize("index", range(6))
def test_the_password_of_an_unparsable_url_is_never_printed(tmp_path: Path, url: str, index: int) -> None:
    command = _commands(tmp_path)[index]
    result = run(*_with_db(command, url))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    line = one_line_error(result)
    assert "secret" not in result.output
    assert "u:***@" in line


def test_the_password_from_the_environment_is_never_printed(tmp_path: Path) -> None:
    result = run("validate", env={"EJOURNAL_STORAGE": "postgresql://u:secret@host:notaport/db"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "secret" not in result.output
