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


# ---------------------------------------------------------------------- the PKCS#12 passphrase
@pytest.fixture
def seen_passphrase(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record the passphrase ``archive create`` hands to the signer, then stop the command."""
    from ejournal.core.errors import InvalidInput
    from ejournal.render.archive import Signer

    seen: list[object] = []

    def fake(_path: object, passphrase: object = None) -> Signer:
        seen.append(passphrase)
        raise InvalidInput("signer.pkcs12", "stopped by the test")

    monkeypatch.setattr(Signer, "from_pkcs12", staticmethod(fake))
    return seen


def _archive(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    key = tmp_path / "key.p12"
    key.write_bytes(b"not really")
    return run(
        "archive",
        "create",
        "--db",
        "memory://",
        "--class",
        "9А",
        "-o",
        tmp_path / "a",
        "--sign-pkcs12",
        key,
        *extra,
        env=env,
    )


def test_the_passphrase_comes_from_the_environment(tmp_path: Path, seen_passphrase: list[object]) -> None:
    result = _archive(tmp_path, env={"EJOURNAL_PASSPHRASE": "from-env"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert seen_passphrase == ["from-env"]


def test_the_passphrase_comes_from_a_file(tmp_path: Path, seen_passphrase: list[object]) -> None:
    file = tmp_path / "pass.txt"
    file.write_text("from-file\nignored\n", encoding="utf-8")
    result = _archive(tmp_path, "--passphrase-file", str(file), env={"EJOURNAL_PASSPHRASE": "from-env"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert seen_passphrase == ["from-file"]


def test_the_passphrase_option_still_works_and_wins(tmp_path: Path, seen_passphrase: list[object]) -> None:
    result = _archive(tmp_path, "--passphrase", "typed", env={"EJOURNAL_PASSPHRASE": "from-env"})
    assert seen_passphrase == ["typed"], result.output


def test_passphrase_and_passphrase_file_together_are_refused(tmp_path: Path, seen_passphrase: list[object]) -> None:
    file = tmp_path / "pass.txt"
    file.write_text("x\n", encoding="utf-8")
    result = _archive(tmp_path, "--passphrase", "typed", "--passphrase-file", str(file))
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--passphrase" in one_line_error(result)
    assert seen_passphrase == []


# ---------------------------------------------------------------------- sheet --all
def test_sheet_all_with_a_class_label_that_cannot_name_a_file_writes_nothing(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "school.db"
    out = tmp_path / "sheets"
    result = run("demo", "--db", f"sqlite:///{db}", "--out", tmp_path / "demo", "--classes", "3", "--students", "5")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:  # a label written by an older version or by hand
        (last,) = conn.execute("SELECT max(journal_id) FROM ej_journals").fetchone()
        conn.execute("UPDATE ej_journals SET letter = ? WHERE journal_id = ?", ("Б/../../x", last))
    result = run("sheet", "--db", f"sqlite:///{db}", "--all", "--format", "csv", "-o", out)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "letter" in one_line_error(result)
    assert not out.exists() or list(out.iterdir()) == []
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("error", "detail"),
    [(MemoryError(), "ran out of memory"), (RuntimeError(""), "the error carried no message"), (KeyError("x"), "'x'")],
)
def test_an_internal_error_names_what_failed(
    error: BaseException, detail: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ejournal.storage.document

    def boom(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(ejournal.storage.document, "write_export", boom)
    db = f"sqlite:///{tmp_path / 'school.db'}"
    assert (
        CliRunner()
        .invoke(cli, ["demo", "--db", db, "--classes", "1", "--students", "3", "--out", str(tmp_path / "o")])
        .exit_code
        == 0
    )
    result = CliRunner().invoke(cli, ["export", "--db", db, "-o", str(tmp_path / "e.json")])
    assert result.exit_code == 70
    line = result.output.strip().splitlines()[-1]
    assert line == (
        f"ejournal: error: internal error ({type(error).__name__}) in `ejournal export`: {detail}; "
        "rerun with --debug for details"
    )
