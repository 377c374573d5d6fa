"""One catalog for every text, in three languages; numbers and dates by Babel after the exact rounding."""

from __future__ import annotations

import gettext
import re
import shutil
import string
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ejournal.core
import ejournal.i18n.tool as tool
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import GradedMark, builtin_policy, compute_period_mark
from ejournal.core.grading.explain import Explanation, Note
from ejournal.core.journal import DecisionKind
from ejournal.core.stats import format_decimal
from ejournal.core.summary import DecisionEntry, MovementEntry, MovementKind
from ejournal.core.validation import Finding, Severity
from ejournal.core.validation.findings import Term
from ejournal.i18n import catalog, format_date, format_number, format_percent, rounded
from ejournal.i18n.catalogs import Catalog
from ejournal.i18n.texts import decision_text
from ejournal.render.i18n import catalog as render_catalog
from ejournal.render.tabular import decision_text as sheet_decision_text

LOCALES = ("ru", "tt", "en")
CORE = Path(ejournal.core.__file__).parent
FEDERAL = builtin_policy("federal")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


# ---------------------------------------------------------------------------- the catalogs


def test_every_key_is_in_every_locale() -> None:
    ru = catalog("ru").keys
    assert len(ru) > 400
    for locale in ("tt", "en"):
        assert sorted(ru ^ catalog(locale).keys) == []


@pytest.mark.parametrize("locale", ["tt", "en"])
def test_every_placeholder_of_the_russian_text_is_in_the_translation(locale: str) -> None:
    ru, other = catalog("ru"), catalog(locale)
    wrong = []
    for key in sorted(ru.keys):
        if key.startswith("plural."):
            continue
        want, got = _fields(ru.template(key)), _fields(other.template(key))
        if key == "footer.certified":
            want -= {"words"}  # the number in words exists in Russian only
        if not want <= got <= _fields(ru.template(key)):
            wrong.append((key, sorted(want), sorted(got)))
    assert wrong == []


def test_the_catalog_check_agrees_and_the_template_is_current() -> None:
    assert tool.problems() == []


def test_the_catalog_check_catches_a_missing_key_and_a_lost_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(tool.LOCALE_DIR, tmp_path / "locales")
    tt = tmp_path / "locales" / "tt" / "LC_MESSAGES" / "ejournal.po"
    text = tt.read_text(encoding="utf-8")
    text = text.replace('msgid "check.no_class_teacher"', 'msgid "check.no_such_key"')
    text = text.replace("{student}: «{subject}» фәне буенча еллык билге юк", "«{subject}» фәне буенча еллык билге юк")
    tt.write_text(text, encoding="utf-8")
    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path / "locales")
    monkeypatch.setattr(tool, "TEMPLATE", tmp_path / "locales" / "ejournal.pot")
    found = tool.problems()
    assert "tt: check.no_class_teacher: missing" in found
    assert "tt: check.no_such_key: not in ru.po" in found
    assert any(p.startswith("tt: check.annual_mark_missing: placeholders") for p in found)


def test_the_plural_forms_header_agrees_with_cldr() -> None:
    # The index the Plural-Forms expression gives must mean the same CLDR category for every n.
    from babel import Locale

    for locale in LOCALES:
        po = tool.read(tool.po_file(locale), locale)

        index = gettext.c2py(po.plural_expr)
        meaning: dict[int, str] = {}
        for n in range(1001):
            category = Locale.parse(locale).plural_form(n)
            assert meaning.setdefault(index(n), category) == category, (locale, n)
        assert len(meaning) == po.num_plurals


@pytest.mark.parametrize(("n", "ru", "tt", "en"), [(1, "лист", "бит", "sheet"), (3, "листа", "бит", "sheets")])
def test_plurals_follow_the_catalogs(n: int, ru: str, tt: str, en: str) -> None:
    assert [catalog(loc).plural("plural.sheets", n) for loc in LOCALES] == [ru, tt, en]


def test_every_note_and_reason_the_grading_code_uses_has_a_text() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (CORE / "grading").glob("*.py"))
    notes = set(re.findall(r'Note\.of\(\s*"([a-z_0-9]+)"', source))
    reasons = set(re.findall(r'Excluded\([^()]*(?:\([^()]*\))?[^()]*,\s*"([a-z_]+)"\)', source))
    assert len(notes) > 30
    assert "status" in reasons
    for locale in LOCALES:
        keys = catalog(locale).keys
        assert sorted(n for n in notes if f"explain.note.{n}" not in keys) == []
        assert sorted(r for r in reasons if f"explain.reason.{r}" not in keys) == []


def test_the_old_catalog_api_still_works() -> None:
    assert render_catalog("ru") is catalog("ru")
    handmade = Catalog("ru", {"x": "{n} {w}", "w": {"one": "лист", "few": "листа", "many": "листов"}})
    assert handmade.text("x", n=5, w=handmade.plural("w", 5)) == "5 листов"
    assert handmade.plural("w", 22) == "листа"
    assert catalog("ru").gendered("decision.promoted", "f", grade=10) == "переведена в 10 класс"
    with pytest.raises(InvalidInput, match="no such message"):
        catalog("tt").text("no.such")


@pytest.mark.parametrize("module", ["ejournal.i18n.numbers", "ejournal.i18n.catalogs", "ejournal.i18n.texts"])
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, capture_output=True)


# ---------------------------------------------------------------------------- numbers and dates


def test_half_up_before_babel() -> None:
    from babel.numbers import format_decimal as babel_decimal

    # Babel alone rounds half to even: 4.285 → 4,28 and 0.125 → 0,12.  The project's rule is half up.
    assert babel_decimal(Decimal("4.285"), format="0.00", locale="ru") == "4,28"
    assert format_number(Fraction(4285, 1000), 2, "ru") == "4,29"
    assert format_number(Fraction(1, 8), 2, "ru") == "0,13"
    assert format_number(Fraction(4285, 1000), 2, "tt") == "4,29"
    assert format_number(Fraction(4285, 1000), 2, "en") == "4.29"
    assert format_number(Fraction(-4285, 1000), 2, "ru") == "-4,29"
    assert format_number(Fraction(-1, 1000), 2, "ru") == "0,00"
    assert format_number(Fraction(42899, 10000), 2, "ru", rounding="down") == "4,28"
    assert format_number(5, 2, "ru") == "5,00"
    assert format_number(Fraction(13, 3), None, "ru") == "13/3"
    assert format_number(Fraction(93, 20), None, "ru") == "4,65"


def test_numbers_refuse_floats_and_bad_arguments() -> None:
    with pytest.raises(InvalidInput, match="float"):
        format_number(4.285, 2, "ru")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="places"):
        format_number(Fraction(1, 3), -1, "ru")
    with pytest.raises(InvalidInput, match="locale"):
        format_number(1, 0, "de")
    with pytest.raises(InvalidInput, match="rounding"):
        rounded(1, 0, "even")  # type: ignore[arg-type]


@given(
    st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6),
    st.integers(min_value=0, max_value=4),
    st.sampled_from(LOCALES),
)
def test_format_number_is_decimal_half_up_of_the_exact_value(value: Fraction, places: int, locale: str) -> None:
    with localcontext() as ctx:
        ctx.prec = 60  # exact for a tie (a finite decimal); far from a tie otherwise
        reference = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
        )
    expected = format(reference, "f").lstrip("-") if reference == 0 else format(reference, "f")
    if locale != "en":
        expected = expected.replace(".", ",")
    assert format_number(value, places, locale) == expected
    assert format_decimal(value, places, ",") == expected.replace(".", ",")  # the sheet's own setting


def test_percentages() -> None:
    # 13/16 = 81.25 %: half up gives 81.3 where Babel's half-even alone gives 81.2.
    assert format_percent(Fraction(13, 16), 1, "ru").replace("\xa0", " ") == "81,3 %"
    assert format_percent(Fraction(13, 16), 1, "tt").replace("\xa0", " ") == "81,3 %"
    assert format_percent(Fraction(13, 16), 1, "en") == "81.3%"
    assert format_percent(Fraction(13, 16), 1, "ru", sign=False) == "81,3"
    assert format_percent(1, 0, "en") == "100%"


def test_dates() -> None:
    day = date(2026, 5, 1)
    assert [format_date(day, loc) for loc in LOCALES] == ["01.05.2026", "01.05.2026", "2026-05-01"]
    assert format_date(None, "tt") == ""
    assert catalog("tt").date(day) == "01.05.2026"


# ---------------------------------------------------------------------------- Tatar everywhere


def test_a_validation_message_in_tatar() -> None:
    f = Finding(
        "EJ201",
        Severity.WARNING,
        "too_few_marks_open",
        {"student": "Вәлиев Айдар", "subject": "Математика", "period": "I чирек", "count": 2, "minimum": 3},
    )
    text = f.message("tt")
    assert text == (
        "Вәлиев Айдар: «Математика» фәне буенча «I чирек» чорында 2 билге, "
        "ә аттестация өчен ким дигәндә 3 кирәк (чор әле ачык)."
    )
    assert f.message("tt_RU") == text
    assert f.message("ru") != text


def test_validation_parameters_in_tatar_dates_terms_and_decimals() -> None:
    f = Finding(
        "EJ205",
        Severity.ERROR,
        "result_off_scale",
        {
            "student": "Вәлиев",
            "value": Fraction(9, 2),
            "kind": Term("result.annual"),
            "subject": "Физика",
            "scale": "5",
        },
    )
    assert f.message("tt") == "Вәлиев: 4,50 билгесе (еллык, «Физика») «5» шкаласына керми."
    late = Finding("EJ502", Severity.WARNING, "lesson_without_topic", {"subject": "Физика", "date": date(2025, 9, 2)})
    assert late.message("tt") == "«Физика» фәне буенча 02.09.2025 дәресе: тема күрсәтелмәгән."


def _explanation() -> Explanation:
    marks = [
        GradedMark(5, 2, "test", date(2025, 9, 2), "m1"),
        GradedMark(4, 1, "cw", date(2025, 9, 3), "m2"),
    ]
    result = compute_period_mark(marks, FEDERAL, hours_per_week=2, lessons_total=10, lessons_missed=0)
    return result.explanation


def test_an_explanation_in_tatar() -> None:
    tt = _explanation().render("tt")
    assert tt.startswith("Чор билгесе: 5")
    assert "сәясәт" in tt
    assert "исәпкә алынды (2)" in tt
    assert "4,66" in tt  # the truncated mean with the Tatar decimal comma
    assert "02.09.2025" in tt
    assert "{" not in tt


def test_explanation_numbers_take_the_decimal_comma_in_russian() -> None:
    e = Explanation(
        "annual",
        4,
        "half_up",
        mean=Fraction(107, 25),
        mean_text="4.28",
        threshold=Fraction(7, 2),
        notes=(Note.of("last_period_weight", weight=Fraction(3, 2)),),
    )
    ru, en = e.render("ru"), e.render("en")
    assert "4,28" in ru
    assert "3,5" in ru
    assert "вес последнего периода 1,5" in ru
    assert not re.search(r"\d\.\d", ru)
    assert "4.28" in en
    assert "the last period weighs 1.5" in en


def test_the_diary_in_tatar() -> None:
    from ejournal.core.diary import NextGrade, format_average

    assert format_average(Fraction(4499, 1000), "tt") == "4,49"
    needed = NextGrade(5, True, ((5, "test", "контроль эше"), (5, "test", "контроль эше")))
    assert needed.text("tt") == "«5» өчен тагын 2 билге кирәк: 2 × «5» (контроль эше)."
    assert needed.text("ru") == "Для «5» нужно ещё 2 отметки: 2 × «5» (контроль эше)."


# ---------------------------------------------------------------------------- one wording for the sheet


@pytest.mark.parametrize("kind", list(DecisionKind))
def test_the_snapshot_carries_the_decision_text_the_sheet_prints(kind: DecisionKind) -> None:
    entry = DecisionEntry(kind, date(2026, 5, 28), "7", 9 if kind is DecisionKind.PROMOTED else None)
    printed = sheet_decision_text(entry, render_catalog("ru"))
    data = entry.to_dict()
    assert printed == f"{data['text_ru']} ({data['council_text_ru']})"
    assert printed == decision_text(entry, "ru")
    assert decision_text(entry, "tt") != printed


def test_movement_text_is_the_sheet_wording() -> None:
    left = MovementEntry("s1", "Иванов Иван", MovementKind.DEPARTURE, date(2025, 12, 20), "112")
    came = MovementEntry("s2", "Петрова Анна", MovementKind.ARRIVAL, date(2026, 1, 12), "")
    assert left.text_ru == "выбыл(а) 20.12.2025, приказ № 112"
    assert came.text_ru == "прибыл(а) 12.01.2026"
    assert left.to_dict()["text_ru"] == left.text_ru


def test_a_tatar_validation_report_prints_tatar_messages() -> None:
    from ejournal.core.validation import ValidationReport
    from ejournal.render import render

    finding = Finding("EJ603", Severity.WARNING, "no_class_teacher", {"label": "7А"})
    report = ValidationReport("7А-2025", date(2026, 5, 30), [finding])
    html = render(report, "html", locale="tt").decode()
    assert "7А сыйныфы: сыйныф җитәкчесе күрсәтелмәгән." in html
    assert "кисәтү" in html


def test_a_user_rule_without_tatar_falls_back_to_russian() -> None:
    templates = {"ru": {"friday": "Урок {lesson} в пятницу без задания."}, "en": {"friday": "Lesson {lesson}."}}
    f = Finding("SCH001", Severity.WARNING, "friday", {"lesson": "fri"}, templates=templates)
    assert f.message("tt") == f.message("ru") == "Урок fri в пятницу без задания."
    assert f.message("en") == "Lesson fri."


def test_import_json_adds_only_the_missing_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(tool.LOCALE_DIR, tmp_path / "locales")
    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path / "locales")
    monkeypatch.setattr(tool, "TEMPLATE", tmp_path / "locales" / "ejournal.pot")
    source = tmp_path / "new.json"
    source.write_text(
        '{"sheet.title": "changed", "exam.title": "Экзамен: {subject}",'
        ' "plural.exams": {"one": "экзамен", "few": "экзамена", "many": "экзаменов"}}',
        encoding="utf-8",
    )
    assert tool.import_json("ru", source) == ["exam.title", "plural.exams"]
    ru = {str(m.id if isinstance(m.id, str) else m.id[0]): m.string for m in tool.read(tool.po_file("ru"), "ru")}
    assert ru["exam.title"] == "Экзамен: {subject}"
    assert tuple(ru["plural.exams"]) == ("экзамен", "экзамена", "экзаменов")
    assert ru["sheet.title"] == catalog("ru").text("sheet.title")  # an existing key is kept
    found = tool.problems()
    assert "tt: exam.title: missing" in found
    assert any("out of date" in p for p in found)
    assert tool.import_json("ru", source) == []
