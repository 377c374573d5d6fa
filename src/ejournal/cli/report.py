"""``ejournal report KIND``: the other end-of-year documents (see ``docs/reports.md``).

The CLI acts as an administrator of the school; journals are read through the service (access
checked), the document is built by :func:`ejournal.core.reports.build_report`, rendered by the
format's renderer and written to a private file (mode 0600).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ejournal._files import write_private
from ejournal.cli._shared import (
    FORMATS,
    LOCALES,
    State,
    _collator,
    _day,
    _format_of,
    _school_id,
    _service,
    _year,
    admin,
    common,
)
from ejournal.core.choices import matches, unknown
from ejournal.core.journal import ClassJournal

KINDS = ("final-marks", "progress", "honours", "extract", "personal-file", "debts")


def find_student(journal: ClassJournal, student: str) -> str:
    """The id of the student of ``journal`` named by ``student`` (an id or the full name, up to
    look-alike letters); raises :class:`~ejournal.core.errors.NotFound` listing the class's students."""
    if student in journal.students:
        return student
    for s in journal.students.values():
        if matches(student, s.name.full):
            return s.id
    names = sorted(f"{s.name.full} ({s.id})" for s in journal.students.values())
    raise unknown("student", student, names, f"class {journal.class_group.label}")


@click.command("report")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--class", "label", required=True, help="Class label, e.g. 9А.")
@click.option("--year", default=None, help="Academic year, e.g. 2025/2026 (default: the latest).")
@click.option("--school", default=None, help="School id (needed when the database holds several).")
@click.option(
    "--student", default=None, help="Student id or full name (extract, personal-file; final-marks: one student)."
)
@click.option("--period", default=None, help="Progress: a period id of the class (q1…q4, h1, h2) or 'year' (default).")
@click.option(
    "--earlier-class",
    default=None,
    help="final-marks of grade 11: the grade-10 class (label); progress for the year: last year's class.",
)
@click.option("--earlier-year", default=None, help="The academic year of --earlier-class (default: the year before).")
@click.option(
    "--issued-on",
    default=None,
    help="Extract: the date it covers up to, YYYY-MM-DD (default: the day the student left).",
)
@click.option("--draft", is_flag=True, help="final-marks: write the list even when problems block printing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format; default: the extension of -o, else pdf.",
)
@click.option("--locale", type=click.Choice(LOCALES), default="ru", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@common
def report(
    state: State,
    kind: str,
    label: str,
    year: str | None,
    school: str | None,
    student: str | None,
    period: str | None,
    earlier_class: str | None,
    earlier_year: str | None,
    issued_on: str | None,
    draft: bool,
    fmt: str | None,
    locale: str,
    output: Path,
) -> None:
    """Write an end-of-year document: final-marks (certificate insert), progress (class teacher's
    report), honours (medal candidates), extract (a leaving student's current marks), personal-file."""

    from ejournal.core.calendar import AcademicYear
    from ejournal.core.reports import FinalMarksList, build_report
    from ejournal.render import render

    fmt = fmt or _format_of(output)
    day = _day(issued_on or None, "--issued-on")
    if kind in ("extract", "personal-file") and not student:
        raise click.UsageError(f"the {kind} document is about one student: give --student ID")
    with state.storage() as storage:
        service = _service(state, storage)
        school_id = _school_id(storage, school)
        actor = admin(school_id)
        journal = service.find_journal(actor, school_id, label, _year(year))
        student_id = find_student(journal, student) if student else None
        earlier: Any = None
        if earlier_class:
            this = journal.class_group.year
            before = _year(earlier_year) or AcademicYear(this.start_year - 1)
            earlier = service.find_journal(actor, school_id, earlier_class, before)
        elif kind == "final-marks" and journal.class_group.grade == 11:
            earlier = service.earlier_results(actor, school_id, journal.id) or None  # grade 10, from storage
        journals = (
            service.student_journals(actor, school_id, student_id)
            if kind == "personal-file" and student_id is not None
            else []
        )
    document = build_report(
        kind,
        journal,
        collator=_collator(locale),
        student_id=student_id,
        period_id=period,
        earlier=earlier,
        journals=journals,
        policy=state.policy(),
        issued_on=day,
    )
    if isinstance(document, FinalMarksList) and not draft:
        document.check()
    data: bytes = render(document, fmt, locale=locale)
    write_private(output, data)
    click.echo(f"Wrote {output} ({len(data)} bytes)")


COMMANDS = (report,)
"""The commands this module defines, attached to the ``ejournal`` group by :mod:`ejournal.cli.main`."""
