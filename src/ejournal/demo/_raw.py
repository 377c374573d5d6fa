"""Stage 1 of the demo: the raw journals (people, timetable, lessons, marks, attendance).

Nothing here depends on grading.  Records are written straight into the journal's dicts as a
bulk *import* (not through commands, which would be far too slow for 600,000 marks): the journal
built at the end runs its reference check, has no pending changes and version 0.  Every choice is
drawn from a :class:`random.Random` seeded per class, so the same seed gives the same school.
All arithmetic on abilities and marks is integer (hundredths of a grade).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction

from attrs import define, field

from ejournal.core.calendar import AcademicYear, PeriodScheme, half_years, quarters
from ejournal.core.journal import AttendanceRecord, ClassJournal, FixedClock, Mark
from ejournal.core.model import (
    AssessmentKind,
    ClassGroup,
    Course,
    Lesson,
    PersonName,
    School,
    Sex,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import BUILTIN_SCALES, Scale, Status, WorkType
from ejournal.demo._curriculum import EXAM_SUBJECTS, TATAR_NAMES, SubjectSpec, subjects_for_grade
from ejournal.demo._exams import CHOSEN_EXAM_SUBJECTS, SHARED_EXAMS
from ejournal.demo._names import random_name

__all__ = [
    "LETTERS",
    "MSK",
    "WORK_TYPES",
    "ClassPlan",
    "StaffRoom",
    "build_class",
    "demo_school",
    "school_days",
]

MSK = timezone(timedelta(hours=3), "MSK")
"""Kazan time: every demo timestamp is local school time."""

LETTERS: tuple[tuple[str, str], ...] = (("А", "a"), ("Б", "b"), ("В", "v"), ("Г", "g"), ("Д", "d"), ("Е", "e"))
"""Class letters and the Latin letter used in ids."""

WORK_TYPES: dict[str, WorkType] = {
    wt.id: wt
    for wt in (
        WorkType("cw", "классная работа", 1),
        WorkType("hw", "домашняя работа", 1),
        WorkType("oral", "устный ответ", 1),
        WorkType("test", "контрольная работа", 2),
    )
}
"""The demo's work types and weights (a test counts twice)."""

EGE_SCALE = Scale("ege100", "стобалльная (ЕГЭ)", tuple(range(101)), 24)
"""The 100-point scale of the grade-11 state exam (24 is the lowest passing score in Russian)."""

_LESSON_KINDS = ("новый материал", "практикум", "решение задач", "закрепление", "повторение", "самостоятельная работа")
_TEST_EVERY = 8  # every 8th lesson of an academic subject is a test ("контрольная")
_ENTERED = time(15, 0)


_NO_HOMEWORK = "не задано"


def demo_school() -> School:
    """The demo school, with its name in Russian and Tatar."""
    return School(
        "school-1",
        "МБОУ «Средняя общеобразовательная школа № 1 с углублённым изучением отдельных предметов»",
        "«Аерым фәннәрне тирәнтен өйрәнүче 1 нче урта гомуми белем бирү мәктәбе» МБГБУ",
        PersonName("Гыйләҗева", "Гөлнара", "Рәисовна"),
        "420000, Республика Татарстан, г. Казань, ул. Җәлил, 1",
    )


def _moved_to_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _holidays(year: AcademicYear) -> set[date]:
    y = year.start_year
    fixed = (
        date(y, 11, 4),  # Unity Day
        date(y, 11, 6),  # Constitution Day of the Republic of Tatarstan
        date(y + 1, 2, 23),
        date(y + 1, 3, 8),
        date(y + 1, 5, 1),
        date(y + 1, 5, 9),
    )
    return {_moved_to_monday(d) for d in fixed}


def school_days(year: AcademicYear, grade: int) -> list[date]:
    """The school days of ``grade``: Monday to Friday inside the quarters, minus public holidays.

    First grade also has the extra February week off.  The holidays between quarters are holidays
    for every class, so the days also lie inside the half-years of grades 10-11.
    """
    off = _holidays(year)
    if grade == 1:
        feb = date(year.start_year + 1, 2, 15)
        monday = feb + timedelta(days=(7 - feb.weekday()) % 7)
        off.update(monday + timedelta(days=i) for i in range(5))
    days: list[date] = []
    for p in quarters(year).periods:
        d = p.start
        while d <= p.end:
            if d.weekday() < 5 and d not in off:
                days.append(d)
            d += timedelta(days=1)
    return days


@define
class StaffRoom:
    """The school's teachers, hired as classes need them (each subject group up to ~24 hours a week)."""

    rng: random.Random
    teachers: dict[str, Teacher] = field(factory=dict)
    _load: dict[str, int] = field(factory=dict)
    _current: dict[str, str] = field(factory=dict)
    _class_teachers: set[str] = field(factory=set)

    def hire(self) -> Teacher:
        """A new teacher (most are women)."""
        female = self.rng.randrange(100) < 82
        tatar = self.rng.randrange(100) < 55
        t = Teacher(f"t{len(self.teachers) + 1:03d}", random_name(self.rng, female=female, tatar=tatar))
        self.teachers[t.id] = t
        self._load[t.id] = 0
        return t

    def teacher_for(self, group: str, hours: int) -> str:
        """The teacher of ``group`` (a subject group) who takes ``hours`` more a week."""
        tid = self._current.get(group)
        if tid is None or self._load[tid] + hours > 24:
            tid = self.hire().id
            self._current[group] = tid
        self._load[tid] += hours
        return tid

    def class_teacher(self, candidates: Sequence[str]) -> str:
        """A teacher among ``candidates`` who does not lead a class yet (else the first candidate)."""
        for tid in candidates:
            if tid not in self._class_teachers:
                self._class_teachers.add(tid)
                return tid
        self._class_teachers.add(candidates[0])
        return candidates[0]


_GROUPS = {
    "rus": "rus", "lit": "rus", "tat": "tat", "tatlitch": "tat", "tatlit": "tat",
    "math": "math", "alg": "math", "geom": "math", "vis": "math", "hist": "hist", "soc": "hist",
}  # fmt: skip
_PRIMARY_OWN = ("rus", "litch", "math", "okr", "izo", "trud", "orkse")


@define
class ClassPlan:
    """What to build for one class: grade, letter, number of students and the first student number."""

    grade: int
    letter: str
    latin: str
    students: int
    first_student: int


def _timetable(rng: random.Random, courses: Sequence[tuple[str, int]]) -> list[list[str]]:
    days: list[list[str]] = [[] for _ in range(5)]
    for cid, hours in sorted(courses, key=lambda c: (-c[1], c[0])):
        for _ in range(hours):
            free = [i for i in range(5) if cid not in days[i]] or list(range(5))
            fewest = min(len(days[i]) for i in free)
            days[rng.choice([i for i in free if len(days[i]) == fewest])].append(cid)
    for day in days:
        rng.shuffle(day)
    return days


def _triangle(rng: random.Random, spread: int) -> int:
    return rng.randint(-spread, spread) + rng.randint(-spread, spread)


def _grade_of(score: int) -> int:
    return min(5, max(2, (score + 50) // 100))


def subject_of(spec: SubjectSpec, order: int, grade: int) -> Subject:
    """The demo's subject of ``spec`` in ``grade``: taught without marks in grade 1, pass/fail or
    graded after; with its short and Tatar names."""
    if grade == 1:
        assessment = AssessmentKind.NONE
    elif spec.pass_fail:
        assessment = AssessmentKind.PASS_FAIL
    else:
        assessment = AssessmentKind.GRADED
    return Subject(spec.id, spec.name, order, assessment, spec.short_name, TATAR_NAMES.get(spec.id, ""))


def scheme_for(spec: SubjectSpec, grade: int, quarters_: PeriodScheme, halves: PeriodScheme) -> PeriodScheme:
    """Half-years in grades 10–11 and for the subjects certified so in ``spec.half_year_grades``, else quarters."""
    return halves if grade >= 10 or grade in spec.half_year_grades else quarters_


def build_class(
    *,
    seed: int,
    year: AcademicYear,
    school: School,
    plan: ClassPlan,
    staff: StaffRoom,
) -> ClassJournal:
    """Build the raw journal of one class (stage 1): no period, annual or final marks yet.

    The class's random choices come from a generator seeded by ``seed`` and the class id, so a
    class does not change when other classes are added.  Teachers are taken from (and hired into)
    ``staff``.  Returns a journal that passes its reference check, with version 0 and no pending
    changes; its clock is a :class:`FixedClock` at the start of the year.
    """
    grade = plan.grade
    jid = f"{year.start_year}-{grade}{plan.latin}"
    rng = random.Random(f"ejournal-demo:{seed}:{jid}")
    quarter_scheme = quarters(year)
    half_scheme = half_years(year)
    schemes: dict[str, PeriodScheme] = {}
    graded = grade > 1

    subjects: dict[str, Subject] = {}
    courses: dict[str, Course] = {}
    specs: dict[str, SubjectSpec] = {}
    course_hours: list[tuple[str, int]] = []
    teachers_used: list[str] = []
    primary_teacher = staff.hire().id if grade <= 4 else None
    for order, spec in subjects_for_grade(grade):
        hours = spec.hours[grade - 1]
        subjects[spec.id] = subject_of(spec, order, grade)
        scheme = scheme_for(spec, grade, quarter_scheme, half_scheme)
        schemes[scheme.id] = scheme
        if primary_teacher is not None and spec.id in _PRIMARY_OWN:
            teacher_id = primary_teacher
        else:
            teacher_id = staff.teacher_for(_GROUPS.get(spec.id, spec.id), hours)
        if teacher_id not in teachers_used:
            teachers_used.append(teacher_id)
        chosen = grade == 9 and spec.id in CHOSEN_EXAM_SUBJECTS
        examined = grade in (9, 11) and (spec.id in EXAM_SUBJECTS or chosen)
        shared = SHARED_EXAMS.get(spec.id) if grade in (9, 11) else None
        cid = f"{jid}-{spec.id}"
        courses[cid] = Course(
            cid,
            spec.id,
            teacher_id,
            Fraction(hours),
            scheme.id,
            "pass_fail" if subjects[spec.id].assessment is AssessmentKind.PASS_FAIL else "five",
            examined,
            EGE_SCALE.id if examined and grade == 11 else None,
            exam_by_choice=chosen,
            exam_of=f"{jid}-{shared}" if shared is not None else None,
        )
        specs[cid] = spec
        course_hours.append((cid, hours))
    class_teacher = primary_teacher or staff.class_teacher(teachers_used)
    class_group = ClassGroup(jid, grade, plan.letter, year, class_teacher)
    scales = dict(BUILTIN_SCALES)
    if grade == 11:
        scales[EGE_SCALE.id] = EGE_SCALE

    days = school_days(year, grade)
    students = _students(rng, year, plan, days)

    # Lessons, in date order; the timetable repeats every week.
    week = _timetable(rng, course_hours)
    slots = [(day, n, cid) for day in days for n, cid in enumerate(week[day.weekday()], start=1)]
    total_by_course: dict[str, int] = {}
    for _, _, cid in slots:
        total_by_course[cid] = total_by_course.get(cid, 0) + 1
    seen: dict[str, int] = {}
    lessons: dict[str, Lesson] = {}
    tests: set[str] = set()
    by_day: dict[date, list[Lesson]] = {}
    for i, (day, n, cid) in enumerate(slots, start=1):
        k = seen.get(cid, 0)
        seen[cid] = k + 1
        spec = specs[cid]
        is_test = graded and spec.homework and k % _TEST_EVERY == _TEST_EVERY - 1
        if is_test:
            topic = f"Контрольная работа № {k // _TEST_EVERY + 1}"
            homework = "Повторить пройденное" if rng.randrange(100) < 40 else _NO_HOMEWORK
        else:
            stem = spec.topics[k * len(spec.topics) // total_by_course[cid]]
            topic = f"{stem}: {_LESSON_KINDS[k % len(_LESSON_KINDS)]}"
            if not spec.homework:
                homework = _NO_HOMEWORK  # PE, music...: the teacher writes that none is set
            elif rng.randrange(100) >= 3:
                homework = f"§ {k // 3 + 1}, упр. {rng.randint(1, 400)}"
            else:
                homework = ""  # forgotten: validation warns (EJ503)
        lesson = Lesson(f"{jid}-l{i:05d}", cid, day, topic, homework, n)
        lessons[lesson.id] = lesson
        by_day.setdefault(day, []).append(lesson)
        if is_test:
            tests.add(lesson.id)

    ability = {sid: _ability(rng) for sid in students}
    offset = {(sid, cid): rng.randint(-45, 45) for sid in students for cid in courses}
    exempt_pe = {sid for sid in students if graded and rng.randrange(100) < 3}
    whole_days = _whole_day_absences(rng, students, days)

    marks: dict[str, Mark] = {}
    attendance: dict[tuple[str, str], AttendanceRecord] = {}
    teacher_of = {cid: c.teacher_id or "" for cid, c in courses.items()}
    pass_fail = {cid for cid, c in courses.items() if c.scale_id == "pass_fail"}
    student_list = sorted(students.values(), key=lambda s: s.id)
    mark_no = 0
    wt_cycle = ("cw", "cw", "cw", "oral", "oral", "hw", "hw")
    for day in days:
        present_students = [s for s in student_list if s.enrolled_on(day)]
        entered = datetime.combine(day, _ENTERED, MSK)
        for lesson in by_day.get(day, []):
            cid = lesson.course_id
            by = teacher_of[cid]
            is_test = lesson.id in tests
            is_pe = specs[cid].id == "pe"
            for s in present_students:
                sid = s.id
                code = whole_days.get((sid, day))
                if code is None:
                    r = rng.randrange(1000)
                    code = "н" if r < 7 else "о" if r < 10 else None
                if code is not None:
                    attendance[(sid, lesson.id)] = AttendanceRecord(sid, lesson.id, code, entered, by)
                    if code != "о":
                        continue
                if not graded or (is_pe and sid in exempt_pe):
                    continue
                if is_test:
                    count, work = (1, "test") if rng.randrange(100) < 96 else (0, "test")
                else:
                    r = rng.randrange(100)
                    count = 0 if r >= 65 else 2 if r < 5 else 1
                    work = wt_cycle[rng.randrange(len(wt_cycle))]
                for j in range(count):
                    score = ability[sid] + offset[(sid, cid)] + _triangle(rng, 95) - (15 if is_test else 0)
                    value: int | Status = _grade_of(score)
                    if cid in pass_fail:
                        value = Status.PASS if score >= 250 else Status.FAIL
                    at = entered
                    if rng.randrange(1000) < 15:
                        at = datetime.combine(day + timedelta(days=rng.randint(3, 12)), time(18, 30), MSK)
                    mark_no += 1
                    marks[f"{jid}-m{mark_no:06d}"] = Mark(
                        f"{jid}-m{mark_no:06d}", sid, lesson.id, value, "oral" if j else work, at, by
                    )

    journal = ClassJournal(
        school,
        class_group,
        students=students,
        teachers={tid: staff.teachers[tid] for tid in sorted({*teachers_used, class_teacher})},
        subjects=subjects,
        courses=courses,
        schemes=schemes,
        scales=scales,
        work_types=dict(WORK_TYPES),
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        clock=FixedClock(datetime.combine(year.start, time(8, 0), MSK)),
    )
    return journal


def _ability(rng: random.Random) -> int:
    """A student's ability in hundredths of a grade: mostly 3.2-4.6, a few weak and strong students."""
    r = rng.randrange(100)
    if r < 4:
        return rng.randint(245, 290)
    if r < 12:
        return rng.randint(455, 520)
    return 385 + _triangle(rng, 45)


def _order_number(year: AcademicYear, day: date) -> str:
    return f"{40 + (day - year.start).days // 3}-у"


def _students(rng: random.Random, year: AcademicYear, plan: ClassPlan, days: Sequence[date]) -> dict[str, Student]:
    """The class list: about half Tatar names, a few arrivals and departures during the year."""
    out: dict[str, Student] = {}
    first = year.start
    for i in range(plan.students):
        sid = f"s{plan.first_student + i:05d}"
        female = rng.randrange(2) == 0
        tatar = rng.randrange(100) < 50
        name = random_name(rng, female=female, tatar=tatar)
        born = date(year.start_year - plan.grade - 6, 1, 1) + timedelta(days=rng.randint(0, 364))
        r = rng.randrange(100)
        enrolled, left, arrival, departure = first, None, "", ""
        if r < 4 and i > 0:
            enrolled = days[rng.randrange(len(days) // 8, len(days) * 2 // 3)]
            arrival = _order_number(year, enrolled)
        elif r < 7 and i > 0:
            left = days[rng.randrange(len(days) // 5, len(days) * 3 // 4)]
            departure = _order_number(year, left)
        sex = Sex.FEMALE if female else Sex.MALE
        out[sid] = Student(sid, name, enrolled, left, born, arrival, departure, sex)
    return out


def _whole_day_absences(
    rng: random.Random, students: dict[str, Student], days: Sequence[date]
) -> dict[tuple[str, date], str]:
    """Days a student missed entirely: illness spells ("б"), excused days ("уп"), one long illness."""
    out: dict[tuple[str, date], str] = {}
    n = len(days)
    ids = sorted(students)
    for sid in ids:
        spells = rng.choice((0, 0, 0, 1, 1, 1, 1, 2, 2, 3))
        for _ in range(spells):
            start = rng.randrange(n)
            for d in days[start : start + rng.randint(2, 7)]:
                out[(sid, d)] = "б"
        for _ in range(rng.choice((0, 0, 0, 1, 2))):
            out[(sid, days[rng.randrange(n)])] = "уп"
    if ids and rng.randrange(100) < 60:
        sick = ids[rng.randrange(len(ids))]
        start = rng.randrange(n // 4, n // 2)
        for d in days[start : start + rng.randint(22, 32)]:
            out[(sick, d)] = "б"
    return out
