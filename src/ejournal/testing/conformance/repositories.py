"""Scenarios for the school, people and journal repositories."""

from __future__ import annotations

import itertools
from datetime import date, datetime

import pytest

from ejournal.core.calendar import AcademicYear, quarters
from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.journal import Actor, ClassJournal, FixedClock, Role
from ejournal.core.model import ClassGroup, Course, Lesson, Parent, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import WorkType
from ejournal.storage.memory import copy_journal
from ejournal.storage.ports import Storage
from ejournal.testing.conformance._base import ContractBase
from ejournal.testing.conformance.builders import MSK, sample_journal, sample_parents, sample_school, sample_teachers

__all__ = ["JournalRepositoryContract", "PeopleRepositoryContract", "SchoolRepositoryContract", "add_school"]


def add_school(storage: Storage, school: School) -> None:
    """Add ``school`` in its own unit of work and commit."""
    with storage.unit_of_work() as uow:
        uow.schools.add(school)
        uow.commit()


_TRANSLIT = {"a": "А", "b": "Б", "v": "В", "g": "Г", "d": "Д", "e": "Е"}


def _class_of(journal_id: str) -> tuple[int, str]:
    digits = "".join(itertools.takewhile(str.isdigit, journal_id))
    rest = journal_id[len(digits) : len(digits) + 1]
    if digits and 1 <= int(digits) <= 11 and rest in _TRANSLIT:
        return int(digits), _TRANSLIT[rest]
    return 5, "В"


def small_journal(school: School, journal_id: str = "5v-2024", year: AcademicYear | None = None) -> ClassJournal:
    """A minimal journal: one student, one course, one lesson and one mark pending.

    The class is read from ``journal_id`` ("7b-2024" is class 7Б, as the Latin transliteration
    goes), so journals of different ids are different classes; other ids give class 5В.
    """
    year = year or AcademicYear(2024)
    grade, letter = _class_of(journal_id)
    q = quarters(year)
    j = ClassJournal(
        school,
        ClassGroup(journal_id, grade, letter, year),
        students={"s1": Student("s1", PersonName("Гарипова", "Алсу"), year.start)},
        subjects={"rus": Subject("rus", "Русский язык", 1)},
        courses={"c-rus": Course("c-rus", "rus", None, 4, q.id)},
        schemes={q.id: q},
        work_types={"cw": WorkType("cw", "Работа на уроке")},
        clock=FixedClock(datetime(year.start_year, 9, 2, 9, 0, 0, 250_000, tzinfo=MSK)),
    )
    by = Actor("t1", Role.SUBJECT_TEACHER)
    day = date(year.start_year, 9, 2)
    j.add_lesson(Lesson("l1", "c-rus", day, "Звуки и буквы"), by=by)
    j.record_mark("s1", "l1", 4, "cw", by=by, mark_id="m1")
    return j


class SchoolRepositoryContract(ContractBase):
    """``uow.schools``: add, get, update, list; NotFound and InvalidInput where the port says."""

    def test_added_school_is_read_back_equal(self, storage: Storage) -> None:
        school = sample_school()
        add_school(storage, school)
        with storage.unit_of_work() as uow:
            assert uow.schools.get(school.id) == school

    def test_get_unknown_school_raises_not_found(self, storage: Storage) -> None:
        add_school(storage, sample_school("s-a"))
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.schools.get("s-missing")

    def test_adding_an_existing_id_raises_invalid_input(self, storage: Storage) -> None:
        add_school(storage, sample_school("s-a"))
        with storage.unit_of_work() as uow, pytest.raises(InvalidInput):
            uow.schools.add(School("s-a", "Другая школа"))
        with storage.unit_of_work() as uow:
            assert uow.schools.get("s-a") == sample_school("s-a")

    def test_update_replaces_the_school(self, storage: Storage) -> None:
        add_school(storage, sample_school("s-a"))
        renamed = School("s-a", "МБОУ «Лицей № 2»", "2нче лицей", director=PersonName("Ёлкин", "Фёдор"))
        with storage.unit_of_work() as uow:
            uow.schools.update(renamed)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.schools.get("s-a") == renamed

    def test_update_unknown_school_raises_not_found(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.schools.update(sample_school("s-missing"))

    def test_list_returns_every_school_by_id(self, storage: Storage) -> None:
        schools = [School(sid, f"Школа {sid}") for sid in ("s-c", "s-a", "s-b")]
        with storage.unit_of_work() as uow:
            assert uow.schools.list() == []
            for s in schools:
                uow.schools.add(s)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert [s.id for s in uow.schools.list()] == ["s-a", "s-b", "s-c"]
            assert set(uow.schools.list()) == set(schools)


class PeopleRepositoryContract(ContractBase):
    """``uow.people``: teachers and parents, scoped by school."""

    def test_teachers_are_read_back_equal_and_listed_by_id(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        teachers = sample_teachers()
        with storage.unit_of_work() as uow:
            for tid in sorted(teachers, reverse=True):
                uow.people.add_teacher("s-kzn-1", teachers[tid])
            uow.commit()
        with storage.unit_of_work() as uow:
            for tid, t in teachers.items():
                assert uow.people.get_teacher("s-kzn-1", tid) == t
            assert uow.people.list_teachers("s-kzn-1") == [teachers[k] for k in sorted(teachers)]

    def test_add_teacher_replaces_one_with_the_same_id(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.people.add_teacher("s-kzn-1", Teacher("t-1", PersonName("Иванова", "Мария")))
            uow.commit()
        married = Teacher("t-1", PersonName("Шәрәфиева", "Мария"))
        with storage.unit_of_work() as uow:
            uow.people.add_teacher("s-kzn-1", married)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.people.list_teachers("s-kzn-1") == [married]

    def test_parents_keep_their_children(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        parents = sample_parents()
        with storage.unit_of_work() as uow:
            for p in parents.values():
                uow.people.add_parent("s-kzn-1", p)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.people.get_parent("s-kzn-1", "p-2").children == frozenset({"st-2", "st-10-1"})
            assert uow.people.list_parents("s-kzn-1") == [parents[k] for k in sorted(parents)]

    def test_add_parent_replaces_the_children(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.people.add_parent("s-kzn-1", Parent("p-9", PersonName("Һадиева", "Рәйсә"), {"a", "b"}))
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.people.add_parent("s-kzn-1", Parent("p-9", PersonName("Һадиева", "Рәйсә"), {"c"}))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.people.get_parent("s-kzn-1", "p-9").children == frozenset({"c"})

    def test_unknown_people_raise_not_found(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.people.get_teacher("s-kzn-1", "t-missing")
            with pytest.raises(NotFound):
                uow.people.get_parent("s-kzn-1", "p-missing")

    def test_adding_people_to_an_unknown_school_raises_not_found(self, storage: Storage) -> None:
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.people.add_teacher("s-missing", sample_teachers()["t-math"])
            with pytest.raises(NotFound):
                uow.people.add_parent("s-missing", sample_parents()["p-1"])

    def test_people_are_scoped_by_school(self, storage: Storage) -> None:
        add_school(storage, sample_school("s-a"))
        add_school(storage, sample_school("s-b"))
        teacher = sample_teachers()["t-math"]
        with storage.unit_of_work() as uow:
            uow.people.add_teacher("s-a", teacher)
            uow.people.add_parent("s-a", sample_parents()["p-1"])
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.people.list_teachers("s-b") == []
            assert uow.people.list_parents("s-b") == []
            with pytest.raises(NotFound):
                uow.people.get_teacher("s-b", teacher.id)
            assert uow.people.list_teachers("s-a") == [teacher]


class JournalRepositoryContract(ContractBase):
    """``uow.journals``: add, get, save, list_ids, years, list; versions; copies, not shared objects."""

    def test_added_journal_is_read_back_equal(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = sample_journal()
        expected = copy_journal(journal).snapshot()
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            uow.commit()
        assert journal.version == 1
        assert journal.pending_changes == []
        with storage.unit_of_work() as uow:
            loaded = uow.journals.get("s-kzn-1", journal.id)
        assert loaded.snapshot() == expected
        assert loaded.version == 1
        assert loaded.pending_changes == []

    def test_get_unknown_journal_raises_not_found(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(sample_school()))
            uow.commit()
        with storage.unit_of_work() as uow:
            with pytest.raises(NotFound):
                uow.journals.get("s-kzn-1", "missing-journal")
            with pytest.raises(NotFound):
                uow.journals.get("s-missing", "5v-2024")

    def test_adding_an_existing_journal_raises_invalid_input(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(sample_school()))
            uow.commit()
        with storage.unit_of_work() as uow, pytest.raises(InvalidInput):
            uow.journals.add(small_journal(sample_school()))

    def test_save_stores_the_changes_and_increments_the_version(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(sample_school()))
            uow.commit()
        for expected_version in (2, 3):
            with storage.unit_of_work() as uow:
                j = uow.journals.get("s-kzn-1", "5v-2024")
                j.clock = FixedClock(datetime(2024, 9, 3, 10, tzinfo=MSK))
                j.record_mark("s1", "l1", expected_version, "cw", by=Actor("t1", Role.SUBJECT_TEACHER))
                uow.journals.save(j)
                assert j.version == expected_version
                assert j.pending_changes == []
                expected = copy_journal(j).snapshot()
                uow.commit()
            with storage.unit_of_work() as uow:
                loaded = uow.journals.get("s-kzn-1", "5v-2024")
                assert loaded.version == expected_version
                assert loaded.snapshot() == expected
        assert sorted((m.value for m in loaded.marks.values()), key=str) == [2, 3, 4]

    def test_version_is_the_stored_version_without_loading(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(sample_school()))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.version("s-kzn-1", "5v-2024") == 1
            j = uow.journals.get("s-kzn-1", "5v-2024")
            j.clock = FixedClock(datetime(2024, 9, 3, 10, tzinfo=MSK))
            j.record_mark("s1", "l1", 5, "cw", by=Actor("t1", Role.SUBJECT_TEACHER))
            uow.journals.save(j)
            assert uow.journals.version("s-kzn-1", "5v-2024") == 2
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.version("s-kzn-1", "5v-2024") == uow.journals.get("s-kzn-1", "5v-2024").version == 2
            with pytest.raises(NotFound):
                uow.journals.version("s-kzn-1", "missing-journal")
            with pytest.raises(NotFound):
                uow.journals.version("s-missing", "5v-2024")

    def test_saving_an_unknown_journal_raises_not_found(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = small_journal(sample_school())
        journal.version = 1
        with storage.unit_of_work() as uow, pytest.raises(NotFound):
            uow.journals.save(journal)

    def test_list_ids_and_list_filter_by_school_and_year(self, storage: Storage) -> None:
        a, b = sample_school("s-a"), sample_school("s-b")
        add_school(storage, a)
        add_school(storage, b)
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(a, "7b-2024"))
            uow.journals.add(small_journal(a, "5v-2024"))
            uow.journals.add(small_journal(a, "5v-2023", AcademicYear(2023)))
            uow.journals.add(small_journal(b, "1a-2024"))
            uow.commit()
        y24 = AcademicYear(2024)
        with storage.unit_of_work() as uow:
            assert uow.journals.list_ids("s-a") == ["5v-2023", "5v-2024", "7b-2024"]
            assert uow.journals.list_ids("s-a", y24) == ["5v-2024", "7b-2024"]
            assert uow.journals.list_ids("s-a", AcademicYear(2022)) == []
            assert uow.journals.list_ids("s-b") == ["1a-2024"]
            loaded = uow.journals.list("s-a", y24)
        assert [j.id for j in loaded] == ["5v-2024", "7b-2024"]
        assert loaded[0] == small_journal(a, "5v-2024")
        assert all(j.version == 1 and j.pending_changes == [] for j in loaded)

    def test_classes_lists_the_class_groups_without_loading_journals(self, storage: Storage) -> None:
        a, b = sample_school("s-a"), sample_school("s-b")
        add_school(storage, a)
        add_school(storage, b)
        journals = [
            small_journal(a, "7b-2024"),
            small_journal(a, "5v-2024"),
            small_journal(a, "5v-2023", AcademicYear(2023)),
            small_journal(b, "1a-2024"),
        ]
        with storage.unit_of_work() as uow:
            assert uow.journals.classes("s-a") == []
            for j in journals:
                uow.journals.add(j)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.classes("s-a", AcademicYear(2024)) == [journals[1].class_group, journals[0].class_group]
            assert uow.journals.classes("s-a") == [
                journals[2].class_group,
                journals[1].class_group,
                journals[0].class_group,
            ]
            assert uow.journals.classes("s-b") == [journals[3].class_group]
            assert uow.journals.classes("s-unknown") == []

    def test_years_lists_the_schools_years_oldest_first(self, storage: Storage) -> None:
        a, b = sample_school("s-a"), sample_school("s-b")
        add_school(storage, a)
        add_school(storage, b)
        with storage.unit_of_work() as uow:
            assert uow.journals.years("s-a") == []
            uow.journals.add(small_journal(a, "7b-2024"))
            uow.journals.add(small_journal(a, "5v-2024"))
            uow.journals.add(small_journal(a, "5v-2023", AcademicYear(2023)))
            uow.journals.add(small_journal(b, "1a-2021", AcademicYear(2021)))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert uow.journals.years("s-a") == [AcademicYear(2023), AcademicYear(2024)]
            assert uow.journals.years("s-b") == [AcademicYear(2021)]
            assert uow.journals.years("s-unknown") == []

    def test_the_same_journal_id_in_two_schools_is_two_journals(self, storage: Storage) -> None:
        a, b = sample_school("s-a"), sample_school("s-b")
        add_school(storage, a)
        add_school(storage, b)
        with storage.unit_of_work() as uow:
            uow.journals.add(small_journal(a))
            uow.journals.add(small_journal(b))
            uow.commit()
        with storage.unit_of_work() as uow:
            jb = uow.journals.get("s-b", "5v-2024")
            jb.clock = FixedClock(datetime(2024, 9, 5, 12, tzinfo=MSK))
            jb.delete_mark("m1", by=Actor("t1", Role.SUBJECT_TEACHER))
            uow.journals.save(jb)
            uow.commit()
        with storage.unit_of_work() as uow:
            assert set(uow.journals.get("s-a", "5v-2024").marks) == {"m1"}
            assert uow.journals.get("s-a", "5v-2024").version == 1
            assert uow.journals.get("s-b", "5v-2024").marks == {}
            assert uow.journals.get("s-b", "5v-2024").school == b

    def test_stored_state_is_not_shared_with_callers_objects(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        journal = small_journal(sample_school())
        expected = copy_journal(journal).snapshot()
        by = Actor("t1", Role.SUBJECT_TEACHER)
        with storage.unit_of_work() as uow:
            uow.journals.add(journal)
            journal.record_mark("s1", "l1", 2, "cw", by=by, mark_id="m-after-add")
            uow.commit()
        journal.record_mark("s1", "l1", 3, "cw", by=by, mark_id="m-after-commit")
        with storage.unit_of_work() as uow:
            first = uow.journals.get("s-kzn-1", journal.id)
            first.record_mark("s1", "l1", 5, "cw", by=by, mark_id="m-not-saved")
            first.students.clear()
            second = uow.journals.get("s-kzn-1", journal.id)
            assert second.snapshot() == expected
        with storage.unit_of_work() as uow:
            assert uow.journals.get("s-kzn-1", journal.id).snapshot() == expected

    def test_a_loaded_journal_accepts_commands(self, storage: Storage) -> None:
        add_school(storage, sample_school())
        with storage.unit_of_work() as uow:
            uow.journals.add(sample_journal())
            uow.commit()
        with storage.unit_of_work() as uow:
            j = uow.journals.get("s-kzn-1", "9a-2025")
            j.clock = FixedClock(datetime(2025, 11, 20, 8, 30, tzinfo=MSK))
            j.record_mark("st-3", "l-m3", 5, "test", by=Actor("t-math", Role.SUBJECT_TEACHER), mark_id="m-new")
            assert [m.id for m in j.marks_of("st-3", "c-math")] == ["m-6", "m-new"]
