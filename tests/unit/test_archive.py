"""The certified archive: a fresh package verifies; every kind of tampering is named."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from signing_kit import make_pkcs12

from ejournal.__about__ import __version__
from ejournal.archive import ProblemKind, SignatureStatus, Signer, create_archive, verify_archive
from ejournal.core.errors import InvalidInput
from ejournal.core.grading import builtin_policy
from ejournal.core.summary import SheetLayout, SummarySheet
from ejournal.render import render
from ejournal.render.base import Orientation
from ejournal.testing.samples import sample_sheet

CERTIFIED = date(2026, 6, 25)
POLICY = "f" * 64


@pytest.fixture(scope="module")
def sheet() -> SummarySheet:
    return sample_sheet(students=6, subjects=3, grade=9)


@pytest.fixture(scope="module")
def signer(tmp_path_factory: pytest.TempPathFactory) -> Signer:
    return Signer.from_pkcs12(
        make_pkcs12(tmp_path_factory.mktemp("keys") / "director.p12", "Директор", passphrase=b"secret"), "secret"
    )


@pytest.fixture(scope="module")
def other_signer(tmp_path_factory: pytest.TempPathFactory) -> Signer:
    return Signer.from_pkcs12(
        make_pkcs12(tmp_path_factory.mktemp("keys2") / "other.p12", "Someone else", passphrase=b"secret"), b"secret"
    )


def _make(sheet: SummarySheet, path: Path, signer: Signer | None = None) -> Path:
    return create_archive(sheet, path, policy_hash=POLICY, certified_on=CERTIFIED, signer=signer)


def _manifest(path: Path) -> dict[str, object]:
    loaded = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _rehash(path: Path, name: str) -> None:
    """Make the manifest agree with a changed file (what a careful forger would do)."""
    import hashlib

    manifest = _manifest(path)
    files = manifest["files"]
    assert isinstance(files, dict)
    files[name]["sha256"] = hashlib.sha256((path / name).read_bytes()).hexdigest()
    files[name]["size"] = len((path / name).read_bytes())
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_fresh_archive_is_valid_and_the_manifest_says_what_it_holds(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    report = verify_archive(path)
    assert report.valid, str(report)
    m = _manifest(path)
    assert m["content_hash"] == sheet.content_hash
    assert m["policy_hash"] == POLICY
    assert m["library_version"] == __version__
    assert m["certified_on"] == "2026-06-25"
    assert m["retention_years"] == 25
    assert m["retain_until"] == "2051-06-25"
    assert (path / "snapshot.json").read_bytes() == sheet.canonical_json()
    assert set(m["files"]) == {"summary-sheet.pdf", "snapshot.json"}  # type: ignore[arg-type]
    assert m["scales"] == {}  # only the five-point scale, which is built in


def test_the_same_sheet_gives_the_same_unsigned_package(sheet: SummarySheet, tmp_path: Path) -> None:
    a, b = _make(sheet, tmp_path / "a"), _make(sheet, tmp_path / "b")
    for name in ("summary-sheet.pdf", "snapshot.json", "manifest.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    za, zb = _make(sheet, tmp_path / "a.zip"), _make(sheet, tmp_path / "b.zip")
    assert za.read_bytes() == zb.read_bytes()
    assert verify_archive(za).valid


def test_changed_byte_in_the_pdf(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    pdf = bytearray((path / "summary-sheet.pdf").read_bytes())
    pdf[len(pdf) // 2] ^= 0x01
    (path / "summary-sheet.pdf").write_bytes(bytes(pdf))
    report = verify_archive(path)
    assert not report.valid
    assert [(p.kind, p.file) for p in report.problems if p.kind is ProblemKind.HASH_MISMATCH] == [
        (ProblemKind.HASH_MISMATCH, "summary-sheet.pdf")
    ]


def test_changed_mark_in_the_snapshot(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    data = json.loads((path / "snapshot.json").read_bytes())
    cell = data["rows"][0]["cells"][0]
    cell["value"] = 2 if cell["value"] != 2 else 3
    cell["text"] = str(cell["value"])
    (path / "snapshot.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = verify_archive(path)
    # the PDF, rendered from the original data, no longer matches the changed snapshot either
    assert {(p.kind, p.file) for p in report.problems} == {
        (ProblemKind.HASH_MISMATCH, "snapshot.json"),
        (ProblemKind.SNAPSHOT_CHANGED, "snapshot.json"),
        (ProblemKind.PDF_MISMATCH, "summary-sheet.pdf"),
    }
    # even with the manifest's file hash updated the content hash gives it away
    _rehash(path, "snapshot.json")
    report = verify_archive(path)
    assert [(p.kind, p.file) for p in report.problems] == [
        (ProblemKind.SNAPSHOT_CHANGED, "snapshot.json"),
        (ProblemKind.PDF_MISMATCH, "summary-sheet.pdf"),
    ]
    assert "does not match its snapshot" in str(report)


def test_pdf_of_another_sheet(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    other = _make(sample_sheet(students=6, subjects=3, grade=9, seed=2), tmp_path / "b")
    (path / "summary-sheet.pdf").write_bytes((other / "summary-sheet.pdf").read_bytes())
    _rehash(path, "summary-sheet.pdf")
    report = verify_archive(path)
    assert [(p.kind, p.file) for p in report.problems] == [(ProblemKind.PDF_MISMATCH, "summary-sheet.pdf")]


@pytest.mark.parametrize("name", ["summary-sheet.pdf", "snapshot.json"])
def test_removed_file(sheet: SummarySheet, tmp_path: Path, name: str) -> None:
    path = _make(sheet, tmp_path / "a")
    (path / name).unlink()
    report = verify_archive(path)
    assert (ProblemKind.FILE_MISSING, name) in {(p.kind, p.file) for p in report.problems}
    assert name in str(report)


def test_removed_file_from_a_zip(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a.zip")
    stripped = tmp_path / "b.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w") as dst:
        for item in src.infolist():
            if item.filename != "snapshot.json":
                dst.writestr(item, src.read(item.filename))
    assert [(p.kind, p.file) for p in verify_archive(stripped).problems] == [
        (ProblemKind.FILE_MISSING, "snapshot.json")
    ]


def test_missing_manifest(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    (path / "manifest.json").unlink()
    assert [p.kind for p in verify_archive(path).problems] == [ProblemKind.FILE_MISSING]


def test_signed_archive_verifies_and_records_the_signer(sheet: SummarySheet, signer: Signer, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a", signer)
    report = verify_archive(path, trust_roots=[signer.certificate_der])
    assert report.valid, str(report)
    assert report.signature is SignatureStatus.TRUSTED
    # without a trust anchor the intact signature proves nothing about who signed
    untrusted = verify_archive(path)
    assert untrusted.signature is SignatureStatus.UNTRUSTED
    assert [(p.kind, p.file) for p in untrusted.problems] == [(ProblemKind.SIGNATURE_UNTRUSTED, "summary-sheet.pdf")]
    assert "signature intact, signer not trusted" in str(untrusted)
    sig = _manifest(path)["signature"]
    assert isinstance(sig, dict)
    assert sig["signer_fingerprint_sha256"] == signer.fingerprint
    assert sig["type"] == "PAdES"
    assert sig["signed_at"]
    unsigned = _make(sheet, tmp_path / "u")
    # the signature is an incremental update over the deterministic rendering
    assert (path / "summary-sheet.pdf").read_bytes().startswith((unsigned / "summary-sheet.pdf").read_bytes())


def test_signature_from_another_key(sheet: SummarySheet, signer: Signer, other_signer: Signer, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a", signer)
    unsigned = _make(sheet, tmp_path / "u")
    forged = other_signer.sign((unsigned / "summary-sheet.pdf").read_bytes())
    (path / "summary-sheet.pdf").write_bytes(forged)
    _rehash(path, "summary-sheet.pdf")
    report = verify_archive(path, trust_roots=[signer.certificate_der])
    assert {(p.kind, p.file) for p in report.problems} == {
        (ProblemKind.SIGNATURE_WRONG_KEY, "summary-sheet.pdf"),
        (ProblemKind.SIGNATURE_UNTRUSTED, "summary-sheet.pdf"),
        (ProblemKind.MANIFEST_MISMATCH, "manifest.json"),
    }


def test_signature_removed(sheet: SummarySheet, signer: Signer, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a", signer)
    unsigned = _make(sheet, tmp_path / "u")
    (path / "summary-sheet.pdf").write_bytes((unsigned / "summary-sheet.pdf").read_bytes())
    _rehash(path, "summary-sheet.pdf")
    kinds = [p.kind for p in verify_archive(path).problems]
    assert ProblemKind.SIGNATURE_MISSING in kinds


def test_changed_byte_in_a_signed_pdf_breaks_the_signature(sheet: SummarySheet, signer: Signer, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a", signer)
    pdf = bytearray((path / "summary-sheet.pdf").read_bytes())
    # a digit of the content hash in the document information (which pyHanko's update rewrites
    # in plain text; the PDF/A rendering keeps its objects in compressed object streams)
    index = pdf.index(b"/EjournalContentHash (") + 30
    pdf[index] = ord("X") if pdf[index] != ord("X") else ord("Y")
    (path / "summary-sheet.pdf").write_bytes(bytes(pdf))
    _rehash(path, "summary-sheet.pdf")
    kinds = {p.kind for p in verify_archive(path).problems}
    assert ProblemKind.SIGNATURE_INVALID in kinds or ProblemKind.PDF_MISMATCH in kinds
    assert kinds <= {ProblemKind.SIGNATURE_INVALID, ProblemKind.PDF_MISMATCH}


def _problems(path: Path) -> list[tuple[ProblemKind, str]]:
    return [(p.kind, p.file) for p in verify_archive(path).problems]


def test_fresh_archive_is_re_rendered_byte_for_byte_in_its_recorded_locale(sheet: SummarySheet, tmp_path: Path) -> None:
    path = create_archive(sheet, tmp_path / "tt", policy_hash=POLICY, certified_on=CERTIFIED, locale="tt")
    report = verify_archive(path)
    assert report.valid, str(report)
    assert "PDF re-rendered from the snapshot" in report.checked
    assert _manifest(path)["locale"] == "tt"


@pytest.mark.parametrize(
    "options",
    [{"locale": "en"}, {"layout": SheetLayout.SUBJECTS_AS_ROWS}, {"orientation": Orientation.PORTRAIT}],
    ids=["locale", "layout", "orientation"],
)
def test_pdf_of_the_same_data_rendered_otherwise_does_not_match_its_snapshot(
    sheet: SummarySheet, tmp_path: Path, options: dict[str, object]
) -> None:
    path = _make(sheet, tmp_path / "a")
    other = render(sheet, "pdf", pdfa=True, **options)  # type: ignore[arg-type]
    assert other != (path / "summary-sheet.pdf").read_bytes()
    (path / "summary-sheet.pdf").write_bytes(other)
    _rehash(path, "summary-sheet.pdf")
    # it carries the right content hash, so only re-rendering the snapshot tells
    report = verify_archive(path)
    assert _problems(path) == [(ProblemKind.PDF_MISMATCH, "summary-sheet.pdf")]
    assert "the PDF does not match its snapshot" in report.problems[0].message


def test_signed_rendering_of_the_same_data_otherwise_does_not_match_its_snapshot(
    sheet: SummarySheet, signer: Signer, tmp_path: Path
) -> None:
    import hashlib

    path = _make(sheet, tmp_path / "a", signer)
    unsigned = render(sheet, "pdf", locale="en", pdfa=True)
    (path / "summary-sheet.pdf").write_bytes(signer.sign(unsigned))
    manifest = _manifest(path)
    signature = manifest["signature"]
    assert isinstance(signature, dict)
    signature["unsigned_pdf_sha256"] = hashlib.sha256(unsigned).hexdigest()
    signature["unsigned_pdf_size"] = len(unsigned)
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _rehash(path, "summary-sheet.pdf")
    # the signature is valid, the PDF starts with the recorded rendering, its content hash is right
    report = verify_archive(path, trust_roots=[signer.certificate_der])
    assert {(p.kind, p.file) for p in report.problems} == {
        (ProblemKind.PDF_MISMATCH, "summary-sheet.pdf"),
        (ProblemKind.MANIFEST_MISMATCH, "manifest.json"),  # the signature vouches for no such manifest
    }
    assert "does not match its snapshot" in str(report)


def test_snapshot_that_is_not_a_sheet_is_named_with_its_path(sheet: SummarySheet, tmp_path: Path) -> None:
    import hashlib

    path = _make(sheet, tmp_path / "a")
    data = json.loads((path / "snapshot.json").read_bytes())
    data["rows"][1]["full_name"] = "Подделка Имени"
    changed = sheet_json(data)
    (path / "snapshot.json").write_bytes(changed)
    manifest = _manifest(path)
    manifest["content_hash"] = hashlib.sha256(changed).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _rehash(path, "snapshot.json")
    report = verify_archive(path)
    problems = {(p.kind, p.file) for p in report.problems}
    assert (ProblemKind.SNAPSHOT_INVALID, "snapshot.json") in problems
    assert "rows[1].full_name" in str(report)
    # the PDF carries the original content hash, which the manifest no longer has
    assert problems == {
        (ProblemKind.SNAPSHOT_INVALID, "snapshot.json"),
        (ProblemKind.PDF_MISMATCH, "summary-sheet.pdf"),
    }


def sheet_json(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_claiming_another_library_version_does_not_switch_off_re_rendering(sheet: SummarySheet, tmp_path: Path) -> None:
    path = _make(sheet, tmp_path / "a")
    manifest = _manifest(path)
    manifest["library_version"] = "0.0.1"
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = verify_archive(path)
    # the PDF itself says which version made it; the manifest cannot claim another
    assert [(p.kind, p.file) for p in report.problems] == [(ProblemKind.MANIFEST_MISMATCH, "manifest.json")]
    assert "0.0.1" in str(report)
    assert "PDF re-rendered from the snapshot" in report.checked


def test_a_custom_scale_is_recorded_so_the_snapshot_can_be_read_back(tmp_path: Path) -> None:
    from attrs import evolve

    from ejournal.core.scales import Scale
    from ejournal.core.summary import Certification, build_summary_sheet
    from ejournal.i18n import collator
    from ejournal.testing.samples import sample_journal

    journal = sample_journal(students=5, subjects=3, grade=7)
    custom = Scale("five-school", "школьная пятибалльная", (1, 2, 3, 4, 5), 3)
    journal.scales[custom.id] = custom
    journal.courses["c02"] = evolve(journal.courses["c02"], scale_id=custom.id)
    sheet = build_summary_sheet(
        journal, collator=collator("ru"), certification=Certification.from_journal(journal, CERTIFIED)
    )
    assert any(st.scale == custom for s in sheet.statistics.subjects for st in s.stats)
    path = _make(sheet, tmp_path / "a")
    report = verify_archive(path)
    assert report.valid, str(report)
    assert "PDF re-rendered from the snapshot" in report.checked
    manifest = _manifest(path)
    assert manifest["scales"] == {
        "five-school": {
            "name": "школьная пятибалльная",
            "values": [1, 2, 3, 4, 5],
            "pass_from": 3,
            "statuses": ["н/а", "осв."],
        }
    }
    # a manifest without the record cannot rebuild the sheet: that is a damaged manifest, not a
    # way to switch the re-rendering off
    manifest["scales"] = {}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    report = verify_archive(path)
    assert [(p.kind, p.file) for p in report.problems] == [(ProblemKind.MANIFEST_INVALID, "manifest.json")]
    assert "five-school" in str(report)
    # a damaged record is a damaged manifest
    manifest["scales"] = {"five-school": {"name": "x", "values": [3, 1], "pass_from": 3, "statuses": []}}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _problems(path) == [(ProblemKind.MANIFEST_INVALID, "manifest.json")]


def test_bad_arguments_say_where(sheet: SummarySheet, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="policy_hash"):
        create_archive(sheet, tmp_path / "x", policy_hash="", certified_on=CERTIFIED)
    with pytest.raises(InvalidInput, match="retention_years"):
        create_archive(sheet, tmp_path / "x", policy_hash=POLICY, retention_years=0, certified_on=CERTIFIED)
    path = _make(sheet, tmp_path / "a")
    with pytest.raises(InvalidInput, match="empty directory"):
        _make(sheet, path)
    with pytest.raises(InvalidInput, match="file not found"):
        Signer.from_pkcs12(tmp_path / "nope.p12")
    assert not (tmp_path / "x").exists()


# ---------------------------------------------------------------------------- the grading policy stamp


@pytest.fixture(scope="module")
def stamped() -> SummarySheet:
    return sample_sheet(students=6, subjects=3, grade=9, policy=builtin_policy("federal"))


def _policy_sha256(name: str) -> str:
    """A built-in policy's hash computed here: SHA-256 of its canonical JSON."""
    policy = builtin_policy(name)
    text = json.dumps(policy.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_a_stamped_sheet_archives_with_its_own_policy_hash(stamped: SummarySheet, tmp_path: Path) -> None:
    federal = _policy_sha256("federal")
    path = create_archive(stamped, tmp_path / "a", policy_hash=federal, certified_on=CERTIFIED)
    report = verify_archive(path)
    assert report.valid, str(report)
    assert "policy hash" in report.checked
    assert _manifest(path)["policy_hash"] == federal
    assert json.loads((path / "snapshot.json").read_bytes())["policy"]["content_hash"] == federal


def test_a_policy_hash_other_than_the_stamp_is_refused(stamped: SummarySheet, tmp_path: Path) -> None:
    federal, strict = _policy_sha256("federal"), _policy_sha256("strict")
    for target in (tmp_path / "a", tmp_path / "a.zip"):
        with pytest.raises(InvalidInput) as caught:
            create_archive(stamped, target, policy_hash=strict, certified_on=CERTIFIED)
        assert caught.value.where == "archive.policy_hash"
        assert federal in str(caught.value)
        assert strict in str(caught.value)
        assert not target.exists()


def test_an_unstamped_sheet_takes_any_policy_hash(sheet: SummarySheet, tmp_path: Path) -> None:
    assert sheet.policy is None
    report = verify_archive(_make(sheet, tmp_path / "a"))
    assert report.valid, str(report)
    assert any(c.startswith("policy hash (skipped") for c in report.checked)


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_a_manifest_whose_policy_hash_was_changed(stamped: SummarySheet, tmp_path: Path, suffix: str) -> None:
    federal, strict = _policy_sha256("federal"), _policy_sha256("strict")
    path = create_archive(stamped, tmp_path / "a", policy_hash=federal, certified_on=CERTIFIED)
    manifest = _manifest(path)
    manifest["policy_hash"] = strict
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    target = path
    if suffix:
        target = tmp_path / "a.zip"
        with zipfile.ZipFile(target, "w") as zf:
            for name in ("manifest.json", "snapshot.json", "summary-sheet.pdf"):
                zf.writestr(name, (path / name).read_bytes())
    report = verify_archive(target)
    assert [(p.kind, p.file) for p in report.problems] == [(ProblemKind.POLICY_MISMATCH, "manifest.json")]
    message = report.problems[0].message
    assert strict[:16] in message
    assert federal[:16] in message
    assert "federal v1" in message


def test_the_manifest_records_the_collation_and_the_signature_covers_it(
    sheet: SummarySheet, signer: Signer, tmp_path: Path
) -> None:
    from ejournal.i18n.collation import collator

    engine = collator("ru").engine
    path = create_archive(
        sheet, tmp_path / "s", policy_hash=POLICY, certified_on=CERTIFIED, signer=signer, collation=engine
    )
    assert _manifest(path)["collation"] == engine
    assert _manifest(_make(sheet, tmp_path / "u"))["collation"] == "unrecorded"
    roots = [signer.certificate_der]
    assert verify_archive(path, trust_roots=roots).valid
    manifest = _manifest(path)
    manifest["collation"] = "icu-0.0"  # a forger claims another engine made the order
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    after = verify_archive(path, trust_roots=roots)
    assert not after.valid
    assert ProblemKind.MANIFEST_MISMATCH in after.kinds(), str(after)
    manifest["collation"] = " "
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "collation must name" in str(verify_archive(path))
