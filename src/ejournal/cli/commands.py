"""The commands of the ``ejournal`` CLI."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ejournal._files import write_private
from ejournal.cli._shared import (
    EXIT_FINDINGS,
    FORMATS,
    LAYOUTS,
    LOCALES,
    OPERATOR,
    State,
    _as_of,
    _collator,
    _day,
    _format_of,
    _layout,
    _mask,
    _progress,
    _school_id,
    _service,
    _year,
    admin,
    common,
)
from ejournal.core.choices import matches, unknown
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal

if TYPE_CHECKING:
    from ejournal.core.diary import DiaryWeek
    from ejournal.core.grading import GradingPolicy
    from ejournal.core.summary import SummarySheet
    from ejournal.core.validation import Severity, ValidationReport
    from ejournal.service import JournalService


def _sheet(
    service: JournalService,
    journal: ClassJournal,
    layout: str = "students",
    language: str = "ru",
    signing: tuple[date | None, str | None, str | None] = (None, None, None),
) -> SummarySheet:
    from ejournal.core.summary import Certification

    on, director, class_teacher = signing
    certification = (
        None if on is None else Certification.from_journal(journal, on, director=director, class_teacher=class_teacher)
    )
    return service.build_sheet(
        admin(journal.school.id),
        journal,
        collator=_collator(language),
        layout=_layout(layout),
        certification=certification,
    )


_DIRECTOR = click.option(
    "--director", default=None, help="The director's name to print under the signature (default: the school data)."
)
_CLASS_TEACHER = click.option(
    "--class-teacher", default=None, help="The class teacher's name to print (default: the class data)."
)


def _render(
    sheet: SummarySheet, fmt: str, locale: str, layout: str, csv_dialect: str | None = None, *, pdfa: bool = False
) -> bytes:
    from ejournal.render import CsvDialect, render

    dialect = CsvDialect(csv_dialect) if csv_dialect else None
    data: bytes = render(sheet, fmt, locale=locale, layout=_layout(layout), csv_dialect=dialect, pdfa=pdfa)
    return data


def _file_name(journal: ClassJournal, fmt: str) -> str:
    """``2025-2026_9А.pdf``: the class label is safe in a file name (see :class:`ClassGroup`)."""
    label = journal.class_group.label
    if "/" in label or "\\" in label or ".." in label or "\x00" in label:  # ClassGroup refuses these
        raise InvalidInput("class label", "cannot name a file", label)
    return f"{journal.class_group.year.start_year}-{journal.class_group.year.start_year + 1}_{label}.{fmt}"


# ---------------------------------------------------------------------------------------------- demo
@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Where to write the sheets.",
)
@click.option("--seed", default=2025, show_default=True, help="Seed of the generator (same seed, same school).")
@click.option("--classes", default=40, show_default=True, help="Number of classes.")
@click.option("--students", default=1000, show_default=True, help="Number of students.")
@common
def demo(state: State, out: Path, seed: int, classes: int, students: int) -> None:
    """Build a demo school in the database, validate it and write every class's summary sheet."""
    from ejournal.demo import describe, generate_school

    policy = state.policy()
    click.echo(f"Generating a demo school: {classes} classes, {students} students (seed {seed})...")
    # the demo year, and before it the earlier years its graduating classes' sheets read
    *earlier, school_year = generate_school(seed=seed, classes=classes, students=students)
    with state.storage() as storage:
        service = _service(state, storage)
        actor = admin(school_year.school.id)
        for year in (*earlier, school_year):
            service.import_school_year(actor, year, replace=True)
        click.echo(f"Stored in {_mask(state.db)}")
        journals = service.each_journal(actor, school_year.school.id, year=school_year.year)  # one at a time
        out.mkdir(parents=True, exist_ok=True)
        severities: dict[str, int] = {}
        ready = 0
        written: list[Path] = []
        last: ClassJournal | None = None
        done = 0
        for journal in _progress(journals, "Validating and rendering"):
            report = service.validate_journal(actor, journal, as_of=journal.class_group.year.end)
            for key, count in report.counts().items():
                severities[str(key)] = severities.get(str(key), 0) + count
            ready += bool(report.ready_to_certify)
            sheet = _sheet(service, journal)
            path = out / _file_name(journal, "pdf")
            write_private(path, _render(sheet, "pdf", "ru", "students"))
            written.append(path)
            last, done = journal, done + 1
        if last is not None:
            sample = last
            sheet = _sheet(service, sample)
            for fmt in ("html", "xlsx"):
                path = out / _file_name(sample, fmt)
                write_private(path, _render(sheet, fmt, "ru", "students"))
                written.append(path)
    facts = describe(school_year)
    click.echo("")
    click.echo(f"School:    {school_year.school.name_ru}")
    click.echo(f"Year:      {school_year.year}")
    if earlier:
        kept = sum(len(y.journals) for y in earlier)
        click.echo(f"Earlier:   {kept} journals of {earlier[0].year}–{earlier[-1].year} (the graduating classes' past)")
    for fact in ("classes", "students", "lessons", "marks"):
        if fact in facts:
            click.echo(f"{fact.capitalize() + ':':<10} {facts[fact]}")
    click.echo("Findings:  " + (", ".join(f"{k}: {v}" for k, v in sorted(severities.items())) or "none"))
    click.echo(f"Ready to certify: {ready} of {done} classes")
    click.echo(
        f"Sheets:    {len(written)} files in {out}/ (PDF for every class; HTML and XLSX of {last.class_group.label if last else '-'})"
    )
    if last is not None:
        _explain_one(last, policy)


def _explain_one(journal: ClassJournal, policy: GradingPolicy) -> None:
    """Print why one computed mark is what it is (the first marked cell of the class)."""
    from ejournal.core.grading import propose_period_mark

    for course in journal.courses_in_order():
        period = journal.scheme_of(course.id).periods[0]
        for student in journal.students_in_order():
            if journal.marks_of(student.id, course.id, period):
                computed = propose_period_mark(journal, student.id, course.id, period.id, policy)
                subject = journal.subjects[course.subject_id].name
                click.echo("")
                click.echo(f"Why {student.name.short} has {computed.value} in {subject}, {period.name or period.id}:")
                click.echo(computed.explanation.render("ru"))
                return


# ---------------------------------------------------------------------------------------------- import/export
@click.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the school's year if it exists.")
@common
def import_(state: State, file: Path, replace: bool) -> None:
    """Import a journal document (JSON, or .gz), all or nothing."""
    from ejournal.storage.document import read_document

    school_year = read_document(file)
    with state.storage() as storage:
        _service(state, storage).import_school_year(admin(school_year.school.id), school_year, replace=replace)
    click.echo(f"Imported {school_year.school.id} {school_year.year}: {len(school_year.journals)} classes")


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--school", default=None, help="School id (needed when the database holds several).")
@click.option("--year", default=None, help="Academic year, e.g. 2025/2026 (default: the latest).")
@common
def export(state: State, output: Path, school: str | None, year: str | None) -> None:
    """Export a school's year as a journal document (.gz compresses), streamed class by class."""
    with state.storage() as storage:
        school_id = _school_id(storage, school)
        service = _service(state, storage)
        academic_year = _year(year) or service.latest_year(admin(school_id), school_id)
        service.export_document(admin(school_id), school_id, academic_year, output)
    click.echo(f"Exported {school_id} {academic_year} to {output}")


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--school", default=None, help="School id (needed when the database holds several).")
@click.option("--all", "all_schools", is_flag=True, help="Every school of the database (the region-wide system role).")
@common
def backup(state: State, output: Path, school: str | None, all_schools: bool) -> None:
    """Back up one school (every year) into one file; --all backs up the whole database."""
    if all_schools and school:
        raise click.UsageError("give either --school ID or --all")
    with state.storage() as storage:
        service = _service(state, storage)
        if all_schools:
            size, what = service.backup_all_to(OPERATOR, output), _mask(state.db)
        else:
            school_id = _school_id(storage, school)
            size, what = service.backup_to(admin(school_id), output), f"school {school_id}"
    click.echo(f"Backed up {what} to {output} ({size} bytes)")


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--all", "all_schools", is_flag=True, help="Allow a backup of several schools (the region-wide system role)."
)
@common
def restore(state: State, file: Path, all_schools: bool) -> None:
    """Restore a backup of one school (or, with --all, of several) into an empty database, all or nothing."""
    from ejournal.storage.document import read_backup

    data = file.read_bytes()
    with state.storage() as storage:
        bundle = read_backup(data)
        schools = sorted({e.school.id for e in bundle.schools} | {sy.school.id for sy in bundle.years})
        if all_schools:
            actor = OPERATOR
        elif len(schools) == 1:
            actor = admin(schools[0])
        else:
            raise InvalidInput("restore", f"the backup holds {len(schools)} schools; pass --all", ", ".join(schools))
        _service(state, storage).restore(actor, bundle, digest=hashlib.sha256(data).hexdigest())
    click.echo(f"Restored {file} into {_mask(state.db)}")


# ---------------------------------------------------------------------------------------------- validate
@click.command()
@click.option("--class", "label", default=None, help="Class label, e.g. 9А (default: every class).")
@click.option("--year", default=None, help="Academic year, e.g. 2025/2026 (default: the latest).")
@click.option("--school", default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--locale", type=click.Choice(LOCALES), default="ru", show_default=True)
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default="error",
    show_default=True,
    help="List findings at least this serious (text format; every class still gets its counts).",
)
@common
def validate(
    state: State, label: str | None, year: str | None, school: str | None, fmt: str, locale: str, severity: str
) -> None:
    """Validate journals; exits 1 when errors are found."""
    from ejournal.core.validation import Severity

    with state.storage() as storage:
        service = _service(state, storage)
        school_id = _school_id(storage, school)
        actor = admin(school_id)
        # class by class: one journal in memory at a time (a named class: only that one is loaded)
        journals = (
            service.journals(actor, school_id, year=_year(year), label=label)
            if label
            else service.each_journal(actor, school_id, year=_year(year))
        )
        reports = [
            (j.class_group.label, str(j.class_group.year), service.validate_journal(actor, j, as_of=_as_of(j)))
            for j in _progress(journals, "Validating")
        ]
    if fmt == "json":
        click.echo(
            json.dumps({label: r.to_dict() for label, _, r in reports}, ensure_ascii=False, indent=1, sort_keys=True)
        )
    else:
        shown = Severity(severity)
        for class_label, class_year, r in reports:
            counts = ", ".join(f"{k}: {v}" for k, v in sorted((str(k), v) for k, v in r.counts().items()))
            click.echo(f"== {class_label} ({class_year}) — {counts or 'no findings'}")
            text = r.render_text(locale, min_severity=shown)
            if text:
                click.echo(text)
        click.echo(_validation_summary([r for _, _, r in reports], shown))
    if any(not r.ready_to_certify for _, _, r in reports):
        raise SystemExit(EXIT_FINDINGS)


def _validation_summary(reports: list[ValidationReport], shown: Severity) -> str:
    """One closing line: classes ready and not, findings by severity, and what was listed."""
    from ejournal.core.validation import Severity

    totals = {s: sum(r.counts().get(s, 0) for r in reports) for s in Severity}
    ready = sum(1 for r in reports if r.ready_to_certify)
    more = "" if shown is Severity.INFO else f"; listed: {shown.value} and above (--severity info lists all)"
    return (
        f"Summary: {len(reports)} classes, {ready} ready to certify, {len(reports) - ready} not; "
        f"{totals[Severity.ERROR]} errors, {totals[Severity.WARNING]} warnings, {totals[Severity.INFO]} info{more}"
    )


# ---------------------------------------------------------------------------------------------- sheet
@click.command()
@click.option("--class", "label", default=None, help="Class label, e.g. 9А.")
@click.option("--all", "all_classes", is_flag=True, help="Every class; -o names a directory.")
@click.option("--year", default=None)
@click.option("--school", default=None)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format; by default the extension of -o (FILE.xlsx → xlsx), else pdf.",
)
@click.option("--layout", type=click.Choice(LAYOUTS), default="students", show_default=True)
@click.option("--locale", type=click.Choice(LOCALES), default="ru", show_default=True)
@click.option(
    "--csv-dialect",
    type=click.Choice(["excel", "rfc4180"]),
    default=None,
    help="CSV only: excel (BOM, ';', decimal comma; the default for ru/tt) or plain rfc4180 (the default for en).",
)
@click.option(
    "--pdfa",
    is_flag=True,
    help="PDF only: write PDF/A-2b, the archival form (the certified archive always does).",
)
@click.option(
    "--certified-on",
    default=None,
    help="Print the certification block with this date (YYYY-MM-DD) and the signatories' names.",
)
@_DIRECTOR
@_CLASS_TEACHER
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@common
def sheet(
    state: State,
    label: str | None,
    all_classes: bool,
    year: str | None,
    school: str | None,
    fmt: str | None,
    layout: str,
    locale: str,
    csv_dialect: str | None,
    pdfa: bool,
    certified_on: str | None,
    director: str | None,
    class_teacher: str | None,
    output: Path,
) -> None:
    """Render the annual summary sheet of a class (or of every class with --all).

    With --certified-on the sheet carries its certification: the date and the names under the
    signatures, from the school's data or --director / --class-teacher.
    """
    if bool(label) == all_classes:
        raise click.UsageError("give either --class LABEL or --all")
    day = _day(certified_on, "--certified-on")
    if day is None and (director or class_teacher):
        raise click.UsageError("--director and --class-teacher go with --certified-on")
    signing = (day, director, class_teacher)
    fmt = fmt or _format_of(None if all_classes else output)
    if pdfa and fmt != "pdf":
        raise click.UsageError(f"--pdfa is for PDF output, not {fmt}")
    with state.storage() as storage:
        service = _service(state, storage)
        school_id = _school_id(storage, school)
        if all_classes:
            # Every sheet is rendered and every file name checked before the first file is
            # written: a class that fails stops the command with nothing half-done.  The classes
            # are loaded one at a time; only the rendered files are kept until then.
            files: dict[str, tuple[str, bytes]] = {}
            for j in _progress(service.each_journal(admin(school_id), school_id, year=_year(year)), "Rendering"):
                name = _file_name(j, fmt)
                if name in files:
                    raise InvalidInput(
                        "--all", f"classes {files[name][0]!r} and {j.id!r} would both be written to {name}"
                    )
                files[name] = (
                    j.id,
                    _render(_sheet(service, j, layout, locale, signing), fmt, locale, layout, csv_dialect, pdfa=pdfa),
                )
            output.mkdir(parents=True, exist_ok=True)
            for name, (_id, sheet_data) in files.items():
                write_private(output / name, sheet_data)
            click.echo(f"Wrote {len(files)} sheets to {output}/")
            return
        journals = service.journals(admin(school_id), school_id, year=_year(year), label=label)
        data = _render(
            _sheet(service, journals[0], layout, locale, signing), fmt, locale, layout, csv_dialect, pdfa=pdfa
        )
    write_private(output, data)
    click.echo(f"Wrote {output} ({len(data)} bytes)")


# ---------------------------------------------------------------------------------------------- explain, diary
def _find_student(journals: list[ClassJournal], student: str) -> tuple[ClassJournal, str]:
    for j in journals:
        if student in j.students:
            return j, student
    for j in journals:
        for s in j.students.values():
            if matches(student, s.name.full):
                return j, s.id
    names = sorted(s.name.full for j in journals for s in j.students.values())
    raise unknown("student", student, names, "the school's classes")


def _find_course(journal: ClassJournal, course: str) -> str:
    if course in journal.courses:
        return course
    for c in journal.courses.values():
        subject = journal.subjects[c.subject_id]
        if matches(course, subject.id) or matches(course, subject.name):
            return c.id
    names = [journal.subjects[c.subject_id].name for c in journal.courses_in_order()]
    raise unknown("course", course, names, f"class {journal.class_group.label}")


@click.command()
@click.option("--student", required=True, help="Student id or full name.")
@click.option("--course", required=True, help="Course id, subject id or subject name.")
@click.option("--period", required=True, help="Period id (q1…q4, h1, h2…) or 'year' for the annual mark.")
@click.option("--year", default=None)
@click.option("--school", default=None)
@click.option("--locale", type=click.Choice(LOCALES), default="ru", show_default=True)
@common
def explain(
    state: State, student: str, course: str, period: str, year: str | None, school: str | None, locale: str
) -> None:
    """Explain why a period or annual mark is what it is."""
    from ejournal.core.grading import propose_annual_mark, propose_period_mark

    policy = state.policy()
    with state.storage() as storage:
        school_id = _school_id(storage, school)
        journals = _service(state, storage).journals(admin(school_id), school_id, year=_year(year))
    journal, student_id = _find_student(journals, student)
    course_id = _find_course(journal, course)
    if period == "year":
        computed = propose_annual_mark(journal, student_id, course_id, policy)
    else:
        periods = [p.id for p in journal.scheme_of(course_id).periods]
        if period not in periods:
            raise unknown("period", period, [*periods, "year"], f"course {course_id}")
        computed = propose_period_mark(journal, student_id, course_id, period, policy)
    click.echo(computed.explanation.render(locale))


@click.command()
@click.option("--student", required=True, help="Student id or full name.")
@click.option(
    "--week", "week_of", default=None, help="A date in the week (YYYY-MM-DD); default: the year's last school week."
)
@click.option("--year", default=None)
@click.option("--school", default=None)
@click.option("--locale", type=click.Choice(LOCALES), default="ru", show_default=True)
@common
def diary(state: State, student: str, week_of: str | None, year: str | None, school: str | None, locale: str) -> None:
    """Show a student's diary for a week."""
    with state.storage() as storage:
        service = _service(state, storage)
        school_id = _school_id(storage, school)
        journals = service.journals(admin(school_id), school_id, year=_year(year))
        journal, student_id = _find_student(journals, student)
        diary_week, report = _diary(service, journal, student_id, week_of)
    student_name = journal.student(student_id).name.full
    click.echo(_week_text(diary_week, student_name, locale))
    click.echo(report.render_text(locale))


def _diary(
    service: JournalService, journal: ClassJournal, student_id: str, week_of: str | None
) -> tuple[DiaryWeek, Any]:
    from datetime import timedelta

    day = _day(week_of, "--week") or max(
        (le.date for le in journal.lessons.values()), default=journal.class_group.year.start
    )
    monday = day - timedelta(days=day.weekday())
    school_id = journal.school.id
    diary_week = service.diary_week(admin(school_id), school_id, journal.id, student_id, monday)
    return diary_week, service.period_report(admin(school_id), school_id, journal.id, student_id, day)


def _week_text(diary_week: DiaryWeek, student_name: str, locale: str) -> str:
    from ejournal.i18n import catalog
    from ejournal.i18n.numbers import weekday_name

    cat = catalog(locale)
    homework = cat.text("diary.homework")
    lines = [f"{student_name} — {cat.date(diary_week.monday)}"]
    for day in diary_week.days:
        if not day.lessons:
            continue
        lines.append(f"{weekday_name(day.date, locale)}, {cat.date(day.date)}")
        for le in day.lessons:
            marks = " ".join(m.text for m in le.marks)
            parts = [f"  {le.number}. {le.subject}"]
            if le.topic:
                parts.append(le.topic)
            if le.homework:
                parts.append(f"{homework}: {le.homework}")
            if marks:
                parts.append(f"[{marks}]")
            if le.attendance:
                parts.append(f"({le.attendance})")
            lines.append(" — ".join(parts))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- archive
PASSPHRASE_ENV = "EJOURNAL_PASSPHRASE"


def _passphrase(option: str | None, file: Path | None) -> str | None:
    """The PKCS#12 passphrase: ``--passphrase``, else the first line of ``--passphrase-file``, else
    ``$EJOURNAL_PASSPHRASE``, else ``None``.

    Raises :class:`InvalidInput` when both options are given.
    """
    if option is not None and file is not None:
        raise InvalidInput("--passphrase", "give either --passphrase or --passphrase-file, not both")
    if option is not None:
        return option
    if file is not None:
        lines = file.read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    return os.environ.get(PASSPHRASE_ENV) or None


@click.group()
def archive() -> None:
    """Certified archives of summary sheets."""


@archive.command("create")
@click.option("--class", "label", required=True)
@click.option("--year", default=None)
@click.option("--school", default=None)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Archive directory or .zip file.")
@click.option("--certified-on", default=None, help="Certification date YYYY-MM-DD (default: today).")
@click.option("--retention-years", default=25, show_default=True)
@click.option("--sign-pkcs12", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option(
    "--passphrase",
    default=None,
    help="Passphrase of the PKCS#12 file (visible in `ps`: prefer $EJOURNAL_PASSPHRASE or --passphrase-file).",
)
@click.option(
    "--passphrase-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="File whose first line is the passphrase of the PKCS#12 file.",
)
@click.option("--force", is_flag=True, help="Archive even when validation finds errors.")
@_DIRECTOR
@_CLASS_TEACHER
@common
def archive_create(
    state: State,
    label: str,
    year: str | None,
    school: str | None,
    output: Path,
    certified_on: str | None,
    retention_years: int,
    sign_pkcs12: Path | None,
    passphrase: str | None,
    passphrase_file: Path | None,
    force: bool,
    director: str | None,
    class_teacher: str | None,
) -> None:
    """Certify and archive a class's summary sheet (PDF + JSON snapshot + manifest)."""
    from ejournal.archive import Signer

    day = _day(certified_on, "--certified-on") or date.today()
    secret = _passphrase(passphrase, passphrase_file)
    signer = Signer.from_pkcs12(sign_pkcs12, secret) if sign_pkcs12 else None
    with state.storage() as storage:
        service = _service(state, storage)
        school_id = _school_id(storage, school)
        journal = service.find_journal(admin(school_id), school_id, label, _year(year))
        path = service.certify_and_archive(
            admin(school_id),
            journal.school.id,
            journal.id,
            output,
            collator=_collator(),
            certified_on=day,
            retention_years=retention_years,
            signer=signer,
            force=force,
            director=director,
            class_teacher=class_teacher,
        )
    click.echo(f"Archived {journal.class_group.label} to {path}")


@archive.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--trust",
    "trust",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A certificate (PEM or DER) to trust as the signer's anchor; repeatable.",
)
@click.option(
    "--require-signature/--no-require-signature",
    default=None,
    help="Refuse an unsigned package (default: on when --trust is given).",
)
@common
def archive_verify(state: State, path: Path, trust: tuple[Path, ...], require_signature: bool | None) -> None:
    """Verify an archive; exits 1 when anything differs, the signer is not trusted, or a required
    signature is missing (one line per problem)."""
    from ejournal.archive import load_trust_roots, verify_archive

    roots = load_trust_roots(list(trust))
    result = verify_archive(path, trust_roots=roots, require_signature=require_signature)
    click.echo(str(result))
    if not result.valid:
        raise SystemExit(EXIT_FINDINGS)


COMMANDS = (demo, import_, export, backup, restore, validate, sheet, explain, diary, archive)
"""The commands this module defines, attached to the ``ejournal`` group by :mod:`ejournal.cli.main`."""
