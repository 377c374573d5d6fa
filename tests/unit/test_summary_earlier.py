"""Graduating sheets show the earlier grades they depend on (issue 9).

Grade 11: grade 10's half-year and annual marks stand before each course's grade-11 columns,
and the final mark is the half-up mean of all of them (Минпросвещения № 546).  Grades 9 and 11:
the subjects finished in an earlier grade of the level are listed with their final mark, the
annual mark of the last grade taught.  The expected values are read from the earlier journals
themselves (not from the sheet) and the mean is recomputed with integers.
"""

from __future__ import annotations

import json

import pytest
from attrs import evolve

from ejournal.core.journal import ClassJournal, ResultKind
from ejournal.core.records import earlier_courses
from ejournal.core.scales import Status
from ejournal.core.school_year import SchoolYear
from ejournal.core.summary import FINISHED_PREFIX, SheetLayout, SummarySheet, build_summary_sheet
from ejournal.demo import generate_school
from ejournal.i18n.collation import collator
from ejournal.render import render


@pytest.fixture(scope="module")
def school() -> list[SchoolYear]:
    return generate_school(classes=11, students=275)


def _current(school: list[SchoolYear], grade: int) -> ClassJournal:
    return next(j for j in school[-1].journals.values() if j.class_group.grade == grade)


def _earlier(school: list[SchoolYear]) -> list[ClassJournal]:
    return [j for y in school[:-1] for j in y.journals.values()]


def _sheet(school: list[SchoolYear], grade: int) -> SummarySheet:
    return build_summary_sheet(_current(school, grade), collator=collator("ru"), earlier=_earlier(school))


def _half_up_mean(values: list[int]) -> int:
    return (2 * sum(values) + len(values)) // (2 * len(values))


def test_the_demo_school_keeps_the_earlier_years_of_its_graduating_classes(school: list[SchoolYear]) -> None:
    years = [y.year.start_year for y in school]
    assert years == sorted(years)
    assert years[-1] == 2025
    grades_by_year = {y.year.start_year: sorted(j.class_group.grade for j in y.journals.values()) for y in school[:-1]}
    # grade 9 of 2025 was grade 5 in 2021 … grade 8 in 2024; grade 11 was grade 10 in 2024
    assert grades_by_year == {2021: [5], 2022: [6], 2023: [7], 2024: [8, 10]}
    eleven = _current(school, 11)
    tenth = next(j for j in school[-2].journals.values() if j.class_group.grade == 10)
    stayed = {s.id for s in eleven.students.values() if s.enrolled <= eleven.class_group.year.start}
    assert set(tenth.students) == stayed


def test_a_grade_11_row_shows_its_grade_10_inputs_and_the_final_is_their_half_up_mean(
    school: list[SchoolYear],
) -> None:
    sheet = _sheet(school, 11)
    journal = _current(school, 11)
    tenth = next(j for j in school[-2].journals.values() if j.class_group.grade == 10)
    checked = 0
    for subject in sheet.subjects:
        grades = [c.grade for c in subject.columns]
        # grade 10's columns come first, then grade 11's own
        assert grades == sorted(grades, key=lambda g: g == 0)
        old_course = next(c for c in tenth.courses.values() if c.subject_id == subject.subject_id)
        for row in sheet.rows:
            if row.student_id not in tenth.students:
                assert all(c.value is None for c in row.cells if c.course_id == subject.course_id and c.grade)
                continue
            inputs: list[object] = []
            for column in subject.columns:
                cell = row.cell(column.course_id, column.kind, column.period_id, grade=column.grade)
                if column.grade == 10:
                    stored = tenth.result(row.student_id, old_course.id, column.kind, column.period_id)
                    assert cell.value == (None if stored is None else stored.value)
                if column.kind in (ResultKind.PERIOD, ResultKind.ANNUAL) and cell.value is not None:
                    inputs.append(cell.value)
            final = journal.result(row.student_id, subject.course_id, ResultKind.FINAL)
            if final is None or not inputs:
                continue
            if all(isinstance(v, int) for v in inputs):
                numbers = [v for v in inputs if isinstance(v, int)]
                assert final.value == _half_up_mean(numbers), (row.full_name, subject.subject_name, inputs)
                assert len(numbers) == 6  # two half-years and the year, of grades 10 and 11
                checked += 1
    assert checked > 100


def test_subjects_finished_earlier_appear_on_the_grade_9_sheet_with_the_last_annual_mark(
    school: list[SchoolYear],
) -> None:
    sheet = _sheet(school, 9)
    journal = _current(school, 9)
    finished = {s.subject_id: s for s in sheet.subjects if s.finished_grade}
    # mathematics ends in grade 6 (algebra and geometry follow), fine arts in 7, music in 8
    assert {k: s.finished_grade for k, s in finished.items()} == {"math": 6, "izo": 7, "mus": 8}
    order = [s.subject_id for s in sheet.subjects]
    assert order.index("math") < order.index("alg")  # in curriculum order among the courses
    finalists = {r.student_id for r in journal.results.values() if r.kind is ResultKind.FINAL}
    by_grade = {j.class_group.grade: j for j in _earlier(school) if j.class_group.grade < 9}
    for subject_id, s in finished.items():
        assert s.course_id == FINISHED_PREFIX + subject_id
        (column,) = s.columns
        assert (column.kind, column.grade) == (ResultKind.FINAL, s.finished_grade)
        old = by_grade[s.finished_grade]
        old_course = next(c for c in old.courses.values() if c.subject_id == subject_id)
        for row in sheet.rows:
            value = row.cell(s.course_id, ResultKind.FINAL, grade=s.finished_grade).value
            known = row.student_id in old.students  # an arrival of this year has no grade-6 journal here
            annual = old.result(row.student_id, old_course.id, ResultKind.ANNUAL) if known else None
            expected = None if annual is None or row.student_id not in finalists else annual.value
            assert value == expected
    assert any(r.cell(FINISHED_PREFIX + "mus", ResultKind.FINAL, grade=8).value is not None for r in sheet.rows)


def test_a_sheet_without_earlier_journals_is_this_years_only(school: list[SchoolYear]) -> None:
    plain = build_summary_sheet(_current(school, 11), collator=collator("ru"))
    assert all(c.grade == 0 for c in plain.columns)
    assert not any(s.finished_grade for s in plain.subjects)
    # earlier journals of a grade below the level add nothing to grade 11 (grade 8 is not its level)
    eight = [j for j in _earlier(school) if j.class_group.grade == 8]
    assert earlier_courses(_current(school, 11), eight, range(10, 11)) == {}


@pytest.mark.parametrize("grade", [9, 11])
def test_sheets_with_earlier_grades_round_trip_with_their_hash(school: list[SchoolYear], grade: int) -> None:
    sheet = _sheet(school, grade)
    again = SummarySheet.from_dict(json.loads(sheet.canonical_json()), scales=_current(school, grade).scales)
    assert again == sheet
    assert again.content_hash == sheet.content_hash
    data = sheet.to_dict()
    assert any("grade" in c for s in data["subjects"] for c in s["columns"])  # type: ignore[index,union-attr]


def test_a_bad_earlier_grade_in_a_document_names_its_place(school: list[SchoolYear]) -> None:
    data = json.loads(_sheet(school, 11).canonical_json())
    data["subjects"][0]["columns"][0]["grade"] = 40
    from ejournal.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as e:
        SummarySheet.from_dict(data, scales=_current(school, 11).scales)
    assert e.value.where == "subjects[0].columns[0].grade"


def test_subjects_as_rows_give_earlier_grades_their_own_sub_columns(school: list[SchoolYear]) -> None:
    sheet = _sheet(school, 11)
    grid = sheet.grid(SheetLayout.SUBJECTS_AS_ROWS)
    slots = [(c.grade, c.kind) for c in grid.groups[0].columns]
    assert slots[:3] == [(10, ResultKind.PERIOD), (10, ResultKind.PERIOD), (10, ResultKind.ANNUAL)]
    assert slots.count((0, ResultKind.FINAL)) == 1
    nine = _sheet(school, 9).grid(SheetLayout.SUBJECTS_AS_ROWS)
    # a finished subject's final mark sits in the common final column
    finals = [i for i, c in enumerate(nine.groups[0].columns) if c.kind is ResultKind.FINAL]
    assert len(finals) == 1
    music = next(r for r in nine.rows if r.key == FINISHED_PREFIX + "mus")
    width = len(nine.groups[0].columns)
    assert all(
        music.cells[k * width + i] is None for k in range(len(nine.groups)) for i in range(width) if i != finals[0]
    )


def test_the_printed_sheets_name_the_earlier_grades(school: list[SchoolYear]) -> None:
    from ejournal.render.i18n import catalog

    eleven = render(_sheet(school, 11), "csv", locale="ru").decode("utf-8-sig")
    assert "год (10 кл.)" in eleven
    assert "1 (10 кл.)" in eleven
    nine = render(_sheet(school, 9), "csv", locale="ru").decode("utf-8-sig")
    assert "Музыка (8 кл.)" in nine
    assert "Математика (6 кл.)" in nine
    assert catalog("tt").text("subject.finished", name="Музыка", grade=8) == "Музыка (8 сыйн.)"


def test_a_not_certified_input_is_kept_as_a_status(school: list[SchoolYear]) -> None:
    sheet = _sheet(school, 11)
    values = {c.value for r in sheet.rows for c in r.cells if c.grade == 10}
    assert values <= {3, 4, 5, None, Status.PASS}


def test_the_service_reads_the_earlier_grades_from_storage(school: list[SchoolYear]) -> None:
    from ejournal.core.grading import builtin_policy
    from ejournal.core.journal import Actor, Role
    from ejournal.service import JournalService
    from ejournal.storage.memory import MemoryStorage

    storage = MemoryStorage()
    service = JournalService(storage, builtin_policy("federal"))
    actor = Actor("admin", Role.ADMINISTRATOR, school[-1].school.id)
    for year in school:
        service.import_school_year(actor, year)
    eleven = _current(school, 11)
    # another cohort's past in 2024: grade 5 then (today's 6th class) — no grade-9 student's
    from ejournal.demo._history import record_journal

    other, _ = record_journal(_current(school, 6), 5, builtin_policy("federal"))
    with storage.unit_of_work() as uow:
        uow.journals.add(other)
        uow.commit()
    loaded: list[str] = []
    real_uow = storage.unit_of_work

    def counting_uow() -> object:
        uow = real_uow()
        get = uow.journals.get

        def counted(school_id: str, journal_id: str) -> object:
            loaded.append(journal_id)
            return get(school_id, journal_id)

        uow.journals.get = counted  # type: ignore[method-assign]
        return uow

    storage.unit_of_work = counting_uow  # type: ignore[method-assign]
    nine = _current(school, 9)
    service.summary_sheet(actor, nine.school.id, nine.id)
    # grade 9 of 2025 reads its own journal and grades 5..8 of 2021..2024, not every class of those
    # grades in those years (2024's grade 5 cannot hold a student who is in grade 9 in 2025)
    earlier_loaded = sorted(set(loaded) - {nine.id})
    assert earlier_loaded == sorted(j.id for j in _earlier(school) if j.class_group.grade < 9)
    storage.unit_of_work = real_uow  # type: ignore[method-assign]
    sheet = service.summary_sheet(actor, eleven.school.id, eleven.id)
    assert evolve(sheet, policy=None) == _sheet(school, 11)
    assert any(c.grade == 10 for c in sheet.columns)
    nine = _current(school, 9)
    assert {
        s.subject_id for s in service.summary_sheet(actor, nine.school.id, nine.id).subjects if s.finished_grade
    } == {
        "math",
        "izo",
        "mus",
    }
    # validation checks the final marks against the grade-10 marks in storage: all agree …
    as_of = eleven.class_group.year.end
    assert not [
        f for f in service.validate(actor, eleven.school.id, eleven.id, as_of=as_of).findings if f.code == "EJ304"
    ]
    # … until a grade-10 annual mark is changed there: the final mark computed from it is flagged
    tenth = next(j for j in school[-2].journals.values() if j.class_group.grade == 10)
    hist11 = f"{eleven.id}-hist"

    def inputs(journal: ClassJournal, sid: str, cid: str) -> list[object]:
        cells = [journal.result(sid, cid, ResultKind.PERIOD, p.id) for p in journal.scheme_of(cid).periods]
        cells.append(journal.result(sid, cid, ResultKind.ANNUAL))
        return [None if r is None else r.value for r in cells]

    with storage.unit_of_work() as uow:
        stored = uow.journals.get(tenth.school.id, tenth.id)
        course = next(c for c in stored.courses.values() if c.subject_id == "hist")
        for student in sorted(stored.students):
            before, after = inputs(stored, student, course.id), inputs(eleven, student, hist11)
            final = eleven.result(student, hist11, ResultKind.FINAL)
            if final is None or not all(isinstance(v, int) for v in before + after):
                continue
            changed = 5 if before[-1] != 5 else 3
            numbers = [v for v in [*before[:-1], changed, *after] if isinstance(v, int)]
            if _half_up_mean(numbers) != final.value:  # this change must move the final mark
                break
        else:
            pytest.fail("no grade-10 annual mark whose change moves a final mark")
        stored.set_annual_mark(student, course.id, changed, by=actor, reason="проверка")
        uow.journals.save(stored)
        uow.commit()
    findings = service.validate(actor, eleven.school.id, eleven.id, as_of=as_of).findings
    # a journal already loaded (as `ejournal validate` has it) is checked against storage too
    loaded_eleven = next(j for j in service.each_journal(actor, eleven.school.id) if j.id == eleven.id)
    again = service.validate_journal(actor, loaded_eleven, as_of=as_of).findings
    assert [f.code for f in again if f.code == "EJ304"] == ["EJ304"]
    assert [(f.code, f.student_id, f.course_id) for f in findings if f.code == "EJ304"] == [("EJ304", student, hist11)]
