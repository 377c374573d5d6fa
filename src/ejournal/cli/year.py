"""``ejournal year …``: the school year's own commands (rollover into the next year)."""

from __future__ import annotations

import click

from ejournal.cli._shared import State, _school_id, admin, common
from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput
from ejournal.core.rollover import RolloverPlan


@click.group()
def year() -> None:
    """The school year: carry it into the next one."""


def _placements(items: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        student, sep, label = item.partition("=")
        if not sep or not student.strip():
            raise InvalidInput("--place", "must be STUDENT_ID=CLASS (8А) or STUDENT_ID= (not carried)", item)
        out[student.strip()] = label.strip()
    return out


def _summary(plan: RolloverPlan, dry_run: bool) -> str:
    lines = [
        f"{'Would create' if dry_run else 'Created'} {len(plan.journals)} classes of {plan.to_year}"
        f" from {plan.from_year}:"
    ]
    for j in plan.journals:
        lines.append(f"  {j.class_group.label}: {len(j.students)} students (journal {j.id})")
    gone = [m for m in plan.moves if not m.to_label]
    if gone:
        lines.append(f"Not carried: {len(gone)} (" + ", ".join(f"{m.student_name} {m.from_label}" for m in gone) + ")")
    for d in plan.debts:
        lines.append(f"Carries a debt: {d.student_id} in {d.subject_name} into {d.to_label}")
    return "\n".join(lines)


@year.command("rollover")
@click.option("--from", "from_year", required=True, help="The year to carry over, e.g. 2025/2026.")
@click.option("--school", default=None, help="School id (needed when the database holds several).")
@click.option(
    "--place",
    multiple=True,
    metavar="STUDENT=CLASS",
    help="Where a student goes whose decision does not say (adapted programme, individual plan); repeatable.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan; write nothing.")
@common
def rollover(state: State, from_year: str, school: str | None, place: tuple[str, ...], dry_run: bool) -> None:
    """Create next year's classes from the council's decisions (refused while a decision is missing)."""
    from ejournal.service import JournalService

    academic_year = AcademicYear.parse(from_year)
    with state.storage() as storage:
        school_id = _school_id(storage, school)
        service = JournalService(storage, state.policy())
        plan = service.rollover(
            admin(school_id), school_id, academic_year, placements=_placements(place), dry_run=dry_run
        )
    click.echo(_summary(plan, dry_run))


COMMANDS = (year,)
"""The commands this module defines, attached to the ``ejournal`` group by :mod:`ejournal.cli.main`."""
