"""A server URL that is set but does not answer makes the server tests fail, never skip."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEAD = {
    "EJOURNAL_TEST_POSTGRES_URL": "postgresql+psycopg://postgres@127.0.0.1:9/test",
    "EJOURNAL_TEST_MARIADB_URL": "mysql+pymysql://root@127.0.0.1:9/test",
}


@pytest.mark.parametrize(
    ("variable", "selector"), [("EJOURNAL_TEST_POSTGRES_URL", "Postgres"), ("EJOURNAL_TEST_MARIADB_URL", "Mariadb")]
)
def test_a_set_url_with_no_server_behind_it_fails(variable: str, selector: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in DEAD}
    env[variable] = DEAD[variable]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/contract/test_sql_contract.py",
            "-k",
            f"{selector} and test_added_school_is_read_back",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = proc.stdout.strip().splitlines()[-1]
    assert proc.returncode != 0, proc.stdout
    assert "error" in summary
    assert "skipped" not in summary
