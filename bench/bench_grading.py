"""Micro-benchmark of the grading engine on a synthetic school-sized year.

Builds the seeded demo school's year (``ejournal.demo``; 1,000 students ≈ 550,000 marks) without
result marks, then measures in the same run:

- baseline: a bare exact weighted sum over the same marks (integer arithmetic: each weight scaled to
  an integer by the common denominator of the journal's weights; no rules, no ``Fraction``);
- ``propose_period_marks`` for every student × course × quarter, with explanations off and on;

and prints marks aggregated per second and the ratio to the baseline.

Run: ``python bench/bench_grading.py`` (``--students 100`` for a quick run).
"""

from __future__ import annotations

import argparse
import math
import time

from ejournal.core import ClassJournal
from ejournal.core.grading import builtin_policy, propose_period_marks
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
    base_rate = base_n / base_s
    print(
        f"baseline  (bare integer weighted sum)  : {base_n:>9,} marks in {base_s:6.2f} s = {base_rate:>12,.0f} marks/s"
    )
    for explain in (False, True):
        secs, n, cells = engine(journals, explain=explain)
        rate = n / secs
        label = "explain=True " if explain else "explain=False"
        print(
            f"engine    ({label}, {cells:,} cells) : {n:>9,} marks in {secs:6.2f} s = {rate:>12,.0f} marks/s"
            f"  ({base_rate / rate:.1f}x the baseline's time)"
        )


if __name__ == "__main__":
    main()
