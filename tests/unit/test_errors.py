"""The error hierarchy: built-in bases, and messages that say where."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ejournal.core import (
    ConcurrentModification,
    EjournalError,
    InvalidInput,
    NotFound,
    PeriodLocked,
    PermissionDenied,
    Problem,
    StorageUnavailable,
)


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (InvalidInput("f", "bad", 1), ValueError),
        (NotFound("student", "s1"), LookupError),
        (PeriodLocked("q1", "closed"), PermissionError),
        (PermissionDenied("t1", "edit", "mark m1"), PermissionError),
        (ConcurrentModification("journal 9А", 3, 4), RuntimeError),
        (StorageUnavailable("sqlite:///x.db", "disk full"), ConnectionError),
    ],
)
def test_each_error_is_an_ejournal_error_and_its_nearest_builtin(error: Exception, builtin: type[Exception]) -> None:
    assert isinstance(error, EjournalError)
    assert isinstance(error, builtin)


def test_not_found_is_not_a_key_error() -> None:
    # a KeyError's str() quotes the whole message; NotFound reads like a sentence
    e = NotFound("student", "s1", "class 9А")
    assert not isinstance(e, KeyError)
    assert str(e) == "student 's1' not found in class 9А"
    assert (e.kind, e.id, e.where) == ("student", "s1", "class 9А")
    assert str(NotFound("mark", 17)) == "mark 17 not found"


def test_invalid_input_names_the_field_the_value_and_why() -> None:
    e = InvalidInput("marks[3].value", "not on scale 'five'", 7)
    assert (e.where, e.reason, e.value) == ("marks[3].value", "not on scale 'five'", 7)
    assert str(e) == "marks[3].value: not on scale 'five' (got 7)"
    assert e.problems == (Problem("marks[3].value", "not on scale 'five'", 7),)
    assert str(InvalidInput("policy", "missing")) == "policy: missing"


def test_invalid_input_many_lists_every_problem() -> None:
    problems = [Problem("a", "bad", 1), Problem("b", "worse", "x")]
    e = InvalidInput.many(problems)
    assert e.problems == tuple(problems)
    assert e.where == "a"
    assert str(e) == "2 problems: a: bad (got 1); b: worse (got 'x')"
    with pytest.raises(ValueError, match="at least one"):
        InvalidInput.many([])


def test_other_messages_say_what_and_where() -> None:
    assert str(PeriodLocked("q1", "needs a reason")) == "period 'q1' is closed: needs a reason"
    assert PeriodLocked("q1", "x").period_id == "q1"
    assert (
        str(PermissionDenied("t1", "edit", "mark m1", "not your course")) == "t1 may not edit mark m1: not your course"
    )
    assert str(PermissionDenied("t1", "edit", "mark m1")) == "t1 may not edit mark m1"
    cm = ConcurrentModification("journal 9А", 3, 4)
    assert "expected version 3" in str(cm)
    assert "found 4" in str(cm)
    assert (cm.expected_version, cm.found_version) == (3, 4)
    unversioned = ConcurrentModification("saving journal 9А (another transaction changed it)", None, None)
    assert str(unversioned) == (
        "saving journal 9А (another transaction changed it) was changed by someone else; reload and try again"
    )
    su = StorageUnavailable("postgresql://u:***@h/db", "connection refused")
    assert str(su) == "storage postgresql://u:***@h/db is unavailable: connection refused"


def test_problem_value_semantics() -> None:
    p = Problem("students[3].name.surname", "must be a non-empty string", "")
    assert p == Problem("students[3].name.surname", "must be a non-empty string", "")
    assert p != Problem("students[3].name.surname", "other", "")
    assert p != "students[3].name.surname"
    assert str(Problem("x", "missing")) == "x: missing"
    assert str(p) == "students[3].name.surname: must be a non-empty string (got '')"
    assert repr(Problem("x", "m", 1)) == "Problem('x', 'm', 1)"
    assert len({p, Problem("students[3].name.surname", "must be a non-empty string", "")}) == 1


@pytest.mark.parametrize("other", [True, Fraction(1), 1.0])
def test_equal_problems_have_equal_hashes(other: object) -> None:
    a, b = Problem("w", "m", 1), Problem("w", "m", other)
    assert a == b
    assert hash(a) == hash(b)
