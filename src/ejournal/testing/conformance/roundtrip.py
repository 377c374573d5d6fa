"""Scenarios for exact round trips: marks, weights, text, timestamps, and the journal document."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ejournal.core.calendar import quarters
from ejournal.core.errors import EjournalError
from ejournal.core.exam_scores import ScoreConversion
from ejournal.core.journal import (
    Action,
    Actor,
    AdmissionTest,
    AdmissionTestKind,
    ClassJournal,
    Decision,
    ExamChoice,
    FixedClock,
    ResultKind,
    Role,
)
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import (
    BUILTIN_SCALES,
    FIVE_POINT,
    PASS_FAIL,
    TEN_POINT,
    TWELVE_POINT,
    MarkValue,
    Status,
    WorkType,
)
from ejournal.storage.memory import copy_journal
from ejournal.storage.ports import Capability, Storage
from ejournal.testing.conformance._base import ContractBase, requires
from ejournal.testing.conformance.builders import MSK, SAMPLE_YEAR, sample_journal, sample_school, sample_school_year
from ejournal.testing.conformance.repositories import add_school
from ejournal.testing.strategies import admission_tests, decision_histories

__all__ = ["EXAM_TABLES", "DocumentRoundTripContract", "MarkRoundTripContract", "exams_journal", "scales_journal"]

_ADMIN = Actor("adm-1", Role.ADMINISTRATOR)
_TEACHER = Actor("t-1", Role.SUBJECT_TEACHER)
_TATAR_LETTERS = "ӘәӨөҮүҖҗҢңҺһЁё"
_NAME_ALPHABET = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя" + _TATAR_LETTERS
_TEXT_ALPHABET = _NAME_ALPHABET + " -'«»№.,!?\n0123456789"

WEIGHTS: dict[str, Fraction] = {
    "w-third": Fraction(1, 3),
    "w-2.5": Fraction(5, 2),
    "w-zero": Fraction(0),
    "w-one": Fraction(1),
    "w-7/3": Fraction(7, 3),
    "w-big": Fraction(123_456_789, 1000),
}
"""Work-type weights every backend must keep exactly (ids to weights)."""

STAMPS: tuple[datetime, ...] = (
    datetime(2025, 9, 8, 8, 0, 0, 1, tzinfo=MSK),
    datetime(2025, 9, 8, 10, 15, 30, 999_999, tzinfo=timezone(timedelta(hours=5))),
    datetime(2025, 9, 8, 5, 0, 0, 123_456, tzinfo=UTC),
    datetime(2025, 9, 8, 23, 59, 59, 500_000, tzinfo=timezone(-timedelta(hours=3, minutes=30))),
)
"""Timezone-aware timestamps with microseconds, in several offsets, that must round-trip as instants."""


def scales_journal(school: School, journal_id: str = "6g-2025") -> ClassJournal:
    """A journal with one course per built-in scale and every value of each recorded.

    Courses ``c-five`` (examined, exam on the twelve-point scale), ``c-ten``, ``c-twelve`` and
    ``c-pf`` (pass/fail), each with one lesson on 8 September 2025; student ``st-1`` gets every
    value of each scale as current marks (one per work type of :data:`WEIGHTS`, in turn); students
    ``st-1``..``st-4`` get result marks covering every :class:`Status`.  Timestamps cycle through
    :data:`STAMPS`.  Every change is pending.
    """
    q = quarters(SAMPLE_YEAR)
    students = {
        s.id: s
        for s in (
            Student(
                "st-1", PersonName("Әхмәтҗанова", "Гөлүсә", "Һадиевна"), date(2025, 9, 1), birth_date=date(2013, 1, 31)
            ),
            Student("st-2", PersonName("Өмәров", "Үткән", "Җәүдәтович"), date(2025, 9, 1)),
            Student("st-3", PersonName("Һөнәрова", "Миңзифа", "Ңаилевна"), date(2025, 9, 1), left=date(2026, 5, 29)),
            Student("st-4", PersonName("Ёлкин", "Пётр", "Семёнович"), date(2025, 9, 1)),
        )
    }
    scale_courses = (("c-five", FIVE_POINT), ("c-ten", TEN_POINT), ("c-twelve", TWELVE_POINT), ("c-pf", PASS_FAIL))
    courses = {
        "c-five": Course("c-five", "s-five", "t-1", Fraction(1, 2), q.id, FIVE_POINT.id, True, TWELVE_POINT.id),
        "c-ten": Course("c-ten", "s-ten", "t-1", Fraction(5, 3), q.id, TEN_POINT.id),
        "c-twelve": Course("c-twelve", "s-twelve", "t-1", 2, q.id, TWELVE_POINT.id),
        "c-pf": Course("c-pf", "s-pf", "t-1", 1, q.id, PASS_FAIL.id),
    }
    j = ClassJournal(
        school,
        ClassGroup(journal_id, 6, "Г", SAMPLE_YEAR, "t-1"),
        students=students,
        teachers={"t-1": Teacher("t-1", PersonName("Җиһаншина", "Әнисә", "Мөхәммәтовна"))},
        subjects={
            f"s-{n}": Subject(f"s-{n}", f"Предмет «{n}» — Фән", i)
            for i, n in enumerate(("five", "ten", "twelve", "pf"), 1)
        },
        courses=courses,
        schemes={q.id: q},
        work_types={wid: WorkType(wid, f"Вид работы {wid}", w) for wid, w in WEIGHTS.items()},
        clock=FixedClock(STAMPS[0]),
    )
    assert isinstance(j.clock, FixedClock)
    clock = j.clock
    ticks = itertools.cycle(STAMPS)
    weights = itertools.cycle(WEIGHTS)
    for course_id, scale in scale_courses:
        clock.advance_to(next(ticks))
        j.add_lesson(Lesson(f"l-{course_id}", course_id, date(2025, 9, 8), f"Урок по шкале {scale.name}"), by=_TEACHER)
        values: list[MarkValue] = [*scale.values] if scale.values else [Status.PASS, Status.FAIL]
        for value in values:
            clock.advance_to(next(ticks))
            j.record_mark("st-1", f"l-{course_id}", value, next(weights), by=_TEACHER, mark_id=f"m-{course_id}-{value}")
    results: list[tuple[str, str, ResultKind, MarkValue, str]] = [
        ("st-1", "c-five", ResultKind.PERIOD, Status.NOT_CERTIFIED, "q1"),
        ("st-2", "c-five", ResultKind.PERIOD, Status.EXEMPT, "q1"),
        ("st-3", "c-five", ResultKind.PERIOD, 5, "q2"),
        ("st-1", "c-five", ResultKind.EXAM, Status.NOT_CERTIFIED, ""),
        ("st-2", "c-five", ResultKind.EXAM, 12, ""),
        ("st-1", "c-pf", ResultKind.PERIOD, Status.PASS, "q1"),
        ("st-2", "c-pf", ResultKind.PERIOD, Status.FAIL, "q1"),
        ("st-3", "c-pf", ResultKind.PERIOD, Status.NOT_CERTIFIED, "q1"),
        ("st-4", "c-pf", ResultKind.PERIOD, Status.EXEMPT, "q1"),
        ("st-1", "c-ten", ResultKind.ANNUAL, 10, ""),
        ("st-2", "c-ten", ResultKind.ANNUAL, Status.NOT_CERTIFIED, ""),
        ("st-1", "c-twelve", ResultKind.PERIOD, 12, "q4"),
        ("st-3", "c-twelve", ResultKind.FINAL, Status.EXEMPT, ""),
        ("st-4", "c-twelve", ResultKind.FINAL, 1, ""),
    ]
    for student_id, course_id, kind, value, period_id in results:
        clock.advance_to(next(ticks))
        reason = "причина: җитәрлек билге юк" if isinstance(value, Status) else ""
        if kind is ResultKind.PERIOD:
            j.set_period_mark(student_id, course_id, period_id, value, by=_ADMIN, reason=reason)
        elif kind is ResultKind.ANNUAL:
            j.set_annual_mark(student_id, course_id, value, by=_ADMIN, reason=reason)
        elif kind is ResultKind.EXAM:
            j.set_exam_mark(student_id, course_id, value, by=_ADMIN, reason=reason)
        else:
            j.set_final_mark(student_id, course_id, value, by=_ADMIN, reason=reason)
    return j


EXAM_TABLES: dict[str, ScoreConversion] = {
    "x-alg": ScoreConversion("x-alg", 31, 8, 15, 22, "демонстрационная таблица"),
    "x-phys": ScoreConversion("x-phys", 45, 11, 23, 34),
    "x-inf": ScoreConversion("x-inf", 19, 5, 11, 17),
}
"""ОГЭ conversion tables for :func:`exams_journal` (primary score thresholds for 3, 4, 5)."""


def exams_journal(school: School, journal_id: str = "9e-2025") -> ClassJournal:
    """A grade-9 journal with state exams of every kind the model has.

    Courses ``c-rus`` (a required exam, every student), ``c-alg`` (required: the mathematics exam)
    and ``c-geom`` (no exam of its own: ``exam_of="c-alg"``), ``c-phys``, ``c-inf`` and
    ``c-chem`` (exams chosen per student).  ``st-1`` chose physics and informatics (applied on
    1 March 2026), ``st-2`` chemistry only (no date).  Exam marks: Russian as plain marks; the
    other exams recorded from primary scores through :data:`EXAM_TABLES` (the chemistry mark
    without a table).  Every change is pending.
    """
    q = quarters(SAMPLE_YEAR)
    five = FIVE_POINT.id
    students = {
        s.id: s
        for s in (
            Student("st-1", PersonName("Әхмәтов", "Рөстәм"), date(2025, 9, 1)),
            Student("st-2", PersonName("Ёлкина", "Дарья", "Семёновна"), date(2025, 9, 1)),
        )
    }
    subjects = {
        f"x-{n}": Subject(f"x-{n}", name, i)
        for i, (n, name) in enumerate(
            (
                ("rus", "Русский язык"),
                ("alg", "Алгебра"),
                ("geom", "Геометрия"),
                ("phys", "Физика"),
                ("inf", "Информатика"),
                ("chem", "Химия"),
            ),
            1,
        )
    }
    courses = {
        "c-rus": Course("c-rus", "x-rus", "t-1", 3, q.id, five, examined=True),
        "c-alg": Course("c-alg", "x-alg", "t-1", 3, q.id, five, examined=True),
        "c-geom": Course("c-geom", "x-geom", "t-1", 2, q.id, five, exam_of="c-alg"),
        "c-phys": Course("c-phys", "x-phys", "t-1", 2, q.id, five, examined=True, exam_by_choice=True),
        "c-inf": Course("c-inf", "x-inf", "t-1", 1, q.id, five, examined=True, exam_by_choice=True),
        "c-chem": Course("c-chem", "x-chem", "t-1", 2, q.id, five, examined=True, exam_by_choice=True),
    }
    j = ClassJournal(
        school,
        ClassGroup(journal_id, 9, "Е", SAMPLE_YEAR, "t-1"),
        students=students,
        teachers={"t-1": Teacher("t-1", PersonName("Җиһаншина", "Әнисә"))},
        subjects=subjects,
        courses=courses,
        schemes={q.id: q},
        clock=FixedClock(STAMPS[0]),
    )
    j.set_exam_choice(ExamChoice("st-1", ("c-phys", "c-inf"), date(2026, 3, 1)), by=_ADMIN)
    j.set_exam_choice(ExamChoice("st-2", ("c-chem",)), by=_ADMIN)
    for sid in students:
        j.set_exam_mark(sid, "c-rus", 4, by=_ADMIN)
        j.record_exam_result(sid, "c-alg", 22 if sid == "st-1" else 14, EXAM_TABLES["x-alg"], by=_ADMIN)
    j.record_exam_result("st-1", "c-phys", 23, EXAM_TABLES["x-phys"], by=_ADMIN, value=4)
    j.record_exam_result("st-1", "c-inf", 0, EXAM_TABLES["x-inf"], by=_ADMIN)
    j.set_exam_mark("st-2", "c-chem", 3, by=_ADMIN)
    return j


def _stored_copy(storage: Storage, journal: ClassJournal) -> ClassJournal:
    with storage.unit_of_work() as uow:
        uow.journals.add(journal)
        uow.commit()
    with storage.unit_of_work() as uow:
        return uow.journals.get(journal.school.id, journal.id)


_alphabet_text = st.text(alphabet=_TEXT_ALPHABET, max_size=40)
_names = st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=20)
_scale_values = st.sampled_from(
    [(s.id, v) for s in BUILTIN_SCALES.values() for v in ([*s.values] if s.values else [Status.PASS, Status.FAIL])]
)
_weights = st.fractions(min_value=0, max_value=1000, max_denominator=10_000)
_stamps = st.datetimes(
    min_value=datetime(2025, 9, 2), max_value=datetime(2026, 8, 30), timezones=st.sampled_from([UTC, MSK])
)
_counter = itertools.count(1)


class MarkRoundTripContract(ContractBase):
    """Whatever is stored comes back exactly: mark values, statuses, weights, hours, text, instants."""

    def test_every_value_of_every_builtin_scale_round_trips(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = scales_journal(sample_school())
        expected = dict(journal.marks)
        loaded = _stored_copy(storage, journal)
        assert loaded.marks == expected
        for mark_id, mark in loaded.marks.items():
            want = expected[mark_id].value
            assert type(mark.value) is type(want), (mark_id, mark.value)
            assert mark.value == want
        per_scale = {
            c.scale_id: sorted(
                (m.value for m in loaded.marks.values() if loaded.lessons[m.lesson_id].course_id == c.id), key=str
            )
            for c in loaded.courses.values()
        }
        assert per_scale["five"] == [1, 2, 3, 4, 5]
        assert sorted(per_scale["ten"]) == list(range(1, 11))  # type: ignore[type-var]
        assert sorted(per_scale["twelve"]) == list(range(1, 13))  # type: ignore[type-var]
        assert set(per_scale["pass_fail"]) == {Status.PASS, Status.FAIL}

    def test_every_status_round_trips_as_a_result_mark(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = scales_journal(sample_school())
        expected = dict(journal.results)
        loaded = _stored_copy(storage, journal)
        assert loaded.results == expected
        assert {r.value for r in loaded.results.values() if isinstance(r.value, Status)} == set(Status)
        assert {r.kind for r in loaded.results.values()} == set(ResultKind)
        for key, r in loaded.results.items():
            assert type(r.value) is type(expected[key].value)
            assert r.reason == expected[key].reason

    def test_exam_scores_choices_and_mapping_round_trip(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = exams_journal(sample_school())
        changes = list(journal.pending_changes)
        loaded = _stored_copy(storage, journal)
        assert loaded == journal
        assert loaded.exam_choices == {
            "st-1": ExamChoice("st-1", ("c-inf", "c-phys"), date(2026, 3, 1)),
            "st-2": ExamChoice("st-2", ("c-chem",)),
        }
        scores = {(r.student_id, r.course_id): r.primary_score for r in loaded.results.values()}
        assert scores == {
            ("st-1", "c-rus"): None,
            ("st-2", "c-rus"): None,
            ("st-1", "c-alg"): 22,
            ("st-2", "c-alg"): 14,
            ("st-1", "c-phys"): 23,
            ("st-1", "c-inf"): 0,
            ("st-2", "c-chem"): None,
        }
        assert all(type(v) is int for v in scores.values() if v is not None)
        assert loaded.courses["c-geom"].exam_of == "c-alg"
        assert loaded.courses["c-geom"].exam_by_choice is False
        assert sorted(c.id for c in loaded.courses.values() if c.exam_by_choice) == ["c-chem", "c-inf", "c-phys"]
        with storage.unit_of_work() as uow:
            logged = [c for c in uow.audit.query(journal.school.id) if c.journal_id == journal.id]
        choice_changes = [c for c in changes if c.action is Action.SET_EXAM_CHOICE]
        assert [c for c in logged if c.action is Action.SET_EXAM_CHOICE] == choice_changes

    def test_weights_and_hours_round_trip_as_exact_fractions(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        loaded = _stored_copy(storage, scales_journal(sample_school()))
        for wid, weight in WEIGHTS.items():
            got = loaded.work_types[wid].weight
            assert type(got) is Fraction
            assert got == weight, (wid, got)
        hours = {cid: c.hours_per_week for cid, c in loaded.courses.items()}
        assert hours == {"c-five": Fraction(1, 2), "c-ten": Fraction(5, 3), "c-twelve": 2, "c-pf": 1}
        assert all(type(h) is Fraction for h in hours.values())
        assert loaded.courses["c-five"].exam_scale_id == "twelve"
        assert loaded.courses["c-five"].examined

    def test_timestamps_round_trip_as_aware_instants_with_microseconds(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = scales_journal(sample_school())
        changes = list(journal.pending_changes)
        stamps = {m.id: m.entered_at for m in journal.marks.values()}
        loaded = _stored_copy(storage, journal)
        for mark_id, at in stamps.items():
            got = loaded.marks[mark_id].entered_at
            assert got.utcoffset() is not None, mark_id
            assert got == at
            assert got.astimezone(UTC).microsecond == at.astimezone(UTC).microsecond
        assert {m.entered_at for m in loaded.marks.values()} == set(STAMPS)
        with storage.unit_of_work() as uow:
            log = uow.audit.query(journal.school.id, journal_id=journal.id)
        assert sorted(c.at for c in log) == sorted(c.at for c in changes)
        assert all(c.at.utcoffset() is not None for c in log)

    def test_russian_and_tatar_text_round_trips_unchanged(self, storage: Storage) -> None:
        school = School("s-tat", "Школа «Ёлочка»", "«Чыршы» мәктәбе — " + _TATAR_LETTERS, address="Татарстан, Әлмәт")
        add_school(storage, school)
        journal = scales_journal(school)
        journal.clock = FixedClock(datetime(2025, 9, 9, 12, tzinfo=MSK))
        tricky = "Сүзтезмә һәм җөмлә:\n«кавычки», \"quotes\", 'апостроф'\tтаб; и\u0306 (не «й»); 👍"
        journal.add_lesson(Lesson("l-text", "c-five", date(2025, 9, 9), tricky, "Ңөһүҗә ЁЁЁ ёёё", 3), by=_TEACHER)
        journal.record_mark("st-2", "l-text", 4, "w-one", by=_TEACHER, mark_id="m-text", comment=tricky)
        expected = copy_journal(journal).snapshot()
        loaded = _stored_copy(storage, journal)
        assert loaded.snapshot() == expected
        assert loaded.lessons["l-text"].topic == tricky
        assert loaded.marks["m-text"].comment == tricky
        assert loaded.students["st-3"].name == PersonName("Һөнәрова", "Миңзифа", "Ңаилевна")
        with storage.unit_of_work() as uow:
            assert uow.schools.get("s-tat") == school
            assert uow.journals.get("s-tat", journal.id).school == school

    def test_dates_round_trip(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        expected_students = dict(journal.students)
        expected_decisions = dict(journal.decisions)
        loaded = _stored_copy(storage, journal)
        assert loaded.students == expected_students
        assert loaded.decisions == expected_decisions
        assert loaded.students["st-5"].left == date(2026, 2, 13)
        assert loaded.admission_tests == journal.admission_tests
        assert loaded.schemes == journal.schemes
        assert loaded.class_group.year == SAMPLE_YEAR
        assert loaded.closed_periods == {"q1"}

    @settings(
        max_examples=15,
        deadline=None,
        # One storage serves every example (ids differ per example); one scenario serves many backends.
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        marks=st.lists(st.tuples(_scale_values, _weights, _alphabet_text, _stamps), min_size=1, max_size=6),
        surname=_names,
        given_name=_names,
    )
    def test_generated_marks_round_trip(
        self,
        storage: Storage,
        marks: list[tuple[tuple[str, MarkValue], Fraction, str, datetime]],
        surname: str,
        given_name: str,
    ) -> None:
        n = next(_counter)
        school = School(f"s-gen-{n}", f"Школа {n}")
        add_school(storage, school)
        q = quarters(SAMPLE_YEAR)
        journal = ClassJournal(
            school,
            ClassGroup(f"j-{n}", 8, "Ә", SAMPLE_YEAR),
            students={"st": Student("st", PersonName(surname, given_name), SAMPLE_YEAR.start)},
            subjects={"x": Subject("x", "Предмет", 1)},
            courses={f"c-{sid}": Course(f"c-{sid}", "x", None, 1, q.id, sid) for sid in BUILTIN_SCALES},
            schemes={q.id: q},
            work_types={f"w{i}": WorkType(f"w{i}", "вес", w) for i, (_, w, _, _) in enumerate(marks)},
            clock=FixedClock(datetime(2025, 9, 2, tzinfo=UTC)),
        )
        assert isinstance(journal.clock, FixedClock)
        for i, ((scale_id, value), _, comment, at) in enumerate(marks):
            day = at.date()
            period = q.period_of(day)
            if period is None or not SAMPLE_YEAR.contains(day):
                day = date(2025, 9, 2)
            journal.clock.advance_to(at)
            journal.add_lesson(Lesson(f"l{i}", f"c-{scale_id}", day, comment), by=_TEACHER)
            journal.record_mark("st", f"l{i}", value, f"w{i}", by=_TEACHER, mark_id=f"m{i}", comment=comment)
        expected = copy_journal(journal).snapshot()
        loaded = _stored_copy(storage, journal)
        assert loaded.snapshot() == expected
        for i, (_, weight, _, at) in enumerate(marks):
            assert loaded.work_types[f"w{i}"].weight == weight
            assert loaded.marks[f"m{i}"].entered_at == at

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        history=decision_histories("st", SAMPLE_YEAR, max_size=5),
        tests=admission_tests("st", AdmissionTestKind.INTERVIEW, SAMPLE_YEAR),
        order=st.randoms(use_true_random=False),
    )
    def test_decision_histories_and_admission_tests_round_trip(
        self, storage: Storage, history: tuple[Decision, ...], tests: tuple[AdmissionTest, ...], order: Random
    ) -> None:
        n = next(_counter)
        school = School(f"s-dec-{n}", f"Школа {n}")
        add_school(storage, school)
        journal = ClassJournal(
            school,
            ClassGroup(f"j-{n}", 9, "Б", SAMPLE_YEAR),
            students={"st": Student("st", PersonName("Әхмәтова", "Гөлназ"), SAMPLE_YEAR.start)},
            clock=FixedClock(datetime(2025, 9, 2, tzinfo=UTC)),
        )
        shuffled = list(history)
        order.shuffle(shuffled)  # the history is the councils' order, whatever the order of entry
        for d in shuffled:
            journal.record_decision(d, by=_ADMIN)
        for t in tests:
            journal.record_admission_test(t, by=_ADMIN)
        loaded = _stored_copy(storage, journal)
        assert loaded.decision_history("st") == history
        assert loaded.decision_in_force("st") == (history[-1] if history else None)
        assert loaded.admission_tests_of("st") == tests
        assert loaded.snapshot() == copy_journal(journal).snapshot()


class DocumentRoundTripContract(ContractBase):
    """Export, dump, load and import lose nothing: the document bytes come back identical.

    Uses :mod:`ejournal.storage.document` and the ``other_storage`` fixture (a second fresh storage,
    in memory unless the adapter overrides it).
    """

    def test_export_dump_load_import_export_dump_is_byte_identical(
        self, storage: Storage, other_storage: Storage
    ) -> None:
        from ejournal.storage.document import (
            dump_school_year,
            export_school_year,
            import_school_year,
            load_school_year,
        )

        original = sample_school_year()
        import_school_year(storage, original)
        exported = export_school_year(storage, original.school.id, original.year)
        assert exported == original
        first = dump_school_year(exported)
        import_school_year(other_storage, load_school_year(first))
        second = dump_school_year(export_school_year(other_storage, original.school.id, original.year))
        assert second == first

    @requires(Capability.TRANSACTIONS)
    def test_a_failed_import_writes_nothing(self, storage: Storage) -> None:
        from ejournal.storage.document import import_school_year

        original = sample_school_year()
        clash = sample_journal(original.school, journal_id="10b-2025")
        with storage.unit_of_work() as uow:
            uow.schools.add(original.school)
            uow.journals.add(clash)
            uow.commit()
        with storage.unit_of_work() as uow:
            audit_before = uow.audit.query(original.school.id)
        failed = False
        try:
            import_school_year(storage, original)
        except EjournalError:
            failed = True
        assert failed, "importing over an existing journal must raise an EjournalError"
        with storage.unit_of_work() as uow:
            assert uow.journals.list_ids(original.school.id) == ["10b-2025"]
            assert uow.people.list_teachers(original.school.id) == []
            assert uow.audit.query(original.school.id) == audit_before
