"""Why a mark is what it is: :class:`GradedMark`, :class:`Explanation` and its Russian/English text.

An explanation is data (the marks used, the marks left out and why, the exact mean, the rule and
the threshold crossed, coded notes); :meth:`Explanation.render` turns it into readable text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction

from attrs import field, frozen

from ejournal.core.errors import InvalidInput
from ejournal.core.grading._exact import fraction_text
from ejournal.core.scales import MarkValue, Status, format_value

__all__ = ["LOCALES", "Excluded", "Explanation", "GradedMark", "Note"]

LOCALES: tuple[str, ...] = ("ru", "en")


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
    """A mark that did not enter the mean, and the coded ``reason`` (see :data:`REASONS`)."""

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
        """Readable text in ``locale`` ("ru" or "en"); work types by name where known.

        ``with_ids=False`` leaves the mark ids out (texts meant for students and parents).
        Raises :class:`InvalidInput` for another locale.
        """
        if locale not in LOCALES:
            raise InvalidInput("locale", f"must be one of {', '.join(LOCALES)}", locale)
        return _render(self, locale, with_ids)

    def __str__(self) -> str:
        return self.render("ru")


# ---------------------------------------------------------------------- message catalog

REASONS: Mapping[str, tuple[str, str]] = {
    "status": ("код, не число — не усредняется", "a status code, never averaged"),
    "zero_weight": ("вес 0", "weight 0"),
    "not_in_last_n": ("не входит в последние учитываемые", "not among the most recent marks counted"),
    "dropped_lowest": ("отброшена как низшая", "dropped as one of the lowest"),
    "missing": ("нет отметки", "no mark"),
    "not_certified_period": ("«н/а» не усредняется", '"н/а" is never averaged'),
    "exempt_period": ("«осв.» не учитывается", '"осв." is not counted'),
    "other_scale": ("на другой шкале", "on another scale"),
}
"""Reasons a mark is excluded: code → (Russian, English)."""

_KINDS: Mapping[str, tuple[str, str]] = {
    "period": ("Отметка за период", "Period mark"),
    "annual": ("Годовая отметка", "Annual mark"),
    "final": ("Итоговая отметка", "Final mark"),
    "promotion": ("Решение о переводе", "Promotion decision"),
    "what_if": ("Что нужно для цели", "What is needed"),
}

_RULES: Mapping[str, tuple[str, str]] = {
    "table": (
        "по таблице порогов: среднее {mean} не ниже порога {threshold} для отметки {result}",
        "by the threshold table: the mean {mean} reaches the threshold {threshold} of grade {result}",
    ),
    "table_below": (
        "по таблице порогов: среднее {mean} ниже всех порогов, округлено вниз до {result}",
        "by the threshold table: the mean {mean} is below every threshold, rounded down to {result}",
    ),
    "half_up": (
        "математическое округление (x.5 вверх): {mean} не ниже {threshold} → {result}",
        "mathematical rounding (x.5 up): {mean} is at least {threshold} → {result}",
    ),
    "favour": (
        "в пользу ученика (любая дробная часть вверх): {mean} → {result}",
        "in the student's favour (any fractional part rounds up): {mean} → {result}",
    ),
    "floor": ("округление вниз: {mean} → {result}", "rounded down: {mean} → {result}"),
    "tie_student": (
        "среднее {mean} ровно посередине: по политике — в пользу ученика, {result}",
        "the mean {mean} is exactly halfway: by the policy it goes to the student, {result}",
    ),
    "tie_last_period": (
        "среднее {mean} ровно посередине: по политике решает отметка последнего периода, {result}",
        "the mean {mean} is exactly halfway: by the policy the last period's mark decides, {result}",
    ),
    "exempt": ("ученик освобождён: «осв.»", 'the student is exempt: "осв."'),
    "not_certified": ("не аттестован: «н/а»", 'not certified: "н/а"'),
    "no_marks": ("нет отметок — предложить нечего", "no marks: nothing to propose"),
    "pass_fail": ("зачётная система: {result}", "pass/fail: {result}"),
    "annual_as_is": ("переносится годовая отметка: {result}", "the annual mark is carried over: {result}"),
    "status_as_is": ("код переносится как есть: {result}", "the status is carried over: {result}"),
    "not_applicable": ("для этого класса итоговая отметка не выставляется", "no final mark in this grade"),
    "incomplete": ("не хватает данных: {result}", "data missing: {result}"),
    "promotion": ("решение: {result}", "decision: {result}"),
    "reachable": ("цель достижима", "the target is reachable"),
    "unreachable": ("цель недостижима", "the target is not reachable"),
}

NOTES: Mapping[str, tuple[str, str]] = {
    "too_few": (
        "отметок {count}, а нужно не меньше {required} (при {hours} ч в неделю)",
        "{count} marks where at least {required} are needed (at {hours} h a week)",
    ),
    "missed_share": (
        "пропущено {missed} из {total} уроков периода (доля {share}, порог «больше {limit}»)",
        '{missed} of the period\'s {total} lessons missed (share {share}, limit "above {limit}")',
    ),
    "too_few_alone": (
        "по политике одного недостатка отметок достаточно для «н/а»",
        'by the policy too few marks alone give "н/а"',
    ),
    "capped": (
        "в периоде есть отметка {low}: выше {cap} не ставится (было бы {uncapped})",
        "a mark of {low} in the period caps the result at {cap} (it would be {uncapped})",
    ),
    "aggregation": ("способ: {method}", "method: {method}"),
    "exempt_in_journal": ("в журнале стоит «осв.» за период", 'the journal has "осв." for the period'),
    "last_period_weight": ("вес последнего периода {weight}", "the last period weighs {weight}"),
    "na_period": (
        "есть период с «н/а»: по политике годовая «н/а»",
        'a period is "н/а": by the policy the annual is "н/а"',
    ),
    "exempt_period": (
        "есть период с «осв.»: по политике годовая «осв.»",
        'a period is "осв.": by the policy the annual is "осв."',
    ),
    "grade_9_exam": (
        "9 класс, предмет ГИА: среднее годовой и экзаменационной",
        "grade 9, examined subject: the mean of the annual and exam marks",
    ),
    "grade_9_no_exam": (
        "9 класс, предмет без экзамена: годовая отметка",
        "grade 9, subject without an exam: the annual mark",
    ),
    "exam_not_chosen": (
        "ученик не выбирал этот экзамен: годовая отметка",
        "the student did not choose this exam: the annual mark",
    ),
    "exam_shared": (
        "по настройке школы экзамен курса {course} засчитывается и в этот предмет",
        "by the school's setting the exam of course {course} enters this course too",
    ),
    "exam_not_shared": (
        "экзамен курса {course} засчитывается в один предмет: годовая отметка",
        "the exam of course {course} enters one course only: the annual mark",
    ),
    "grade_11": (
        "11 класс: среднее всех отметок за периоды и годовых за 10 и 11 классы",
        "grade 11: the mean of all period and annual marks of grades 10 and 11",
    ),
    "no_annual": ("годовая отметка не выставлена", "no annual mark is set"),
    "na_final": (
        "есть «н/а»: это академическая задолженность, итоговая отметка «н/а» (ученик не допущен)",
        'an "н/а" is an academic debt: the final mark is "н/а" (the student is not admitted)',
    ),
    "no_exam": ("экзаменационная отметка не выставлена", "no exam mark is set"),
    "exam_other_scale": (
        "экзаменационная отметка на другой шкале ({scale}): переведите её в отметку",
        "the exam mark is on another scale ({scale}): convert it to a grade first",
    ),
    "status_not_averaged": ("коды не усредняются: {value}", "status codes are never averaged: {value}"),
    "debt": ("задолженность: {course} ({value})", "academic debt: {course} ({value})"),
    "no_debts": ("задолженностей нет", "no academic debts"),
    "exempt_not_debt": ("{course}: «осв.» — не задолженность", '{course}: "осв." is not a debt'),
    "missing_annual": ("{course}: нет годовой отметки", "{course}: no annual mark"),
    "proposed_annual": (
        "{course}: годовая не выставлена, взято предложение {value}",
        "{course}: no annual mark set, the proposal {value} is used",
    ),
    "to_grade": ("переведён в {grade} класс", "promoted to grade {grade}"),
    "honours": ("все итоговые отметки «5»: с отличием", "every final mark is 5: with honours"),
    "honours_policy_off": ("отличие по политике не присваивается", "the policy grants no honours"),
    "finals_missing": ("итоговые отметки выставлены не по всем предметам", "final marks are missing in some courses"),
    "final_failing": ("неудовлетворительная итоговая отметка: {course}", "a failing final mark: {course}"),
    "what_if_marks": ("нужно ещё {count}: {marks}", "{count} more needed: {marks}"),
    "what_if_none": ("цель уже достигнута", "the target is already reached"),
    "what_if_capped": (
        "отметка {low} в периоде не даёт выше {cap}",
        "a mark of {low} in the period caps the result at {cap}",
    ),
    "what_if_limit": ("не достигается и с {max} дополнительными отметками", "not reached even with {max} more marks"),
    "what_if_target_above": ("цель выше наивысшей отметки шкалы", "the target is above the scale's highest grade"),
    "search_limited": (
        "перебор остановлен после {budget} вариантов",
        "the search stopped after {budget} candidates",
    ),
    "decision": ("{kind}", "{kind}"),
    "fewest": (
        "это наименьшее число: ни один набор из {fewer} отметок не даёт {target}",
        "this is the fewest: no set of {fewer} marks gives {target}",
    ),
}
"""Notes: code → (Russian, English) templates with ``{param}`` placeholders."""

DECISIONS: Mapping[str, tuple[str, str]] = {
    "promoted": ("переведён", "promoted"),
    "promoted_conditionally": ("переведён условно", "promoted conditionally"),
    "repeat_year": ("оставлен на повторное обучение", "to repeat the year"),
    "adapted_programme": ("переведён на адаптированную программу", "moved to an adapted programme"),
    "individual_plan": ("переведён на индивидуальный учебный план", "moved to an individual study plan"),
    "admitted_to_exam": ("допущен к ГИА", "admitted to the state exam"),
    "not_admitted_to_exam": ("не допущен к ГИА", "not admitted to the state exam"),
    "graduated": ("окончил", "graduated"),
    "graduated_with_honours": ("окончил с отличием", "graduated with honours"),
    "left": ("выбыл", "left"),
}
"""Decision kinds (``DecisionKind.value``) → (Russian, English)."""

_METHODS: Mapping[str, tuple[str, str]] = {
    "mean": ("среднее арифметическое", "arithmetic mean"),
    "weighted_mean": ("средневзвешенное", "weighted mean"),
    "median": ("медиана", "median"),
    "mode": ("мода (самая частая отметка)", "mode (the most frequent mark)"),
}

_LABELS: Mapping[str, tuple[str, str]] = {
    "policy": ("политика", "policy"),
    "used": ("учтены", "used"),
    "excluded": ("не учтены", "left out"),
    "weight": ("вес", "weight"),
    "mean": ("среднее", "mean"),
    "exact": ("точно", "exact"),
    "truncated": ("усечено", "truncated"),
    "result": ("итог", "result"),
    "none": ("нет", "none"),
}


def _lang(pair: tuple[str, str], locale: str) -> str:
    return pair[0] if locale == "ru" else pair[1]


def _num(text: str, locale: str) -> str:
    """A number written for ``locale``: a decimal comma in Russian ("4,28"), as the sheet prints it."""
    return text.replace(".", ",") if locale == "ru" else text


def _mark_text(m: GradedMark, locale: str, names: dict[str, str] | None = None, with_ids: bool = True) -> str:
    kind = (names or {}).get(m.work_type_id, m.work_type_id)
    parts = [f"{_lang(_LABELS['weight'], locale)} {_num(fraction_text(m.weight), locale)}", kind]
    if m.day is not None:
        parts.append(m.day.isoformat())
    if m.mark_id and with_ids:
        parts.append(m.mark_id)
    return f"{format_value(m.value)} ({', '.join(p for p in parts if p)})"


def _render(e: Explanation, locale: str, with_ids: bool = True) -> str:
    names = dict(e.work_type_names)
    result = _lang(_LABELS["none"], locale) if e.result is None else format_value(e.result)
    head = f"{_lang(_KINDS.get(e.kind, (e.kind, e.kind)), locale)}: {result}"
    if e.policy:
        head += f" ({_lang(_LABELS['policy'], locale)} {e.policy})"
    lines = [head]
    if e.used:
        lines.append(
            f"{_lang(_LABELS['used'], locale)} ({len(e.used)}): "
            + "; ".join(_mark_text(m, locale, names, with_ids) for m in e.used)
        )
    if e.excluded:
        items = []
        for x in e.excluded:
            reason = REASONS.get(x.reason, (x.reason, x.reason))
            items.append(f"{_mark_text(x.mark, locale, names, with_ids)} — {_lang(reason, locale)}")
        lines.append(f"{_lang(_LABELS['excluded'], locale)} ({len(e.excluded)}): " + "; ".join(items))
    mean_shown = ""
    if e.mean is not None:
        exactness = _lang(_LABELS["exact" if e.mean_exact else "truncated"], locale)
        mean_shown = _num(e.mean_text, locale)
        steps: list[str] = []
        exact = _num(fraction_text(e.mean), locale)
        if e.weighted_sum is not None and e.weight_total is not None:
            raw = f"{_num(fraction_text(e.weighted_sum), locale)} / {_num(fraction_text(e.weight_total), locale)}"
            if raw.replace(" ", "") != exact:
                steps.append(raw)
        for step in (exact, mean_shown):
            if step and (not steps or steps[-1] != step):
                steps.append(step)
        lines.append(f"{_lang(_LABELS['mean'], locale)}: {' = '.join(steps)} ({exactness})")
    params = {
        "mean": mean_shown,
        "threshold": "" if e.threshold is None else _num(fraction_text(e.threshold), locale),
        "result": result,
    }
    rule = _RULES.get(e.rule)
    if rule is not None:
        lines.append(_lang(rule, locale).format(**params))
    elif e.rule:
        lines.append(e.rule)
    for note in e.notes:
        template = NOTES.get(note.code)
        values = dict(note.params)
        if note.code == "aggregation":
            values["method"] = _lang(_METHODS.get(values.get("method", ""), (values.get("method", ""),) * 2), locale)
        if note.code == "decision":
            values["kind"] = _lang(DECISIONS.get(values.get("kind", ""), (values.get("kind", ""),) * 2), locale)
        if template is None:
            lines.append(note.code + (" " + str(values) if values else ""))
            continue
        try:
            lines.append(_lang(template, locale).format(**values))
        except KeyError:
            lines.append(_lang(template, locale))
    return "\n".join(lines)
