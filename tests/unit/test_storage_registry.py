"""Choosing a backend by URL: precedence, built-in schemes, entry points, custom registries, masking."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import ejournal.storage
from ejournal.core.errors import InvalidInput, StorageUnavailable
from ejournal.storage import Registry, mask_url
from ejournal.storage import registry as reg
from ejournal.storage.memory import MemoryStorage

opened: list[tuple[str, dict[str, Any]]] = []


def fake_factory(url: str, **options: Any) -> MemoryStorage:
    """Stands for a third-party backend's open_storage."""
    opened.append((url, options))
    return MemoryStorage(url)


def not_a_storage(url: str, **options: Any) -> object:
    return object()


def _entry_points(*specs: tuple[str, str]) -> Any:
    eps = [importlib.metadata.EntryPoint(name, value, reg.ENTRY_POINT_GROUP) for name, value in specs]

    def entry_points(*, group: str, name: str | None = None) -> list[importlib.metadata.EntryPoint]:
        return [ep for ep in eps if ep.group == group and (name is None or ep.name == name)]

    return entry_points


def _no_entry_points_allowed(**_: Any) -> Any:
    raise AssertionError("entry points must not be scanned here")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(reg.ENV_VAR, raising=False)
    opened.clear()


# ---------------------------------------------------------------------- which URL
def test_explicit_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_STORAGE", "postgresql://u@db/school")
    assert reg.resolve_url("memory://") == "memory://"


def test_environment_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EJOURNAL_STORAGE", "memory://from-env")
    assert reg.resolve_url() == "memory://from-env"
    storage = ejournal.storage.open()
    assert isinstance(storage, MemoryStorage)
    assert storage.url == "memory://from-env"


def test_default_is_sqlite_file_when_nothing_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert reg.resolve_url() == "sqlite:///ejournal.db"
    monkeypatch.setenv("EJOURNAL_STORAGE", "   ")
    assert reg.resolve_url() == "sqlite:///ejournal.db"
    assert reg.resolve_url(environ={}) == "sqlite:///ejournal.db"


def test_blank_explicit_url_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="storage url"):
        reg.resolve_url("  ")


# ---------------------------------------------------------------------- which backend
def test_memory_scheme_opens_the_memory_backend_without_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _no_entry_points_allowed)
    storage = ejournal.storage.open("memory://")
    assert isinstance(storage, MemoryStorage)
    assert "transactions" in storage.capabilities


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("sqlite:///school.db", "sqlite"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg"),
        ("MySQL+PyMySQL://root@localhost/test", "mysql+pymysql"),
        ("mariadb+pymysql://root@localhost/test", "mariadb+pymysql"),
    ],
)
def test_sql_schemes_map_to_the_sql_module(url: str, scheme: str) -> None:
    assert reg.scheme_of(url) == scheme
    assert reg.BUILTIN_BACKENDS[scheme] == "ejournal.storage.sql"


def test_json_scheme_opens_the_json_file_backend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ejournal.storage import jsonfile

    monkeypatch.setattr(importlib.metadata, "entry_points", _no_entry_points_allowed)
    assert reg.BUILTIN_BACKENDS["json"] == "ejournal.storage.jsonfile"
    assert reg.DEFAULT_REGISTRY.factory_for("json:///x") is jsonfile.open_storage
    storage = ejournal.storage.open(f"json://{tmp_path / 'school.json.gz'}")
    assert isinstance(storage, jsonfile.JsonFileStorage)
    assert storage.path == tmp_path / "school.json.gz"
    storage.close()


def test_unknown_scheme_names_it_and_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _entry_points(("plugged", f"{__name__}:fake_factory")))
    with pytest.raises(InvalidInput) as info:
        ejournal.storage.open("oracle://scott:tiger@db/orcl")
    text = str(info.value)
    assert "'oracle'" in text
    for known in ("memory", "sqlite", "postgresql+psycopg", "mysql+pymysql", "plugged"):
        assert known in text
    assert "tiger" not in text


@pytest.mark.parametrize("url", ["school.db", "memory:", "://x", "1abc://x", ""])
def test_malformed_urls_are_invalid_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        Registry().open(url or " ")


def test_entry_point_serves_an_unknown_scheme_with_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _entry_points(("plugged", f"{__name__}:fake_factory")))
    storage = ejournal.storage.open("plugged://somewhere", pool_size=3)
    assert isinstance(storage, MemoryStorage)
    assert opened == [("plugged://somewhere", {"pool_size": 3})]


def test_two_installed_backends_claiming_one_scheme_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        _entry_points(("plugged", f"{__name__}:fake_factory"), ("plugged", f"{__name__}:not_a_storage")),
    )
    with pytest.raises(InvalidInput, match="several installed backends"):
        ejournal.storage.open("plugged://x")


def test_a_broken_entry_point_is_storage_unavailable_with_the_password_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _entry_points(("plugged", "no_such_module_xyz:open")))
    with pytest.raises(StorageUnavailable) as info:
        ejournal.storage.open("plugged://admin:hunter2@host/db")
    assert "hunter2" not in str(info.value)
    assert "plugged://admin:***@host/db" in str(info.value)
    assert "no_such_module_xyz" in str(info.value)


def test_a_factory_that_returns_no_storage_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _entry_points(("plugged", f"{__name__}:not_a_storage")))
    with pytest.raises(StorageUnavailable, match="not a Storage"):
        ejournal.storage.open("plugged://x")


def test_backend_options_reach_the_backend() -> None:
    with pytest.raises(InvalidInput, match="takes no options"):
        ejournal.storage.open("memory://", echo=True)


# ---------------------------------------------------------------------- custom registries
def test_a_users_registry_serves_its_own_schemes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _no_entry_points_allowed)
    registry = Registry()
    registry.register("Mine", fake_factory)
    registry.register("memory", fake_factory)
    assert isinstance(ejournal.storage.open("mine://a", registry=registry, x=1), MemoryStorage)
    registry.open("memory://wrapped")
    assert opened == [("mine://a", {"x": 1}), ("memory://wrapped", {})]


def test_registering_twice_or_badly_is_refused() -> None:
    registry = Registry()
    registry.register("mine", fake_factory)
    with pytest.raises(InvalidInput, match="already registered"):
        registry.register("MINE", fake_factory)
    with pytest.raises(InvalidInput):
        registry.register("no spaces", fake_factory)
    with pytest.raises(TypeError):
        registry.register("other", "not callable")  # type: ignore[arg-type]


def test_the_default_registry_is_read_only_and_unaffected_by_users() -> None:
    with pytest.raises(TypeError, match="read-only"):
        reg.DEFAULT_REGISTRY.register("mine", fake_factory)
    Registry().register("mine", fake_factory)
    with pytest.raises(InvalidInput, match="unknown scheme 'mine'"):
        reg.DEFAULT_REGISTRY.factory_for("mine://x")


def test_a_registry_without_builtins_or_entry_points_knows_only_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", _no_entry_points_allowed)
    registry = Registry(builtins=False, entry_points=False)
    registry.register("only", fake_factory)
    assert registry.known_schemes() == ["only"]
    with pytest.raises(InvalidInput, match="known: only"):
        registry.open("memory://")


def test_importing_storage_scans_nothing_and_loads_no_backend() -> None:
    code = (
        "import importlib.metadata, json, sys\n"
        "def boom(**kw): raise SystemExit('entry points scanned at import time')\n"
        "importlib.metadata.entry_points = boom\n"
        "import ejournal.storage, ejournal.storage.registry\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('ejournal.storage.', 'sqlalchemy')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == ["ejournal.storage.ports", "ejournal.storage.registry"]


# ---------------------------------------------------------------------- masking
@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+psycopg://ej:s3cret@db.example:5432/school", "postgresql+psycopg://ej:***@db.example:5432/school"),
        ("mysql+pymysql://root:@127.0.0.1:3306/test", "mysql+pymysql://root:***@127.0.0.1:3306/test"),
        ("mysql+pymysql://root@127.0.0.1/test", "mysql+pymysql://root@127.0.0.1/test"),
        ("postgresql://u:p@ss@word@host/db", "postgresql://u:***@host/db"),
        (
            "postgresql://host/db?user=u&password=top&sslmode=require",
            "postgresql://host/db?user=u&password=***&sslmode=require",
        ),
        ("sqlite:///home/me/школа@2025.db", "sqlite:///home/me/школа@2025.db"),
        ("memory://", "memory://"),
        ("not a url", "not a url"),
        ("x://u:pw@h/p#frag@x", "x://u:***@h/p#frag@x"),
    ],
)
def test_mask_url_hides_passwords_only(url: str, masked: str) -> None:
    assert mask_url(url) == masked


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:secret@host:notaport/db", "postgresql://u:***@host:notaport/db"),
        ("postgresql://u:se?cr#et@host/db", "postgresql://u:***@host/db"),
        ("postgresql://u:se/cret@host/db", "postgresql://u:***@host/db"),
        ("//u:secret@host/db", "//u:***@host/db"),
        ("see postgresql://u:secret@h/db and more", "see postgresql://u:***@h/db and more"),
    ],
)
def test_mask_url_masks_urls_that_do_not_parse(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_every_mask_url_is_the_same_function() -> None:
    from sqlalchemy.engine import make_url

    from ejournal.storage.sql import errors

    assert errors.mask_url("postgresql://u:secret@host:notaport/db") == "postgresql://u:***@host:notaport/db"
    assert errors.mask_url(make_url("postgresql://u:s%40cret@h/db")) == "postgresql://u:***@h/db"


@pytest.mark.parametrize("scheme", ["mysql", "mysql+pymysql", "mariadb", "mariadb+pymysql", "postgresql"])
def test_every_documented_sql_scheme_reaches_the_sql_backend(scheme: str) -> None:
    from ejournal.storage import sql

    assert Registry().factory_for(f"{scheme}://root@127.0.0.1:1/x") is sql.open_storage


@pytest.mark.parametrize("scheme", ["mariadb", "mariadb+pymysql"])
def test_a_mariadb_url_opens_the_server(scheme: str) -> None:
    import os

    from ejournal.storage import open as open_storage

    server = os.environ.get("EJOURNAL_TEST_MARIADB_URL")
    if not server:
        pytest.skip("EJOURNAL_TEST_MARIADB_URL is not set")
    from ejournal.storage.sql import upgrade
    from ejournal.storage.sql.testing import temporary_database

    # a database of its own, at the head revision: the server's own databases may hold any revision
    with temporary_database(server, prefix="ejournal_reg") as fresh:
        upgrade(fresh)
        url = scheme + "://" + fresh.partition("://")[2]
        storage = open_storage(url)
        try:
            assert storage.url.startswith("mariadb+pymysql://")
        finally:
            storage.close()
