"""The annual summary sheet: order, columns, cells, attendance, movements, statistics, hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from fractions import Fraction

import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from ejournal.core.calendar import AcademicYear, PeriodScheme, half_years, quarters, trimesters
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import Actor, ClassJournal, Decision, DecisionKind, FixedClock, ResultKind, ResultMark, Role
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import MarkValue, Status, WorkType
from ejournal.core.stats import Counting, StatsSettings, StudentCategories
from ejournal.core.summary import (
    Certification,
    MovementKind,
    SheetLayout,
    SummarySheet,
    build_summary_sheet,
)
from ejournal.i18n.collation import collator

NA, EX = Status.NOT_CERTIFIED, Status.EXEMPT
YEAR = AcademicYear(2025)
Q, H, T = quarters(YEAR), half_years(YEAR), trimesters(YEAR)
ADMIN = Actor("admin", Role.ADMINISTRATOR)
RU, TT = collator("ru"), collator("tt")
SEPT1 = date(2025, 9, 1)


class Builder:
    """A small journal builder for the tests: students and courses, then ``build()``."""

    def __init__(self, grade: int = 8, *, teacher: bool = True, director: bool = True) -> None:
        self.grade = grade
        self.teacher = teacher
        self.director = director
        self.students: list[Student] = []
        self.subjects: list[Subject] = []
        self.courses: list[Course] = []

    def student(self, sid: str, surname: str, given: str = "Имя", patronymic: str = "", **kw: object) -> Builder:
        kw.setdefault("enrolled", SEPT1)
        self.students.append(Student(sid, PersonName(surname, given, patronymic), **kw))  # type: ignore[arg-type]
        return self

    def course(self, cid: str, name: str, *, scheme: PeriodScheme = Q, **kw: object) -> Builder:
        self.subjects.append(Subject(cid, name, len(self.subjects) + 1))
        self.courses.append(Course(cid, cid, "t1", 2, scheme.id, **kw))  # type: ignore[arg-type]
        return self

    def build(self, *, reverse: bool = False) -> ClassJournal:
        students = list(reversed(self.students)) if reverse else self.students
        return ClassJournal(
            School(
                "s1",
                "МБОУ «Гимназия № 2»",
                "2нче гимназия",
                director=PersonName("Сафин", "Ильдар", "Маратович") if self.director else None,
            ),
            ClassGroup(f"{self.grade}a", self.grade, "А", YEAR, "t1" if self.teacher else None),
            students={s.id: s for s in students},
            teachers={"t1": Teacher("t1", PersonName("Гарипова", "Лилия", "Ринатовна"))},
            subjects={s.id: s for s in self.subjects},
            courses={c.id: c for c in self.courses},
            schemes={s.id: s for s in (Q, H, T)},
            work_types={"cw": WorkType("cw", "классная", 1)},
            clock=FixedClock(datetime(2026, 5, 27, tzinfo=UTC)),
        )


def set_results(
    j: ClassJournal, student_id: str, course_id: str, periods: Iterable[MarkValue], annual: MarkValue
) -> None:
    for period, value in zip(j.scheme_of(course_id).periods, periods, strict=False):
        j.set_period_mark(student_id, course_id, period.id, value, by=ADMIN)
    j.set_annual_mark(student_id, course_id, annual, by=ADMIN)


def surnames(sheet: SummarySheet) -> list[str]:
    return [r.surname for r in sheet.rows]


# ---------------------------------------------------------------------------- order


def test_russian_order_puts_yo_with_ye() -> None:
    j = (
        Builder()
        .student("1", "Емельянов")
        .student("2", "Ёлкин")
        .student("3", "Елкин")
        .course("m", "Математика")
        .build()
    )
    sheet = build_summary_sheet(j, collator=RU)
    assert surnames(sheet) == ["Елкин", "Ёлкин", "Емельянов"]
    assert [r.number for r in sheet.rows] == [1, 2, 3]
    assert sheet.header.collation_language == "ru"
    # Plain sorted() puts Ё first: the assertion above proves the collator is used.
    assert sorted(surnames(sheet)) == ["Ёлкин", "Елкин", "Емельянов"]


def test_tatar_order_puts_its_letters_after_their_base_letters() -> None:
    b = Builder().course("m", "Математика")
    for i, name in enumerate(["Воробьёв", "Вәлиев", "Борисов", "Әхмәтова"]):
        b.student(str(i), name)
    sheet = build_summary_sheet(b.build(), collator=TT)
    assert surnames(sheet) == ["Әхмәтова", "Борисов", "Вәлиев", "Воробьёв"]
    assert sheet.header.collation_language == "tt"
    assert sorted(surnames(sheet)) == ["Борисов", "Воробьёв", "Вәлиев", "Әхмәтова"]


def test_order_is_by_surname_then_given_name_then_patronymic() -> None:
    j = (
        Builder()
        .student("1", "Иванова", "Анна")
        .student("2", "Иванов", "Яков")
        .student("3", "Иванов", "Ёсиф", "Петрович")
        .student("4", "Иванов", "Ёсиф", "Ануарович")
        .student("5", "Иванов", "Евгений")
        .course("m", "Математика")
        .build()
    )
    rows = build_summary_sheet(j, collator=RU).rows
    assert [r.full_name for r in rows] == [
        "Иванов Евгений",
        "Иванов Ёсиф Ануарович",
        "Иванов Ёсиф Петрович",
        "Иванов Яков",
        "Иванова Анна",
    ]


def test_namesakes_keep_a_stable_order_and_the_sheet_does_not_depend_on_insertion_order() -> None:
    b = Builder().student("b", "Петров", "Пётр").student("a", "Петров", "Пётр").course("m", "Математика")
    one = build_summary_sheet(b.build(), collator=RU)
    two = build_summary_sheet(b.build(reverse=True), collator=RU)
    assert [r.student_id for r in one.rows] == ["a", "b"]
    assert one.canonical_json() == two.canonical_json()


# ---------------------------------------------------------------------------- columns and cells


def _columns(sheet: SummarySheet, course_id: str) -> list[str]:
    return [c.label for c in sheet.subject(course_id).columns]


def test_grade_9_has_exam_and_final_columns() -> None:
    j = Builder(9).student("1", "Абрамов").course("math", "Математика", examined=True).course("hist", "История").build()
    sheet = build_summary_sheet(j, collator=RU)
    assert sheet.header.graduating
    assert _columns(sheet, "math") == ["I", "II", "III", "IV", "год", "экз.", "итог."]
    assert _columns(sheet, "hist") == ["I", "II", "III", "IV", "год", "итог."]
    j.set_exam_mark("1", "math", 4, by=ADMIN)
    j.set_final_mark("1", "math", 4, by=ADMIN)
    row = build_summary_sheet(j, collator=RU).rows[0]
    assert row.cell("math", ResultKind.EXAM).value == 4
    assert row.cell("math", ResultKind.FINAL).text == "4"
    assert row.cell("hist", ResultKind.FINAL).is_empty


def test_grade_11_on_half_years_has_exam_and_final_columns() -> None:
    j = Builder(11).student("1", "Абрамов").course("math", "Математика", scheme=H, examined=True).build()
    sheet = build_summary_sheet(j, collator=RU)
    assert _columns(sheet, "math") == ["1", "2", "год", "экз.", "итог."]
    assert [s.id for s in sheet.header.schemes] == [H.id]
    assert [p.label for p in sheet.header.schemes[0].periods] == ["1", "2"]


def test_grade_8_has_no_exam_or_final_columns_unless_configured() -> None:
    j = Builder(8).student("1", "Абрамов").course("math", "Математика", examined=True).build()
    sheet = build_summary_sheet(j, collator=RU)
    assert not sheet.header.graduating
    assert _columns(sheet, "math") == ["I", "II", "III", "IV", "год"]
    assert all(c.kind not in (ResultKind.EXAM, ResultKind.FINAL) for c in sheet.columns)
    configured = build_summary_sheet(j, collator=RU, graduating_grades={8})
    assert _columns(configured, "math") == ["I", "II", "III", "IV", "год", "экз.", "итог."]


def test_each_course_follows_its_own_scheme_in_curriculum_order() -> None:
    j = (
        Builder()
        .student("1", "Абрамов")
        .course("rus", "Русский язык")
        .course("art", "ИЗО", scheme=H)
        .course("tech", "Технология", scheme=T)
        .build()
    )
    sheet = build_summary_sheet(j, collator=RU)
    assert [s.subject_name for s in sheet.subjects] == ["Русский язык", "ИЗО", "Технология"]
    assert _columns(sheet, "rus") == ["I", "II", "III", "IV", "год"]
    assert _columns(sheet, "art") == ["1", "2", "год"]
    assert _columns(sheet, "tech") == ["1", "2", "3", "год"]
    assert [s.id for s in sheet.header.schemes] == [Q.id, H.id, T.id]
    assert len(sheet.rows[0].cells) == len(sheet.columns) == 5 + 3 + 4


def test_cells_hold_the_results_as_set_with_statuses_and_empty_cells() -> None:
    j = (
        Builder()
        .student("1", "Абрамов")
        .student("2", "Борисов")
        .course("m", "Математика")
        .course("pe", "Физкультура")
        .build()
    )
    set_results(j, "1", "m", [3, 3, 3, 3], 5)  # the annual mark is what the teacher set, not a mean
    set_results(j, "1", "pe", [EX, EX, EX, EX], EX)
    j.set_period_mark("2", "m", "q1", NA, by=ADMIN)
    sheet = build_summary_sheet(j, collator=RU)
    first, second = sheet.rows
    assert first.cell("m").value == 5
    assert first.cell("m", ResultKind.PERIOD, "q2").value == 3
    assert [first.cell("pe", ResultKind.PERIOD, p.id).text for p in Q.periods] == ["осв."] * 4
    assert second.cell("m", ResultKind.PERIOD, "q1").text == "н/а"
    assert second.cell("m", ResultKind.PERIOD, "q2").value is None  # missing is not zero
    assert second.cell("m", ResultKind.PERIOD, "q2").text == ""
    with pytest.raises(NotFound):
        first.cell("m", ResultKind.EXAM)

    pe_annual = sheet.statistics.subjects[1].stats[-1]
    assert (pe_annual.n, pe_annual.n_exempt, pe_annual.n_missing) == (0, 1, 1)
    q1 = sheet.statistics.subjects[0].stats[0]
    assert (q1.n, q1.n_na, q1.success_rate) == (2, 1, Fraction(1, 2))


# ---------------------------------------------------------------------------- people


def test_arrivals_and_departures_during_the_year() -> None:
    j = (
        Builder()
        .student("stay", "Абрамов", enrolled=date(2019, 9, 1))
        .student("left", "Волков", left=date(2025, 12, 20), departure_order="112")
        .student("came", "Борисов", enrolled=date(2026, 1, 12), arrival_order="5")
        .student("last", "Гусев", left=date(2026, 5, 26))  # the last school day: finished the year
        .student("later", "Дёмин", enrolled=date(2026, 9, 1))  # next year's student
        .student("gone", "Егоров", enrolled=date(2024, 9, 1), left=date(2025, 6, 1))
        .course("m", "Математика")
        .build()
    )
    j.set_period_mark("left", "m", "q1", 4, by=ADMIN)
    sheet = build_summary_sheet(j, collator=RU)
    assert surnames(sheet) == ["Абрамов", "Борисов", "Волков", "Гусев"]
    left = sheet.row_of("left")
    assert left.has_left
    assert left.departure is not None
    assert left.departure.text_ru == "выбыл(а) 20.12.2025, приказ № 112"
    assert left.cell("m", ResultKind.PERIOD, "q1").value == 4
    came = sheet.row_of("came")
    assert came.arrival is not None
    assert came.arrival.text_ru == "прибыл(а) 12.01.2026, приказ № 5"
    assert not came.has_left
    assert sheet.row_of("stay").arrival is None
    assert sheet.row_of("last").departure is None
    assert [(m.student_id, m.kind, m.date) for m in sheet.movements] == [
        ("left", MovementKind.DEPARTURE, date(2025, 12, 20)),
        ("came", MovementKind.ARRIVAL, date(2026, 1, 12)),
    ]
    with pytest.raises(NotFound):
        sheet.row_of("later")


def test_attendance_days_count_only_when_every_lesson_of_the_day_is_missed() -> None:
    j = (
        Builder()
        .student("a", "Абрамов")
        .student("b", "Борисов")
        .course("m", "Математика")
        .course("h", "История")
        .build()
    )
    lessons = [
        ("l1", "m", date(2025, 9, 2)),
        ("l2", "h", date(2025, 9, 2)),
        ("l3", "m", date(2025, 9, 3)),
        ("l4", "m", date(2025, 9, 4)),
        ("l5", "h", date(2025, 9, 4)),
        ("l6", "m", date(2025, 9, 5)),
        ("l7", "m", date(2025, 9, 8)),
        ("l8", "m", date(2025, 9, 8)),
    ]
    for lid, cid, day in lessons:
        j.add_lesson(Lesson(lid, cid, day, number=int(lid[1:])), by=ADMIN)
    codes = [
        ("l1", "н"),  # 2 Sept: both lessons missed, one for illness → a missed day, not for illness
        ("l2", "б"),
        ("l3", "б"),  # 3 Sept: the only lesson missed for illness → a day missed for illness
        ("l4", "б"),  # 4 Sept: one of two lessons missed → not a missed day
        ("l6", "о"),  # 5 Sept: late is not missed
        ("l7", "б"),  # 8 Sept: two lessons of one course, both for illness → a day for illness
        ("l8", "б"),
    ]
    for lid, code in codes:
        j.record_attendance("a", lid, code, by=ADMIN)
    sheet = build_summary_sheet(j, collator=RU)
    a = sheet.row_of("a").attendance
    assert (a.lessons_missed, a.lessons_missed_illness) == (6, 5)
    assert (a.days_missed, a.days_missed_illness) == (3, 2)
    b = sheet.row_of("b").attendance
    assert (b.lessons_missed, b.lessons_missed_illness, b.days_missed, b.days_missed_illness) == (0, 0, 0, 0)


def test_decisions_with_council_date_and_protocol() -> None:
    j = (
        Builder()
        .student("1", "Абрамов")
        .student("2", "Борисов")
        .student("3", "Волков")
        .course("m", "Математика")
        .build()
    )
    j.set_decision(Decision("1", DecisionKind.PROMOTED, date(2026, 5, 28), "7", to_grade=9), by=ADMIN)
    j.set_decision(Decision("2", DecisionKind.PROMOTED_CONDITIONALLY, date(2026, 5, 28), "7", to_grade=9), by=ADMIN)
    sheet = build_summary_sheet(j, collator=RU)
    first = sheet.row_of("1").decision
    assert first is not None
    assert first.kind is DecisionKind.PROMOTED
    assert (first.council_date, first.protocol, first.to_grade) == (date(2026, 5, 28), "7", 9)
    assert first.text_ru == "переведён(а) в 9 класс"
    assert first.council_text_ru == "протокол № 7 от 28.05.2026"
    second = sheet.row_of("2").decision
    assert second is not None
    assert second.text_ru == "переведён(а) условно"  # the sheet's wording (the snapshot carries what is printed)
    assert sheet.row_of("3").decision is None


def test_header() -> None:
    sheet = build_summary_sheet(Builder().student("1", "Абрамов").course("m", "Математика").build(), collator=TT)
    h = sheet.header
    assert (h.school_name_ru, h.school_name_tt) == ("МБОУ «Гимназия № 2»", "2нче гимназия")
    assert (h.academic_year, h.class_label, h.grade) == ("2025/2026", "8А", 8)
    assert h.class_teacher_name == "Гарипова Лилия Ринатовна"
    assert [p.label for p in h.schemes[0].periods] == ["I", "II", "III", "IV"]
    assert h.schemes[0].name == "четверти"
    no_teacher = build_summary_sheet(Builder(teacher=False).course("m", "М").build(), collator=RU)
    assert no_teacher.header.class_teacher_name == ""
    assert no_teacher.rows == ()


# ---------------------------------------------------------------------------- statistics block


def _ten_students() -> ClassJournal:
    b = Builder().course("m", "Математика").course("art", "ИЗО", scheme=H)
    names = ["Абрамов", "Борисов", "Волков", "Гусев", "Дёмин", "Егоров", "Жуков", "Зуев", "Ильин", "Котов", "Лосев"]
    for i, name in enumerate(names):
        b.student(str(i), name)
    j = b.build()
    annual: list[MarkValue] = [5, 5, 4, 4, 4, 3, 3, 3, 2, NA, EX]
    for i, value in enumerate(annual):
        j.set_annual_mark(str(i), "m", value, by=ADMIN)
        j.set_period_mark(str(i), "art", "h1", 5, by=ADMIN)
    return j


def test_statistics_block_per_subject_and_for_the_class() -> None:
    sheet = build_summary_sheet(_ten_students(), collator=RU)
    math = sheet.statistics.subjects[0]
    assert math.course_id == "m"
    annual = math.stats[[c.kind for c in math.columns].index(ResultKind.ANNUAL)]
    assert annual.n == 10
    assert (annual.success_text(), annual.quality_text(), annual.sou_text()) == ("80,0", "50,0", "52,3")

    labels = [c.label for c in sheet.statistics.class_columns]
    assert labels == ["I", "II", "III", "IV", "год"]  # the class's columns follow its finest scheme
    year = sheet.statistics.class_columns[-1]
    assert year.course_ids == ("m", "art")
    assert year.stats.n == 10  # art has no annual marks yet
    # the art half-year 1 mark belongs to quarter II, where the half-year ends; quarter I has none
    q1, q2 = sheet.statistics.class_columns[0], sheet.statistics.class_columns[1]
    assert (q1.course_ids, q1.categories.n, q1.categories.excluded) == (("m",), 0, q1.categories.members)
    assert (q2.period_id, q2.course_ids, q2.stats.n, q2.stats.quality_rate) == ("q2", ("m", "art"), 11, 1)
    assert q2.categories.all_fives == q2.categories.members  # every student has only the art 5
    cats = year.categories
    assert cats.all_fives == ("0", "1")  # row order
    assert cats.failing == ("8",)
    assert cats.not_certified == ("9",)
    assert len(cats.assessed) == 10  # the exempt student has no other annual result
    assert cats.excluded == ("10",)
    assert (cats.n, len(cats.successful), len(cats.quality)) == (10, 8, 5)
    assert (year.categories.success_rate, year.categories.quality_rate) == (Fraction(4, 5), Fraction(1, 2))


def test_class_categories_must_list_the_sheets_students() -> None:
    sheet = build_summary_sheet(_ten_students(), collator=RU)
    year = sheet.statistics.class_columns[-1]
    k = year.categories
    # the same students in another order: each list is consistent, but not the sheet's row order
    shuffled = StudentCategories(
        *(tuple(reversed(getattr(k, name))) for name in ("members", "assessed", "all_fives", "fours_and_fives")),
        *(tuple(reversed(getattr(k, name))) for name in ("one_four", "one_three", "failing", "not_certified")),
    )
    columns = (*sheet.statistics.class_columns[:-1], evolve(year, categories=shuffled))
    with pytest.raises(InvalidInput) as caught:
        evolve(sheet, statistics=evolve(sheet.statistics, class_columns=columns))
    assert caught.value.where == f"statistics.class_columns[{len(columns) - 1}].categories.members"
    # one student fewer on the categories' list than on the sheet
    short = StudentCategories(
        k.members[:-1],
        *(
            tuple(x for x in getattr(k, n) if x != k.members[-1])
            for n in ("assessed", "all_fives", "fours_and_fives", "one_four", "one_three", "failing", "not_certified")
        ),
    )
    columns = (*sheet.statistics.class_columns[:-1], evolve(year, categories=short))
    with pytest.raises(InvalidInput):
        evolve(sheet, statistics=evolve(sheet.statistics, class_columns=columns))


def test_statistics_follow_the_settings() -> None:
    j = _ten_students()
    per_mark = build_summary_sheet(j, collator=RU, settings=StatsSettings(counting=Counting.PER_MARK))
    assert per_mark.settings.counting is Counting.PER_MARK
    assert per_mark.statistics.subjects[0].stats[-1].n == 0  # no lesson marks in this journal
    assert per_mark.content_hash != build_summary_sheet(j, collator=RU).content_hash


# ---------------------------------------------------------------------------- layouts


def test_both_layouts_show_the_same_cells() -> None:
    j = (
        Builder()
        .student("1", "Абрамов")
        .student("2", "Борисов")
        .course("m", "Математика")
        .course("art", "ИЗО", scheme=H)
        .build()
    )
    set_results(j, "1", "m", [5, 4, 5, 4], 5)
    set_results(j, "2", "art", [3, 4], 4)
    sheet = build_summary_sheet(j, collator=RU)
    assert sheet.layout is SheetLayout.STUDENTS_AS_ROWS
    other = sheet.transposed()
    assert other.layout is SheetLayout.SUBJECTS_AS_ROWS
    assert other.rows == sheet.rows
    assert other.transposed() == sheet

    by_students = sheet.grid()
    assert [g.label for g in by_students.groups] == ["Математика", "ИЗО"]
    assert [(r.number, r.label) for r in by_students.rows] == [(1, "Абрамов Имя"), (2, "Борисов Имя")]
    assert all(len(r.cells) == len(by_students.columns) == 8 for r in by_students.rows)

    by_subjects = other.grid()
    assert by_subjects.layout is SheetLayout.SUBJECTS_AS_ROWS
    assert [(g.number, g.key) for g in by_subjects.groups] == [(1, "1"), (2, "2")]
    slot_labels = [c.label for c in by_subjects.groups[0].columns]
    assert slot_labels == ["I/1", "II/2", "III", "IV", "год"]
    assert [r.key for r in by_subjects.rows] == ["m", "art"]
    width = len(slot_labels)
    art_row = by_subjects.rows[1]
    student_2 = art_row.cells[width : 2 * width]
    assert [None if c is None else c.value for c in student_2] == [3, 4, None, None, 4]
    assert student_2[2] is None  # the half-year course has no third period: not an empty mark
    math_row_1 = by_subjects.rows[0].cells[:width]
    assert [c.value for c in math_row_1 if c is not None] == [5, 4, 5, 4, 5]
    # the two grids hold exactly the same cells, each under the same student
    by_student_grid = {(r.key, c.key): c for r in by_students.rows for c in r.cells if c is not None}
    by_subject_grid = {
        (group.key, c.key): c
        for r in by_subjects.rows
        for i, group in enumerate(by_subjects.groups)
        for c in r.cells[i * width : (i + 1) * width]
        if c is not None
    }
    assert by_subject_grid == by_student_grid
    assert len(by_student_grid) == 2 * 8
    assert other.rows_for(SheetLayout.STUDENTS_AS_ROWS) == by_students.rows
    assert sheet.with_layout(SheetLayout.SUBJECTS_AS_ROWS) == other


# ---------------------------------------------------------------------------- certification and hash


def _graduating() -> ClassJournal:
    j = (
        Builder(9)
        .student("1", "Әхмәтова", "Алсу", "Ринатовна")
        .student("2", "Борисов", "Олег")
        .student("3", "Вәлиев", "Айдар", enrolled=date(2026, 1, 12), arrival_order="5")
        .course("math", "Математика", examined=True)
        .course("pe", "Физкультура")
        .course("art", "ИЗО", scheme=H)
        .build()
    )
    set_results(j, "1", "math", [5, 5, 4, 5], 5)
    set_results(j, "1", "pe", [EX, EX, EX, EX], EX)
    set_results(j, "2", "math", [3, NA, 3], 3)
    set_results(j, "2", "art", [4, 4], 4)
    j.set_exam_mark("1", "math", 5, by=ADMIN)
    j.set_final_mark("1", "math", 5, by=ADMIN)
    j.set_decision(Decision("1", DecisionKind.GRADUATED_WITH_HONOURS, date(2026, 6, 20), "12"), by=ADMIN)
    return j


def _walk(value: object) -> Iterable[object]:
    yield value
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def test_canonical_json_is_canonical() -> None:
    sheet = build_summary_sheet(
        _graduating(), collator=TT, certification=Certification(date(2026, 6, 25), "Сафин И. М.", "Гарипова Л. Р.")
    )
    raw = sheet.canonical_json()
    data = json.loads(raw)
    assert data == sheet.to_dict()
    assert raw == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert "Әхмәтова".encode() in raw  # not \u escapes
    assert not any(isinstance(v, float) for v in _walk(data))
    assert all(type(v) in (dict, list, str, int, bool, type(None)) for v in _walk(data))
    assert data["certification"] == {
        "date": "2026-06-25",
        "director_name": "Сафин И. М.",
        "class_teacher_name": "Гарипова Л. Р.",
    }
    assert data["header"]["year_start"] == "2025-09-01"
    annual = data["statistics"]["subjects"][0]["columns"][4]
    assert annual["kind"] == "annual"
    assert annual["stats"]["success_rate"] == "1/1"  # 5 and 3: both pass
    assert annual["stats"]["sou"] == "68/1"  # (100 + 36) / 2
    assert sheet.content_hash == hashlib.sha256(raw).hexdigest()
    assert len(sheet.content_hash) == 64


def test_content_hash_is_stable_across_builds_and_covers_certification_and_layout() -> None:
    one = build_summary_sheet(_graduating(), collator=TT)
    two = build_summary_sheet(_graduating(), collator=TT)
    assert one.content_hash == two.content_hash
    assert one == two
    certified = build_summary_sheet(
        _graduating(), collator=TT, certification=Certification.from_journal(_graduating(), date(2026, 6, 25))
    )
    assert certified.certification == Certification(
        date(2026, 6, 25), "Сафин Ильдар Маратович", "Гарипова Лилия Ринатовна"
    )
    assert certified.content_hash != one.content_hash
    assert one.transposed().content_hash != one.content_hash
    assert build_summary_sheet(_graduating(), collator=RU).content_hash != one.content_hash


def _cell_setter(
    j: ClassJournal, student_id: str, course_id: str, kind: ResultKind, period_id: str, value: MarkValue | None
) -> None:
    if kind is ResultKind.PERIOD:
        j.set_period_mark(student_id, course_id, period_id, value, by=ADMIN, reason="test")
    elif kind is ResultKind.ANNUAL:
        j.set_annual_mark(student_id, course_id, value, by=ADMIN, reason="test")
    elif kind is ResultKind.EXAM:
        j.set_exam_mark(student_id, course_id, value, by=ADMIN, reason="test")
    else:
        j.set_final_mark(student_id, course_id, value, by=ADMIN, reason="test")


BASE = build_summary_sheet(_graduating(), collator=TT)
CELLS = [(r.student_id, c.course_id, c.kind, c.period_id, c.value) for r in BASE.rows for c in r.cells]


@settings(max_examples=40)
@given(st.data())
def test_changing_any_single_result_changes_the_hash(data: st.DataObject) -> None:
    student_id, course_id, kind, period_id, old = data.draw(st.sampled_from(CELLS))
    choices: list[MarkValue | None] = [1, 2, 3, 4, 5, NA, EX]
    if old is not None:
        choices.append(None)  # clearing a cell is a change too
    new = data.draw(st.sampled_from([v for v in choices if v != old]))
    j = _graduating()
    _cell_setter(j, student_id, course_id, kind, period_id, new)
    changed = build_summary_sheet(j, collator=TT)
    assert changed.content_hash != BASE.content_hash
    assert changed.row_of(student_id).cell(course_id, kind, period_id).value == new


# ---------------------------------------------------------------------------- bad input


def test_bad_arguments_are_invalid_input() -> None:
    j = Builder().student("1", "Абрамов").course("m", "Математика").build()
    with pytest.raises(InvalidInput) as err:
        build_summary_sheet(j, collator=object())  # type: ignore[arg-type]
    assert err.value.where == "collator"
    with pytest.raises(InvalidInput):
        build_summary_sheet(j, collator=RU, layout="students_as_rows")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        build_summary_sheet(j, collator=RU, graduating_grades=[13])
    with pytest.raises(InvalidInput):
        build_summary_sheet(j, collator=RU, certification="today")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        build_summary_sheet(j, collator=RU, settings={})  # type: ignore[arg-type]


def test_a_result_off_its_scale_is_reported_with_its_place() -> None:
    j = Builder().student("1", "Абрамов").course("m", "Математика").build()
    bad = ResultMark("1", "m", ResultKind.ANNUAL, 7, datetime(2026, 5, 27, tzinfo=UTC), "import")
    j.results[bad.key] = bad  # an imported, imperfect journal
    with pytest.raises(InvalidInput) as err:
        build_summary_sheet(j, collator=RU)
    assert "course m annual" in err.value.where


def test_certification_is_validated() -> None:
    with pytest.raises(InvalidInput):
        Certification(date(2026, 6, 1), " ", "Гарипова Л. Р.")
    with pytest.raises(InvalidInput):
        Certification("2026-06-01", "Сафин И. М.", "Гарипова Л. Р.")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Certification.from_journal(Builder(director=False).build(), date(2026, 6, 1))
    with pytest.raises(InvalidInput):
        Certification.from_journal(Builder(teacher=False).build(), date(2026, 6, 1))


def test_sheet_checks_its_rows() -> None:
    sheet = build_summary_sheet(_graduating(), collator=TT)
    with pytest.raises(InvalidInput):
        evolve(sheet, rows=tuple(reversed(sheet.rows)))
    with pytest.raises(InvalidInput):
        evolve(sheet, rows=(evolve(sheet.rows[0], cells=sheet.rows[0].cells[1:]),))


def test_a_departed_student_reads_as_a_movement_never_as_a_decision_or_a_protocol() -> None:
    from ejournal.render import render
    from ejournal.render.i18n import catalog
    from ejournal.render.tabular import outcome_text

    j = (
        Builder()
        .student("stay", "Абрамов")
        .student("gone", "Волков", left=date(2025, 10, 20), departure_order="56-у")
        .course("m", "Математика")
        .build()
    )
    # older data recorded the departure as a council decision with the order as its "protocol"
    j.decisions["gone"] = Decision("gone", DecisionKind.LEFT, date(2025, 10, 20), "56-у", None, "выбыл")
    j.decisions["stay"] = Decision("stay", DecisionKind.PROMOTED, date(2026, 5, 28), "7", 6)
    sheet = build_summary_sheet(j, collator=RU)
    ru = catalog("ru")
    assert outcome_text(sheet.row_of("gone"), ru) == "выбыл(а) 20.10.2025, приказ № 56-у"
    assert outcome_text(sheet.row_of("stay"), ru) == "переведён(а) в 6 класс (протокол № 7 от 28.05.2026)"
    csv_text = render(sheet, "csv").decode("utf-8-sig")
    gone_line = next(line for line in csv_text.splitlines() if "Волков" in line and "выбыл" in line)
    assert "протокол" not in gone_line


def test_decisions_and_departures_agree_with_the_students_sex() -> None:
    from ejournal.core.model import Sex
    from ejournal.render.i18n import catalog
    from ejournal.render.tabular import outcome_text

    j = (
        Builder()
        .student("he", "Абрамов")
        .student("she", "Борисова")
        .student("unknown", "Волкова")
        .student("gone", "Гусева", left=date(2025, 10, 20), departure_order="56-у")
        .course("m", "Математика")
        .build()
    )
    for sid, sex in (("he", Sex.MALE), ("she", Sex.FEMALE), ("gone", Sex.FEMALE)):
        j.students[sid] = evolve(j.students[sid], sex=sex)
    for sid in ("he", "she", "unknown"):
        j.decisions[sid] = Decision(sid, DecisionKind.PROMOTED, date(2026, 5, 28), "7", 6)
    sheet = build_summary_sheet(j, collator=RU)
    ru, tt = catalog("ru"), catalog("tt")
    assert outcome_text(sheet.row_of("he"), ru).startswith("переведён в 6 класс")
    assert outcome_text(sheet.row_of("she"), ru).startswith("переведена в 6 класс")
    assert outcome_text(sheet.row_of("unknown"), ru).startswith("переведён(а) в 6 класс")
    assert outcome_text(sheet.row_of("gone"), ru) == "выбыла 20.10.2025, приказ № 56-у"
    assert outcome_text(sheet.row_of("she"), tt) == outcome_text(sheet.row_of("unknown"), tt)  # no gender in Tatar
    back = SummarySheet.from_dict(json.loads(sheet.canonical_json()))
    assert [r.sex for r in back.rows] == [r.sex for r in sheet.rows] == ["m", "f", "", "f"]


def test_a_class_taught_without_marks_prints_attendance_and_decisions_only() -> None:
    from ejournal.demo import generate_class_journal
    from ejournal.render import render

    j = generate_class_journal(grade=1, students=5, seed=2)
    assert all(s.assessment.value == "none" for s in j.subjects.values())
    sheet = build_summary_sheet(j, collator=RU)
    assert sheet.subjects == ()
    assert [r.cells for r in sheet.rows] == [()] * len(sheet.rows)
    assert all(r.decision is not None or r.departure is not None for r in sheet.rows)
    csv_text = render(sheet, "csv").decode("utf-8-sig")
    assert "Успеваемость" not in csv_text  # no all-zero statistics
    assert "Решение педагогического совета" in csv_text
    for fmt in ("pdf", "html", "xlsx", "json"):
        assert render(sheet, fmt)
        assert render(sheet, fmt, layout=SheetLayout.SUBJECTS_AS_ROWS)
    assert SummarySheet.from_dict(json.loads(sheet.canonical_json())) == sheet
    # a subject without marks that nevertheless has results keeps its columns
    course = next(iter(j.courses))
    j.set_annual_mark(next(iter(j.students)), course, Status.EXEMPT, by=ADMIN, reason="тест")
    assert [s.course_id for s in build_summary_sheet(j, collator=RU).subjects] == [course]


def test_the_tatar_sheet_prints_the_tatar_subject_names_where_the_data_has_them() -> None:
    from ejournal.render import render

    j = Builder().student("s", "Абрамов").course("m", "Математика").course("r", "Русский язык").build()
    j.subjects["r"] = evolve(j.subjects["r"], name_tt="Рус теле")
    sheet = build_summary_sheet(j, collator=TT)
    tt_head = render(sheet, "csv", locale="tt").decode("utf-8-sig").splitlines()[0]
    ru_head = render(sheet, "csv", locale="ru").decode("utf-8-sig").splitlines()[0]
    assert "Рус теле" in tt_head
    assert "Русский язык" not in tt_head
    assert "Математика" in tt_head  # no Tatar name: the name as it is
    assert "Русский язык" in ru_head
    assert "Рус теле" not in ru_head
    assert SummarySheet.from_dict(json.loads(sheet.canonical_json())) == sheet
    plain = build_summary_sheet(Builder().student("s", "Абрамов").course("m", "Математика").build(), collator=TT)
    assert "subject_name_tt" not in plain.canonical_json().decode()  # older sheets keep their bytes
