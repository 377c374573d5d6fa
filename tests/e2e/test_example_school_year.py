"""The example application runs a whole school year through the service (examples/school_year)."""

from __future__ import annotations

import importlib.util
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ejournal.archive import verify_archive
from ejournal.core import Actor, Role
from ejournal.core.grading import builtin_policy
from ejournal.service import JournalService
from ejournal.storage import open as open_storage

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "school_year" / "run_year.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_year", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_year"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    out = tmp_path_factory.mktemp("year")
    return _module().run_year(f"sqlite:///{out / 'year.db'}", out), out


def test_every_document_is_written_privately(year: tuple[object, Path]) -> None:
    result, out = year
    names = set(result.documents)  # type: ignore[attr-defined]
    assert {"sheet-7a.pdf", "sheet-7b.pdf", "sheet-9a.pdf", "final-marks-9a.pdf", "progress-7a.html"} <= names
    assert {"honours-9a.html", "extract.pdf", "personal-file.html", "debts-7a.csv", "archive-9a.zip"} <= names
    for path in result.documents.values():  # type: ignore[attr-defined]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        if path.suffix == ".pdf":
            assert path.read_bytes().startswith(b"%PDF")
    assert verify_archive(out / "archive-9a.zip").valid


def test_the_movements_and_the_rollover(year: tuple[object, Path]) -> None:
    result, _ = year
    nxt = result.next_year_classes  # type: ignore[attr-defined]
    assert set(nxt) == {"8А", "8Б"}  # grade 9 graduated
    assert "st-05" not in nxt["8А"]  # left the school in February
    assert "st-08" in nxt["8А"]
    assert "st-08" not in nxt["8Б"]
    assert "st-03" in nxt["8А"]  # cleared the debt in the September retake


def test_the_audit_log_holds_every_change(year: tuple[object, Path]) -> None:
    result, out = year
    actions = result.actions  # type: ignore[attr-defined]
    assert result.rewound_clean  # type: ignore[attr-defined]
    storage = open_storage(f"sqlite:///{out / 'year.db'}")
    try:
        service = JournalService(storage, builtin_policy("federal"))
        admin = Actor("director", Role.ADMINISTRATOR, "s-42")
        journals = [service.journal(admin, "s-42", jid) for jid in service.journal_ids(admin, "s-42")]
    finally:
        storage.close()
    assert actions["record_mark"] == sum(len(j.marks) for j in journals)  # no mark deleted in the example
    assert actions["add_lesson"] == sum(len(j.lessons) for j in journals)
    assert actions["record_retake"] == sum(len(j.retakes) for j in journals) == 2
    assert actions["create_journal"] == len(journals) == 5
    assert (actions["withdraw_student"], actions["enrol_student"]) == (2, 2)  # out, inside move; inside, arrival
    assert actions["bring_mark"] == sum(len(j.brought_marks) for j in journals) == 6
    assert (actions["create_school"], actions["add_teacher"]) == (1, 3)
