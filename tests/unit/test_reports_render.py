"""Every end-of-year document in every format and locale; every label in every catalog."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from reports_kit import RU, demo

import ejournal.render.reports
from ejournal.core.reports import Report, build_report
from ejournal.render import render
from ejournal.render.i18n import LOCALES, catalog

KINDS = ("final-marks", "progress", "honours", "extract", "personal-file", "debts")
FORMATS = ("pdf", "html", "csv", "xlsx", "json")


def document(kind: str) -> Report:
    j = demo(10 if kind == "debts" else 11)  # grade 10 of the demo has students with debts
    leaver = next(s.id for s in j.students.values() if s.left is not None)
    student = {"extract": leaver, "personal-file": sorted(j.students)[0]}.get(kind)
    return build_report(
        kind,
        j,
        collator=RU,
        student_id=student,
        period_id="h2" if kind == "progress" else None,
        earlier=demo(10) if kind == "final-marks" else None,
    )


def names_in(doc: Report) -> set[str]:
    d = doc.to_dict()
    if "rows" in d and "student" not in d:
        return {r["name"] for r in d["rows"]}  # type: ignore[index, union-attr]
    if "students" in d:
        return {s["name"] for s in d["students"]}  # type: ignore[index, union-attr]
    if "names" in d:
        return set(d["names"].values())  # type: ignore[union-attr]
    return {str(d["student"])}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_report(kind: str, fmt: str) -> None:
    doc = document(kind)
    data = render(doc, fmt, locale="ru")
    assert data
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "xlsx":
        assert zipfile.ZipFile(io.BytesIO(data)).namelist()
    elif fmt == "json":
        assert json.loads(data)["document"] == kind
    else:
        text = data.decode("utf-8-sig")
        if kind == "progress":
            c = doc.current.categories  # type: ignore[union-attr]
            shown = {doc.name(i) for i in (*c.quality, *c.one_three, *c.unsuccessful)}  # type: ignore[union-attr]
        else:
            shown = names_in(doc)
        assert shown
        for name in shown:
            assert name in text, (kind, fmt, name)


def test_csv_lists_every_student_of_the_final_marks() -> None:
    doc = document("final-marks")
    rows = list(csv.reader(io.StringIO(render(doc, "csv").decode("utf-8-sig")), delimiter=";"))
    cells = {c for r in rows for c in r}
    assert names_in(doc) <= cells


@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale(locale: str) -> None:
    for kind in KINDS:
        assert render(document(kind), "html", locale=locale)


def test_the_pdf_is_deterministic() -> None:
    doc = document("progress")
    assert render(doc, "pdf") == render(doc, "pdf")


KEY = re.compile(r"""["'](report\.[a-z0-9_.]+)["']""")
DYNAMIC = {
    "report.problem.": ("missing", "not_certified", "not_numeric", "failing", "differs"),
    "report.medal.": ("gold", "silver", "none"),
    "report.debts.status.": ("open", "cleared", "not_cleared"),
    "report.reason.": (
        "missing",
        "not_certified",
        "below_good",
        "too_many_good",
        "has_good",
        "exam_missing",
        "exam_failed",
        "exam_below_gold",
        "exam_below_silver",
    ),
}


def test_every_report_label_is_in_every_catalog() -> None:
    used: set[str] = set()
    for path in Path(ejournal.render.reports.__file__).parent.glob("*.py"):
        used |= set(KEY.findall(path.read_text(encoding="utf-8")))
    used |= {prefix + name for prefix, names in DYNAMIC.items() for name in names}
    assert len(used) > 40
    for locale in LOCALES:
        assert sorted(used - catalog(locale).keys) == [], locale
    defined = {k for k in catalog("ru").keys if k.startswith("report.")}
    assert catalog("ru").keys == catalog("tt").keys == catalog("en").keys
    assert defined <= used, sorted(defined - used)
