"""Where the SQL integration tests find their servers (see conftest.py)."""

from __future__ import annotations

import os

import pytest

SERVERS = {"postgres": "EJOURNAL_TEST_POSTGRES_URL", "mariadb": "EJOURNAL_TEST_MARIADB_URL"}


def server_url(kind: str) -> str:
    """The server URL of ``kind`` from the environment, or skip the test saying which variable is unset."""
    var = SERVERS[kind]
    url = os.environ.get(var)
    if not url:
        pytest.skip(f"{var} is not set: no {kind} server to test against")
    return url
