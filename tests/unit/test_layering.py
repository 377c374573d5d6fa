"""The dependency rule: ``ejournal.core`` loads nothing but the standard library, attrs and the texts.

The one exception is deliberate: core may import :mod:`ejournal.i18n` (the message catalogs and
the number/date formatting), so that a validation message or a grading explanation reads its text
from the same catalog as the renderers.  :mod:`ejournal.i18n` depends only on the standard
library, Babel, pytils and the collation engines (each imported lazily, when a text or an order
is first asked for), and of core only on its leaf modules (errors, collation), so the edge does
not loop back and importing core stays as cheap as before.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import ejournal

FORBIDDEN = ("sqlalchemy", "reportlab", "cattrs", "click", "rich", "openpyxl", "alembic", "icu", "hypothesis")
FORBIDDEN_OWN = (
    "ejournal.storage",
    "ejournal.render",
    "ejournal.archive",
    "ejournal.cli",
    "ejournal.service",
    "ejournal.testing",
)


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


# Static checks: every import statement of the source, including those inside functions (lazy
# imports that the sys.modules checks above would only see when the function runs).
SRC = Path(ejournal.__file__).parent


def _imports(root: Path) -> list[tuple[str, int, str]]:
    """(file, line, imported module) for every absolute import in the ``.py`` files under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path.name, node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path.name, node.lineno, node.module))
    return found


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_core_source_imports_only_stdlib_attrs_core_and_i18n() -> None:
    allowed = set(sys.stdlib_module_names) | {"attrs", "__future__"}
    bad = [
        (f, line, m)
        for f, line, m in _imports(SRC / "core")
        if not (_under(m, "ejournal.core") or _under(m, "ejournal.i18n")) and m.split(".")[0] not in allowed
    ]
    assert bad == []


I18N_THIRD_PARTY = {"babel", "pytils", "pyuca", "icu"}
I18N_CORE_LEAVES = ("ejournal.core.errors", "ejournal.core.collation")


def test_i18n_source_imports_only_stdlib_babel_and_core_leaves() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"} | I18N_THIRD_PARTY
    bad = [
        (f, line, m)
        for f, line, m in _imports(SRC / "i18n")
        if not (_under(m, "ejournal.i18n") or any(_under(m, leaf) for leaf in I18N_CORE_LEAVES))
        and m.split(".")[0] not in allowed
    ]
    assert bad == []


def test_importing_core_reads_no_catalog_and_loads_no_babel() -> None:
    modules = _modules_after("import ejournal.core, ejournal.core.grading, ejournal.core.validation")
    assert not {m for m in modules if m.split(".")[0] in I18N_THIRD_PARTY}


def test_storage_and_render_never_import_each_other() -> None:
    assert [i for i in _imports(SRC / "storage") if _under(i[2], "ejournal.render")] == []
    assert [i for i in _imports(SRC / "render") if _under(i[2], "ejournal.storage")] == []


def test_the_static_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    # The scan must find a lazy import, or the two tests above prove nothing about them.
    (tmp_path / "lazy.py").write_text("def f():\n    from ejournal.render import render\n", encoding="utf-8")
    assert _imports(tmp_path) == [("lazy.py", 2, "ejournal.render")]


def test_the_cli_imports_go_one_way() -> None:
    # shared helpers -> command modules -> the group: no command module imports the group (or
    # another command module), and the shared helpers import no command module
    imports = _imports(SRC / "cli")
    commands = {"commands.py", "report.py", "year.py"}
    cli_modules = {"ejournal.cli.main", "ejournal.cli.commands", "ejournal.cli.report", "ejournal.cli.year"}
    assert [(f, line, m) for f, line, m in imports if f in commands and m in cli_modules] == []
    assert [(f, line, m) for f, line, m in imports if f == "_shared.py" and _under(m, "ejournal.cli")] == []
    # and `from ejournal.cli import commands, report, year` is the group's only way to them
    assert [m for f, _, m in imports if f == "main.py" and _under(m, "ejournal.cli")] == [
        "ejournal.cli",
        "ejournal.cli._shared",
    ]
