"""``import ejournal`` is the front door: every name an application needs, loaded lazily."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import ejournal

HEAVY = ("sqlalchemy", "reportlab", "click", "cattrs", "openpyxl", "pyhanko")


def _loaded_after(code: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {name.split(".")[0] for name in run.stdout.split()}


def test_importing_the_package_loads_no_driver_or_pdf_engine() -> None:
    loaded = _loaded_after("import ejournal")
    assert sorted(set(HEAVY) & loaded) == []


@pytest.mark.parametrize("name", sorted(ejournal._LAZY))
def test_every_lazy_name_is_the_object_of_its_home_module(name: str) -> None:
    module, attribute = ejournal._LAZY[name]
    assert getattr(ejournal, name) is getattr(importlib.import_module(module), attribute)
    assert name in ejournal.__all__
    assert name in dir(ejournal)


def test_a_lazy_name_loads_only_its_own_layer() -> None:
    loaded = _loaded_after("import ejournal\nejournal.JournalService")
    assert "sqlalchemy" not in loaded
    assert "reportlab" not in loaded


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = ejournal.no_such_name  # type: ignore[attr-defined]
