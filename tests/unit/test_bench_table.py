"""The benchmark driver of issue 12's table runs at a toy size and prints every row (so it cannot rot).

Figures are not asserted (speed is measured, never tested); what is checked is that every row
of the table is there, in the text and the Markdown output, that each floor worked on the same
rows as the library, and that no benchmark pauses the garbage collector.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

ROWS = (
    "load + all period/annual marks",
    "the same job vs pandas",
    "validate + all sheets",
    "`sheet --all --format pdf` (whole job)",
    "one changed mark → that class's sheet current",
    "export",
    "backup",
    "import into a fresh SQLite",
    "import into a fresh PostgreSQL",
    "`validate --class",
)
RSS_ROWS = ("load + period/annual marks", "validate + all sheets", "sheet --all --format pdf", "export")


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(stdout, Markdown) of one toy run: 2 classes, 10 students, one paired run, no warm-up."""
    tmp = tmp_path_factory.mktemp("bench")
    markdown = tmp / "table.md"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("EJOURNAL_TEST_POSTGRES_URL", None)  # the PostgreSQL row then says why it is skipped
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_table.py"), "--classes", "2", "--students", "10", "--repeat", "1",
         "--warmup", "0", "--cache-dir", str(tmp / "cache"), "--markdown", str(markdown)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout, markdown.read_text(encoding="utf-8")


def _tables(text: str) -> list[list[str]]:
    """The tables of the final report (after the progress lines): runs of lines with a ``|``."""
    report = text[text.rindex("Issue 12 table") :]
    tables: list[list[str]] = []
    previous = False
    for line in report.splitlines():
        if "|" in line:
            if not previous:
                tables.append([])
            tables[-1].append(line)
        previous = "|" in line
    return tables


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_every_row_of_the_table_is_printed(toy_run: tuple[str, str]) -> None:
    out, _ = toy_run
    table, memory = _tables(out)
    assert _cells(table[0]) == ["job", "library", "floor", "ratio", "target", "met?"]
    for row in ROWS:
        assert any(line.startswith(row) for line in table), row
    assert _cells(memory[0])[0] == "peak RSS (MiB)"
    for row in RSS_ROWS:
        assert any(line.startswith(row) and "≤ 300 at 10x" in line for line in memory), row


def test_every_row_has_a_verdict_or_a_reason(toy_run: tuple[str, str]) -> None:
    out, _ = toy_run
    table, _ = _tables(out)
    for line in table[2:]:
        verdict = line.rsplit("|", 1)[1].strip()
        assert verdict in {"yes", "no", "skipped"}, line
        if verdict == "skipped":
            name = line.split("|")[0].strip()
            assert re.search(rf"^- {re.escape(name)}: \S", out, re.MULTILINE), f"no reason printed for {name}"


def test_the_markdown_file_holds_the_same_rows(toy_run: tuple[str, str]) -> None:
    _, md = toy_run
    table, memory = _tables(md)
    assert table[0] == "| job | library | floor | ratio | target | met? |"
    for row in ROWS:
        assert any(line.startswith(f"| {row}") for line in table), row
    for row in RSS_ROWS:
        assert any(line.startswith(f"| {row}") for line in memory), row


def test_the_fetch_floor_reads_the_same_mark_rows_as_the_load(toy_run: tuple[str, str]) -> None:
    out, _ = toy_run
    found = re.search(r"library: (\d+) journals, (\d+) marks.*; floor: (\d+) journals, (\d+) marks", out)
    assert found, out
    assert found.group(1, 2) == found.group(3, 4)
    assert int(found.group(2)) > 0


def test_no_benchmark_pauses_the_garbage_collector() -> None:
    for script in BENCH.glob("*.py"):
        text = script.read_text(encoding="utf-8")
        for pause in ("gc.disable", "gc.freeze", "gc_paused"):
            assert pause not in text, f"{script.name} uses {pause}"
