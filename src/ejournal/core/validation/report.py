"""The result of validation: findings, counts, readiness to certify, JSON and text forms."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from attrs import field, frozen

from ejournal.core.validation.findings import Finding, Severity, normalize_locale, render_param
from ejournal.core.validation.messages import UI

__all__ = ["ValidationReport"]


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(value, key=Finding.sort_key))


@frozen
class ValidationReport:
    """What :func:`~ejournal.core.validation.validate` found in one journal.

    ``findings`` are sorted by code, then place, so two validations of equal journals give equal
    reports whatever the order the journal's records were inserted in.  ``rules`` are the codes
    that ran; ``policy_hash`` the content hash of the grading policy used.
    """

    journal_id: str
    as_of: date
    findings: tuple[Finding, ...] = field(converter=_findings, factory=tuple)
    rules: tuple[str, ...] = ()
    policy_hash: str = ""

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    @property
    def errors(self) -> list[Finding]:
        """The findings of severity error."""
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        """The findings of severity warning."""
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def infos(self) -> list[Finding]:
        """The findings of severity info."""
        return [f for f in self.findings if f.severity is Severity.INFO]

    @property
    def blocking(self) -> list[Finding]:
        """The findings that keep the journal from being certified (the errors)."""
        return self.errors

    @property
    def ready_to_certify(self) -> bool:
        """True when no error remains (warnings and info do not block)."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        """Number of findings per severity; every severity is present (0 when none)."""
        out = dict.fromkeys(Severity, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def codes(self) -> dict[str, int]:
        """Number of findings per code, by code."""
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.code] = out.get(f.code, 0) + 1
        return out

    def filter(
        self,
        *,
        code: str | None = None,
        severity: Severity | None = None,
        student_id: str | None = None,
        course_id: str | None = None,
        period_id: str | None = None,
    ) -> list[Finding]:
        """The findings matching every criterion given."""
        return [
            f
            for f in self.findings
            if (code is None or f.code == code)
            and (severity is None or f.severity is severity)
            and (student_id is None or f.student_id == student_id)
            and (course_id is None or f.course_id == course_id)
            and (period_id is None or f.period_id == period_id)
        ]

    def to_dict(self, locale: str = "ru") -> dict[str, object]:
        """A JSON-ready dict: journal, date, readiness, counts and every finding (messages in ``locale``)."""
        return {
            "journal_id": self.journal_id,
            "as_of": self.as_of.isoformat(),
            "policy_hash": self.policy_hash,
            "ready_to_certify": self.ready_to_certify,
            "counts": {s.value: n for s, n in self.counts().items()},
            "rules": list(self.rules),
            "findings": [f.to_dict(locale) for f in self.findings],
        }

    def render_text(self, locale: str = "ru", *, min_severity: Severity = Severity.INFO) -> str:
        """A plain-text report in ``locale``: a header, one line per finding, explanations indented.

        Only findings at least as serious as ``min_severity`` are listed (the header still counts
        all of them).  Raises :class:`~ejournal.core.errors.InvalidInput` for an unsupported locale.
        """
        loc = normalize_locale(locale)
        ui = UI[loc]
        counts = {s.value: n for s, n in self.counts().items()}
        lines = [ui["header"].format(journal=self.journal_id, as_of=render_param(self.as_of, loc), **counts)]
        lines.append(ui["ready"] if self.ready_to_certify else ui["not_ready"].format(**counts))
        for f in self.findings:
            if f.severity.rank < min_severity.rank:
                continue
            place = ", ".join(
                f"{ui[name]} {value}"
                for name, value in (
                    ("student", f.student_id),
                    ("course", f.course_id),
                    ("period", f.period_id),
                    ("lesson", f.lesson_id),
                    ("mark", f.mark_id),
                )
                if value
            )
            where = f" [{place}]" if place else ""
            lines.append(f"{f.code} {ui['severity.' + f.severity.value]}{where}: {f.message(loc)}")
            why = f.explain(loc)
            if why:
                lines.append(f"    {ui['why']}:")
                lines.extend("      " + line for line in why.splitlines())
        return "\n".join(lines) + "\n"
