"""Findings of validation: a coded, located, localisable statement about a journal."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Protocol, Union

from attrs import field, frozen

from ejournal.core.errors import InvalidInput
from ejournal.core.scales import Status
from ejournal.core.validation.messages import LOCALES, MESSAGES, TERMS

__all__ = [
    "Finding",
    "Issue",
    "ParamValue",
    "Severity",
    "Term",
    "format_decimal",
    "normalize_locale",
]


class Severity(enum.StrEnum):
    """How serious a finding is.

    ``ERROR`` blocks certification of the journal; ``WARNING`` should be looked at;
    ``INFO`` is for the record.  The value is the lower-case English word (a ``str``).
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for an error, 1 for a warning, 0 for info (higher is more serious)."""
        return _RANK[self]


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@frozen
class Term:
    """A parameter value that is itself translated: a key of the terms catalog.

    ``Term("decision.promoted")`` renders as "переведён" in Russian and "promoted" in English.
    Unknown keys render as the key itself.
    """

    key: str


ParamValue = Union[str, int, date, Fraction, Status, Term]  # noqa: UP007 - a runtime alias
"""What a message parameter may be: rendered per locale by :meth:`Finding.message`."""


class Explains(Protocol):
    """Anything that can explain itself in a locale (a grading explanation)."""

    def render(self, locale: str) -> str:
        """The explanation as text in ``locale``."""
        ...


def _params(value: Mapping[str, object] | Iterable[tuple[str, object]]) -> tuple[tuple[str, ParamValue], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    out: list[tuple[str, ParamValue]] = []
    for k, v in sorted(items, key=lambda kv: str(kv[0])):
        if isinstance(v, bool) or not isinstance(v, (str, int, date, Fraction, Status, Term)):
            raise InvalidInput(f"finding.params[{k!r}]", "must be a str, int, date, Fraction, Status or Term", v)
        out.append((str(k), v))
    return tuple(out)


def _templates(
    value: Mapping[str, Mapping[str, str]] | Iterable[tuple[str, str, str]],
) -> tuple[tuple[str, str, str], ...]:
    if isinstance(value, Mapping):
        return tuple(sorted((loc, key, text) for loc, texts in value.items() for key, text in texts.items()))
    return tuple(value)


@frozen
class Issue:
    """What a rule reports: a message key with parameters and the place.

    A rule yields issues; :func:`~ejournal.core.validation.validate` turns each into a
    :class:`Finding` with the rule's code and (configured) severity.  The place fields are the
    ids of the student, course, period, lesson and mark concerned, and the date, where they apply
    (empty string / ``None`` otherwise).  Raises :class:`InvalidInput` on a parameter value of an
    unsupported type.
    """

    key: str
    params: tuple[tuple[str, ParamValue], ...] = field(converter=_params, factory=tuple)
    student_id: str = ""
    course_id: str = ""
    period_id: str = ""
    date: date | None = None
    lesson_id: str = ""
    mark_id: str = ""
    explanation: Explains | None = field(default=None, eq=False, repr=False)


@frozen
class Finding:
    """One finding of validation.

    - ``code``: the rule's stable code (``"EJ101"``); ``severity``: error, warning or info;
    - ``key`` and ``params``: the message key and its parameters (sorted ``(name, value)`` pairs),
      rendered by :meth:`message` from the message catalogs;
    - the place: ``student_id``, ``course_id``, ``period_id``, ``date``, ``lesson_id``, ``mark_id``
      (empty / ``None`` where they do not apply);
    - ``explanation``: for findings about computed marks, the grading explanation (not compared).

    ``templates`` carries the message templates of a user-defined rule (``(locale, key, text)``);
    the built-in catalogs are used otherwise.
    """

    code: str
    severity: Severity
    key: str
    params: tuple[tuple[str, ParamValue], ...] = field(converter=_params, factory=tuple)
    student_id: str = ""
    course_id: str = ""
    period_id: str = ""
    date: date | None = None
    lesson_id: str = ""
    mark_id: str = ""
    explanation: Explains | None = field(default=None, eq=False, repr=False)
    templates: tuple[tuple[str, str, str], ...] = field(converter=_templates, factory=tuple, eq=False, repr=False)

    @classmethod
    def from_issue(
        cls,
        code: str,
        severity: Severity,
        issue: Issue,
        templates: tuple[tuple[str, str, str], ...] = (),
    ) -> Finding:
        """The finding for ``issue`` reported by the rule ``code`` at ``severity``."""
        return cls(
            code,
            severity,
            issue.key,
            issue.params,
            issue.student_id,
            issue.course_id,
            issue.period_id,
            issue.date,
            issue.lesson_id,
            issue.mark_id,
            issue.explanation,
            templates,
        )

    @property
    def param_dict(self) -> dict[str, ParamValue]:
        """The parameters as a dict."""
        return dict(self.params)

    def sort_key(self) -> tuple[object, ...]:
        """A total order of findings that depends on their content only (never on input order)."""
        return (
            self.code,
            self.student_id,
            self.course_id,
            self.period_id,
            self.date or date.min,
            self.lesson_id,
            self.mark_id,
            self.key,
            tuple((k, str(_plain(v))) for k, v in self.params),
        )

    def template(self, locale: str = "ru") -> str:
        """The message template for ``locale``; raises :class:`InvalidInput` for an unknown locale.

        When the rule (a user-defined one) has no template in ``locale``, a Tatar message falls
        back to the Russian one (read by every Tatar-speaking school), then to English, then to the
        key itself; another locale falls back to English, then to the key.
        """
        loc = normalize_locale(locale)
        for candidate in (loc, "ru", "en") if loc == "tt" else (loc, "en"):
            for t_loc, t_key, text in self.templates:
                if t_loc == candidate and t_key == self.key:
                    return text
            builtin = MESSAGES[candidate].get(self.key)
            if builtin is not None:
                return builtin
        return self.key

    def message(self, locale: str = "ru") -> str:
        """The message in ``locale`` ("ru", "tt" or "en"), parameters filled in.

        Raises :class:`InvalidInput` for an unsupported locale.
        """
        loc = normalize_locale(locale)
        values = {k: render_param(v, loc) for k, v in self.params}
        try:
            return self.template(loc).format_map(_Missing(values))
        except (ValueError, IndexError) as e:
            raise InvalidInput(f"message template {self.key!r} ({loc})", str(e), self.template(loc)) from e

    def explain(self, locale: str = "ru") -> str:
        """The grading explanation in ``locale``, or ``""`` when the finding has none."""
        if self.explanation is None:
            return ""
        return self.explanation.render(normalize_locale(locale))

    def place(self) -> dict[str, str]:
        """The non-empty place fields as strings (dates in ISO form)."""
        out = {
            "student_id": self.student_id,
            "course_id": self.course_id,
            "period_id": self.period_id,
            "date": self.date.isoformat() if self.date else "",
            "lesson_id": self.lesson_id,
            "mark_id": self.mark_id,
        }
        return {k: v for k, v in out.items() if v}

    def to_dict(self, locale: str = "ru") -> dict[str, object]:
        """A JSON-ready dict: code, severity, key, params (JSON values), place, message, explanation."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "key": self.key,
            "params": {k: _plain(v) for k, v in self.params},
            **self.place(),
            "message": self.message(locale),
            "explanation": self.explain(locale),
        }


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def normalize_locale(locale: str) -> str:
    """``"ru"``, ``"ru_RU"``, ``"tt-RU"``, ``"en-GB"``... → ``"ru"`` / ``"tt"`` / ``"en"``; raises
    :class:`InvalidInput` otherwise."""
    if isinstance(locale, str):
        lang = locale.replace("-", "_").split("_", 1)[0].lower()
        if lang in LOCALES:
            return lang
    raise InvalidInput("locale", f"unsupported (supported: {', '.join(LOCALES)})", locale)


def format_decimal(value: Fraction, locale: str = "ru", places: int = 2) -> str:
    """``value`` with ``places`` decimals, rounded half away from zero exactly, in ``locale``'s
    notation («4,29» in ru and tt, "4.29" in en): :func:`ejournal.i18n.format_number`."""
    from ejournal.i18n.numbers import format_number

    return format_number(value, places, normalize_locale(locale))


def render_param(value: ParamValue, locale: str) -> str:
    """One parameter as text in ``locale``: dates as the locale writes them (31.05.2026 in ru and
    tt, ISO in en), fractions to 2 places rounded half up («4,29»), terms translated."""
    if isinstance(value, Term):
        return TERMS[locale].get(value.key, value.key)
    if isinstance(value, Status):
        return value.code
    if isinstance(value, date):
        from ejournal.i18n.numbers import format_date

        return format_date(value, locale)
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return format_decimal(value, locale)
    return str(value)


def _plain(value: ParamValue) -> str | int:
    if isinstance(value, Term):
        return value.key
    if isinstance(value, Status):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    return value
