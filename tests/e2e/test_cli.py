"""The ``ejournal`` command line end to end, in a temporary directory.

Each bad input must give the documented exit code, a one-line message naming the place, and
leave the database as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ejournal.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, EXIT_STORAGE, cli

SMALL = ["--classes", "3", "--students", "45", "--seed", "7"]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ejournal: error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    return errors[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A demo school in SQLite (built once for the module); tests copy the file before changing it."""
    where = tmp_path_factory.mktemp("demo")
    db = where / "school.db"
    result = run("demo", "--db", f"sqlite:///{db}", "--out", where / "out", *SMALL)
    assert result.exit_code == EXIT_OK, result.output
    return where, f"sqlite:///{db}"


def copy_db(school: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    source = Path(school[1].removeprefix("sqlite:///"))
    target = tmp_path / "copy.db"
    target.write_bytes(source.read_bytes())
    return target, f"sqlite:///{target}"


def test_demo_writes_sheets_and_a_summary(school: tuple[Path, str]) -> None:
    where, _ = school
    pdfs = sorted((where / "out").glob("*.pdf"))
    assert len(pdfs) == 3
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert len(list((where / "out").glob("*.html"))) == 1
    assert len(list((where / "out").glob("*.xlsx"))) == 1


def test_demo_prints_the_one_screen_summary(tmp_path: Path) -> None:
    result = run("demo", "--db", f"sqlite:///{tmp_path / 'd.db'}", "--out", tmp_path / "o", *SMALL)
    assert result.exit_code == EXIT_OK
    for label in ("Classes:", "Students:", "Marks:", "Findings:", "Ready to certify:"):
        assert label in result.output
    assert "Students:  45" in result.output
    # every class counted: "Ready to certify: R of 3 classes" (the count of classes validated)
    assert re.search(r"Ready to certify: \d+ of 3 classes", result.output), result.output


def test_validate_text_and_json(school: tuple[Path, str]) -> None:
    _, db = school
    text = run("validate", "--db", db)
    assert text.exit_code in (EXIT_OK, EXIT_FINDINGS)
    assert "==" in text.output
    as_json = run("validate", "--db", db, "--format", "json")
    data = json.loads(as_json.output)
    assert len(data) == 3
    assert all("findings" in report for report in data.values())
    assert as_json.exit_code == (EXIT_OK if all(r["ready_to_certify"] for r in data.values()) else EXIT_FINDINGS)


@pytest.mark.parametrize("fmt", ["pdf", "html", "csv", "xlsx", "json"])
def test_sheet_in_every_format(school: tuple[Path, str], tmp_path: Path, fmt: str) -> None:
    _, db = school
    label = _first_label(db)
    out = tmp_path / f"sheet.{fmt}"
    result = run("sheet", "--db", db, "--class", label, "--format", fmt, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    data = out.read_bytes()
    assert data
    magic = {"pdf": b"%PDF", "xlsx": b"PK", "json": b"{"}
    if fmt in magic:
        assert data.startswith(magic[fmt])


def test_sheet_all_classes_and_locales(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    result = run(
        "sheet", "--db", db, "--all", "--format", "html", "--locale", "tt", "--layout", "subjects", "-o", tmp_path
    )
    assert result.exit_code == EXIT_OK, result.output
    assert len(list(tmp_path.glob("*.html"))) == 3


def _first_label(db: str) -> str:
    data = json.loads(run("validate", "--db", db, "--format", "json").output)
    return sorted(data)[0]


def test_export_import_export_is_identical(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    first = tmp_path / "first.json"
    assert run("export", "--db", db, "-o", first).exit_code == EXIT_OK
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert run("import", "--db", fresh, first).exit_code == EXIT_OK
    second = tmp_path / "second.json"
    assert run("export", "--db", fresh, "-o", second).exit_code == EXIT_OK
    assert first.read_bytes() == second.read_bytes()


def test_backup_and_restore(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    backup = tmp_path / "backup.gz"
    assert run("backup", "--db", db, "-o", backup).exit_code == EXIT_OK
    fresh = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run("restore", "--db", fresh, backup).exit_code == EXIT_OK
    again = tmp_path / "again.gz"
    assert run("backup", "--db", fresh, "-o", again).exit_code == EXIT_OK
    first, second = (json.loads(gzip.decompress(p.read_bytes())) for p in (backup, again))
    # The data comes back exactly; the log gains one school-level entry saying who restored what.
    [restored] = [e for s in second["schools"] for e in s["audit"] if e["action"] == "restore_backup"]
    assert hashlib.sha256(backup.read_bytes()).hexdigest() in restored["reason"]
    for s in second["schools"]:
        s["audit"] = [e for e in s["audit"] if e["action"] != "restore_backup"]
    assert first == second


def test_archive_create_and_verify(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    label = _first_label(db)
    archive = tmp_path / "archive"
    created = run(
        "archive", "create", "--db", db, "--class", label, "-o", archive, "--certified-on", "2026-06-01", "--force"
    )
    assert created.exit_code == EXIT_OK, created.output
    assert run("archive", "verify", archive).exit_code == EXIT_OK
    pdf = next(archive.rglob("*.pdf"))
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 1
    pdf.write_bytes(bytes(data))
    tampered = run("archive", "verify", archive)
    assert tampered.exit_code == EXIT_FINDINGS
    assert pdf.name in tampered.output


def test_explain_and_diary(school: tuple[Path, str]) -> None:
    _, db = school
    from ejournal.storage import open as open_storage

    storage = open_storage(db)
    with storage.unit_of_work() as uow:
        school_id = uow.schools.list()[0].id
        journal = next(
            j
            for j in (uow.journals.get(school_id, i) for i in uow.journals.list_ids(school_id))
            # the demo year (the commands' default), not one of the graduating classes' earlier years
            if j.class_group.grade > 1 and j.class_group.year.start_year == 2025
        )
    storage.close()
    student = journal.students_in_order()[0]
    course = journal.courses_in_order()[0]
    period = journal.scheme_of(course.id).periods[0]
    result = run(
        "explain", "--db", db, "--student", student.id, "--course", course.id, "--period", period.id, "--locale", "en"
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "mean" in result.output
    bad_week = run("diary", "--db", db, "--student", student.name.full, "--week", "06.10.2025")
    assert bad_week.exit_code == EXIT_BAD_INPUT
    assert "--week" in one_line_error(bad_week)
    diary = run("diary", "--db", db, "--student", student.name.full, "--week", "2025-10-06")
    assert diary.exit_code == EXIT_OK, diary.output
    assert student.name.full in diary.output
    # Tatar too: the explanation and the diary read the same catalogs as the sheet.
    tt = run(
        "explain", "--db", db, "--student", student.id, "--course", course.id, "--period", period.id, "--locale", "tt"
    )
    assert tt.exit_code == EXIT_OK, tt.output
    assert "Чор билгесе" in tt.output
    diary_tt = run("diary", "--db", db, "--student", student.name.full, "--week", "2025-10-06", "--locale", "tt")
    assert diary_tt.exit_code == EXIT_OK, diary_tt.output
    assert "Дүшәмбе, 06.10.2025" in diary_tt.output


# ---------------------------------------------------------------------------------------------- bad input
def test_import_of_a_missing_file(school: tuple[Path, str], tmp_path: Path) -> None:
    path, db = copy_db(school, tmp_path)
    before = digest(path)
    result = run("import", "--db", db, tmp_path / "nope.json")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "nope.json" in one_line_error(result)
    assert digest(path) == before


def test_import_of_a_malformed_document(school: tuple[Path, str], tmp_path: Path) -> None:
    path, db = copy_db(school, tmp_path)
    before = digest(path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1, "kind": "school_year",\n "school": [}', encoding="utf-8")
    result = run("import", "--db", db, bad)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "line 2" in one_line_error(result)
    assert digest(path) == before


def test_import_of_a_document_with_a_bad_mark(school: tuple[Path, str], tmp_path: Path) -> None:
    path, db = copy_db(school, tmp_path)
    exported = tmp_path / "e.json"
    assert run("export", "--db", db, "-o", exported).exit_code == EXIT_OK
    doc = json.loads(exported.read_text(encoding="utf-8"))
    journal = next(j for j in doc["journals"] if j["marks"])
    journal["marks"][0]["value"] = 9
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = digest(path)
    result = run("import", "--db", db, "--replace", broken)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "marks[0].value" in one_line_error(result)
    assert digest(path) == before


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "--class", "9Я"],
        ["sheet", "--class", "9Я", "--format", "pdf", "-o", "x.pdf"],
        ["archive", "create", "--class", "9Я", "-o", "a"],
    ],
)
def test_an_unknown_class(school: tuple[Path, str], tmp_path: Path, command: list[str]) -> None:
    path, db = copy_db(school, tmp_path)
    before = digest(path)
    result = (
        run(*command[:2], "--db", db, *command[2:])
        if command[0] == "archive"
        else run(command[0], "--db", db, *command[1:])
    )
    assert result.exit_code == EXIT_BAD_INPUT
    assert "9Я" in one_line_error(result)
    assert digest(path) == before


def test_an_unknown_student(school: tuple[Path, str]) -> None:
    _, db = school
    result = run("diary", "--db", db, "--student", "Никто Никтоев")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Никто Никтоев" in one_line_error(result)


def test_a_wrong_url() -> None:
    result = run("validate", "--db", "nosuchscheme://x")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "nosuchscheme" in one_line_error(result)


def test_a_server_that_does_not_answer() -> None:
    result = run("validate", "--db", "postgresql+psycopg://someone:secret@127.0.0.1:9/none")
    assert result.exit_code == EXIT_STORAGE
    line = one_line_error(result)
    assert "127.0.0.1:9" in line
    assert "secret" not in line


def test_restore_into_a_non_empty_database(school: tuple[Path, str], tmp_path: Path) -> None:
    path, db = copy_db(school, tmp_path)
    backup = tmp_path / "b.gz"
    assert run("backup", "--db", db, "-o", backup).exit_code == EXIT_OK
    before = digest(path)
    result = run("restore", "--db", db, backup)
    assert result.exit_code == EXIT_BAD_INPUT
    one_line_error(result)
    assert digest(path) == before


def test_usage_errors_exit_2(school: tuple[Path, str]) -> None:
    _, db = school
    result = run("sheet", "--db", db, "--format", "pdf", "-o", "x.pdf")
    assert result.exit_code == EXIT_BAD_INPUT


def test_the_installed_script_exits_with_the_documented_code(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from ejournal.cli import main; main()", "validate", "--db", "nosuchscheme://x"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == EXIT_BAD_INPUT
    assert proc.stderr.startswith("ejournal: error:")
    assert "Traceback" not in proc.stderr


def _every_command(tmp_path: Path) -> list[list[str]]:
    doc = tmp_path / "doc.json"
    doc.write_text("{}", encoding="utf-8")
    return [
        ["validate"],
        ["sheet", "--class", "9А", "--format", "pdf", "-o", str(tmp_path / "s.pdf")],
        ["export", "-o", str(tmp_path / "e.json")],
        ["backup", "-o", str(tmp_path / "b.gz")],
        ["explain", "--student", "x", "--course", "y", "--period", "q1"],
        ["diary", "--student", "x"],
        ["archive", "create", "--class", "9А", "-o", str(tmp_path / "a")],
        ["restore", str(doc)],
        ["db", "upgrade"],
        ["demo", "--classes", "1", "--students", "5", "--out", str(tmp_path / "o")],
    ]


def _with_db(command: list[str], url: str) -> list[str]:
    depth = 2 if command[0] in ("archive", "db") else 1
    return [*command[:depth], "--db", url, *command[depth:]]


@pytest.mark.parametrize("index", range(10))
def test_every_command_names_a_wrong_url(tmp_path: Path, index: int) -> None:
    command = _every_command(tmp_path)[index]
    result = run(*_with_db(command, "nosuchscheme://x"))
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "nosuchscheme" in one_line_error(result)


@pytest.mark.parametrize("index", range(10))
def test_every_command_reports_a_server_that_does_not_answer(tmp_path: Path, index: int) -> None:
    command = _every_command(tmp_path)[index]
    result = run(*_with_db(command, "postgresql+psycopg://u:pw@127.0.0.1:9/none"))
    assert result.exit_code == EXIT_STORAGE, result.output
    line = one_line_error(result)
    assert "127.0.0.1:9" in line
    assert "pw@" not in line


def test_debug_shows_the_exception_instead_of_one_line() -> None:
    from ejournal.core import InvalidInput

    result = CliRunner().invoke(cli, ["validate", "--db", "nosuchscheme://x", "--debug"])
    assert isinstance(result.exception, InvalidInput)
    assert "ejournal: error:" not in result.output


def test_progress_stays_quiet_when_output_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from ejournal.cli._shared import _progress

    items = ["9А", "9Б", "10А"]
    assert list(_progress(items, "Rendering")) == items
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


@pytest.mark.parametrize(
    ("name", "magic"),
    [("sheet.xlsx", b"PK"), ("sheet.PDF", b"%PDF"), ("sheet.json", b"{"), ("sheet.htm", b"<!DOCTYPE html>")],
)
def test_sheet_takes_the_format_from_the_output_extension(
    school: tuple[Path, str], tmp_path: Path, name: str, magic: bytes
) -> None:
    _, db = school
    out = tmp_path / name
    result = run("sheet", "--db", db, "--class", _first_label(db), "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    assert out.read_bytes().startswith(magic)


def test_an_explicit_format_wins_over_the_extension(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    out = tmp_path / "sheet.xlsx"
    result = run("sheet", "--db", db, "--class", _first_label(db), "--format", "pdf", "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("dialect", "bom"), [(None, True), ("excel", True), ("rfc4180", False)])
def test_sheet_csv_dialects(school: tuple[Path, str], tmp_path: Path, dialect: str | None, bom: bool) -> None:
    _, db = school
    out = tmp_path / "sheet.csv"
    extra = ["--csv-dialect", dialect] if dialect else []
    result = run("sheet", "--db", db, "--class", _first_label(db), *extra, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is bom
    first = data.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("№;") if bom else first.startswith("№,")


def _finding_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:2] == "EJ" and line[2:5].isdigit()]


def test_validate_lists_errors_only_by_default_and_ends_with_a_summary(school: tuple[Path, str]) -> None:
    _, db = school
    everything = json.loads(run("validate", "--db", db, "--format", "json").output)
    by_severity = {
        s: sum(1 for report in everything.values() for f in report["findings"] if f["severity"] == s)
        for s in ("error", "warning", "info")
    }
    assert by_severity["warning"] + by_severity["info"] > 0, "the demo school has findings below error"
    for severity, listed in [
        ("error", ("error",)),
        ("warning", ("error", "warning")),
        ("info", ("error", "warning", "info")),
    ]:
        args = ["validate", "--db", db] + ([] if severity == "error" else ["--severity", severity])
        result = run(*args)
        assert len(_finding_lines(result.output)) == sum(by_severity[s] for s in listed), severity
        summary = result.output.strip().splitlines()[-1]
        assert summary.startswith(f"Summary: {len(everything)} classes, ")
        assert (
            f"{by_severity['error']} errors, {by_severity['warning']} warnings, {by_severity['info']} info" in summary
        )


def test_an_unknown_year_lists_the_years_and_writes_nothing(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    for command in (["validate"], ["export", "-o", str(tmp_path / "x.json")]):
        result = run(command[0], "--db", db, "--year", "2030/2031", *command[1:])
        assert result.exit_code == EXIT_BAD_INPUT, result.output
        error = one_line_error(result)
        assert "2030/2031" in error
        # the demo year and the earlier years of its graduating classes
        assert "choices: 2024/2025, 2025/2026" in error
    assert not (tmp_path / "x.json").exists()


def test_a_latin_look_alike_label_finds_the_class(school: tuple[Path, str], tmp_path: Path) -> None:
    _, db = school
    label = _first_label(db)
    latin = label.translate(str.maketrans("АВЕКМНОРСТХ", "ABEKMHOPCTX"))
    assert latin != label, "the demo's first class has a letter with a Latin look-alike"
    result = run("sheet", "--db", db, "--class", latin, "-o", tmp_path / "s.pdf")
    assert result.exit_code == EXIT_OK, result.output


def test_an_unknown_class_lists_the_classes(school: tuple[Path, str]) -> None:
    _, db = school
    error = one_line_error(run("validate", "--db", db, "--class", "9Я"))
    assert "choices: " in error
    assert _first_label(db) in error


def test_an_unknown_period_lists_the_periods(school: tuple[Path, str]) -> None:
    _, db = school
    from ejournal.storage import open as open_storage

    storage = open_storage(db)
    try:
        with storage.unit_of_work() as uow:
            school_id = uow.schools.list()[0].id
            journal = next(
                j
                for j in (uow.journals.get(school_id, i) for i in uow.journals.list_ids(school_id))
                if j.class_group.year.start_year == 2025  # the commands' default year
            )
    finally:
        storage.close()
    student = journal.students_in_order()[0].id
    course = journal.courses_in_order()[0]
    periods = [p.id for p in journal.scheme_of(course.id).periods]
    result = run("explain", "--db", db, "--student", student, "--course", course.id, "--period", "q9")
    assert result.exit_code == EXIT_BAD_INPUT
    error = one_line_error(result)
    assert "period 'q9' not found" in error
    assert f"choices: {', '.join(periods)}, year" in error


def test_backup_is_per_school_and_the_whole_database_needs_all(school: tuple[Path, str], tmp_path: Path) -> None:
    from ejournal.core.model import School
    from ejournal.storage import open as open_storage
    from ejournal.storage.document import read_backup

    _, db = copy_db(school, tmp_path)
    storage = open_storage(db)
    with storage.unit_of_work() as uow:
        demo_school = uow.schools.list()[0].id
        uow.schools.add(School("s-two", "Вторая школа"))
        uow.commit()
    storage.close()
    several = run("backup", "--db", db, "-o", tmp_path / "x.gz")
    assert several.exit_code == EXIT_BAD_INPUT
    assert "name one" in one_line_error(several)
    one, everything = tmp_path / "one.gz", tmp_path / "all.gz"
    assert run("backup", "--db", db, "--school", demo_school, "-o", one).exit_code == EXIT_OK
    assert run("backup", "--db", db, "--all", "-o", everything).exit_code == EXIT_OK
    assert {e.school.id for e in read_backup(one.read_bytes()).schools} == {demo_school}
    assert {e.school.id for e in read_backup(everything.read_bytes()).schools} == {demo_school, "s-two"}
    refused = run("restore", "--db", f"sqlite:///{tmp_path / 'r1.db'}", everything)
    assert refused.exit_code == EXIT_BAD_INPUT
    assert "--all" in one_line_error(refused)
    assert run("restore", "--db", f"sqlite:///{tmp_path / 'r2.db'}", "--all", everything).exit_code == EXIT_OK
    assert run("restore", "--db", f"sqlite:///{tmp_path / 'r3.db'}", one).exit_code == EXIT_OK


def test_sheet_and_archive_print_the_signatories_given_or_from_the_school(
    school: tuple[Path, str], tmp_path: Path
) -> None:
    import io

    import pdfplumber

    _, db = school
    label = _first_label(db)

    def text_of(pdf: Path) -> str:
        with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as doc:
            return "\n".join(page.extract_text() or "" for page in doc.pages)

    plain = tmp_path / "plain.pdf"
    assert run("sheet", "--db", db, "--class", label, "-o", plain).exit_code == EXIT_OK
    assert "/____" in text_of(plain)  # uncertified: the names' lines are left blank
    certified = tmp_path / "certified.pdf"
    result = run(
        "sheet", "--db", db, "--class", label, "--certified-on", "2026-06-25", "--director", "Петрова Анна Ивановна",
        "-o", certified,
    )  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    text = text_of(certified)
    assert "/Петрова Анна Ивановна/" in text
    assert "25.06.2026" in text
    # the class teacher comes from the class data when not given
    assert "Классный руководитель" in text
    assert "/_" not in text.split("Классный руководитель")[-1].splitlines()[0]
    # names without a date are a usage error; a bad date names the option
    alone = run("sheet", "--db", db, "--class", label, "--director", "X", "-o", tmp_path / "x.pdf")
    assert alone.exit_code == EXIT_BAD_INPUT
    assert "--certified-on" in alone.output
    bad = run("sheet", "--db", db, "--class", label, "--certified-on", "25.06.2026", "-o", tmp_path / "y.pdf")
    assert bad.exit_code == EXIT_BAD_INPUT
    assert "--certified-on" in one_line_error(bad)
    assert not (tmp_path / "x.pdf").exists()
    assert not (tmp_path / "y.pdf").exists()
    archive = tmp_path / "archive"
    created = run(
        "archive", "create", "--db", db, "--class", label, "-o", archive, "--certified-on", "2026-06-01", "--force",
        "--director", "Петрова Анна Ивановна", "--class-teacher", "Сидорова Мария Петровна",
    )  # fmt: skip
    assert created.exit_code == EXIT_OK, created.output
    documents = [json.loads(p.read_text("utf-8")) for p in archive.rglob("*.json")]
    (snapshot,) = [d for d in documents if d.get("format") == "ejournal.summary-sheet"]
    assert snapshot["certification"]["director_name"] == "Петрова Анна Ивановна"
    assert snapshot["certification"]["class_teacher_name"] == "Сидорова Мария Петровна"
