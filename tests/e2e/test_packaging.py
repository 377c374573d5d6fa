"""The wheel ships what the library reads at run time: migrations, schema, profiles, catalogs, kits."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NEEDED = (
    "ejournal/py.typed",
    "ejournal/core/grading/profiles/federal.toml",
    "ejournal/core/grading/profiles/strict.toml",
    "ejournal/core/grading/profiles/tatarstan.toml",
    "ejournal/storage/document/schema/ejournal-document-v1.schema.json",
    "ejournal/storage/sql/migrations/env.py",
    "ejournal/storage/sql/migrations/versions/r0001_initial.py",
    "ejournal/storage/sql/migrations/versions/r0002_audit_indexes.py",
    "ejournal/storage/sql/migrations/versions/r0003_audit_per_journal.py",
    "ejournal/storage/sql/migrations/versions/r0004_roster_and_retakes.py",
    "ejournal/storage/sql/migrations/versions/r0005_decisions_and_admission.py",
    "ejournal/storage/sql/migrations/versions/r0006_exam_scores.py",
    "ejournal/i18n/locales/ru/LC_MESSAGES/ejournal.po",
    "ejournal/i18n/locales/tt/LC_MESSAGES/ejournal.po",
    "ejournal/i18n/locales/en/LC_MESSAGES/ejournal.po",
    "ejournal/testing/conformance/__init__.py",
    "ejournal/testing/strategies.py",
)


def test_the_wheel_holds_every_data_file_the_code_reads(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("ejournal-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [n for n in NEEDED if n not in names]
    assert missing == []
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "ejournal = ejournal.cli:main" in text
    assert "[hypothesis]" in text
