"""Every ```python block in docs/*.md runs: blocks of one file share a namespace, in order."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _doc_files() -> list[Path]:
    files = [*sorted(DOCS.rglob("*.md")), DOCS.parent / "README.md"]
    return [p for p in files if BLOCK.search(p.read_text(encoding="utf-8"))]


def test_docs_have_examples() -> None:
    assert (DOCS / "index.md").is_file()
    assert len(_doc_files()) >= 3


@pytest.mark.parametrize("path", _doc_files(), ids=lambda p: str(p.relative_to(DOCS.parent)))
def test_python_blocks_run(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = BLOCK.findall(path.read_text(encoding="utf-8"))
    assert blocks
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EJOURNAL_STORAGE", raising=False)
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    for i, block in enumerate(blocks, start=1):
        code = compile(block, f"{path.name}[block {i}]", "exec")
        exec(code, namespace)
    assert os.getcwd() == str(tmp_path)
