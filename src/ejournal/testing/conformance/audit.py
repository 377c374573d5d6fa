"""Scenarios for the audit log: written with the journal, append-only, queryable, transactional."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from ejournal.core.journal import (
    Action,
    Actor,
    AdmissionTest,
    AttendanceRecord,
    Change,
    Decision,
    FixedClock,
    Mark,
    PeriodClosure,
    ResultMark,
    Retake,
    Role,
)
from ejournal.core.model import ClassGroup, Course, Lesson, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import Status
from ejournal.storage.ports import Capability, Storage
from ejournal.testing.conformance._base import ContractBase, requires
from ejournal.testing.conformance.builders import ADMIN, MSK, sample_journal, sample_school, sample_school_year, seed
from ejournal.testing.conformance.repositories import add_school

__all__ = ["AuditLogContract"]

_MATH = Actor("t-math", Role.SUBJECT_TEACHER)


def _in_append_order(changes: list[Change]) -> list[Change]:
    """The log as appended: the order a query must give back, whatever the times say."""
    return list(changes)


class AuditLogContract(ContractBase):
    """``uow.audit`` and the changes that ``journals.add``/``journals.save`` write into it."""

    def test_adding_a_journal_writes_its_pending_changes(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        changes = list(journal.pending_changes)
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.audit.query("s-kzn-1") == changes

    def test_every_record_kind_round_trips_in_changes(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        changes = list(journal.pending_changes)
        kinds = {type(r) for c in changes for r in (c.before, c.after) if r is not None}
        assert kinds == {Mark, AttendanceRecord, ResultMark, Decision, Lesson, PeriodClosure, AdmissionTest}
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            stored = uow.audit.query("s-kzn-1")
        assert len(stored) == len(changes)
        for got, want in zip(stored, changes, strict=True):
            assert got == want
            assert type(got.before) is type(want.before)
            assert type(got.after) is type(want.after)
            assert got.at.utcoffset() is not None

    def test_roster_changes_and_school_level_entries_round_trip(self, storage: Storage) -> None:
        school = sample_school()
        add_school(storage, school)
        with storage.unit_of_work() as uow:
            uow.journals.add(sample_journal())
            uow.commit()
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 3, 2, 9, 0, 0, 500, tzinfo=MSK))
            physics = Teacher("t-phys-2", PersonName("Гиниятуллин", "Марат"))
            scheme = j.courses["c-math"].scheme_id
            [
                j.add_subject(Subject("phys", "Физика", 7), by=ADMIN),
                j.add_course(Course("c-phys", "phys", "t-phys-2", 2, scheme), teacher=physics, by=ADMIN),
                j.change_teacher("c-math", None, by=ADMIN, reason="учитель уволился"),
                j.appoint_class_teacher("t-math", by=ADMIN),
                j.enrol(
                    Student("st-9", PersonName("Юнусова", "Ләйсән"), date(2026, 3, 2), arrival_order="57-у"), by=ADMIN
                ),
                j.withdraw("st-4", date(2026, 3, 1), "58-у", by=ADMIN),
                j.edit_student(
                    Student("st-9", PersonName("Юнусова", "Ләйсән", "Ильдаровна"), date(2026, 3, 2)), by=ADMIN
                ),
            ]
            roster = list(j.pending_changes)
            uow.journals.save(j)
            moved = School(
                school.id, school.name_ru + " (новое здание)", school.name_tt, school.director, "ул. Новая, 1"
            )
            school_level = Change("", ADMIN.id, ADMIN.role, j.clock.now(), Action.EDIT_SCHOOL, school, moved)
            uow.audit.append(school.id, [school_level])
            uow.commit()
        with storage.unit_of_work() as uow:
            log = uow.audit.query("s-kzn-1")
            journal_level = uow.audit.query("s-kzn-1", journal_id="9a-2025")
            only_school = uow.audit.query("s-kzn-1", journal_id="")
            reloaded = uow.journals.get("s-kzn-1", "9a-2025")
        kinds = {type(r) for c in roster for r in (c.before, c.after) if r is not None}
        assert kinds == {Student, Course, Subject, Teacher, ClassGroup}
        assert [c.action for c in roster][:3] == [Action.ADD_SUBJECT, Action.ADD_TEACHER, Action.ADD_COURSE]
        assert log[-len(roster) - 1 :] == [*roster, school_level]
        assert only_school == [school_level]
        assert journal_level[-len(roster) :] == roster
        for got, want in zip(log[-len(roster) - 1 :], [*roster, school_level], strict=True):
            assert type(got.before) is type(want.before)
            assert type(got.after) is type(want.after)
        assert reloaded.students["st-4"].departure_order == "58-у"
        assert reloaded.courses["c-math"].teacher_id is None
        assert reloaded.class_group.class_teacher_id == "t-math"
        assert "t-phys-2" in reloaded.teachers

    def test_retakes_of_a_debt_are_stored_with_the_journal_and_audited(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(sample_journal())
            uow.commit()
        commission = ("Җәлилова Г. Ф.", "Иванова М. П.", "Галиев А. И.")
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 6, 1, 9, tzinfo=MSK))
            j.set_annual_mark("st-2", "c-math", Status.NOT_CERTIFIED, by=ADMIN, reason="не аттестована")
            j.record_retake(Retake("st-2", "c-math", 1, date(2026, 8, 28), 2, "пр. 1"), by=ADMIN)
            j.record_retake(Retake("st-2", "c-math", 2, date(2026, 9, 15), 4, "пр. 2", commission), by=ADMIN)
            expected, changes = dict(j.retakes), list(j.pending_changes)
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            reloaded = uow.journals.get("s-kzn-1", "9a-2025")
            log = uow.audit.query("s-kzn-1", student_id="st-2")
        assert reloaded.retakes == expected
        assert expected[("st-2", "c-math", 1)].owed is Status.NOT_CERTIFIED
        assert expected[("st-2", "c-math", 2)].commission == commission
        assert log[-len(changes) :] == changes
        assert [c.action for c in changes][-3:] == [Action.RECORD_RETAKE, Action.RECORD_RETAKE, Action.SET_RESULT]

    def test_marks_brought_on_an_extract_are_stored_and_audited(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(sample_journal())
            uow.commit()
        source = "МБОУ «Лицей № 2», выписка № 7 от 09.09.2025"
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2025, 9, 10, 9, tzinfo=MSK))
            why = "выписка получена после закрытия четверти"  # q1 is closed in the sample journal
            j.bring_mark("st-3", "c-math", date(2025, 9, 4), 5, "test", source, by=ADMIN, mark_id="b-1", reason=why)
            j.bring_mark("st-3", "c-math", date(2025, 9, 8), 3, "cw", source, by=ADMIN, reason=why)
            expected, changes = dict(j.brought_marks), list(j.pending_changes)
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            reloaded = uow.journals.get("s-kzn-1", "9a-2025")
            log = uow.audit.query("s-kzn-1", student_id="st-3", period_id="q1")
        assert reloaded.brought_marks == expected
        assert len(expected) == 2
        assert log[-2:] == changes
        assert [c.action for c in changes] == [Action.BRING_MARK, Action.BRING_MARK]

    def test_save_appends_the_new_changes_after_the_earlier_ones(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        first = list(journal.pending_changes)
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 5, 25, 14, 0, 0, 999_999, tzinfo=MSK))
            later = [
                j.delete_mark("m-1", by=ADMIN, reason="ошибочно выставлена"),
                j.record_mark("st-2", "l-m3", 5, "test", by=_MATH, mark_id="m-new"),
            ]
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            log = uow.audit.query("s-kzn-1")
        assert log == first + later
        deleted = log[-2]
        assert deleted.action is Action.DELETE_MARK
        assert deleted.after is None
        assert isinstance(deleted.before, Mark)
        assert deleted.before.id == "m-1"

    def test_the_log_is_append_only(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        recorded = [c for c in journal.pending_changes if c.action is Action.RECORD_MARK and c.after is not None]
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            before = uow.audit.query("s-kzn-1")
            before.clear()
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 5, 26, 9, tzinfo=MSK))
            for c in recorded:
                assert isinstance(c.after, Mark)
                if c.after.id in j.marks:
                    j.delete_mark(c.after.id, by=ADMIN, reason="очистка")
            uow.journals.save(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            log = uow.audit.query("s-kzn-1")
            assert uow.journals.get("s-kzn-1", "9a-2025").marks == {}
        for c in recorded:
            assert c in log

    def test_appended_changes_are_queried_back_in_append_order(self, storage: Storage) -> None:
        """Times that go backwards (a clock reset, a restored backup) do not reorder the log."""
        add_school(storage, sample_school())
        base = datetime(2025, 10, 1, 12, 0, 0, 1, tzinfo=MSK)

        def change(minutes: int, journal_id: str, reason: str) -> Change:
            return Change(
                journal_id,
                "adm-1",
                Role.ADMINISTRATOR,
                base + timedelta(minutes=minutes),
                Action.CLOSE_PERIOD,
                None,
                PeriodClosure("q1"),
                reason,
                period_id="q1",
            )

        late, tie_a, tie_b, early = (
            change(30, "9a-2025", "поздно"),
            change(10, "9a", "А"),
            change(10, "9b", "Б"),
            change(0, "9c", "рано"),
        )
        with storage.unit_of_work() as uow:
            uow.audit.append("s-kzn-1", [late, tie_a])
            uow.audit.append("s-kzn-1", [tie_b, early])
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.audit.query("s-kzn-1") == [late, tie_a, tie_b, early]
            assert uow.audit.query("s-kzn-1", since=base + timedelta(minutes=5)) == [late, tie_a, tie_b]

    def test_query_filters_by_journal_student_course_period_and_time(self, storage: Storage) -> None:
        school_year = sample_school_year()
        seed(storage, school_year)
        log = _in_append_order(list(school_year.audit))
        mid = log[len(log) // 3].at + timedelta(microseconds=1)
        end = log[2 * len(log) // 3].at + timedelta(microseconds=1)
        mid_elsewhere = mid.astimezone(timezone(timedelta(hours=-5)))
        with storage.unit_of_work() as uow:
            q = uow.audit.query
            assert q("s-kzn-1") == log
            assert q("s-kzn-1", journal_id="10b-2025") == [c for c in log if c.journal_id == "10b-2025"]
            assert q("s-kzn-1", student_id="st-4") == [c for c in log if c.student_id == "st-4"]
            assert q("s-kzn-1", course_id="c-tat") == [c for c in log if c.course_id == "c-tat"]
            assert q("s-kzn-1", period_id="q1") == [c for c in log if c.period_id == "q1"]
            assert q("s-kzn-1", since=mid) == [c for c in log if c.at >= mid]
            assert q("s-kzn-1", until=mid) == [c for c in log if c.at <= mid]
            assert q("s-kzn-1", since=mid_elsewhere) == [c for c in log if c.at >= mid]
            assert q("s-kzn-1", since=mid, until=end) == [c for c in log if mid <= c.at <= end]
            assert q("s-kzn-1", journal_id="9a-2025", course_id="c-math", period_id="q1", student_id="st-4") == [
                c
                for c in log
                if (c.journal_id, c.course_id, c.period_id, c.student_id) == ("9a-2025", "c-math", "q1", "st-4")
            ]
            assert q("s-kzn-1", student_id="nobody") == []
            assert q("s-kzn-1", until=datetime(2000, 1, 1, tzinfo=UTC)) == []
        for filtered in ("10b-2025", "st-4", "c-tat", "q1"):
            assert any(filtered in (c.journal_id, c.student_id, c.course_id, c.period_id) for c in log)

    def test_the_log_is_scoped_by_school(self, storage: Storage) -> None:
        add_school(storage, sample_school("s-a"))
        add_school(storage, sample_school("s-b"))
        journal = sample_journal(sample_school("s-a"))
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.audit.query("s-b") == []
            assert uow.audit.query("s-b", journal_id="9a-2025") == []
            assert len(uow.audit.query("s-a")) > 0

    @requires(Capability.TRANSACTIONS)
    def test_rolled_back_changes_leave_no_audit_entries(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        first = list(journal.pending_changes)
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2026, 5, 25, 14, tzinfo=MSK))
            j.delete_mark("m-2", by=ADMIN, reason="ошибка")
            uow.journals.save(j)
            uow.audit.append("s-kzn-1", [j.delete_mark("m-3", by=ADMIN, reason="ошибка")])
            assert len(uow.audit.query("s-kzn-1")) == len(first) + 2
        with storage.unit_of_work() as uow:
            assert uow.audit.query("s-kzn-1") == first
            assert uow.journals.get("s-kzn-1", "9a-2025").version == 1
