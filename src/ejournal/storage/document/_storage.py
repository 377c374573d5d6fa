"""Moving school years between a storage and the document: export, import, backup, restore.

Only the storage ports are used (``storage.unit_of_work()`` and its repositories), so these work
on every backend.  Each call is one unit of work: all-or-nothing.

Export and backup stream: the document is written as it is read, one class journal at a time
(loaded, written, dropped), so their memory is that of the largest class, not of the school;
the bytes are those of the in-memory document (:func:`dump_school_year` of the same data).
"""

from __future__ import annotations

import hashlib
import heapq
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from typing import Any

import attrs

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput, NotFound, Problem
from ejournal.core.journal import (
    Action,
    Actor,
    AdmissionTest,
    AttendanceRecord,
    Change,
    ClassJournal,
    Decision,
    Mark,
    PeriodClosure,
    Record,
    ResultMark,
    Role,
)
from ejournal.core.model import ClassGroup, Course, Lesson, Parent, School, Student, Teacher
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document._codec import (
    KIND_BACKUP,
    Lazy,
    _converter,
    audit_problems,
    check_school_year,
    decode_json,
    duplicate_class_problems,
    encode_json,
    encode_json_to,
    generator,
    journal_problems,
    structure_school_year,
    unstructure_journal,
    year_document,
)
from ejournal.storage.document._convert import key_path, problems_of
from ejournal.storage.document.upgrades import FORMAT_VERSION, upgrade_document
from ejournal.storage.ports import Storage, UnitOfWork

__all__ = [
    "Backup",
    "GzipWriter",
    "SchoolRecords",
    "backup_storage",
    "export_school_year",
    "import_school_year",
    "read_backup",
    "replacement_changes",
    "restore_storage",
    "stream_backup",
    "stream_school_year",
]


IMPORTER = Actor("import", Role.SYSTEM)
"""Who an import is recorded as when the caller names nobody (the region-wide system role)."""


def _detached(journal: ClassJournal, school: School) -> ClassJournal:
    """A copy that shares no mutable container with ``journal`` and has no pending changes."""
    return journal.copy(school=school)


def _people(uow: UnitOfWork, school_id: str) -> tuple[dict[str, Teacher], dict[str, Parent]]:
    teachers = {t.id: t for t in uow.people.list_teachers(school_id)}
    parents = {p.id: p for p in uow.people.list_parents(school_id)}
    return teachers, parents


def export_school_year(storage: Storage, school_id: str, year: AcademicYear) -> SchoolYear:
    """Read one school's academic year from ``storage`` (one unit of work, nothing written).

    The result holds the school, its teachers and parents, every class journal of ``year``
    (each given the stored school) and the audit entries of those journals in log order.
    Raises :class:`NotFound` for an unknown school (and whatever the backend raises for an
    unreachable storage: :class:`StorageUnavailable`).
    """
    with storage.unit_of_work() as uow:
        school = uow.schools.get(school_id)
        teachers, parents = _people(uow, school_id)
        journals = uow.journals.list(school_id, year)
        for j in journals:
            j.school = school
        ids = {j.id for j in journals}
        audit = [c for c in uow.audit.query(school_id) if c.journal_id in ids]
    return SchoolYear(school, year, teachers, parents, {j.id: j for j in journals}, audit)


def stream_school_year(storage: Storage, school_id: str, year: AcademicYear, write: Callable[[bytes], object]) -> None:
    """Write the document of one school's academic year to ``write`` as it is read: the bytes of
    :func:`dump_school_year` of :func:`export_school_year`, with one class journal in memory at
    a time (one unit of work, nothing written to the storage).

    Raises :class:`NotFound` for an unknown school, :class:`StorageUnavailable` for an
    unreachable storage, and what ``write`` raises.
    """
    with storage.unit_of_work() as uow:
        school = uow.schools.get(school_id)
        teachers, parents = _people(uow, school_id)
        groups = sorted(uow.journals.classes(school_id, year), key=lambda g: g.id)
        ids = {g.id for g in groups}
        audit = _audit_stream(uow, school_id, lambda c: c.journal_id in ids, journal_ids=ids)
        doc = year_document(_converter, school, year, teachers, parents, _lazy_journals(uow, school, groups), audit)
        encode_json_to(doc, write)


def _lazy_journals(
    uow: UnitOfWork,
    school: School,
    groups: list[ClassGroup],
    check: Callable[[ClassJournal, int], None] | None = None,
) -> Lazy:
    """The unstructured journals of ``groups`` (id order), each loaded when the encoder reaches it."""

    def items() -> Iterator[dict[str, Any]]:
        for i, group in enumerate(groups):
            journal = uow.journals.get(school.id, group.id)
            journal.school = school
            if check is not None:
                check(journal, i)
            yield unstructure_journal(_converter, journal)

    return Lazy(items, empty=not groups)


def _not_in(placed: set[str]) -> Callable[[Change], bool]:
    """Select the entries that name none of the journals ``placed``."""
    return lambda change: change.journal_id not in placed


def _checked(ids: set[str], root: str, problems: list[Problem]) -> Callable[[Change], bool]:
    """Select the entries of the journals ``ids`` and check each as it streams (at
    ``root.audit[i]``): an unknown journal cannot occur, a naive date-time can."""
    count = [0]

    def keep(change: Change) -> bool:
        if change.journal_id not in ids:
            return False
        problems.extend(audit_problems([change], ids, root, first_index=count[0]))
        count[0] += 1
        return True

    return keep


def _changes(
    uow: UnitOfWork, school_id: str, journal_ids: set[str] | None, other_than: set[str] | None
) -> Iterator[Change]:
    """The school's audit log in append order (of ``journal_ids`` only, or naming none of
    ``other_than``, when given), page by page and filtered by the database where the backend
    can (an ``iterate`` method, as the SQL backend's), else from ``query``."""
    iterate = getattr(uow.audit, "iterate", None)
    if iterate is not None:
        return iter(iterate(school_id, journal_ids=journal_ids, other_than=other_than))
    return iter(uow.audit.query(school_id))


def _audit_stream(
    uow: UnitOfWork,
    school_id: str,
    keep: Callable[[Change], bool],
    *,
    journal_ids: set[str] | None = None,
    other_than: set[str] | None = None,
) -> Lazy:
    """The entries ``keep`` selects (``journal_ids`` / ``other_than`` let the backend pre-filter),
    unstructured as the encoder reaches them (one page of the log in memory, not the log); the
    first is read now, to know whether there is any."""
    matching = (c for c in _changes(uow, school_id, journal_ids, other_than) if keep(c))
    first = next(matching, None)

    def items() -> Iterator[dict[str, Any]]:
        if first is None:
            return
        yield _converter.unstructure(first, Change)
        for change in matching:
            yield _converter.unstructure(change, Change)

    return Lazy(items, empty=first is None)


class GzipWriter:
    """Gzip compression written piece by piece: the same bytes as ``gzip.compress(data,
    compresslevel=6, mtime=0)`` of all the pieces (no timestamp, so equal data give equal files).

    ``write(piece)`` compresses; :meth:`close` writes the rest and the trailer.
    """

    def __init__(self, write: Callable[[bytes], object], level: int = 6) -> None:
        self._write = write
        self._z = zlib.compressobj(level, zlib.DEFLATED, 31)

    def write(self, piece: bytes) -> None:
        out = self._z.compress(piece)
        if out:
            self._write(out)

    def close(self) -> None:
        self._write(self._z.flush())


def _refuse_stored_duplicates(uow: UnitOfWork, sy: SchoolYear, journals: list[ClassJournal], root: str) -> None:
    """Refuse an imported journal whose grade and letter a stored journal of the year (another id) has."""
    imported = {j.id for j in journals}
    others = [jid for jid in uow.journals.list_ids(sy.school.id, sy.year) if jid not in imported]
    if not others:
        return
    stored = {
        (g.grade, g.letter): g.id for g in (uow.journals.get(sy.school.id, jid).class_group for jid in sorted(others))
    }
    problems = [
        Problem(
            f"{root}.journals[{i}].class_group.letter",
            f"class {j.class_group.label} of {sy.year} is already stored as journal {stored[key]!r}",
            j.class_group.letter,
        )
        for i, j in enumerate(journals)
        if (key := (j.class_group.grade, j.class_group.letter)) in stored
    ]
    if problems:
        raise InvalidInput.many(problems)


def _content_hash(journal: ClassJournal) -> str:
    """The SHA-256 of a journal's canonical document form (its data, not its version)."""
    return hashlib.sha256(encode_json(_converter.unstructure(journal, ClassJournal))).hexdigest()


def _keyed(journal: ClassJournal) -> list[tuple[dict[Any, Record], Action, Action, Action]]:
    """Each kind of record of ``journal`` by key, with its (added, changed, removed) actions."""
    return [
        # The roster first: undoing in reverse order then removes marks before their student.
        ({"": journal.class_group}, Action.SET_CLASS_TEACHER, Action.SET_CLASS_TEACHER, Action.SET_CLASS_TEACHER),
        (dict(journal.teachers), Action.ADD_TEACHER, Action.EDIT_TEACHER, Action.EDIT_TEACHER),
        (dict(journal.subjects), Action.ADD_SUBJECT, Action.EDIT_SUBJECT, Action.EDIT_SUBJECT),
        (dict(journal.courses), Action.ADD_COURSE, Action.EDIT_COURSE, Action.EDIT_COURSE),
        (dict(journal.students), Action.ENROL_STUDENT, Action.EDIT_STUDENT, Action.EDIT_STUDENT),
        (dict(journal.lessons), Action.ADD_LESSON, Action.EDIT_LESSON, Action.EDIT_LESSON),
        (dict(journal.marks), Action.RECORD_MARK, Action.CORRECT_MARK, Action.DELETE_MARK),
        (dict(journal.attendance), Action.RECORD_ATTENDANCE, Action.RECORD_ATTENDANCE, Action.CLEAR_ATTENDANCE),
        (dict(journal.results), Action.SET_RESULT, Action.SET_RESULT, Action.CLEAR_RESULT),
        (dict(journal.decisions), Action.SET_DECISION, Action.SET_DECISION, Action.CLEAR_DECISION),
        (
            dict(journal.admission_tests),
            Action.RECORD_ADMISSION_TEST,
            Action.RECORD_ADMISSION_TEST,
            Action.WITHDRAW_ADMISSION_TEST,
        ),
        (
            {p: PeriodClosure(p) for p in journal.closed_periods},
            Action.CLOSE_PERIOD,
            Action.CLOSE_PERIOD,
            Action.REOPEN_PERIOD,
        ),
    ]


def _place(record: Record, old: ClassJournal, new: ClassJournal) -> dict[str, str]:
    """The audit place fields (student, course, period, lesson) of a record of ``old`` or ``new``."""
    if isinstance(record, Lesson):
        return {"course_id": record.course_id, "lesson_id": record.id}
    if isinstance(record, (Mark, AttendanceRecord)):
        lesson = new.lessons.get(record.lesson_id) or old.lessons.get(record.lesson_id)
        course = lesson.course_id if lesson is not None else ""
        return {"student_id": record.student_id, "lesson_id": record.lesson_id, "course_id": course}
    if isinstance(record, ResultMark):
        return {"student_id": record.student_id, "course_id": record.course_id, "period_id": record.period_id}
    if isinstance(record, (Decision, AdmissionTest)):
        return {"student_id": record.student_id}
    if isinstance(record, Student):
        return {"student_id": record.id}
    if isinstance(record, Course):
        return {"course_id": record.id}
    if isinstance(record, PeriodClosure):
        return {"period_id": record.period_id}
    return {}


def replacement_changes(old: ClassJournal, new: ClassJournal, *, by: Actor, at: datetime) -> list[Change]:
    """The audit entries of replacing the stored journal ``old`` by ``new`` (an import with replace).

    One entry per record that the replace adds, changes or removes, by ``by`` at ``at``, each
    with ``before``/``after`` set so that "as of" reconstruction undoes the replace exactly, and a
    reason naming the journal, the stored version and the SHA-256 of the old and the new data.
    Nothing when the records are equal.
    """
    old_hash, new_hash = _content_hash(old), _content_hash(new)
    reason = (
        f"import --replace of journal {old.id}: version {old.version} (sha256 {old_hash}) "
        f"replaced by version {old.version + 1} (sha256 {new_hash})"
    )
    changes: list[Change] = []
    for (before_of, added, changed, removed), (after_of, _, _, _) in zip(_keyed(old), _keyed(new), strict=True):
        for key in sorted(before_of.keys() | after_of.keys(), key=repr):
            before, after = before_of.get(key), after_of.get(key)
            if before == after:
                continue
            action = added if before is None else removed if after is None else changed
            record = after if after is not None else before
            assert record is not None
            place = _place(record, old, new)
            changes.append(Change(old.id, by.id, by.role, at, action, before, after, reason, **place))
    return changes


def _write_year(
    uow: UnitOfWork,
    sy: SchoolYear,
    *,
    replace: bool,
    root: str = "$",
    by: Actor | None = None,
    at: datetime | None = None,
) -> None:
    """Write ``sy`` through ``uow`` after checking for conflicts with what is stored (no commit)."""
    school_id = sy.school.id
    try:
        stored_school: School | None = uow.schools.get(school_id)
    except NotFound:
        stored_school = None
    if stored_school is not None:
        stored_teachers, stored_parents = _people(uow, school_id)
        stored_ids = set(uow.journals.list_ids(school_id))
    else:
        stored_teachers, stored_parents, stored_ids = {}, {}, set()
    teachers = [sy.teachers[k] for k in sorted(sy.teachers)]
    parents = [sy.parents[k] for k in sorted(sy.parents)]
    journals = [_detached(sy.journals[k], sy.school) for k in sorted(sy.journals)]
    if not replace:
        problems: list[Problem] = []
        hint = " (pass replace=True to overwrite it)"
        if stored_school is not None and stored_school != sy.school:
            problems.append(Problem(f"{root}.school", "a different school with this id is stored" + hint, school_id))
        for i, t in enumerate(teachers):
            if t.id in stored_teachers and stored_teachers[t.id] != t:
                problems.append(
                    Problem(f"{root}.teachers[{i}]", "a different teacher with this id is stored" + hint, t.id)
                )
        for i, p in enumerate(parents):
            if p.id in stored_parents and stored_parents[p.id] != p:
                problems.append(
                    Problem(f"{root}.parents[{i}]", "a different parent with this id is stored" + hint, p.id)
                )
        for i, j in enumerate(journals):
            if j.id in stored_ids:
                problems.append(
                    Problem(f"{root}.journals[{i}].class_group.id", "a journal with this id is stored" + hint, j.id)
                )
        if problems:
            raise InvalidInput.many(problems)
    if stored_school is not None:
        _refuse_stored_duplicates(uow, sy, journals, root)
    if stored_school is None:
        uow.schools.add(sy.school)
    elif stored_school != sy.school:
        uow.schools.update(sy.school)
    for t in teachers:
        if stored_teachers.get(t.id) != t:
            uow.people.add_teacher(school_id, t)
    for p in parents:
        if stored_parents.get(p.id) != p:
            uow.people.add_parent(school_id, p)
    replaced: list[Change] = []
    who = by if by is not None else IMPORTER
    when = at if at is not None else datetime.now(UTC)
    for j in journals:
        if j.id in stored_ids:
            stored = uow.journals.get(school_id, j.id)
            replaced.extend(replacement_changes(stored, j, by=who, at=when))
            j.version = stored.version
            uow.journals.save(j)
        else:
            uow.journals.add(j)
    # A replaced journal's log is the storage's own history; the document's entries that the log
    # lacks describe a history the stored journal never had and would break "as of" reconstruction,
    # so they are not replayed: the replacement entries record the difference instead.
    audit = [c for c in sy.audit if c.journal_id not in stored_ids]
    if replace and stored_school is not None and audit:
        present = Counter(uow.audit.query(school_id))
        fresh: list[Change] = []
        for change in audit:
            if present[change] > 0:
                present[change] -= 1
            else:
                fresh.append(change)
        audit = fresh
    audit.extend(replaced)
    if audit:
        uow.audit.append(school_id, audit)


def import_school_year(
    storage: Storage,
    sy: SchoolYear,
    *,
    replace: bool = False,
    by: Actor | None = None,
    at: datetime | None = None,
) -> None:
    """Write a school year into ``storage`` in ONE unit of work: all of it or nothing.

    ``sy`` is first validated like a document (references, values on their scales, dates in the
    year, audit entries naming its journals); problems raise :class:`InvalidInput` with the JSON
    paths of the canonical document.  Without ``replace``, a stored school, teacher or parent
    that differs from the imported one, or a stored journal with an imported id, is a conflict
    (:class:`InvalidInput`, nothing written); equal stored records are fine, so a school's second
    year imports without ``replace``.  With ``replace`` the school, people and journals are
    overwritten (journals not in ``sy`` stay) and audit entries already in the log are not
    appended twice.  A replaced journal keeps its whole audit history and gains one entry per
    record the replace adds, changes or removes (:func:`replacement_changes`, by ``by`` at ``at``:
    the system importer and the current time by default), so "as of" reconstruction gives the
    old data before the replace and the new data after it; the document's own entries for a
    replaced journal are not replayed into the log.

    The journals are written as copies without pending changes (``sy.audit`` is what goes to the
    audit log) and keep their data, not their ``version``: the storage numbers versions itself
    (a new journal gets 1, a replaced one the stored version + 1).
    """
    problems = check_school_year(sy)
    if problems:
        raise InvalidInput.many(problems)
    with storage.unit_of_work() as uow:
        _write_year(uow, sy, replace=replace, by=by, at=at)
        uow.commit()


# ------------------------------------------------------------------------------------------------ backup
def backup_storage(storage: Storage, *, schools: Collection[str] | None = None) -> bytes:
    """Every school (or only those whose ids are in ``schools``) and academic year of ``storage``
    as one gzip-compressed JSON bundle (:func:`stream_backup` collected in memory).

    The bundle is ``{"format_version", "kind": "backup", "generator", "documents", "schools"}``:
    ``documents`` holds one school-year document per school and year that has journals (sorted by
    school id, then year); ``schools`` holds, for every school, its record, teachers, parents and
    the audit entries that name no stored journal.  The bytes are deterministic for equal data
    (gzip without a timestamp).  Raises :class:`InvalidInput` when stored data could not be
    restored (an off-scale mark...), naming the place in the bundle.
    """
    pieces: list[bytes] = []
    stream_backup(storage, pieces.append, schools=schools)
    return b"".join(pieces)


def stream_backup(
    storage: Storage, write: Callable[[bytes], object], *, schools: Collection[str] | None = None
) -> None:
    """:func:`backup_storage` written to ``write`` as it is read: gzip bytes, one class journal in
    memory at a time.  The stored data are checked as they stream; problems raise
    :class:`InvalidInput` (naming the places in the bundle) after the last byte, so a caller
    writing a file must discard it then (:func:`~ejournal._files.private_file` does).
    """
    problems: list[Problem] = []
    gz = GzipWriter(write)
    with storage.unit_of_work() as uow:
        plan: list[
            tuple[School, dict[str, Teacher], dict[str, Parent], list[tuple[AcademicYear, list[ClassGroup]]]]
        ] = []
        for school in uow.schools.list():
            if schools is not None and school.id not in schools:
                continue
            teachers, parents = _people(uow, school.id)
            years = [
                (y, sorted(uow.journals.classes(school.id, y), key=lambda g: g.id))
                for y in sorted(uow.journals.years(school.id))
            ]
            plan.append((school, teachers, parents, years))

        def documents() -> Iterator[dict[str, Any]]:
            n = 0
            for school, teachers, parents, years in plan:
                for year, groups in years:
                    root = f"$.documents[{n}]"
                    ids = {g.id for g in groups}

                    def check(
                        journal: ClassJournal,
                        i: int,
                        school: School = school,
                        year: AcademicYear = year,
                        root: str = root,
                    ) -> None:
                        problems.extend(journal_problems(journal, school, year, f"{root}.journals[{i}]"))

                    problems.extend(
                        duplicate_class_problems([(f"{root}.journals[{i}]", g) for i, g in enumerate(groups)])
                    )
                    yield year_document(
                        _converter,
                        school,
                        year,
                        teachers,
                        parents,
                        _lazy_journals(uow, school, groups, check),
                        _audit_stream(
                            uow, school.id, _checked(ids, root, problems), journal_ids=ids
                        ),  # the log read page by page
                    )
                    n += 1

        entries = []
        for school, teachers, parents, years in plan:
            placed = {g.id for _, groups in years for g in groups}
            entries.append(
                {
                    "school": _converter.unstructure(school, School),
                    "teachers": [_converter.unstructure(teachers[k], Teacher) for k in sorted(teachers)],
                    "parents": [_converter.unstructure(parents[k], Parent) for k in sorted(parents)],
                    # the entries that name no stored journal (a school-level change, a replaced journal)
                    "audit": _audit_stream(uow, school.id, _not_in(placed), other_than=placed),
                }
            )
        bundle = {
            "format_version": FORMAT_VERSION,
            "kind": KIND_BACKUP,
            "generator": generator(),
            "documents": Lazy(documents, empty=not any(years for _, _, _, years in plan)),
            "schools": entries,
        }
        try:
            encode_json_to(bundle, gz.write)
        except InvalidInput:
            if problems:  # what could not be written was checked first: name its place in the bundle
                raise InvalidInput.many(problems) from None
            raise
    gz.close()
    if problems:
        raise InvalidInput.many(problems)


def _rooted(problem: Problem, root: str) -> Problem:
    where = problem.where
    if where.startswith("$"):
        where = root + where[1:]
    return Problem(where, problem.message, problem.value)


def _structure_school_entry(
    raw: object, path: str, problems: list[Problem]
) -> tuple[School, list[Teacher], list[Parent], list[Change]] | None:
    if not isinstance(raw, dict):
        problems.append(Problem(path, "expected an object", type(raw).__name__))
        return None
    before = len(problems)
    for k in ("school", "teachers", "parents", "audit"):
        if k not in raw:
            problems.append(Problem(key_path(path, k), "required key is missing"))
    for k in raw:
        if k not in ("school", "teachers", "parents", "audit"):
            problems.append(Problem(key_path(path, str(k)), "unknown key"))
    out: dict[str, Any] = {}
    for k, t in (("school", School), ("teachers", list[Teacher]), ("parents", list[Parent]), ("audit", list[Change])):
        if k in raw:
            try:
                out[k] = _converter.structure(raw[k], t)
            except Exception as e:
                problems.extend(problems_of(e, key_path(path, k), t if isinstance(t, type) else None))
    if len(problems) > before:
        return None
    return out["school"], out["teachers"], out["parents"], out["audit"]


@attrs.frozen
class SchoolRecords:
    """A school's entry of a backup: its record, people and the audit entries of no stored journal."""

    school: School
    teachers: list[Teacher]
    parents: list[Parent]
    audit: list[Change]


@attrs.frozen
class Backup:
    """A backup bundle read and validated by :func:`read_backup`, ready for :func:`restore_storage`.

    ``years`` holds the school-year documents in bundle order (each journal with the ``version``
    its document records), ``schools`` the school entries in bundle order.
    """

    years: list[SchoolYear]
    schools: list[SchoolRecords]


def read_backup(data: bytes | str) -> Backup:
    """Read and validate a bundle written by :func:`backup_storage` (gzip or plain JSON).

    Every document is upgraded and validated; all problems raise one :class:`InvalidInput`
    (paths like ``$.documents[2].journals[0].marks[5].value``): a malformed bundle, a school listed
    twice or differing between documents, a journal present in two documents.
    """
    raw = decode_json(data)
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise InvalidInput("$", "a backup is a JSON object", type(raw).__name__)
    for k in ("format_version", "kind", "documents", "schools"):
        if k not in raw:
            problems.append(Problem(f"$.{k}", "required key is missing"))
    for k in raw:
        if k not in ("format_version", "kind", "generator", "documents", "schools"):
            problems.append(Problem(key_path("$", str(k)), "unknown key"))
    if "kind" in raw and raw["kind"] != KIND_BACKUP:
        problems.append(
            Problem("$.kind", f'expected "{KIND_BACKUP}" (a single year is read by load_school_year)', raw["kind"])
        )
    version = raw.get("format_version")
    if "format_version" in raw and (
        isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION
    ):
        problems.append(Problem("$.format_version", f"expected a format version from 1 to {FORMAT_VERSION}", version))
    years: list[SchoolYear] = []
    raw_docs = raw.get("documents", [])
    if not isinstance(raw_docs, list):
        problems.append(Problem("$.documents", "expected a list", type(raw_docs).__name__))
        raw_docs = []
    for i, doc in enumerate(raw_docs):
        root = f"$.documents[{i}]"
        try:
            if not isinstance(doc, dict):
                raise InvalidInput("$", "expected an object", type(doc).__name__)
            years.append(structure_school_year(_converter, upgrade_document(doc), root))
        except InvalidInput as e:
            problems.extend(_rooted(p, root) if not p.where.startswith(root) else p for p in e.problems)
    entries: list[SchoolRecords] = []
    raw_schools = raw.get("schools", [])
    if not isinstance(raw_schools, list):
        problems.append(Problem("$.schools", "expected a list", type(raw_schools).__name__))
        raw_schools = []
    for i, s in enumerate(raw_schools):
        entry = _structure_school_entry(s, f"$.schools[{i}]", problems)
        if entry is not None:
            entries.append(SchoolRecords(*entry))

    schools: dict[str, School] = {}
    for i, records in enumerate(entries):
        if records.school.id in schools:
            problems.append(Problem(f"$.schools[{i}].school.id", "the school is listed twice", records.school.id))
        schools[records.school.id] = records.school
    journal_at: dict[tuple[str, str], str] = {}
    for i, sy in enumerate(years):
        known = schools.setdefault(sy.school.id, sy.school)
        if known != sy.school:
            problems.append(
                Problem(
                    f"$.documents[{i}].school", "differs from the same school elsewhere in the backup", sy.school.id
                )
            )
        for n, jid in enumerate(sorted(sy.journals)):
            here = f"$.documents[{i}].journals[{n}].class_group.id"
            first = journal_at.setdefault((sy.school.id, jid), here)
            if first != here:
                problems.append(Problem(here, f"the journal is also in {first}", jid))
    if problems:
        raise InvalidInput.many(problems)
    return Backup(years, entries)


def restore_storage(
    storage: Storage,
    data: bytes | Backup,
    *,
    by: Actor | None = None,
    at: datetime | None = None,
    digest: str | None = None,
) -> None:
    """Load a bundle written by :func:`backup_storage` into an EMPTY storage, all or nothing.

    ``data`` is the bundle's bytes (read and validated first by :func:`read_backup`, which
    raises :class:`InvalidInput` listing every problem) or a :class:`Backup` already read.  A
    storage that already holds a school raises :class:`InvalidInput` and is left untouched.
    Journals get the versions the storage assigns (1); each school's audit entries are appended
    merged by time from the bundle's parts, each part (a year's document, the school's entry)
    keeping its own order, so the entries of one journal come back in their append order even
    when their times go backwards.

    With ``by`` (and ``at``, the time), each school's log then gets one more, school-level entry
    (``restore_backup``, the school record as ``after``) saying who restored it, when, and from
    what: the SHA-256 of the bundle's bytes (``digest``, computed when ``data`` is bytes) and how
    many journals and entries it held.  Without ``by`` the log is exactly the backup's.
    """
    if digest is None:
        digest = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else ""
    backup = data if isinstance(data, Backup) else read_backup(data)
    schools: dict[str, School] = {e.school.id: e.school for e in backup.schools}
    for sy in backup.years:
        schools.setdefault(sy.school.id, sy.school)
    with storage.unit_of_work() as uow:
        if uow.schools.list():
            raise InvalidInput("storage", "restore needs an empty storage", storage.url)
        for school in schools.values():
            uow.schools.add(school)
        audit: dict[str, list[list[Change]]] = {sid: [] for sid in schools}
        for entry in backup.schools:
            for t in entry.teachers:
                uow.people.add_teacher(entry.school.id, t)
            for p in entry.parents:
                uow.people.add_parent(entry.school.id, p)
            audit[entry.school.id].append(list(entry.audit))
        for sy in backup.years:
            for t in sy.teachers.values():
                uow.people.add_teacher(sy.school.id, t)
            for p in sy.parents.values():
                uow.people.add_parent(sy.school.id, p)
            for jid in sorted(sy.journals):
                uow.journals.add(_detached(sy.journals[jid], sy.school))
            audit[sy.school.id].append(list(sy.audit))
        for sid, parts in audit.items():
            # heapq.merge only ever takes the head of a part: each part keeps its own order.
            changes = list(heapq.merge(*parts, key=lambda c: c.at))
            if by is not None:
                journals = sum(len(sy.journals) for sy in backup.years if sy.school.id == sid)
                source = f"a backup (sha256 {digest})" if digest else "a backup"
                reason = f"restore of {source}: {journals} journals, {len(changes)} audit entries"
                when = at if at is not None else datetime.now(UTC)
                changes.append(Change("", by.id, by.role, when, Action.RESTORE_BACKUP, None, schools[sid], reason))
            if changes:
                uow.audit.append(sid, changes)
        uow.commit()
