"""The school-year document: JSON text and bytes to and from :class:`SchoolYear`, with full validation.

Reading never stops at the first problem: every problem of the document is collected with its
JSON path and raised as one :class:`~ejournal.core.errors.InvalidInput`.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Optional, TypeVar

from attrs import frozen
from cattrs import Converter

from ejournal.__about__ import __version__
from ejournal.core.calendar import AcademicYear, PeriodScheme
from ejournal.core.errors import InvalidInput, Problem
from ejournal.core.journal import (
    AdmissionTest,
    AttendanceRecord,
    BroughtMark,
    Change,
    ClassJournal,
    Decision,
    DecisionKey,
    ExamChoice,
    Mark,
    Record,
    ResultKey,
    ResultKind,
    ResultMark,
    Retake,
    debt_deadline,
)
from ejournal.core.model import (
    AttendanceCode,
    ClassGroup,
    Course,
    Lesson,
    Parent,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import BUILTIN_SCALES, Scale, WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document._convert import RECORD_TAGS, key_path, problems_of, register_value_hooks
from ejournal.storage.document.upgrades import FORMAT_VERSION, upgrade_document

__all__ = [
    "KIND_BACKUP",
    "KIND_SCHOOL_YEAR",
    "Lazy",
    "_converter",
    "audit_problems",
    "check_school_year",
    "decode_json",
    "dumps_record",
    "encode_json",
    "encode_json_to",
    "generator",
    "journal_problems",
    "loads_record",
    "parse_document",
    "structure_school_year",
    "unstructure_school_year",
    "year_document",
]

KIND_SCHOOL_YEAR = "school_year"
KIND_BACKUP = "backup"
_GZIP_MAGIC = b"\x1f\x8b"

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def generator() -> str:
    """The ``generator`` stamp written into documents: ``"ejournal <version>"``."""
    return f"ejournal {__version__}"


@frozen
class _ClassGroupDoc:
    """A class group as the document holds it: without the year (the document's year)."""

    id: str
    grade: int
    letter: str
    class_teacher_id: str | None = None


# ------------------------------------------------------------------------------------------------ layout
def _result_where(k: ResultKey) -> str:
    return f"results[{k.student_id!r}, {k.course_id!r}, {k.kind.value}, {k.period_id!r}]"


def _attendance_where(k: tuple[str, str]) -> str:
    return f"attendance[{k[0]!r}, {k[1]!r}]"


@frozen
class _ListSpec:
    """One list of a journal document: its key, item class, the item's key and the model's wording."""

    key: str
    cls: type
    key_of: Callable[[Any], Any]
    id_field: str | None
    where: Callable[[Any], str]


def _std(name: str) -> Callable[[Any], str]:
    return lambda k: f"{name}[{k!r}]"


_JOURNAL_LISTS: tuple[_ListSpec, ...] = (
    _ListSpec("students", Student, lambda o: o.id, "id", _std("students")),
    _ListSpec("teachers", Teacher, lambda o: o.id, "id", _std("teachers")),
    _ListSpec("subjects", Subject, lambda o: o.id, "id", _std("subjects")),
    _ListSpec("courses", Course, lambda o: o.id, "id", _std("courses")),
    _ListSpec("schemes", PeriodScheme, lambda o: o.id, "id", _std("schemes")),
    _ListSpec("scales", Scale, lambda o: o.id, "id", _std("scales")),
    _ListSpec("work_types", WorkType, lambda o: o.id, "id", _std("work_types")),
    _ListSpec("attendance_codes", AttendanceCode, lambda o: o.code, "code", _std("attendance_codes")),
    _ListSpec("lessons", Lesson, lambda o: o.id, "id", _std("lessons")),
    _ListSpec("marks", Mark, lambda o: o.id, "id", _std("marks")),
    _ListSpec("attendance", AttendanceRecord, lambda o: (o.student_id, o.lesson_id), None, _attendance_where),
    _ListSpec("results", ResultMark, lambda o: o.key, None, _result_where),
    _ListSpec("decisions", Decision, lambda o: o.key, "student_id", _std("decisions")),
    _ListSpec("retakes", Retake, lambda o: o.key, None, lambda k: f"retakes[{k!r}]"),
    _ListSpec("brought_marks", BroughtMark, lambda o: o.id, "id", _std("brought_marks")),
    _ListSpec("admission_tests", AdmissionTest, lambda o: o.key, None, _std("admission_tests")),
    _ListSpec("exam_choices", ExamChoice, lambda o: o.student_id, "student_id", _std("exam_choices")),
)
_OMITTED_WHEN_EMPTY = frozenset({"retakes", "brought_marks", "admission_tests", "exam_choices"})
"""Lists added after format 1 was published: written only when they hold something, so documents
without them stay byte-identical and readable by earlier versions."""
_JOURNAL_KEYS = ("class_group", *(s.key for s in _JOURNAL_LISTS), "closed_periods", "version")
_TOP_REQUIRED = ("format_version", "kind", "school", "year")
_TOP_OPTIONAL = ("generator", "teachers", "parents", "journals", "audit")


# ------------------------------------------------------------------------------------------------ writing
def _sorted_values(mapping: Mapping[Any, T]) -> list[T]:
    return [mapping[k] for k in sorted(mapping)]


def unstructure_journal(conv: Converter, journal: ClassJournal) -> dict[str, Any]:
    """The journal as a JSON-ready dict: every map a list sorted by its key (canonical)."""
    group = conv.unstructure(journal.class_group, ClassGroup)
    del group["year"]
    out: dict[str, Any] = {"class_group": group}
    for spec in _JOURNAL_LISTS:
        mapping: Mapping[Any, Any] = getattr(journal, spec.key)
        if not mapping and spec.key in _OMITTED_WHEN_EMPTY:
            continue
        out[spec.key] = [conv.unstructure(v, spec.cls) for v in _sorted_values(mapping)]
    out["closed_periods"] = sorted(journal.closed_periods)
    out["version"] = journal.version
    return out


def unstructure_school_year(conv: Converter, sy: SchoolYear) -> dict[str, Any]:
    """The school year as a JSON-ready document, wrapped with format version, kind and generator.

    Raises :class:`InvalidInput` when a journal carries a school that differs from the year's
    school (the document stores the school once and would lose the difference) or a date-time
    is naive.
    """
    journals = _sorted_values(sy.journals)
    for i, j in enumerate(journals):
        _same_school(j, sy.school, i)
    return year_document(
        conv,
        sy.school,
        sy.year,
        sy.teachers,
        sy.parents,
        [unstructure_journal(conv, j) for j in journals],
        [conv.unstructure(c, Change) for c in sy.audit],
    )


def _same_school(journal: ClassJournal, school: School, i: int) -> None:
    if journal.school != school:
        raise InvalidInput(
            f"$.journals[{i}]",
            "the journal's school differs from the year's school (a document holds one school)",
            journal.id,
        )


def year_document(
    conv: Converter,
    school: School,
    year: AcademicYear,
    teachers: Mapping[str, Teacher],
    parents: Mapping[str, Parent],
    journals: list[Any],
    audit: list[Any],
) -> dict[str, Any]:
    """The school-year document around already unstructured ``journals`` (in id order) and
    ``audit`` entries (in log order); either may be a :class:`Lazy` list, written as it is read."""
    return {
        "format_version": FORMAT_VERSION,
        "kind": KIND_SCHOOL_YEAR,
        "generator": generator(),
        "school": conv.unstructure(school, School),
        "year": conv.unstructure(year, AcademicYear),
        "teachers": [conv.unstructure(t, Teacher) for t in _sorted_values(teachers)],
        "parents": [conv.unstructure(p, Parent) for p in _sorted_values(parents)],
        "journals": journals,
        "audit": audit,
    }


class Lazy(list[Any]):
    """A list of a document whose items are made only when the encoder reaches them (a journal
    loaded, unstructured, written and dropped before the next), so a document is written with the
    memory of one item.  ``items`` is called once; ``empty`` says whether it yields nothing (the
    encoder writes ``[]`` for an empty list without iterating it)."""

    def __init__(self, items: Callable[[], Iterable[Any]], *, empty: bool) -> None:
        super().__init__()
        self._items = items
        self._empty = empty

    def __bool__(self) -> bool:
        return not self._empty

    def __iter__(self) -> Any:
        return iter(self._items())


_LEAF = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "), allow_nan=False)
_PRETTY_DEPTH = 4
"""Containers nested deeper than this are written on one line: a mark, a lesson, an audit entry."""


_ONE_PER_LINE = frozenset({"audit"})
"""Lists whose items are records written one per line wherever they stand (the audit log)."""


_DOCUMENT_LISTS = frozenset({"documents"})
"""Lists whose items are whole documents (a backup bundle): their depth counts from the item."""


def _encode(value: object, depth: int, out: list[str], base: int = 0) -> None:
    if depth - base >= _PRETTY_DEPTH or not isinstance(value, (dict, list)) or not value:
        out.append(_LEAF.encode(value))
        return
    pad = "\n" + " " * (depth + 1)
    if isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value)):
            out.append(("," if i else "") + pad + _LEAF.encode(key) + ": ")
            item = value[key]
            if key in _ONE_PER_LINE and isinstance(item, list) and item:
                out.append("[")
                for j, record in enumerate(item):
                    out.append(("," if j else "") + pad + " " + _LEAF.encode(record))
                out.append(pad + "]")
            elif key in _DOCUMENT_LISTS and isinstance(item, list) and item:
                out.append("[")
                for j, document in enumerate(item):
                    out.append(("," if j else "") + pad + " ")
                    _encode(document, depth + 2, out, base=depth + 2)
                out.append(pad + "]")
            else:
                _encode(item, depth + 1, out, base)
        out.append("\n" + " " * depth + "}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + pad)
            _encode(item, depth + 1, out, base)
        out.append("\n" + " " * depth + "]")


def encode_json(doc: object) -> bytes:
    """Canonical bytes: UTF-8, sorted keys, ``\\n`` line ends, a final newline.

    The outer structure is indented one space per level; records nested four levels deep or more
    (a mark, a lesson) and audit entries are written one per line, so a document diffs line by line
    and is encoded by the C JSON encoder.  Raises ``ValueError`` for NaN or infinities.
    """
    out: list[str] = []
    _encode(doc, 0, out)
    out.append("\n")
    return "".join(out).encode("utf-8")


class _Sink(list[str]):
    """The encoder's output, handed to ``write`` as UTF-8 about every megabyte."""

    def __init__(self, write: Callable[[bytes], object], chunk: int = 1 << 20) -> None:
        super().__init__()
        self._write = write
        self._chunk = chunk
        self._size = 0

    def append(self, text: str) -> None:
        super().append(text)
        self._size += len(text)
        if self._size >= self._chunk:
            self.flush()

    def flush(self) -> None:
        if self:
            self._write("".join(self).encode("utf-8"))
            self.clear()
        self._size = 0


def encode_json_to(doc: object, write: Callable[[bytes], object]) -> None:
    """:func:`encode_json` of ``doc`` handed to ``write`` piece by piece: the same bytes, written
    as they are made (with :class:`Lazy` lists in ``doc``, in the memory of one item).  Raises
    what :func:`encode_json` raises and what ``write`` raises."""
    sink = _Sink(write)
    _encode(doc, 0, sink)
    sink.append("\n")
    sink.flush()


# ------------------------------------------------------------------------------------------------ parsing
def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def decode_json(data: bytes | str) -> object:
    """Parse document bytes or text (gzip detected by its magic bytes) into JSON values.

    Raises :class:`InvalidInput` for a broken gzip stream, bytes that are not UTF-8, malformed
    JSON (the message gives line and column), NaN/Infinity, or an object with a repeated key.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if raw[:2] == _GZIP_MAGIC:
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error) as e:
                raise InvalidInput("$", f"not a valid gzip stream: {e}", None) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InvalidInput("$", f"not UTF-8 text (byte {e.start})", raw[e.start : e.start + 4]) from None
    elif isinstance(data, str):
        text = data
    else:
        raise InvalidInput("$", "expected document bytes or text", type(data).__name__)

    repeated: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                repeated.append(k)
            out[k] = v
        return out

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise InvalidInput(
            f"line {e.lineno}, column {e.colno}", f"malformed JSON: {e.msg}", text[e.pos : e.pos + 20]
        ) from None
    except ValueError as e:
        raise InvalidInput("$", f"malformed JSON: {e}", None) from None
    except RecursionError:
        raise InvalidInput("$", "malformed JSON: nested too deeply", None) from None
    if repeated:
        raise InvalidInput.many([Problem("$", "a key is repeated within one JSON object", k) for k in repeated])
    return value


# ------------------------------------------------------------------------------------------------ reading
def _check_keys(
    raw: Mapping[str, Any], path: str, required: Iterable[str], optional: Iterable[str], problems: list[Problem]
) -> None:
    required = tuple(required)
    known = set(required) | set(optional)
    for k in required:
        if k not in raw:
            problems.append(Problem(key_path(path, k), "required key is missing"))
    for k in raw:
        if k not in known:
            problems.append(Problem(key_path(path, str(k)), "unknown key"))


def _one(conv: Converter, raw: object, path: str, cls: type[T], problems: list[Problem]) -> T | None:
    try:
        value: T = conv.structure(raw, cls)
    except Exception as e:
        problems.extend(problems_of(e, path, cls))
        return None
    return value


def _items(
    conv: Converter,
    raw: object,
    path: str,
    cls: type,
    key_of: Callable[[Any], Any],
    id_field: str | None,
    problems: list[Problem],
    unparsed: set[str],
) -> tuple[dict[Any, Any], dict[Any, str]]:
    """Structure a list of records into a dict by key, with the JSON path of each key.

    Items that fail are reported and skipped; the raw id of a failed item goes into
    ``unparsed`` so references to it are not reported twice.
    """
    items: dict[Any, Any] = {}
    paths: dict[Any, str] = {}
    if not isinstance(raw, list):
        problems.append(Problem(path, "expected a list", type(raw).__name__))
        return items, paths
    for i, item in enumerate(raw):
        p = f"{path}[{i}]"
        try:
            obj: Any = conv.structure(item, cls)
        except Exception as e:
            problems.extend(problems_of(e, p, cls))
            if isinstance(item, dict) and id_field is not None and isinstance(item.get(id_field), str):
                unparsed.add(item[id_field])
            continue
        k = key_of(obj)
        if k in items:
            where = key_path(p, id_field) if id_field else p
            problems.append(Problem(where, f"duplicate of {paths[k]}", k if isinstance(k, str) else None))
            continue
        items[k] = obj
        paths[k] = p
    return items, paths


def _where_table(
    path: str, paths: Mapping[str, Mapping[Any, str]], schemes: Mapping[str, PeriodScheme]
) -> dict[str, str]:
    """Map the model's wording of a place (``"marks['m1']"``) to its JSON path."""
    table: dict[str, str] = {"class_group": f"{path}.class_group"}
    for spec in _JOURNAL_LISTS:
        for k, p in paths.get(spec.key, {}).items():
            table[spec.where(k)] = p
    for sid, scheme in schemes.items():
        sp = paths.get("schemes", {}).get(sid)
        if sp is None:
            continue
        for j, period in enumerate(scheme.periods):
            table[f"schemes[{sid!r}].{period.id}"] = f"{sp}.periods[{j}].id"
    return table


def _translate(problem: Problem, table: Mapping[str, str], fallback: str, closed: Mapping[str, str]) -> Problem:
    where = problem.where
    if where == "closed_periods" and isinstance(problem.value, str) and problem.value in closed:
        return Problem(closed[problem.value], problem.message, problem.value)
    cuts = [i for i in range(1, len(where)) if where[i] in ".["] + [len(where)]
    for cut in reversed(cuts):
        hit = table.get(where[:cut])
        if hit is not None:
            return Problem(hit + where[cut:], problem.message, problem.value)
    return Problem(fallback, f"{where}: {problem.message}", problem.value)


def _record_problems(
    year: AcademicYear | None,
    courses: Mapping[str, Course],
    scales: Mapping[str, Scale],
    lessons: Mapping[str, Lesson],
    marks: Mapping[str, Mark],
    results: Mapping[ResultKey, ResultMark],
    decisions: Mapping[DecisionKey, Decision],
) -> list[Problem]:
    """What the journal's commands refuse but its constructor does not check, in the model's wording."""
    out: list[Problem] = []
    if year is not None:
        for lid, lesson in lessons.items():
            if not year.contains(lesson.date):
                out.append(
                    Problem(f"lessons[{lid!r}].date", f"outside the academic year {year}", lesson.date.isoformat())
                )
        for dkey, d in decisions.items():
            # A decision after a conditional promotion may come up to a year after the year's end.
            if not year.start <= d.council_date <= debt_deadline(year):
                out.append(
                    Problem(
                        f"decisions[{dkey!r}].council_date",
                        f"outside the academic year {year} and the year after it for clearing debts",
                        d.council_date.isoformat(),
                    )
                )
    for dkey, d in decisions.items():
        if not d.protocol.strip():
            out.append(
                Problem(f"decisions[{dkey!r}].protocol", "the council's protocol number is required", d.protocol)
            )
    for mid, m in marks.items():
        marked = lessons.get(m.lesson_id)
        course = courses.get(marked.course_id) if marked is not None else None
        scale = scales.get(course.scale_id) if course is not None else None
        if scale is not None and not scale.allows(m.value):
            out.append(Problem(f"marks[{mid!r}].value", f"not on scale {scale.id!r}", m.value))
    for key, r in results.items():
        course = courses.get(key.course_id)
        if course is None:
            continue
        where = _result_where(key)
        if key.kind is ResultKind.EXAM and not course.examined:
            out.append(Problem(f"{where}.kind", f"course {course.id!r} has no exam", key.kind.value))
        score = r.primary_score
        if score is not None and (key.kind is not ResultKind.EXAM or score < 0):
            out.append(Problem(f"{where}.primary_score", "only an exam mark has one, a whole number ≥ 0", score))
        scale_id = (course.exam_scale_id or course.scale_id) if key.kind is ResultKind.EXAM else course.scale_id
        scale = scales.get(scale_id)
        if scale is not None and not scale.allows(r.value, result=True):
            out.append(Problem(f"{where}.value", f"not on scale {scale.id!r}", r.value))
    return out


def _dangling(problem: Problem, unparsed: set[str]) -> bool:
    """True for a reference to an item that failed to parse (already reported at the item)."""
    return problem.message.startswith("unknown ") and isinstance(problem.value, str) and problem.value in unparsed


def _structure_journal(
    conv: Converter,
    raw: object,
    path: str,
    school: School | None,
    year: AcademicYear | None,
    problems: list[Problem],
) -> ClassJournal | None:
    if not isinstance(raw, dict):
        problems.append(Problem(path, "expected an object", type(raw).__name__))
        return None
    before = len(problems)
    _check_keys(raw, path, ("class_group",), _JOURNAL_KEYS[1:], problems)
    group: ClassGroup | None = None
    group_doc = (
        _one(conv, raw["class_group"], f"{path}.class_group", _ClassGroupDoc, problems)
        if "class_group" in raw
        else None
    )
    if group_doc is not None and year is not None:
        try:
            group = ClassGroup(group_doc.id, group_doc.grade, group_doc.letter, year, group_doc.class_teacher_id)
        except InvalidInput as e:
            problems.extend(problems_of(e, f"{path}.class_group", ClassGroup))
    unparsed: set[str] = set()
    maps: dict[str, dict[Any, Any]] = {}
    paths: dict[str, dict[Any, str]] = {}
    for spec in _JOURNAL_LISTS:
        if spec.key in raw:
            maps[spec.key], paths[spec.key] = _items(
                conv, raw[spec.key], f"{path}.{spec.key}", spec.cls, spec.key_of, spec.id_field, problems, unparsed
            )
    closed_list = _one(conv, raw.get("closed_periods", []), f"{path}.closed_periods", list[str], problems) or []
    closed = {pid: f"{path}.closed_periods[{i}]" for i, pid in enumerate(closed_list)}
    if len(closed) != len(closed_list):
        problems.append(Problem(f"{path}.closed_periods", "a period is listed twice", closed_list))
    version = _one(conv, raw.get("version", 0), f"{path}.version", int, problems)
    if version is not None and version < 0:
        problems.append(Problem(f"{path}.version", "must not be negative", version))

    table = _where_table(path, paths, maps.get("schemes", {}))
    scales = maps.get("scales", BUILTIN_SCALES)
    own = _record_problems(
        year,
        maps.get("courses", {}),
        scales,
        maps.get("lessons", {}),
        maps.get("marks", {}),
        maps.get("results", {}),
        maps.get("decisions", {}),
    )
    problems.extend(_translate(p, table, path, closed) for p in own)
    if year is None:
        return None
    teacher_id = group_doc.class_teacher_id if group_doc is not None else None
    candidate = group if group is not None else ClassGroup("?", 1, "?", year, teacher_id)
    records: dict[str, Any] = dict(maps)
    try:
        journal = ClassJournal(
            school if school is not None else School("?", "?"),
            candidate,
            closed_periods=set(closed_list),
            version=version if version is not None and version >= 0 else 0,
            **records,
        )
    except InvalidInput as e:
        for p in e.problems:
            if not _dangling(p, unparsed):
                problems.append(_translate(p, table, path, closed))
        return None
    if len(problems) > before or school is None or group is None:
        return None
    return journal


def structure_school_year(conv: Converter, raw: object, root: str = "$") -> SchoolYear:
    """Build and validate a :class:`SchoolYear` from a parsed, current-format document.

    Raises one :class:`InvalidInput` carrying every problem, each located by a JSON path
    under ``root``.
    """
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise InvalidInput(root, "a document is a JSON object", type(raw).__name__)
    _check_keys(raw, root, _TOP_REQUIRED, _TOP_OPTIONAL, problems)
    if "kind" in raw and raw["kind"] != KIND_SCHOOL_YEAR:
        hint = " (a backup is read by restore_storage)" if raw["kind"] == KIND_BACKUP else ""
        problems.append(Problem(f"{root}.kind", f'expected "{KIND_SCHOOL_YEAR}"{hint}', raw["kind"]))
    if "format_version" in raw and raw["format_version"] != FORMAT_VERSION:
        problems.append(
            Problem(
                f"{root}.format_version",
                f"expected {FORMAT_VERSION} (upgrade the document first)",
                raw["format_version"],
            )
        )
    if "generator" in raw and not isinstance(raw["generator"], str):
        problems.append(Problem(f"{root}.generator", "expected a string", raw["generator"]))
    school = _one(conv, raw["school"], f"{root}.school", School, problems) if "school" in raw else None
    year = _one(conv, raw["year"], f"{root}.year", AcademicYear, problems) if "year" in raw else None
    unparsed: set[str] = set()
    teachers, _ = _items(
        conv, raw.get("teachers", []), f"{root}.teachers", Teacher, lambda t: t.id, "id", problems, unparsed
    )
    parents, _ = _items(
        conv, raw.get("parents", []), f"{root}.parents", Parent, lambda p: p.id, "id", problems, unparsed
    )

    journals: dict[str, ClassJournal] = {}
    groups: list[tuple[str, ClassGroup]] = []
    journal_paths: dict[str, str] = {}
    known_ids: set[str] = set()
    raw_journals = raw.get("journals", [])
    if not isinstance(raw_journals, list):
        problems.append(Problem(f"{root}.journals", "expected a list", type(raw_journals).__name__))
        raw_journals = []
    for i, jraw in enumerate(raw_journals):
        jpath = f"{root}.journals[{i}]"
        group_raw = jraw.get("class_group") if isinstance(jraw, dict) else None
        raw_id = group_raw.get("id") if isinstance(group_raw, dict) else None
        if isinstance(raw_id, str):
            if raw_id in known_ids:
                first = journal_paths.get(raw_id, "another journal")
                problems.append(Problem(f"{jpath}.class_group.id", f"duplicate of {first}", raw_id))
                continue
            known_ids.add(raw_id)
            journal_paths[raw_id] = f"{jpath}.class_group.id"
        journal = _structure_journal(conv, jraw, jpath, school, year, problems)
        if journal is not None:
            journals[journal.id] = journal
            groups.append((jpath, journal.class_group))
    problems.extend(duplicate_class_problems(groups))

    audit: list[Change] = []
    raw_audit = raw.get("audit", [])
    if not isinstance(raw_audit, list):
        problems.append(Problem(f"{root}.audit", "expected a list", type(raw_audit).__name__))
        raw_audit = []
    for i, craw in enumerate(raw_audit):
        change = _one(conv, craw, f"{root}.audit[{i}]", Change, problems)
        if change is None:
            continue
        if change.journal_id not in known_ids:
            problems.append(Problem(f"{root}.audit[{i}].journal_id", "unknown journal", change.journal_id))
        audit.append(change)
    if problems or school is None or year is None:
        raise InvalidInput.many(problems or [Problem(root, "the document could not be read")])
    try:
        return SchoolYear(school, year, teachers, parents, journals, audit)
    except InvalidInput as e:
        raise InvalidInput.many([Problem(root, str(p)) for p in e.problems]) from None


def _canonical_paths(journal: ClassJournal) -> dict[str, dict[Any, str]]:
    out: dict[str, dict[Any, str]] = {}
    for spec in _JOURNAL_LISTS:
        mapping: Mapping[Any, Any] = getattr(journal, spec.key)
        out[spec.key] = {k: f"{spec.key}[{i}]" for i, k in enumerate(sorted(mapping))}
    return out


def duplicate_class_problems(groups: Sequence[tuple[str, ClassGroup]]) -> list[Problem]:
    """Two classes of one year with the same grade and letter, as problems at the later one's path.

    ``groups`` are ``(JSON path of the journal, its class group)`` in document order.  Two such
    journals would print the same sheet title and write the same ``sheet --all`` file.
    """
    problems: list[Problem] = []
    first: dict[tuple[AcademicYear, int, str], str] = {}
    for path, group in groups:
        key = (group.year, group.grade, group.letter)
        if key in first:
            problems.append(
                Problem(
                    f"{path}.class_group.letter",
                    f"class {group.label} of {group.year} is already in the document at {first[key]}",
                    group.letter,
                )
            )
        else:
            first[key] = f"{path}.class_group"
    return problems


def check_school_year(sy: SchoolYear) -> list[Problem]:
    """Every problem :func:`structure_school_year` would find in ``sy``'s document, by JSON path.

    Used before writing an in-memory :class:`SchoolYear` to storage: the paths are those of the
    canonical document :func:`unstructure_school_year` would write.
    """
    problems: list[Problem] = []
    journal_ids = set(sy.journals)
    for i, jid in enumerate(sorted(sy.journals)):
        problems.extend(journal_problems(sy.journals[jid], sy.school, sy.year, f"$.journals[{i}]"))
    problems.extend(
        duplicate_class_problems(
            [(f"$.journals[{i}]", sy.journals[jid].class_group) for i, jid in enumerate(sorted(sy.journals))]
        )
    )
    problems.extend(audit_problems(sy.audit, journal_ids))
    return problems


def journal_problems(j: ClassJournal, school: School, year: AcademicYear, path: str) -> list[Problem]:
    """The problems of one journal as :func:`check_school_year` finds them, the journal at the
    JSON path ``path`` of a document of ``school``'s ``year``."""
    problems: list[Problem] = []
    if j.school != school:
        problems.append(Problem(f"{path}", "the journal's school differs from the year's school", j.school.id))
    rel = _canonical_paths(j)
    paths = {k: {key: f"{path}.{p}" for key, p in v.items()} for k, v in rel.items()}
    table = _where_table(path, paths, j.schemes)
    closed = {pid: f"{path}.closed_periods[{n}]" for n, pid in enumerate(sorted(j.closed_periods))}
    own = _record_problems(year, j.courses, j.scales, j.lessons, j.marks, j.results, j.decisions)
    own.extend(_naive_problems("marks", j.marks, _std("marks")))
    own.extend(_naive_problems("attendance", j.attendance, _attendance_where))
    own.extend(_naive_problems("results", j.results, _result_where))
    problems.extend(_translate(p, table, path, closed) for p in own)
    try:
        j.check_references()
    except InvalidInput as e:
        problems.extend(_translate(p, table, path, closed) for p in e.problems)
    return problems


def audit_problems(
    audit: Iterable[Change], journal_ids: Collection[str], root: str = "$", *, first_index: int = 0
) -> list[Problem]:
    """The problems of a document's audit entries (at ``root + ".audit[i]"``, ``i`` counted from
    ``first_index``): an unknown journal, a naive date-time."""
    problems: list[Problem] = []
    for i, change in enumerate(audit, start=first_index):
        if change.journal_id not in journal_ids:
            problems.append(Problem(f"{root}.audit[{i}].journal_id", "unknown journal", change.journal_id))
        if _is_naive(change.at):
            problems.append(Problem(f"{root}.audit[{i}].at", _NAIVE, change.at.isoformat()))
        for side in ("before", "after"):
            name, moment = _moment_of(getattr(change, side))
            if moment is not None and _is_naive(moment):
                problems.append(Problem(f"{root}.audit[{i}].{side}.{name}", _NAIVE, moment.isoformat()))
    return problems


_NAIVE = "must be timezone-aware"


def _is_naive(moment: datetime) -> bool:
    return moment.utcoffset() is None


def _moment_of(record: object) -> tuple[str, datetime | None]:
    """The date-time field of a record (``entered_at`` or ``set_at``), if it has one."""
    for name in ("entered_at", "set_at"):
        moment = getattr(record, name, None)
        if isinstance(moment, datetime):
            return name, moment
    return "", None


def _naive_problems(name: str, records: Mapping[Any, object], where: Callable[[Any], str]) -> list[Problem]:
    out: list[Problem] = []
    for key, record in records.items():
        field, moment = _moment_of(record)
        if moment is not None and _is_naive(moment):
            out.append(Problem(f"{where(key)}.{field}", _NAIVE, moment.isoformat()))
    return out


def parse_document(data: bytes | str) -> dict[str, Any]:
    """Decode and upgrade a document to the current format (raw JSON, not yet validated).

    Raises :class:`InvalidInput` for bytes that are not UTF-8 JSON, a top level that is not an
    object, or a format version that cannot be upgraded (each naming the place).
    """
    raw = decode_json(data)
    if not isinstance(raw, dict):
        raise InvalidInput("$", "a document is a JSON object", type(raw).__name__)
    return upgrade_document(raw)


# ------------------------------------------------------------------------------------------------ the converter
def _make_converter() -> Converter:
    """The package's one cattrs converter: strict value hooks, journals and school years as documents."""
    conv = Converter(forbid_extra_keys=True, detailed_validation=True)
    register_value_hooks(conv)
    conv.register_unstructure_hook(ClassJournal, lambda j: unstructure_journal(conv, j))
    conv.register_unstructure_hook(SchoolYear, lambda sy: unstructure_school_year(conv, sy))
    conv.register_structure_hook_func(lambda t: t is SchoolYear, lambda raw, _: structure_school_year(conv, raw))
    return conv


_converter = _make_converter()


# ------------------------------------------------------------------------------------------------ audit records
_OPTIONAL_RECORD = Optional[Record]  # noqa: UP045 - the field type the converter's record hooks match
_COMPACT = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def dumps_record(record: Record | None) -> str | None:
    """An audit record (a change's ``before``/``after``) as compact canonical JSON text.

    The object is the one a document's audit entry holds (``"type"`` tag, grades as numbers,
    statuses as codes, ISO-8601 moments with offset); the text has sorted keys, no spaces and
    letters unescaped, so equal records give equal text.  ``None`` stays ``None``.  Raises
    :class:`InvalidInput` for an object that is not an audit record or a naive date-time.
    """
    if record is None:
        return None
    if type(record) not in RECORD_TAGS:
        raise InvalidInput("change.record", "not an audit record type", type(record).__name__)
    return _COMPACT.encode(_converter.unstructure(record, _OPTIONAL_RECORD))


def loads_record(text: str | None) -> Record | None:
    """The record of a text written by :func:`dumps_record` (``None`` stays ``None``).

    Raises :class:`InvalidInput` (the problems placed under ``audit.record``) when the text is
    not such a record: a damaged log.
    """
    if text is None:
        return None
    try:
        raw = json.loads(text)
    except ValueError as e:
        raise InvalidInput("audit.record", f"not a stored audit record: {e}", text[:200]) from e
    try:
        record: Record | None = _converter.structure(raw, _OPTIONAL_RECORD)  # type: ignore[arg-type]
    except Exception as e:
        problems = problems_of(e, "audit.record") or [Problem("audit.record", f"not a stored audit record: {e}")]
        raise InvalidInput.many(problems) from e
    if record is None:
        raise InvalidInput("audit.record", "not a stored audit record", text[:200])
    return record
