"""SummarySheet.from_dict reads back what to_dict wrote, and names the JSON path of bad input."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ResultKind
from ejournal.core.scales import Scale, Status
from ejournal.core.stats import Counting, Denominator, SouVariant, StatsSettings
from ejournal.core.summary import MovementKind, SheetLayout, SummarySheet, build_summary_sheet
from ejournal.i18n import collator
from ejournal.render.samples import sample_journal, sample_sheet
from ejournal.testing.strategies import class_journals


def _round_trip(sheet: SummarySheet) -> None:
    again = SummarySheet.from_dict(sheet.to_dict())
    assert again == sheet
    assert again.content_hash == sheet.content_hash
    parsed = SummarySheet.from_dict(json.loads(sheet.canonical_json()))
    assert parsed == sheet
    assert parsed.canonical_json() == sheet.canonical_json()


@pytest.mark.parametrize(
    ("grade", "kinds"),
    [
        (8, {ResultKind.PERIOD, ResultKind.ANNUAL}),
        (9, {ResultKind.PERIOD, ResultKind.ANNUAL, ResultKind.EXAM, ResultKind.FINAL}),
        (11, {ResultKind.PERIOD, ResultKind.ANNUAL, ResultKind.EXAM, ResultKind.FINAL}),
    ],
)
def test_sheets_of_every_kind_come_back_equal(grade: int, kinds: set[ResultKind]) -> None:
    sheet = sample_sheet(students=8, subjects=19, grade=grade)
    # the fixture has what the round trip must carry: its columns, statuses, movements, decisions
    assert {c.kind for c in sheet.columns} == kinds
    periods = {len(s.periods) for s in sheet.header.schemes}
    assert periods == ({2} if grade == 11 else {4})
    values = {c.value for r in sheet.rows for c in r.cells}
    assert {Status.EXEMPT, Status.NOT_CERTIFIED, None} <= values
    assert {m.kind for m in sheet.movements} == {MovementKind.ARRIVAL, MovementKind.DEPARTURE}
    assert any(r.decision is not None for r in sheet.rows)
    _round_trip(sheet)


def test_half_years_periods_come_back() -> None:
    sheet = sample_sheet(students=5, subjects=4, grade=11)
    periods = [c for c in sheet.subjects[0].columns if c.kind is ResultKind.PERIOD]
    assert [c.label for c in periods] == ["1", "2"]
    _round_trip(sheet)


def test_layout_certification_and_settings_come_back() -> None:
    journal = sample_journal(students=6, subjects=5, grade=9)
    settings = StatsSettings(Denominator.CERTIFIED_ONLY, SouVariant.WEIGHT_7_ON_MARK_ONE, Counting.PER_MARK, 2, 3, ".")
    sheet = build_summary_sheet(
        journal, collator=collator("tt"), settings=settings, layout=SheetLayout.SUBJECTS_AS_ROWS
    )
    assert sheet.certification is None
    _round_trip(sheet)
    _round_trip(sample_sheet(students=4, subjects=3, layout=SheetLayout.SUBJECTS_AS_ROWS))


@given(
    journal=class_journals(max_students=4, max_courses=3),
    layout=st.sampled_from(SheetLayout),
    graduating=st.booleans(),
    language=st.sampled_from(["ru", "tt"]),
)
def test_any_sheet_comes_back_equal(journal: Any, layout: SheetLayout, graduating: bool, language: str) -> None:
    grades = {journal.class_group.grade} if graduating else set()
    sheet = build_summary_sheet(journal, collator=collator(language), layout=layout, graduating_grades=grades)
    _round_trip(sheet)


# ---------------------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded = json.loads(sample_sheet(students=4, subjects=3, grade=9).canonical_json())
    assert isinstance(loaded, dict)
    return loaded


def _fails(data: dict[str, Any], change: Any, where: str, match: str | None = None) -> InvalidInput:
    broken = copy.deepcopy(data)
    change(broken)
    with pytest.raises(InvalidInput, match=match) as caught:
        SummarySheet.from_dict(broken)
    assert caught.value.where == where
    return caught.value


def test_missing_fields_name_their_path(data: dict[str, Any]) -> None:
    _fails(data, lambda d: d["header"].pop("class_label"), "header.class_label", "missing")
    _fails(data, lambda d: d["rows"][2]["cells"][4].pop("value"), "rows[2].cells[4].value", "missing")
    _fails(data, lambda d: d.pop("statistics"), "statistics", "missing")


def test_wrong_types_and_values_name_their_path(data: dict[str, Any]) -> None:
    def set_at(path: list[Any], value: object) -> Any:
        def change(d: Any) -> None:
            for key in path[:-1]:
                d = d[key]
            d[path[-1]] = value

        return change

    _fails(data, set_at(["header", "grade"], "9"), "header.grade", "whole number")
    _fails(data, set_at(["header", "grade"], True), "header.grade", "whole number")
    _fails(data, set_at(["header", "year_start"], "01.09.2025"), "header.year_start", "YYYY-MM-DD")
    _fails(data, set_at(["rows", 1, "cells", 0, "value"], "пять"), "rows[1].cells[0].value", "status code")
    _fails(data, set_at(["rows", 1, "cells", 0, "value"], 4.0), "rows[1].cells[0].value", "whole number")
    _fails(data, set_at(["rows", 0, "cells", 0, "kind"], "weekly"), "rows[0].cells[0].kind", "one of")
    _fails(data, set_at(["rows", 0, "decision", "kind"], "expelled"), "rows[0].decision.kind", "one of")
    _fails(data, set_at(["subjects", 0, "columns"], {}), "subjects[0].columns", "array")
    _fails(data, set_at(["header"], []), "header", "object")
    _fails(data, set_at(["settings", "percent_digits"], 9), "settings.percent_digits", "0 to 6")
    _fails(data, set_at(["layout"], "diagonal"), "layout", "one of")
    stats = ["statistics", "class_columns", 0, "stats"]
    _fails(data, set_at([*stats, "scale_id"], "hundred"), "statistics.class_columns[0].stats.scale_id", "scale")
    _fails(data, set_at([*stats, "grades"], {"5": 1}), "statistics.class_columns[0].stats.grades", "grades")
    _fails(data, set_at([*stats, "missing"], -1), "statistics.class_columns[0].stats.missing", "≥ 0")
    # version 2 (before the per-student class statistics) and a future version are refused, naming this one
    _fails(data, set_at(["format_version"], 3), "format_version", "version 4")
    _fails(data, set_at(["format_version"], 5), "format_version", "version 4")
    # the categories must reconcile with the sheet: a student dropped from the members, or one
    # put into a second disjoint category, is refused by the model's invariant check
    last = len(data["statistics"]["class_columns"]) - 1
    cats = ["statistics", "class_columns", last, "categories"]
    year = data["statistics"]["class_columns"][last]["categories"]
    members = year["members"]
    dropped = _fails(
        data, set_at([*cats, "members"], members[:-1]), f"statistics.class_columns[{last}].categories.assessed"
    )
    assert "not in members" in dropped.reason
    first_good = (year["all_fives"] + year["fours_and_fives"])[0]
    both = sorted({*year["failing"], first_good}, key=members.index)
    _fails(data, set_at([*cats, "failing"], both), f"statistics.class_columns[{last}].categories", "overlap")
    _fails(data, set_at(["format"], "something.else"), "format", "ejournal.summary-sheet")
    with pytest.raises(InvalidInput) as caught:
        SummarySheet.from_dict([])
    assert caught.value.where == "summary_sheet"


def test_rules_of_the_sheet_are_checked(data: dict[str, Any]) -> None:
    _fails(data, lambda d: d["rows"][1].update(number=7), "rows[1].number")
    _fails(data, lambda d: d["rows"][0]["cells"].pop(), "rows[0].cells")


def test_derived_values_must_agree(data: dict[str, Any]) -> None:
    cell = data["rows"][0]["cells"][0]
    other = 2 if cell["value"] != 2 else 3

    def mark_without_its_text(d: Any) -> None:
        d["rows"][0]["cells"][0]["value"] = other

    _fails(data, mark_without_its_text, "rows[0].cells[0].text", "does not agree")
    _fails(data, lambda d: d["rows"][3].update(full_name="Другое Имя"), "rows[3].full_name", "does not agree")
    _fails(
        data,
        lambda d: d["statistics"]["class_columns"][0]["stats"]["display"].update(average_mark="5,00"),
        "statistics.class_columns[0].stats.display.average_mark",
        "does not agree",
    )
    _fails(data, lambda d: d.update(extra=1), "extra", "does not agree")

    def changed_consistently(d: Any) -> None:
        d["rows"][0]["cells"][0]["value"] = other
        d["rows"][0]["cells"][0]["text"] = str(other)

    sheet = SummarySheet.from_dict(_changed(data, changed_consistently))
    assert sheet.rows[0].cells[0].value == other


def _changed(data: dict[str, Any], change: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    change(out)
    return out


def test_custom_scales_are_passed_in() -> None:
    sheet = sample_sheet(students=3, subjects=2, grade=5)
    data = json.loads(sheet.canonical_json())
    for subject in data["statistics"]["subjects"]:
        for column in subject["columns"]:
            column["stats"]["scale_id"] = "five-custom"
    with pytest.raises(InvalidInput, match="unknown scale") as caught:
        SummarySheet.from_dict(data)
    assert caught.value.where == "statistics.subjects[0].columns[0].stats.scale_id"
    custom = Scale("five-custom", "пятибалльная", (1, 2, 3, 4, 5), 3)
    again = SummarySheet.from_dict(data, scales={"five-custom": custom})
    assert again.statistics.subjects[0].stats[0].scale == custom
    assert again.header == sheet.header
    assert again.certification is not None
    assert again.certification.date == date(2026, 6, 25)
