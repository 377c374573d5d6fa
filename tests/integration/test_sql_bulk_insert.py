"""Imports write through each driver's bulk path (issue 12): PostgreSQL streams a large table with
COPY, the others use executemany; what is read back is what was written, on every database."""

from __future__ import annotations

from sqlalchemy import event

from ejournal.core.school_year import SchoolYear
from ejournal.demo import generate_class_journal
from ejournal.storage import open as open_storage
from ejournal.storage.document import import_school_year
from ejournal.storage.sql.journal_io import COPY_FROM


def test_an_import_reads_back_as_written_through_the_bulk_path(db_url: str) -> None:
    journal = generate_class_journal(grade=5, students=12, seed=4)
    sy = SchoolYear(journal.school, journal.class_group.year, dict(journal.teachers), {}, {journal.id: journal})
    assert len(journal.marks) > 10 * COPY_FROM
    storage = open_storage(db_url)
    inserted: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO"):
            inserted.append(statement.split()[2].strip('"`'))

    engine = storage.engine  # type: ignore[attr-defined]
    event.listen(engine, "before_cursor_execute", record)
    try:
        import_school_year(storage, sy)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    try:
        with storage.unit_of_work() as uow:
            back = uow.journals.get(journal.school.id, journal.id)
    finally:
        storage.close()
    assert back.snapshot() == journal.snapshot()
    if db_url.startswith("postgresql"):
        # the marks (thousands of rows) went through COPY, not INSERT; a small table still inserts
        assert "ej_marks" not in inserted
        assert "ej_journals" in inserted
    else:
        assert "ej_marks" in inserted


def test_the_audit_log_reads_page_by_page_as_it_reads_whole(db_url: str) -> None:
    from ejournal.demo import generate_school_year

    sy = generate_school_year(classes=1, students=4, seed=2, grades=[5])  # graded: period marks, annual marks
    assert len(sy.audit) > 20
    storage = open_storage(db_url)
    try:
        import_school_year(storage, sy)
        with storage.unit_of_work() as uow:
            whole = uow.audit.query(sy.school.id)
            for batch in (1, 7, len(whole), len(whole) + 5):  # page edges: every row, odd pages, exact, one page
                assert list(uow.audit.iterate(sy.school.id, batch=batch)) == whole  # type: ignore[attr-defined]
            assert list(uow.audit.iterate("no-such-school")) == []  # type: ignore[attr-defined]
            # the database filters by journal, either way round, page by page
            jid = next(iter(sy.journals))
            mine = [c for c in whole if c.journal_id == jid]
            others = [c for c in whole if c.journal_id != jid]
            assert mine
            assert list(uow.audit.iterate(sy.school.id, journal_ids={jid}, batch=5)) == mine  # type: ignore[attr-defined]
            assert list(uow.audit.iterate(sy.school.id, other_than={jid}, batch=5)) == others  # type: ignore[attr-defined]
    finally:
        storage.close()
