"""The certified archive under attack: every tampering of a signed or unsigned package is reported.

Each case takes a fresh copy of a genuine package, tampers with it the way a forger would (often
also rewriting the manifest's hashes so the cheap checks pass), and must then fail verification
with a clear reason — through :func:`verify_archive` and through ``ejournal archive verify`` (exit
1, one line per problem, no traceback).  The signed package is verified with the director's
certificate as the only trust anchor, as its verifier would.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from signing_kit import make_pkcs12

from ejournal.archive import Signer, create_archive, verify_archive
from ejournal.cli.main import cli
from ejournal.core.grading import builtin_policy
from ejournal.core.summary import SummarySheet
from ejournal.render import render
from ejournal.testing.samples import sample_sheet

CERTIFIED = datetime(2026, 6, 25, tzinfo=UTC).date()
POLICY = "f" * 64
PDF, SNAP, MAN = "summary-sheet.pdf", "snapshot.json", "manifest.json"


@dataclass
class Kit:
    """Genuine packages and what a forger can get hold of."""

    base: Path
    sheet: SummarySheet
    other_sheet: SummarySheet
    signer: Signer
    intruder: Signer
    trust_pem: Path


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Kit:
    base = tmp_path_factory.mktemp("genuine")
    sheet = sample_sheet(students=5, subjects=3, grade=9)
    other = sample_sheet(students=5, subjects=3, grade=9, seed=2)
    signer = Signer.from_pkcs12(make_pkcs12(base / "director.p12", "Директор"), "pw")
    intruder = Signer.from_pkcs12(make_pkcs12(base / "intruder.p12", "Директор"), "pw")  # same name, other key
    pem = base / "director.pem"
    pem.write_bytes(x509.load_der_x509_certificate(signer.certificate_der).public_bytes(serialization.Encoding.PEM))
    stamped = sample_sheet(students=5, subjects=3, grade=9, policy=builtin_policy("federal"))
    for name, s, sig in (("signed", sheet, signer), ("unsigned", sheet, None), ("other", other, None)):
        for suffix in ("", ".zip"):
            create_archive(s, base / (name + suffix), policy_hash=POLICY, certified_on=CERTIFIED, signer=sig)
    create_archive(
        stamped, base / "stamped", policy_hash=builtin_policy("federal").content_hash, certified_on=CERTIFIED
    )
    create_archive(sheet, base / "intruder", policy_hash=POLICY, certified_on=CERTIFIED, signer=intruder)
    return Kit(base, sheet, other, signer, intruder, pem)


# ---------------------------------------------------------------------------- forger's tools


def _load(path: Path) -> dict[str, object]:
    loaded = json.loads((path / MAN).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _save(path: Path, manifest: dict[str, object]) -> None:
    (path / MAN).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _rehash(path: Path, *names: str) -> None:
    """Make the manifest's file hashes agree with changed files."""
    manifest = _load(path)
    files = manifest["files"]
    assert isinstance(files, dict)
    for name in names:
        data = (path / name).read_bytes()
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    _save(path, manifest)


def _edit(path: Path, **fields: object) -> None:
    manifest = _load(path)
    for key, value in fields.items():
        if "__" in key:
            outer, inner = key.split("__")
            record = manifest[outer]
            assert isinstance(record, dict)
            record[inner] = value
        else:
            manifest[key] = value
    _save(path, manifest)


def _flip(path: Path, index: int | None = None, *, marker: bytes | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(marker) if marker is not None else (len(data) // 2 if index is None else index)
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _rezip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    path.unlink()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries:
            zf.writestr(name, data)


def _members(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _central_directory(path: Path) -> int:
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    (offset,) = struct.unpack("<I", data[end + 16 : end + 20])
    return int(offset)


def _other(kit: Kit, name: str, source: str = "other") -> bytes:
    return (kit.base / source / name).read_bytes()


# ---------------------------------------------------------------------------- the cases

Tamper = Callable[[Path, Kit], None]


def _strip_signature(p: Path, k: Kit) -> None:
    (p / PDF).write_bytes(_other(k, PDF, "unsigned"))
    _rehash(p, PDF)
    _edit(p, signature=None)


def _swap_all_and_strip(p: Path, k: Kit) -> None:
    (p / PDF).write_bytes(_other(k, PDF))
    (p / SNAP).write_bytes(_other(k, SNAP))
    (p / MAN).write_bytes(_other(k, MAN))


def _append_update(p: Path, k: Kit) -> None:
    (p / PDF).write_bytes((p / PDF).read_bytes() + b"\n% appended after signing\n")
    _rehash(p, PDF)


def _second_signature(p: Path, k: Kit) -> None:
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    key = signers.SimpleSigner.load_pkcs12(str(k.base / "intruder.p12"), passphrase=b"pw")
    writer = IncrementalPdfFileWriter(io.BytesIO((p / PDF).read_bytes()))
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="second"), signer=key)
    (p / PDF).write_bytes(out.getvalue())
    _rehash(p, PDF)


def _pdf_rendered_otherwise(p: Path, k: Kit) -> None:
    (p / PDF).write_bytes(render(k.sheet, "pdf", locale="en", pdfa=True))
    _rehash(p, PDF)


def _resign_other_rendering(p: Path, k: Kit) -> None:
    """Needs the director's key: a valid trusted signature over a rendering that is not the snapshot's."""
    unsigned = render(k.sheet, "pdf", locale="en", pdfa=True)
    (p / PDF).write_bytes(k.signer.sign(unsigned))
    _edit(
        p,
        signature__unsigned_pdf_sha256=hashlib.sha256(unsigned).hexdigest(),
        signature__unsigned_pdf_size=len(unsigned),
    )
    _rehash(p, PDF)


def _duplicate_entry(p: Path, k: Kit) -> None:
    # a forged first entry (what many unzip tools show) shadowed by the genuine one
    import warnings

    members = _members(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of the duplicate name
        _rezip(p, [(PDF, _other(k, PDF)), *members])


def _zip_flip_name(p: Path, k: Kit) -> None:
    _flip(p, _central_directory(p) + 46)  # the first byte of the first file name


def _zip_flip_crc(p: Path, k: Kit) -> None:
    _flip(p, _central_directory(p) + 16)


def _zip_flip_member(p: Path, k: Kit) -> None:
    _flip(p, len(p.read_bytes()) // 2)


def _zip_append_file(p: Path, k: Kit) -> None:
    with zipfile.ZipFile(p, "a") as zf:
        zf.writestr("readme.txt", b"nothing to see")


def _zip_bomb(p: Path, k: Kit) -> None:
    with (
        zipfile.ZipFile(p, "a", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("padding.bin", "w", force_zip64=True) as out,
    ):
        block = bytes(1024 * 1024)
        for _ in range(300):
            out.write(block)


def _zip_remove(p: Path, k: Kit) -> None:
    _rezip(p, [(n, d) for n, d in _members(p) if n != SNAP])


def _zip_swap_snapshot(p: Path, k: Kit) -> None:
    _rezip(p, [(n, _other(k, SNAP) if n == SNAP else d) for n, d in _members(p)])


CASES: dict[str, tuple[str, Tamper]] = {
    # bytes of the members
    "signed: flip a byte in the PDF": ("signed", lambda p, k: _flip(p / PDF)),
    "signed: flip a byte in the PDF, rehash": ("signed", lambda p, k: (_flip(p / PDF), _rehash(p, PDF))),
    "signed: flip a byte of the PDF's metadata, rehash": (
        "signed",
        lambda p, k: (_flip(p / PDF, marker=b"/EjournalContentHash"), _rehash(p, PDF)),
    ),
    "unsigned: flip a byte in the PDF": ("unsigned", lambda p, k: _flip(p / PDF)),
    "unsigned: flip a byte in the PDF, rehash": ("unsigned", lambda p, k: (_flip(p / PDF), _rehash(p, PDF))),
    "unsigned: flip a byte in the snapshot": ("unsigned", lambda p, k: _flip(p / SNAP)),
    "unsigned: flip a byte in the manifest": ("unsigned", lambda p, k: _flip(p / MAN)),
    "signed: flip a byte in the manifest": ("signed", lambda p, k: _flip(p / MAN)),
    "signed: truncate the PDF, rehash": (
        "signed",
        lambda p, k: ((p / PDF).write_bytes((p / PDF).read_bytes()[:-300]), _rehash(p, PDF)),
    ),
    "unsigned: empty snapshot": ("unsigned", lambda p, k: (p / SNAP).write_bytes(b"")),
    # the ZIP container
    "zip: flip a byte in the central directory's file name": ("signed.zip", _zip_flip_name),
    "zip: flip a byte of a CRC in the central directory": ("signed.zip", _zip_flip_crc),
    "zip: flip a byte inside a compressed member": ("signed.zip", _zip_flip_member),
    "zip: flip a byte inside an unsigned member": ("unsigned.zip", _zip_flip_member),
    "zip: truncated to half": ("signed.zip", lambda p, k: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])),
    "zip: last bytes cut": ("unsigned.zip", lambda p, k: p.write_bytes(p.read_bytes()[:-10])),
    "zip: not a ZIP at all": ("unsigned.zip", lambda p, k: p.write_bytes(b"%PDF-1.4 not a zip")),
    "zip: an unlisted file appended": ("signed.zip", _zip_append_file),
    "zip: two entries named summary-sheet.pdf": ("signed.zip", _duplicate_entry),
    "zip: a member removed": ("unsigned.zip", _zip_remove),
    "zip: a member that unpacks to 300 MB": ("unsigned.zip", _zip_bomb),
    "zip: the snapshot of another sheet": ("unsigned.zip", _zip_swap_snapshot),
    # files of a directory package
    "dir: an unlisted file added": ("signed", lambda p, k: (p / "notes.txt").write_text("x")),
    "dir: a subdirectory added": ("unsigned", lambda p, k: (p / "extra").mkdir()),
    "dir: the PDF removed": ("signed", lambda p, k: (p / PDF).unlink()),
    "dir: the snapshot removed": ("unsigned", lambda p, k: (p / SNAP).unlink()),
    "dir: the manifest removed": ("unsigned", lambda p, k: (p / MAN).unlink()),
    # fields of the manifest
    "unsigned: class_label": ("unsigned", lambda p, k: _edit(p, class_label="9Б")),
    "signed: class_label": ("signed", lambda p, k: _edit(p, class_label="9Б")),
    "unsigned: school": ("unsigned", lambda p, k: _edit(p, school="Другая школа")),
    "unsigned: academic_year": ("unsigned", lambda p, k: _edit(p, academic_year="2024/2025")),
    "unsigned: certified_on with a matching retain_until": (
        "unsigned",
        lambda p, k: _edit(p, certified_on="2026-06-26", retain_until="2051-06-26"),
    ),
    "signed: certified_on with a matching retain_until": (
        "signed",
        lambda p, k: _edit(p, certified_on="2026-06-26", retain_until="2051-06-26"),
    ),
    "unsigned: retention_years alone": ("unsigned", lambda p, k: _edit(p, retention_years=5)),
    "unsigned: retain_until alone": ("unsigned", lambda p, k: _edit(p, retain_until="2031-06-25")),
    "signed: retention_years with a matching retain_until": (
        "signed",
        lambda p, k: _edit(p, retention_years=5, retain_until="2031-06-25"),
    ),
    "unsigned: library_version (to skip re-rendering)": ("unsigned", lambda p, k: _edit(p, library_version="0.0.1")),
    "signed: library_version (to skip re-rendering)": ("signed", lambda p, k: _edit(p, library_version="0.0.1")),
    "unsigned: content_hash": ("unsigned", lambda p, k: _edit(p, content_hash="0" * 64)),
    "unsigned: the PDF's sha256": ("unsigned", lambda p, k: _edit(p, files={PDF: {"sha256": "0" * 64}})),
    "unsigned: the snapshot's size": (
        "unsigned",
        lambda p, k: _edit(p, files={**_load(p)["files"], SNAP: {**_load(p)["files"][SNAP], "size": 1}}),  # type: ignore[dict-item]
    ),
    "stamped: policy_hash": ("stamped", lambda p, k: _edit(p, policy_hash=builtin_policy("strict").content_hash)),
    "signed: policy_hash of an unstamped sheet": ("signed", lambda p, k: _edit(p, policy_hash="e" * 64)),
    "unsigned: policy_hash emptied": ("unsigned", lambda p, k: _edit(p, policy_hash="")),
    "unsigned: locale": ("unsigned", lambda p, k: _edit(p, locale="en")),
    "unsigned: layout": ("unsigned", lambda p, k: _edit(p, layout="subjects_as_rows")),
    "unsigned: an unused scale recorded": (
        "unsigned",
        lambda p, k: _edit(p, scales={"x": {"name": "x", "values": [1, 2], "pass_from": 2, "statuses": []}}),
    ),
    "unsigned: a rerender switch added": ("unsigned", lambda p, k: _edit(p, rerender=False)),
    "signed: a verify switch added": ("signed", lambda p, k: _edit(p, verify_signature=False)),
    "unsigned: format_version": ("unsigned", lambda p, k: _edit(p, format_version=1)),
    "unsigned: pdf_profile": ("unsigned", lambda p, k: _edit(p, pdf_profile="PDF/A-1b")),
    "signed: pdf_profile": ("signed", lambda p, k: _edit(p, pdf_profile="PDF 1.4")),
    "unsigned: manifest not JSON": ("unsigned", lambda p, k: (p / MAN).write_text("{")),
    "unsigned: manifest not an object": ("unsigned", lambda p, k: (p / MAN).write_text("[]")),
    "signed: signer fingerprint": ("signed", lambda p, k: _edit(p, signature__signer_fingerprint_sha256="0" * 64)),
    "signed: signer subject": ("signed", lambda p, k: _edit(p, signature__signer_subject="Министр")),
    "signed: signing time": ("signed", lambda p, k: _edit(p, signature__signed_at="2020-01-01T00:00:00+00:00")),
    "signed: unsigned_pdf_sha256": ("signed", lambda p, k: _edit(p, signature__unsigned_pdf_sha256="0" * 64)),
    # other content
    "unsigned: the PDF rendered otherwise (en), rehash": ("unsigned", _pdf_rendered_otherwise),
    "unsigned: the same sheet as a plain PDF (not PDF/A), rehash": (
        "unsigned",
        lambda p, k: ((p / PDF).write_bytes(render(k.sheet, "pdf")), _rehash(p, PDF)),
    ),
    "unsigned: the PDF of another sheet, rehash": (
        "unsigned",
        lambda p, k: ((p / PDF).write_bytes(_other(k, PDF)), _rehash(p, PDF)),
    ),
    "unsigned: the snapshot of another sheet, rehash and content hash": (
        "unsigned",
        lambda p, k: (
            (p / SNAP).write_bytes(_other(k, SNAP)),
            _rehash(p, SNAP),
            _edit(p, content_hash=k.other_sheet.content_hash),
        ),
    ),
    "signed: the snapshot of another sheet, rehash and content hash": (
        "signed",
        lambda p, k: (
            (p / SNAP).write_bytes(_other(k, SNAP)),
            _rehash(p, SNAP),
            _edit(p, content_hash=k.other_sheet.content_hash),
        ),
    ),
    "signed: re-signed by the director over another rendering": ("signed", _resign_other_rendering),
    # the signature
    'signed: signature stripped, "signature": null': ("signed", _strip_signature),
    "signed: signature stripped, record kept": (
        "signed",
        lambda p, k: ((p / PDF).write_bytes(_other(k, PDF, "unsigned")), _rehash(p, PDF)),
    ),
    "signed: whole package replaced by another unsigned one": ("signed", _swap_all_and_strip),
    'signed: "signature": null over a signed PDF': ("signed", lambda p, k: _edit(p, signature=None)),
    "signed: bytes appended after the signature, rehash": ("signed", _append_update),
    "signed: a second signature by another key, rehash": ("signed", _second_signature),
    "signed: a consistent package signed by a self-made certificate": (
        "intruder",
        lambda p, k: None,
    ),
}


def _prepare(kit: Kit, tmp_path: Path, case: str) -> tuple[Path, bool]:
    scenario, tamper = CASES[case]
    source = kit.base / scenario
    target = tmp_path / ("pkg.zip" if scenario.endswith(".zip") else "pkg")
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copyfile(source, target)
    tamper(target, kit)
    return target, scenario in ("signed", "signed.zip", "intruder")


def test_the_matrix_is_large_enough() -> None:
    assert len(CASES) >= 40


def test_genuine_packages_verify(kit: Kit) -> None:
    trust = [kit.signer.certificate_der]
    for name in ("signed", "signed.zip"):
        assert verify_archive(kit.base / name, trust_roots=trust).valid, name
    for name in ("unsigned", "unsigned.zip", "stamped", "other"):
        assert verify_archive(kit.base / name).valid, name
    result = CliRunner().invoke(cli, ["archive", "verify", str(kit.base / "signed.zip"), "--trust", str(kit.trust_pem)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("case", list(CASES))
def test_tampering_is_reported(kit: Kit, tmp_path: Path, case: str) -> None:
    path, signed = _prepare(kit, tmp_path, case)
    trust = [kit.signer.certificate_der] if signed else None
    report = verify_archive(path, trust_roots=trust)
    assert not report.valid, f"{case}: undetected"
    assert all(p.message.strip() and p.file for p in report.problems)
    args = ["archive", "verify", str(path)] + (["--trust", str(kit.trust_pem)] if signed else [])
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("INVALID")
    assert len(lines) == 1 + len(report.problems)  # one line per problem


def test_every_tampering_is_detected(kit: Kit, tmp_path: Path) -> None:
    """The count over the whole matrix: detected (a failed verification, not an exception) / total."""
    detected, missed = 0, []
    for i, case in enumerate(CASES):
        (tmp_path / str(i)).mkdir()
        path, signed = _prepare(kit, tmp_path / str(i), case)
        try:
            ok = verify_archive(path, trust_roots=[kit.signer.certificate_der] if signed else None).valid
        except Exception as e:  # an exception is not a report
            missed.append(f"{case}: raised {type(e).__name__}")
            continue
        if ok:
            missed.append(case)
        else:
            detected += 1
    assert (detected, missed) == (len(CASES), [])


def test_a_signed_package_without_a_trust_anchor_is_not_accepted(kit: Kit) -> None:
    for name in ("signed", "intruder"):
        report = verify_archive(kit.base / name)
        assert not report.valid
        assert "signature intact, signer not trusted" in str(report)
    result = CliRunner().invoke(cli, ["archive", "verify", str(kit.base / "signed")])
    assert result.exit_code == 1
    assert "signer not trusted" in result.output


def test_require_signature(kit: Kit) -> None:
    trust = [kit.signer.certificate_der]
    unsigned = kit.base / "unsigned"
    assert not verify_archive(unsigned, trust_roots=trust).valid  # on by default with an anchor
    assert verify_archive(unsigned, trust_roots=trust, require_signature=False).valid
    assert not verify_archive(unsigned, require_signature=True).valid
    runner = CliRunner()
    assert runner.invoke(cli, ["archive", "verify", str(unsigned), "--trust", str(kit.trust_pem)]).exit_code == 1
    assert runner.invoke(cli, ["archive", "verify", str(unsigned), "--require-signature"]).exit_code == 1
    ok = runner.invoke(
        cli, ["archive", "verify", str(unsigned), "--trust", str(kit.trust_pem), "--no-require-signature"]
    )
    assert ok.exit_code == 0, ok.output


def test_a_bad_trust_file_is_a_usage_error(kit: Kit, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"not a certificate")
    result = CliRunner().invoke(cli, ["archive", "verify", str(kit.base / "signed"), "--trust", str(junk)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_packages_are_written_for_their_owner_only(kit: Kit, tmp_path: Path, suffix: str) -> None:
    path = create_archive(kit.sheet, tmp_path / ("a" + suffix), policy_hash=POLICY, certified_on=CERTIFIED)
    if suffix:
        assert path.stat().st_mode & 0o777 == 0o600
    else:
        assert path.stat().st_mode & 0o777 == 0o700
        assert {p.name: p.stat().st_mode & 0o777 for p in path.iterdir()} == {PDF: 0o600, SNAP: 0o600, MAN: 0o600}


def test_the_real_command_prints_no_traceback(kit: Kit) -> None:
    """pyHanko logs an untrusted path with its traceback; the command must show one line per problem."""
    import subprocess
    import sys

    args = ["archive", "verify", str(kit.base / "intruder"), "--trust", str(kit.trust_pem)]
    run = subprocess.run(
        [sys.executable, "-c", "from ejournal.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stdout.splitlines()[1:] == [
        line for line in run.stdout.splitlines()[1:] if "signature intact, signer not trusted" in line
    ]
    assert len(run.stdout.splitlines()) == 2
