"""Stage 2 of the demo: the end of every period and of the year, through commands and grading.

For each period (in date order) the subject teachers set the period marks - the proposals of the
grading policy, with a few overrides by one grade with a written reason, "осв." for students
exempt from physical education - and the administrator closes the period.  Then come annual
marks, the council's decisions, the state exams and final marks of grades 9 and 11, and the
closing of the year.  Grades 9 and 11 take their admission test during the year (the interview
in February, the essay in December; a few students fail and pass on an additional date); their
students are admitted to the exams in May and graduate in June (two decisions each).  In the
other grades about half of the conditionally promoted clear their debts by a retake at the end
of August, and the council then promotes them (a second decision).  Everything goes through :class:`~ejournal.core.journal.ClassJournal`
commands, so every invariant is checked and every step is a :class:`Change`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from ejournal.core.calendar import Period
from ejournal.core.exam_scores import ScoreConversion
from ejournal.core.grading import (
    ComputedMark,
    GradingPolicy,
    decide_promotion,
    propose_annual_mark,
    propose_final_mark,
    propose_period_marks,
)
from ejournal.core.journal import (
    MAX_ADMISSION_ATTEMPTS,
    YEAR,
    Actor,
    AdmissionTest,
    AdmissionTestKind,
    Change,
    ClassJournal,
    Decision,
    DecisionKind,
    ExamChoice,
    FixedClock,
    ResultKey,
    ResultKind,
    Retake,
    Role,
    admission_test_kind,
)
from ejournal.core.model import AssessmentKind, Student
from ejournal.core.records import grade10_results
from ejournal.core.scales import MarkValue, Status
from ejournal.demo._exams import DEMO_CONVERSIONS
from ejournal.demo._raw import MSK

__all__ = ["ADMIN", "complete_results"]

ADMIN = Actor("admin", Role.ADMINISTRATOR)
"""The deputy director who closes periods and records exams and decisions in the demo."""

_OVERRIDE_REASON = "учтены результаты устных ответов и положительная динамика в конце периода"
_EXEMPT_REASON = "освобождён от занятий по медицинской справке"
_NO_MARKS_REASON = "нет ни одной отметки за период"


_OVERRIDE_FROM = Fraction(3, 10)  # a teacher may raise a mark whose mean is at least this far above it


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), MSK)


def _weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-based) ``weekday`` (Monday 0) of the month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def complete_results(
    journal: ClassJournal, policy: GradingPolicy, *, seed: int = 2025, earlier: Sequence[ClassJournal] = ()
) -> list[Change]:
    """Play the end of every period and of the year on a raw demo journal (stage 2).

    Sets period marks (the policy's proposals; a few teacher overrides by one grade with a
    reason; "осв." in physical education for students without any PE mark), closes each period,
    sets annual marks and the council's decisions (with date and protocol number; a departure is
    a movement, not a decision), the admission tests, exam marks and final marks of grades 9 and
    11 (grade-11 finals also average the grade-10 results of the class's grade-10 journal in
    ``earlier``, or invented ones when there is none; admitted in May, graduated in June), closes
    the year, and plays the retakes of about half of the conditionally promoted at the end of
    August with the promotion that follows.  The journal's clock is a :class:`FixedClock` moved along the calendar and restored
    afterwards.  Returns the changes made, oldest first, and removes them from
    ``journal.pending_changes``.  Raises what the commands raise (nothing, on a journal from
    stage 1).
    """
    rng = random.Random(f"ejournal-demo:{seed}:{journal.id}:results")
    saved_clock, saved_pending = journal.clock, len(journal.pending_changes)
    clock = FixedClock(_at(journal.class_group.year.start, 8))
    journal.clock = clock
    try:
        _Year(journal, policy, rng, clock, grade10_results(journal, earlier) if earlier else None).run()
    finally:
        journal.clock = saved_clock
    changes = journal.pending_changes[saved_pending:]
    del journal.pending_changes[saved_pending:]
    return changes


class _Year:
    def __init__(
        self,
        journal: ClassJournal,
        policy: GradingPolicy,
        rng: random.Random,
        clock: FixedClock,
        grade10: dict[str, dict[str, list[MarkValue]]] | None = None,
    ) -> None:
        self.j = journal
        self.grade10 = grade10
        self.policy = policy
        self.rng = rng
        self.clock = clock
        self.grade = journal.class_group.grade
        self.year = journal.class_group.year
        self.assessed = [
            c
            for c in journal.courses_in_order()
            if journal.subjects[c.subject_id].assessment is not AssessmentKind.NONE
        ]
        self.students = [journal.students[k] for k in sorted(journal.students)]
        self.staying = [s for s in self.students if s.left is None]
        self.exempt = self._exempt_from_pe()

    def teacher(self, course_id: str) -> Actor:
        tid = self.j.courses[course_id].teacher_id or ADMIN.id
        return Actor(tid, Role.SUBJECT_TEACHER)

    def _exempt_from_pe(self) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        for c in self.assessed:
            if self.j.subjects[c.subject_id].id != "pe":
                continue
            for s in self.students:
                others = sum(len(self.j.marks_of(s.id, o.id)) for o in self.assessed if o.id != c.id)
                if not self.j.marks_of(s.id, c.id) and others >= 10:
                    out.add((s.id, c.id))
        return out

    def run(self) -> None:
        periods: dict[str, Period] = {}
        for scheme in self.j.schemes.values():
            for p in scheme.periods:
                periods[p.id] = p
        proposals = propose_period_marks(self.j, self.policy) if self.assessed else {}
        leaving = sorted((s for s in self.students if s.left is not None), key=lambda s: (s.left, s.id))
        ends = sorted({p.end for p in periods.values()})
        tests = self._admission_tests()
        for end in ends:
            while tests and tests[0].held_on <= end:
                self._admission_test(tests.pop(0))
            ending = sorted((p for p in periods.values() if p.end == end), key=lambda p: p.id)
            while leaving and leaving[0].left is not None and leaving[0].left <= end:
                self._departure(leaving.pop(0))
            self.clock.advance_to(_at(end, 16))
            for p in ending:
                for c in self.assessed:
                    if p not in self.j.schemes[c.scheme_id].periods:
                        continue
                    for s in self.students:
                        if s.enrolled_on(end):  # in the class when the period ends
                            self._period_mark(s, c.id, p, proposals)
            self.clock.advance_to(_at(end + timedelta(days=1), 10))
            for p in ending:
                self.j.close_period(p.id, by=ADMIN, reason=f"окончание периода «{p.name or p.id}»")
        for s in leaving:
            self._departure(s)
        last_day = max(p.end for p in periods.values())
        self._annual(last_day + timedelta(days=1))
        if self.grade in self.policy.promotion.graduating_grades:
            self._graduating(last_day)
        else:
            self._council(last_day + timedelta(days=2), "9")
        self.clock.advance_to(_at(date(self.year.start_year + 1, 6, 30), 12))
        self.j.close_period(YEAR, by=ADMIN, reason="окончание учебного года")
        if self.grade not in self.policy.promotion.graduating_grades:
            self._debts_cleared(date(self.year.start_year + 1, 8, 27))

    def _admission_tests(self) -> list[AdmissionTest]:
        """The grade's admission-test attempts, in date order: the main date and two additional ones.

        Grade 9: the second Wednesday of February, of March, the first Monday of May; grade 11:
        the first Wednesday of December, of February, the second Wednesday of April.  A student
        starts on the first date they are in the class and fails an attempt one time in ten.
        """
        kind = admission_test_kind(self.grade)
        if kind is None:
            return []
        y = self.year.start_year
        if kind is AdmissionTestKind.INTERVIEW:
            days = [_weekday(y + 1, 2, 2, 2), _weekday(y + 1, 3, 2, 2), _weekday(y + 1, 5, 0, 1)]
        else:
            days = [_weekday(y, 12, 2, 1), _weekday(y + 1, 2, 2, 1), _weekday(y + 1, 4, 2, 2)]
        out: list[AdmissionTest] = []
        for s in self.students:
            attempt = 0
            for day in days:
                if not s.enrolled_on(day) or attempt == MAX_ADMISSION_ATTEMPTS:
                    continue
                attempt += 1
                passed = self.rng.randrange(10) != 0
                out.append(AdmissionTest(s.id, kind, attempt, day, passed))
                if passed:
                    break
        return sorted(out, key=lambda t: (t.held_on, t.student_id))

    def _admission_test(self, test: AdmissionTest) -> None:
        self.clock.advance_to(_at(test.held_on, 17))
        self.j.record_admission_test(test, by=ADMIN)

    def _debts_cleared(self, day: date) -> None:
        """About half of the conditionally promoted (every other one by id) pass a retake of each
        debt at the end of August; the council then promotes them: their second decision."""
        conditional = [
            s
            for s in self.staying
            if (d := self.j.decision_in_force(s.id)) is not None and d.kind is DecisionKind.PROMOTED_CONDITIONALLY
        ]
        for s in conditional[::2]:
            self.clock.advance_to(_at(day, 12))
            for c in self.assessed:
                if self.j.debt_of(s.id, c.id) is not None:
                    retake = Retake(s.id, c.id, 1, day, self._retake_value(c.id), "1-з")
                    self.j.record_retake(retake, by=ADMIN, reason="пересдача академической задолженности")
            self.clock.advance_to(_at(day + timedelta(days=2), 15))
            self.j.record_decision(
                Decision(s.id, DecisionKind.PROMOTED, day + timedelta(days=2), "1", self.grade + 1),
                by=ADMIN,
                reason="академическая задолженность ликвидирована",
            )

    def _retake_value(self, course_id: str) -> MarkValue:
        scale = self.j.scale_of(course_id)
        return 3 if scale.is_numeric else Status.PASS

    def _period_mark(self, s: Student, course_id: str, p: Period, proposals: dict[ResultKey, ComputedMark]) -> None:
        by = self.teacher(course_id)
        if (s.id, course_id) in self.exempt:
            self.j.set_period_mark(s.id, course_id, p.id, Status.EXEMPT, by=by, reason=_EXEMPT_REASON)
            return
        proposal = proposals.get(ResultKey(s.id, course_id, ResultKind.PERIOD, p.id))
        if proposal is None or proposal.value is None:
            # No marks at all in the period: the teacher certifies nothing, the sheet shows "н/а".
            self.j.set_period_mark(s.id, course_id, p.id, Status.NOT_CERTIFIED, by=by, reason=_NO_MARKS_REASON)
            return
        value: MarkValue = proposal.value
        reason = ""
        mean = proposal.mean
        near_next = isinstance(value, int) and mean is not None and value < 5 and mean - value >= _OVERRIDE_FROM
        if near_next and isinstance(value, int) and self.rng.randrange(100) < 15:
            value += 1
            reason = _OVERRIDE_REASON
        self.j.set_period_mark(s.id, course_id, p.id, value, by=by, reason=reason)

    def _annual(self, day: date) -> None:
        self.clock.advance_to(_at(day, 14))
        for c in self.assessed:
            for s in self.staying:
                proposal = propose_annual_mark(self.j, s.id, c.id, self.policy)
                if proposal.value is not None:
                    self.j.set_annual_mark(s.id, c.id, proposal.value, by=self.teacher(c.id))

    def _council(self, day: date, protocol: str, students: list[Student] | None = None) -> None:
        self.clock.advance_to(_at(day, 15))
        kind = admission_test_kind(self.grade)
        for s in self.staying if students is None else students:
            result = decide_promotion(self.j, s.id, self.policy)
            note = ", ".join(self.j.subject_of(cid).name for cid in result.debts)
            decided, why = result.kind, f"задолженность: {note}" if note else ""
            if decided is DecisionKind.ADMITTED_TO_EXAM and kind is not None and not self.j.admission_passed(s.id, day):
                decided = DecisionKind.NOT_ADMITTED_TO_EXAM
                why = "нет зачёта: " + (
                    "итоговое собеседование" if kind is AdmissionTestKind.INTERVIEW else "итоговое сочинение"
                )
            self.j.record_decision(Decision(s.id, decided, day, protocol, result.to_grade, why), by=ADMIN)

    def _admitted(self) -> list[Student]:
        return [
            s
            for s in self.staying
            if (d := self.j.decision_in_force(s.id)) is not None and d.kind is DecisionKind.ADMITTED_TO_EXAM
        ]

    def _exam_choices(self) -> None:
        """Grade 9: each student still in the class chooses two exams beside Russian and
        mathematics (applications by 1 March)."""
        offered = sorted(c.id for c in self.assessed if c.exam_by_choice)
        if len(offered) < 2:
            return
        for s in self.staying:
            chosen = self.rng.sample(offered, 2)
            self.j.set_exam_choice(ExamChoice(s.id, chosen, date(self.year.start_year + 1, 3, 1)), by=ADMIN)

    def _graduating(self, last_day: date) -> None:
        y = self.year.start_year + 1
        if self.grade == 9:
            self._exam_choices()
        self._council(last_day + timedelta(days=2), "7")  # admission to the state exams
        admitted = self._admitted()
        examined = [c for c in self.assessed if c.examined]
        exam_days = {"rus": date(y, 6, 3), "alg": date(y, 6, 10)}
        examined.sort(key=lambda c: (exam_days.get(c.subject_id, date(y, 6, 15)), c.id))
        for c in examined:
            self.clock.advance_to(_at(exam_days.get(c.subject_id, date(y, 6, 15)) + timedelta(days=7), 12))
            for s in admitted:
                if not self.j.takes_exam(s.id, c.id):
                    continue
                score = self._exam_score(self._ability(s.id, c.id))
                table = DEMO_CONVERSIONS.get(c.subject_id) if self.grade == 9 else None
                if table is None:
                    self.j.set_exam_mark(s.id, c.id, score, by=ADMIN)
                else:
                    self.j.record_exam_result(s.id, c.id, self._primary_score(score, table), table, by=ADMIN)
        self.clock.advance_to(_at(date(y, 6, 24), 12))
        for s in admitted:
            for c in self.assessed:
                earlier = self._grade_10(s.id, c.id) if self.grade == 11 else ()
                final = propose_final_mark(self.j, s.id, c.id, self.policy, earlier_results=earlier)
                if final.value is not None:
                    self.j.set_final_mark(s.id, c.id, final.value, by=ADMIN)
        self._council(date(y, 6, 25 if self.grade == 9 else 27), "10", admitted)  # graduation

    def _ability(self, student_id: str, course_id: str) -> int:
        """The student's level in hundredths of a grade, read back from the annual and period marks."""
        values = [
            r.value
            for r in self.j.results.values()
            if r.student_id == student_id and r.course_id == course_id and isinstance(r.value, int)
        ]
        return 100 * sum(values) // len(values) if values else 350

    def _exam_score(self, ability: int) -> int:
        if self.grade == 9:
            return min(5, max(3, (ability + self.rng.randint(-70, 70) + 50) // 100))
        return min(100, max(24, (ability - 50) // 5 + self.rng.randint(-10, 10)))

    def _primary_score(self, mark: int, table: ScoreConversion) -> int:
        """A primary score that ``table`` converts to ``mark`` (drawn within the mark's band)."""
        bands = {3: (table.three, table.four - 1), 4: (table.four, table.five - 1), 5: (table.five, table.max_score)}
        low, high = bands[mark]
        return self.rng.randint(low, high)

    def _grade_10(self, student_id: str, course_id: str) -> tuple[MarkValue, ...]:
        if self.grade10 is not None:
            return tuple(self.grade10.get(student_id, {}).get(course_id, ()))
        annual = self.j.result(student_id, course_id, ResultKind.ANNUAL)
        if annual is None or not isinstance(annual.value, int):
            return ()
        base = annual.value
        return tuple(min(5, max(3, base + self.rng.choice((-1, 0, 0, 0, 1)))) for _ in range(3))

    def _departure(self, s: Student) -> None:
        """A departure is a movement (the student's last day and the director's order), not a
        council decision: nothing is recorded beyond the student's ``left`` and ``departure_order``."""
        assert s.left is not None
        self.clock.advance_to(_at(s.left, 17))
