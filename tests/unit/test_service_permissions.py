"""The permission matrix: every role through every use case of the service.

Expected rights are written out by hand from the access rules (``ejournal.service.access``);
a refusal must raise ``PermissionDenied`` naming actor, action and target, and write nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import pytest

from ejournal.core import (
    AcademicYear,
    Actor,
    ClassJournal,
    Decision,
    DecisionKind,
    FixedClock,
    Lesson,
    NotFound,
    Parent,
    PermissionDenied,
    PersonName,
    Role,
    Teacher,
)
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Action
from ejournal.demo import generate_class_journal
from ejournal.i18n.collation import collator
from ejournal.service import JournalService
from ejournal.storage.document import read_backup
from ejournal.storage.memory import MemoryStorage, copy_journal

BASE = generate_class_journal(grade=9, students=6, seed=11, with_results=False)
SCHOOL = BASE.school.id
JID = BASE.id
CLASS_TEACHER_ID = BASE.class_group.class_teacher_id
# A required exam course (every student sits it) whose teacher is not the class teacher, and one of its lessons with a mark.
COURSE = next(
    c
    for c in BASE.courses_in_order()
    if c.examined and not c.exam_by_choice and c.teacher_id and c.teacher_id != CLASS_TEACHER_ID
)
MARK = next(m for m in BASE.marks.values() if BASE.lessons[m.lesson_id].course_id == COURSE.id)
LESSON = BASE.lessons[MARK.lesson_id]
STUDENT_ID = MARK.student_id
OTHER_STUDENT_ID = next(s for s in sorted(BASE.students) if s != STUDENT_ID)
PERIOD = BASE.scheme_of(COURSE.id).period_of(LESSON.date)
assert PERIOD is not None
LAST_PERIOD = BASE.scheme_of(COURSE.id).periods[-1]  # closed in every test's storage, to be reopened
ANOTHER_LESSON = next(le for le in BASE.lessons_of(COURSE.id) if le.id != LESSON.id and PERIOD.contains(le.date))

OTHER_SCHOOL = "school-b"
ACTORS = {
    "admin": Actor("director", Role.ADMINISTRATOR, SCHOOL),
    "subject_teacher": Actor(str(COURSE.teacher_id), Role.SUBJECT_TEACHER, SCHOOL),
    "class_teacher": Actor(str(CLASS_TEACHER_ID), Role.CLASS_TEACHER, SCHOOL),
    "stranger_teacher": Actor("t-nobody", Role.SUBJECT_TEACHER, SCHOOL),
    "student": Actor(STUDENT_ID, Role.STUDENT, SCHOOL),
    "other_student": Actor(OTHER_STUDENT_ID, Role.STUDENT, SCHOOL),
    "parent": Actor("p-own", Role.PARENT, SCHOOL),
    "other_parent": Actor("p-other", Role.PARENT, SCHOOL),
    # Schools are tenants: the same ids and roles, but of another school (or of none).
    "foreign_admin": Actor("director", Role.ADMINISTRATOR, OTHER_SCHOOL),
    "foreign_subject_teacher": Actor(str(COURSE.teacher_id), Role.SUBJECT_TEACHER, OTHER_SCHOOL),
    "foreign_class_teacher": Actor(str(CLASS_TEACHER_ID), Role.CLASS_TEACHER, OTHER_SCHOOL),
    "foreign_student": Actor(STUDENT_ID, Role.STUDENT, OTHER_SCHOOL),
    "foreign_parent": Actor("p-own", Role.PARENT, OTHER_SCHOOL),
    "schoolless_admin": Actor("director", Role.ADMINISTRATOR),
    "schoolless_subject_teacher": Actor(str(COURSE.teacher_id), Role.SUBJECT_TEACHER),
    "foreign_system": Actor("sync", Role.SYSTEM, OTHER_SCHOOL),
    # The one region-wide role: the school-less system actor passes every school's checks.
    "region": Actor("region", Role.SYSTEM),
}
REGION_WIDE = {"region"}

UseCase = Callable[[JournalService, Actor], object]


def _decision() -> Decision:
    return Decision(STUDENT_ID, DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 20), "12")


USE_CASES: dict[str, tuple[UseCase, set[str]]] = {
    "record_mark": (
        lambda s, a: s.record_mark(a, SCHOOL, JID, STUDENT_ID, ANOTHER_LESSON.id, 5, MARK.work_type_id),
        {"admin", "subject_teacher"},
    ),
    "correct_mark": (
        lambda s, a: s.correct_mark(a, SCHOOL, JID, MARK.id, 2 if MARK.value != 2 else 3),
        {"admin", "subject_teacher"},
    ),
    "delete_mark": (lambda s, a: s.delete_mark(a, SCHOOL, JID, MARK.id), {"admin", "subject_teacher"}),
    "record_attendance": (
        lambda s, a: s.record_attendance(a, SCHOOL, JID, STUDENT_ID, LESSON.id, "б"),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "add_lesson": (
        lambda s, a: s.add_lesson(a, SCHOOL, JID, Lesson("new-lesson", COURSE.id, LESSON.date, "Повторение", "", 7)),
        {"admin", "subject_teacher"},
    ),
    "edit_lesson": (
        lambda s, a: s.edit_lesson(a, SCHOOL, JID, LESSON.id, topic="Новая тема"),
        {"admin", "subject_teacher"},
    ),
    "set_period_mark": (
        lambda s, a: s.set_period_mark(a, SCHOOL, JID, STUDENT_ID, COURSE.id, PERIOD.id, 5, reason="устные ответы"),
        {"admin", "subject_teacher"},
    ),
    "set_annual_mark": (
        lambda s, a: s.set_annual_mark(a, SCHOOL, JID, STUDENT_ID, COURSE.id, 4, reason="решение учителя"),
        {"admin", "subject_teacher"},
    ),
    "close_period": (lambda s, a: s.close_period(a, SCHOOL, JID, PERIOD.id), {"admin"}),
    "reopen_period": (lambda s, a: s.reopen_period(a, SCHOOL, JID, LAST_PERIOD.id, reason="ошибка"), {"admin"}),
    "record_decision": (lambda s, a: s.record_decision(a, SCHOOL, JID, _decision()), {"admin"}),
    "read_journal": (lambda s, a: s.journal(a, SCHOOL, JID), {"admin", "subject_teacher", "class_teacher"}),
    "read_history": (
        lambda s, a: s.history(a, SCHOOL, JID, course_id=COURSE.id),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "read_diary": (
        lambda s, a: s.check_diary_access(a, SCHOOL, s.journal(ACTORS["admin"], SCHOOL, JID), STUDENT_ID),
        {"admin", "subject_teacher", "class_teacher", "student", "parent"},
    ),
    "export_year": (lambda s, a: s.school_year(a, SCHOOL, BASE.class_group.year), {"admin"}),
    "validate": (
        lambda s, a: s.validate(a, SCHOOL, JID, as_of=date(2026, 6, 30)),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "summary_sheet": (
        lambda s, a: s.summary_sheet(a, SCHOOL, JID, collator=collator("ru")),
        {"admin", "class_teacher"},
    ),
    "certify_and_archive": (
        lambda s, a: s.certify_and_archive(
            a,
            SCHOOL,
            JID,
            Path(tempfile.mkdtemp()) / "a",
            collator=collator("ru"),
            certified_on=date(2026, 6, 1),
            force=True,
        ),
        {"admin"},
    ),
    "diary_week": (
        lambda s, a: s.diary_week(a, SCHOOL, JID, STUDENT_ID, LESSON.date - timedelta(days=LESSON.date.weekday())),
        {"admin", "subject_teacher", "class_teacher", "student", "parent"},
    ),
    "period_report": (
        lambda s, a: s.period_report(a, SCHOOL, JID, STUDENT_ID, PERIOD.id),
        {"admin", "subject_teacher", "class_teacher", "student", "parent"},
    ),
    "backup": (lambda s, a: s.backup(a, SCHOOL), {"admin"}),
    "backup_all": (lambda s, a: s.backup_all(a), set()),
    "read_parent": (lambda s, a: s.parent(a, SCHOOL, "p-own"), {"admin", "parent"}),
    "set_exam_mark": (
        lambda s, a: s.set_exam_mark(a, SCHOOL, JID, STUDENT_ID, COURSE.id, 4),
        {"admin", "subject_teacher"},
    ),
    "set_final_mark": (
        lambda s, a: s.set_final_mark(a, SCHOOL, JID, STUDENT_ID, COURSE.id, 4, reason="решение комиссии"),
        {"admin", "subject_teacher"},
    ),
    "proposed_period_mark": (
        lambda s, a: s.proposed_period_mark(a, SCHOOL, JID, STUDENT_ID, COURSE.id, PERIOD.id),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "journal_as_of": (
        lambda s, a: s.journal_as_of(a, SCHOOL, JID, s.clock.now()),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "find_journal": (
        lambda s, a: s.find_journal(a, SCHOOL, BASE.class_group.label),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "validate_journal": (
        lambda s, a: s.validate_journal(a, s.journal(ACTORS["admin"], SCHOOL, JID), as_of=date(2026, 6, 30)),
        {"admin", "subject_teacher", "class_teacher"},
    ),
    "build_sheet": (
        lambda s, a: s.build_sheet(a, s.journal(ACTORS["admin"], SCHOOL, JID), collator=collator("ru")),
        {"admin", "class_teacher"},
    ),
    "render_sheet": (
        lambda s, a: s.render_sheet(a, SCHOOL, JID, "html", collator=collator("ru")),
        {"admin", "class_teacher"},
    ),
    "journal_ids": (lambda s, a: s.journal_ids(a, SCHOOL), {"admin"}),
    "latest_year": (lambda s, a: s.latest_year(a, SCHOOL), {"admin"}),
    "import_year": (
        lambda s, a: s.import_school_year(
            a, s.school_year(ACTORS["admin"], SCHOOL, BASE.class_group.year), replace=True
        ),
        {"admin"},
    ),
}


# What an allowed call does to the stored journal: (new audit entries, version increase).
EFFECTS: dict[str, tuple[int, int]] = {"import_year": (0, 1)}  # a replacing import bumps the version only

READS = {
    "proposed_period_mark",
    "journal_as_of",
    "find_journal",
    "validate_journal",
    "build_sheet",
    "render_sheet",
    "journal_ids",
    "latest_year",
    "read_journal",
    "read_history",
    "read_diary",
    "export_year",
    "validate",
    "summary_sheet",
    "certify_and_archive",
    "diary_week",
    "period_report",
    "backup",
    "backup_all",
    "read_parent",
}


def _service() -> JournalService:
    storage = MemoryStorage()
    journal = copy_journal(BASE)
    # A second closed period to reopen: the scheme's last period.
    journal.closed_periods.add(LAST_PERIOD.id)
    clock = FixedClock(datetime.combine(LESSON.date + timedelta(days=1), datetime.min.time(), UTC))
    with storage.unit_of_work() as uow:
        uow.schools.add(journal.school)
        for teacher in journal.teachers.values():
            uow.people.add_teacher(SCHOOL, teacher)
        uow.people.add_teacher(SCHOOL, Teacher("t-nobody", PersonName("Никто", "Никита")))
        uow.people.add_parent(SCHOOL, Parent("p-own", PersonName("Родитель", "Ринат"), {STUDENT_ID}))
        uow.people.add_parent(SCHOOL, Parent("p-other", PersonName("Чужой", "Олег"), {OTHER_STUDENT_ID}))
        uow.journals.add(journal)
        uow.commit()
    policy = attrs.evolve(builtin_policy("federal"), edit_window_days=7)
    return JournalService(storage, policy, clock=clock)


def _state(service: JournalService) -> tuple[ClassJournal, int]:
    with service.storage.unit_of_work() as uow:
        return uow.journals.get(SCHOOL, JID), len(uow.audit.query(SCHOOL))


@pytest.mark.parametrize("role", sorted(ACTORS))
@pytest.mark.parametrize("use_case", sorted(USE_CASES))
def test_permission_matrix(use_case: str, role: str) -> None:
    call, allowed = USE_CASES[use_case]
    allowed = allowed | REGION_WIDE
    service = _service()
    actor = ACTORS[role]
    before, audit_before = _state(service)
    if role in allowed:
        call(service, actor)
        after, audit_after = _state(service)
        if use_case in READS:
            assert (after, audit_after) == (before, audit_before)
        else:
            new_entries, new_versions = EFFECTS.get(use_case, (1, 1))
            assert audit_after == audit_before + new_entries
            assert after.version == before.version + new_versions
        return
    with pytest.raises(PermissionDenied) as refused:
        call(service, actor)
    text = str(refused.value)
    assert actor.id in text
    assert refused.value.action
    assert refused.value.target
    after, audit_after = _state(service)
    assert after == before
    assert after.version == before.version
    assert audit_after == audit_before


def test_every_use_case_is_allowed_to_someone_and_refused_to_someone() -> None:
    for name, (_, allowed) in USE_CASES.items():
        assert allowed | REGION_WIDE != set(ACTORS), name
        assert not any(r.startswith(("foreign", "schoolless")) for r in allowed), name


def test_teachers_are_held_to_the_edit_window() -> None:
    service = _service()
    late = datetime.combine(LESSON.date + timedelta(days=30), datetime.min.time(), UTC)
    service.clock = FixedClock(late)
    teacher = ACTORS["subject_teacher"]
    with pytest.raises(PermissionDenied, match="edit window"):
        service.record_attendance(teacher, SCHOOL, JID, STUDENT_ID, LESSON.id, "н")
    service.record_attendance(ACTORS["admin"], SCHOOL, JID, STUDENT_ID, LESSON.id, "н")


def test_a_write_is_in_the_audit_log_with_who_and_when() -> None:
    service = _service()
    teacher = ACTORS["subject_teacher"]
    change = service.correct_mark(teacher, SCHOOL, JID, MARK.id, 2 if MARK.value != 2 else 3, reason="описка")
    history = service.history(ACTORS["admin"], SCHOOL, JID, student_id=STUDENT_ID)
    assert history[-1] == change
    assert history[-1].actor_id == teacher.id
    assert history[-1].at == service.clock.now()
    assert history[-1].before == MARK


def test_overriding_the_proposed_period_mark_needs_a_reason() -> None:
    from ejournal.core import InvalidInput
    from ejournal.core.grading import propose_period_mark

    service = _service()
    admin = ACTORS["admin"]
    journal, _ = _state(service)
    proposed = propose_period_mark(journal, STUDENT_ID, COURSE.id, PERIOD.id, service.policy).value
    assert isinstance(proposed, int)
    other = 5 if proposed != 5 else 4
    with pytest.raises(InvalidInput, match="reason"):
        service.set_period_mark(admin, SCHOOL, JID, STUDENT_ID, COURSE.id, PERIOD.id, other)
    change = service.set_period_mark(admin, SCHOOL, JID, STUDENT_ID, COURSE.id, PERIOD.id)
    assert change.after is not None
    assert change.after.value == proposed


def test_as_of_reconstruction_undoes_later_changes() -> None:
    service = _service()
    teacher = ACTORS["subject_teacher"]
    t1 = service.clock.now()
    service.clock = FixedClock(t1 + timedelta(hours=1))
    service.correct_mark(teacher, SCHOOL, JID, MARK.id, 2 if MARK.value != 2 else 3, reason="описка")
    service.clock = FixedClock(t1 + timedelta(hours=2))
    service.delete_mark(teacher, SCHOOL, JID, MARK.id, reason="ошибочно")
    now, _ = _state(service)
    assert MARK.id not in now.marks
    then = service.journal_as_of(ACTORS["admin"], SCHOOL, JID, t1)
    assert then.marks[MARK.id] == MARK
    middle = service.journal_as_of(ACTORS["admin"], SCHOOL, JID, t1 + timedelta(hours=1, minutes=30))
    assert middle.marks[MARK.id].value != MARK.value


def test_only_an_administrator_restores_a_backup() -> None:
    data = _service().backup(ACTORS["admin"])
    for role, actor in ACTORS.items():
        target = JournalService(MemoryStorage(), builtin_policy("federal"))
        if role in ("admin", "region"):
            target.restore(actor, data)
            # the data comes back exactly; the log ends with who restored it
            with target.storage.unit_of_work() as uow:
                log = uow.audit.query(SCHOOL)
            assert (log[-1].action, log[-1].actor_id, log[-1].journal_id) == (Action.RESTORE_BACKUP, actor.id, "")
            assert target.backup(actor, SCHOOL) != data
            assert read_backup(target.backup(actor, SCHOOL)).years == read_backup(data).years
        else:
            with pytest.raises(PermissionDenied):
                target.restore(actor, data)
            with target.storage.unit_of_work() as uow:
                assert uow.schools.list() == []


def test_an_outsider_is_refused_before_learning_whether_an_id_exists() -> None:
    service = _service()
    for role in ("stranger_teacher", "student", "parent"):
        with pytest.raises(PermissionDenied):
            service.correct_mark(ACTORS[role], SCHOOL, JID, "no-such-mark", 5)
        with pytest.raises(PermissionDenied):
            service.record_mark(ACTORS[role], SCHOOL, JID, STUDENT_ID, "no-such-lesson", 5, MARK.work_type_id)
    from ejournal.core import NotFound

    with pytest.raises(NotFound, match="no-such-mark"):
        service.correct_mark(ACTORS["subject_teacher"], SCHOOL, JID, "no-such-mark", 5)


def test_an_unknown_school_is_not_found() -> None:
    from ejournal.core import NotFound

    service = _service()
    assert service.journal_ids(ACTORS["admin"], SCHOOL) == [JID]
    with pytest.raises(NotFound, match="no-school"):
        service.journal_ids(ACTORS["region"], "no-school")
    # An administrator of a school is not told whether another school exists.
    with pytest.raises(PermissionDenied, match="another school"):
        service.journal_ids(ACTORS["admin"], "no-school")


def test_the_annual_mark_accepts_the_proposal_or_needs_a_reason() -> None:
    from ejournal.core import InvalidInput

    service = _service()
    admin = ACTORS["admin"]
    for period in BASE.scheme_of(COURSE.id).periods:
        service.set_period_mark(admin, SCHOOL, JID, STUDENT_ID, COURSE.id, period.id, 4, reason="итог периода")
    # Every period mark is 4, so the annual mean is exactly 4 under any rounding rule.
    with pytest.raises(InvalidInput, match="reason"):
        service.set_annual_mark(admin, SCHOOL, JID, STUDENT_ID, COURSE.id, 5)
    change = service.set_annual_mark(admin, SCHOOL, JID, STUDENT_ID, COURSE.id)
    assert change.after is not None
    assert change.after.value == 4  # type: ignore[union-attr]


def test_the_school_listing_shows_each_actor_only_the_classes_they_may_read() -> None:
    service = _service()
    assert [j.id for j in service.journals(ACTORS["admin"], SCHOOL)] == [JID]
    assert [j.id for j in service.journals(ACTORS["class_teacher"], SCHOOL)] == [JID]
    assert service.journals(ACTORS["stranger_teacher"], SCHOOL) == []
    with pytest.raises(NotFound, match=r"year '2019/2020' not found .*choices: 2025/2026"):
        service.journals(ACTORS["admin"], SCHOOL, year=AcademicYear(2019))
    assert service.latest_year(ACTORS["admin"], SCHOOL) == BASE.class_group.year
    with pytest.raises(PermissionDenied):
        service.journals(ACTORS["stranger_teacher"], SCHOOL, label=BASE.class_group.label)
    with pytest.raises(NotFound, match="9Я"):
        service.journals(ACTORS["admin"], SCHOOL, label="9Я")


def test_as_of_reconstruction_gives_the_computed_marks_of_that_time() -> None:
    from ejournal.core.grading import propose_period_mark

    service = _service()
    admin = ACTORS["admin"]
    t0 = service.clock.now()
    before = propose_period_mark(_state(service)[0], STUDENT_ID, COURSE.id, PERIOD.id, service.policy)
    # Three 2s on tests after t0 pull the proposal down; "as of t0" must still give the old proposal.
    service.clock = FixedClock(t0 + timedelta(hours=1))
    for _ in range(3):
        service.record_mark(admin, SCHOOL, JID, STUDENT_ID, ANOTHER_LESSON.id, 2, "test")
    now = propose_period_mark(_state(service)[0], STUDENT_ID, COURSE.id, PERIOD.id, service.policy)
    then = propose_period_mark(
        service.journal_as_of(admin, SCHOOL, JID, t0), STUDENT_ID, COURSE.id, PERIOD.id, service.policy
    )
    assert now.mean is not None
    assert before.mean is not None
    assert now.mean < before.mean
    assert then.value == before.value
    assert then.mean == before.mean


# ---------------------------------------------------------------------------------------------- schools are tenants
def _two_schools() -> JournalService:
    """The usual storage plus school B, whose teacher and parent have the ids of school A's."""
    from ejournal.core import School

    service = _service()
    with service.storage.unit_of_work() as uow:
        uow.schools.add(School(OTHER_SCHOOL, "Школа Б"))
        uow.people.add_teacher(OTHER_SCHOOL, Teacher(str(COURSE.teacher_id), PersonName("Двойник", "Дамир")))
        uow.people.add_parent(OTHER_SCHOOL, Parent("p-own", PersonName("Тёзка", "Тимур"), {STUDENT_ID}))
        uow.commit()
    return service


def _everything(service: JournalService) -> bytes:
    return service.backup_all(ACTORS["region"])


def test_a_teacher_of_another_school_with_the_same_id_cannot_record_a_mark() -> None:
    service = _two_schools()
    intruder = ACTORS["foreign_subject_teacher"]
    assert intruder.id == COURSE.teacher_id  # the very id that teaches the course in school A
    before = _everything(service)
    with pytest.raises(PermissionDenied, match="another school") as refused:
        service.record_mark(intruder, SCHOOL, JID, STUDENT_ID, ANOTHER_LESSON.id, 5, MARK.work_type_id)
    assert OTHER_SCHOOL in str(refused.value)
    with pytest.raises(PermissionDenied):
        service.correct_mark(intruder, SCHOOL, JID, MARK.id, 2 if MARK.value != 2 else 3)
    assert _everything(service) == before
    # The same person acting in their own school is refused nothing by tenancy (school A's id works there).
    service.record_mark(ACTORS["subject_teacher"], SCHOOL, JID, STUDENT_ID, ANOTHER_LESSON.id, 5, MARK.work_type_id)


def test_an_administrator_of_another_school_cannot_export_edit_or_back_it_up() -> None:
    service = _two_schools()
    intruder = ACTORS["foreign_admin"]
    year = BASE.class_group.year
    before = _everything(service)
    attempts: list[Callable[[], object]] = [
        lambda: service.school_year(intruder, SCHOOL, year),
        lambda: service.export_document(intruder, SCHOOL, year, Path(tempfile.mkdtemp()) / "a.json"),
        lambda: service.correct_mark(intruder, SCHOOL, JID, MARK.id, 2 if MARK.value != 2 else 3, reason="x"),
        lambda: service.close_period(intruder, SCHOOL, JID, PERIOD.id),
        lambda: service.backup(intruder, SCHOOL),
        lambda: service.backup_all(intruder),
        lambda: service.journals(intruder, SCHOOL),
        lambda: service.history(intruder, SCHOOL, JID),
        lambda: service.import_school_year(intruder, service.school_year(ACTORS["admin"], SCHOOL, year), replace=True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _everything(service) == before


def test_a_school_backup_holds_that_school_only_and_the_whole_storage_needs_the_region_role() -> None:
    from ejournal.storage.document import read_backup

    service = _two_schools()
    own = read_backup(service.backup(ACTORS["admin"]))
    assert {e.school.id for e in own.schools} == {SCHOOL}
    foreign = read_backup(service.backup(ACTORS["foreign_admin"]))
    assert {e.school.id for e in foreign.schools} == {OTHER_SCHOOL}
    assert [sy.school.id for sy in foreign.years] == []
    everything = read_backup(service.backup_all(ACTORS["region"]))
    assert {e.school.id for e in everything.schools} == {SCHOOL, OTHER_SCHOOL}
    for role in ("admin", "foreign_admin", "foreign_system"):
        with pytest.raises(PermissionDenied):
            service.backup_all(ACTORS[role])
    # Restoring several schools is the region's too; a school's own backup is its administrator's.
    data = service.backup_all(ACTORS["region"])
    with pytest.raises(PermissionDenied):
        JournalService(MemoryStorage(), service.policy).restore(ACTORS["admin"], data)
    with pytest.raises(PermissionDenied):
        JournalService(MemoryStorage(), service.policy).restore(
            ACTORS["foreign_admin"], service.backup(ACTORS["admin"])
        )
    JournalService(MemoryStorage(), service.policy).restore(ACTORS["region"], data)


def test_the_parent_record_and_every_read_need_a_valid_actor_of_the_school() -> None:
    from typing import cast

    service = _two_schools()
    assert service.parent(ACTORS["parent"], SCHOOL, "p-own") == Parent(
        "p-own", PersonName("Родитель", "Ринат"), {STUDENT_ID}
    )
    assert service.parent(ACTORS["admin"], SCHOOL, "p-nobody") is None
    # School B's parent with the same id reads school B's record, never school A's.
    assert service.parent(ACTORS["foreign_parent"], OTHER_SCHOOL, "p-own") == Parent(
        "p-own", PersonName("Тёзка", "Тимур"), {STUDENT_ID}
    )
    for who in ("foreign_parent", "foreign_admin", "schoolless_admin", "other_parent", "student"):
        with pytest.raises(PermissionDenied):
            service.parent(ACTORS[who], SCHOOL, "p-own")
    nobody = cast(Actor, None)
    for name in sorted(READS):
        call, _ = USE_CASES[name]
        with pytest.raises(PermissionDenied):
            call(service, nobody)
    with pytest.raises(PermissionDenied):
        service.parent(nobody, SCHOOL, "p-own")


def test_sheets_take_the_order_of_their_locale_without_a_collator() -> None:
    service = _service()
    admin = ACTORS["admin"]
    for locale in ("ru", "tt"):
        default = service.summary_sheet(admin, SCHOOL, JID, locale=locale)
        explicit = service.summary_sheet(admin, SCHOOL, JID, collator=collator(locale))
        assert [r.student_id for r in default.rows] == [r.student_id for r in explicit.rows]
        assert default.content_hash == explicit.content_hash
    assert service.render_sheet(admin, SCHOOL, JID, "csv", locale="tt") == service.render_sheet(
        admin, SCHOOL, JID, "csv", locale="tt", collator=collator("tt")
    )
    from ejournal.core import InvalidInput

    with pytest.raises(InvalidInput):  # the locale, not a fixed language, picks the order
        service.summary_sheet(admin, SCHOOL, JID, locale="xx")
