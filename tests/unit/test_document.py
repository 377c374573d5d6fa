"""The journal document: canonical output, strict validation with JSON paths, versions, files, schema."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

from ejournal.core.calendar import AcademicYear, PeriodScheme, quarters
from ejournal.core.errors import InvalidInput, NotFound, StorageUnavailable
from ejournal.core.journal import (
    Actor,
    AttendanceRecord,
    Change,
    ClassJournal,
    Decision,
    DecisionKind,
    FixedClock,
    Mark,
    ResultMark,
    Role,
)
from ejournal.core.model import (
    AttendanceCode,
    ClassGroup,
    Course,
    Lesson,
    Parent,
    PersonName,
    School,
    Student,
    Subject,
    Teacher,
)
from ejournal.core.scales import Scale, Status, WorkType
from ejournal.core.school_year import SchoolYear
from ejournal.storage.document import (
    FORMAT_VERSION,
    dump_school_year,
    load_school_year,
    read_document,
    schema_path,
    upgrade_document,
    write_document,
)
from ejournal.storage.document._codec import _ClassGroupDoc

YEAR = AcademicYear(2025)
MSK = timezone(timedelta(hours=3))
TEACHER = Actor("t1", Role.SUBJECT_TEACHER)
ADMIN = Actor("a1", Role.ADMINISTRATOR)


def school_year() -> SchoolYear:
    """A small year built through the journal's commands (so its audit log is real)."""
    q = quarters(YEAR)
    school = School("s1", "МБОУ СОШ №1", "1нче урта мәктәп")
    t = Teacher("t1", PersonName("Иванова", "Мария", "Петровна"))
    journal = ClassJournal(
        school,
        ClassGroup("9a", 9, "А", YEAR, "t1"),
        students={
            "st2": Student("st2", PersonName("Әхмәтова", "Гүзәл"), date(2025, 9, 1)),
            "st1": Student("st1", PersonName("Вәлиев", "Айдар", "Ринатович"), date(2025, 9, 1), arrival_order="№5"),
        },
        teachers={"t1": t},
        subjects={"math": Subject("math", "Математика", 1)},
        courses={"c-math": Course("c-math", "math", "t1", Fraction(9, 2), q.id, examined=True)},
        schemes={q.id: q},
        work_types={"test": WorkType("test", "контрольная", "1.5"), "cw": WorkType("cw", "классная", 1)},
        clock=FixedClock(datetime(2025, 9, 2, 10, 15, 30, 123456, tzinfo=MSK)),
    )
    journal.add_lesson(Lesson("l1", "c-math", date(2025, 9, 2), "Дроби", "№1"), by=TEACHER)
    journal.record_mark("st1", "l1", 5, "cw", by=TEACHER)
    journal.record_mark("st2", "l1", 4, "test", by=TEACHER)
    journal.record_attendance("st2", "l1", "б", by=TEACHER)
    journal.close_period("q1", by=ADMIN)
    journal.set_period_mark("st1", "c-math", "q1", Status.NOT_CERTIFIED, by=ADMIN, reason="мало отметок")
    journal.set_decision(Decision("st1", DecisionKind.PROMOTED, date(2026, 5, 28), "12", 10), by=ADMIN)
    parent = Parent("p1", PersonName("Вәлиева", "Гөлнара"), {"st1"})
    return SchoolYear(school, YEAR, {"t1": t}, {"p1": parent}, {journal.id: journal}, list(journal.pending_changes))


def raw_doc() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(dump_school_year(school_year()))
    return result


def problems_of(raw: dict[str, Any] | bytes | str) -> dict[str, str]:
    """where → message of every problem loading ``raw`` raises."""
    data = raw if isinstance(raw, (bytes, str)) else json.dumps(raw, ensure_ascii=False)
    with pytest.raises(InvalidInput) as info:
        load_school_year(data)
    return {p.where: p.message for p in info.value.problems}


# ------------------------------------------------------------------------------------------------ round trip
def test_dump_load_dump_gives_the_same_value_and_the_same_bytes() -> None:
    sy = school_year()
    data = dump_school_year(sy)
    again = load_school_year(data)
    assert again == sy
    assert again.journals["9a"] == sy.journals["9a"]
    assert again.audit == sy.audit
    assert dump_school_year(again) == data


def test_the_envelope_names_version_kind_and_generator() -> None:
    doc = raw_doc()
    assert doc["format_version"] == FORMAT_VERSION == 1
    assert doc["kind"] == "school_year"
    assert doc["generator"].startswith("ejournal ")


def test_output_is_canonical_utf8_json() -> None:
    data = dump_school_year(school_year())
    text = data.decode("utf-8")
    assert "Вәлиев" in text  # not \u-escaped
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    assert "\r" not in text
    assert text.startswith('{\n "audit": [')  # one-space indent, keys sorted
    parsed = json.loads(text)
    # Every audit entry and every record of a journal stands alone on its line, keys sorted.
    lines = text.splitlines()
    for entry in parsed["audit"]:
        assert (
            " " * 2 + json.dumps(entry, ensure_ascii=False, sort_keys=True) in lines
            or (" " * 2 + json.dumps(entry, ensure_ascii=False, sort_keys=True) + ",") in lines
        )
    for mark in parsed["journals"][0]["marks"]:
        line = " " * 4 + json.dumps(mark, ensure_ascii=False, sort_keys=True)
        assert line in lines or line + "," in lines
    # The outer structure is indented one space per level.
    assert ' "journals": [' in lines
    assert "  {" in lines


def test_lists_are_sorted_by_id_whatever_the_insertion_order() -> None:
    journal = raw_doc()["journals"][0]
    # students were inserted st2 then st1; work types test then cw
    assert [s["id"] for s in journal["students"]] == ["st1", "st2"]
    assert [w["id"] for w in journal["work_types"]] == ["cw", "test"]
    assert [c["code"] for c in journal["attendance_codes"]] == sorted(c["code"] for c in journal["attendance_codes"])


def test_audit_keeps_log_order_and_tags_records() -> None:
    audit = raw_doc()["audit"]
    assert [c["action"] for c in audit] == [
        "add_lesson",
        "record_mark",
        "record_mark",
        "record_attendance",
        "close_period",
        "set_result",
        "set_decision",
    ]
    assert [c["after"]["type"] for c in audit] == [
        "lesson",
        "mark",
        "mark",
        "attendance",
        "period_closure",
        "result",
        "decision",
    ]
    assert all(c["before"] is None for c in audit)


def test_values_are_written_exactly() -> None:
    doc = raw_doc()
    journal = doc["journals"][0]
    assert journal["courses"][0]["hours_per_week"] == "4.5"  # 9/2
    assert {w["id"]: w["weight"] for w in journal["work_types"]} == {"cw": "1", "test": "1.5"}
    assert journal["marks"][0]["entered_at"] == "2025-09-02T10:15:30.123456+03:00"
    assert journal["results"][0]["value"] == "н/а"
    assert journal["class_group"] == {"id": "9a", "grade": 9, "letter": "А", "class_teacher_id": "t1"}
    assert doc["year"] == {"start_year": 2025, "start": "2025-09-01", "end": "2026-08-31"}
    assert doc["parents"][0]["children"] == ["st1"]


@pytest.mark.parametrize(
    ("weight", "text"),
    [
        (Fraction(1, 3), "1/3"),
        (Fraction(1, 20), "0.05"),
        (Fraction(7), "7"),
        (Fraction(5, 4), "1.25"),
        (Fraction(2, 7), "2/7"),
    ],
)
def test_fractions_are_decimal_when_exact_else_a_ratio(weight: Fraction, text: str) -> None:
    sy = school_year()
    j = sy.journals["9a"]
    j.work_types["cw"] = WorkType("cw", "классная", weight)
    doc = json.loads(dump_school_year(sy))
    assert doc["journals"][0]["work_types"][0]["weight"] == text
    assert load_school_year(dump_school_year(sy)).journals["9a"].work_types["cw"].weight == weight


def test_a_hand_written_document_may_use_other_exact_forms_and_omit_defaults() -> None:
    doc = raw_doc()
    course = doc["journals"][0]["courses"][0]
    course["hours_per_week"] = "18/4"
    del course["scale_id"], course["examined"], course["exam_scale_id"]
    doc["journals"][0]["results"] = [r for r in doc["journals"][0]["results"] if r["kind"] != "exam"]
    loaded = load_school_year(json.dumps(doc, ensure_ascii=False))
    c = loaded.journals["9a"].courses["c-math"]
    assert c.hours_per_week == Fraction(9, 2)
    assert (c.scale_id, c.examined, c.exam_scale_id) == ("five", False, None)


def test_gzip_input_is_detected() -> None:
    data = dump_school_year(school_year())
    assert load_school_year(gzip.compress(data)) == load_school_year(data)
    assert load_school_year(data.decode("utf-8")) == load_school_year(data)


def test_dump_refuses_a_journal_of_another_school_rather_than_losing_it() -> None:
    sy = school_year()
    sy.journals["9a"].school = School("s1", "Другое название")
    with pytest.raises(InvalidInput) as info:
        dump_school_year(sy)
    assert info.value.where == "$.journals[0]"


# ------------------------------------------------------------------------------------------------ validation
def test_every_problem_is_reported_at_once_with_its_json_path() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["marks"][0]["value"] = 6  # five-point scale
    j["marks"][1]["student_id"] = "ghost"
    j["decisions"][0]["colour"] = "red"
    del j["students"][1]["enrolled"]
    j["subjects"][0]["order"] = "1"
    j["work_types"].append(dict(j["work_types"][0]))
    j["courses"][0]["subject_id"] = "nowhere"
    doc["audit"][0]["at"] = "2025-09-02T10:00:00"  # naive
    doc["teachers"][0]["id"] = 7
    found = problems_of(doc)
    assert set(found) == {
        "$.journals[0].marks[0].value",
        "$.journals[0].marks[1].student_id",
        "$.journals[0].decisions[0].colour",
        "$.journals[0].students[1].enrolled",
        "$.journals[0].subjects[0].order",
        "$.journals[0].work_types[2].id",
        "$.journals[0].courses[0].subject_id",
        "$.audit[0].at",
        "$.teachers[0].id",
    }
    assert found["$.journals[0].marks[0].value"] == "not on scale 'five'"
    assert found["$.journals[0].marks[1].student_id"] == "unknown student"
    assert found["$.journals[0].decisions[0].colour"] == "unknown key"
    assert found["$.journals[0].students[1].enrolled"] == "required key is missing"
    assert found["$.journals[0].work_types[2].id"] == "duplicate of $.journals[0].work_types[0]"
    assert found["$.journals[0].courses[0].subject_id"] == "unknown subject"


def test_dates_outside_the_year_are_refused() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["lessons"][0]["date"] = "2026-09-01"
    j["schemes"][0]["periods"][3]["end"] = "2026-09-30"
    j["decisions"][0]["council_date"] = "2025-08-31"
    found = problems_of(doc)
    assert "$.journals[0].lessons[0].date" in found
    assert "$.journals[0].decisions[0].council_date" in found
    assert "$.journals[0].schemes[0]" in found  # the scheme's periods must lie in the year
    assert "2025/2026" in found["$.journals[0].lessons[0].date"]


def test_a_value_off_the_scale_in_a_result_and_an_exam_without_exam() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["results"][0]["value"] = 7
    j["courses"][0]["examined"] = False
    exam = dict(j["results"][0], kind="exam", period_id="", value=5)
    j["results"].append(exam)
    found = problems_of(doc)
    assert set(found) == {"$.journals[0].results[0].value", "$.journals[0].results[1].kind"}


def test_domain_rules_of_a_record_point_at_the_field() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["students"][0]["left"] = "2025-08-01"  # before enrolment
    j["class_group"]["grade"] = 13
    j["schemes"][0]["periods"][1]["number"] = 0
    found = problems_of(doc)
    assert "$.journals[0].students[0].left" in found
    assert "$.journals[0].class_group.grade" in found
    assert "$.journals[0].schemes[0].periods[1].number" in found


def test_duplicate_journals_and_dangling_audit_entries() -> None:
    doc = raw_doc()
    doc["journals"].append(copy.deepcopy(doc["journals"][0]))
    doc["audit"][1]["journal_id"] = "10b"
    found = problems_of(doc)
    assert found == {
        "$.journals[1].class_group.id": "duplicate of $.journals[0].class_group.id",
        "$.audit[1].journal_id": "unknown journal",
    }


def test_wrong_types_never_slip_through_as_conversions() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["marks"][0]["value"] = 5.0
    j["marks"][1]["value"] = True
    j["courses"][0]["hours_per_week"] = 4.5
    j["courses"][0]["examined"] = 1
    j["lessons"][0]["date"] = "20250902"
    j["closed_periods"] = "q1"
    found = problems_of(doc)
    assert set(found) == {
        "$.journals[0].marks[0].value",
        "$.journals[0].marks[1].value",
        "$.journals[0].courses[0].hours_per_week",
        "$.journals[0].courses[0].examined",
        "$.journals[0].lessons[0].date",
        "$.journals[0].closed_periods",
    }


def test_unknown_and_missing_keys_at_the_top() -> None:
    doc = raw_doc()
    doc["comment"] = "hello"
    del doc["school"]
    assert problems_of(doc) == {"$.comment": "unknown key", "$.school": "required key is missing"}


def test_an_unknown_record_type_in_the_audit() -> None:
    doc = raw_doc()
    doc["audit"][1]["after"]["type"] = "grade"
    assert set(problems_of(doc)) == {"$.audit[1].after.type"}


def test_malformed_json_names_line_and_column() -> None:
    # line 3 holds the stray "}" right after a trailing comma: column 1
    found = problems_of('{\n "kind": "school_year",\n}')
    assert list(found) == ["line 3, column 1"]
    assert found["line 3, column 1"].startswith("malformed JSON")


@pytest.mark.parametrize(
    "data",
    [b"\x1f\x8bnot gzip", b"\xff\xfe{}", b'{"a": NaN}', b'{"a": 1, "a": 2}', b"[]"],
    ids=["broken-gzip", "not-utf8", "nan", "repeated-key", "not-an-object"],
)
def test_undecodable_input_is_invalid_input(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        load_school_year(data)


def test_a_backup_is_not_a_school_year() -> None:
    doc = raw_doc()
    doc["kind"] = "backup"
    assert "restore_storage" in problems_of(doc)["$.kind"]


# ------------------------------------------------------------------------------------------------ versions
def test_a_document_from_a_newer_ejournal_is_refused_clearly() -> None:
    doc = raw_doc()
    doc["format_version"] = FORMAT_VERSION + 1
    found = problems_of(doc)
    assert list(found) == ["$.format_version"]
    assert "newer ejournal" in found["$.format_version"]


def _upgrade_v0_to_v1(doc: dict[str, Any]) -> dict[str, Any]:
    """Fabricated: format 0 called the year "academic_year" and wrote it as a label."""
    label = doc.pop("academic_year")
    doc["year"] = {"start_year": int(label.split("/")[0])}
    return doc


def test_the_upgrade_chain_runs_each_step_and_stamps_the_version() -> None:
    current = raw_doc()
    old = copy.deepcopy(current)
    old["format_version"] = 0
    del old["year"]
    old["academic_year"] = "2025/2026"
    frozen = copy.deepcopy(old)
    upgraded = upgrade_document(old, chain={0: _upgrade_v0_to_v1})
    assert old == frozen  # the input is not modified
    assert upgraded["format_version"] == 1
    assert "academic_year" not in upgraded
    assert load_school_year(json.dumps(upgraded, ensure_ascii=False)) == load_school_year(json.dumps(current))


def test_a_version_without_an_upgrade_step_is_refused() -> None:
    doc = raw_doc()
    doc["format_version"] = 0
    with pytest.raises(InvalidInput) as info:
        upgrade_document(doc)
    assert info.value.where == "$.format_version"
    assert "no upgrade from format 0" in str(info.value)


def test_a_current_document_passes_the_chain_unchanged() -> None:
    doc = raw_doc()
    assert upgrade_document(doc) == doc


# ------------------------------------------------------------------------------------------------ files
def test_write_and_read_a_plain_and_a_gzip_file(tmp_path: Path) -> None:
    sy = school_year()
    plain, packed = tmp_path / "year.json", tmp_path / "year.json.gz"
    write_document(plain, sy)
    write_document(packed, sy)
    assert plain.read_bytes() == dump_school_year(sy)
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert read_document(plain) == sy
    assert read_document(packed) == sy
    first = packed.read_bytes()
    write_document(packed, sy)
    assert packed.read_bytes() == first  # no timestamp in the gzip header
    write_document(tmp_path / "forced", sy, gzip=True)
    assert (tmp_path / "forced").read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forced", "year.json", "year.json.gz"]  # no temp files


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "year.json"
    target.write_text("old", encoding="utf-8")
    sy = school_year()
    sy.journals["9a"].marks["m1"] = attrs.evolve(sy.journals["9a"].marks["m1"], entered_at=datetime(2025, 9, 2))
    with pytest.raises(InvalidInput):
        write_document(target, sy)  # a naive date-time cannot be written
    assert target.read_text(encoding="utf-8") == "old"
    with pytest.raises(StorageUnavailable):
        write_document(tmp_path / "missing-dir" / "year.json", school_year())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["year.json"]


def test_reading_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_document(tmp_path / "nope.json")


# ------------------------------------------------------------------------------------------------ schema
def _schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return result


def test_the_schema_is_valid_draft_2020_12_and_accepts_exported_documents() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(raw_doc())


@pytest.mark.parametrize(
    "where",
    [
        (),
        ("journals", 0),
        ("journals", 0, "marks", 0),
        ("audit", 0, "after"),
        ("school",),
        ("journals", 0, "class_group"),
    ],
)
def test_the_schema_forbids_unknown_keys(where: tuple[str | int, ...]) -> None:
    doc: Any = raw_doc()
    node = doc
    for step in where:
        node = node[step]
    node["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(_schema()).validate(doc)


def test_the_schema_refuses_floats_for_exact_numbers_and_marks() -> None:
    doc = raw_doc()
    doc["journals"][0]["courses"][0]["hours_per_week"] = 4.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(_schema()).validate(doc)
    doc = raw_doc()
    doc["journals"][0]["marks"][0]["value"] = 5.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(_schema()).validate(doc)


@pytest.mark.parametrize(
    ("definition", "cls"),
    [
        ("school", School),
        ("personName", PersonName),
        ("academicYear", AcademicYear),
        ("teacher", Teacher),
        ("parent", Parent),
        ("classGroup", _ClassGroupDoc),
        ("student", Student),
        ("subject", Subject),
        ("course", Course),
        ("periodScheme", PeriodScheme),
        ("scale", Scale),
        ("workType", WorkType),
        ("attendanceCode", AttendanceCode),
        ("lesson", Lesson),
        ("mark", Mark),
        ("attendanceRecord", AttendanceRecord),
        ("resultMark", ResultMark),
        ("decision", Decision),
        ("change", Change),
    ],
)
def test_the_schema_lists_every_field_and_requires_those_without_default(definition: str, cls: type) -> None:
    d = _schema()["$defs"][definition]
    fields = attrs.fields(cls)
    assert set(d["properties"]) == {f.name for f in fields}
    assert set(d["required"]) == {f.name for f in fields if f.default is attrs.NOTHING}


def test_the_schema_lists_every_journal_key() -> None:
    journal = _schema()["$defs"]["journal"]
    # "retakes", "brought_marks", "admission_tests" and "exam_choices" came after format 1 was
    # published: written only when not empty.
    later = {"retakes", "brought_marks", "admission_tests", "exam_choices"}
    assert set(journal["properties"]) == set(raw_doc()["journals"][0]) | later
    assert not later & set(raw_doc()["journals"][0])
    assert set(_schema()["properties"]) == set(raw_doc())


def _property_names(node: object) -> set[str]:
    names: set[str] = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_docs_format_describes_every_key_of_the_schema() -> None:
    text = (Path(__file__).parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    names = _property_names(_schema())
    assert {"format_version", "marks", "entered_at", "council_date", "type"} <= names
    undocumented = sorted(n for n in names if f"`{n}`" not in text and f'`"{n}"`' not in text)
    assert undocumented == []


def test_utc_and_offsets_survive() -> None:
    sy = school_year()
    j = sy.journals["9a"]
    j.marks["m1"] = attrs.evolve(j.marks["m1"], entered_at=datetime(2025, 9, 3, 1, 2, 3, 7, tzinfo=UTC))
    loaded = load_school_year(dump_school_year(sy)).journals["9a"].marks["m1"].entered_at
    assert loaded == datetime(2025, 9, 3, 1, 2, 3, 7, tzinfo=UTC)
    assert loaded.utcoffset() == timedelta(0)


def test_a_broken_class_group_does_not_hide_the_other_problems() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["class_group"]["grade"] = 0
    j["class_group"]["class_teacher_id"] = "t9"
    j["marks"][0]["work_type_id"] = "essay"
    found = problems_of(doc)
    assert set(found) == {
        "$.journals[0].class_group.grade",
        "$.journals[0].class_group.class_teacher_id",
        "$.journals[0].marks[0].work_type_id",
    }


def test_a_reference_to_an_unreadable_item_is_reported_once() -> None:
    doc = raw_doc()
    j = doc["journals"][0]
    j["lessons"][0]["number"] = "first"  # l1 cannot be read; marks and attendance refer to it
    assert set(problems_of(doc)) == {"$.journals[0].lessons[0].number"}
