"""The grading policy as data: frozen attrs values, TOML/JSON round trips, content hash, profiles.

A :class:`GradingPolicy` bundles every school-level choice of :mod:`ejournal.core.grading`:
how current marks are aggregated and rounded into a period mark, when a student is not
certified ("н/а"), how the annual mark is made from period marks, how the promotion decision
treats graduating classes, and two settings validation reads (edit window, allowed deviation).

It is plain data: :meth:`GradingPolicy.to_dict` gives a canonical JSON-able mapping, whose
SHA-256 is :attr:`GradingPolicy.content_hash`; every computed mark records that hash.
"""

from __future__ import annotations

import enum
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import attrs
from attrs import field, frozen

from ejournal.core.calendar import PeriodKind
from ejournal.core.errors import InvalidInput, NotFound, Problem
from ejournal.core.exam_scores import ScoreConversion
from ejournal.core.grading._exact import fraction_text, parse_exact
from ejournal.core.scales import BUILTIN_SCALES, Scale

__all__ = [
    "BUILTIN_POLICY_NAMES",
    "GRADING_SCALE_IDS",
    "AggregationMethod",
    "AnnualRule",
    "ExamRule",
    "ExemptPeriods",
    "GradingPolicy",
    "Honours",
    "MinMarksRow",
    "MissingAnnual",
    "NotCertifiedPeriods",
    "PeriodRule",
    "PromotionRule",
    "Rounding",
    "RoundingMethod",
    "Threshold",
    "TiePolicy",
    "builtin_policy",
    "load_policy",
]

BUILTIN_POLICY_NAMES: tuple[str, ...] = ("federal", "strict", "tatarstan")
"""Names of the profiles shipped in ``ejournal/core/grading/profiles/*.toml``."""

GRADING_SCALE_IDS: tuple[str, ...] = ("five", "ten", "twelve")
"""Ids of the built-in numeric scales a policy's ``scale`` may name (``"five"`` by default)."""


class AggregationMethod(enum.Enum):
    """How the counted current marks become one exact number.

    ``MEAN`` arithmetic mean; ``WEIGHTED_MEAN`` Σ(mark·weight)/Σ(weight); ``MEDIAN`` the middle
    mark (the mean of the two middle marks for an even count); ``MODE`` the most frequent mark
    (the mean of the tied marks when several are equally frequent).
    """

    MEAN = "mean"
    WEIGHTED_MEAN = "weighted_mean"
    MEDIAN = "median"
    MODE = "mode"


class RoundingMethod(enum.Enum):
    """How an exact mean becomes a whole grade.

    ``TABLE`` the highest grade whose threshold the mean reaches (below every threshold: the mean
    rounded down); ``HALF_UP`` "mathematical" (x.5 goes up); ``FAVOUR`` "in the student's favour":
    any fractional part rounds up (the ceiling); ``FLOOR`` any fractional part is dropped.
    """

    TABLE = "table"
    HALF_UP = "half_up"
    FAVOUR = "favour"
    FLOOR = "floor"


class TiePolicy(enum.Enum):
    """Who gets an annual mean that lies exactly halfway between two grades (x.5).

    ``STUDENT`` the higher grade; ``LAST_PERIOD`` the grade nearer the last period's mark;
    ``RULE`` whatever the annual rounding rule gives.
    """

    STUDENT = "student"
    LAST_PERIOD = "last_period"
    RULE = "rule"


class NotCertifiedPeriods(enum.Enum):
    """How an "н/а" period mark counts in the annual mark: ``SKIP`` it, or make the annual ``NOT_CERTIFIED``."""

    SKIP = "skip"
    NOT_CERTIFIED = "not_certified"


class ExemptPeriods(enum.Enum):
    """How an "осв." period mark counts: ``SKIP`` it (all exempt → "осв."), or make the annual ``EXEMPT``."""

    SKIP = "skip"
    EXEMPT = "exempt"


class Honours(enum.Enum):
    """When a graduate graduates with honours: ``ALL_FIVES`` every numeric final mark is 5; ``NONE`` never."""

    ALL_FIVES = "all_fives"
    NONE = "none"


class MissingAnnual(enum.Enum):
    """Whether a course without any annual mark (set or proposable) is a ``DEBT`` or is ``IGNORE``-d."""

    DEBT = "debt"
    IGNORE = "ignore"


E = TypeVar("E", bound=enum.Enum)


def _fraction(value: Fraction | int | str) -> Fraction:
    try:
        return parse_exact(value)
    except ValueError as e:
        raise InvalidInput("policy", str(e), value) from None


def _opt_fraction(value: Fraction | int | str | None) -> Fraction | None:
    return None if value is None else _fraction(value)


@frozen
class Threshold:
    """One row of a threshold table: the mean ``minimum`` (inclusive) from which ``grade`` is given."""

    grade: int
    minimum: Fraction = field(converter=_fraction)


def _thresholds(rows: Iterable[Threshold]) -> tuple[Threshold, ...]:
    return tuple(sorted(rows, key=lambda t: -t.grade))


@frozen
class Rounding:
    """A rounding rule; ``thresholds`` are used by :attr:`RoundingMethod.TABLE` only.

    Raises :class:`InvalidInput` when a table is empty, repeats a grade, or has a threshold for
    grade *g* outside (g-1, g] (such a table could give a mark outside the marks averaged).
    """

    method: RoundingMethod
    thresholds: tuple[Threshold, ...] = field(converter=_thresholds, default=())
    table_ints: tuple[tuple[int, int, int], ...] = field(init=False, eq=False, repr=False)
    """The table as (grade, numerator, denominator) rows, for integer comparisons on the hot path."""

    def __attrs_post_init__(self) -> None:
        problems = _rounding_problems(self.method, self.thresholds, "rounding")
        if problems:
            raise InvalidInput.many(problems)
        rows = tuple((t.grade, t.minimum.numerator, t.minimum.denominator) for t in self.thresholds)
        object.__setattr__(self, "table_ints", rows)

    @classmethod
    def table(cls, rows: Mapping[int, Fraction | int | str]) -> Rounding:
        """A threshold table from ``{grade: minimum}`` (``{5: "4.5", 4: "3.5"}``)."""
        return cls(RoundingMethod.TABLE, tuple(Threshold(g, m) for g, m in rows.items()))


def _rounding_problems(
    method: RoundingMethod, thresholds: tuple[Threshold, ...], where: str, indices: Sequence[int] | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if method is RoundingMethod.TABLE:
        if not thresholds:
            problems.append(Problem(f"{where}.thresholds", "a threshold table needs at least one row", []))
        grades = [t.grade for t in thresholds]
        if len(set(grades)) != len(grades):
            problems.append(Problem(f"{where}.thresholds", "a grade appears twice", grades))
        for i, t in enumerate(thresholds):
            if not (t.grade - 1 < t.minimum <= t.grade):
                problems.append(
                    Problem(
                        f"{where}.thresholds[{i if indices is None else indices[i]}].from",
                        f"the threshold of grade {t.grade} must lie above {t.grade - 1} and at most {t.grade}",
                        fraction_text(t.minimum),
                    )
                )
    elif thresholds:
        problems.append(
            Problem(
                f"{where}.thresholds", f"only the 'table' rule uses thresholds, not {method.value!r}", len(thresholds)
            )
        )
    return problems


def _opt_kind(value: PeriodKind | str | None) -> PeriodKind | None:
    if value is None or isinstance(value, PeriodKind):
        return value
    for kind in PeriodKind:
        if kind.value == value:
            return kind
    options = ", ".join(repr(k.value) for k in PeriodKind)
    raise InvalidInput("policy.period.min_marks.kind", f"must be one of {options}", value)


@frozen
class MinMarksRow:
    """A row of the minimum-marks table: for periods of ``kind`` (``None`` = any kind), up to
    ``max_hours`` a week (``None`` = any), at least ``marks`` marks.

    ``kind`` takes a :class:`~ejournal.core.calendar.PeriodKind` or its value (``"quarter"``,
    ``"trimester"``, ``"half_year"``, ``"module"``); raises :class:`InvalidInput` for another.
    """

    max_hours: Fraction | None = field(converter=_opt_fraction)
    marks: int
    kind: PeriodKind | None = field(converter=_opt_kind, default=None)

    def matches(self, kind: PeriodKind | None, hours_per_week: Fraction) -> bool:
        """True when this row applies to a period of ``kind`` for a course of ``hours_per_week``.

        A row without a kind applies to every period; a row with a kind only to periods of that
        kind (a period of unknown kind, ``None``, matches only rows without a kind).
        """
        if self.kind is not None and self.kind is not kind:
            return False
        return self.max_hours is None or hours_per_week <= self.max_hours


def _rows(rows: Iterable[MinMarksRow]) -> tuple[MinMarksRow, ...]:
    return tuple(rows)


@frozen
class PeriodRule:
    """How a period mark is proposed from the period's current marks.

    - ``aggregation``: the inner aggregation; ``last_n`` keeps only the most recent N counted marks
      (``None`` = all) and then ``drop_lowest`` drops the N lowest of those (at least one mark is
      always kept); the inner aggregation runs on what remains.
    - ``rounding``: mean → grade.
    - ``min_marks``: rows checked in order; the first whose ``kind`` is the period's kind (or
      unset) and whose ``max_hours`` is at least the course's weekly hours gives the minimum number
      of counted marks (no row matches → no minimum).  "3 per quarter, 5 per half-year" is two
      rows: ``MinMarksRow(None, 3, "quarter")`` and ``MinMarksRow(None, 5, "half_year")``.
    - ``missed_share_above``: with too few marks, a missed share of the period's lessons strictly
      above it gives "н/а"; ``too_few_alone`` gives "н/а" for too few marks whatever the absences.
    - ``cap_at_most``/``cap_to``: when set, a period with any counted mark ≤ ``cap_at_most`` gets at
      most ``cap_to`` ("no 5 with a 2": 2 and 4).
    """

    aggregation: AggregationMethod = AggregationMethod.WEIGHTED_MEAN
    rounding: Rounding = Rounding(
        RoundingMethod.TABLE, (Threshold(5, Fraction(9, 2)), Threshold(4, Fraction(7, 2)), Threshold(3, Fraction(5, 2)))
    )
    last_n: int | None = None
    drop_lowest: int = 0
    min_marks: tuple[MinMarksRow, ...] = field(converter=_rows, default=())
    missed_share_above: Fraction = field(converter=_fraction, default=Fraction(1, 2))
    too_few_alone: bool = False
    cap_at_most: int | None = None
    cap_to: int | None = None

    def required_marks(self, hours_per_week: Fraction, kind: PeriodKind | None = None) -> int:
        """The minimum number of counted marks in a period of ``kind`` for a course of
        ``hours_per_week`` (0 = no minimum); ``kind=None`` uses only the rows without a kind."""
        for row in self.min_marks:
            if row.matches(kind, hours_per_week):
                return row.marks
        return 0


@frozen
class AnnualRule:
    """How the annual mark is proposed from the period marks of the year.

    ``last_period_weight`` weighs the scheme's last period (1 = a plain mean of the period marks).
    """

    rounding: Rounding = Rounding(RoundingMethod.HALF_UP)
    tie: TiePolicy = TiePolicy.STUDENT
    last_period_weight: Fraction = field(converter=_fraction, default=Fraction(1))
    not_certified: NotCertifiedPeriods = NotCertifiedPeriods.NOT_CERTIFIED
    exempt: ExemptPeriods = ExemptPeriods.SKIP


def _ints(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


@frozen
class PromotionRule:
    """How :func:`~ejournal.core.grading.decide_promotion` decides.

    ``graduating_grades`` end with state exams (9 and 11); ``honours`` defines "with honours";
    ``missing_annual`` says whether a course with no annual mark (set or proposable) is a debt.
    """

    graduating_grades: tuple[int, ...] = field(converter=_ints, default=(9, 11))
    honours: Honours = Honours.ALL_FIVES
    missing_annual: MissingAnnual = MissingAnnual.DEBT


def _conversions(rows: Iterable[ScoreConversion]) -> tuple[ScoreConversion, ...]:
    return tuple(rows)


@frozen
class ExamRule:
    """How state-exam results enter the marks.

    ``one_exam_into_several_courses``: when true, a course whose ``exam_of`` names an examined
    course (geometry → the mathematics exam recorded on algebra) takes that exam mark into its
    grade-9 final mark too; when false (the default) one exam enters one course only, and the
    other course's final mark is its annual mark.  ``conversions`` are the region's tables turning
    ОГЭ primary scores into marks, one per subject (published every year; see
    :class:`~ejournal.core.exam_scores.ScoreConversion`).
    """

    one_exam_into_several_courses: bool = False
    conversions: tuple[ScoreConversion, ...] = field(converter=_conversions, default=())

    def conversion_for(self, subject_id: str) -> ScoreConversion:
        """The table of ``subject_id``; raises :class:`NotFound` when the policy has none."""
        for c in self.conversions:
            if c.subject_id == subject_id:
                return c
        raise NotFound("score conversion table", subject_id, "the policy's [exams] conversions")


@frozen
class GradingPolicy:
    """A school's grading rules, as data.

    ``name``/``version`` identify it; :attr:`content_hash` (SHA-256 of the canonical JSON of
    :meth:`to_dict`) says exactly which rules produced a computed mark.  ``edit_window_days``
    (marks entered later than N days after the lesson are flagged) and ``allowed_deviation`` (how
    many grades a teacher's period mark may differ from the proposal before it is an error) are
    read by validation; ``None`` switches the check off.  ``decimal_places`` sets how many decimals
    explanations print.  ``scale`` names the built-in numeric scale (:data:`GRADING_SCALE_IDS`,
    ``"five"`` by default) the pure functions check marks against when no scale is passed to them.
    ``exams`` says how state-exam results enter the marks (:class:`ExamRule`).  Build it in code, with :func:`builtin_policy`, :func:`load_policy`,
    :meth:`from_toml` or :meth:`from_json`.  Raises :class:`InvalidInput` on inconsistent data.
    """

    name: str
    version: str = "1"
    description: str = ""
    period: PeriodRule = PeriodRule()
    annual: AnnualRule = AnnualRule()
    promotion: PromotionRule = PromotionRule()
    exams: ExamRule = ExamRule()
    edit_window_days: int | None = None
    allowed_deviation: int | None = None
    decimal_places: int = 2
    scale: str = "five"
    content_hash: str = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _policy_problems(self, "policy")
        if problems:
            raise InvalidInput.many(problems)
        digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
        object.__setattr__(self, "content_hash", digest)

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict[str, Any]:
        """The policy as a JSON-able mapping (exact numbers as strings, optional keys omitted when unset)."""
        return _policy_to_dict(self)

    def canonical_json(self) -> str:
        """The canonical JSON text the content hash is taken of (sorted keys, no spaces)."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def to_json(self) -> str:
        """Readable JSON (indented); :meth:`from_json` reads it back to an equal policy."""
        return json.dumps(self.to_dict(), sort_keys=False, indent=2, ensure_ascii=False) + "\n"

    def to_toml(self) -> str:
        """The policy as a TOML document; :meth:`from_toml` reads it back to an equal policy."""
        from ejournal.core.grading._toml import policy_toml

        return policy_toml(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<policy>") -> GradingPolicy:
        """Build a policy from a mapping (parsed TOML or JSON).

        Raises :class:`InvalidInput` listing every problem, each naming ``source`` and the dotted key
        (and naming ``source`` alone when ``data`` is not a mapping).
        """
        if not isinstance(data, Mapping):
            raise InvalidInput(source, "the top level must be an object", type(data).__name__)
        return _policy_from_dict(data, source)

    @classmethod
    def from_toml(cls, text: str, source: str = "<toml>") -> GradingPolicy:
        """Parse TOML text; raises :class:`InvalidInput` (bad syntax or bad values), naming ``source``."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InvalidInput(f"{source}", f"not valid TOML: {e}") from None
        return cls.from_dict(data, source)

    @classmethod
    def from_json(cls, text: str, source: str = "<json>") -> GradingPolicy:
        """Parse JSON text; raises :class:`InvalidInput` (bad syntax or bad values), naming ``source``."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidInput(f"{source}", f"not valid JSON: {e}") from None
        if not isinstance(data, dict):
            raise InvalidInput(f"{source}", "the top level must be an object", type(data).__name__)
        return cls.from_dict(data, source)

    def save(self, path: str | Path) -> None:
        """Write the policy to ``path`` as TOML (``.toml``) or JSON (``.json``).

        Raises :class:`InvalidInput` for another suffix.
        """
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix == ".toml":
            p.write_text(self.to_toml(), encoding="utf-8")
        elif suffix == ".json":
            p.write_text(self.to_json(), encoding="utf-8")
        else:
            raise InvalidInput(str(p), "a policy file ends in .toml or .json", suffix)

    def evolve(self, **changes: Any) -> GradingPolicy:
        """A copy with ``changes`` applied (the hash is recomputed)."""
        return attrs.evolve(self, **changes)

    @property
    def marking_scale(self) -> Scale:
        """The built-in :class:`~ejournal.core.scales.Scale` named by :attr:`scale`."""
        return BUILTIN_SCALES[self.scale]

    @property
    def label(self) -> str:
        """``"federal v1 (3f2a9c1d)"``: name, version and the start of the hash."""
        return f"{self.name} v{self.version} ({self.content_hash[:8]})"


def _policy_problems(p: GradingPolicy, where: str) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(p.name, str) or not p.name.strip():
        problems.append(Problem(f"{where}.name", "must be a non-empty string", p.name))
    if not isinstance(p.version, str) or not p.version.strip():
        problems.append(Problem(f"{where}.version", "must be a non-empty string", p.version))
    for key, value in (("edit_window_days", p.edit_window_days), ("allowed_deviation", p.allowed_deviation)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append(Problem(f"{where}.{key}", "must be a whole number ≥ 0 (or absent)", value))
    if isinstance(p.decimal_places, bool) or not isinstance(p.decimal_places, int) or not 0 <= p.decimal_places <= 12:
        problems.append(Problem(f"{where}.decimal_places", "must be a whole number from 0 to 12", p.decimal_places))
    if p.scale not in GRADING_SCALE_IDS:
        problems.append(Problem(f"{where}.scale", f"must be one of {', '.join(map(repr, GRADING_SCALE_IDS))}", p.scale))
    r = p.period
    if r.last_n is not None and r.last_n < 1:
        problems.append(Problem(f"{where}.period.last_n", "must be at least 1 (or absent for all marks)", r.last_n))
    if r.drop_lowest < 0:
        problems.append(Problem(f"{where}.period.drop_lowest", "must not be negative", r.drop_lowest))
    if not 0 <= r.missed_share_above <= 1:
        problems.append(
            Problem(
                f"{where}.period.missed_share_above", "must be a share from 0 to 1", fraction_text(r.missed_share_above)
            )
        )
    if (r.cap_at_most is None) != (r.cap_to is None):
        problems.append(Problem(f"{where}.period.cap_to", "cap_at_most and cap_to are set together", r.cap_to))
    for i, row in enumerate(r.min_marks):
        if row.marks < 0:
            problems.append(Problem(f"{where}.period.min_marks[{i}].marks", "must not be negative", row.marks))
        if row.max_hours is not None and row.max_hours <= 0:
            problems.append(
                Problem(f"{where}.period.min_marks[{i}].max_hours", "must be positive", fraction_text(row.max_hours))
            )
        hidden = _shadowed_row(r.min_marks, i)
        if hidden is not None:
            problems.append(Problem(f"{where}.period.min_marks[{i}].max_hours", _SHADOW_MESSAGE.format(hidden), None))
    seen: set[str] = set()
    tables: tuple[object, ...] = p.exams.conversions
    for i, conv in enumerate(tables):
        if not isinstance(conv, ScoreConversion):
            problems.append(Problem(f"{where}.exams.conversions[{i}]", "must be a ScoreConversion", conv))
        elif conv.subject_id in seen:
            problems.append(
                Problem(f"{where}.exams.conversions[{i}].subject", "a second table for the subject", conv.subject_id)
            )
        else:
            seen.add(conv.subject_id)
    if p.annual.last_period_weight <= 0:
        problems.append(
            Problem(
                f"{where}.annual.last_period_weight", "must be positive", fraction_text(p.annual.last_period_weight)
            )
        )
    return problems


_SHADOW_MESSAGE = "only the last row for a period kind may omit max_hours (row {} would never be used)"


def _shadowed_row(rows: Sequence[MinMarksRow], i: int) -> int | None:
    """The index of a later row that row ``i`` (without ``max_hours``) makes unreachable, if any.

    A row without ``max_hours`` catches every course of its kind (every kind when it has none),
    so a later row for the same periods is never reached.
    """
    row = rows[i]
    if row.max_hours is not None:
        return None
    for j in range(i + 1, len(rows)):
        if row.kind is None or rows[j].kind is row.kind:
            return j
    return None


# ---------------------------------------------------------------------- to dict


def _rounding_dict(r: Rounding) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": r.method.value}
    if r.thresholds:
        out["thresholds"] = [{"grade": t.grade, "from": fraction_text(t.minimum)} for t in r.thresholds]
    return out


def _policy_to_dict(p: GradingPolicy) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "version": p.version}
    if p.description:
        out["description"] = p.description
    if p.edit_window_days is not None:
        out["edit_window_days"] = p.edit_window_days
    if p.allowed_deviation is not None:
        out["allowed_deviation"] = p.allowed_deviation
    out["decimal_places"] = p.decimal_places
    if p.scale != "five":
        out["scale"] = p.scale
    r = p.period
    period: dict[str, Any] = {"aggregation": r.aggregation.value}
    if r.last_n is not None:
        period["last_n"] = r.last_n
    period["drop_lowest"] = r.drop_lowest
    period["rounding"] = _rounding_dict(r.rounding)
    period["min_marks"] = [
        ({"kind": row.kind.value} if row.kind is not None else {})
        | ({"max_hours": fraction_text(row.max_hours)} if row.max_hours is not None else {})
        | {"marks": row.marks}
        for row in r.min_marks
    ]
    period["missed_share_above"] = fraction_text(r.missed_share_above)
    period["too_few_alone"] = r.too_few_alone
    if r.cap_at_most is not None and r.cap_to is not None:
        period["cap_at_most"] = r.cap_at_most
        period["cap_to"] = r.cap_to
    out["period"] = period
    a = p.annual
    out["annual"] = {
        "rounding": _rounding_dict(a.rounding),
        "tie": a.tie.value,
        "last_period_weight": fraction_text(a.last_period_weight),
        "not_certified": a.not_certified.value,
        "exempt": a.exempt.value,
    }
    pr = p.promotion
    out["promotion"] = {
        "graduating_grades": list(pr.graduating_grades),
        "honours": pr.honours.value,
        "missing_annual": pr.missing_annual.value,
    }
    ex = p.exams
    if ex != ExamRule():  # written only when set, so earlier policies keep their content hash
        exams: dict[str, Any] = {"one_exam_into_several_courses": ex.one_exam_into_several_courses}
        if ex.conversions:
            exams["conversions"] = [
                {
                    "subject": c.subject_id,
                    "max_score": c.max_score,
                    "three": c.three,
                    "four": c.four,
                    "five": c.five,
                }
                | ({"source": c.source} if c.source else {})
                for c in ex.conversions
            ]
        out["exams"] = exams
    return out


# ---------------------------------------------------------------------- from dict


class _Reader:
    """Reads one table of a policy file, collecting problems instead of stopping at the first."""

    def __init__(self, data: Mapping[str, Any], path: str, source: str, problems: list[Problem]) -> None:
        self.data = data
        self.path = path
        self.source = source
        self.problems = problems
        self.seen: set[str] = set()

    def where(self, key: str) -> str:
        dotted = f"{self.path}.{key}" if self.path else key
        return f"{self.source}: {dotted}"

    def problem(self, key: str, message: str, value: object = None) -> None:
        self.problems.append(Problem(self.where(key), message, value))

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def string(self, key: str, default: str | None = None) -> str:
        value = self.raw(key)
        if value is None:
            if default is None:
                self.problem(key, "is required")
                return "?"
            return default
        if not isinstance(value, str) or not value.strip():
            self.problem(key, "must be a non-empty string", value)
            return "?"
        return value

    def text(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(key, "must be a string", value)
            return ""
        return value

    def integer(self, key: str, default: int | None, *, minimum: int = 0, maximum: int | None = None) -> int | None:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, "must be a whole number", value)
            return default
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
            self.problem(key, f"must be {bound}", value)
            return default
        return value

    def exact(self, key: str, default: Fraction | None) -> Fraction | None:
        value = self.raw(key)
        if value is None:
            if default is None:
                self.problem(key, "is required")
            return default
        try:
            return parse_exact(value)
        except ValueError as e:
            self.problem(key, str(e), value)
            return default

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(key, "must be true or false", value)
            return default
        return value

    def choice(self, key: str, enum_type: type[E], default: E | None) -> E | None:
        value = self.raw(key)
        if value is None:
            if default is None:
                self.problem(key, "is required")
            return default
        for member in enum_type:
            if member.value == value:
                return member
        options = ", ".join(repr(m.value) for m in enum_type)
        self.problem(key, f"must be one of {options}", value)
        return default

    def table(self, key: str) -> _Reader:
        value = self.raw(key)
        sub_path = f"{self.path}.{key}" if self.path else key
        if value is None:
            return _Reader({}, sub_path, self.source, self.problems)
        if not isinstance(value, Mapping):
            self.problem(key, "must be a table", value)
            return _Reader({}, sub_path, self.source, self.problems)
        return _Reader(value, sub_path, self.source, self.problems)

    def rows(self, key: str) -> list[_Reader]:
        value = self.raw(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, "must be a list of tables", value)
            return []
        out = []
        for i, item in enumerate(value):
            item_path = f"{self.path}.{key}[{i}]" if self.path else f"{key}[{i}]"
            if not isinstance(item, Mapping):
                self.problems.append(Problem(f"{self.source}: {item_path}", "must be a table", item))
                continue
            out.append(_Reader(item, item_path, self.source, self.problems))
        return out

    def done(self) -> None:
        for key in self.data:
            if key not in self.seen:
                self.problem(str(key), "unknown key", self.data[key])


def _read_rounding(r: _Reader, default: Rounding) -> Rounding:
    method = r.choice("rule", RoundingMethod, default.method) or default.method
    thresholds: list[Threshold] = []
    indices: list[int] = []
    for i, row in enumerate(r.rows("thresholds")):
        grade = row.integer("grade", None, minimum=-(10**6))
        minimum = row.exact("from", None)
        if grade is None and not row.has("grade"):
            row.problem("grade", "is required")
        row.done()
        if grade is not None and minimum is not None:
            thresholds.append(Threshold(grade, minimum))
            indices.append(i)
    if not r.has("thresholds") and method is default.method:
        thresholds = list(default.thresholds)
        indices = list(range(len(thresholds)))
    r.done()
    found = _rounding_problems(method, tuple(thresholds), r.path, indices)
    for p in found:
        r.problems.append(Problem(f"{r.source}: {p.where}", p.message, p.value))
    if found:
        return default
    return Rounding(method, tuple(thresholds))


def _read_exams(r: _Reader) -> ExamRule:
    shared = r.flag("one_exam_into_several_courses", False)
    tables: list[ScoreConversion] = []
    seen: set[str] = set()
    for row in r.rows("conversions"):
        before = len(r.problems)
        subject = row.string("subject")
        numbers: dict[str, int | None] = {}
        for key in ("max_score", "three", "four", "five"):
            numbers[key] = row.integer(key, None, minimum=1)
            if numbers[key] is None and not row.has(key):
                row.problem(key, "is required")
        source = row.text("source")
        row.done()
        if len(r.problems) > before:
            continue
        if subject in seen:
            row.problem("subject", "a second table for the subject", subject)
            continue
        seen.add(subject)
        try:
            tables.append(
                ScoreConversion(
                    subject,
                    numbers["max_score"],  # type: ignore[arg-type]
                    numbers["three"],  # type: ignore[arg-type]
                    numbers["four"],  # type: ignore[arg-type]
                    numbers["five"],  # type: ignore[arg-type]
                    source,
                )
            )
        except InvalidInput as e:
            row.problem(e.where.rsplit(".", 1)[-1], e.reason, e.value)
    r.done()
    return ExamRule(shared, tuple(tables))


def _policy_from_dict(data: Mapping[str, Any], source: str) -> GradingPolicy:
    problems: list[Problem] = []
    top = _Reader(data, "", source, problems)
    name = top.string("name")
    version = top.string("version", "1")
    description = top.text("description")
    edit_window = top.integer("edit_window_days", None)
    deviation = top.integer("allowed_deviation", None)
    places = top.integer("decimal_places", 2, maximum=12)
    assert places is not None
    scale = top.string("scale", "five")
    if scale not in GRADING_SCALE_IDS:
        top.problem("scale", f"must be one of {', '.join(map(repr, GRADING_SCALE_IDS))}", scale)
        scale = "five"

    d = PeriodRule()
    pr = top.table("period")
    aggregation = pr.choice("aggregation", AggregationMethod, d.aggregation) or d.aggregation
    last_n = pr.integer("last_n", None, minimum=1)
    drop_lowest = pr.integer("drop_lowest", 0) or 0
    rounding = _read_rounding(pr.table("rounding"), d.rounding)
    rows: list[MinMarksRow] = []
    raw_rows = pr.rows("min_marks")
    row_readers: list[_Reader] = []
    for row in raw_rows:
        kind = row.choice("kind", PeriodKind, None) if row.has("kind") else None
        hours = row.exact("max_hours", Fraction(0)) if row.has("max_hours") else None
        marks = row.integer("marks", None)
        if marks is None and not row.has("marks"):
            row.problem("marks", "is required")
        if hours is not None and hours <= 0:
            row.problem("max_hours", "must be positive", row.data.get("max_hours"))
            hours = Fraction(1)
        row.done()
        rows.append(MinMarksRow(hours, marks if marks is not None else 0, kind))
        row_readers.append(row)
    for i, row in enumerate(row_readers):
        hidden = _shadowed_row(rows, i)
        if hidden is not None:
            row.problem("max_hours", _SHADOW_MESSAGE.format(hidden))
    share = pr.exact("missed_share_above", d.missed_share_above)
    if share is None:
        share = d.missed_share_above
    if not 0 <= share <= 1:
        pr.problem("missed_share_above", "must be a share from 0 to 1", pr.data.get("missed_share_above"))
        share = d.missed_share_above
    too_few_alone = pr.flag("too_few_alone", d.too_few_alone)
    cap_at_most = pr.integer("cap_at_most", None, minimum=-(10**6))
    cap_to = pr.integer("cap_to", None, minimum=-(10**6))
    if (cap_at_most is None) != (cap_to is None):
        pr.problem("cap_to" if cap_to is None else "cap_at_most", "cap_at_most and cap_to are set together")
        cap_at_most = cap_to = None
    pr.done()

    da = AnnualRule()
    ar = top.table("annual")
    annual_rounding = _read_rounding(ar.table("rounding"), da.rounding)
    tie = ar.choice("tie", TiePolicy, da.tie) or da.tie
    lpw = ar.exact("last_period_weight", da.last_period_weight)
    if lpw is None:
        lpw = da.last_period_weight
    elif lpw <= 0:
        ar.problem("last_period_weight", "must be positive", ar.data.get("last_period_weight"))
        lpw = da.last_period_weight
    not_certified = ar.choice("not_certified", NotCertifiedPeriods, da.not_certified) or da.not_certified
    exempt = ar.choice("exempt", ExemptPeriods, da.exempt) or da.exempt
    ar.done()

    dp = PromotionRule()
    prom = top.table("promotion")
    grades_raw = prom.raw("graduating_grades")
    graduating = dp.graduating_grades
    if grades_raw is not None:
        if not isinstance(grades_raw, list) or any(isinstance(g, bool) or not isinstance(g, int) for g in grades_raw):
            prom.problem("graduating_grades", "must be a list of whole numbers", grades_raw)
        else:
            graduating = tuple(grades_raw)
    honours = prom.choice("honours", Honours, dp.honours) or dp.honours
    missing = prom.choice("missing_annual", MissingAnnual, dp.missing_annual) or dp.missing_annual
    prom.done()
    exams = _read_exams(top.table("exams"))
    top.done()

    if problems:
        raise InvalidInput.many(problems)
    try:
        return GradingPolicy(
            name=name,
            version=version,
            description=description,
            period=PeriodRule(
                aggregation=aggregation,
                rounding=rounding,
                last_n=last_n,
                drop_lowest=drop_lowest,
                min_marks=tuple(rows),
                missed_share_above=share,
                too_few_alone=too_few_alone,
                cap_at_most=cap_at_most,
                cap_to=cap_to,
            ),
            annual=AnnualRule(annual_rounding, tie, lpw, not_certified, exempt),
            promotion=PromotionRule(graduating, honours, missing),
            exams=exams,
            edit_window_days=edit_window,
            allowed_deviation=deviation,
            decimal_places=places,
            scale=scale,
        )
    except InvalidInput as e:
        raise InvalidInput.many(
            [Problem(f"{source}: {p.where.removeprefix('policy.')}", p.message, p.value) for p in e.problems]
        ) from None


# ---------------------------------------------------------------------- files and profiles


def load_policy(path: str | Path) -> GradingPolicy:
    """Load a policy file: TOML for ``.toml``, JSON for ``.json``.

    Raises :class:`NotFound` when the file does not exist and :class:`InvalidInput` for another
    suffix, unreadable text, bad syntax or bad values (every problem at once, each naming the
    file and the dotted key).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise InvalidInput(str(p), "a policy file ends in .toml or .json", suffix)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound("policy file", str(p)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(str(p), f"cannot be read: {e}") from None
    if suffix == ".toml":
        return GradingPolicy.from_toml(text, str(p))
    return GradingPolicy.from_json(text, str(p))


_BUILTIN_CACHE: dict[str, GradingPolicy] = {}


def builtin_policy(name: str) -> GradingPolicy:
    """A built-in profile by name (see :data:`BUILTIN_POLICY_NAMES`); raises :class:`NotFound` otherwise."""
    if name not in BUILTIN_POLICY_NAMES:
        raise NotFound("grading policy", name, f"built-in profiles ({', '.join(BUILTIN_POLICY_NAMES)})")
    cached = _BUILTIN_CACHE.get(name)
    if cached is None:
        text = resources.files("ejournal.core.grading").joinpath("profiles", f"{name}.toml").read_text("utf-8")
        cached = GradingPolicy.from_toml(text, f"profiles/{name}.toml")
        _BUILTIN_CACHE[name] = cached
    return cached
