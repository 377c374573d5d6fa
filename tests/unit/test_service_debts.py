"""The academic-debt use cases of the service: administrators record retakes, the class teacher reads the list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from test_retakes import COMMISSION, journal, retake

from ejournal.core import Actor, PermissionDenied, PersonName, Role, Teacher
from ejournal.core.debts import DebtStatus
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import Action, ResultKey, ResultKind
from ejournal.service import JournalService
from ejournal.storage import open as open_storage
from ejournal.storage.ports import Storage
from ejournal.testing.conformance.builders import MSK, TickingClock

ADMIN = Actor("director", Role.ADMINISTRATOR, "s-1")
CLASS_TEACHER = Actor("t-1", Role.CLASS_TEACHER, "s-1")


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    s = open_storage("memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}")
    j = journal()
    j.teachers["t-1"] = Teacher("t-1", PersonName("Сафина", "Гүзәл"))
    j.class_group = type(j.class_group)(j.id, 7, "А", j.class_group.year, "t-1")
    with s.unit_of_work() as uow:
        uow.schools.add(j.school)
        uow.journals.add(j)
        uow.commit()
    yield s
    s.close()


@pytest.fixture
def service(storage: Storage) -> JournalService:
    return JournalService(storage, builtin_policy("federal"), clock=TickingClock(datetime(2026, 9, 1, 8, tzinfo=MSK)))


def test_an_administrator_clears_a_debt_in_two_retakes(service: JournalService) -> None:
    service.record_retake(ADMIN, "s-1", "7a", retake(1, 2, date(2026, 9, 10)))
    changes = service.record_retake(ADMIN, "s-1", "7a", retake(2, 4, date(2026, 9, 24), COMMISSION))
    assert [c.action for c in changes] == [Action.RECORD_RETAKE, Action.SET_RESULT]
    [debt] = service.debts(CLASS_TEACHER, "s-1", "7a")
    assert (debt.status, debt.annual, [r.value for r in debt.retakes]) == (DebtStatus.CLEARED, 2, [2, 4])
    stored = service.journal(ADMIN, "s-1", "7a").results[ResultKey("st-1", "c-math", ResultKind.ANNUAL)]
    assert stored.value == 4
    assert changes[-1] in service.history(ADMIN, "s-1", "7a", student_id="st-1")


@pytest.mark.parametrize(
    "actor",
    [CLASS_TEACHER, Actor("t-1", Role.SUBJECT_TEACHER, "s-1"), Actor("director", Role.ADMINISTRATOR, "s-2")],
    ids=["class-teacher", "subject-teacher", "admin-of-another-school"],
)
def test_only_administrators_record_retakes(service: JournalService, actor: Actor) -> None:
    before = service.journal(ADMIN, "s-1", "7a")
    with pytest.raises(PermissionDenied):
        service.record_retake(actor, "s-1", "7a", retake(1, 5, date(2026, 9, 10)))
    assert service.journal(ADMIN, "s-1", "7a") == before


def test_the_debt_list_is_for_the_class_teacher_and_administrators(service: JournalService) -> None:
    assert [d.status for d in service.debts(ADMIN, "s-1", "7a")] == [DebtStatus.OPEN]
    # After the deadline an open debt is no longer clearable.
    assert [d.status for d in service.debts(ADMIN, "s-1", "7a", today=date(2027, 9, 1))] == [DebtStatus.NOT_CLEARED]
    for outsider in (Actor("t-2", Role.SUBJECT_TEACHER, "s-1"), Actor("st-1", Role.STUDENT, "s-1")):
        with pytest.raises(PermissionDenied):
            service.debts(outsider, "s-1", "7a")
