"""Why a mark is what it is: :class:`GradedMark`, :class:`Explanation` and its text in Russian, Tatar or English.

An explanation is data (the marks used, the marks left out and why, the exact mean, the rule and
the threshold crossed, coded notes); :meth:`Explanation.render` turns it into readable text.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction

from attrs import field, frozen

from ejournal.core.errors import InvalidInput
from ejournal.core.grading._exact import fraction_text
from ejournal.core.scales import MarkValue, Status, format_value
from ejournal.i18n.catalogs import Catalog, catalog
from ejournal.i18n.numbers import LOCALES, format_number

__all__ = ["LOCALES", "Excluded", "Explanation", "GradedMark", "Note"]


def _mark_value(value: MarkValue) -> MarkValue:
    if isinstance(value, Status):
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("graded_mark.value", "a mark is a whole number or a Status", value)
    return value


def _weight(value: Fraction | int | str) -> Fraction:
    if isinstance(value, (bool, float)):
        raise InvalidInput("graded_mark.weight", "must be exact (an int, a Fraction or a string)", value)
    try:
        w = Fraction(value)
    except (ValueError, TypeError, ZeroDivisionError):
        raise InvalidInput("graded_mark.weight", "not an exact number", value) from None
    if w < 0:
        raise InvalidInput("graded_mark.weight", "must not be negative", str(w))
    return w


@frozen
class GradedMark:
    """One mark as the grading rules see it: value, exact weight, work type, lesson date and mark id.

    For annual and final marks the "marks" are period/annual/exam results: ``work_type_id`` then
    names their kind (``"period"``, ``"annual"``, ``"exam"``) and ``mark_id`` the period id.
    Raises :class:`InvalidInput` for a non-mark value or a negative or inexact weight.
    """

    value: MarkValue = field(converter=_mark_value)
    weight: Fraction = field(converter=_weight)
    work_type_id: str
    day: date | None = None
    mark_id: str = ""


@frozen
class Excluded:
    """A mark that did not enter the mean, and the coded ``reason`` (catalog keys ``explain.reason.*``)."""

    mark: GradedMark
    reason: str


@frozen
class Note:
    """A coded remark (``code``) with its parameters, rendered from the message catalog."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: object) -> Note:
        """``Note.of("too_few", count=2, required=3)``; parameters are stored as text."""
        return cls(code, tuple((k, _param_text(v)) for k, v in params.items()))


def _param_text(value: object) -> str:
    if isinstance(value, Fraction):
        return fraction_text(value)
    if isinstance(value, Status):
        return value.code
    return str(value)


@frozen
class Explanation:
    """Why a computed mark is what it is.

    - ``kind``: ``"period"``, ``"annual"``, ``"final"``, ``"promotion"`` or ``"what_if"``;
    - ``result``: the mark proposed (``None`` = nothing to propose);
    - ``rule``: the code of the rule that decided (``"table"``, ``"half_up"``, ``"favour"``,
      ``"floor"``, ``"exempt"``, ``"not_certified"``, ``"no_marks"``, ``"pass_fail"``, ...);
    - ``used`` / ``excluded``: the marks that entered the mean, and those left out with a reason;
    - ``weighted_sum`` / ``weight_total`` / ``mean``: the exact arithmetic (``mean`` is a Fraction);
      ``mean_text`` is the mean written with the policy's decimal places, truncated, and
      ``mean_exact`` says whether that text is exact;
    - ``threshold``: the threshold crossed (the lowest mean that still gives ``result``);
    - ``notes``: further coded remarks; ``policy``: the policy label (name, version, hash prefix).

    ``detailed`` is False when it was built with ``explain=False`` (no mark lists).
    ``work_type_names`` maps work-type codes to their names (the journal layer fills it in), so the
    text says «Работа на уроке», not «cw».
    """

    kind: str
    result: MarkValue | None
    rule: str
    used: tuple[GradedMark, ...] = ()
    excluded: tuple[Excluded, ...] = ()
    weighted_sum: Fraction | None = None
    weight_total: Fraction | None = None
    mean: Fraction | None = None
    mean_text: str = ""
    mean_exact: bool = True
    threshold: Fraction | None = None
    notes: tuple[Note, ...] = ()
    policy: str = ""
    detailed: bool = True
    work_type_names: tuple[tuple[str, str], ...] = ()

    def has_note(self, code: str) -> bool:
        """True when a note with this code is present."""
        return any(n.code == code for n in self.notes)

    def render(self, locale: str = "ru", *, with_ids: bool = True) -> str:
        """Readable text in ``locale`` ("ru", "tt" or "en"); work types by name where known.

        ``with_ids=False`` leaves the mark ids out (texts meant for students and parents).
        Raises :class:`InvalidInput` for another locale.
        """
        if locale not in LOCALES:
            raise InvalidInput("locale", f"must be one of {', '.join(LOCALES)}", locale)
        return _render(self, locale, with_ids)

    def __str__(self) -> str:
        return self.render("ru")


# ---------------------------------------------------------------------- message catalog
# The texts are in the catalogs of ejournal.i18n (keys explain.kind.*, explain.rule.*,
# explain.note.*, explain.reason.*, explain.decision.*, explain.method.*, explain.label.*).


def _t(cat: Catalog, key: str, fallback: str) -> str:
    return cat.template(key) if key in cat else fallback


def _decimal_param(value: str, locale: str) -> str:
    """A decimal number stored locale-free ("1.5", "5.00") written for ``locale`` with the same digits («1,5», «5,00»)."""
    if _DECIMAL.fullmatch(value):
        return format_number(Decimal(value), len(value.partition(".")[2]), locale)
    return value


_DECIMAL = re.compile(r"-?\d+\.\d+")


def _mark_text(m: GradedMark, cat: Catalog, names: dict[str, str] | None = None, with_ids: bool = True) -> str:
    kind = (names or {}).get(m.work_type_id, m.work_type_id)
    parts = [f"{_t(cat, 'explain.label.weight', 'weight')} {format_number(m.weight, None, cat.locale)}", kind]
    if m.day is not None:
        parts.append(cat.date(m.day))
    if m.mark_id and with_ids:
        parts.append(m.mark_id)
    return f"{format_value(m.value)} ({', '.join(p for p in parts if p)})"


def _render(e: Explanation, locale: str, with_ids: bool = True) -> str:
    cat = catalog(locale)
    names = dict(e.work_type_names)
    result = _t(cat, "explain.label.none", "none") if e.result is None else format_value(e.result)
    head = f"{_t(cat, f'explain.kind.{e.kind}', e.kind)}: {result}"
    if e.policy:
        head += f" ({_t(cat, 'explain.label.policy', 'policy')} {e.policy})"
    lines = [head]
    if e.used:
        lines.append(
            f"{_t(cat, 'explain.label.used', 'used')} ({len(e.used)}): "
            + "; ".join(_mark_text(m, cat, names, with_ids) for m in e.used)
        )
    if e.excluded:
        items = []
        for x in e.excluded:
            reason = _t(cat, f"explain.reason.{x.reason}", x.reason)
            items.append(f"{_mark_text(x.mark, cat, names, with_ids)} — {reason}")
        lines.append(f"{_t(cat, 'explain.label.excluded', 'left out')} ({len(e.excluded)}): " + "; ".join(items))
    mean_shown = ""
    if e.mean is not None:
        exactness = _t(cat, "explain.label.exact" if e.mean_exact else "explain.label.truncated", "")
        mean_shown = _decimal_param(e.mean_text, locale) if e.mean_text else ""
        steps: list[str] = []
        exact = format_number(e.mean, None, locale)
        if e.weighted_sum is not None and e.weight_total is not None:
            raw = f"{format_number(e.weighted_sum, None, locale)} / {format_number(e.weight_total, None, locale)}"
            if raw.replace(" ", "") != exact:
                steps.append(raw)
        for step in (exact, mean_shown):
            if step and (not steps or steps[-1] != step):
                steps.append(step)
        lines.append(f"{_t(cat, 'explain.label.mean', 'mean')}: {' = '.join(steps)} ({exactness})")
    params = {
        "mean": mean_shown,
        "threshold": "" if e.threshold is None else format_number(e.threshold, None, locale),
        "result": result,
    }
    rule_key = f"explain.rule.{e.rule}"
    if rule_key in cat:
        lines.append(cat.text(rule_key, **params))
    elif e.rule:
        lines.append(e.rule)
    for note in e.notes:
        key = f"explain.note.{note.code}"
        values = {k: _decimal_param(v, locale) for k, v in note.params}
        if note.code == "aggregation":
            method = values.get("method", "")
            values["method"] = _t(cat, f"explain.method.{method}", method)
        if note.code == "decision":
            kind = values.get("kind", "")
            values["kind"] = _t(cat, f"explain.decision.{kind}", kind)
        if key not in cat:
            lines.append(note.code + (" " + str(values) if values else ""))
            continue
        try:
            lines.append(cat.template(key).format(**values))
        except KeyError:
            lines.append(cat.template(key))
    return "\n".join(lines)
