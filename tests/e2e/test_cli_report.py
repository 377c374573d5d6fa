"""``ejournal report KIND`` end to end: files written 0600, clear one-line errors."""

from __future__ import annotations

import functools
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ejournal.cli import EXIT_BAD_INPUT, EXIT_OK, cli
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Actor, Role
from ejournal.core.school_year import SchoolYear
from ejournal.demo import generate_school_year
from ejournal.service import JournalService
from ejournal.storage import open as open_storage


@functools.cache
def demo_year() -> SchoolYear:
    return generate_school_year(seed=7, classes=3, students=60, grades=[9, 10, 11])


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("reports") / "school.db"
    url = f"sqlite:///{path}"
    sy = demo_year()
    storage = open_storage(url)
    try:
        JournalService(storage, builtin_policy("federal")).import_school_year(
            Actor("cli", Role.ADMINISTRATOR, sy.school.id), sy
        )
    finally:
        storage.close()
    return url


def leaver() -> tuple[str, str]:
    for j in demo_year().journals.values():
        for s in j.students.values():
            if s.left is not None:
                return j.class_group.label, s.id
    raise AssertionError("the demo has a leaving student")


def error_line(result: Result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("ejournal: error:")]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("kind", "extra", "name"),
    [
        ("progress", ["--class", "9А", "--period", "q2"], "progress.pdf"),
        ("honours", ["--class", "11А"], "honours.xlsx"),
        ("final-marks", ["--class", "11А", "--draft"], "final.csv"),
        ("personal-file", ["--class", "11А", "--student", "s00041"], "pf.html"),
    ],
)
def test_report_writes_a_private_file(db: str, tmp_path: Path, kind: str, extra: list[str], name: str) -> None:
    out = tmp_path / name
    result = run("report", kind, "--db", db, *extra, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    assert out.stat().st_size > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_extract_of_a_leaving_student_in_json(db: str, tmp_path: Path) -> None:
    label, student = leaver()
    out = tmp_path / "extract.json"
    result = run("report", "extract", "--db", db, "--class", label, "--student", student, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    data = json.loads(out.read_bytes())
    assert data["document"] == "extract"
    assert data["student_id"] == student
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_final_marks_with_problems_are_refused_and_nothing_is_written(db: str, tmp_path: Path) -> None:
    out = tmp_path / "final.pdf"
    result = run("report", "final-marks", "--db", db, "--class", "9А", "-o", out)
    assert result.exit_code == EXIT_BAD_INPUT
    assert "final marks of class 9А" in error_line(result)
    assert not out.exists()


def test_unknown_class_student_and_period(db: str, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    bad_class = run("report", "honours", "--db", db, "--class", "5Я", "-o", out)
    assert bad_class.exit_code == EXIT_BAD_INPUT
    line = error_line(bad_class)
    assert "class '5Я' not found" in line
    assert "choices: 9А, 10А, 11А" in line
    bad_student = run("report", "extract", "--db", db, "--class", "9А", "--student", "Никто", "-o", out)
    assert bad_student.exit_code == EXIT_BAD_INPUT
    assert "student 'Никто' not found in class 9А" in error_line(bad_student)
    bad_period = run("report", "progress", "--db", db, "--class", "9А", "--period", "q9", "-o", out)
    assert "choices: q1, q2, q3, q4, year" in error_line(bad_period)
    bad_day = run("report", "honours", "--db", db, "--class", "9А", "--issued-on", "25.06.2026", "-o", out)
    assert bad_day.exit_code == EXIT_BAD_INPUT
    assert "--issued-on" in error_line(bad_day)
    assert "YYYY-MM-DD" in error_line(bad_day)
    assert not out.exists()


def test_extract_needs_a_student(db: str, tmp_path: Path) -> None:
    result = run("report", "extract", "--db", db, "--class", "9А", "-o", tmp_path / "x.pdf")
    assert result.exit_code == EXIT_BAD_INPUT
    assert "--student" in result.output


def test_the_debt_list_lists_every_debt_of_the_class(db: str, tmp_path: Path) -> None:
    from ejournal.core.journal import ResultKind

    journal = next(j for j in demo_year().journals.values() if j.class_group.grade == 10)
    owed = {
        (journal.students[r.student_id].name.short, journal.subject_of(r.course_id).name)
        for r in journal.results.values()
        if r.kind is ResultKind.ANNUAL and journal.scale_of(r.course_id).is_passing(r.value) is False
    } | {  # and the debts cleared by a retake in August (the list shows them as cleared)
        (journal.students[t.student_id].name.short, journal.subject_of(t.course_id).name)
        for t in journal.retakes.values()
    }
    assert owed  # the demo's grade 10 has debts
    out = tmp_path / "debts.csv"
    result = run("report", "debts", "--db", db, "--class", journal.class_group.label, "-o", out)
    assert result.exit_code == EXIT_OK, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8-sig")
    rows = [line.split(";") for line in text.splitlines()]
    listed = {(r[1], r[2]) for r in rows if r and r[0].isdigit()}
    assert listed == owed
