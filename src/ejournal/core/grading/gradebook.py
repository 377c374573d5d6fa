"""The gradebook: every computed mark of one journal, indexed once, computed lazily and once.

:meth:`Gradebook.of` builds the indices of a :class:`~ejournal.core.journal.ClassJournal` in one
pass (current and brought marks by student × course × period, the lesson dates and the missed
lessons of each period); the period, annual and final marks are then computed on first request
and memoised per cell.  A period mark is computed without its explanation (the engine's
``explain=False`` path: exact integer arithmetic, no mark lists, no texts); the explanation is
built the first time :attr:`GradebookMark.explanation` is read.

The marks are those of :func:`~ejournal.core.grading.propose_period_mark`,
:func:`~ejournal.core.grading.propose_annual_mark` and
:func:`~ejournal.core.grading.propose_final_mark` on the same journal (the tests compare them on
generated journals).  A gradebook reads the journal it was built from; after the journal changes,
:meth:`Gradebook.updated` gives the gradebook of the changed journal, recomputing only the cells
of the students × courses the changes touch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction

from attrs import evolve

from ejournal.core.calendar import PeriodKind
from ejournal.core.errors import NotFound
from ejournal.core.grading.engine import (
    ComputedMark,
    _check_policy,
    _earlier_marks,
    _Item,
    _lessons_enrolled,
    _named,
    _period,
    _work_type_names,
    propose_annual_mark,
    propose_final_mark,
)
from ejournal.core.grading.explain import Explanation
from ejournal.core.grading.policy import GradingPolicy
from ejournal.core.journal import Action, Change, ClassJournal, ResultKey, ResultKind
from ejournal.core.model import Student
from ejournal.core.scales import MarkValue, Status

__all__ = ["Gradebook", "GradebookMark"]

_Cell = tuple[str, str, str]
"""(student id, course id, period id)."""

_PeriodInputs = tuple[Sequence[_Item], GradingPolicy, Fraction, int, int, bool, PeriodKind, tuple[tuple[str, str], ...]]
"""What the period rule is given for a cell: (marks, policy, weekly hours, lessons, missed,
exempt, period kind) and the journal's work-type names for the explanation's text."""

_LOCAL_ACTIONS = frozenset(
    {
        Action.RECORD_MARK,
        Action.CORRECT_MARK,
        Action.DELETE_MARK,
        Action.RECORD_ATTENDANCE,
        Action.CLEAR_ATTENDANCE,
        Action.SET_RESULT,
        Action.CLEAR_RESULT,
        Action.BRING_MARK,
        Action.REMOVE_BROUGHT_MARK,
    }
)
"""Changes whose effect on computed marks stays within their student × course."""

_NEUTRAL_ACTIONS = frozenset(
    {Action.SET_DECISION, Action.CLEAR_DECISION, Action.CLOSE_PERIOD, Action.REOPEN_PERIOD, Action.EDIT_LESSON}
)
"""Changes no computed mark depends on (decisions, closing periods, lesson topics and homework)."""


class GradebookMark:
    """One computed mark of a gradebook: its value now, its explanation when first read.

    ``value`` is the proposed mark (``None`` = nothing to propose), ``mean`` the exact mean it was
    rounded from (``None`` when no mean was taken), ``policy_hash`` the policy's content hash.
    :attr:`explanation` is built on first access and kept; :meth:`computed` gives the same mark
    as a :class:`~ejournal.core.grading.ComputedMark`.  Read-only: nothing a caller does with it
    changes the gradebook.
    """

    __slots__ = ("_explanation", "_inputs", "mean", "policy_hash", "summary", "value")

    def __init__(self, summary: ComputedMark, inputs: _PeriodInputs | None = None) -> None:
        """``summary`` is the mark as computed; its explanation is the full one unless ``inputs``
        (what the period rule was given) are passed, to build it from on first read."""
        init = object.__setattr__
        init(self, "summary", summary)
        init(self, "value", summary.value)
        init(self, "mean", summary.mean)
        init(self, "policy_hash", summary.policy_hash)
        init(self, "_inputs", inputs)
        init(self, "_explanation", summary.explanation if inputs is None else None)

    summary: ComputedMark
    """The mark as computed, with the explanation it was computed with (no mark lists for a period
    mark: the engine's ``explain=False`` record)."""
    value: MarkValue | None
    mean: Fraction | None
    policy_hash: str
    _inputs: _PeriodInputs | None
    _explanation: Explanation | None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a GradebookMark is read-only (cannot set {name!r})")

    @property
    def explained(self) -> bool:
        """True once the explanation has been built."""
        return self._explanation is not None

    @property
    def explanation(self) -> Explanation:
        """Why the mark is what it is (built on the first read, then kept)."""
        if self._explanation is None:
            assert self._inputs is not None
            items, policy, hours, total, missed, exempt, kind, names = self._inputs
            explanation = _period(items, policy, hours, total, missed, exempt, True, kind).explanation
            if names and explanation.detailed and (explanation.used or explanation.excluded):
                explanation = evolve(explanation, work_type_names=names)
            object.__setattr__(self, "_explanation", explanation)
            object.__setattr__(self, "_inputs", None)
            return explanation
        return self._explanation

    def computed(self) -> ComputedMark:
        """The mark as a :class:`~ejournal.core.grading.ComputedMark` (builds the explanation)."""
        return ComputedMark(self.value, self.explanation, self.policy_hash)

    def __repr__(self) -> str:
        return f"GradebookMark(value={self.value!r}, mean={self.mean!r})"


class Gradebook:
    """Every period, annual and final mark of one journal, computed lazily and once.

    Build it with :meth:`of`.  :meth:`period`, :meth:`annual` and :meth:`final` return the
    memoised :class:`GradebookMark` of a cell (computing it on the first request);
    :meth:`period_marks` computes every period cell of the journal's schemes.  The gradebook reads
    ``journal`` (never changes it) and must not outlive a change of it: use :meth:`updated`.
    """

    def __init__(self, journal: ClassJournal, policy: GradingPolicy) -> None:
        """Use :meth:`of`; this constructor builds nothing."""
        self.journal = journal
        self.policy = policy
        self._names: tuple[tuple[str, str], ...] = ()
        self._period_of_lesson: dict[str, tuple[str, date]] = {}
        self._dates: dict[tuple[str, str], list[date]] = {}
        self._course_periods: dict[str, list[tuple[str, date, date, PeriodKind]]] = {}
        self._items: dict[_Cell, list[_Item]] = {}
        self._missed: dict[_Cell, int] = {}
        self._periods: dict[_Cell, GradebookMark] = {}
        self._annuals: dict[tuple[str, str], GradebookMark] = {}
        self._finals: dict[tuple[str, str, tuple[MarkValue, ...]], GradebookMark] = {}
        self.computed_cells = 0
        """How many cells were computed so far (period, annual and final; for tests and profiling)."""

    # ------------------------------------------------------------------ building
    @classmethod
    def of(cls, journal: ClassJournal, policy: GradingPolicy) -> Gradebook:
        """The gradebook of ``journal`` under ``policy``: indices built now, marks on request.

        One pass over the journal's lessons, marks, brought marks and attendance.  Raises
        :class:`~ejournal.core.errors.InvalidInput` (where ``policy``) when ``policy`` is not a
        :class:`~ejournal.core.grading.GradingPolicy`; nothing else (the journal is valid by
        construction).
        """
        _check_policy(policy)
        book = cls(journal, policy)
        book._index_lessons()
        book._names = _work_type_names(journal)
        weight_of = {wt: t.weight for wt, t in journal.work_types.items()}
        lesson_info = book._period_of_lesson
        items = book._items
        for sid in journal.students:
            for cid in journal.courses:
                for m in journal.marks_of(sid, cid):
                    info = lesson_info.get(m.lesson_id)
                    if info is None:
                        continue
                    wt = m.work_type_id
                    key = (sid, cid, info[0])
                    bucket = items.get(key)
                    if bucket is None:
                        bucket = items[key] = []
                    bucket.append((m.value, weight_of[wt], wt, info[1], m.id))
        # Marks brought on an arriving student's extract count like the marks given here.
        for b in sorted(journal.brought_marks.values(), key=lambda b: (b.date, b.id)):
            brought_in = journal.schemes[journal.courses[b.course_id].scheme_id].period_of(b.date)
            if brought_in is not None:
                key = (b.student_id, b.course_id, brought_in.id)
                items.setdefault(key, []).append((b.value, weight_of[b.work_type_id], b.work_type_id, b.date, b.id))
        codes = journal.attendance_codes
        lessons = journal.lessons
        missed = book._missed
        for (sid, lid), a in journal.attendance.items():
            code = codes.get(a.code)
            if code is None or not code.missed:
                continue
            info = lesson_info.get(lid)
            if info is None:
                continue
            key = (sid, lessons[lid].course_id, info[0])
            missed[key] = missed.get(key, 0) + 1
        return book

    def _index_lessons(self) -> None:
        journal = self.journal
        for cid, course in journal.courses.items():
            scheme = journal.schemes[course.scheme_id]
            self._course_periods[cid] = [(p.id, p.start, p.end, p.kind) for p in scheme.periods]
            for le in journal.lessons_of(cid):
                p = scheme.period_of(le.date)
                if p is not None:
                    self._period_of_lesson[le.id] = (p.id, le.date)
                    self._dates.setdefault((cid, p.id), []).append(le.date)

    def _reindex(self, student_id: str, course_id: str) -> None:
        """Rebuild the indices of one student × course from the journal and forget its cells."""
        journal = self.journal
        for pid, _, _, _ in self._course_periods.get(course_id, []):
            key = (student_id, course_id, pid)
            self._items.pop(key, None)
            self._missed.pop(key, None)
            self._periods.pop(key, None)
        self._annuals.pop((student_id, course_id), None)
        for fkey in [k for k in self._finals if k[0] == student_id and k[1] == course_id]:
            del self._finals[fkey]
        if student_id not in journal.students or course_id not in journal.courses:
            return
        weight_of = {wt: t.weight for wt, t in journal.work_types.items()}
        lesson_info = self._period_of_lesson
        for m in journal.marks_of(student_id, course_id):
            info = lesson_info.get(m.lesson_id)
            if info is not None:
                self._items.setdefault((student_id, course_id, info[0]), []).append(
                    (m.value, weight_of[m.work_type_id], m.work_type_id, info[1], m.id)
                )
        scheme = journal.scheme_of(course_id)
        for b in journal.brought_marks_of(student_id, course_id):
            brought_in = scheme.period_of(b.date)
            if brought_in is not None:
                self._items.setdefault((student_id, course_id, brought_in.id), []).append(
                    (b.value, weight_of[b.work_type_id], b.work_type_id, b.date, b.id)
                )
        for a in journal.absences_of(student_id, course_id):
            info = lesson_info.get(a.lesson_id)
            if info is not None:
                key = (student_id, course_id, info[0])
                self._missed[key] = self._missed.get(key, 0) + 1

    def updated(self, journal: ClassJournal, changes: Iterable[Change]) -> Gradebook:
        """The gradebook of ``journal``, which is this gradebook's journal after ``changes``.

        Cells of the students × courses that marks, attendance, result marks or brought marks
        changed are recomputed on request; every other computed cell is kept.  Changes that do not
        enter any mark (decisions, closing a period, a lesson's topic) keep every cell; any other
        change (a new lesson, the roster, courses, work types...) gives a fresh gradebook.  This
        gradebook is left as it was.  Raises nothing.
        """
        touched: set[tuple[str, str]] = set()
        for change in changes:
            if change.action in _NEUTRAL_ACTIONS:
                continue
            if change.action in _LOCAL_ACTIONS and change.student_id and change.course_id:
                touched.add((change.student_id, change.course_id))
                continue
            return Gradebook.of(journal, self.policy)
        book = Gradebook(journal, self.policy)
        book._names = self._names
        book._period_of_lesson = self._period_of_lesson
        book._dates = self._dates
        book._course_periods = self._course_periods
        book._items = dict(self._items)
        book._missed = dict(self._missed)
        book._periods = dict(self._periods)
        book._annuals = dict(self._annuals)
        book._finals = dict(self._finals)
        for sid, cid in sorted(touched):
            book._reindex(sid, cid)
        return book

    # ------------------------------------------------------------------ marks
    def period(self, student_id: str, course_id: str, period_id: str) -> GradebookMark:
        """The proposed period mark of a cell (as :func:`~ejournal.core.grading.propose_period_mark`).

        Computed on the first request, without its explanation; raises
        :class:`~ejournal.core.errors.NotFound` for an unknown student, course or period.
        """
        key = (student_id, course_id, period_id)
        found = self._periods.get(key)
        if found is not None:
            return found
        journal = self.journal
        student = journal.students.get(student_id)
        course = journal.courses.get(course_id)
        if student is not None and course is not None:
            for period in self._course_periods.get(course_id, ()):
                if period[0] == period_id:
                    return self._compute_period(key, student, course.hours_per_week, period)
        journal.student(student_id)
        journal.course(course_id)
        journal.period(course_id, period_id)  # raises NotFound for a period of another scheme
        raise NotFound("period", period_id, f"course {course_id}")  # the indices are of another journal

    def _period_inputs(
        self, key: _Cell, student: Student, period: tuple[str, date, date, PeriodKind]
    ) -> tuple[list[_Item], int, int, bool]:
        """(marks, lessons while enrolled, lessons missed, exempt) of a period cell, from the indices."""
        sid, cid, pid = key
        _, start, end, _ = period
        total = _lessons_enrolled(student, start, end, self._dates.get((cid, pid), []))
        missed = min(self._missed.get(key, 0), total)
        existing = self.journal.results.get(ResultKey(sid, cid, ResultKind.PERIOD, pid))
        exempt = existing is not None and existing.value is Status.EXEMPT
        return self._items.get(key, []), total, missed, exempt

    def _compute_period(
        self, key: _Cell, student: Student, hours: Fraction, period: tuple[str, date, date, PeriodKind]
    ) -> GradebookMark:
        items, total, missed, exempt = self._period_inputs(key, student, period)
        kind = period[3]
        policy = self.policy
        mark = GradebookMark(
            _period(items, policy, hours, total, missed, exempt, False, kind),
            (items, policy, hours, total, missed, exempt, kind, self._names),
        )
        self._periods[key] = mark
        self.computed_cells += 1
        return mark

    def period_marks(self) -> dict[ResultKey, GradebookMark]:
        """Every period cell: each student × course × period of the course's scheme, by :class:`ResultKey`.

        Computes the cells not computed yet (without explanations).  Raises nothing.
        """
        out: dict[ResultKey, GradebookMark] = {}
        journal = self.journal
        for sid, student in journal.students.items():
            for cid, course in journal.courses.items():
                for period in self._course_periods[cid]:
                    key = (sid, cid, period[0])
                    mark = self._periods.get(key)
                    if mark is None:
                        mark = self._compute_period(key, student, course.hours_per_week, period)
                    out[ResultKey(sid, cid, ResultKind.PERIOD, period[0])] = mark
        return out

    def explained_period_marks(self) -> dict[ResultKey, ComputedMark]:
        """Every period cell with its explanation, built now (what a caller that shows them all needs).

        Each cell is computed once, with its explanation, and not memoised (the memoised cells are
        the values); same keys and order as :meth:`period_marks`.  Raises nothing.
        """
        out: dict[ResultKey, ComputedMark] = {}
        journal = self.journal
        policy = self.policy
        for sid, student in journal.students.items():
            for cid, course in journal.courses.items():
                for period in self._course_periods[cid]:
                    items, total, missed, exempt = self._period_inputs((sid, cid, period[0]), student, period)
                    computed = _period(items, policy, course.hours_per_week, total, missed, exempt, True, period[3])
                    out[ResultKey(sid, cid, ResultKind.PERIOD, period[0])] = _named(computed, journal, self._names)
        return out

    def annual(self, student_id: str, course_id: str) -> GradebookMark:
        """The proposed annual mark (as :func:`~ejournal.core.grading.propose_annual_mark`: from the
        period marks set in the journal).  Raises :class:`~ejournal.core.errors.NotFound` for an
        unknown student or course."""
        key = (student_id, course_id)
        found = self._annuals.get(key)
        if found is None:
            found = GradebookMark(propose_annual_mark(self.journal, student_id, course_id, self.policy))
            self._annuals[key] = found
            self.computed_cells += 1
        return found

    def exam(self, student_id: str, course_id: str) -> MarkValue | None:
        """The exam mark set in the journal (``None`` when none); exam marks are entered, never computed.

        Raises :class:`~ejournal.core.errors.NotFound` for an unknown student or course.
        """
        r = self.journal.result(student_id, course_id, ResultKind.EXAM)
        return None if r is None else r.value

    def final(self, student_id: str, course_id: str, earlier_results: Sequence[MarkValue] = ()) -> GradebookMark:
        """The proposed final mark (as :func:`~ejournal.core.grading.propose_final_mark` with
        ``earlier_results``), memoised per student × course × earlier results.

        Raises :class:`~ejournal.core.errors.NotFound` for an unknown student or course and
        :class:`~ejournal.core.errors.InvalidInput` for an earlier mark off the course's scale.
        """
        journal = self.journal
        journal.student(student_id)
        earlier = _earlier_marks(earlier_results, journal.scale_of(course_id))
        key = (student_id, course_id, earlier)
        found = self._finals.get(key)
        if found is None:
            found = GradebookMark(
                propose_final_mark(journal, student_id, course_id, self.policy, earlier_results=earlier)
            )
            self._finals[key] = found
            self.computed_cells += 1
        return found
