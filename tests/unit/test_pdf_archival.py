"""Embedded fonts only in every PDF; PDF/A-2b for the archive (plain sheets on request), signed too.

Two independent checks look at each PDF/A file: pikepdf's validator (through
:func:`ejournal.render.pdfa.pdfa_findings`) and this project's own checker of the rules that
matter here (:mod:`pdfa_kit`).  Each checker is also shown failing on files that break its rules.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfa_kit import font_problems, pdfa2b_problems
from reportlab.pdfgen.canvas import Canvas
from reports_kit import RU, demo
from signing_kit import make_pkcs12

from ejournal.archive import ProblemKind, Signer, create_archive, verify_archive
from ejournal.cli.main import cli
from ejournal.core.diary import week
from ejournal.core.errors import InvalidInput
from ejournal.core.reports import build_report
from ejournal.core.summary import SheetLayout, SummarySheet
from ejournal.core.validation import Finding, Severity, ValidationReport
from ejournal.i18n import collator
from ejournal.render import LOCALES, RenderOptions, render
from ejournal.render.course_page import build_course_page
from ejournal.render.pdfa import PDFA_PROFILE, pdfa_findings, signature_form_findings, to_pdfa
from ejournal.testing.samples import sample_journal, sample_sheet

CERTIFIED = date(2026, 6, 25)
POLICY = "f" * 64


@pytest.fixture(scope="module")
def sheet() -> SummarySheet:
    return sample_sheet(students=6, subjects=3, grade=9)


def _documents() -> dict[str, object]:
    journal = sample_journal(students=4, subjects=3, grade=7)
    report = ValidationReport(
        "7А-2025", date(2026, 5, 30), [Finding("EJ101", Severity.ERROR, "missing.key", student_id="s001")]
    )
    eleven = demo(11)
    return {
        "sheet": sample_sheet(students=5, subjects=3, grade=9),
        "sheet, subjects as rows": sample_sheet(students=5, subjects=3, grade=9, layout=SheetLayout.SUBJECTS_AS_ROWS),
        "course page": build_course_page(journal, "c01", date(2025, 9, 1), date(2025, 10, 31), collator=collator("ru")),
        "validation report": report,
        "diary week": week(journal, "s001", date(2025, 9, 1)),
        "final-marks report": build_report("final-marks", eleven, collator=RU, earlier=demo(10)),
        "honours report": build_report("honours", eleven, collator=RU),
    }


DOCUMENTS = _documents()


@pytest.fixture(scope="module", params=["ecdsa", "rsa"])
def signer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Signer:
    where = tmp_path_factory.mktemp("keys") / "director.p12"
    return Signer.from_pkcs12(make_pkcs12(where, rsa_key=request.param == "rsa"), "pw")


# ---------------------------------------------------------------------------- fonts


def _helvetica_pdf() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Helvetica, not embedded")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_font_checker_finds_a_standard_font() -> None:
    problems = font_problems(_helvetica_pdf())
    assert any("standard font Helvetica" in p for p in problems)
    assert any("not embedded" in p for p in problems)


@pytest.mark.parametrize("pdfa", [False, True], ids=["plain", "pdfa"])
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_pdf_references_embedded_fonts_only(name: str, pdfa: bool) -> None:
    data = render(DOCUMENTS[name], "pdf", pdfa=pdfa)
    assert font_problems(data) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_sheet_in_every_locale_has_no_standard_font(sheet: SummarySheet, locale: str) -> None:
    assert font_problems(render(sheet, "pdf", locale=locale)) == []


# ---------------------------------------------------------------------------- PDF/A-2b


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_pdfa_output_passes_both_checkers(name: str) -> None:
    data = render(DOCUMENTS[name], "pdf", pdfa=True)
    assert pdfa2b_problems(data) == []
    assert pdfa_findings(data) == []


@settings(max_examples=8, deadline=None)
@given(
    students=st.integers(min_value=1, max_value=12),
    subjects=st.integers(min_value=1, max_value=6),
    grade=st.sampled_from([1, 5, 9, 11]),
    seed=st.integers(min_value=1, max_value=10_000),
    layout=st.sampled_from(list(SheetLayout)),
    locale=st.sampled_from(LOCALES),
)
def test_every_sheet_is_pdfa_with_embedded_fonts(
    students: int, subjects: int, grade: int, seed: int, layout: SheetLayout, locale: str
) -> None:
    sheet = sample_sheet(students=students, subjects=subjects, grade=grade, seed=seed, layout=layout)
    data = render(sheet, "pdf", locale=locale, pdfa=True)
    assert pdfa2b_problems(data) == []
    assert pdfa_findings(data) == []
    assert render(sheet, "pdf", locale=locale, pdfa=True) == data


def test_a_plain_pdf_is_not_pdfa_for_either_checker(sheet: SummarySheet) -> None:
    plain = render(sheet, "pdf")
    assert any("output intent" in p for p in pdfa2b_problems(plain))
    assert any("pdfaid" in p or "XMP" in p for p in pdfa2b_problems(plain))
    assert pdfa_findings(plain) != []


def test_pdfa_is_reproducible(sheet: SummarySheet) -> None:
    assert render(sheet, "pdf", pdfa=True) == render(sheet, "pdf", pdfa=True)


def test_pdfa_metadata_states_the_document_information_of_the_sheet(sheet: SummarySheet) -> None:
    plain, archival = render(sheet, "pdf"), render(sheet, "pdf", pdfa=True)
    with pikepdf.open(io.BytesIO(plain)) as before, pikepdf.open(io.BytesIO(archival)) as after:
        meta = after.open_metadata()
        assert meta["dc:title"] == str(before.docinfo["/Title"])
        assert meta["dc:creator"] == [str(before.docinfo["/Author"])]
        assert meta["dc:description"] == str(before.docinfo["/Subject"])
        assert meta["pdf:Keywords"] == str(before.docinfo["/Keywords"])
        assert sheet.content_hash in meta["pdf:Keywords"]
        assert meta["xmp:CreatorTool"] == str(before.docinfo["/Creator"])
        certified = sheet.certification.date if sheet.certification else sheet.header.year_end
        for prop in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert datetime.fromisoformat(meta[prop]).date() == certified
        assert str(after.docinfo["/EjournalContentHash"]) == sheet.content_hash
        icc = after.Root.OutputIntents[0].DestOutputProfile
        assert int(icc.N) == 3


def test_the_checker_catches_a_broken_pdfa(sheet: SummarySheet) -> None:
    archival = render(sheet, "pdf", pdfa=True)
    with pikepdf.open(io.BytesIO(archival)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = "another title"
            meta["pdfaid:part"] = "1"
        del pdf.Root.OutputIntents
        out = io.BytesIO()
        pdf.save(out, static_id=True)
    problems = pdfa2b_problems(out.getvalue())
    assert any(p.startswith("/Title is") for p in problems)
    assert any(p.startswith("pdfaid 1/B") for p in problems)
    assert "0 PDF/A output intents" in problems
    assert pdfa_findings(out.getvalue()) != []


def test_to_pdfa_refuses_a_font_that_is_not_embedded() -> None:
    with pytest.raises(InvalidInput) as caught:
        to_pdfa(_helvetica_pdf())
    assert caught.value.where == "pdfa"
    assert "not PDF/A-2b" in str(caught.value)


def test_to_pdfa_refuses_what_is_not_a_pdf() -> None:
    with pytest.raises(InvalidInput) as caught:
        to_pdfa(b"not a PDF at all")
    assert caught.value.where == "pdfa"


def test_the_pdfa_option_must_be_a_flag() -> None:
    with pytest.raises(InvalidInput) as caught:
        RenderOptions(pdfa="yes")  # type: ignore[arg-type]
    assert caught.value.where == "render_options.pdfa"


# ---------------------------------------------------------------------------- the archive


def test_the_archive_writes_pdfa_and_records_the_profile(sheet: SummarySheet, tmp_path: Path) -> None:
    path = create_archive(sheet, tmp_path / "a", policy_hash=POLICY, certified_on=CERTIFIED)
    import json

    assert json.loads((path / "manifest.json").read_text(encoding="utf-8"))["pdf_profile"] == PDFA_PROFILE == "PDF/A-2b"
    pdf = (path / "summary-sheet.pdf").read_bytes()
    assert pdfa2b_problems(pdf) == []
    assert pdfa_findings(pdf) == []
    report = verify_archive(path)
    assert report.valid, str(report)
    assert f"PDF is {PDFA_PROFILE}" in report.checked


def test_a_signed_archive_stays_pdfa(sheet: SummarySheet, signer: Signer, tmp_path: Path) -> None:
    path = create_archive(sheet, tmp_path / "s", policy_hash=POLICY, certified_on=CERTIFIED, signer=signer)
    pdf = (path / "summary-sheet.pdf").read_bytes()
    assert pdfa2b_problems(pdf, signed=True) == []
    assert pdfa_findings(pdf, signed=True) == []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert str(document.Root.get("/Version", "/1.7")) <= "/1.7"  # pyHanko asks 2.0 for P-256
        assert "pyHanko" in str(document.docinfo["/Producer"])  # the same in the XMP (checked above)
    assert verify_archive(path, trust_roots=[signer.certificate_der]).valid


def test_only_a_signed_pdf_may_carry_the_signature_form(sheet: SummarySheet, signer: Signer, tmp_path: Path) -> None:
    path = create_archive(sheet, tmp_path / "s", policy_hash=POLICY, certified_on=CERTIFIED, signer=signer)
    pdf = (path / "summary-sheet.pdf").read_bytes()
    assert any("AcroForm" in f for f in pdfa_findings(pdf, signed=False))
    assert "an interactive form in an unsigned sheet" in pdfa2b_problems(pdf, signed=False)


def test_the_signature_form_checker_finds_a_hidden_or_visible_widget(
    sheet: SummarySheet, signer: Signer, tmp_path: Path
) -> None:
    path = create_archive(sheet, tmp_path / "s", policy_hash=POLICY, certified_on=CERTIFIED, signer=signer)
    with pikepdf.open(path / "summary-sheet.pdf") as pdf:
        assert signature_form_findings(pdf) == []
        widget = pdf.Root.AcroForm.Fields[0]
        widget.F = 2
        widget.Rect = [10, 10, 100, 40]
        pdf.Root.AcroForm.NeedAppearances = True
        found = signature_form_findings(pdf)
    assert any("not printable" in f for f in found)
    assert any("Hidden" in f for f in found)
    assert any("without an appearance" in f for f in found)
    assert any("NeedAppearances" in f for f in found)


def test_a_plain_pdf_in_the_archive_is_reported(sheet: SummarySheet, tmp_path: Path) -> None:
    import hashlib
    import json

    path = create_archive(sheet, tmp_path / "a", policy_hash=POLICY, certified_on=CERTIFIED)
    plain = render(sheet, "pdf")
    (path / "summary-sheet.pdf").write_bytes(plain)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["summary-sheet.pdf"] = {"sha256": hashlib.sha256(plain).hexdigest(), "size": len(plain)}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    kinds = verify_archive(path).kinds()
    assert ProblemKind.PDF_NOT_ARCHIVAL in kinds
    assert ProblemKind.PDF_MISMATCH in kinds


# ---------------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> str:
    where = tmp_path_factory.mktemp("demo")
    db = f"sqlite:///{where / 'school.db'}"
    result = CliRunner().invoke(
        cli, ["demo", "--db", db, "--out", str(where / "out"), "--classes", "1", "--students", "8", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    return db


def _label(db: str) -> str:
    """The first class of the demo school (as the CLI's own tests find it)."""
    import json

    return sorted(json.loads(CliRunner().invoke(cli, ["validate", "--db", db, "--format", "json"]).output))[0]


def test_sheet_pdfa_on_the_command_line(school: str, tmp_path: Path) -> None:
    runner = CliRunner()
    plain, archival = tmp_path / "plain.pdf", tmp_path / "archival.pdf"
    label = _label(school)
    first = runner.invoke(cli, ["sheet", "--db", school, "--class", label, "-o", str(plain)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["sheet", "--db", school, "--class", label, "--pdfa", "-o", str(archival)])
    assert second.exit_code == 0, second.output
    assert pdfa2b_problems(archival.read_bytes()) == []
    assert pdfa2b_problems(plain.read_bytes()) != []
    assert font_problems(plain.read_bytes()) == []


def test_sheet_pdfa_is_for_pdf_only(school: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["sheet", "--db", school, "--class", _label(school), "--pdfa", "-o", str(tmp_path / "s.html")]
    )
    assert result.exit_code == 2
    assert "--pdfa is for PDF output" in result.output
