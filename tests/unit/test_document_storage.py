"""Export, import, backup and restore through the storage ports (on the memory backend)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from ejournal.core.calendar import AcademicYear, quarters
from ejournal.core.errors import InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import Action, Actor, ClassJournal, FixedClock, Role
from ejournal.core.model import ClassGroup, Course, Lesson, Parent, PersonName, School, Student, Subject, Teacher
from ejournal.core.scales import WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document import (
    FORMAT_VERSION,
    backup_storage,
    dump_school_year,
    export_school_year,
    import_school_year,
    load_school_year,
    read_backup,
    restore_storage,
)
from ejournal.storage.memory import MemoryStorage

MSK = timezone(timedelta(hours=3))
TEACHER = Actor("t1", Role.SUBJECT_TEACHER)
SCHOOL = School("s1", "МБОУ СОШ №1")
T1 = Teacher("t1", PersonName("Иванова", "Мария"))


def school_year(start_year: int = 2025, school: School = SCHOOL, label: str = "9a", marks: int = 2) -> SchoolYear:
    """One class of ``school`` in ``start_year``, with a lesson, ``marks`` marks and their audit."""
    year = AcademicYear(start_year)
    q = quarters(year)
    jid = f"{label}-{start_year}"
    journal = ClassJournal(
        school,
        ClassGroup(jid, 9, "А", year, "t1"),
        students={f"st{i}": Student(f"st{i}", PersonName("Вәлиев", f"Айдар{i}"), year.start) for i in range(marks)},
        teachers={"t1": T1},
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c-math": Course("c-math", "math", "t1", 5, q.id)},
        schemes={q.id: q},
        work_types={"cw": WorkType("cw", "классная")},
        clock=FixedClock(datetime(start_year, 9, 2, 10, tzinfo=MSK)),
    )
    journal.add_lesson(Lesson("l1", "c-math", date(start_year, 9, 2), "Дроби"), by=TEACHER)
    for i in range(marks):
        journal.record_mark(f"st{i}", "l1", 5 - i % 3, "cw", by=TEACHER)
    parents = {"p1": Parent("p1", PersonName("Вәлиева", "Гөлнара"), {"st0"})}
    return SchoolYear(school, year, {"t1": T1}, parents, {jid: journal}, list(journal.pending_changes))


@pytest.fixture
def storage() -> Iterator[MemoryStorage]:
    s = MemoryStorage()
    yield s
    s.close()


def _content(sy: SchoolYear) -> dict[str, Any]:
    """The document of ``sy`` without the storage-assigned journal versions."""
    doc: dict[str, Any] = json.loads(dump_school_year(sy))
    for j in doc["journals"]:
        j["version"] = 0
    return doc


def _is_empty(storage: MemoryStorage) -> bool:
    with storage.unit_of_work() as uow:
        return uow.schools.list() == []


# ------------------------------------------------------------------------------------------------ import/export
def test_import_then_export_gives_back_the_year(storage: MemoryStorage) -> None:
    sy = school_year()
    import_school_year(storage, sy)
    out = export_school_year(storage, "s1", AcademicYear(2025))
    assert _content(out) == _content(sy)
    assert out.audit == sy.audit  # appended once, not twice
    assert [j.version for j in out.journals.values()] == [1]  # the storage numbers versions
    assert all(not j.pending_changes for j in out.journals.values())


def test_import_does_not_touch_the_callers_journals(storage: MemoryStorage) -> None:
    sy = school_year()
    pending = list(sy.journals["9a-2025"].pending_changes)
    import_school_year(storage, sy)
    assert sy.journals["9a-2025"].pending_changes == pending
    assert sy.journals["9a-2025"].version == 0


def test_export_round_trips_through_the_document(storage: MemoryStorage) -> None:
    import_school_year(storage, school_year())
    first = dump_school_year(export_school_year(storage, "s1", AcademicYear(2025)))
    other = MemoryStorage()
    import_school_year(other, load_school_year(first))
    assert dump_school_year(export_school_year(other, "s1", AcademicYear(2025))) == first


def test_export_of_an_unknown_school_is_not_found(storage: MemoryStorage) -> None:
    with pytest.raises(NotFound):
        export_school_year(storage, "nope", AcademicYear(2025))


def test_export_keeps_only_the_years_journals_and_their_audit(storage: MemoryStorage) -> None:
    import_school_year(storage, school_year(2024))
    import_school_year(storage, school_year(2025))  # same school, equal people: no replace needed
    out = export_school_year(storage, "s1", AcademicYear(2024))
    assert list(out.journals) == ["9a-2024"]
    assert {c.journal_id for c in out.audit} == {"9a-2024"}
    assert len(out.audit) == 3  # add_lesson + two marks


def test_importing_an_existing_journal_needs_replace_and_writes_nothing(storage: MemoryStorage) -> None:
    import_school_year(storage, school_year())
    changed = school_year(marks=3)
    renamed = attrs.evolve(T1, name=PersonName("Петрова", "Мария"))
    changed.teachers["t1"] = renamed
    with pytest.raises(InvalidInput) as info:
        import_school_year(storage, changed)
    assert {p.where for p in info.value.problems} == {"$.teachers[0]", "$.journals[0].class_group.id"}
    still = export_school_year(storage, "s1", AcademicYear(2025))
    assert len(still.journals["9a-2025"].marks) == 2
    assert still.teachers["t1"] == T1


def test_replace_overwrites_and_does_not_duplicate_the_audit(storage: MemoryStorage) -> None:
    first = school_year()
    import_school_year(storage, first)
    bigger = school_year(marks=3)
    admin = Actor("director", Role.ADMINISTRATOR, "s1")
    at = datetime(2025, 10, 1, 9, tzinfo=MSK)
    import_school_year(storage, bigger, replace=True, by=admin, at=at)
    out = export_school_year(storage, "s1", AcademicYear(2025))
    assert len(out.journals["9a-2025"].marks) == 3
    assert out.journals["9a-2025"].version == 2  # saved over version 1
    # the first import logged add_lesson + 2 marks, all kept; the replace adds two entries, for the
    # third student (the roster first) and their mark, by whoever replaced, when, naming the
    # versions and content hashes
    assert out.audit[:3] == first.audit
    assert len(out.audit) == 5
    enrolled, added = out.audit[3:]
    assert (enrolled.action, enrolled.before, enrolled.after, enrolled.student_id) == (
        Action.ENROL_STUDENT,
        None,
        bigger.journals["9a-2025"].students["st2"],
        "st2",
    )
    assert enrolled.reason == added.reason
    new_mark = next(m for m in bigger.journals["9a-2025"].marks.values() if m.student_id == "st2")
    assert (added.actor_id, added.actor_role, added.at, added.before, added.after) == (
        "director",
        Role.ADMINISTRATOR,
        at,
        None,
        new_mark,
    )
    assert "version 1" in added.reason
    assert "version 2" in added.reason
    assert added.reason.count("sha256") == 2


def test_an_invalid_year_is_refused_with_document_paths_before_any_write(storage: MemoryStorage) -> None:
    sy = school_year()
    j = sy.journals["9a-2025"]
    j.marks["m1"] = attrs.evolve(j.marks["m1"], value=9)  # bypassing the commands
    second = sorted(j.marks)[1]
    j.marks[second] = attrs.evolve(j.marks[second], entered_at=datetime(2025, 9, 2, 10))
    j.lessons["l1"] = attrs.evolve(j.lessons["l1"], date=date(2027, 1, 1))
    sy.audit[0] = attrs.evolve(sy.audit[0], at=datetime(2025, 9, 2, 10))
    with pytest.raises(InvalidInput) as info:
        import_school_year(storage, sy)
    assert {p.where for p in info.value.problems} == {
        "$.journals[0].marks[0].value",
        "$.journals[0].marks[1].entered_at",
        "$.journals[0].lessons[0].date",
        "$.audit[0].at",
    }
    assert _is_empty(storage)


def test_an_import_that_fails_midway_leaves_nothing(storage: MemoryStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    from ejournal.storage import memory

    def broken(self: object, school_id: str, changes: object) -> None:
        raise StorageUnavailable("memory://", "disk on fire")

    monkeypatch.setattr(memory._Audit, "append", broken)
    with pytest.raises(StorageUnavailable):
        import_school_year(storage, school_year())
    monkeypatch.undo()
    assert _is_empty(storage)


# ------------------------------------------------------------------------------------------------ backup/restore
def _filled() -> MemoryStorage:
    s = MemoryStorage()
    import_school_year(s, school_year(2024))
    import_school_year(s, school_year(2025))
    import_school_year(s, school_year(2025, School("s2", "Гимназия №2"), "5b", marks=1))
    return s


def test_backup_is_a_gzip_bundle_of_every_school_and_year() -> None:
    data = backup_storage(_filled())
    assert data[:2] == b"\x1f\x8b"
    bundle = json.loads(gzip.decompress(data))
    assert (bundle["format_version"], bundle["kind"]) == (FORMAT_VERSION, "backup")
    assert [(d["school"]["id"], d["year"]["start_year"]) for d in bundle["documents"]] == [
        ("s1", 2024),
        ("s1", 2025),
        ("s2", 2025),
    ]
    assert [s["school"]["id"] for s in bundle["schools"]] == ["s1", "s2"]
    assert all(d["kind"] == "school_year" for d in bundle["documents"])


def test_restore_gives_back_the_same_storage() -> None:
    original = _filled()
    data = backup_storage(original)
    restored = MemoryStorage()
    restore_storage(restored, data)
    assert backup_storage(restored) == data
    for school_id, year in (("s1", 2024), ("s1", 2025), ("s2", 2025)):
        a = export_school_year(original, school_id, AcademicYear(year))
        b = export_school_year(restored, school_id, AcademicYear(year))
        assert dump_school_year(a) == dump_school_year(b)


def test_read_backup_gives_the_years_with_their_recorded_versions_and_writes_nothing() -> None:
    original = _filled()
    with original.unit_of_work() as uow:
        journal = uow.journals.get("s1", "9a-2025")
        journal.clock = FixedClock(datetime(2025, 9, 3, 10, tzinfo=MSK))
        journal.record_mark("st0", "l1", 3, "cw", by=TEACHER)
        uow.journals.save(journal)  # added as version 1, saved once: version 2
        uow.commit()
    data = backup_storage(original)
    backup = read_backup(data)
    assert [(sy.school.id, sy.year.start_year) for sy in backup.years] == [("s1", 2024), ("s1", 2025), ("s2", 2025)]
    assert [sy.journals[jid].version for sy in backup.years for jid in sy.journals] == [1, 2, 1]
    assert [entry.school.id for entry in backup.schools] == ["s1", "s2"]
    assert [p.id for p in backup.schools[0].parents] == ["p1"]
    restored = MemoryStorage()
    restore_storage(restored, backup)
    restore_again = MemoryStorage()
    restore_storage(restore_again, backup)  # the backup is not consumed by a restore
    assert backup_storage(restored) == backup_storage(restore_again)
    with restored.unit_of_work() as uow:
        assert len(uow.journals.get("s1", "9a-2025").marks) == 3  # 2 imported + 1 saved


def test_a_school_without_journals_survives_a_backup() -> None:
    s = MemoryStorage()
    with s.unit_of_work() as uow:
        uow.schools.add(School("s9", "Новая школа"))
        uow.people.add_teacher("s9", T1)
        uow.commit()
    restored = MemoryStorage()
    restore_storage(restored, backup_storage(s))
    with restored.unit_of_work() as uow:
        assert uow.schools.get("s9") == School("s9", "Новая школа")
        assert uow.people.list_teachers("s9") == [T1]


def test_restore_needs_an_empty_storage() -> None:
    data = backup_storage(_filled())
    target = MemoryStorage()
    import_school_year(target, school_year(2030, School("x", "Другая")))
    with pytest.raises(InvalidInput) as info:
        restore_storage(target, data)
    assert info.value.where == "storage"
    with target.unit_of_work() as uow:
        assert [s.id for s in uow.schools.list()] == ["x"]


def test_a_broken_backup_reports_every_problem_and_writes_nothing() -> None:
    bundle = json.loads(gzip.decompress(backup_storage(_filled())))
    bundle["documents"][1]["journals"][0]["marks"][0]["value"] = 0
    bundle["documents"][2]["audit"][0]["action"] = "erase"
    bundle["schools"][0]["colour"] = "red"
    target = MemoryStorage()
    with pytest.raises(InvalidInput) as info:
        restore_storage(target, json.dumps(bundle).encode())
    assert {p.where for p in info.value.problems} == {
        "$.documents[1].journals[0].marks[0].value",
        "$.documents[2].audit[0].action",
        "$.schools[0].colour",
    }
    assert _is_empty(target)


def test_restore_refuses_a_school_year_document() -> None:
    with pytest.raises(InvalidInput) as info:
        restore_storage(MemoryStorage(), dump_school_year(school_year()))
    assert "$.kind" in {p.where for p in info.value.problems}


def test_restore_refuses_a_journal_present_twice() -> None:
    bundle = json.loads(gzip.decompress(backup_storage(_filled())))
    bundle["documents"].append(bundle["documents"][0])
    with pytest.raises(InvalidInput) as info:
        restore_storage(MemoryStorage(), json.dumps(bundle).encode())
    assert [p.where for p in info.value.problems] == ["$.documents[3].journals[0].class_group.id"]
