"""The demo's ОГЭ conversion tables and exam subjects.

The tables are demonstration data modelled on the shape of ФИПИ's yearly recommendations (the
highest primary score and the lowest scores for a 3, a 4 and a 5); a real school configures its
region's published table in the grading policy's ``[[exams.conversions]]``.
"""

from __future__ import annotations

from ejournal.core.exam_scores import ScoreConversion

__all__ = ["CHOSEN_EXAM_SUBJECTS", "DEMO_CONVERSIONS", "REQUIRED_EXAM_SUBJECTS", "SHARED_EXAMS"]

REQUIRED_EXAM_SUBJECTS: tuple[str, ...] = ("rus", "alg")
"""Exams every graduating student sits: Russian and mathematics (recorded on algebra)."""

SHARED_EXAMS: dict[str, str] = {"geom": "alg"}
"""Courses without an exam of their own that may take another subject's exam: geometry takes the
mathematics exam, where the policy lets one exam enter several courses."""

CHOSEN_EXAM_SUBJECTS: tuple[str, ...] = ("lit", "eng", "inf", "hist", "soc", "geo", "bio", "phys", "chem")
"""Grade 9's exams chosen per student (each student chooses two)."""

DEMO_CONVERSIONS: dict[str, ScoreConversion] = {
    c.subject_id: c
    for c in (
        ScoreConversion("rus", 33, 10, 21, 29, "демонстрационная таблица"),
        ScoreConversion("alg", 31, 8, 15, 22, "демонстрационная таблица (математика)"),
        ScoreConversion("lit", 37, 16, 27, 32, "демонстрационная таблица"),
        ScoreConversion("eng", 68, 29, 46, 58, "демонстрационная таблица"),
        ScoreConversion("inf", 19, 5, 11, 17, "демонстрационная таблица"),
        ScoreConversion("hist", 37, 11, 21, 30, "демонстрационная таблица"),
        ScoreConversion("soc", 37, 14, 24, 32, "демонстрационная таблица"),
        ScoreConversion("geo", 31, 12, 19, 26, "демонстрационная таблица"),
        ScoreConversion("bio", 48, 13, 26, 38, "демонстрационная таблица"),
        ScoreConversion("phys", 45, 11, 23, 34, "демонстрационная таблица"),
        ScoreConversion("chem", 40, 10, 21, 31, "демонстрационная таблица"),
    )
}
"""The demo's primary-score tables by subject id."""
