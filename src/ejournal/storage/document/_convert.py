"""The document's private cattrs converter and the translation of its errors into JSON paths.

The converter itself is built in :mod:`._codec` (one, private to this package, never a global
converter shared with users); this module gives it its value hooks.  The hooks are strict: a
JSON number is never accepted where a string is expected, ``true`` is not an integer, a float is never a mark or an
exact weight, a collection must be a JSON array.  Every failure is raised as an exception that
:func:`problems_of` turns into :class:`~ejournal.core.errors.Problem`\\ s whose ``where`` is a
JSON path (``$.journals[0].marks[12].value``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any, Optional, get_args, get_origin

import attrs
from cattrs import Converter
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ejournal.core.errors import InvalidInput, Problem
from ejournal.core.journal import (
    AdmissionTest,
    AttendanceRecord,
    BroughtMark,
    Decision,
    ExamChoice,
    Mark,
    PeriodClosure,
    Record,
    ResultMark,
    Retake,
)
from ejournal.core.model import ClassGroup, Course, Lesson, School, Student, Subject, Teacher
from ejournal.core.scales import MarkValue, Scale, Status

__all__ = ["RECORD_TAGS", "BadValue", "Nested", "fraction_text", "key_path", "problems_of", "register_value_hooks"]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_RATIO = re.compile(r"^-?(0|[1-9][0-9]*)/([1-9][0-9]*)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)$"
)

RECORD_TAGS: dict[type, str] = {
    Mark: "mark",
    AttendanceRecord: "attendance",
    ResultMark: "result",
    Decision: "decision",
    Lesson: "lesson",
    PeriodClosure: "period_closure",
    Student: "student",
    Course: "course",
    Subject: "subject",
    Teacher: "teacher",
    ClassGroup: "class_group",
    School: "school",
    Retake: "retake",
    BroughtMark: "brought_mark",
    AdmissionTest: "admission_test",
    ExamChoice: "exam_choice",
}
_TAG_CLASSES: dict[str, type] = {tag: cls for cls, tag in RECORD_TAGS.items()}
_STATUS_BY_CODE = {s.value: s for s in Status}
_OptionalRecord = Optional[Record]  # noqa: UP045 - compared with the resolved field type


class BadValue(Exception):
    """A value of the wrong type or form; ``suffix`` extends the JSON path (``".type"``)."""

    def __init__(self, message: str, value: object, suffix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.suffix = suffix


class Nested(Exception):
    """Several failures below one node, each with the path suffix that leads to it."""

    def __init__(self, items: list[tuple[str, BaseException]]) -> None:
        super().__init__(f"{len(items)} problems")
        self.items = items


def key_path(path: str, key: str) -> str:
    """``path.key`` for identifier keys, ``path['key']`` otherwise."""
    if _IDENT.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


# ---------------------------------------------------------------------------------- exact numbers
def fraction_text(value: Fraction) -> str:
    """The canonical text of an exact number: ``"3"``, ``"1.5"`` when decimal-exact, else ``"1/3"``."""
    if value.denominator == 1:
        return str(value.numerator)
    rest, twos, fives = value.denominator, 0, 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = abs(value.numerator) * (10**digits // value.denominator)
    text = str(scaled).rjust(digits + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


def _structure_fraction(value: object, _: object) -> Fraction:
    if isinstance(value, (bool, float)):
        raise BadValue('an exact number is written as a string ("1.5", "1/3") or an integer, never a float', value)
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str) and (_DECIMAL.fullmatch(value) or _RATIO.fullmatch(value)):
        return Fraction(value)
    raise BadValue('expected an exact number: an integer or a string like "1.5" or "1/3"', value)


# ---------------------------------------------------------------------------------- primitives
def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise BadValue("expected a string", value)
    return value


INT_MIN = -(2**63)
"""The smallest whole number a document may hold (the databases' signed 64-bit ``BIGINT``)."""
INT_MAX = 2**63 - 1
"""The largest whole number a document may hold."""

UTC_MIN = datetime(1000, 1, 1, tzinfo=UTC)
"""The earliest instant a document may hold (MariaDB's ``DATETIME`` starts at year 1000)."""
UTC_MAX = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
"""The latest instant a document may hold."""

FIELD_BOUNDS: dict[tuple[type, str], tuple[int, int]] = {
    (Lesson, "number"): (0, 20),  # the lesson's place in the day; "нулевой урок" is 0
    (Subject, "order"): (0, 9999),  # the subject's column on the sheet
    (Scale, "values"): (0, 1000),  # custom scales: five-, ten-, twelve-, hundred-point and so on
    (Scale, "pass_from"): (0, 1000),
}
"""Plausibility bounds ``(lowest, highest)`` of whole-number fields, by ``(class, field)``;
a list field (``Scale.values``) bounds each item.  Documented in docs/format.md."""

_BOUNDED: dict[type, list[tuple[str, int, int]]] = {}
for (_cls, _field), (_lo, _hi) in FIELD_BOUNDS.items():
    _BOUNDED.setdefault(_cls, []).append((_field, _lo, _hi))


def _check_int64(value: int) -> None:
    if not INT_MIN <= value <= INT_MAX:
        raise BadValue("out of range: whole numbers must fit in a signed 64-bit integer", value)


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadValue("expected a whole number", value)
    _check_int64(value)
    return value


def _bound_problems(cl: type, value: dict[str, Any]) -> list[tuple[str, BaseException]]:
    """Out-of-bounds whole numbers among the fields of ``cl`` listed in :data:`FIELD_BOUNDS`."""
    found: list[tuple[str, BaseException]] = []
    for name, lo, hi in _BOUNDED.get(cl, ()):
        raw = value.get(name)
        items = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)]
        for index, item in items:
            if isinstance(item, int) and not isinstance(item, bool) and not lo <= item <= hi:
                suffix = key_path("", name) + ("" if index is None else f"[{index}]")
                found.append((suffix, BadValue(f"out of range: must be from {lo} to {hi}", item)))
    return found


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise BadValue("expected true or false", value)
    return value


def _structure_date(value: object, _: object) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise BadValue("expected a date YYYY-MM-DD", value)
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise BadValue(f"not a valid date: {e}", value) from None


def _unstructure_datetime(value: datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("datetime", "must be timezone-aware to be written to a document", value.isoformat())
    return value.isoformat()


def _structure_datetime(value: object, _: object) -> datetime:
    if not isinstance(value, str) or not _DATETIME.fullmatch(value):
        raise BadValue("expected an ISO 8601 date-time with a UTC offset, like 2025-09-02T10:00:00+03:00", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as e:
        raise BadValue(f"not a valid date-time: {e}", value) from None
    try:
        in_utc = parsed.astimezone(UTC)
    except OverflowError:  # year 1 with a positive offset is before year 1 in UTC
        in_utc = None
    if in_utc is None or not UTC_MIN <= in_utc <= UTC_MAX:
        raise BadValue("out of range: must be, in UTC, from year 1000 to year 9999", value)
    return parsed


def _enum_hook(cls: type[enum.Enum]) -> Callable[[object, object], enum.Enum]:
    by_value = {m.value: m for m in cls}
    allowed = ", ".join(str(v) for v in by_value)

    def hook(value: object, _: object) -> enum.Enum:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value in by_value:
            return by_value[value]
        raise BadValue(f"expected one of: {allowed}", value)

    return hook


# ---------------------------------------------------------------------------------- marks and records
def _structure_mark_value(value: object, _: object) -> MarkValue:
    if isinstance(value, int) and not isinstance(value, bool):
        _check_int64(value)
        return value
    if isinstance(value, str) and value in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[value]
    raise BadValue("expected a whole number or one of the status codes н/а, осв., зач., незач.", value)


def _unstructure_mark_value(value: MarkValue) -> int | str:
    if isinstance(value, Status):
        return value.value
    return value


def _is_optional_record(t: object) -> bool:
    return t == _OptionalRecord


# ---------------------------------------------------------------------------------- collections
def _is_collection(t: object) -> bool:
    return get_origin(t) in (tuple, frozenset, list, set)


def _unstructure_collection_factory(conv: Converter) -> Callable[[Any], Callable[[Any], list[Any]]]:
    def factory(t: Any) -> Callable[[Any], list[Any]]:
        origin = get_origin(t)
        args = get_args(t)
        elem = args[0] if args else Any
        inner = conv.get_unstructure_hook(elem)

        if origin in (frozenset, set):

            def unstructure_set(value: Iterable[Any]) -> list[Any]:
                return sorted(inner(v) for v in value)

            return unstructure_set

        def unstructure_seq(value: Iterable[Any]) -> list[Any]:
            return [inner(v) for v in value]

        return unstructure_seq

    return factory


def _structure_collection_factory(conv: Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        origin = get_origin(t)
        args = get_args(t)
        if origin is tuple and len(args) != 2:
            raise TypeError(f"the document converter handles homogeneous tuples only, not {t}")
        elem = args[0]

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, list):
                raise BadValue("expected a list", value)
            out: list[Any] = []
            errors: list[tuple[str, BaseException]] = []
            for i, item in enumerate(value):
                try:
                    out.append(conv.structure(item, elem))
                except Exception as e:
                    errors.append((f"[{i}]", e))
            if errors:
                raise Nested(errors)
            if origin in (frozenset, set):
                seen: set[Any] = set()
                for i, item in enumerate(out):
                    if item in seen:
                        errors.append((f"[{i}]", BadValue("duplicate item", value[i])))
                    seen.add(item)
                if errors:
                    raise Nested(errors)
            return origin(out)

        return hook

    return factory


# ---------------------------------------------------------------------------------- the converter
def register_value_hooks(conv: Converter) -> None:
    """Register on ``conv`` the strict hooks of every value type the document holds."""

    def attrs_structure_factory(cl: Any) -> Callable[[Any, Any], Any]:
        fn = make_dict_structure_fn(cl, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True)

        def hook(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise BadValue("expected an object", value)
            out_of_bounds = _bound_problems(cl, value)
            if out_of_bounds:
                raise Nested(out_of_bounds)
            return fn(value, cl)

        return hook

    conv.register_structure_hook_factory(attrs.has, attrs_structure_factory)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(Fraction, _structure_fraction)
    conv.register_unstructure_hook(Fraction, fraction_text)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(datetime, _unstructure_datetime)
    conv.register_structure_hook_factory(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook)
    conv.register_unstructure_hook_func(lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda v: v.value)
    conv.register_structure_hook(MarkValue, _structure_mark_value)
    conv.register_unstructure_hook(MarkValue, _unstructure_mark_value)
    optional_value: Any = Optional[MarkValue]  # noqa: UP045 - the resolved field type of Retake.owed
    conv.register_structure_hook(
        optional_value, lambda v, _: None if v is None else _structure_mark_value(v, MarkValue)
    )
    conv.register_unstructure_hook(optional_value, lambda v: None if v is None else _unstructure_mark_value(v))
    conv.register_structure_hook_factory(_is_collection, _structure_collection_factory(conv))
    conv.register_unstructure_hook_factory(_is_collection, _unstructure_collection_factory(conv))

    def structure_record(value: Any, _: Any) -> Record | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise BadValue('expected null or an object with a "type"', value)
        tag = value.get("type")
        if "type" not in value:
            raise BadValue(f"missing key (one of: {', '.join(_TAG_CLASSES)})", None, ".type")
        cls = _TAG_CLASSES.get(tag) if isinstance(tag, str) else None
        if cls is None:
            raise BadValue(f"unknown record type (expected one of: {', '.join(_TAG_CLASSES)})", tag, ".type")
        body = {k: v for k, v in value.items() if k != "type"}
        result: Record = conv.structure(body, cls)
        return result

    def unstructure_record(value: Record | None) -> dict[str, Any] | None:
        if value is None:
            return None
        out: dict[str, Any] = conv.unstructure(value, type(value))
        out["type"] = RECORD_TAGS[type(value)]
        return out

    conv.register_structure_hook_func(_is_optional_record, structure_record)
    conv.register_unstructure_hook_func(_is_optional_record, unstructure_record)
    # Fields added after format 1 was published are written only when set, so documents without
    # them stay byte-identical and readable by earlier versions.
    conv.register_unstructure_hook(Student, make_dict_unstructure_fn(Student, conv, sex=override(omit_if_default=True)))
    conv.register_unstructure_hook(
        Subject, make_dict_unstructure_fn(Subject, conv, name_tt=override(omit_if_default=True))
    )
    conv.register_unstructure_hook(
        Course,
        make_dict_unstructure_fn(
            Course, conv, exam_by_choice=override(omit_if_default=True), exam_of=override(omit_if_default=True)
        ),
    )
    conv.register_unstructure_hook(
        ResultMark, make_dict_unstructure_fn(ResultMark, conv, primary_score=override(omit_if_default=True))
    )
    conv.register_unstructure_hook(
        ExamChoice, make_dict_unstructure_fn(ExamChoice, conv, chosen_on=override(omit_if_default=True))
    )


# ---------------------------------------------------------------------------------- errors → JSON paths
def _field_of(cls: type | None, where: str) -> str | None:
    """The attribute of ``cls`` a domain ``where`` (``"student s1.left"``) names, if any."""
    if cls is None or not attrs.has(cls):
        return None
    names = {a.name for a in attrs.fields(cls)}
    last = where.rsplit(".", 1)[-1].strip()
    return last if last in names else None


def problems_of(exc: BaseException, path: str, cls: type | None = None) -> list[Problem]:
    """Every problem an exception raised while structuring the node at ``path`` carries.

    ``cls`` is the class being built at ``path`` (used to point a constructor's complaint at the
    field it names).
    """
    out: list[Problem] = []
    _collect(exc, path, cls, out)
    return out


def _collect(exc: BaseException, path: str, cls: type | None, out: list[Problem]) -> None:
    if isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for e, note in with_notes:
            sub = key_path(path, note.name)
            if isinstance(e, KeyError):
                out.append(Problem(sub, "required key is missing"))
            else:
                _collect(e, sub, note.type if isinstance(note.type, type) else None, out)
        for e in without:
            _collect(e, path, exc.cl, out)
    elif isinstance(exc, IterableValidationError):
        it_with, it_without = exc.group_exceptions()
        for e, it_note in it_with:
            _collect(e, f"{path}[{it_note.index}]", None, out)
        for e in it_without:
            _collect(e, path, None, out)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for k in sorted(exc.extra_fields):
            out.append(Problem(key_path(path, k), "unknown key"))
    elif isinstance(exc, Nested):
        for suffix, inner in exc.items:
            _collect(inner, path + suffix, None, out)
    elif isinstance(exc, BadValue):
        out.append(Problem(path + exc.suffix, exc.message, exc.value))
    elif isinstance(exc, InvalidInput):
        for p in exc.problems:
            field = _field_of(cls, p.where)
            out.append(Problem(key_path(path, field) if field else path, p.message, p.value))
    elif isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            _collect(member, path, cls, out)
    else:
        out.append(Problem(path, f"cannot be read: {exc}"))
