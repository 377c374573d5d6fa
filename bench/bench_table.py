"""Issue 12's table, re-measured in one run: every job of the library beside its plain floor.

Each row times two whole processes, the library's job (A) and its floor (B), in turn -- a warm-up
of each, then A B A B ... ``--repeat`` times -- and reports the median wall time of each, the
median of the pairwise ratios A/B (pairing keeps the ratio meaningful when a shared machine's
speed drifts) and the peak resident memory of the library's process (``ru_maxrss`` of that one
child, from ``os.wait4``).  Library jobs are the ``ejournal`` CLI or a small driver over the
public service; floors are the plainest way to do the same work with ``sqlite3``, ``json``,
``gzip``, reportlab's bare canvas, ``executemany`` or ``COPY``.  docs/benchmarks.md explains each
floor and why it is fair.

The demo database of a scale is built once with ``ejournal demo`` and cached under
``--cache-dir`` (keyed by classes, students and seed); 10x takes minutes the first time.

Run:
  python bench/bench_table.py --scale 1                       # the table at 1x
  python bench/bench_table.py --scale 10 --rss-scales 1,3,10  # at 10x, memory at 1x, 3x, 10x
  python bench/bench_table.py --classes 2 --students 10 --repeat 1 --warmup 0  # a toy run (the test)
  ... --markdown docs/benchmarks-table.md                     # also write the table as Markdown

A single job runs with ``--job NAME`` (used by the runner; handy for profiling one job).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
SCALES = {1: (40, 1000), 3: (120, 3000), 10: (400, 10000)}
MARK_COLUMNS = (
    "journal_id, mark_id, student_id, lesson_id, grade, status, work_type_id, entered_at, entered_by, comment"
)
MIB = 2**20
RSS_JOBS = ("load + period/annual marks", "validate + all sheets", "sheet --all --format pdf", "export")
"""The school-wide jobs whose peak memory is reported at every scale (the same commands as their rows)."""


# ============================================================================ plain helpers (floors)


def _connect(db: str) -> sqlite3.Connection:
    return sqlite3.connect(db)


def _latest_journals(conn: sqlite3.Connection) -> list[tuple[str, str, int, str]]:
    """(school_id, journal_id, grade, letter) of the latest year's journals, by grade and letter."""
    return conn.execute(
        "SELECT school_id, journal_id, grade, letter FROM ej_journals"
        " WHERE year_start = (SELECT max(year_start) FROM ej_journals) ORDER BY grade, letter, journal_id"
    ).fetchall()


def _in_list(n: int) -> str:
    return "(" + ",".join("?" * n) + ")"


def _tables(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """Every data table (not the migration stamp) with its columns."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ej_%'"
            " AND name <> 'ej_alembic_version' ORDER BY name"
        )
    ]
    return [(n, [c[1] for c in conn.execute(f"PRAGMA table_info({n})")]) for n in names]


def _rows_document(db: str, *, year_only: bool) -> dict[str, Any]:
    """Every row of every table (``year_only``: of the latest year's journals) as JSON-ready lists."""
    conn = _connect(db)
    try:
        ids = [j[1] for j in _latest_journals(conn)]
        doc: dict[str, Any] = {}
        for table, columns in _tables(conn):
            sql = f"SELECT * FROM {table}"
            params: list[str] = []
            if year_only and "journal_id" in columns:
                sql += f" WHERE journal_id IN {_in_list(len(ids))}"
                params = ids
            doc[table] = {"columns": columns, "rows": conn.execute(sql, params).fetchall()}
        doc["order"] = _insert_order(conn, list(doc))
        return doc
    finally:
        conn.close()


# ============================================================================ jobs (one process each)


def _service(db: str) -> tuple[Any, Any, str]:
    """(JournalService, administrator actor, school id) over the database at path ``db``."""
    from ejournal.core.grading import builtin_policy
    from ejournal.core.journal import Actor, Role
    from ejournal.service import JournalService
    from ejournal.storage import open as open_storage

    storage = open_storage(f"sqlite:///{db}")
    with storage.unit_of_work() as uow:
        school_id = uow.schools.list()[0].id
    return JournalService(storage, builtin_policy("federal")), Actor("bench", Role.ADMINISTRATOR, school_id), school_id


def job_load_marks(a: argparse.Namespace) -> str:
    """Library: load the latest year school-wide, then every period and annual mark of every journal."""
    from ejournal.core.grading import propose_annual_mark, propose_period_marks

    service, actor, school_id = _service(a.db)
    journals = service.journals(actor, school_id)
    marks = cells = 0
    for j in journals:
        marks += len(j.marks)
        cells += len(propose_period_marks(j, service.policy))
        for student_id in j.students:
            for course_id in j.courses:
                propose_annual_mark(j, student_id, course_id, service.policy)
                cells += 1
    return f"{len(journals)} journals, {marks} marks, {cells} period/annual cells"


def job_fetch(a: argparse.Namespace) -> str:
    """Floor: a plain sqlite3 fetchall of the mark rows of the latest year's journals."""
    conn = _connect(a.db)
    ids = [j[1] for j in _latest_journals(conn)]
    rows = conn.execute(f"SELECT {MARK_COLUMNS} FROM ej_marks WHERE journal_id IN {_in_list(len(ids))}", ids).fetchall()
    return f"{len(ids)} journals, {len(rows)} marks"


def job_pandas(a: argparse.Namespace) -> str:
    """Floor: pandas read_sql of marks, lessons, work types, courses and periods, a weighted mean per
    student × course × period, and the mean of those per student × course (the annual cell)."""
    import pandas as pd  # type: ignore[import-not-found,import-untyped,unused-ignore]

    conn = _connect(a.db)
    ids = [j[1] for j in _latest_journals(conn)]
    where, p = f" WHERE journal_id IN {_in_list(len(ids))}", ids
    marks = pd.read_sql(
        f"SELECT journal_id, student_id, lesson_id, grade, work_type_id FROM ej_marks{where}", conn, params=p
    )
    lessons = pd.read_sql(
        f"SELECT journal_id, lesson_id, course_id, lesson_date FROM ej_lessons{where}", conn, params=p
    )
    weights = pd.read_sql(
        f"SELECT journal_id, work_type_id, weight_num, weight_den FROM ej_work_types{where}", conn, params=p
    )
    courses = pd.read_sql(f"SELECT journal_id, course_id, scheme_id FROM ej_courses{where}", conn, params=p)
    periods = pd.read_sql(
        f"SELECT journal_id, scheme_id, period_id, start_on, end_on FROM ej_periods{where}", conn, params=p
    )
    df = (
        marks.dropna(subset=["grade"])
        .merge(lessons, on=["journal_id", "lesson_id"])
        .merge(weights, on=["journal_id", "work_type_id"])
    )
    df = df.merge(courses, on=["journal_id", "course_id"]).merge(periods, on=["journal_id", "scheme_id"])
    df = df[(df.lesson_date >= df.start_on) & (df.lesson_date <= df.end_on)]
    df["w"] = df.weight_num / df.weight_den
    df["wv"] = df.w * df.grade
    cells = df.groupby(["journal_id", "student_id", "course_id", "period_id"])[["wv", "w"]].sum()
    means = cells.wv / cells.w
    annual = means.groupby(level=["journal_id", "student_id", "course_id"]).mean()
    return f"{len(marks)} marks, {len(means) + len(annual)} period/annual cells"


def job_validate_sheets(a: argparse.Namespace) -> str:
    """Library: load the latest year, validate every journal, build every summary sheet (as the CLI does)."""
    service, actor, school_id = _service(a.db)
    journals = service.journals(actor, school_id)
    findings = 0
    for j in journals:
        findings += len(list(service.validate_journal(actor, j, as_of=min(j.class_group.year.end, date.today()))))
        service.build_sheet(actor, j)
    return f"{len(journals)} journals validated and sheets built, {findings} findings"


def job_pdf_floor(a: argparse.Namespace) -> str:
    """Floor: read the sheet's cells with sqlite3 and draw every one on bare reportlab canvas pages.

    Per class of the latest year: a row per student (number and full name, then one cell per
    stored result -- period, annual, exam, final marks -- and the absences, all and for
    illness), then the statistics rows of every column (how many 5, 4, 3, 2; success and
    quality rate in whole per cent, integer arithmetic); a two-line header (subject, column)
    repeated on every page; columns split over pages as wide as A4 landscape allows; every row
    ruled by one path a page; one text object a page; one file per class.  No wrapping, title,
    signatures, page total, metadata or content hash.
    """
    import font_source_sans_pro
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    files = Path(font_source_sans_pro.__file__).parent / "files"
    pdfmetrics.registerFont(TTFont("F", str(files / "SourceSansPro-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("FB", str(files / "SourceSansPro-Bold.ttf")))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    conn = _connect(a.db)
    page_w, page_h, margin = 297 * mm, 210 * mm, 10 * mm
    stub_w, cell_w, row_h = 60 * mm, 6 * mm, 10.4
    per_page_cols = int((page_w - 2 * margin - stub_w) // cell_w)
    per_page_rows = int((page_h - 2 * margin - 2 * row_h) // row_h)
    pages = strings = 0
    for school_id, jid, grade, letter in _latest_journals(conn):
        key = (school_id, jid)
        school, year = conn.execute(
            "SELECT s.name_ru, j.year_start FROM ej_schools s JOIN ej_journals j ON j.school_id = s.school_id"
            " WHERE j.school_id = ? AND j.journal_id = ?",
            key,
        ).fetchone()
        students = conn.execute(
            "SELECT student_id, surname || ' ' || given || ' ' || patronymic FROM ej_students"
            " WHERE school_id = ? AND journal_id = ? ORDER BY surname, given, patronymic",
            key,
        ).fetchall()
        results = conn.execute(
            "SELECT r.student_id, s.short_name, r.kind, r.period_id, r.grade, r.status FROM ej_results r"
            " JOIN ej_courses c ON c.school_id = r.school_id AND c.journal_id = r.journal_id AND c.course_id = r.course_id"
            " JOIN ej_subjects s ON s.school_id = c.school_id AND s.journal_id = c.journal_id AND s.subject_id = c.subject_id"
            " WHERE r.school_id = ? AND r.journal_id = ?",
            key,
        ).fetchall()
        absences = conn.execute(
            "SELECT student_id, count(*), sum(code = 'б') FROM ej_attendance"
            " WHERE school_id = ? AND journal_id = ? GROUP BY student_id",
            key,
        ).fetchall()
        columns = sorted({(r[1], r[2], r[3]) for r in results})
        index = {c: i for i, c in enumerate(columns)}
        width = len(columns) + 2
        grid: dict[str, list[str]] = {sid: [""] * width for sid, _ in students}
        for sid, subject, kind, period, value, status in results:
            if sid in grid:
                grid[sid][index[(subject, kind, period)]] = str(value) if value is not None else status
        for sid, count, ill in absences:
            if sid in grid:
                grid[sid][-2:] = [str(count), str(ill)]
        body = [(f"{n}. {name}", grid[sid]) for n, (sid, name) in enumerate(students, start=1)]
        for label, test in (("5", "5"), ("4", "4"), ("3", "3"), ("2", "2")):
            body.append(
                (
                    f"отметок «{label}»",
                    [str(sum(row[c] == test for _, row in body[: len(students)])) for c in range(width)],
                )
            )
        for label, good in (("успеваемость, %", {"3", "4", "5"}), ("качество, %", {"4", "5"})):
            stats = []
            for c in range(width):
                marked = [row[c] for _, row in body[: len(students)] if row[c]]
                stats.append(str(100 * sum(v in good for v in marked) // len(marked)) if marked else "")
            body.append((label, stats))
        heads = [*columns, ("пропущено", "", "всего"), ("пропущено", "", "болезнь")]
        categories = _categories(columns, students, grid)
        running = f"{school} · {grade}{letter} · {year}/{year + 1}"
        title = (
            school,
            "Сводная ведомость учёта успеваемости обучающихся",
            f"за {year}/{year + 1} учебный год",
            f"Класс: {grade}{letter}",
        )
        first = pages
        canvas = Canvas(str(out / f"{grade}{letter}.pdf"), pagesize=(page_w, page_h), invariant=1)
        for c0 in range(0, width, per_page_cols):
            chunk = heads[c0 : c0 + per_page_cols]
            for r0 in range(0, len(body), per_page_rows):
                text, path, y = canvas.beginText(), canvas.beginPath(), page_h - margin
                text.setFont("FB", 6.5)
                for line in (0, 1):
                    for i, (subject, kind, period) in enumerate(chunk):
                        text.setTextOrigin(margin + stub_w + i * cell_w + 1, y - row_h + 3)
                        text.textOut(subject[:4] if line == 0 else (period or kind)[:4])
                        strings += 1
                    path.moveTo(margin, y - row_h)
                    path.lineTo(margin + stub_w + len(chunk) * cell_w, y - row_h)
                    y -= row_h
                text.setFont("F", 7)
                for label, cells in body[r0 : r0 + per_page_rows]:
                    text.setTextOrigin(margin + 1, y - row_h + 3)
                    text.textOut(label)
                    strings += 1
                    for i, value in enumerate(cells[c0 : c0 + per_page_cols]):
                        if value:
                            text.setTextOrigin(margin + stub_w + i * cell_w + 1.5, y - row_h + 3)
                            text.textOut(value)
                            strings += 1
                    path.moveTo(margin, y - row_h)
                    path.lineTo(margin + stub_w + len(chunk) * cell_w, y - row_h)
                    y -= row_h
                for i in range(len(chunk) + 1):
                    path.moveTo(margin + stub_w + i * cell_w, page_h - margin)
                    path.lineTo(margin + stub_w + i * cell_w, y)
                path.moveTo(margin, page_h - margin)
                path.lineTo(margin, y)
                canvas.setLineWidth(0.35)
                canvas.drawPath(path, stroke=1, fill=0)
                strings += _running(canvas, text, running, title if pages == first else ())
                canvas.drawText(text)
                canvas.showPage()
                pages += 1
        for r0 in range(0, len(categories), per_page_rows + 2):
            text, path, y = canvas.beginText(), canvas.beginPath(), page_h - margin
            text.setFont("F", 7)
            for category in categories[r0 : r0 + per_page_rows + 2]:
                for x, cell in zip((0, 12 * mm, 60 * mm, 70 * mm), category, strict=True):
                    text.setTextOrigin(margin + x + 1, y - row_h + 3)
                    text.textOut(cell)
                    strings += 1
                path.moveTo(margin, y - row_h)
                path.lineTo(page_w - margin, y - row_h)
                y -= row_h
            canvas.drawPath(path, stroke=1, fill=0)
            strings += _running(canvas, text, running, ())
            canvas.drawText(text)
            canvas.showPage()
            pages += 1
        canvas.save()
    return f"{pages} pages, {strings} strings"


def _running(canvas: Any, text: Any, running: str, title: Sequence[str]) -> int:
    """The floor's running head, page number and (on a class's first page) title lines; how many strings."""
    page_w, page_h = canvas._pagesize
    text.setTextOrigin(28, page_h - 16)
    text.textOut(running)
    text.setTextOrigin(page_w - 80, 12)
    text.textOut(f"Лист {canvas.getPageNumber()}")
    for n, line in enumerate(title):
        text.setTextOrigin(200, page_h - 40 - 9 * n)
        text.textOut(line)
    return 2 + len(title)


def _categories(
    columns: list[tuple[str, str, str]], students: list[tuple[str, str]], grid: dict[str, list[str]]
) -> list[tuple[str, str, str, str]]:
    """The categories block of the floor: per period column, the students by their marks in it
    (all 5; 4 and 5, of them with one 4; one 3; the other passing; failing, of them with a 2 and
    with н/а; the counted, the uncounted, the list) as (column, category, count, short names)."""
    rows = []
    short = {sid: name.split()[0] + " " + ". ".join(w[0] for w in name.split()[1:]) + "." for sid, name in students}
    names = (
        "Отличники",
        "На «4» и «5»",
        "в т. ч. с одной «4»",
        "С одной «3»",
        "Остальные успевающие",
        "Не успевают («2» или н/а)",
        "в т. ч. с «2»",
        "в т. ч. н/а",
        "Итого учтено (N)",
        "Не учтены (осв., без отметок)",
        "В списке",
    )
    for slot in sorted({(kind, period) for _, kind, period in columns}):
        where = [i for i, (_, kind, period) in enumerate(columns) if (kind, period) == slot]
        groups: dict[str, list[str]] = {k: [] for k in names}
        for sid, _ in students:
            marks = [grid[sid][i] for i in where if grid[sid][i]]
            groups["В списке"].append(short[sid])
            if not marks or all(m == "осв." for m in marks):
                groups["Не учтены (осв., без отметок)"].append(short[sid])
                continue
            groups["Итого учтено (N)"].append(short[sid])
            if any(m in ("2", "н/а") for m in marks):
                groups["Не успевают («2» или н/а)"].append(short[sid])
                if "2" in marks:
                    groups["в т. ч. с «2»"].append(short[sid])
                if "н/а" in marks:
                    groups["в т. ч. н/а"].append(short[sid])
            elif all(m == "5" for m in marks):
                groups["Отличники"].append(short[sid])
            elif all(m in ("4", "5") for m in marks):
                groups["На «4» и «5»"].append(short[sid])
                if marks.count("4") == 1:
                    groups["в т. ч. с одной «4»"].append(short[sid])
            elif marks.count("3") == 1:
                groups["С одной «3»"].append(short[sid])
            else:
                groups["Остальные успевающие"].append(short[sid])
        for name, members in groups.items():
            listed = "" if name in ("Итого учтено (N)", "В списке") else ", ".join(members)
            rows.append((slot[1] or slot[0], name, str(len(members)), listed))
    return rows


def job_dump(a: argparse.Namespace) -> str:
    """Floor: every row (``--year-only``: of the latest year's journals) -> JSON -> gzip -> file."""
    doc = _rows_document(a.db, year_only=a.year_only)
    data = gzip.compress(json.dumps(doc, ensure_ascii=False).encode(), compresslevel=6, mtime=0)
    Path(a.out).write_bytes(data)
    return f"{sum(len(t['rows']) for k, t in doc.items() if k != 'order')} rows, {len(data)} bytes"


def _insert_order(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """``tables`` in an order that satisfies their foreign keys (``PRAGMA foreign_key_list``)."""
    needs = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({t})")} - {t} for t in tables}
    order: list[str] = []
    while needs:
        ready = sorted(t for t, deps in needs.items() if not deps - set(order))
        if not ready:
            raise SystemExit(f"bench: foreign-key cycle among {sorted(needs)}")
        order += ready
        for t in ready:
            del needs[t]
    return order


def job_insert_floor(a: argparse.Namespace) -> str:
    """Floor: read the rows file (gzip JSON), then raw executemany (SQLite) or COPY (PostgreSQL) into the
    empty schema ``--target`` (made by the runner beforehand, as for the library's import)."""
    doc = json.loads(gzip.decompress(Path(a.src).read_bytes()))
    order = [t for t in doc["order"] if doc[t]["rows"]]
    n = 0
    if a.target.startswith("sqlite:///"):
        conn = sqlite3.connect(a.target.removeprefix("sqlite:///"))
        conn.execute("PRAGMA foreign_keys = ON")  # as the library's engine does
        for table in order:
            cols, rows = doc[table]["columns"], doc[table]["rows"]
            conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
            n += len(rows)
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(a.target) as pg, pg.cursor() as cur:
            cur.execute(f'SET search_path TO "{a.schema}"')
            for table in order:
                cols, rows = doc[table]["columns"], doc[table]["rows"]
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                n += len(rows)
    return f"{n} rows inserted"


def job_one_change(a: argparse.Namespace) -> str:
    """Library: through the service, correct one mark of the class, then build that class's sheet; ms each."""
    service, actor, school_id = _service(a.db)
    jid = a.journal
    journal = service.journal(actor, school_id, jid)
    mark = next(m for m in sorted(journal.marks.values(), key=lambda m: m.id) if isinstance(m.value, int))
    value = mark.value
    times = []
    for i in range(a.repeat):
        value = 5 if value != 5 else 4
        t0 = time.perf_counter()
        service.correct_mark(actor, school_id, jid, mark.id, value, reason=f"бенчмарк {i}")
        service.summary_sheet(actor, school_id, jid)
        times.append(time.perf_counter() - t0)
    return f"ms={statistics.median(times) * 1000:.1f} (median of {len(times)})"


def job_one_journal(a: argparse.Namespace) -> str:
    """Floor of ``--class``: load the one journal by id through the storage and validate it."""
    from ejournal.core.grading import builtin_policy
    from ejournal.core.validation import validate
    from ejournal.storage import open as open_storage

    storage = open_storage(f"sqlite:///{a.db}")
    with storage.unit_of_work() as uow:
        school_id = uow.schools.list()[0].id
        journal = uow.journals.get(school_id, a.journal)
    report = validate(journal, builtin_policy("federal"), as_of=min(journal.class_group.year.end, date.today()))
    return f"{len(journal.marks)} marks, {len(list(report))} findings"


JOBS: dict[str, Callable[[argparse.Namespace], str]] = {
    "load-marks": job_load_marks,
    "fetch": job_fetch,
    "pandas": job_pandas,
    "validate-sheets": job_validate_sheets,
    "pdf-floor": job_pdf_floor,
    "dump": job_dump,
    "insert-floor": job_insert_floor,
    "one-change": job_one_change,
    "one-journal": job_one_journal,
}


# ============================================================================ the runner


@dataclass
class Run:
    """One finished whole-process run."""

    wall: float
    rss: int  # bytes
    out: str


@dataclass
class Command:
    """A whole-process command; ``prepare`` runs before each run (outside the timing), ``cleanup`` after."""

    argv: list[str]
    prepare: Callable[[], None] = lambda: None
    cleanup: Callable[[], None] = lambda: None
    ok: tuple[int, ...] = (0,)

    def run(self) -> Run:
        self.prepare()
        try:
            with tempfile.TemporaryFile() as out:
                t0 = time.perf_counter()
                proc = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
                wall = time.perf_counter() - t0
                proc.returncode = os.waitstatus_to_exitcode(status)
                out.seek(0)
                text = out.read().decode(errors="replace")
        finally:
            self.cleanup()
        if proc.returncode not in self.ok:
            raise SystemExit(f"bench: {' '.join(self.argv)} exited {proc.returncode}:\n{text[-2000:]}")
        rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        return Run(wall, rss, text)


@dataclass
class Row:
    """One line of the table."""

    job: str
    library: str
    floor: str
    ratio: str
    target: str
    met: str
    note: str = ""


@dataclass
class Report:
    """The table and the memory figures of one run."""

    title: str
    rows: list[Row] = field(default_factory=list)
    rss: dict[str, dict[int, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(
            f"  {row.job}: {row.library} | floor {row.floor} | {row.ratio} | target {row.target} | {row.met}",
            flush=True,
        )
        if row.note:
            print(f"    {row.note}", flush=True)

    def text(self, markdown: bool) -> str:
        head = ("job", "library", "floor", "ratio", "target", "met?")
        body = [(r.job, r.library, r.floor, r.ratio, r.target, r.met) for r in self.rows]
        scales = sorted({s for v in self.rss.values() for s in v})
        rss_head = ("peak RSS (MiB)", *[f"{s}x" if s else "custom size" for s in scales], "target", "met?")
        rss_body = []
        for job, by in self.rss.items():
            top = by.get(10)
            met = "—" if top is None else ("yes" if top <= 300 else "no")
            rss_body.append((job, *[f"{by[s]:,.0f}" if s in by else "—" for s in scales], "≤ 300 at 10x", met))
        lines = [f"## {self.title}" if markdown else self.title, ""]
        lines += [*_table(head, body, markdown), ""]
        if rss_body:
            lines += [*_table(rss_head, rss_body, markdown), ""]
        notes = [r.note and f"{r.job}: {r.note}" for r in self.rows if r.note] + self.notes
        lines += [f"- {n}" for n in notes if n]
        return "\n".join(lines) + "\n"


def _table(head: Sequence[str], body: Sequence[Sequence[str]], markdown: bool) -> list[str]:
    if markdown:
        return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in body]
    widths = [max(len(str(r[i])) for r in [head, *body]) for i in range(len(head))]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*head), "-|-".join("-" * w for w in widths)] + [fmt.format(*r) for r in body]


def _secs(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def paired(library: Command, floor: Command, repeat: int, warmup: int = 1) -> tuple[list[Run], list[Run], float]:
    """``warmup`` uncounted runs of each, then A B A B ... ``repeat`` times; the median of the ratios A/B."""
    for _ in range(warmup):
        library.run()
        floor.run()
    a_runs, b_runs = [], []
    for _ in range(repeat):
        a_runs.append(library.run())
        b_runs.append(floor.run())
    ratio = statistics.median(a.wall / b.wall for a, b in zip(a_runs, b_runs, strict=True))
    return a_runs, b_runs, ratio


def _pdf_pages(directory: Path) -> int:
    """Pages of the PDF files in ``directory`` (reportlab writes one ``/Type /Page`` object a page)."""
    return sum(f.read_bytes().count(b"/Type /Page\n") for f in directory.glob("*.pdf"))


def _met(ratio: float, limit: float) -> str:
    return "yes" if ratio <= limit else "no"


def _last_line(run: Run) -> str:
    lines = [ln for ln in run.out.splitlines() if ln.strip()]
    return lines[-1] if lines else ""


# ---------------------------------------------------------------------------- databases


def demo_db(cache: Path, classes: int, students: int, seed: int) -> Path:
    """The demo school's SQLite file for (classes, students, seed), built once and reused."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"demo-c{classes}-s{students}-seed{seed}.db"
    if path.exists():
        return path
    print(f"building the demo database {path} (once; minutes at 10x) ...", flush=True)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        part = Path(tmp) / "demo.db"
        subprocess.run(
            [
                *ejournal(),
                "demo",
                "--db",
                f"sqlite:///{part}",
                "--classes",
                str(classes),
                "--students",
                str(students),
                "--seed",
                str(seed),
                "--out",
                str(Path(tmp) / "out"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        part.replace(path)
    print(f"  built in {time.perf_counter() - t0:.0f} s", flush=True)
    return path


def ejournal() -> list[str]:
    """The command line of the ``ejournal`` CLI under this interpreter."""
    return [sys.executable, "-c", "from ejournal.cli.main import cli; cli()"]


def job(name: str, *args: str) -> list[str]:
    """The command line that runs one job of this script in a process of its own."""
    return [sys.executable, str(HERE), "--job", name, *args]


def _pick_class(db: Path) -> tuple[str, str]:
    """(label, journal id) of 9А if the school has it, else of the latest year's class with the most marks."""
    conn = _connect(str(db))
    try:
        journals = _latest_journals(conn)
        counts = dict(conn.execute("SELECT journal_id, count(*) FROM ej_marks GROUP BY journal_id").fetchall())
    finally:
        conn.close()
    for _, jid, grade, letter in journals:
        if (grade, letter) == (9, "А"):
            return f"{grade}{letter}", jid
    _, jid, grade, letter = max(journals, key=lambda j: counts.get(j[1], 0))
    return f"{grade}{letter}", jid


@contextmanager
def _scratch(base: Path) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="run-", dir=base))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def _fresh(path: Path) -> Callable[[], None]:
    def prepare() -> None:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()

    return prepare


@dataclass
class Bench:
    """The state of one measurement: the report, the memory figures, the number of paired runs."""

    report: Report
    repeat: int
    warmup: int
    scale: int  # 0 for a custom (toy) size
    rss: dict[str, dict[int, float]] = field(default_factory=lambda: {name: {} for name in RSS_JOBS})

    def compare(
        self,
        name: str,
        library: Command,
        floor: Command,
        floor_label: str,
        target: float,
        note: Callable[[list[Run], list[Run]], str] = lambda a, b: "",
        rss: str = "",
        target_label: str = "",
    ) -> None:
        """One row: ``library`` against ``floor`` in paired runs; the library's peak RSS kept as ``rss``."""
        a, b, ratio = paired(library, floor, self.repeat, self.warmup)
        peak = max(r.rss for r in a) / MIB
        if rss:
            self.rss.setdefault(rss, {})[self.scale] = peak
        self.report.add(
            Row(
                name,
                f"{_secs(statistics.median(r.wall for r in a))}, {peak:,.0f} MiB",
                f"{_secs(statistics.median(r.wall for r in b))} ({floor_label})",
                f"{ratio:.2f}×",
                target_label or f"≤ {target:g}×",
                _met(ratio, target),
                note(a, b),
            )
        )

    def skipped(self, name: str, target: str, why: str) -> None:
        """A row that could not be measured here, with the reason."""
        self.report.add(Row(name, "—", "—", "—", target, "skipped", why))


def measure(args: argparse.Namespace) -> Report:
    """Every row of the table at the main scale, then the memory figures at ``--rss-scales``."""
    classes, students = (args.classes, args.students) if args.classes else SCALES[args.scale]
    label = f"{args.scale}x" if not args.classes else "a custom size"
    cache = Path(args.cache_dir)
    db = demo_db(cache, classes, students, args.seed)
    conn = _connect(str(db))
    marks = conn.execute("SELECT count(*) FROM ej_marks").fetchone()[0]
    conn.close()
    title = (
        f"Issue 12 table at {label} ({classes} classes, {students:,} students, {marks:,} mark rows, SQLite; "
        f"medians of {args.repeat} paired whole-process runs)"
    )
    print(title, flush=True)
    bench = Bench(Report(title), args.repeat, args.warmup, 0 if args.classes else args.scale)
    url = f"sqlite:///{db}"
    with _scratch(cache) as tmp:
        _speed_rows(bench, args, db, url, tmp)
        scales = [s for s in args.rss_scales if s != bench.scale]
        for scale in [*scales, bench.scale]:
            sdb = db if scale == bench.scale else demo_db(cache, *SCALES[scale], args.seed)
            for name, cmd in _rss_commands(sdb, tmp).items():
                if scale not in bench.rss.setdefault(name, {}):
                    bench.rss[name][scale] = cmd.run().rss / MIB
                    print(f"  peak RSS of {name} at {scale}x: {bench.rss[name][scale]:,.0f} MiB", flush=True)
        # (8) --class at the largest scale measured
        big = max([bench.scale, *scales])
        bdb = db if big == bench.scale else demo_db(cache, *SCALES[big], args.seed)
        class_label, class_jid = _pick_class(bdb)
        bench.compare(
            f"`validate --class {class_label}` at {f'{big}x' if big else 'the custom size'}",
            Command([*ejournal(), "validate", "--class", class_label, "--db", f"sqlite:///{bdb}"], ok=(0, 1)),
            Command(job("one-journal", "--db", str(bdb), "--journal", class_jid)),
            "load + validate the one journal",
            1.5,
            lambda a, b: f"floor: {_last_line(b[-1])}",
            target_label="≤ 1.5× (one journal)",
        )
    bench.report.rss = bench.rss
    return bench.report


def _speed_rows(bench: Bench, args: argparse.Namespace, db: Path, url: str, tmp: Path) -> None:
    """Rows (1) to (6) of the table on the database ``db``."""
    fetch = Command(job("fetch", "--db", str(db)))
    load = Command(job("load-marks", "--db", str(db)))
    both = lambda a, b: f"library: {_last_line(a[-1])}; floor: {_last_line(b[-1])}"  # noqa: E731
    # (1) load + all period/annual marks, against the plain fetch and against pandas
    bench.compare(
        "load + all period/annual marks",
        load,
        fetch,
        "sqlite3 fetchall of the mark rows",
        1.5,
        both,
        rss=RSS_JOBS[0],
    )
    if importlib.util.find_spec("pandas") is None:
        bench.skipped(
            "the same job vs pandas read_sql + groupby",
            "< 1×",
            "pandas is not installed (a bench-only dependency the project does not declare)",
        )
    else:
        bench.compare(
            "the same job vs pandas",
            load,
            Command(job("pandas", "--db", str(db))),
            "pandas read_sql + groupby",
            1.0,
            both,
            target_label="< 1×",
        )
    # (2) validate + all sheets
    bench.compare(
        "validate + all sheets",
        Command(job("validate-sheets", "--db", str(db))),
        fetch,
        "the fetch floor",
        2.0,
        both,
        rss=RSS_JOBS[1],
    )
    # (3) sheet --all --format pdf
    pdf_dir, floor_dir = tmp / "pdf", tmp / "pdf-floor"
    bench.compare(
        "`sheet --all --format pdf` (whole job)",
        Command([*ejournal(), "sheet", "--all", "--format", "pdf", "-o", str(pdf_dir), "--db", url], _fresh(pdf_dir)),
        Command(job("pdf-floor", "--db", str(db), "--out", str(floor_dir)), _fresh(floor_dir)),
        "raw reportlab canvas",
        1.3,
        lambda a, b: f"library: {_pdf_pages(pdf_dir)} pages; floor: {_last_line(b[-1])}",
        rss=RSS_JOBS[2],
    )
    # (4) one changed mark -> that class's sheet current
    class_label, class_jid = _pick_class(db)
    copy = tmp / "change.db"
    out = (
        Command(
            job("one-change", "--db", str(copy), "--journal", class_jid, "--repeat", str(max(bench.repeat, 3))),
            prepare=lambda: _copy(db, copy),
        )
        .run()
        .out
    )
    if "ms=" not in out:
        raise SystemExit(f"bench: the one-change job printed no figure:\n{out[-2000:]}")
    ms = float(out.split("ms=")[1].split()[0])
    bench.report.add(
        Row(
            f"one changed mark → that class's sheet current ({class_label})",
            f"{ms:.0f} ms",
            "—",
            "—",
            "< 50 ms",
            "yes" if ms < 50 else "no",
            f"correct_mark + summary_sheet through the service, {_last_line(Run(0, 0, out))}",
        )
    )
    # (5) export / backup
    export_file, dump_file = tmp / "export.json.gz", tmp / "rows-year.json.gz"
    bench.compare(
        "export",
        Command([*ejournal(), "export", "-o", str(export_file), "--db", url], _fresh(export_file)),
        Command(job("dump", "--db", str(db), "--out", str(dump_file), "--year-only")),
        "rows → JSON → gzip",
        1.5,
        lambda a, b: f"library: {export_file.stat().st_size:,} bytes; floor: {_last_line(b[-1])}",
        rss=RSS_JOBS[3],
        target_label="≤ 1.5×, flat memory",
    )
    backup_file = tmp / "backup.gz"
    bench.compare(
        "backup",
        Command([*ejournal(), "backup", "-o", str(backup_file), "--db", url], _fresh(backup_file)),
        Command(job("dump", "--db", str(db), "--out", str(tmp / "rows-all.json.gz"))),
        "rows → JSON → gzip",
        1.5,
        lambda a, b: f"library: {backup_file.stat().st_size:,} bytes; floor: {_last_line(b[-1])}",
        target_label="≤ 1.5×, flat memory",
    )
    # (6) import into a fresh SQLite (and PostgreSQL)
    fresh_a, fresh_b = tmp / "import-a.db", tmp / "import-b.db"
    bench.compare(
        "import into a fresh SQLite",
        Command([*ejournal(), "import", str(export_file), "--db", f"sqlite:///{fresh_a}"], _fresh_schema(fresh_a)),
        Command(
            job("insert-floor", "--src", str(dump_file), "--target", f"sqlite:///{fresh_b}"), _fresh_schema(fresh_b)
        ),
        "raw executemany",
        2.0,
        lambda a, b: f"floor: {_last_line(b[-1])}",
    )
    if not args.postgres:
        bench.skipped("import into a fresh PostgreSQL", "≤ 2×", "no --postgres URL / EJOURNAL_TEST_POSTGRES_URL")
        return
    from ejournal.storage.sql.testing import temporary_database

    with (
        temporary_database(args.postgres, prefix="ejournal_bench") as url_a,
        temporary_database(args.postgres, prefix="ejournal_bench") as url_b,
    ):
        plain, schema = _pg_plain(url_b)
        bench.compare(
            "import into a fresh PostgreSQL",
            Command([*ejournal(), "import", str(export_file), "--db", url_a], _fresh_pg_schema(url_a)),
            Command(
                job("insert-floor", "--src", str(dump_file), "--target", plain, "--schema", schema),
                _fresh_pg_schema(url_b),
            ),
            "raw COPY",
            2.0,
            lambda a, b: f"floor: {_last_line(b[-1])}",
        )


def _fresh_schema(path: Path) -> Callable[[], None]:
    """Before each import run: an empty SQLite file with the library's schema (the same for both sides)."""

    def prepare() -> None:
        from ejournal.storage.sql import upgrade

        _fresh(path)()
        upgrade(f"sqlite:///{path}")

    return prepare


def _fresh_pg_schema(url: str) -> Callable[[], None]:
    """Before each import run: the PostgreSQL schema of ``url`` dropped, made anew and upgraded."""

    def prepare() -> None:
        import psycopg

        from ejournal.storage.sql import upgrade

        plain, schema = _pg_plain(url)
        with psycopg.connect(plain, autocommit=True) as pg:
            pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            pg.execute(f'CREATE SCHEMA "{schema}"')
        upgrade(url)

    return prepare


def _pg_plain(url: str) -> tuple[str, str]:
    """A libpq URL and the schema name from an ``options=-csearch_path=`` SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    schema = str(u.query["options"]).removeprefix("-csearch_path=")
    plain = u.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    return plain, schema


def _rss_commands(db: Path, tmp: Path) -> dict[str, Command]:
    """The school-wide jobs whose peak memory the table reports, on the database ``db``."""
    url = f"sqlite:///{db}"
    pdf_dir, export_file = tmp / "rss-pdf", tmp / "rss-export.json.gz"
    commands = (
        Command(job("load-marks", "--db", str(db))),
        Command(job("validate-sheets", "--db", str(db))),
        Command([*ejournal(), "sheet", "--all", "--format", "pdf", "-o", str(pdf_dir), "--db", url], _fresh(pdf_dir)),
        Command([*ejournal(), "export", "-o", str(export_file), "--db", url], _fresh(export_file)),
    )
    return dict(zip(RSS_JOBS, commands, strict=True))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one job (``--job``) or measure the whole table and print it (see the module doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, choices=sorted(SCALES), default=1, help="1x, 3x or 10x the demo school")
    parser.add_argument("--classes", type=int, help="a custom size instead of --scale (with --students)")
    parser.add_argument("--students", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=5, help="paired runs of each row (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted runs of each side first (default 1)")
    parser.add_argument("--rss-scales", default="", help="scales for the peak-memory rows, e.g. 1,3,10")
    parser.add_argument("--cache-dir", default="/tmp/ejournal-bench", help="where the demo databases are cached")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown to FILE")
    parser.add_argument("--postgres", default=os.environ.get("EJOURNAL_TEST_POSTGRES_URL"), help="server URL")
    parser.add_argument("--job", choices=sorted(JOBS), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--journal", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--year-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.job:
        print(JOBS[args.job](args), flush=True)
        return 0
    if args.classes and not args.students:
        parser.error("--classes needs --students")
    # Stopped from outside (SIGTERM), unwind: the scratch directory and throw-away schemas go too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.rss_scales = [int(s) for s in args.rss_scales.split(",") if s.strip()]
    if any(s not in SCALES for s in args.rss_scales):
        parser.error(f"--rss-scales: each of {sorted(SCALES)}")
    t0 = time.perf_counter()
    report = measure(args)
    report.notes.append(f"measured in {time.perf_counter() - t0:.0f} s; {_machine()}")
    print()
    print(report.text(markdown=False), end="")
    if args.markdown:
        Path(args.markdown).write_text(report.text(markdown=True), encoding="utf-8")
        print(f"(written to {args.markdown})")
    return 0


def _machine() -> str:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, children's CPU {usage.ru_utime + usage.ru_stime:.0f} s"


if __name__ == "__main__":
    raise SystemExit(main())
