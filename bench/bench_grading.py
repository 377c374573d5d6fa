"""Micro-benchmark of the grading engine on a synthetic school-sized year.

Builds (seeded) classes of 25 students with 15 courses on quarters and 40 marks per student per
course (1,000 students ≈ 600,000 marks), then measures in the same run:

- baseline: a bare exact weighted sum over the same marks (Fraction arithmetic per mark, no rules);
- ``propose_period_marks`` for every student × course × quarter, with explanations off and on;

and prints marks aggregated per second and the ratio to the baseline.

Run: ``python bench/bench_grading.py`` (``--students 100`` for a quick run).
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from ejournal.core import (
    AcademicYear,
    ClassGroup,
    ClassJournal,
    Course,
    Lesson,
    Mark,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
    WorkType,
    quarters,
)
from ejournal.core.grading import builtin_policy, propose_period_marks

CLASS_SIZE = 25
COURSES = 15
LESSONS_PER_COURSE = 64
MARKS_PER_COURSE = 40
T0 = datetime(2025, 9, 1, 8, tzinfo=UTC)


def build_year(students: int, seed: int) -> list[ClassJournal]:
    """The synthetic year: one journal per class of up to 25 students."""
    rng = random.Random(seed)
    year = AcademicYear(2025)
    scheme = quarters(year)
    school_days = [
        p.start + timedelta(days=d)
        for p in scheme.periods
        for d in range((p.end - p.start).days + 1)
        if (p.start + timedelta(days=d)).weekday() < 5
    ]
    work_types = {
        "cw": WorkType("cw", "классная", 1),
        "hw": WorkType("hw", "домашняя", 1),
        "test": WorkType("test", "контрольная", 2),
        "exam": WorkType("exam", "итоговая", Fraction(5, 2)),
    }
    wt_ids = list(work_types)
    wt_weights = [6, 3, 2, 1]
    school = School("bench", "Школа")
    teacher = Teacher("t", PersonName("Учитель", "Иван"))
    subjects = {f"sub{i}": Subject(f"sub{i}", f"Предмет {i}", i) for i in range(COURSES)}
    journals = []
    remaining = students
    n = 0
    while remaining > 0:
        size = min(CLASS_SIZE, remaining)
        remaining -= size
        n += 1
        cid = f"class{n}"
        courses = {
            f"{cid}-c{i}": Course(f"{cid}-c{i}", f"sub{i}", "t", rng.choice((1, 2, 3, 5)), scheme.id)
            for i in range(COURSES)
        }
        lessons: dict[str, Lesson] = {}
        by_course: dict[str, list[str]] = {}
        for course_id in courses:
            days = sorted(rng.sample(school_days, LESSONS_PER_COURSE))
            ids = []
            for k, d in enumerate(days):
                lid = f"{course_id}-l{k}"
                lessons[lid] = Lesson(lid, course_id, d)
                ids.append(lid)
            by_course[course_id] = ids
        studs = {
            f"{cid}-s{k}": Student(f"{cid}-s{k}", PersonName("Фамилия", f"Имя{k}"), date(2025, 9, 1))
            for k in range(size)
        }
        marks: dict[str, Mark] = {}
        for sid in studs:
            for lids in by_course.values():
                for lid in rng.sample(lids, MARKS_PER_COURSE):
                    mid = f"m{len(marks)}"
                    value = rng.choices((2, 3, 4, 5), (1, 4, 6, 5))[0]
                    wt = rng.choices(wt_ids, wt_weights)[0]
                    marks[mid] = Mark(mid, sid, lid, value, wt, T0, "t")
        journals.append(
            ClassJournal(
                school,
                ClassGroup(cid, 7, "А", year, "t"),
                students=studs,
                teachers={"t": teacher},
                subjects=subjects,
                courses=courses,
                schemes={scheme.id: scheme},
                work_types=work_types,
                lessons=lessons,
                marks=marks,
            )
        )
    return journals


def baseline(journals: list[ClassJournal]) -> tuple[float, int]:
    """A bare exact weighted mean per cell: Σ(Fraction weight × value) / Σ weight, nothing else."""
    cells: list[list[tuple[int, Fraction]]] = []
    for j in journals:
        period_of = {le.id: j.scheme_of(le.course_id).period_of(le.date) for le in j.lessons.values()}
        buckets: dict[tuple[str, str, str], list[tuple[int, Fraction]]] = {}
        for m in j.marks.values():
            p = period_of[m.lesson_id]
            assert p is not None
            assert isinstance(m.value, int)
            key = (m.student_id, j.lessons[m.lesson_id].course_id, p.id)
            buckets.setdefault(key, []).append((m.value, j.work_types[m.work_type_id].weight))
        cells.extend(buckets.values())
    count = sum(len(c) for c in cells)
    start = time.perf_counter()
    for cell in cells:
        total = Fraction(0)
        weight = Fraction(0)
        for value, w in cell:
            total += w * value
            weight += w
        _ = total / weight
    return time.perf_counter() - start, count


def engine(journals: list[ClassJournal], *, explain: bool) -> tuple[float, int, int]:
    """``propose_period_marks`` over every journal: (seconds, marks, cells)."""
    policy = builtin_policy("federal")
    for j in journals:
        j.lessons_of(next(iter(j.courses)))  # build the journal's own index outside the timing
    start = time.perf_counter()
    cells = 0
    for j in journals:
        cells += len(propose_period_marks(j, policy, explain=explain))
    elapsed = time.perf_counter() - start
    return elapsed, sum(len(j.marks) for j in journals), cells


def main() -> None:
    """Parse arguments, build the year, run and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000, help="number of students (default 1000)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    t = time.perf_counter()
    journals = build_year(args.students, args.seed)
    marks = sum(len(j.marks) for j in journals)
    # The year stays in memory for the whole run: keep the cyclic GC from rescanning it in every timing.
    gc.collect()
    gc.freeze()
    print(
        f"built {len(journals)} journals, {args.students} students, {marks:,} marks in {time.perf_counter() - t:.1f} s"
    )

    base_s, base_n = baseline(journals)
    base_rate = base_n / base_s
    print(
        f"baseline  (bare Fraction weighted sum) : {base_n:>9,} marks in {base_s:6.2f} s = {base_rate:>12,.0f} marks/s"
    )
    for explain in (False, True):
        secs, n, cells = engine(journals, explain=explain)
        rate = n / secs
        label = "explain=True " if explain else "explain=False"
        print(
            f"engine    ({label}, {cells:,} cells) : {n:>9,} marks in {secs:6.2f} s = {rate:>12,.0f} marks/s"
            f"  ({rate / base_rate:.2f}x baseline)"
        )


if __name__ == "__main__":
    main()
