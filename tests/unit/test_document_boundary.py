"""Values the databases cannot hold, and implausible ones, are refused at the document boundary.

Each is an :class:`InvalidInput` naming the JSON path, never an ``OverflowError`` from a driver, and
an import writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_document import problems_of, raw_doc

from ejournal.core.errors import InvalidInput
from ejournal.storage.document import load_school_year
from ejournal.storage.document._convert import FIELD_BOUNDS, INT_MAX, INT_MIN


def test_a_mark_too_large_for_bigint_is_refused_with_its_path() -> None:
    doc = raw_doc()
    doc["journals"][0]["marks"][0]["value"] = 2**63
    found = problems_of(doc)
    assert "$.journals[0].marks[0].value" in found
    assert "64-bit" in found["$.journals[0].marks[0].value"]


@given(st.integers(min_value=INT_MAX + 1) | st.integers(max_value=INT_MIN - 1))
def test_every_integer_beyond_64_bits_is_refused(value: int) -> None:
    doc = raw_doc()
    doc["journals"][0]["decisions"][0]["to_grade"] = value
    assert set(problems_of(doc)) == {"$.journals[0].decisions[0].to_grade"}


@pytest.mark.parametrize(
    "stamp",
    [
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: OverflowError before
        "9999-12-31T23:00:00-05:00",  # after year 9999 in UTC
        "0999-12-31T23:59:59+00:00",  # before MariaDB's DATETIME range
    ],
)
def test_a_timestamp_the_databases_cannot_hold_is_refused(stamp: str) -> None:
    doc = raw_doc()
    doc["audit"][0]["at"] = stamp
    found = problems_of(doc)
    assert set(found) == {"$.audit[0].at"}
    assert "out of range" in found["$.audit[0].at"]


def test_edge_timestamps_inside_the_range_are_kept() -> None:
    doc = raw_doc()
    doc["audit"][0]["at"] = "1000-01-01T03:00:00+03:00"
    load_school_year(json.dumps(doc, ensure_ascii=False))


@pytest.mark.parametrize(
    ("where", "set_value", "path"),
    [
        (lambda d: d["journals"][0]["lessons"][0], ("number", 21), "$.journals[0].lessons[0].number"),
        (lambda d: d["journals"][0]["lessons"][0], ("number", -1), "$.journals[0].lessons[0].number"),
        (lambda d: d["journals"][0]["subjects"][0], ("order", 10_000), "$.journals[0].subjects[0].order"),
        (lambda d: d["journals"][0]["subjects"][0], ("order", -5), "$.journals[0].subjects[0].order"),
    ],
)
def test_implausible_numbers_are_refused(where: Any, set_value: tuple[str, int], path: str) -> None:
    doc = raw_doc()
    key, value = set_value
    where(doc)[key] = value
    found = problems_of(doc)
    assert set(found) == {path}
    assert "out of range" in found[path]


def test_custom_scale_values_are_bounded_item_by_item() -> None:
    doc = raw_doc()
    scales = doc["journals"][0].get("scales") or doc.get("scales")
    assert scales, "the sample document carries its scales"
    scales[0]["values"] = [*scales[0]["values"], 10**6]
    found = problems_of(doc)
    assert any(p.endswith(f".values[{len(scales[0]['values']) - 1}]") for p in found), found


def test_the_bounds_are_documented() -> None:
    text = (Path(__file__).parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    for (cls, field), (lo, hi) in FIELD_BOUNDS.items():
        assert f"`{cls.__name__}.{field}`: {lo}..{hi}" in text


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["journals"][0]["marks"][0].__setitem__("value", 2**63), "$.journals[0].marks[0].value"),
        (lambda d: d["audit"][0].__setitem__("at", "0001-01-01T00:00:00+14:00"), "$.audit[0].at"),
    ],
)
def test_an_import_of_an_out_of_range_document_writes_nothing(tmp_path: Path, change: Any, path: str) -> None:
    from click.testing import CliRunner

    from ejournal.cli import EXIT_BAD_INPUT, cli
    from ejournal.storage import open as open_storage

    doc = raw_doc()
    change(doc)
    file = tmp_path / "doc.json"
    file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'school.db'}"
    result = CliRunner().invoke(cli, ["import", str(file), "--db", url])
    assert result.exit_code == EXIT_BAD_INPUT, result.output  # was 70 (OverflowError)
    assert path in result.output
    storage = open_storage(url)
    try:
        with storage.unit_of_work() as uow:
            assert uow.schools.list() == []
    finally:
        storage.close()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["journals"][0]["marks"][0].__setitem__("value", 2**63), ("marks", 0, "value")),
        (lambda d: d["journals"][0]["lessons"][0].__setitem__("number", 21), ("lessons", 0, "number")),
        (lambda d: d["journals"][0]["subjects"][0].__setitem__("order", -1), ("subjects", 0, "order")),
        (lambda d: d["journals"][0]["scales"][0]["values"].append(1001), ("scales", 0, "values")),
    ],
)
def test_the_json_schema_has_the_same_bounds(change: Any, where: tuple[str | int, ...]) -> None:
    import jsonschema
    from test_document import _schema

    doc = raw_doc()
    jsonschema.validate(doc, _schema())
    change(doc)
    errors = list(jsonschema.Draft202012Validator(_schema()).iter_errors(doc))
    assert errors
    assert any(tuple(e.absolute_path)[2 : 2 + len(where)] == where for e in errors), [e.absolute_path for e in errors]


# ---------------------------------------------------------------------- class labels
@pytest.mark.parametrize("letter", ["../../etc", "А/Б", "А\\Б", "А\x00", "..", "А\n", "\u202eА", "x" * 17])
def test_a_class_letter_that_cannot_name_a_file_is_refused(letter: str) -> None:
    from ejournal.core.calendar import AcademicYear
    from ejournal.core.model import ClassGroup

    with pytest.raises(InvalidInput, match="letter"):
        ClassGroup("c", 9, letter, AcademicYear(2025))
    doc = raw_doc()
    doc["journals"][0]["class_group"]["letter"] = letter
    assert set(problems_of(doc)) == {"$.journals[0].class_group.letter"}


@pytest.mark.parametrize("letter", ["А", "Ә", "IT-2", "инж.", "Б1", "а б"])
def test_ordinary_class_letters_are_kept(letter: str) -> None:
    from ejournal.core.calendar import AcademicYear
    from ejournal.core.model import ClassGroup

    assert ClassGroup("c", 9, letter, AcademicYear(2025)).label == f"9{letter}"


def _two_classes() -> dict[str, Any]:
    doc = raw_doc()
    twin = json.loads(json.dumps(doc["journals"][0]))
    twin["class_group"]["id"] = "9a-twin"
    doc["journals"].append(twin)
    doc["audit"] = []
    return doc


def test_two_classes_with_the_same_grade_and_letter_are_refused() -> None:
    found = problems_of(_two_classes())
    assert set(found) == {"$.journals[1].class_group.letter"}
    assert "$.journals[0].class_group" in found["$.journals[1].class_group.letter"]


def test_the_same_letter_in_another_grade_is_fine() -> None:
    doc = _two_classes()
    doc["journals"][1]["class_group"]["grade"] = 8
    load_school_year(json.dumps(doc, ensure_ascii=False))


def test_importing_a_class_already_stored_under_another_id_writes_nothing() -> None:
    import attrs

    from ejournal.storage.document import import_school_year
    from ejournal.storage.memory import MemoryStorage

    doc = raw_doc()
    first = load_school_year(json.dumps(doc, ensure_ascii=False))
    storage = MemoryStorage()
    import_school_year(storage, first)
    (journal,) = first.journals.values()
    twin = attrs.evolve(journal.class_group, id="9a-twin")
    doc["journals"][0]["class_group"]["id"] = twin.id
    doc["audit"] = []
    second = load_school_year(json.dumps(doc, ensure_ascii=False))
    with pytest.raises(InvalidInput) as info:
        import_school_year(storage, second)
    assert [p.where for p in info.value.problems] == ["$.journals[0].class_group.letter"]
    with storage.unit_of_work() as uow:
        assert uow.journals.list_ids(first.school.id) == [journal.id]
