"""The dependency rule: ``ejournal.core`` loads nothing but the standard library and attrs."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("sqlalchemy", "reportlab", "cattrs", "click", "rich", "openpyxl", "alembic", "icu", "hypothesis")
FORBIDDEN_OWN = ("ejournal.storage", "ejournal.render", "ejournal.cli", "ejournal.service", "ejournal.testing")


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def _offenders(modules: set[str]) -> list[str]:
    return sorted(
        m
        for m in modules
        if m.split(".")[0] in FORBIDDEN or any(m == own or m.startswith(own + ".") for own in FORBIDDEN_OWN)
    )


def test_core_imports_only_stdlib_and_attrs() -> None:
    modules = _modules_after("import ejournal.core, ejournal.core.grading")
    assert "ejournal.core" in modules
    assert _offenders(modules) == []


def test_top_level_package_is_as_light_as_core() -> None:
    assert _offenders(_modules_after("import ejournal")) == []


def test_the_check_would_catch_an_offender() -> None:
    # The detector itself must notice a forbidden import, or the tests above prove nothing.
    assert "cattrs" in _offenders(_modules_after("import ejournal.core, cattrs"))
