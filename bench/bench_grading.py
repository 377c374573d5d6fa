"""Micro-benchmark of the grading engine on a synthetic school-sized year.

Builds the seeded demo school's year (``ejournal.demo``; 1,000 students ≈ 550,000 marks) without
result marks, then measures in the same run:

- baseline: a bare exact weighted sum over the same marks (integer arithmetic: each weight scaled to
  an integer by the common denominator of the journal's weights; no rules, no ``Fraction``);
- ``propose_period_marks`` for every student × course × quarter, with explanations off and on;
- the gradebook (``Gradebook.of``): every period mark, then every explanation read;
- one changed mark: every period mark again from ``Gradebook.updated`` against a fresh gradebook;

and prints marks aggregated per second and the ratio to the baseline.  The garbage collector
runs as it would in an application (nothing is frozen or paused).

Run: ``python bench/bench_grading.py`` (``--students 100`` for a quick run).
"""

from __future__ import annotations

import argparse
import math
import time

from ejournal.core import Actor, ClassJournal, Role
from ejournal.core.grading import builtin_policy, propose_period_marks
from ejournal.core.grading.gradebook import Gradebook
from ejournal.demo import generate_school_year

CLASS_SIZE = 25


def build_year(students: int, seed: int) -> list[ClassJournal]:
    """The demo school's year (grades 1-11, about 25 students a class) without result marks."""
    classes = max(1, students // CLASS_SIZE)
    school_year = generate_school_year(seed=seed, classes=classes, students=students, with_results=False)
    return [school_year.journals[jid] for jid in sorted(school_year.journals)]


def baseline(journals: list[ClassJournal]) -> tuple[float, int]:
    """A bare exact weighted mean per cell as the integer pair (Σ weight × value, Σ weight), each
    weight scaled to an integer by the common denominator of the journal's weights; nothing else."""
    cells: list[list[tuple[int, int]]] = []
    for j in journals:
        period_of = {le.id: j.scheme_of(le.course_id).period_of(le.date) for le in j.lessons.values()}
        common = math.lcm(*(wt.weight.denominator for wt in j.work_types.values()))
        scaled = {wid: wt.weight.numerator * (common // wt.weight.denominator) for wid, wt in j.work_types.items()}
        buckets: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for m in j.marks.values():
            p = period_of[m.lesson_id]
            assert p is not None
            if not isinstance(m.value, int):  # pass/fail marks are not averaged by the engine either
                continue
            key = (m.student_id, j.lessons[m.lesson_id].course_id, p.id)
            buckets.setdefault(key, []).append((m.value, scaled[m.work_type_id]))
        cells.extend(buckets.values())
    count = sum(len(c) for c in cells)
    start = time.perf_counter()
    for cell in cells:
        total = weight = 0
        for value, w in cell:
            total += w * value
            weight += w
        _ = (total, weight)  # the exact mean total / weight, kept as integers
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


def gradebook(journals: list[ClassJournal]) -> tuple[float, float, int]:
    """Every period mark through the gradebook, then every explanation read: (seconds, seconds, cells)."""
    policy = builtin_policy("federal")
    for j in journals:
        j.lessons_of(next(iter(j.courses)))
    start = time.perf_counter()
    books = [Gradebook.of(j, policy) for j in journals]
    cells = [book.period_marks() for book in books]
    values = time.perf_counter() - start
    start = time.perf_counter()
    for batch in cells:
        for cell in batch.values():
            _ = cell.explanation
    explained = time.perf_counter() - start
    return values, explained, sum(len(c) for c in cells)


def one_change(journal: ClassJournal) -> tuple[float, float]:
    """One recorded mark, then every period mark of the class: (updated gradebook s, fresh gradebook s)."""
    policy = builtin_policy("federal")
    book = Gradebook.of(journal, policy)
    book.period_marks()
    changed = journal.copy()
    mark = min(changed.marks.values(), key=lambda m: m.id)
    change = changed.correct_mark(
        mark.id, 2 if mark.value != 2 else 3, by=Actor("bench", Role.ADMINISTRATOR), reason="bench"
    )
    start = time.perf_counter()
    book.updated(changed, [change]).period_marks()
    updated = time.perf_counter() - start
    start = time.perf_counter()
    Gradebook.of(changed, policy).period_marks()
    return updated, time.perf_counter() - start


def main() -> None:
    """Parse arguments, build the year, run and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000, help="number of students (default 1000)")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    t = time.perf_counter()
    journals = build_year(args.students, args.seed)
    marks = sum(len(j.marks) for j in journals)
    print(
        f"built {len(journals)} journals, {args.students} students, {marks:,} marks in {time.perf_counter() - t:.1f} s"
    )

    base_s, base_n = baseline(journals)
    base_rate = base_n / max(base_s, 1e-9)  # (a toy run may take no measurable time)
    print(
        f"baseline  (bare integer weighted sum)  : {base_n:>9,} marks in {base_s:6.2f} s = {base_rate:>12,.0f} marks/s"
    )
    for explain in (False, True):
        secs, n, cells = engine(journals, explain=explain)
        rate = n / secs
        label = "explain=True " if explain else "explain=False"
        print(
            f"engine    ({label}, {cells:,} cells) : {n:>9,} marks in {secs:6.2f} s = {rate:>12,.0f} marks/s"
            f"  ({base_rate / max(rate, 1e-9):.1f}x the baseline's time)"
        )
    values, explained, cells = gradebook(journals)
    print(
        f"gradebook (values, {cells:,} cells)      : {marks:>9,} marks in {values:6.2f} s = {marks / values:>12,.0f} marks/s"
        f"  ({base_rate * values / max(marks, 1):.1f}x the baseline's time); reading every explanation then: {explained:.2f} s"
    )
    largest = max(journals, key=lambda j: len(j.marks))
    updated, fresh = one_change(largest)
    print(
        f"one changed mark in {largest.id} ({len(largest.marks):,} marks): every period mark again "
        f"{updated * 1000:.1f} ms from the updated gradebook, {fresh * 1000:.1f} ms from a fresh one"
    )


if __name__ == "__main__":
    main()
