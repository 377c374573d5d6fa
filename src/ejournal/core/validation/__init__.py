"""Validation of a class journal against the regulations, as coded findings.

:func:`validate` runs a :class:`RuleSet` (by default :data:`DEFAULT_RULES`) over a journal and
returns a :class:`ValidationReport`.  Every :class:`Finding` has a stable code (``EJ101``...,
documented in ``docs/validation.md``), a :class:`Severity`, its place (student, course, period,
date, lesson, mark) and a message key with parameters, rendered in Russian or English by
:meth:`Finding.message`.  Codes are grouped by area: EJ1xx current marks and dates, EJ2xx
certification and period marks, EJ3xx annual, exam and final marks, EJ4xx council decisions,
EJ5xx lessons, attendance and timely entry, EJ6xx the journal's structure.

Rule sets are immutable values: ``DEFAULT_RULES.without("EJ503")``,
``.with_severity("EJ502", Severity.ERROR)`` and ``.with_rule(my_rule)`` return new sets.
"""

from ejournal.core.validation.context import EarlierResults, ValidationContext
from ejournal.core.validation.engine import DEFAULT_RULES, RuleFailed, validate, validate_year
from ejournal.core.validation.findings import Finding, Issue, ParamValue, Severity, Term
from ejournal.core.validation.messages import LOCALES, MESSAGES
from ejournal.core.validation.registry import Check, Rule, RuleSet, rule
from ejournal.core.validation.report import ValidationReport

__all__ = [
    "DEFAULT_RULES",
    "LOCALES",
    "MESSAGES",
    "Check",
    "EarlierResults",
    "Finding",
    "Issue",
    "ParamValue",
    "Rule",
    "RuleFailed",
    "RuleSet",
    "Severity",
    "Term",
    "ValidationContext",
    "ValidationReport",
    "rule",
    "validate",
    "validate_year",
]
