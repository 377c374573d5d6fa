"""Canonical JSON for the records an audit entry carries (``before``/``after``).

The text is canonical: keys sorted, no insignificant whitespace, UTF-8 letters as they are
(``ensure_ascii=False``), so the same record always gives the same text.  Grades are JSON
numbers and statuses their code strings; dates and moments are ISO-8601 (moments keep their
offset and microseconds).  Every record carries ``"type"``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import (
    AttendanceRecord,
    Decision,
    DecisionKind,
    Mark,
    PeriodClosure,
    Record,
    ResultKind,
    ResultMark,
)
from ejournal.core.model import Lesson
from ejournal.core.scales import MarkValue, Status

__all__ = ["dumps_record", "loads_record"]

_STATUS = {s.code: s for s in Status}


def _value(v: MarkValue) -> int | str:
    return v.code if isinstance(v, Status) else v


def _value_back(v: int | str) -> MarkValue:
    return _STATUS[v] if isinstance(v, str) else v


def _mark(m: Mark) -> dict[str, Any]:
    return {
        "type": "mark",
        "id": m.id,
        "student_id": m.student_id,
        "lesson_id": m.lesson_id,
        "value": _value(m.value),
        "work_type_id": m.work_type_id,
        "entered_at": m.entered_at.isoformat(),
        "entered_by": m.entered_by,
        "comment": m.comment,
    }


def _attendance(a: AttendanceRecord) -> dict[str, Any]:
    return {
        "type": "attendance",
        "student_id": a.student_id,
        "lesson_id": a.lesson_id,
        "code": a.code,
        "entered_at": a.entered_at.isoformat(),
        "entered_by": a.entered_by,
    }


def _result(r: ResultMark) -> dict[str, Any]:
    return {
        "type": "result",
        "student_id": r.student_id,
        "course_id": r.course_id,
        "kind": r.kind.value,
        "value": _value(r.value),
        "set_at": r.set_at.isoformat(),
        "set_by": r.set_by,
        "period_id": r.period_id,
        "reason": r.reason,
    }


def _decision(d: Decision) -> dict[str, Any]:
    return {
        "type": "decision",
        "student_id": d.student_id,
        "kind": d.kind.value,
        "council_date": d.council_date.isoformat(),
        "protocol": d.protocol,
        "to_grade": d.to_grade,
        "note": d.note,
    }


def _lesson(le: Lesson) -> dict[str, Any]:
    return {
        "type": "lesson",
        "id": le.id,
        "course_id": le.course_id,
        "date": le.date.isoformat(),
        "topic": le.topic,
        "homework": le.homework,
        "number": le.number,
    }


def _closure(p: PeriodClosure) -> dict[str, Any]:
    return {"type": "period_closure", "period_id": p.period_id}


_ENCODERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    Mark: _mark,
    AttendanceRecord: _attendance,
    ResultMark: _result,
    Decision: _decision,
    Lesson: _lesson,
    PeriodClosure: _closure,
}

_DECODERS: dict[str, Callable[[dict[str, Any]], Record]] = {
    "mark": lambda d: Mark(
        d["id"],
        d["student_id"],
        d["lesson_id"],
        _value_back(d["value"]),
        d["work_type_id"],
        datetime.fromisoformat(d["entered_at"]),
        d["entered_by"],
        d["comment"],
    ),
    "attendance": lambda d: AttendanceRecord(
        d["student_id"], d["lesson_id"], d["code"], datetime.fromisoformat(d["entered_at"]), d["entered_by"]
    ),
    "result": lambda d: ResultMark(
        d["student_id"],
        d["course_id"],
        ResultKind(d["kind"]),
        _value_back(d["value"]),
        datetime.fromisoformat(d["set_at"]),
        d["set_by"],
        d["period_id"],
        d["reason"],
    ),
    "decision": lambda d: Decision(
        d["student_id"],
        DecisionKind(d["kind"]),
        date.fromisoformat(d["council_date"]),
        d["protocol"],
        d["to_grade"],
        d["note"],
    ),
    "lesson": lambda d: Lesson(
        d["id"], d["course_id"], date.fromisoformat(d["date"]), d["topic"], d["homework"], d["number"]
    ),
    "period_closure": lambda d: PeriodClosure(d["period_id"]),
}


def dumps_record(record: Record | None) -> str | None:
    """The canonical JSON text of a record (``None`` stays ``None``).

    Raises :class:`InvalidInput` for an object that is not an audit record.
    """
    if record is None:
        return None
    encoder = _ENCODERS.get(type(record))
    if encoder is None:
        raise InvalidInput("change.record", "not an audit record type", type(record).__name__)
    return json.dumps(encoder(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads_record(text: str | None) -> Record | None:
    """The record of a text written by :func:`dumps_record`.

    Raises :class:`InvalidInput` when the text is not such a record (a damaged log).
    """
    if text is None:
        return None
    try:
        data = json.loads(text)
        return _DECODERS[data["type"]](data)
    except (ValueError, KeyError, TypeError) as e:
        raise InvalidInput("audit.record", f"not a stored audit record: {e}", text[:200]) from e
