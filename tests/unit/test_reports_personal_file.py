"""The annual marks page of a personal file, from the student's journals of several years."""

from __future__ import annotations

import pytest
from reports_kit import ADMIN, RU, Builder, course_of, day, set_year

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import Decision, DecisionKind, ResultKind
from ejournal.core.reports import build_personal_file, build_report


def years():  # type: ignore[no-untyped-def]
    ten = (
        Builder(10, year=2024, halves=True)
        .student("1", "Иванов")
        .course("alg", "Алгебра")
        .course("chem", "Химия")
        .build()
    )
    set_year(ten, "1", "alg", [4, 5], 5)
    set_year(ten, "1", "chem", [3, 3], 3)
    ten.set_decision(Decision("1", DecisionKind.PROMOTED, day("2025-05-28"), "7", to_grade=11), by=ADMIN)
    eleven = (
        Builder(11, halves=True)
        .student("1", "Иванов", given="Пётр")
        .student("2", "Другой")
        .course("alg", "Алгебра")
        .course("phys", "Физика")
        .build()
    )
    set_year(eleven, "1", "alg", [4, 4], 4)
    set_year(eleven, "1", "phys", [5, 5], 5)
    eleven.set_final_mark("1", course_of(eleven, "alg"), 4, by=ADMIN)
    other = Builder(9, year=2023).student("9", "Чужой").course("alg", "Алгебра").build()
    return ten, eleven, other


def test_one_row_per_subject_one_column_per_year_with_finals() -> None:
    ten, eleven, other = years()
    page = build_personal_file([eleven, other, ten], "1")
    assert [(c.grade, c.kind) for c in page.columns] == [
        (10, ResultKind.ANNUAL),
        (11, ResultKind.ANNUAL),
        (11, ResultKind.FINAL),
    ]
    rows = {r.subject_id: r.cells for r in page.rows}
    assert rows == {"alg": ("5", "4", "4"), "chem": ("3", "", ""), "phys": ("", "5", "")}
    assert page.student_name == "Иванов Пётр"  # from the latest journal
    assert {j: k for j, k, _ in page.decisions} == {ten.id: "promoted", eleven.id: ""}


def test_unknown_student_and_bad_input() -> None:
    ten, eleven, _ = years()
    with pytest.raises(NotFound, match="student 'nobody'"):
        build_personal_file([ten, eleven], "nobody")
    with pytest.raises(InvalidInput, match="twice"):
        build_personal_file([ten, ten], "1")
    with pytest.raises(InvalidInput, match="journals"):
        build_personal_file(ten, "1")  # type: ignore[arg-type]


def test_build_report_includes_the_main_journal_once() -> None:
    ten, eleven, _ = years()
    page = build_report("personal-file", eleven, collator=RU, student_id="1", journals=[ten, eleven])
    assert len(page.columns) == 3  # type: ignore[union-attr]
