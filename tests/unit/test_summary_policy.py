"""The grading policy stamp of a summary sheet: recorded, serialised, hashed and read back.

Expected stamps are derived from the policy itself: its name and version as written in the
profile, and the SHA-256 of its canonical JSON computed here with hashlib.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ejournal.archive import verify_archive
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import GradingPolicy, builtin_policy
from ejournal.core.journal import Actor, ClassJournal, Role
from ejournal.core.summary import FORMAT_VERSION, PolicyStamp, SummarySheet, build_summary_sheet
from ejournal.i18n import collator
from ejournal.service import JournalService
from ejournal.storage.memory import MemoryStorage
from ejournal.testing.samples import sample_journal

RU = collator("ru")


def _sha256_of(policy: GradingPolicy) -> str:
    """The policy's hash as documented: SHA-256 of its canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(policy.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture(scope="module")
def journal() -> ClassJournal:
    return sample_journal(students=5, subjects=3, grade=9)


@pytest.fixture(scope="module")
def federal() -> GradingPolicy:
    return builtin_policy("federal")


@pytest.fixture(scope="module")
def strict() -> GradingPolicy:
    return builtin_policy("strict")


def test_the_stamp_is_in_to_dict(journal: ClassJournal, federal: GradingPolicy) -> None:
    sheet = build_summary_sheet(journal, collator=RU, policy=federal)
    # the profile file says name "federal", version "1"
    assert sheet.to_dict()["policy"] == {"name": "federal", "version": "1", "content_hash": _sha256_of(federal)}
    assert sheet.policy == PolicyStamp("federal", "1", _sha256_of(federal))
    assert sheet.policy.label == f"federal v1 ({_sha256_of(federal)[:8]})"


def test_without_a_policy_the_stamp_is_null(journal: ClassJournal) -> None:
    sheet = build_summary_sheet(journal, collator=RU)
    assert sheet.policy is None
    data = sheet.to_dict()
    assert "policy" in data
    assert data["policy"] is None
    assert json.loads(sheet.canonical_json())["policy"] is None


def test_the_content_hash_covers_the_stamp(
    journal: ClassJournal, federal: GradingPolicy, strict: GradingPolicy
) -> None:
    assert _sha256_of(federal) != _sha256_of(strict)
    by_federal = build_summary_sheet(journal, collator=RU, policy=federal)
    by_strict = build_summary_sheet(journal, collator=RU, policy=strict)
    unstamped = build_summary_sheet(journal, collator=RU)
    assert len({by_federal.content_hash, by_strict.content_hash, unstamped.content_hash}) == 3
    assert by_federal.content_hash == hashlib.sha256(by_federal.canonical_json()).hexdigest()
    assert json.loads(by_strict.canonical_json())["policy"]["content_hash"] == _sha256_of(strict)
    # the same policy gives the same hash; the stamp changes nothing else on the sheet
    assert build_summary_sheet(journal, collator=RU, policy=federal).content_hash == by_federal.content_hash
    rest = [{k: v for k, v in s.to_dict().items() if k != "policy"} for s in (by_federal, by_strict, unstamped)]
    assert rest[0] == rest[1] == rest[2]


def test_an_edited_policy_gives_another_stamp(journal: ClassJournal, federal: GradingPolicy) -> None:
    edited = federal.evolve(edit_window_days=3)
    assert edited.name == federal.name
    assert edited.version == federal.version
    one = build_summary_sheet(journal, collator=RU, policy=federal)
    two = build_summary_sheet(journal, collator=RU, policy=edited)
    assert two.policy is not None
    assert two.policy.content_hash == _sha256_of(edited)
    assert one.content_hash != two.content_hash


@pytest.mark.parametrize("stamped", [True, False])
def test_from_dict_round_trip(journal: ClassJournal, federal: GradingPolicy, stamped: bool) -> None:
    sheet = build_summary_sheet(journal, collator=RU, policy=federal if stamped else None)
    again = SummarySheet.from_dict(json.loads(sheet.canonical_json()))
    assert again == sheet
    assert again.policy == sheet.policy
    assert again.content_hash == sheet.content_hash
    assert SummarySheet.from_dict(sheet.to_dict()).canonical_json() == sheet.canonical_json()


@pytest.fixture(scope="module")
def data(journal: ClassJournal, federal: GradingPolicy) -> dict[str, Any]:
    loaded = json.loads(build_summary_sheet(journal, collator=RU, policy=federal).canonical_json())
    assert isinstance(loaded, dict)
    assert loaded["format_version"] == FORMAT_VERSION == 5
    return loaded


def _fails(data: dict[str, Any], policy: object, where: str, match: str) -> None:
    broken = copy.deepcopy(data)
    if policy is KeyError:
        del broken["policy"]
    else:
        broken["policy"] = policy
    with pytest.raises(InvalidInput, match=match) as caught:
        SummarySheet.from_dict(broken)
    assert caught.value.where == where


def test_a_bad_stamp_names_its_json_path(data: dict[str, Any]) -> None:
    good = data["policy"]
    _fails(data, KeyError, "policy", "missing")
    _fails(data, "federal", "policy", "JSON object")
    _fails(data, {k: v for k, v in good.items() if k != "name"}, "policy.name", "missing")
    _fails(data, {**good, "version": 1}, "policy.version", "string")
    _fails(data, {**good, "name": " "}, "policy.name", "non-empty")
    _fails(data, {**good, "content_hash": good["content_hash"][:63]}, "policy.content_hash", "64 lowercase hex")
    _fails(data, {**good, "content_hash": good["content_hash"].upper()}, "policy.content_hash", "64 lowercase hex")
    _fails(data, {**good, "note": "x"}, "policy.note", "does not agree")


def test_a_consistent_other_stamp_reads_back(data: dict[str, Any]) -> None:
    other = copy.deepcopy(data)
    other["policy"] = {"name": "своя", "version": "2025.1", "content_hash": "ab" * 32}
    sheet = SummarySheet.from_dict(other)
    assert sheet.policy == PolicyStamp("своя", "2025.1", "ab" * 32)
    assert sheet.policy.label == "своя v2025.1 (abababab)"


def test_a_policy_must_be_a_grading_policy(journal: ClassJournal, federal: GradingPolicy) -> None:
    with pytest.raises(InvalidInput) as caught:
        build_summary_sheet(journal, collator=RU, policy="federal")  # type: ignore[arg-type]
    assert caught.value.where == "policy"
    with pytest.raises(InvalidInput) as stamp_instead:
        build_summary_sheet(journal, collator=RU, policy=PolicyStamp.of(federal))  # type: ignore[arg-type]
    assert stamp_instead.value.where == "policy"


def test_the_stamp_checks_its_fields() -> None:
    with pytest.raises(InvalidInput) as caught:
        PolicyStamp("federal", "", "0" * 64)
    assert caught.value.where == "policy.version"
    with pytest.raises(InvalidInput) as caught:
        PolicyStamp("federal", "1", "g" * 64)
    assert caught.value.where == "policy.content_hash"


# ---------------------------------------------------------------------------- the service stamps its policy


def _service(journal: ClassJournal, policy: GradingPolicy) -> JournalService:
    storage = MemoryStorage()
    with storage.unit_of_work() as uow:
        uow.schools.add(journal.school)
        for teacher in journal.teachers.values():
            uow.people.add_teacher(journal.school.id, teacher)
        uow.journals.add(journal)
        uow.commit()
    return JournalService(storage, policy)


def test_the_service_stamps_its_own_policy(strict: GradingPolicy) -> None:
    journal = sample_journal(students=4, subjects=2, grade=9)
    service = _service(journal, strict)
    admin = Actor("director", Role.ADMINISTRATOR, journal.school.id)
    sheet = service.summary_sheet(admin, journal.school.id, journal.id, collator=RU)
    assert sheet.policy == PolicyStamp("strict", strict.version, _sha256_of(strict))
    # the sheet is otherwise the one the core builds
    assert sheet == build_summary_sheet(journal, collator=RU, policy=strict)

    package = service.certify_and_archive(
        admin,
        journal.school.id,
        journal.id,
        Path(tempfile.mkdtemp()) / "archive",
        collator=RU,
        certified_on=date(2026, 6, 25),
        force=True,
    )
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    snapshot = json.loads((package / "snapshot.json").read_text(encoding="utf-8"))
    assert manifest["policy_hash"] == snapshot["policy"]["content_hash"] == _sha256_of(strict)
    report = verify_archive(package)
    assert report.valid, str(report)
    assert "policy hash" in report.checked
