"""Export and backup stream from storage into their file: the same bytes as the in-memory
documents, one class journal at a time, and nothing left behind when they fail (issue 12)."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ejournal.core.calendar import AcademicYear
from ejournal.core.errors import InvalidInput
from ejournal.core.journal import ClassJournal
from ejournal.core.model import School, Teacher
from ejournal.core.school_year import SchoolYear
from ejournal.demo import generate_school
from ejournal.storage import open as open_storage
from ejournal.storage.document import (
    backup_storage,
    dump_school_year,
    export_school_year,
    import_school_year,
    write_backup,
    write_export,
)
from ejournal.storage.document._codec import KIND_BACKUP, _converter, encode_json, generator
from ejournal.storage.document._storage import GzipWriter
from ejournal.storage.document.upgrades import FORMAT_VERSION
from ejournal.storage.ports import Storage


@pytest.fixture(scope="module")
def years() -> list[SchoolYear]:
    return generate_school(classes=3, students=45, seed=9, grades=[5, 9, 11])


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path, years: list[SchoolYear]) -> Iterator[Storage]:
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'school.db'}"
    s = open_storage(url)
    for year in years:
        import_school_year(s, year)
    yield s
    s.close()


class _NoSchoolWideLoad:
    """Counts the journals loaded and refuses the school-wide ``list`` load."""

    def __init__(self, storage: Storage, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loaded = 0
        original = storage.unit_of_work

        def unit_of_work() -> object:
            uow = original()
            repo = uow.journals
            get = repo.get

            def counted(school_id: str, journal_id: str) -> ClassJournal:
                self.loaded += 1
                return get(school_id, journal_id)

            def refused(*args: object, **kwargs: object) -> list[ClassJournal]:
                raise AssertionError("a school-wide load")

            monkeypatch.setattr(repo, "get", counted)
            monkeypatch.setattr(repo, "list", refused)
            return uow

        monkeypatch.setattr(storage, "unit_of_work", unit_of_work)


def test_an_export_streams_the_bytes_of_the_in_memory_document(
    storage: Storage, years: list[SchoolYear], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    school = years[-1].school.id
    for sy in years:
        expected = dump_school_year(export_school_year(storage, school, sy.year))
        watch = _NoSchoolWideLoad(storage, monkeypatch)
        plain, packed = tmp_path / f"{sy.year.start_year}.json", tmp_path / f"{sy.year.start_year}.json.gz"
        write_export(storage, school, sy.year, plain)
        write_export(storage, school, sy.year, packed)
        monkeypatch.undo()
        assert plain.read_bytes() == expected
        assert packed.read_bytes() == gzip.compress(expected, compresslevel=6, mtime=0)
        assert watch.loaded == 2 * len(sy.journals)  # one journal at a time, each once per file
        assert stat.S_IMODE(os.stat(plain).st_mode) == 0o600


def _reference_backup(storage: Storage) -> bytes:
    """The bundle built in memory, as the backup was before it streamed."""
    documents, entries = [], []
    with storage.unit_of_work() as uow:
        for school in uow.schools.list():
            teachers = {t.id: t for t in uow.people.list_teachers(school.id)}
            parents = {p.id: p for p in uow.people.list_parents(school.id)}
            audit = uow.audit.query(school.id)
            placed: set[str] = set()
            for year in sorted(uow.journals.years(school.id)):
                journals = uow.journals.list(school.id, year)
                for j in journals:
                    j.school = school
                ids = {j.id for j in journals}
                placed |= ids
                sy = SchoolYear(
                    school,
                    year,
                    teachers,
                    parents,
                    {j.id: j for j in journals},
                    [c for c in audit if c.journal_id in ids],
                )
                documents.append(_converter.unstructure(sy, SchoolYear))
            entries.append(
                {
                    "school": _converter.unstructure(school, School),
                    "teachers": [_converter.unstructure(teachers[k], Teacher) for k in sorted(teachers)],
                    "parents": [_converter.unstructure(parents[k], type(parents[k])) for k in sorted(parents)],
                    "audit": [_converter.unstructure(c, type(c)) for c in audit if c.journal_id not in placed],
                }
            )
    bundle = {
        "format_version": FORMAT_VERSION,
        "kind": KIND_BACKUP,
        "generator": generator(),
        "documents": documents,
        "schools": entries,
    }
    return gzip.compress(encode_json(bundle), compresslevel=6, mtime=0)


def test_a_backup_streams_the_bytes_of_the_in_memory_bundle(
    storage: Storage, years: list[SchoolYear], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _reference_backup(storage)
    assert backup_storage(storage) == expected
    watch = _NoSchoolWideLoad(storage, monkeypatch)
    target = tmp_path / "backup.json.gz"
    size = write_backup(storage, target)
    monkeypatch.undo()
    assert target.read_bytes() == expected
    assert size == len(expected)
    assert watch.loaded == sum(len(sy.journals) for sy in years)


def test_a_backup_of_bad_stored_data_names_the_place_and_leaves_the_old_file(tmp_path: Path) -> None:
    from tests.unit.test_document_storage import school_year

    s = open_storage("memory://")
    sy = school_year(2025)
    import_school_year(s, sy)
    with s.unit_of_work() as uow:  # a naive date-time slipped into storage past the document's checks
        j = uow.journals.get(sy.school.id, next(iter(sy.journals)))
        mark_id = sorted(j.marks)[0]
        j.marks[mark_id] = attrs.evolve(j.marks[mark_id], entered_at=datetime(2025, 9, 2, 10))
        uow.journals.save(j)
        uow.commit()
    target = tmp_path / "backup.json.gz"
    target.write_bytes(b"the previous backup")
    with pytest.raises(InvalidInput) as e:
        write_backup(s, target)
    assert "$.documents[0].journals[0].marks[0].entered_at" in [p.where for p in e.value.problems]
    assert target.read_bytes() == b"the previous backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json.gz"]  # no temporary file left


@settings(max_examples=60)
@given(pieces=st.lists(st.binary(max_size=3000), max_size=12))
def test_gzip_written_in_pieces_is_gzip_of_the_whole(pieces: list[bytes]) -> None:
    out: list[bytes] = []
    gz = GzipWriter(out.append)
    for piece in pieces:
        gz.write(piece)
    gz.close()
    whole = b"".join(pieces)
    assert b"".join(out) == gzip.compress(whole, compresslevel=6, mtime=0)
    assert zlib.decompress(b"".join(out), 31) == whole


def test_a_year_without_classes_streams_the_empty_document(
    storage: Storage, years: list[SchoolYear], tmp_path: Path
) -> None:
    # (the service and the CLI refuse an unknown year; the storage-level writer just has no classes)
    school = years[-1].school.id
    target = tmp_path / "none.json"
    write_export(storage, school, AcademicYear(2031), target)
    assert target.read_bytes() == dump_school_year(export_school_year(storage, school, AcademicYear(2031)))


def test_the_service_hands_out_a_years_journals_one_at_a_time(
    storage: Storage, years: list[SchoolYear], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ejournal.core.grading import builtin_policy
    from ejournal.core.journal import Actor, Role
    from ejournal.service import JournalService

    this = years[-1]
    service = JournalService(storage, builtin_policy("federal"), cache_size=0)
    admin = Actor("admin", Role.ADMINISTRATOR, this.school.id)
    watch = _NoSchoolWideLoad(storage, monkeypatch)
    journals = service.each_journal(admin, this.school.id)
    assert watch.loaded == 0  # nothing is loaded before it is asked for
    first = next(journals)
    assert watch.loaded == 1
    rest = list(journals)
    assert watch.loaded == len(this.journals)
    order = [(j.class_group.grade, j.class_group.letter) for j in [first, *rest]]
    assert order == sorted(order)
    assert {j.id for j in [first, *rest]} == set(this.journals)  # the latest year by default
    # a teacher of none of the classes is handed none of them (each is checked as it is loaded)
    stranger = Actor("t-none", Role.SUBJECT_TEACHER, this.school.id)
    assert list(service.each_journal(stranger, this.school.id)) == []


def test_a_sql_unit_of_work_keeps_the_load_snapshot_only_while_the_journal_lives(
    years: list[SchoolYear], tmp_path: Path
) -> None:
    import gc

    storage = open_storage(f"sqlite:///{tmp_path / 'snap.db'}")
    try:
        for year in years:
            import_school_year(storage, year)
        school = years[-1].school.id
        ids = sorted(years[-1].journals)
        with storage.unit_of_work() as uow:
            kept = uow.journals.get(school, ids[0])
            for jid in ids[1:]:
                uow.journals.get(school, jid)  # read and dropped, as a school-wide job does
            gc.collect()
            held = uow._snapshots  # type: ignore[attr-defined]
            assert set(held) == {(school, ids[0])}  # one snapshot: the journal still in hand
            # the kept journal still saves its difference (its snapshot is the one used)
            kept.version  # noqa: B018 - in use
            assert uow._snapshot((school, ids[0]), kept) is not None  # type: ignore[attr-defined]
            # a copy of it is another object: its save reads the stored state instead
            assert uow._snapshot((school, ids[0]), kept.copy()) is None  # type: ignore[attr-defined]
    finally:
        storage.close()
