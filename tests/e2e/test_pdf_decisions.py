"""Every council decision and the admission test reach the printed summary sheet (PDF read back as text)."""

from __future__ import annotations

import io
import re
from datetime import date

import pdfplumber

from ejournal.core.journal import Actor, AdmissionTest, AdmissionTestKind, Decision, DecisionKind, Role
from ejournal.core.summary import build_summary_sheet
from ejournal.i18n import collator
from ejournal.render import render
from ejournal.testing.samples import sample_journal

ADMIN = Actor("director", Role.ADMINISTRATOR)


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in doc.pages))


def test_a_grade_nine_row_prints_its_interview_and_both_decisions_with_their_protocols() -> None:
    journal = sample_journal(students=6, subjects=4, grade=9)
    sid = journal.students_in_order()[0].id
    # a failed main date, then a pass on the additional one (the sample has the main date passed)
    journal.admission_tests.clear()
    journal.record_admission_test(
        AdmissionTest(sid, AdmissionTestKind.INTERVIEW, 1, date(2026, 2, 11), False), by=ADMIN
    )
    journal.record_admission_test(AdmissionTest(sid, AdmissionTestKind.INTERVIEW, 2, date(2026, 3, 11), True), by=ADMIN)
    expected = journal.decision_history(sid)
    assert [d.kind for d in expected] == [DecisionKind.ADMITTED_TO_EXAM, DecisionKind.GRADUATED]
    text = _text(render(build_summary_sheet(journal, collator=collator("ru")), "pdf", locale="ru"))
    assert "собеседование: незачёт 11.02.2026, зачёт 11.03.2026" in text
    for d in expected:
        assert f"протокол № {d.protocol} от {d.council_date:%d.%m.%Y}" in text
    admitted = text.index("к ГИА (протокол № 7 от 20.05.2026)")
    graduated = text.index("обучение (протокол № 10 от 25.06.2026)")
    assert admitted < graduated  # one per line, in council order


def test_a_grade_eleven_sheet_prints_the_essay_in_english_too() -> None:
    journal = sample_journal(students=4, subjects=3, grade=11)
    sid = journal.students_in_order()[0].id
    journal.record_decision(Decision(sid, DecisionKind.NOT_ADMITTED_TO_EXAM, date(2026, 5, 21), "8"), by=ADMIN)
    text = _text(render(build_summary_sheet(journal, collator=collator("ru")), "pdf", locale="en"))
    assert "final essay: pass" in text
    assert "not admitted to the state exam" in text
