"""Running rules over a journal: :func:`validate`, :func:`validate_year` and the default rule set."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ejournal.core.errors import EjournalError, InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.school_year import SchoolYear
from ejournal.core.validation.context import EarlierResults, ValidationContext
from ejournal.core.validation.findings import Finding, Issue
from ejournal.core.validation.registry import RuleSet
from ejournal.core.validation.report import ValidationReport
from ejournal.core.validation.rules_decisions import DECISION_RULES
from ejournal.core.validation.rules_lessons import LESSON_RULES
from ejournal.core.validation.rules_marks import MARK_RULES
from ejournal.core.validation.rules_results import RESULT_RULES
from ejournal.core.validation.rules_structure import STRUCTURE_RULES

if TYPE_CHECKING:
    from ejournal.core.grading import GradingPolicy
    from ejournal.core.grading.gradebook import Gradebook

__all__ = ["DEFAULT_RULES", "RuleFailed", "validate", "validate_year"]

DEFAULT_RULES: RuleSet = RuleSet((*MARK_RULES, *RESULT_RULES, *DECISION_RULES, *LESSON_RULES, *STRUCTURE_RULES))
"""The built-in rules (an immutable :class:`RuleSet`; derive changed copies from it)."""


class RuleFailed(EjournalError, RuntimeError):
    """A rule raised instead of yielding findings: names the rule's code; the cause is chained."""

    def __init__(self, code: str, journal_id: str, why: str) -> None:
        self.code = code
        self.journal_id = journal_id
        super().__init__(f"validation rule {code} failed on journal {journal_id!r}: {why}")


def _check_earlier(earlier_results: object) -> None:
    """Refuse an ``earlier_results`` that is not student id → course/subject id → marks."""
    if earlier_results is None:
        return
    if not isinstance(earlier_results, Mapping):
        raise InvalidInput("earlier_results", "must map a student id to a mapping", type(earlier_results).__name__)
    for student_id, per_student in earlier_results.items():
        if not isinstance(per_student, Mapping):
            raise InvalidInput(
                f"earlier_results[{student_id!r}]", "must map a course or subject id to marks", per_student
            )
        for course_id, marks in per_student.items():
            if isinstance(marks, (str, bytes)) or not isinstance(marks, Sequence):
                raise InvalidInput(
                    f"earlier_results[{student_id!r}][{course_id!r}]", "must be a sequence of marks", marks
                )


def validate(
    journal: ClassJournal,
    policy: GradingPolicy,
    *,
    as_of: date,
    rules: RuleSet | None = None,
    earlier_results: EarlierResults | None = None,
    gradebook: Gradebook | None = None,
) -> ValidationReport:
    """Check ``journal`` against the regulations and ``policy``, as of the date ``as_of``.

    ``rules`` defaults to :data:`DEFAULT_RULES`; ``earlier_results`` maps a student id to, per
    course id (or subject id), the marks of earlier years the final-mark rule needs (grade 11: the
    grade-10 period and annual marks); without them a grade-11 final mark is not checked.
    ``gradebook`` is the journal's :class:`~ejournal.core.grading.gradebook.Gradebook` under
    ``policy`` when the caller keeps one (built here otherwise); its proposals are reused, not
    recomputed.  The journal is not changed.  Returns a :class:`ValidationReport` whose findings
    are sorted by content.  Raises :class:`InvalidInput` for a wrong argument type or value
    (``earlier_results`` included, e.g. a mark off the course's scale, naming the entry; a
    ``gradebook`` of another journal or policy) and :class:`RuleFailed` when a rule fails
    otherwise (its exception is the cause).
    """
    if not isinstance(journal, ClassJournal):
        raise InvalidInput("journal", "must be a ClassJournal", type(journal).__name__)
    if not isinstance(as_of, date):
        raise InvalidInput("as_of", "must be a date", as_of)
    rule_set = DEFAULT_RULES if rules is None else rules
    if not isinstance(rule_set, RuleSet):
        raise InvalidInput("rules", "must be a RuleSet", type(rule_set).__name__)
    _check_earlier(earlier_results)
    if gradebook is not None and (gradebook.journal is not journal or gradebook.policy != policy):
        raise InvalidInput("gradebook", "must be the gradebook of this journal under this policy", journal.id)
    ctx = ValidationContext(journal, policy, as_of, earlier_results, gradebook)
    findings: list[Finding] = []
    for r in rule_set:
        try:
            for issue in r.check(ctx):
                if not isinstance(issue, Issue):
                    raise InvalidInput(f"rule {r.code}", "a rule must yield Issue values", issue)
                findings.append(Finding.from_issue(r.code, r.severity, issue, r.messages))
        except InvalidInput:
            raise  # bad input reached through a rule (earlier results off the scale...) is the caller's
        except Exception as e:
            raise RuleFailed(r.code, journal.id, f"{type(e).__name__}: {e}") from e
    return ValidationReport(journal.id, as_of, findings, rule_set.codes, getattr(policy, "content_hash", ""))


def validate_year(
    school_year: SchoolYear,
    policy: GradingPolicy,
    *,
    as_of: date,
    rules: RuleSet | None = None,
    earlier_results: EarlierResults | None = None,
) -> dict[str, ValidationReport]:
    """Validate every journal of ``school_year``: journal id → report, by journal id.

    Same arguments and errors as :func:`validate`.
    """
    return {
        jid: validate(school_year.journals[jid], policy, as_of=as_of, rules=rules, earlier_results=earlier_results)
        for jid in sorted(school_year.journals)
    }
