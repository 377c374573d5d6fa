"""Realistic little test data for the conformance scenarios (and for your own tests).

Everything is deterministic: the journals run on a :class:`TickingClock` whose timestamps are
timezone-aware, carry microseconds and never repeat, so audit entries have a strict order.

- :func:`sample_school`, :func:`sample_teachers`, :func:`sample_parents`: the school's data;
- :func:`sample_journal`: class 9А of 2025/2026 — five students (Tatar and Russian names, one
  arriving and one leaving mid-year), three courses on different scales (five-point on quarters,
  ten-point on half-years, pass/fail on quarters), weighted work types (1/3, 2.5), lessons, marks
  (one corrected, one deleted), attendance, period marks including "н/а", "осв.", "зач.",
  "незач.", a closed quarter changed afterwards with a reason, annual, exam and final marks,
  attempts at the admission test (one failed, then passed) and council decisions (a student
  admitted to the exam in May and graduated in June; one decision withdrawn).  Its :attr:`~ejournal.core.journal.ClassJournal.pending_changes` hold every
  change made, ready for ``journals.add`` to write to the audit log;
- :func:`sample_school_year`: two journals of one school and year, the people, and the audit
  log (the journals' pending changes moved into ``audit``);
- :func:`seed`: store a school year through the repositories, in one unit of work.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction

from attrs import define

from ejournal.core.calendar import AcademicYear, half_years, quarters
from ejournal.core.journal import (
    YEAR,
    Actor,
    AdmissionTest,
    AdmissionTestKind,
    Change,
    ClassJournal,
    Decision,
    DecisionKind,
    Role,
)
from ejournal.core.model import (
    AssessmentKind,
    ClassGroup,
    Course,
    Lesson,
    Parent,
    PersonName,
    School,
    Sex,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import FIVE_POINT, PASS_FAIL, TEN_POINT, Status, WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.storage.ports import Storage

__all__ = [
    "ADMIN",
    "MSK",
    "SAMPLE_YEAR",
    "TickingClock",
    "sample_journal",
    "sample_parents",
    "sample_school",
    "sample_school_year",
    "sample_teachers",
    "seed",
]

MSK = timezone(timedelta(hours=3), "MSK")
"""Moscow (and Kazan) time, the offset the sample clocks run in."""

SAMPLE_YEAR = AcademicYear(2025)
"""The academic year 2025/2026 of the samples."""

ADMIN = Actor("adm-1", Role.ADMINISTRATOR)
"""The administrator who closes periods and changes closed ones in the samples."""


@define
class TickingClock:
    """A clock that moves ``step`` forward on every reading, starting at ``start``.

    Deterministic and strictly increasing, so every change gets its own timestamp.
    """

    start: datetime
    step: timedelta = timedelta(minutes=7, microseconds=123_457)
    ticks: int = 0

    def now(self) -> datetime:
        """``start + ticks * step``, then one tick more."""
        at = self.start + self.ticks * self.step
        self.ticks += 1
        return at


def sample_school(school_id: str = "s-kzn-1") -> School:
    """A gymnasium in Kazan with Russian and Tatar names and a director."""
    return School(
        school_id,
        "МБОУ «Гимназия № 1» г. Казани",
        "Казанның 1нче гимназиясе",
        director=PersonName("Җәлилова", "Гөлнара", "Фәридовна"),
        address="г. Казань, ул. Баумана, д. 1",
    )


def sample_teachers() -> dict[str, Teacher]:
    """Four teachers by id: mathematics, Tatar, physical education, and a class teacher of 10Б."""
    return {
        t.id: t
        for t in (
            Teacher("t-math", PersonName("Иванова", "Мария", "Петровна")),
            Teacher("t-tat", PersonName("Хәйруллина", "Әлфия", "Рәшитовна")),
            Teacher("t-pe", PersonName("Семёнов", "Пётр", "Ильич")),
            Teacher("t-phys", PersonName("Ёлкин", "Фёдор", "Ильдусович")),
        )
    }


def sample_parents() -> dict[str, Parent]:
    """Three parents by id; one has two children (in 9А and 10Б)."""
    return {
        p.id: p
        for p in (
            Parent("p-1", PersonName("Әхмәтова", "Резеда", "Ильгизовна"), {"st-1"}),
            Parent("p-2", PersonName("Ёлкин", "Сергей", ""), {"st-2", "st-10-1"}),
            Parent("p-3", PersonName("Миңнуллин", "Илдар", "Нурисламович"), {"st-3"}),
        )
    }


def _work_types() -> dict[str, WorkType]:
    return {
        w.id: w
        for w in (
            WorkType("cw", "Работа на уроке", 1),
            WorkType("test", "Контрольная работа", 2),
            WorkType("proj", "Проект", "2.5"),
            WorkType("oral", "Устный ответ", Fraction(1, 3)),
        )
    }


def _subjects() -> dict[str, Subject]:
    return {
        s.id: s
        for s in (
            Subject("math", "Математика", 1, short_name="Матем."),
            Subject("tat", "Татарский язык", 2, short_name="Тат. яз."),
            Subject("pe", "Физическая культура", 3, AssessmentKind.PASS_FAIL, "Физ-ра"),
        )
    }


def sample_journal(
    school: School | None = None, *, journal_id: str = "9a-2025", start: datetime | None = None
) -> ClassJournal:
    """Class 9А of 2025/2026 with a term's worth of records and every change pending.

    ``school`` defaults to :func:`sample_school`; ``start`` is the first tick of its clock
    (default 1 September 2025, 08:00:00.000001 MSK).  Raises nothing for the defaults; the
    journal commands raise if a caller's ``start`` puts the data outside the year.
    """
    year = SAMPLE_YEAR
    q = quarters(year)
    h = half_years(year)
    clock = TickingClock(start or datetime(2025, 9, 1, 8, 0, 0, 1, tzinfo=MSK))
    teachers = {k: v for k, v in sample_teachers().items() if k != "t-phys"}
    students = {
        s.id: s
        for s in (
            Student(
                "st-1", PersonName("Әхмәтов", "Айдар", "Ринатович"), date(2025, 9, 1), birth_date=date(2010, 3, 15)
            ),
            Student(
                "st-2",
                PersonName("Ёлкина", "Алёна", "Сергеевна"),
                date(2025, 9, 1),
                birth_date=date(2010, 7, 2),
                sex=Sex.FEMALE,  # recorded for one student: every backend must keep it (and None)
            ),
            Student(
                "st-3",
                PersonName("Миңнуллина", "Гөлназ", "Илдаровна"),
                date(2025, 9, 10),
                arrival_order="№ 45-к от 09.09.2025",
            ),
            Student("st-4", PersonName("Һадиев", "Җәмил", "Өлфәтович"), date(2025, 9, 1)),
            Student(
                "st-5",
                PersonName("Смирнов", "Иван", "Андреевич"),
                date(2025, 9, 1),
                left=date(2026, 2, 13),
                departure_order="№ 12-к от 13.02.2026",
            ),
        )
    }
    courses = {
        c.id: c
        for c in (
            Course("c-math", "math", "t-math", 5, q.id, FIVE_POINT.id, examined=True),
            Course("c-tat", "tat", "t-tat", "1.5", h.id, TEN_POINT.id),
            Course("c-pe", "pe", "t-pe", 3, q.id, PASS_FAIL.id),
        )
    }
    j = ClassJournal(
        school or sample_school(),
        ClassGroup(journal_id, 9, "А", year, "t-tat"),
        students=students,
        teachers=teachers,
        subjects=_subjects(),
        courses=courses,
        schemes={q.id: q, h.id: h},
        work_types=_work_types(),
        clock=clock,
    )
    math_t = Actor("t-math", Role.SUBJECT_TEACHER)
    tat_t = Actor("t-tat", Role.CLASS_TEACHER)
    pe_t = Actor("t-pe", Role.SUBJECT_TEACHER)
    lessons = [
        (Lesson("l-m1", "c-math", date(2025, 9, 15), "Квадратные уравнения", "№ 12, 14"), math_t),
        (Lesson("l-m2", "c-math", date(2025, 10, 6), "Теорема Виета", "№ 20", number=2), math_t),
        (Lesson("l-m3", "c-math", date(2025, 11, 17), "Контрольная работа № 2", ""), math_t),
        (Lesson("l-t1", "c-tat", date(2025, 9, 16), "Исем. Җөмлә кисәкләре", "5нче күнегү"), tat_t),
        (Lesson("l-t2", "c-tat", date(2026, 1, 20), "Фигыль заманнары", "«Туган тел» шигыре ятларга"), tat_t),
        (Lesson("l-p1", "c-pe", date(2025, 9, 17), "Лёгкая атлетика: бег 60 м"), pe_t),
    ]
    for lesson, by in lessons:
        j.add_lesson(lesson, by=by)
    j.record_mark("st-1", "l-m1", 5, "cw", by=math_t, mark_id="m-1")
    j.record_mark("st-1", "l-m1", 4, "oral", by=math_t, mark_id="m-2", comment="устно, у доски")
    j.record_mark("st-2", "l-m1", 3, "cw", by=math_t, mark_id="m-3")
    j.record_mark("st-4", "l-m2", 2, "test", by=math_t, mark_id="m-4")
    j.record_mark("st-2", "l-m2", 5, "proj", by=math_t, mark_id="m-5", comment="проект «Ёлка»")
    j.record_mark("st-3", "l-m2", 4, "cw", by=math_t, mark_id="m-6")
    j.correct_mark("m-4", 3, by=math_t, reason="ошибка при вводе")
    j.record_mark("st-5", "l-m3", 4, "test", by=math_t, mark_id="m-7")
    j.record_mark("st-1", "l-t1", 9, "cw", by=tat_t, mark_id="m-8", comment="бик яхшы")
    j.record_mark("st-3", "l-t1", 10, "oral", by=tat_t, mark_id="m-9")
    j.record_mark("st-4", "l-t2", 7, "test", by=tat_t, mark_id="m-10")
    j.record_mark("st-2", "l-p1", Status.PASS, "cw", by=pe_t, mark_id="m-11")
    j.record_mark("st-5", "l-p1", Status.FAIL, "cw", by=pe_t, mark_id="m-12")
    j.record_mark("st-2", "l-t1", 6, "cw", by=tat_t, mark_id="m-13")
    j.delete_mark("m-13", by=tat_t, reason="отметка другому ученику")
    j.record_attendance("st-3", "l-m1", "б", by=math_t)
    j.record_attendance("st-4", "l-m1", "н", by=math_t)
    j.record_attendance("st-5", "l-t1", "уп", by=tat_t)
    j.record_attendance("st-2", "l-p1", "о", by=pe_t)
    j.record_attendance("st-4", "l-m1", "уп", by=tat_t, reason="справка")
    j.edit_lesson("l-m2", by=math_t, homework="№ 20, 21 (повторить)")
    j.set_period_mark("st-1", "c-math", "q1", 5, by=math_t)
    j.set_period_mark("st-2", "c-math", "q1", 4, by=math_t)
    j.set_period_mark("st-3", "c-math", "q1", Status.NOT_CERTIFIED, by=math_t, reason="мало отметок")
    j.set_period_mark("st-4", "c-math", "q1", 3, by=math_t)
    j.set_period_mark("st-1", "c-pe", "q1", Status.EXEMPT, by=pe_t, reason="справка об освобождении")
    j.set_period_mark("st-2", "c-pe", "q1", Status.PASS, by=pe_t)
    j.set_period_mark("st-5", "c-pe", "q1", Status.FAIL, by=pe_t)
    j.close_period("q1", by=ADMIN)
    j.set_period_mark("st-4", "c-math", "q1", 4, by=ADMIN, reason="пересмотр по заявлению родителей")
    j.set_period_mark("st-1", "c-tat", "h1", 9, by=tat_t)
    j.set_period_mark("st-3", "c-tat", "h1", 10, by=tat_t)
    j.set_annual_mark("st-1", "c-math", 5, by=math_t)
    j.set_exam_mark("st-1", "c-math", 5, by=math_t)
    j.set_final_mark("st-1", "c-math", 5, by=math_t)
    j.set_annual_mark("st-5", "c-math", Status.NOT_CERTIFIED, by=math_t, reason="выбыл")
    j.set_decision(
        Decision("st-5", DecisionKind.LEFT, date(2026, 2, 16), "№ 4", note="выбыл в г. Набережные Челны"), by=ADMIN
    )
    interview = AdmissionTestKind.INTERVIEW
    j.record_admission_test(
        AdmissionTest("st-1", interview, 1, date(2026, 2, 11), False, "не явился: болезнь"), by=ADMIN
    )
    j.record_admission_test(AdmissionTest("st-1", interview, 2, date(2026, 3, 11), True), by=ADMIN)
    j.record_admission_test(AdmissionTest("st-2", interview, 1, date(2026, 2, 11), True), by=ADMIN)
    j.record_decision(Decision("st-1", DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 20), "№ 7"), by=ADMIN)
    j.record_decision(Decision("st-2", DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 20), "№ 7"), by=ADMIN)
    j.record_decision(Decision("st-2", DecisionKind.NOT_ADMITTED_TO_EXAM, date(2026, 5, 20), "№ 7"), by=ADMIN)
    j.withdraw_decision(
        "st-2", date(2026, 5, 20), DecisionKind.NOT_ADMITTED_TO_EXAM, by=ADMIN, reason="ошибка при вводе"
    )
    j.record_decision(Decision("st-1", DecisionKind.GRADUATED, date(2026, 6, 25), "№ 10"), by=ADMIN)
    j.close_period(YEAR, by=ADMIN)
    j.reopen_period(YEAR, by=ADMIN, reason="исправление решения педсовета")
    return j


def _second_journal(school: School) -> ClassJournal:
    year = SAMPLE_YEAR
    h = half_years(year)
    clock = TickingClock(datetime(2025, 9, 1, 9, 30, 0, 500_000, tzinfo=UTC), timedelta(minutes=11, microseconds=1))
    teacher = sample_teachers()["t-phys"]
    j = ClassJournal(
        school,
        ClassGroup("10b-2025", 10, "Б", year, teacher.id),
        students={
            "st-10-1": Student("st-10-1", PersonName("Ёлкин", "Артём", "Сергеевич"), date(2025, 9, 1)),
            "st-10-2": Student("st-10-2", PersonName("Сафина", "Әлсу", "Маратовна"), date(2025, 9, 1)),
        },
        teachers={teacher.id: teacher},
        subjects={"phys": Subject("phys", "Физика", 1)},
        courses={"c-phys": Course("c-phys", "phys", teacher.id, 2, h.id, FIVE_POINT.id)},
        schemes={h.id: h},
        work_types=_work_types(),
        clock=clock,
    )
    by = Actor(teacher.id, Role.SUBJECT_TEACHER)
    j.add_lesson(Lesson("l-f1", "c-phys", date(2025, 9, 3), "Равномерное движение", "§ 1"), by=by)
    j.record_mark("st-10-1", "l-f1", 4, "oral", by=by, mark_id="m-1")
    j.record_mark("st-10-2", "l-f1", 5, "proj", by=by, mark_id="m-2")
    j.set_period_mark("st-10-2", "c-phys", "h1", Status.EXEMPT, by=by, reason="по состоянию здоровья")
    return j


def sample_school_year(school_id: str = "s-kzn-1") -> SchoolYear:
    """School ``school_id`` in 2025/2026: teachers, parents, journals 9А and 10Б, and the audit log.

    The journals' pending changes are moved into ``audit`` (ordered by time, then by journal),
    so the journals themselves have none pending.
    """
    school = sample_school(school_id)
    journals = [sample_journal(school), _second_journal(school)]
    audit: list[Change] = []
    for j in journals:
        audit.extend(j.take_pending_changes())
    audit.sort(key=lambda c: c.at)
    return SchoolYear(
        school,
        SAMPLE_YEAR,
        teachers=sample_teachers(),
        parents=sample_parents(),
        journals={j.id: j for j in journals},
        audit=audit,
    )


def seed(storage: Storage, school_year: SchoolYear) -> None:
    """Store ``school_year`` through the repositories in one unit of work and commit.

    The school, teachers and parents are added; each journal is added (writing its pending
    changes, if any) and ``school_year.audit`` is appended.  Raises what the backend raises
    (:class:`InvalidInput` for an id that exists...).
    """
    sid = school_year.school.id
    with storage.unit_of_work() as uow:
        uow.schools.add(school_year.school)
        for t in school_year.teachers.values():
            uow.people.add_teacher(sid, t)
        for p in school_year.parents.values():
            uow.people.add_parent(sid, p)
        for j in school_year.journals.values():
            uow.journals.add(j)
        uow.audit.append(sid, school_year.audit)
        uow.commit()
