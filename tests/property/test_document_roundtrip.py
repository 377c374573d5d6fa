"""Property: export → import → export of any valid school year gives identical bytes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.calendar import AcademicYear, PeriodScheme, half_years, quarters, trimesters
from ejournal.core.journal import (
    YEAR,
    Action,
    AdmissionTest,
    AdmissionTestKind,
    AttendanceRecord,
    Change,
    ClassJournal,
    Decision,
    DecisionKind,
    Mark,
    PeriodClosure,
    ResultKind,
    ResultMark,
    Role,
)
from ejournal.core.model import (
    DEFAULT_ATTENDANCE_CODES,
    AbsenceReason,
    AssessmentKind,
    AttendanceCode,
    ClassGroup,
    Course,
    Lesson,
    Parent,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import BUILTIN_SCALES, Scale, Status, WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document import dump_school_year, load_school_year, schema_path
from ejournal.storage.document._convert import FIELD_BOUNDS

ids = st.text(alphabet="abcdefgh0123456789-_.яёӘәҮү", min_size=1, max_size=6)
texts = st.text(max_size=12)  # any Unicode: quotes, newlines, astral characters
names = st.text(min_size=1, max_size=10).filter(lambda s: s.strip() != "")
# A class letter names a file, so the model refuses separators and control characters in it.
letters = st.text(st.characters(categories=("L", "N", "Pd", "Zs")), min_size=1, max_size=16).filter(
    lambda s: s.strip() != ""
)
person_names = st.builds(PersonName, names, names, texts)
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
exact = st.builds(Fraction, st.integers(1, 400), st.sampled_from([1, 2, 3, 4, 5, 7, 8, 10, 16, 25, 40]))


def moments(year: AcademicYear) -> st.SearchStrategy[datetime]:
    return st.builds(
        lambda d, s, us, tz: datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(seconds=s, microseconds=us),
        days(year),
        st.integers(0, 86399),
        st.integers(0, 999_999),
        offsets,
    )


def days(year: AcademicYear) -> st.SearchStrategy[date]:
    return st.dates(min_value=year.start, max_value=year.end)


CUSTOM_SCALE = Scale("hundred", "стобалльная", range(0, 101, 5), 40, {Status.NOT_CERTIFIED, Status.EXEMPT})


@st.composite
def journals(
    draw: st.DrawFn, school: School, year: AcademicYear, jid: str, taken: frozenset[tuple[int, str]] = frozenset()
) -> ClassJournal:
    """A valid journal whose class (grade, letter) is none of ``taken``."""
    schemes: dict[str, PeriodScheme] = {}
    for maker, prefix in draw(
        st.lists(
            st.sampled_from([(quarters, "q"), (trimesters, "t"), (half_years, "h")]),
            min_size=1,
            max_size=2,
            unique=True,
        )
    ):
        scheme = maker(year, prefix)
        schemes[scheme.id] = scheme
    scales = dict(BUILTIN_SCALES)
    if draw(st.booleans()):
        scales[CUSTOM_SCALE.id] = CUSTOM_SCALE
    teachers = {
        t.id: t for t in draw(st.lists(st.builds(Teacher, ids, person_names), max_size=3, unique_by=lambda t: t.id))
    }
    teacher_ids = st.one_of(st.none(), st.sampled_from(sorted(teachers))) if teachers else st.none()

    def student(sid: str) -> st.SearchStrategy[Student]:
        return st.builds(
            lambda name, enrolled, stay, born, arr, dep: Student(
                sid, name, enrolled, None if stay is None else enrolled + timedelta(days=stay), born, arr, dep
            ),
            person_names,
            st.dates(min_value=year.start - timedelta(days=800), max_value=year.end),
            st.one_of(st.none(), st.integers(0, 400)),
            st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=year.start)),
            texts,
            texts,
        )

    student_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    students = {sid: draw(student(sid)) for sid in student_ids}
    subjects = {
        s.id: s
        for s in draw(
            st.lists(
                st.builds(
                    Subject,
                    ids,
                    names,
                    st.integers(*FIELD_BOUNDS[(Subject, "order")]),
                    st.sampled_from(list(AssessmentKind)),
                    texts,
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda s: s.id,
            )
        )
    }
    course_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    courses = {
        cid: Course(
            cid,
            draw(st.sampled_from(sorted(subjects))),
            draw(teacher_ids),
            draw(exact),
            draw(st.sampled_from(sorted(schemes))),
            draw(st.sampled_from(sorted(scales))),
            draw(st.booleans()),
            draw(st.one_of(st.none(), st.sampled_from(sorted(scales)))),
        )
        for cid in course_ids
    }
    work_types = {
        w.id: w
        for w in draw(
            st.lists(
                st.builds(WorkType, ids, texts, st.one_of(exact, st.just(Fraction(0)))),
                min_size=1,
                max_size=3,
                unique_by=lambda w: w.id,
            )
        )
    }
    codes = dict(DEFAULT_ATTENDANCE_CODES)
    if draw(st.booleans()):
        codes["ув2"] = AttendanceCode(
            "ув2", draw(st.sampled_from(list(AbsenceReason))), draw(texts), draw(st.booleans())
        )
    lessons = {
        f"l{i}": Lesson(
            f"l{i}",
            draw(st.sampled_from(course_ids)),
            draw(days(year)),
            draw(texts),
            draw(texts),
            draw(st.integers(*FIELD_BOUNDS[(Lesson, "number")])),
        )
        for i in range(draw(st.integers(0, 6)))
    }
    marks: dict[str, Mark] = {}
    attendance: dict[tuple[str, str], AttendanceRecord] = {}
    for lid, lesson in lessons.items():
        scale = scales[courses[lesson.course_id].scale_id]
        allowed = list(scale.values) + sorted((s for s in scale.statuses if scale.allows(s)), key=lambda s: s.value)
        for sid in draw(st.lists(st.sampled_from(student_ids), max_size=3)):
            mid = f"m{len(marks) + 1}"
            marks[mid] = Mark(
                mid,
                sid,
                lid,
                draw(st.sampled_from(allowed)),
                draw(st.sampled_from(sorted(work_types))),
                draw(moments(year)),
                draw(ids),
                draw(texts),
            )
        for sid in draw(st.lists(st.sampled_from(student_ids), max_size=2, unique=True)):
            attendance[(sid, lid)] = AttendanceRecord(
                sid, lid, draw(st.sampled_from(sorted(codes))), draw(moments(year)), draw(ids)
            )
    results: dict[Any, ResultMark] = {}
    for _ in range(draw(st.integers(0, 5))):
        cid = draw(st.sampled_from(course_ids))
        course = courses[cid]
        kinds = [k for k in ResultKind if k is not ResultKind.EXAM or course.examined]
        kind = draw(st.sampled_from(kinds))
        period_id = (
            draw(st.sampled_from([p.id for p in schemes[course.scheme_id].periods]))
            if kind is ResultKind.PERIOD
            else ""
        )
        scale = scales[(course.exam_scale_id or course.scale_id) if kind is ResultKind.EXAM else course.scale_id]
        value = draw(st.sampled_from(list(scale.values) + sorted(scale.statuses, key=lambda s: s.value)))
        r = ResultMark(
            draw(st.sampled_from(student_ids)), cid, kind, value, draw(moments(year)), draw(ids), period_id, draw(texts)
        )
        results[r.key] = r
    decisions: dict[Any, Decision] = {}
    for sid in draw(st.lists(st.sampled_from(student_ids), max_size=2)):  # a student may get several
        d = Decision(
            sid,
            draw(st.sampled_from(list(DecisionKind))),
            draw(days(year)),
            draw(names),
            draw(st.one_of(st.none(), st.integers(1, 12))),
            draw(texts),
        )
        decisions[d.key] = d
    tests: dict[Any, AdmissionTest] = {}
    for sid in draw(st.lists(st.sampled_from(student_ids), max_size=2, unique=True)):
        kind = draw(st.sampled_from(list(AdmissionTestKind)))
        for attempt in range(1, draw(st.integers(1, 3)) + 1):
            t = AdmissionTest(sid, kind, attempt, draw(days(year)), draw(st.booleans()), draw(texts))
            tests[t.key] = t
    period_ids = [p.id for s in schemes.values() for p in s.periods] + [YEAR]
    closed = set(draw(st.lists(st.sampled_from(period_ids), max_size=3)))
    grade, letter = draw(st.tuples(st.integers(1, 12), letters).filter(lambda c: c not in taken))
    return ClassJournal(
        school,
        ClassGroup(jid, grade, letter, year, draw(teacher_ids)),
        students=students,
        teachers=teachers,
        subjects=subjects,
        courses=courses,
        schemes=schemes,
        scales=scales,
        work_types=work_types,
        attendance_codes=codes,
        lessons=lessons,
        marks=marks,
        attendance=attendance,
        results=results,
        decisions=decisions,
        admission_tests=tests,
        closed_periods=closed,
        version=draw(st.integers(0, 10**6)),
    )


@st.composite
def changes(draw: st.DrawFn, journal: ClassJournal, year: AcademicYear) -> Change:
    records: list[Any] = [
        *journal.marks.values(),
        *journal.attendance.values(),
        *journal.results.values(),
        *journal.decisions.values(),
        *journal.admission_tests.values(),
        *journal.lessons.values(),
        *(PeriodClosure(p) for p in journal.closed_periods),
    ]
    pick = st.one_of(st.none(), st.sampled_from(records)) if records else st.none()
    return Change(
        journal.id,
        draw(ids),
        draw(st.sampled_from(list(Role))),
        draw(moments(year)),
        draw(st.sampled_from(list(Action))),
        draw(pick),
        draw(pick),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(texts),
        draw(texts),
    )


@st.composite
def school_years(draw: st.DrawFn) -> SchoolYear:
    """Valid school years: every reference resolves, values are on their scales, dates in the year."""
    year = AcademicYear(draw(st.integers(1990, 2990)))
    school = School(draw(ids), draw(names), draw(texts), draw(st.one_of(st.none(), person_names)), draw(texts))
    teachers = {
        t.id: t for t in draw(st.lists(st.builds(Teacher, ids, person_names), max_size=3, unique_by=lambda t: t.id))
    }
    parents = {
        p.id: p
        for p in draw(
            st.lists(
                st.builds(Parent, ids, person_names, st.frozensets(ids, max_size=3)),
                max_size=2,
                unique_by=lambda p: p.id,
            )
        )
    }
    journal_ids = draw(st.lists(ids, max_size=2, unique=True))
    js: dict[str, ClassJournal] = {}
    for jid in journal_ids:
        taken = frozenset((j.class_group.grade, j.class_group.letter) for j in js.values())
        js[jid] = draw(journals(school, year, jid, taken))
    audit = (
        [draw(changes(js[jid], year)) for jid in draw(st.lists(st.sampled_from(journal_ids), max_size=4))] if js else []
    )
    return SchoolYear(school, year, teachers, parents, js, audit)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))


@given(school_years())
def test_dump_load_dump_is_identical(sy: SchoolYear) -> None:
    data = dump_school_year(sy)
    again = load_school_year(data)
    assert again == sy
    assert again.audit == sy.audit
    assert {k: j.version for k, j in again.journals.items()} == {k: j.version for k, j in sy.journals.items()}
    assert dump_school_year(again) == data


@given(school_years())
def test_exported_documents_match_the_schema(sy: SchoolYear) -> None:
    _validator().validate(json.loads(dump_school_year(sy)))


@given(st.data())
def test_other_helpers_journal_strategy_round_trips(data: st.DataObject) -> None:
    strategies = pytest.importorskip("ejournal.testing.strategies")
    journal: ClassJournal = data.draw(strategies.class_journals())
    sy = SchoolYear(journal.school, journal.class_group.year, journals={journal.id: journal})
    dumped = dump_school_year(sy)
    assert dump_school_year(load_school_year(dumped)) == dumped


@given(st.data())
def test_exam_scores_choices_and_mappings_round_trip_and_match_the_schema(data: st.DataObject) -> None:
    strategies = pytest.importorskip("ejournal.testing.strategies")
    journal: ClassJournal = data.draw(strategies.class_journals(with_exams=True, max_marks=5))
    sy = SchoolYear(journal.school, journal.class_group.year, journals={journal.id: journal})
    dumped = dump_school_year(sy)
    assert load_school_year(dumped) == sy
    assert dump_school_year(load_school_year(dumped)) == dumped
    _validator().validate(json.loads(dumped))
    # fields added after format 1 are written only when set
    raw = json.loads(dumped)["journals"][0]
    assert ("exam_choices" in raw) == bool(journal.exam_choices)
    with_score = sum(1 for r in journal.results.values() if r.primary_score is not None)
    assert sum("primary_score" in r for r in raw["results"]) == with_score
    assert all("exam_by_choice" not in c or c["exam_by_choice"] for c in raw["courses"])
