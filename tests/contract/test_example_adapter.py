"""Run the example third-party adapter's own test (examples/storage_adapter/test_adapter.py).

The example is not installed: its two modules are loaded from their paths, and its test class is
re-exported here so that pytest collects it with the suite.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "storage_adapter"


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_load("ejournal_picklefile", EXAMPLE / "ejournal_picklefile.py")
_example = _load("ejournal_example_test_adapter", EXAMPLE / "test_adapter.py")

TestPickleFileStorage = _example.TestPickleFileStorage
