"""The roster use cases: each one unit of work, access-checked, audited, and undone by "as of"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ejournal.core import (
    AcademicYear,
    Action,
    Actor,
    ClassGroup,
    ClassJournal,
    Course,
    InvalidInput,
    Lesson,
    NotFound,
    PermissionDenied,
    PersonName,
    Role,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.calendar import quarters
from ejournal.core.grading import builtin_policy
from ejournal.core.scales import WorkType
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.storage.ports import Storage
from ejournal.testing.conformance.builders import MSK, TickingClock

YEAR = AcademicYear(2025)
SCHOOL = School("s-1", "МБОУ «Школа № 7»", "7нче мәктәп", PersonName("Сафина", "Гүзәл", "Ринатовна"))
SYSTEM = Actor("region", Role.SYSTEM)
ADMIN = Actor("director", Role.ADMINISTRATOR, "s-1")
MATH = Teacher("t-math", PersonName("Иванова", "Мария", "Петровна"))
RUS = Teacher("t-rus", PersonName("Галиева", "Алсу", "Ильдаровна"))


def _student(sid: str, surname: str, enrolled: date = YEAR.start, **kw: str) -> Student:
    return Student(sid, PersonName(surname, "Имя"), enrolled, **kw)  # type: ignore[arg-type]


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}"
    s = open_storage(url)
    yield s
    s.close()


@pytest.fixture
def service(storage: Storage) -> JournalService:
    return JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2025, 9, 1, 8, tzinfo=MSK)))


def _new_journal(jid: str, grade: int, letter: str, *students: Student) -> ClassJournal:
    q = quarters(YEAR)
    return ClassJournal(
        SCHOOL,
        ClassGroup(jid, grade, letter, YEAR),
        students={s.id: s for s in students},
        teachers={MATH.id: MATH},
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c-math": Course("c-math", "math", MATH.id, 5, q.id)},
        schemes={q.id: q},
        work_types={"cw": WorkType("cw", "Работа на уроке")},
    )


@pytest.fixture
def school(service: JournalService) -> JournalService:
    """A school with two teachers and classes 5А (three students) and 5Б (one)."""
    service.create_school(SYSTEM, SCHOOL)
    service.add_teacher(ADMIN, "s-1", MATH)
    service.add_teacher(ADMIN, "s-1", RUS)
    a = _new_journal(
        "5a", 5, "А", _student("st-1", "Абдуллин"), _student("st-2", "Борисова"), _student("st-3", "Валиев")
    )
    service.create_journal(ADMIN, a)
    service.create_journal(ADMIN, _new_journal("5b", 5, "Б", _student("st-4", "Гарипов")))
    return service


def test_the_school_and_its_teachers_are_created_and_audited_at_school_level(school: JournalService) -> None:
    with school.storage.unit_of_work() as uow:
        assert uow.schools.get("s-1") == SCHOOL
        log = uow.audit.query("s-1", journal_id="")
        assert [t.id for t in uow.people.list_teachers("s-1")] == ["t-math", "t-rus"]
    assert [(c.action, c.after) for c in log] == [
        (Action.CREATE_SCHOOL, SCHOOL),
        (Action.ADD_TEACHER, MATH),
        (Action.ADD_TEACHER, RUS),
    ]
    assert [c.actor_role for c in log] == [Role.SYSTEM, Role.ADMINISTRATOR, Role.ADMINISTRATOR]


def test_a_school_is_created_by_the_system_or_its_own_administrator_only(service: JournalService) -> None:
    other = School("s-2", "Школа № 2")
    with pytest.raises(PermissionDenied, match="another school"):
        service.create_school(ADMIN, other)
    with pytest.raises(PermissionDenied, match="only an administrator"):
        service.create_school(Actor("t", Role.SUBJECT_TEACHER, "s-2"), other)
    with service.storage.unit_of_work() as uow:
        assert uow.schools.list() == []
    service.create_school(Actor("d2", Role.ADMINISTRATOR, "s-2"), other)
    with pytest.raises(InvalidInput, match="exists"):
        service.create_school(SYSTEM, other)


def test_create_journal_is_audited_and_refuses_a_class_that_exists(school: JournalService) -> None:
    history = school.history(ADMIN, "s-1", "5a")
    assert [(c.action, c.after) for c in history] == [
        (Action.CREATE_JOURNAL, school.journal(ADMIN, "s-1", "5a").class_group)
    ]
    # Same grade and letter, and a Latin look-alike of it, under another id.
    for letter in ("А", "A"):
        with pytest.raises(InvalidInput, match="class 5А of 2025/2026 exists already"):
            school.create_journal(ADMIN, _new_journal("5a-bis", 5, letter))
    assert school.journal_ids(ADMIN, "s-1") == ["5a", "5b"]


def test_create_journal_needs_the_school_and_its_teachers(school: JournalService) -> None:
    stranger = _new_journal("6a", 6, "А")
    stranger.teachers["t-x"] = Teacher("t-x", PersonName("Некто", "Некто"))
    with pytest.raises(NotFound, match="t-x"):
        school.create_journal(ADMIN, stranger)
    forged = _new_journal("6a", 6, "А")
    forged.teachers[MATH.id] = Teacher(MATH.id, PersonName("Другая", "Мария"))
    with pytest.raises(InvalidInput, match="differs from the school's record"):
        school.create_journal(ADMIN, forged)
    assert school.journal_ids(ADMIN, "s-1") == ["5a", "5b"]


@pytest.mark.parametrize(
    "actor",
    [
        Actor("t-math", Role.SUBJECT_TEACHER, "s-1"),
        Actor("t-math", Role.CLASS_TEACHER, "s-1"),
        Actor("st-1", Role.STUDENT, "s-1"),
        Actor("director", Role.ADMINISTRATOR, "s-2"),
        Actor("director", Role.ADMINISTRATOR),
    ],
    ids=["subject-teacher", "class-teacher", "student", "admin-of-another-school", "admin-of-no-school"],
)
def test_only_the_schools_administrators_change_the_roster(school: JournalService, actor: Actor) -> None:
    before = school.journal(ADMIN, "s-1", "5a")
    attempts = [
        lambda: school.enrol(actor, "s-1", "5a", _student("st-9", "Юнусова")),
        lambda: school.withdraw(actor, "s-1", "5a", "st-1", date(2025, 10, 1), "57-у"),
        lambda: school.transfer(actor, "s-1", "5a", "st-1", "5b", date(2025, 10, 1), "58-у"),
        lambda: school.add_subject(actor, "s-1", "5a", Subject("rus", "Русский язык", 2)),
        lambda: school.change_teacher(actor, "s-1", "5a", "c-math", RUS.id),
        lambda: school.add_teacher(actor, "s-1", Teacher("t-new", PersonName("Новый", "Учитель"))),
        lambda: school.create_journal(actor, _new_journal("6a", 6, "А")),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert school.journal(ADMIN, "s-1", "5a") == before
    assert school.journal_ids(ADMIN, "s-1") == ["5a", "5b"]


def test_enrol_withdraw_and_the_journal_as_of_before_them(school: JournalService) -> None:
    start = school.journal(ADMIN, "s-1", "5a")
    enrolled = school.enrol(ADMIN, "s-1", "5a", _student("st-9", "Юнусова", date(2025, 11, 10), arrival_order="61-у"))
    left = school.withdraw(ADMIN, "s-1", "5a", "st-2", date(2025, 12, 26), "88-у", reason="переезд")
    now = school.journal(ADMIN, "s-1", "5a")
    assert now.students["st-9"].arrival_order == "61-у"
    assert (now.students["st-2"].left, now.students["st-2"].departure_order) == (date(2025, 12, 26), "88-у")
    assert (enrolled.action, left.action) == (Action.ENROL_STUDENT, Action.WITHDRAW_STUDENT)
    assert left.before == start.students["st-2"]
    assert left.after == now.students["st-2"]
    assert school.journal_as_of(ADMIN, "s-1", "5a", enrolled.at - timedelta(microseconds=1)) == start
    between = school.journal_as_of(ADMIN, "s-1", "5a", enrolled.at)
    assert "st-9" in between.students
    assert between.students["st-2"] == start.students["st-2"]


def test_withdraw_refuses_while_marks_follow_the_last_day(school: JournalService) -> None:
    lesson = Lesson("l-1", "c-math", date(2025, 10, 6), "Дроби")
    school.add_lesson(ADMIN, "s-1", "5a", lesson)
    school.record_mark(ADMIN, "s-1", "5a", "st-1", "l-1", 5, "cw")
    with pytest.raises(InvalidInput, match=r"1 marks or attendance records fall after it \(the last on 2025-10-06\)"):
        school.withdraw(ADMIN, "s-1", "5a", "st-1", date(2025, 10, 3), "57-у")
    with pytest.raises(InvalidInput, match="order number is required"):
        school.withdraw(ADMIN, "s-1", "5a", "st-1", date(2025, 10, 10), " ")
    with pytest.raises(InvalidInput, match="order number is required"):
        school.arrive(ADMIN, "s-1", "5a", _student("st-9", "Юнусова", date(2025, 10, 10)))
    assert school.journal(ADMIN, "s-1", "5a").students["st-1"].left is None


def test_transfer_moves_the_student_in_one_unit_of_work(school: JournalService) -> None:
    out, into = school.transfer(ADMIN, "s-1", "5a", "st-3", "5b", date(2025, 11, 10), "70-у")
    old, new = school.journal(ADMIN, "s-1", "5a"), school.journal(ADMIN, "s-1", "5b")
    assert (old.students["st-3"].left, old.students["st-3"].departure_order) == (date(2025, 11, 9), "70-у")
    assert (new.students["st-3"].enrolled, new.students["st-3"].arrival_order) == (date(2025, 11, 10), "70-у")
    assert new.students["st-3"].name == old.students["st-3"].name
    assert out in school.history(ADMIN, "s-1", "5a")
    assert into in school.history(ADMIN, "s-1", "5b")
    assert "5А" in out.reason
    assert "5Б" in out.reason


def test_a_failed_transfer_writes_nothing(school: JournalService) -> None:
    school.enrol(ADMIN, "s-1", "5b", _student("st-1", "Абдуллин"))  # the target already has this id
    before = school.journal(ADMIN, "s-1", "5a"), school.journal(ADMIN, "s-1", "5b")
    with pytest.raises(InvalidInput, match="already in class 5Б"):
        school.transfer(ADMIN, "s-1", "5a", "st-1", "5b", date(2025, 11, 10), "70-у")
    assert (school.journal(ADMIN, "s-1", "5a"), school.journal(ADMIN, "s-1", "5b")) == before
    with pytest.raises(InvalidInput, match="is the class the student is in"):
        school.transfer(ADMIN, "s-1", "5a", "st-1", "5a", date(2025, 11, 10), "70-у")


def test_a_new_teacher_takes_the_course_from_now_on(school: JournalService) -> None:
    school.add_lesson(ADMIN, "s-1", "5a", Lesson("l-1", "c-math", date(2025, 9, 1), "Числа"))
    old_teacher = Actor(MATH.id, Role.SUBJECT_TEACHER, "s-1")
    new_teacher = Actor(RUS.id, Role.SUBJECT_TEACHER, "s-1")
    school.record_mark(old_teacher, "s-1", "5a", "st-1", "l-1", 4, "cw")
    change = school.change_teacher(ADMIN, "s-1", "5a", "c-math", RUS.id, reason="декретный отпуск")
    with pytest.raises(PermissionDenied, match="not the teacher of this course"):
        school.record_mark(old_teacher, "s-1", "5a", "st-2", "l-1", 5, "cw")
    school.record_mark(new_teacher, "s-1", "5a", "st-2", "l-1", 5, "cw")
    journal = school.journal(ADMIN, "s-1", "5a")
    assert journal.courses["c-math"].teacher_id == RUS.id
    assert journal.teachers[RUS.id] == RUS
    # The audit log keeps who taught when: added the teacher's record, then the course change.
    log = school.history(ADMIN, "s-1", "5a")
    assert [c.action for c in log[-3:]] == [Action.ADD_TEACHER, Action.CHANGE_TEACHER, Action.RECORD_MARK]
    assert log[-2] == change
    earlier = school.journal_as_of(ADMIN, "s-1", "5a", log[-3].at - timedelta(microseconds=1))
    assert earlier.courses["c-math"].teacher_id == MATH.id
    assert RUS.id not in earlier.teachers
    assert school.journal_as_of(ADMIN, "s-1", "5a", log[-3].at).teachers[RUS.id] == RUS
    with pytest.raises(NotFound, match="t-none"):
        school.change_teacher(ADMIN, "s-1", "5a", "c-math", "t-none")


def test_courses_subjects_and_the_class_teacher(school: JournalService) -> None:
    school.add_subject(ADMIN, "s-1", "5a", Subject("rus", "Русский язык", 2))
    q = school.journal(ADMIN, "s-1", "5a").courses["c-math"].scheme_id
    school.add_course(ADMIN, "s-1", "5a", Course("c-rus", "rus", RUS.id, 5, q))
    school.appoint_class_teacher(ADMIN, "s-1", "5a", RUS.id)
    journal = school.journal(ADMIN, "s-1", "5a")
    assert journal.courses["c-rus"].teacher_id == RUS.id
    assert journal.class_group.class_teacher_id == RUS.id
    with pytest.raises(NotFound, match="subject"):
        school.add_course(ADMIN, "s-1", "5a", Course("c-x", "nope", RUS.id, 1, q))
    with pytest.raises(InvalidInput, match="already in class 5А"):
        school.add_subject(ADMIN, "s-1", "5a", Subject("rus", "Русский язык", 2))
    kinds = [c.action for c in school.history(ADMIN, "s-1", "5a")]
    assert kinds[-4:] == [Action.ADD_SUBJECT, Action.ADD_TEACHER, Action.ADD_COURSE, Action.SET_CLASS_TEACHER]
    # The class teacher now reads the class.
    assert school.journal(Actor(RUS.id, Role.CLASS_TEACHER, "s-1"), "s-1", "5a").id == "5a"


def test_edit_school_keeps_the_old_record_in_the_log(school: JournalService) -> None:
    moved = School("s-1", SCHOOL.name_ru, SCHOOL.name_tt, PersonName("Новиков", "Олег"), "ул. Новая, 1")
    change = school.edit_school(ADMIN, moved, reason="новый директор")
    with school.storage.unit_of_work() as uow:
        assert uow.schools.get("s-1") == moved
    assert (change.before, change.after, change.journal_id) == (SCHOOL, moved, "")
    with pytest.raises(PermissionDenied):
        school.edit_school(Actor("director", Role.ADMINISTRATOR, "s-2"), moved)


def test_naming_one_class_loads_that_journal_only(
    school: JournalService, storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[str] = []
    repository = type(_journals_of(storage))
    real_get = repository.get

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a school-wide load for one class")

    def get(self: object, school_id: str, journal_id: str) -> ClassJournal:
        loaded.append(journal_id)
        return real_get(self, school_id, journal_id)  # type: ignore[no-any-return]

    monkeypatch.setattr(repository, "list", refuse)
    monkeypatch.setattr(repository, "get", get)
    assert school.find_journal(ADMIN, "s-1", "5Б").id == "5b"
    assert loaded == ["5b"]
    with pytest.raises(NotFound, match=r"class '9В' not found .*\(choices: 5А, 5Б\)"):
        school.find_journal(ADMIN, "s-1", "9В")
    assert loaded == ["5b"]


def _journals_of(storage: Storage) -> object:
    with storage.unit_of_work() as uow:
        return uow.journals


def test_a_corrected_student_record_and_the_schools_teachers(school: JournalService) -> None:
    before = school.journal(ADMIN, "s-1", "5a").students["st-1"]
    fixed = Student("st-1", PersonName("Абдуллин", "Тимур", "Ильдарович"), YEAR.start, birth_date=date(2014, 3, 1))
    change = school.edit_student(ADMIN, "s-1", "5a", fixed, reason="ошибка в отчестве")
    assert (change.action, change.before, change.after) == (Action.EDIT_STUDENT, before, fixed)
    assert school.journal(ADMIN, "s-1", "5a").students["st-1"] == fixed
    with pytest.raises(NotFound, match="st-404"):
        school.edit_student(ADMIN, "s-1", "5a", Student("st-404", PersonName("Нет", "Такого"), YEAR.start))
    assert school.school_teachers(ADMIN, "s-1") == [MATH, RUS]
    with pytest.raises(PermissionDenied):
        school.school_teachers(Actor("t-math", Role.SUBJECT_TEACHER, "s-1"), "s-1")
    assert [c.action for c in school.school_log(ADMIN, "s-1")] == [
        Action.CREATE_SCHOOL,
        Action.ADD_TEACHER,
        Action.ADD_TEACHER,
    ]
