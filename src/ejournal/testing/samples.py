"""A deterministic sample class for renderer demos, documentation, tests and benchmarks.

:func:`sample_journal` builds a :class:`~ejournal.core.journal.ClassJournal` with the core model
only: Russian and Tatar names (with Ё and ә ө ү җ ң һ), a curriculum of up to 20 subjects,
period, annual, exam and final marks (with "н/а" and "осв."), lessons with topics and homework,
attendance, council decisions, an arrival and a departure.  :func:`sample_sheet` turns it into a
certified :class:`~ejournal.core.summary.SummarySheet`.  The same arguments give the same data.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from ejournal.core.calendar import AcademicYear, half_years, quarters
from ejournal.core.errors import InvalidInput
from ejournal.core.grading.policy import GradingPolicy
from ejournal.core.journal import (
    AdmissionTest,
    AdmissionTestKind,
    AttendanceRecord,
    ClassJournal,
    Decision,
    DecisionKey,
    DecisionKind,
    FixedClock,
    Mark,
    ResultKey,
    ResultKind,
    ResultMark,
    admission_test_kind,
)
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import MarkValue, Status, WorkType
from ejournal.core.stats import round_half_up
from ejournal.core.summary import Certification, SheetLayout, SummarySheet, build_summary_sheet

__all__ = ["SUBJECT_NAMES", "sample_journal", "sample_sheet"]

SUBJECT_NAMES: tuple[str, ...] = (
    "Русский язык",
    "Литература",
    "Татарский язык",
    "Татарская литература",
    "Иностранный язык (английский)",
    "Алгебра",
    "Геометрия",
    "Вероятность и статистика",
    "Информатика",
    "История",
    "Обществознание",
    "География",
    "Физика",
    "Химия",
    "Биология",
    "Астрономия",
    "Индивидуальный проект",
    "Основы безопасности и защиты Родины",
    "Физическая культура",
    "Музыка",
)
"""The curriculum of the sample class, in order (the first ``subjects`` are used)."""

_SURNAMES = (
    ("Ёлкин", "Ёлкина"),
    ("Елкин", "Елкина"),
    ("Әхмәтов", "Әхмәтова"),
    ("Вәлиев", "Вәлиева"),
    ("Гыйззәтуллин", "Гыйззәтуллина"),
    ("Җиһаншин", "Җиһаншина"),
    ("Хөсәенов", "Хөсәенова"),
    ("Үзбәков", "Үзбәкова"),
    ("Һадиев", "Һадиева"),
    ("Иванов", "Иванова"),
    ("Фёдоров", "Фёдорова"),
    ("Шәрәфиев", "Шәрәфиева"),
    ("Миңнебаев", "Миңнебаева"),
    ("Смирнов", "Смирнова"),
    ("Гарипов", "Гарипова"),
    ("Зарипов", "Зарипова"),
    ("Королёв", "Королёва"),
    ("Сафин", "Сафина"),
    ("Нуриев", "Нуриева"),
    ("Соловьёв", "Соловьёва"),
)
_MALE = ("Айдар", "Рөстәм", "Җәүдәт", "Илһам", "Фёдор", "Артём", "Ильдар", "Тимур", "Семён", "Миңнулла")
_FEMALE = ("Әлфия", "Гөлнара", "Зөлфия", "Ләйсән", "Алёна", "Алсу", "Дарья", "Наиля", "Гүзәл", "Аксинья")
_FATHERS = ("Ринат", "Рөстәм", "Илдар", "Фёдор", "Марат", "Азат", "Сергей", "Радик", "Өлфәт", "Пётр")


def _patronymic(father: str, female: bool) -> str:
    if father.endswith("й"):
        stem = father[:-1]
        return stem + ("евна" if female else "евич")
    return father + ("овна" if female else "ович")


def _names(rng: random.Random, count: int) -> list[PersonName]:
    out: list[PersonName] = []
    seen: set[tuple[str, str, str]] = set()
    while len(out) < count:
        female = rng.random() < 0.5
        surname = rng.choice(_SURNAMES)[1 if female else 0]
        given = rng.choice(_FEMALE if female else _MALE)
        patronymic = _patronymic(rng.choice(_FATHERS), female)
        if (surname, given, patronymic) in seen:
            continue
        seen.add((surname, given, patronymic))
        out.append(PersonName(surname, given, patronymic))
    return out


def _mark(rng: random.Random, ability: int) -> int:
    return max(2, min(5, ability + rng.choice((-1, 0, 0, 0, 1))))


def sample_journal(
    *, students: int = 28, subjects: int = 12, grade: int = 9, letter: str = "А", seed: int = 1
) -> ClassJournal:
    """A sample class journal of ``students`` students and ``subjects`` subjects in ``grade``.

    Grades 10-11 use half-years, the others quarters; in grades 9 and 11 the first three
    subjects are examined.  Raises :class:`InvalidInput` for ``students`` < 1, ``subjects``
    outside 1..20 or a grade outside 1..11.
    """
    if students < 1:
        raise InvalidInput("students", "must be at least 1", students)
    if not 1 <= subjects <= len(SUBJECT_NAMES):
        raise InvalidInput("subjects", f"must be from 1 to {len(SUBJECT_NAMES)}", subjects)
    if not 1 <= grade <= 11:
        raise InvalidInput("grade", "must be from 1 to 11", grade)
    rng = random.Random(f"ejournal-render-sample:{seed}:{grade}{letter}:{students}:{subjects}")
    year = AcademicYear(2025)
    scheme = half_years(year) if grade >= 10 else quarters(year)
    school = School(
        "school-1",
        "МБОУ «Средняя общеобразовательная школа № 1» г. Казани",
        "Казан шәһәренең 1 нче урта гомуми белем бирү мәктәбе",
        director=PersonName("Сафина", "Гүзәл", "Ринатовна"),
    )
    teachers = {
        "t-class": Teacher("t-class", PersonName("Хәйруллина", "Әлфия", "Илдаровна")),
        "t-2": Teacher("t-2", PersonName("Королёва", "Анна", "Петровна")),
    }
    group = ClassGroup(f"{grade}{letter}-2025", grade, letter, year, "t-class")
    names = _names(rng, students)
    first_day = scheme.periods[0].start
    roster: dict[str, Student] = {}
    for i, name in enumerate(names, start=1):
        sid = f"s{i:03d}"
        enrolled, left, arrival, departure = first_day, None, "", ""
        if i == 2 and students > 3:
            enrolled, arrival = date(2026, 1, 12), "15-у"
        if i == 3 and students > 3:
            left, departure = date(2025, 12, 20), "9-в"
        roster[sid] = Student(sid, name, enrolled, left, arrival_order=arrival, departure_order=departure)
    subject_map = {f"sub{k:02d}": Subject(f"sub{k:02d}", SUBJECT_NAMES[k - 1], k) for k in range(1, subjects + 1)}
    graduating = grade in (9, 11)
    courses = {
        f"c{k:02d}": Course(
            f"c{k:02d}",
            f"sub{k:02d}",
            "t-2" if k % 2 else "t-class",
            2 if k < 4 else 1,
            scheme.id,
            examined=graduating and k <= 3,
        )
        for k in range(1, subjects + 1)
    }
    stamp = datetime(2026, 5, 25, 12, tzinfo=UTC)
    results: dict[ResultKey, ResultMark] = {}

    def put(sid: str, cid: str, kind: ResultKind, value: MarkValue, period_id: str = "") -> None:
        r = ResultMark(sid, cid, kind, value, stamp, "t-2", period_id)
        results[r.key] = r

    ability = {sid: rng.choice((3, 4, 4, 5, 5)) for sid in roster}
    for sid, student in roster.items():
        for k, cid in enumerate(courses, start=1):
            exempt = k == len(SUBJECT_NAMES) - 1 and sid == "s005"
            values: list[int] = []
            for p in scheme.periods:
                if not student.enrolled_between(p.start, p.end):
                    continue
                if exempt:
                    put(sid, cid, ResultKind.PERIOD, Status.EXEMPT, p.id)
                    continue
                if sid == "s004" and k == 2 and p.number == 1:
                    put(sid, cid, ResultKind.PERIOD, Status.NOT_CERTIFIED, p.id)
                    continue
                v = _mark(rng, ability[sid])
                values.append(v)
                put(sid, cid, ResultKind.PERIOD, v, p.id)
            if student.left is not None:
                continue
            if exempt:
                put(sid, cid, ResultKind.ANNUAL, Status.EXEMPT)
                continue
            annual = _mean_half_up(values) if values else _mark(rng, ability[sid])
            put(sid, cid, ResultKind.ANNUAL, annual)
            if graduating:
                final = annual
                if courses[cid].examined:
                    exam = _mark(rng, ability[sid])
                    put(sid, cid, ResultKind.EXAM, exam)
                    final = _mean_half_up([annual, exam])
                put(sid, cid, ResultKind.FINAL, final)
    lessons: dict[str, Lesson] = {}
    attendance: dict[tuple[str, str], AttendanceRecord] = {}
    marks: dict[str, Mark] = {}
    day = date(2025, 9, 1)
    course_ids = list(courses)
    for n in range(24):
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for slot in range(3):
            cid = course_ids[(n * 3 + slot) % len(course_ids)]
            lid = f"l{n:02d}{slot}"
            lessons[lid] = Lesson(lid, cid, day, f"Тема {n + 1}: повторение", f"§{n + 1}, № {slot + 1}", slot + 1)
        day += timedelta(days=1)
    at = datetime(2025, 10, 1, 12, tzinfo=UTC)
    for lid, lesson in lessons.items():
        for sid, student in roster.items():
            if not student.enrolled_on(lesson.date):
                continue
            if rng.random() < 0.3:
                mid = f"m{len(marks) + 1}"
                marks[mid] = Mark(mid, sid, lid, _mark(rng, ability[sid]), "cw", at, "t-2")
    for sid in list(roster)[3:7]:
        absent_day = sorted({le.date for le in lessons.values()})[int(sid[1:]) % 20]
        for lid, lesson in lessons.items():
            if lesson.date == absent_day and roster[sid].enrolled_on(lesson.date):
                code = "б" if sid != "s006" else "н"
                attendance[(sid, lid)] = AttendanceRecord(sid, lid, code, at, "t-class")
    council = date(2026, 5, 28)
    decisions: dict[DecisionKey, Decision] = {}
    tests: dict[tuple[str, str, int], AdmissionTest] = {}
    test_kind = admission_test_kind(grade)
    for sid, student in roster.items():
        made: list[Decision] = []
        if student.left is not None:
            made.append(Decision(sid, DecisionKind.LEFT, council, "7"))
        elif test_kind is not None:
            # The admission test on its main date (the interview in February, the essay in
            # December), admission in May, graduation in June.
            held = date(2026, 2, 11) if test_kind is AdmissionTestKind.INTERVIEW else date(2025, 12, 3)
            tests[(sid, test_kind.value, 1)] = AdmissionTest(sid, test_kind, 1, held, True)
            made.append(Decision(sid, DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 20), "7"))
            made.append(Decision(sid, DecisionKind.GRADUATED, date(2026, 6, 25), "10"))
        else:
            made.append(Decision(sid, DecisionKind.PROMOTED, council, "7", to_grade=grade + 1))
        decisions.update((d.key, d) for d in made)
    return ClassJournal(
        school,
        group,
        students=roster,
        teachers=teachers,
        subjects=subject_map,
        courses=courses,
        schemes={scheme.id: scheme},
        work_types={"cw": WorkType("cw", "классная работа", 1)},
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        results=results,
        decisions=decisions,
        admission_tests=tests,
        clock=FixedClock(stamp),
    )


def _mean_half_up(values: list[int]) -> int:
    """The mean of whole marks (at least one) rounded half-up to a whole mark (3.5 → 4), exactly."""
    return int(round_half_up(Fraction(sum(values), len(values)), 0))


def sample_sheet(
    *,
    students: int = 28,
    subjects: int = 12,
    grade: int = 9,
    letter: str = "А",
    seed: int = 1,
    language: str = "ru",
    layout: SheetLayout = SheetLayout.STUDENTS_AS_ROWS,
    certified_on: date | None = date(2026, 6, 25),
    policy: GradingPolicy | None = None,
) -> SummarySheet:
    """The certified summary sheet of :func:`sample_journal` (rows in ``language``'s alphabetical order),
    stamped with ``policy`` when given (see :func:`~ejournal.core.summary.build_summary_sheet`)."""
    from ejournal.i18n import collator

    journal = sample_journal(students=students, subjects=subjects, grade=grade, letter=letter, seed=seed)
    certification = None if certified_on is None else Certification.from_journal(journal, certified_on)
    return build_summary_sheet(
        journal, collator=collator(language), certification=certification, layout=layout, policy=policy
    )
