"""docs/validation.md documents exactly the default rules, each with its default severity."""

from __future__ import annotations

import re
from pathlib import Path

from ejournal.core.validation import DEFAULT_RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
ENTRY = re.compile(r"^### (?P<code>[A-Z]+\d+) — .+?\n(?P<body>.*?)(?=^### |\Z)", re.DOTALL | re.MULTILINE)
SEVERITY = re.compile(r"^- \*\*Severity:\*\* (\w+)\s*$", re.MULTILINE)


def _documented() -> dict[str, str]:
    out: dict[str, str] = {}
    for m in ENTRY.finditer(DOC.read_text(encoding="utf-8")):
        assert m.group("code") not in out, f"{m.group('code')} documented twice"
        severities = SEVERITY.findall(m.group("body"))
        assert len(severities) == 1, f"{m.group('code')} must state one severity"
        out[m.group("code")] = severities[0]
    return out


def test_documented_codes_are_the_registry_codes() -> None:
    assert sorted(_documented()) == list(DEFAULT_RULES.codes)


def test_documented_severities_are_the_defaults() -> None:
    assert _documented() == {r.code: r.severity.value for r in DEFAULT_RULES}


def test_every_entry_has_meaning_example_and_fix() -> None:
    text = DOC.read_text(encoding="utf-8")
    for m in ENTRY.finditer(text):
        body = m.group("body")
        for label in ("Meaning", "Example", "Fix"):
            assert f"- **{label}:**" in body, f"{m.group('code')} lacks {label}"
