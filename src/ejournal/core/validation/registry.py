"""Rules and rule sets: the registry of validation as an immutable value users copy and change."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from attrs import evolve, field, frozen

from ejournal.core.errors import InvalidInput, NotFound
from ejournal.core.validation.findings import Issue, Severity, _templates

if TYPE_CHECKING:
    from ejournal.core.validation.context import ValidationContext

__all__ = ["Check", "Rule", "RuleSet", "rule"]

Check = Callable[["ValidationContext"], Iterable[Issue]]
"""What a rule runs: takes the validation context, yields :class:`Issue` s."""

_CODE = re.compile(r"^[A-Z][A-Z0-9]*[0-9]+$")


def _check_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.match(code):
        raise InvalidInput("rule.code", "must be upper-case letters then digits, like EJ101 or MY001", code)
    return code


@frozen
class Rule:
    """One validation rule: a stable code, a severity, a one-line description and a check.

    ``check`` is any callable (function or object with ``__call__``) taking the
    :class:`~ejournal.core.validation.context.ValidationContext` and yielding :class:`Issue` s;
    each issue becomes a :class:`~ejournal.core.validation.findings.Finding` with this rule's code and
    severity.  ``messages`` gives the templates of a user rule's message keys as
    ``{locale: {key: template}}`` (built-in rules use the package catalogs).
    ``default_severity`` remembers the severity the rule was defined with.
    Raises :class:`InvalidInput` for a malformed code or a severity that is not a :class:`Severity`.
    """

    code: str = field(converter=_check_code)
    severity: Severity
    description: str
    check: Check = field(eq=False)
    messages: tuple[tuple[str, str, str], ...] = field(converter=_templates, factory=tuple, eq=False)
    default_severity: Severity | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.severity, Severity):
            raise InvalidInput(f"rule {self.code}.severity", "must be a Severity", self.severity)
        if self.default_severity is None:
            object.__setattr__(self, "default_severity", self.severity)


def rule(
    code: str, severity: Severity, description: str, *, messages: Mapping[str, Mapping[str, str]] | None = None
) -> Callable[[Check], Rule]:
    """Decorator: turn a check function into a :class:`Rule` with this code, severity and description."""

    def wrap(check: Check) -> Rule:
        return Rule(code, severity, description, check, messages or {})

    return wrap


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    rules = tuple(value)
    seen: set[str] = set()
    for r in rules:
        if not isinstance(r, Rule):
            raise InvalidInput("rule_set.rules", "must contain Rule values only", r)
        if r.code in seen:
            raise InvalidInput("rule_set.rules", "two rules share a code", r.code)
        seen.add(r.code)
    return tuple(sorted(rules, key=lambda r: r.code))


@frozen
class RuleSet:
    """An immutable set of rules, ordered by code.

    Change it by making new sets: :meth:`without` drops rules, :meth:`only` keeps some,
    :meth:`with_severity` re-ranks one, :meth:`with_rule` adds (or replaces) one.  The default
    set (:data:`~ejournal.core.validation.DEFAULT_RULES`) never changes.  Raises
    :class:`InvalidInput` when two rules share a code.
    """

    rules: tuple[Rule, ...] = field(converter=_rules, factory=tuple)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, code: object) -> bool:
        return any(r.code == code for r in self.rules)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the rules, sorted."""
        return tuple(r.code for r in self.rules)

    def get(self, code: str) -> Rule:
        """The rule with ``code``; raises :class:`NotFound`."""
        for r in self.rules:
            if r.code == code:
                return r
        raise NotFound("validation rule", code)

    def severity_of(self, code: str) -> Severity:
        """The configured severity of ``code``; raises :class:`NotFound`."""
        return self.get(code).severity

    def without(self, *codes: str) -> RuleSet:
        """A copy without the rules ``codes``; raises :class:`NotFound` for a code not in the set."""
        for code in codes:
            self.get(code)
        drop = set(codes)
        return RuleSet(r for r in self.rules if r.code not in drop)

    def only(self, *codes: str) -> RuleSet:
        """A copy with just the rules ``codes``; raises :class:`NotFound` for a code not in the set."""
        return RuleSet(self.get(code) for code in dict.fromkeys(codes))

    def with_severity(self, code: str, severity: Severity) -> RuleSet:
        """A copy where rule ``code`` reports at ``severity``; raises :class:`NotFound`/:class:`InvalidInput`."""
        if not isinstance(severity, Severity):
            raise InvalidInput(f"rule {code}.severity", "must be a Severity", severity)
        old = self.get(code)
        return RuleSet(evolve(r, severity=severity) if r is old else r for r in self.rules)

    def with_rule(self, new: Rule, *, replace: bool = False) -> RuleSet:
        """A copy with ``new`` added; with ``replace=True`` it replaces the rule of the same code.

        Raises :class:`InvalidInput` when the code is taken and ``replace`` is false.
        """
        if not isinstance(new, Rule):
            raise InvalidInput("rule", "must be a Rule", new)
        if new.code in self and not replace:
            raise InvalidInput(f"rule {new.code}", "a rule with this code exists (pass replace=True)", new.code)
        return RuleSet([*(r for r in self.rules if r.code != new.code), new])

    def describe(self) -> list[tuple[str, Severity, str]]:
        """``(code, severity, description)`` of every rule, by code."""
        return [(r.code, r.severity, r.description) for r in self.rules]
