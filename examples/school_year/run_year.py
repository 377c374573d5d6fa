"""A whole school year through ejournal's service, as an application would run it.

    python examples/school_year/run_year.py [--db sqlite:///year.db] [--out DIR]

Creates a school and three classes (7А, 7Б, 9А), enrols the students, lets the teachers record
lessons and marks week by week, moves one student out of the school, one in from another school
and one between classes, closes the quarters with the proposed marks, takes the exams and final
marks of grade 9, records the council's decisions, clears an academic debt in a September retake,
prints every document (summary sheets, final marks, progress report, medal candidates, the leaving
student's extract, a personal file, the debt list, a certified archive), rolls the school over
into the next year, and checks that the audit log holds every change: rewinding each journal to
before its first change leaves nothing but the class as it was created.

Only ``JournalService`` changes anything: no unit of work is opened here.  The script prints one
line per step and exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from attrs import frozen

from ejournal.core import (
    AcademicYear,
    Actor,
    ClassGroup,
    ClassJournal,
    Course,
    PersonName,
    Role,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.calendar import Period, quarters
from ejournal.core.grading import builtin_policy
from ejournal.core.journal import (
    YEAR,
    Action,
    AdmissionTest,
    AdmissionTestKind,
    Decision,
    DecisionKind,
    FixedClock,
    Retake,
)
from ejournal.core.model import Lesson
from ejournal.core.reports import build_report
from ejournal.core.scales import WorkType
from ejournal.i18n.collation import collator
from ejournal.render import render
from ejournal.service import JournalService
from ejournal.storage import open as open_storage

MSK = timezone(timedelta(hours=3))
SCHOOL_ID = "s-42"
YEAR_ = AcademicYear(2025)
REGION = Actor("region", Role.SYSTEM)
ADMIN = Actor("director", Role.ADMINISTRATOR, SCHOOL_ID)
TEACHERS = {
    "t-math": Teacher("t-math", PersonName("Иванова", "Мария", "Петровна")),
    "t-rus": Teacher("t-rus", PersonName("Галиева", "Алсу", "Ильдаровна")),
    "t-alg": Teacher("t-alg", PersonName("Хәсәнов", "Рамил", "Фаритович")),
}
NAMES = [
    ("Абдуллин", "Тимур"), ("Борисова", "Яна"), ("Валиев", "Искандер"), ("Гарипова", "Алсу"),
    ("Данилов", "Егор"), ("Ёлкина", "Алёна"), ("Закиров", "Айдар"), ("Ибрагимова", "Гөлназ"),
    ("Кузнецов", "Илья"), ("Латыпова", "Ләйсән"), ("Морозов", "Артём"), ("Нуриев", "Булат"),
    ("Орлова", "Дарья"), ("Петров", "Никита"), ("Сафина", "Камилла"), ("Һадиев", "Җәмил"),
]  # fmt: skip


@frozen
class YearRun:
    """What the run did, for a caller (and its test) to check."""

    documents: dict[str, Path]
    actions: Counter[str]
    next_year_classes: dict[str, list[str]]
    rewound_clean: bool


def _clock(day: date, hour: int = 12) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, hour, tzinfo=MSK))


def _weeks(period: Period, weekday: int) -> Iterator[date]:
    day = period.start + timedelta(days=(weekday - period.start.weekday()) % 7)
    while day <= period.end:
        yield day
        day += timedelta(days=7)


def _new_class(school: School, jid: str, grade: int, letter: str, students: list[Student]) -> ClassJournal:
    q = quarters(YEAR_)
    examined = grade == 9
    math = ("t-alg", "Алгебра") if examined else ("t-math", "Математика")
    return ClassJournal(
        school,
        ClassGroup(jid, grade, letter, YEAR_, "t-rus"),
        students={s.id: s for s in students},
        teachers={t: TEACHERS[t] for t in ("t-rus", math[0])},
        subjects={"math": Subject("math", math[1], 1), "rus": Subject("rus", "Русский язык", 2)},
        courses={
            "c-math": Course("c-math", "math", math[0], 4, q.id, examined=examined),
            "c-rus": Course("c-rus", "rus", "t-rus", 4, q.id, examined=examined),
        },
        schemes={q.id: q},
        work_types={"cw": WorkType("cw", "Работа на уроке"), "test": WorkType("test", "Контрольная работа", 2)},
    )


def run_year(db: str, out: Path, *, seed: int = 42) -> YearRun:
    """Run the year on the storage at ``db``, writing the documents into ``out``; see the module doc."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    storage = open_storage(db)
    service = JournalService(storage, builtin_policy("federal"), clock=_clock(date(2025, 8, 25)))
    try:
        return _run(service, out, rng)
    finally:
        storage.close()


def _run(service: JournalService, out: Path, rng: random.Random) -> YearRun:
    say = print
    # -------------------------------------------------------------- August: the school and its classes
    school = School(SCHOOL_ID, "МБОУ «Школа № 42»", "42нче мәктәп", PersonName("Сафина", "Гүзәл", "Ринатовна"))
    service.create_school(REGION, school)
    for t in TEACHERS.values():
        service.add_teacher(ADMIN, SCHOOL_ID, t)
    people = [Student(f"st-{i + 1:02d}", PersonName(*n), YEAR_.start) for i, n in enumerate(NAMES)]
    classes = {"7a": (7, "А", people[0:6]), "7b": (7, "Б", people[6:11]), "9a": (9, "А", people[11:15])}
    for jid, (grade, letter, members) in classes.items():
        service.create_journal(ADMIN, _new_class(school, jid, grade, letter, members))
    ability = {p.id: rng.choice([3, 4, 4, 5, 5]) for p in people}
    weak = people[2].id  # 7А: fails mathematics and retakes it in September
    ability[weak] = 2
    say(f"created school {SCHOOL_ID} with {len(classes)} classes and {len(people) - 1} students")

    # -------------------------------------------------------------- the year, week by week
    moves = Moves(
        leaves=(people[4].id, "7a", date(2026, 2, 13), "12-у от 13.02.2026"),
        moves=(people[7].id, "7b", "7a", date(2025, 11, 10), "61-у от 07.11.2025"),  # 7Б → 7А
        arrives=(Student("st-16", PersonName(*NAMES[15]), date(2026, 2, 2), arrival_order="9-у от 02.02.2026"), "9a"),
    )
    lesson_no = Counter[str]()
    done: set[str] = set()
    for period in quarters(YEAR_).periods:
        days = sorted({d for wd in (0, 3) for d in _weeks(period, wd)})
        for day in days:
            _movements(service, moves, day, done)
            for jid in classes:
                for cid, weekday in (("c-math", 0), ("c-rus", 3)):
                    if day.weekday() != weekday:
                        continue
                    journal = service.journal(ADMIN, SCHOOL_ID, jid)
                    teacher = Actor(str(journal.courses[cid].teacher_id), Role.SUBJECT_TEACHER, SCHOOL_ID)
                    lesson_no[jid + cid] += 1
                    lid = f"{cid}-{lesson_no[jid + cid]:03d}"
                    service.clock = _clock(day, 9)
                    service.add_lesson(teacher, SCHOOL_ID, jid, Lesson(lid, cid, day, f"Тема {lesson_no[jid + cid]}"))
                    service.clock = _clock(day, 10)
                    test = lesson_no[jid + cid] % 6 == 0
                    for s in journal.students.values():
                        if not s.enrolled_on(day) or (not test and rng.random() < 0.45):
                            continue
                        if rng.random() < 0.04:
                            service.record_attendance(teacher, SCHOOL_ID, jid, s.id, lid, "б")
                            continue
                        value = max(2, min(5, ability[s.id] + rng.choice([-1, 0, 0, 1])))
                        value = 2 if s.id == weak and cid == "c-math" else value
                        service.record_mark(teacher, SCHOOL_ID, jid, s.id, lid, value, "test" if test else "cw")
        # the quarter ends: the teachers' proposals become the period marks, the period closes
        service.clock = _clock(period.end + timedelta(days=1), 15)
        for jid in classes:
            journal = service.journal(ADMIN, SCHOOL_ID, jid)
            for s in journal.students.values():
                if s.enrolled_on(period.end):
                    for cid in journal.courses:
                        service.set_period_mark(ADMIN, SCHOOL_ID, jid, s.id, cid, period.id)
            service.close_period(ADMIN, SCHOOL_ID, jid, period.id)
        say(f"closed {period.name or period.id}")

    # -------------------------------------------------------------- May–June: annual, exams, finals, council
    service.clock = _clock(date(2026, 5, 28), 12)
    for jid in classes:
        journal = service.journal(ADMIN, SCHOOL_ID, jid)
        for s in journal.students.values():
            if s.enrolled_on(YEAR_.end.replace(month=5, day=26)):
                for cid in journal.courses:
                    service.set_annual_mark(ADMIN, SCHOOL_ID, jid, s.id, cid)
    nine = service.journal(ADMIN, SCHOOL_ID, "9a")
    # the oral Russian test of February admits to the state exams: the council admits in May
    service.clock = _clock(date(2026, 5, 29), 12)
    for s in nine.students.values():
        if s.left is None:
            interview = AdmissionTest(s.id, AdmissionTestKind.INTERVIEW, 1, date(2026, 2, 11), True)
            service.record_admission_test(ADMIN, SCHOOL_ID, "9a", interview)
            admitted = Decision(s.id, DecisionKind.ADMITTED_TO_EXAM, date(2026, 5, 29), "14")
            service.record_decision(ADMIN, SCHOOL_ID, "9a", admitted)
    service.clock = _clock(date(2026, 6, 20), 12)
    for s in nine.students.values():
        for cid in nine.courses:
            service.set_exam_mark(ADMIN, SCHOOL_ID, "9a", s.id, cid, max(3, ability.get(s.id, 4)))
            service.set_final_mark(ADMIN, SCHOOL_ID, "9a", s.id, cid)
    council = date(2026, 6, 25)
    for jid, (grade, _, _) in classes.items():
        journal = service.journal(ADMIN, SCHOOL_ID, jid)
        for s in journal.students.values():
            if s.left is not None:
                continue
            if grade == 9:
                decision = Decision(s.id, DecisionKind.GRADUATED, council, "15")
            elif s.id == weak:
                decision = Decision(s.id, DecisionKind.PROMOTED_CONDITIONALLY, council, "15", grade + 1)
            else:
                decision = Decision(s.id, DecisionKind.PROMOTED, council, "15", grade + 1)
            service.record_decision(ADMIN, SCHOOL_ID, jid, decision)
        service.close_period(ADMIN, SCHOOL_ID, jid, YEAR)
    say("annual marks, exams, final marks and the council's decisions recorded; the year is closed")

    # -------------------------------------------------------------- September: the retake clears the debt
    service.clock = _clock(date(2026, 9, 15), 11)
    commission = ("Сафина Г. Р.", "Иванова М. П.", "Галиева А. И.")
    service.record_retake(ADMIN, SCHOOL_ID, "7a", Retake(weak, "c-math", 1, date(2026, 9, 14), 2, "3"))
    service.record_retake(ADMIN, SCHOOL_ID, "7a", Retake(weak, "c-math", 2, date(2026, 9, 28), 3, "4", commission))
    service.record_decision(
        ADMIN, SCHOOL_ID, "7a", Decision(weak, DecisionKind.PROMOTED, date(2026, 9, 29), "5", 8),
        reason="академическая задолженность ликвидирована",
    )  # fmt: skip
    say("the academic debt was cleared at the second retake; the student is promoted")

    # -------------------------------------------------------------- every document
    documents = _documents(service, out, left=moves.leaves[0], weak=weak)
    say(f"wrote {len(documents)} documents into {out}")

    # -------------------------------------------------------------- rollover into 2026/2027
    plan = service.rollover(ADMIN, SCHOOL_ID, YEAR_)
    next_year = {j.class_group.label: sorted(j.students) for j in plan.journals}
    say("next year: " + ", ".join(f"{k} ({len(v)} students)" for k, v in next_year.items()))

    # -------------------------------------------------------------- the audit log holds every change
    actions: Counter[str] = Counter(c.action.value for c in service.school_log(ADMIN, SCHOOL_ID))
    clean = True
    for jid in [*classes, *(j.id for j in plan.journals)]:
        log = service.history(ADMIN, SCHOOL_ID, jid)
        actions.update(c.action.value for c in log)
        before = service.journal_as_of(ADMIN, SCHOOL_ID, jid, log[0].at - timedelta(microseconds=1))
        clean &= (
            before.lessons,
            before.marks,
            before.results,
            before.decisions,
            before.retakes,
            before.admission_tests,
        ) == ({}, {}, {}, {}, {}, {})
        clean &= log[0].action is Action.CREATE_JOURNAL
    say(f"audit log: {sum(actions.values())} entries; rewinding every journal to before its first change: "
        f"{'nothing left' if clean else 'RECORDS LEFT'}")  # fmt: skip
    return YearRun(documents, actions, next_year, clean)


@frozen
class Moves:
    """The year's movements: who leaves the school, who moves between classes, who arrives."""

    leaves: tuple[str, str, date, str]  # student, class, last day, order
    moves: tuple[str, str, str, date, str]  # student, from class, to class, first day, order
    arrives: tuple[Student, str]  # the student (with the arrival order), class; brings an extract


def _movements(service: JournalService, moves: Moves, day: date, done: set[str]) -> None:
    """The movements due by ``day`` (each once): they take effect on their own dates."""
    sid, jid, last, order = moves.leaves
    if day >= last and "leaves" not in done:
        service.withdraw(ADMIN, SCHOOL_ID, jid, sid, last, order)
        done.add("leaves")
    sid, old, new, first, order = moves.moves
    if day >= first and "moves" not in done:
        service.transfer(ADMIN, SCHOOL_ID, old, sid, new, first, order)
        done.add("moves")
    arriving, into = moves.arrives
    if day >= arriving.enrolled and "arrives" not in done:
        # the certified extract of current marks from the old school: they count in the quarter's mark
        extract = [
            (cid, date(2026, 1, d), v, "cw") for cid in ("c-math", "c-rus") for d, v in ((15, 4), (22, 5), (29, 4))
        ]
        service.arrive(
            ADMIN, SCHOOL_ID, into, arriving, brought=extract, source="МБОУ СОШ № 3, выписка № 5 от 30.01.2026"
        )
        done.add("arrives")


def _documents(service: JournalService, out: Path, *, left: str, weak: str) -> dict[str, Path]:
    ru = collator("ru")
    written: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        path = out / name
        path.write_bytes(data)
        path.chmod(0o600)  # personal data
        written[name] = path

    for jid in ("7a", "7b", "9a"):
        write(f"sheet-{jid}.pdf", service.render_sheet(ADMIN, SCHOOL_ID, jid, "pdf", collator=ru))
    seven, nine = service.journal(ADMIN, SCHOOL_ID, "7a"), service.journal(ADMIN, SCHOOL_ID, "9a")
    final = build_report("final-marks", nine, collator=ru, policy=service.policy)
    final.check()  # type: ignore[union-attr]  # every final mark is there and follows the rule
    write("final-marks-9a.pdf", render(final, "pdf"))
    write("progress-7a.html", render(build_report("progress", seven, collator=ru), "html"))
    write("honours-9a.html", render(build_report("honours", nine, collator=ru), "html"))
    write("extract.pdf", render(build_report("extract", seven, collator=ru, student_id=left), "pdf"))
    journals = service.student_journals(ADMIN, SCHOOL_ID, weak)
    write("personal-file.html", render(build_report("personal-file", seven, collator=ru, student_id=weak,
                                                    journals=journals), "html"))  # fmt: skip
    write("debts-7a.csv", render(build_report("debts", seven, collator=ru, issued_on=date(2026, 10, 1)), "csv"))
    archive = service.certify_and_archive(
        ADMIN, SCHOOL_ID, "9a", out / "archive-9a.zip", collator=ru, certified_on=date(2026, 6, 30)
    )
    written["archive-9a.zip"] = archive
    return written


def main(argv: list[str] | None = None) -> int:
    """Run the year; 0 when every check held."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="storage URL (default: a fresh SQLite file in --out)")
    parser.add_argument("--out", type=Path, default=None, help="directory for the documents (default: a temp dir)")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="ejournal-year-"))
    result = run_year(args.db or f"sqlite:///{out / 'year.db'}", out)
    return 0 if result.rewound_clean else 1


if __name__ == "__main__":
    sys.exit(main())
