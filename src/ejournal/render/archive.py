"""The certified archive package of a summary sheet, and its verification.

:func:`create_archive` writes, into a directory or a ``.zip`` file:

- ``summary-sheet.pdf`` — the PDF (optionally signed, PAdES, with pyHanko);
- ``snapshot.json`` — the sheet's canonical JSON, the very data the PDF was rendered from;
- ``manifest.json`` — the SHA-256 of each file, the sheet's content hash, the grading policy's
  hash (which must be the one stamped on the sheet, when the sheet records a policy), the
  library version, the certification date, the retention period and, when signed,
  the signer certificate's fingerprint, the signing time and the hash of the PDF as rendered
  before signing.

:func:`verify_archive` checks all of it and returns a :class:`VerificationReport` that is valid
or says exactly what differs: a missing file, a file whose hash changed, a snapshot whose
content no longer matches the content hash or that cannot be read back as a sheet, a PDF that
does not match its snapshot (the sheet is rebuilt from the snapshot with
:meth:`~ejournal.core.summary.SummarySheet.from_dict` and rendered again with the manifest's
options; the bytes must equal the archived PDF, or for a signed PDF hash to the rendering
recorded before signing), a PDF whose embedded content hash is not the manifest's, a manifest
whose policy hash is not the one stamped on the snapshot's sheet, a missing, invalid or foreign
signature.

Signing adds the signing time, so a signed PDF is not byte-identical between runs; the
rendering under the signature is, and the manifest records both.  Without a signature the
manifest itself is not protected: whoever can rewrite all three files can forge the package.
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from attrs import frozen

from ejournal.__about__ import __version__
from ejournal.core.errors import EjournalError, InvalidInput
from ejournal.core.scales import BUILTIN_SCALES, Scale, Status
from ejournal.core.summary import SheetLayout, SummarySheet
from ejournal.render.base import RenderOptions
from ejournal.render.pdf import PdfRenderer
from ejournal.render.pdfdoc import CONTENT_HASH_KEY

__all__ = [
    "MANIFEST_FORMAT",
    "ArchiveProblem",
    "ProblemKind",
    "Signer",
    "VerificationReport",
    "create_archive",
    "verify_archive",
]

MANIFEST_FORMAT = "ejournal.archive"
"""The ``format`` tag of ``manifest.json``."""

PDF_NAME = "summary-sheet.pdf"
SNAPSHOT_NAME = "snapshot.json"
MANIFEST_NAME = "manifest.json"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


class Signer:
    """A key and certificate that sign the archived PDF (PAdES, via pyHanko, the ``sign`` extra).

    Build it with :meth:`from_pkcs12`.  :attr:`fingerprint` is the SHA-256 of the certificate
    (DER, hex), recorded in the manifest as the trusted signer.
    """

    def __init__(self, signer: Any) -> None:
        self._signer = signer

    @classmethod
    def from_pkcs12(cls, path: str | Path, passphrase: bytes | str | None = None) -> Signer:
        """Load a PKCS#12 (``.p12``/``.pfx``) key and certificate.

        Raises :class:`InvalidInput` naming the file when it is missing, the passphrase is wrong or
        pyHanko is not installed.
        """
        try:
            from pyhanko.sign import signers
        except ImportError as e:  # pragma: no cover - pyHanko is installed with ejournal[sign]
            raise InvalidInput("signer", "signing needs pyHanko: install ejournal[sign]", None) from e
        file = Path(path)
        if not file.is_file():
            raise InvalidInput("signer.pkcs12", "file not found", str(file))
        secret = passphrase.encode() if isinstance(passphrase, str) else passphrase
        try:
            loaded = signers.SimpleSigner.load_pkcs12(str(file), passphrase=secret)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError, OSError) as e:
            raise InvalidInput("signer.pkcs12", f"cannot load the key: {e}", str(file)) from e
        if loaded is None:
            raise InvalidInput("signer.pkcs12", "cannot load the key (wrong passphrase or not PKCS#12)", str(file))
        return cls(loaded)

    @property
    def certificate_der(self) -> bytes:
        """The signing certificate, DER-encoded."""
        der: bytes = self._signer.signing_cert.dump()
        return der

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the certificate (hex)."""
        return _sha256(self.certificate_der)

    @property
    def subject(self) -> str:
        """The certificate's subject, human-readable."""
        text: str = self._signer.signing_cert.subject.human_friendly
        return text

    def sign(self, pdf: bytes) -> bytes:
        """``pdf`` with a PAdES signature appended as an incremental update (the original bytes are kept)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        meta = signers.PdfSignatureMetadata(
            field_name="ejournal-certification", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )
        out = signers.sign_pdf(writer, meta, signer=self._signer)
        data: bytes = out.getvalue()
        return data


def _retain_until(certified_on: date, years: int) -> date:
    try:
        return certified_on.replace(year=certified_on.year + years)
    except ValueError:  # 29 February
        return certified_on.replace(year=certified_on.year + years, day=28)


def create_archive(
    sheet: SummarySheet,
    directory_or_zip_path: str | Path,
    *,
    policy_hash: str,
    retention_years: int = 25,
    certified_on: date,
    signer: Signer | None = None,
    locale: str = "ru",
) -> Path:
    """Write the certified package of ``sheet`` and return its path.

    A path ending in ``.zip`` gets a ZIP file (with fixed timestamps); any other path a
    directory (created; it must be empty if it exists).  The PDF is rendered in ``locale`` with
    the sheet's layout.  ``policy_hash`` is the content hash of the grading policy the marks were
    checked against; when the sheet carries a :class:`~ejournal.core.summary.PolicyStamp` it must
    be the stamp's hash.  Raises :class:`InvalidInput` for an empty ``policy_hash``, a
    ``policy_hash`` other than the sheet's stamp (naming both hashes), a retention period below
    1 year, a certification date before the end of the sheet's year's first day,
    or a non-empty target directory, or an existing ZIP file.
    """
    if not isinstance(policy_hash, str) or not policy_hash.strip():
        raise InvalidInput("archive.policy_hash", "the grading policy's hash is required", policy_hash)
    checked_against = sheet.policy
    if checked_against is not None and policy_hash != checked_against.content_hash:
        raise InvalidInput(
            "archive.policy_hash",
            f"is {policy_hash}, but the sheet was checked against grading policy "
            f"{checked_against.name} v{checked_against.version} with hash {checked_against.content_hash}",
            policy_hash,
        )
    if isinstance(retention_years, bool) or not isinstance(retention_years, int) or retention_years < 1:
        raise InvalidInput("archive.retention_years", "must be a whole number of years ≥ 1", retention_years)
    if not isinstance(certified_on, date) or isinstance(certified_on, datetime):
        raise InvalidInput("archive.certified_on", "must be a date", certified_on)
    if certified_on < sheet.header.year_start:
        raise InvalidInput(
            "archive.certified_on", f"precedes the school year {sheet.header.academic_year}", certified_on.isoformat()
        )
    target = Path(directory_or_zip_path)
    options = RenderOptions(locale=locale, layout=sheet.layout)
    unsigned = PdfRenderer().render(sheet, options)
    snapshot = sheet.canonical_json()
    signature: dict[str, object] | None = None
    pdf = unsigned
    if signer is not None:
        pdf = signer.sign(unsigned)
        signature = {
            "type": "PAdES",
            "signer_fingerprint_sha256": signer.fingerprint,
            "signer_subject": signer.subject,
            "signed_at": _signing_time(pdf),
            "unsigned_pdf_sha256": _sha256(unsigned),
            "unsigned_pdf_size": len(unsigned),
        }
    manifest = {
        "format": MANIFEST_FORMAT,
        "format_version": 1,
        "library_version": __version__,
        "school": sheet.header.school_name_ru,
        "class_label": sheet.header.class_label,
        "academic_year": sheet.header.academic_year,
        "content_hash": sheet.content_hash,
        "policy_hash": policy_hash,
        "certified_on": certified_on.isoformat(),
        "retention_years": retention_years,
        "retain_until": _retain_until(certified_on, retention_years).isoformat(),
        "locale": options.locale,
        "layout": sheet.layout.value,
        "scales": _scale_records(sheet),
        "files": {
            PDF_NAME: {"sha256": _sha256(pdf), "size": len(pdf)},
            SNAPSHOT_NAME: {"sha256": _sha256(snapshot), "size": len(snapshot)},
        },
        "signature": signature,
    }
    files = {
        PDF_NAME: pdf,
        SNAPSHOT_NAME: snapshot,
        MANIFEST_NAME: json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n",
    }
    if target.suffix.lower() == ".zip":
        if target.exists():
            raise InvalidInput("archive.path", "the ZIP file exists already", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        stamp = (certified_on.year, certified_on.month, certified_on.day, 0, 0, 0)
        with zipfile.ZipFile(target, "w") as zf:
            for name in (MANIFEST_NAME, SNAPSHOT_NAME, PDF_NAME):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, files[name])
        return target
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidInput("archive.path", "must be a new or empty directory (or a path ending in .zip)", str(target))
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target


def _scale_records(sheet: SummarySheet) -> dict[str, dict[str, object]]:
    """The scales of the sheet's statistics that are not built in, as data (the snapshot names them by id)."""
    used = [st.scale for subject in sheet.statistics.subjects for st in subject.stats]
    used += [column.stats.scale for column in sheet.statistics.class_columns]
    return {
        scale.id: {
            "name": scale.name,
            "values": list(scale.values),
            "pass_from": scale.pass_from,
            "statuses": sorted(status.code for status in scale.statuses),
        }
        for scale in sorted(set(used), key=lambda s: s.id)
        if BUILTIN_SCALES.get(scale.id) != scale
    }


def _scales_from(records: object) -> dict[str, Scale]:
    """The scales recorded by :func:`_scale_records`; raises :class:`InvalidInput` for a bad record."""
    if records is None:
        return {}
    if not isinstance(records, dict):
        raise InvalidInput("manifest.scales", "must be an object", records)
    out: dict[str, Scale] = {}
    for scale_id, record in records.items():
        where = f"manifest.scales.{scale_id}"
        if not isinstance(record, dict):
            raise InvalidInput(where, "must be an object", record)
        try:
            out[scale_id] = Scale(
                scale_id,
                record["name"],
                tuple(record["values"]),
                record["pass_from"],
                frozenset(Status(code) for code in record["statuses"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise InvalidInput(where, f"not a scale: {e}", record) from e
    return out


def _scale_ids(snapshot: object) -> set[str]:
    """The scale ids the statistics of a snapshot name (what :meth:`SummarySheet.from_dict` must know)."""
    ids: set[str] = set()
    statistics = snapshot.get("statistics") if isinstance(snapshot, dict) else None
    if not isinstance(statistics, dict):
        return ids
    blocks: list[object] = []
    for subject in statistics.get("subjects") or []:
        if isinstance(subject, dict):
            blocks += [c.get("stats") for c in subject.get("columns") or [] if isinstance(c, dict)]
    blocks += [c.get("stats") for c in statistics.get("class_columns") or [] if isinstance(c, dict)]
    for stats in blocks:
        if isinstance(stats, dict) and isinstance(stats.get("scale_id"), str):
            ids.add(stats["scale_id"])
    return ids


def _signing_time(pdf: bytes) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader

    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    when = sig.self_reported_timestamp
    return "" if when is None else when.isoformat()


# ---------------------------------------------------------------------------- verification


class ProblemKind(enum.Enum):
    """What is wrong with an archive."""

    MANIFEST_INVALID = "manifest_invalid"
    FILE_MISSING = "file_missing"
    HASH_MISMATCH = "hash_mismatch"
    SNAPSHOT_CHANGED = "snapshot_changed"
    SNAPSHOT_INVALID = "snapshot_invalid"
    POLICY_MISMATCH = "policy_mismatch"
    PDF_MISMATCH = "pdf_mismatch"
    SIGNATURE_MISSING = "signature_missing"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_WRONG_KEY = "signature_wrong_key"
    SIGNATURE_UNEXPECTED = "signature_unexpected"


@frozen
class ArchiveProblem:
    """One problem: its kind, the file it concerns and what differs."""

    kind: ProblemKind
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message} [{self.kind.value}]"


@frozen
class VerificationReport:
    """The result of :func:`verify_archive`: ``valid`` when there are no problems.

    ``manifest`` is the manifest as read (empty when unreadable); ``checked`` names the checks
    that ran.
    """

    path: str
    problems: tuple[ArchiveProblem, ...]
    manifest: Mapping[str, object]
    checked: tuple[str, ...]

    @property
    def valid(self) -> bool:
        """True when every check passed."""
        return not self.problems

    def kinds(self) -> set[ProblemKind]:
        """The kinds of the problems found."""
        return {p.kind for p in self.problems}

    def __str__(self) -> str:
        if self.valid:
            return f"{self.path}: valid ({', '.join(self.checked)})"
        return f"{self.path}: INVALID\n" + "\n".join(f"  {p}" for p in self.problems)


def _read_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return {name: zf.read(name) for name in zf.namelist()}
    raise InvalidInput("archive.path", "not an archive directory or ZIP file", str(path))


def _pdf_content_hash(pdf: bytes) -> str | None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        info = PdfReader(io.BytesIO(pdf)).metadata
    except (PyPdfError, ValueError, KeyError, OSError):
        return None
    if info is None:
        return None
    value = info.get("/" + CONTENT_HASH_KEY)
    return None if value is None else str(value)


def _check_signature(pdf: bytes, expected: Mapping[str, object] | None, problems: list[ArchiveProblem]) -> None:
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    except ImportError:  # pragma: no cover - pyHanko is installed with ejournal[sign]
        if expected is not None:
            problems.append(
                ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "cannot check the signature: pyHanko missing")
            )
        return
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as e:  # pyHanko raises many kinds on a damaged file
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, f"cannot read the PDF: {e}"))
        return
    if expected is None:
        if signatures:
            problems.append(
                ArchiveProblem(
                    ProblemKind.SIGNATURE_UNEXPECTED, PDF_NAME, "signed, but the manifest records no signature"
                )
            )
        return
    if not signatures:
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_MISSING, PDF_NAME, "the manifest expects a signature"))
        return
    sig = signatures[-1]
    fingerprint = _sha256(sig.signer_cert.dump())
    trusted = expected.get("signer_fingerprint_sha256")
    if fingerprint != trusted:
        problems.append(
            ArchiveProblem(
                ProblemKind.SIGNATURE_WRONG_KEY,
                PDF_NAME,
                f"signed by certificate {fingerprint[:16]}…, the manifest trusts {str(trusted)[:16]}…",
            )
        )
    try:
        status = validate_pdf_signature(sig, ValidationContext(trust_roots=[sig.signer_cert]))
    except Exception as e:  # a broken signature makes pyHanko raise rather than report
        problems.append(
            ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, f"the signature cannot be checked: {e}")
        )
        return
    if not (status.intact and status.valid):
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "the signature does not match the PDF"))
    elif status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(
            ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "the PDF was changed after it was signed")
        )


def verify_archive(path: str | Path) -> VerificationReport:
    """Check an archive written by :func:`create_archive` (a directory or a ZIP file).

    Besides the hashes and the signature, the sheet is read back from the snapshot and rendered
    again with the manifest's locale and layout; a rendering that differs from the archived one
    (for a signed PDF: from the hash recorded before signing) is a ``PDF_MISMATCH``, "the PDF
    does not match its snapshot".  That comparison is skipped (and ``checked`` says so) for a
    manifest written by another library version.  When the snapshot's sheet records the grading
    policy its marks were checked against, the manifest's ``policy_hash`` must be that policy's
    hash (else ``POLICY_MISMATCH``).

    Never raises for a damaged archive: every problem is in the report.  Raises
    :class:`InvalidInput` only when ``path`` is neither a directory nor a ZIP file.
    """
    target = Path(path)
    files = _read_files(target)
    problems: list[ArchiveProblem] = []
    checked: list[str] = []

    def report() -> VerificationReport:
        return VerificationReport(str(target), tuple(problems), manifest, tuple(checked))

    manifest: dict[str, Any] = {}
    raw = files.get(MANIFEST_NAME)
    if raw is None:
        problems.append(ArchiveProblem(ProblemKind.FILE_MISSING, MANIFEST_NAME, "the manifest is missing"))
        return report()
    try:
        loaded = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        problems.append(ArchiveProblem(ProblemKind.MANIFEST_INVALID, MANIFEST_NAME, f"not JSON: {e}"))
        return report()
    if (
        not isinstance(loaded, dict)
        or loaded.get("format") != MANIFEST_FORMAT
        or not isinstance(loaded.get("files"), dict)
    ):
        problems.append(ArchiveProblem(ProblemKind.MANIFEST_INVALID, MANIFEST_NAME, "not an ejournal archive manifest"))
        return report()
    manifest = loaded
    checked.append("file hashes")
    for name, entry in sorted(manifest["files"].items()):
        data = files.get(name)
        if data is None:
            problems.append(ArchiveProblem(ProblemKind.FILE_MISSING, name, "listed in the manifest but missing"))
            continue
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        actual = _sha256(data)
        if actual != expected:
            problems.append(
                ArchiveProblem(
                    ProblemKind.HASH_MISMATCH,
                    name,
                    f"SHA-256 is {actual[:16]}…, the manifest says {str(expected)[:16]}…",
                )
            )
    content_hash = manifest.get("content_hash")
    snapshot = files.get(SNAPSHOT_NAME)
    sheet: SummarySheet | None = None
    if snapshot is not None:
        checked.append("snapshot content hash")
        try:
            parsed = json.loads(snapshot)
        except (ValueError, UnicodeDecodeError) as e:
            problems.append(ArchiveProblem(ProblemKind.SNAPSHOT_CHANGED, SNAPSHOT_NAME, f"not JSON: {e}"))
        else:
            recomputed = _sha256(_canonical(parsed))
            if recomputed != content_hash:
                problems.append(
                    ArchiveProblem(
                        ProblemKind.SNAPSHOT_CHANGED,
                        SNAPSHOT_NAME,
                        f"its content hash is {recomputed[:16]}…, the manifest says {str(content_hash)[:16]}…",
                    )
                )
            sheet = _read_back(parsed, manifest, problems, checked)
            _check_policy(parsed, manifest, problems, checked)
    pdf = files.get(PDF_NAME)
    if pdf is not None:
        signature = manifest.get("signature")
        signed = signature if isinstance(signature, dict) else None
        embedded = _pdf_content_hash(pdf)
        mismatch = False
        if sheet is not None:
            mismatch = _check_rendering(sheet, pdf, embedded, manifest, signed, problems, checked)
        checked.append("PDF made from the snapshot")
        if not mismatch and embedded != content_hash:
            problems.append(
                ArchiveProblem(
                    ProblemKind.PDF_MISMATCH,
                    PDF_NAME,
                    f"the PDF was rendered from data with hash {str(embedded)[:16]}…, "
                    f"the manifest says {str(content_hash)[:16]}…",
                )
            )
        checked.append("signature")
        if signed is not None:
            size = signed.get("unsigned_pdf_size")
            if not isinstance(size, int) or _sha256(pdf[:size]) != signed.get("unsigned_pdf_sha256"):
                problems.append(
                    ArchiveProblem(
                        ProblemKind.PDF_MISMATCH, PDF_NAME, "the signed PDF does not start with the rendering"
                    )
                )
        _check_signature(pdf, signed, problems)
    return report()


def _check_policy(
    snapshot: object, manifest: Mapping[str, object], problems: list[ArchiveProblem], checked: list[str]
) -> None:
    """The manifest's ``policy_hash`` must be the hash of the policy stamped on the snapshot's sheet
    (a sheet without a stamp, or a snapshot that is not an object, has nothing to compare)."""
    stamp = snapshot.get("policy") if isinstance(snapshot, dict) else None
    if not isinstance(stamp, dict):
        checked.append("policy hash (skipped: the sheet records no grading policy)")
        return
    checked.append("policy hash")
    stamped = stamp.get("content_hash")
    recorded = manifest.get("policy_hash")
    if recorded != stamped:
        problems.append(
            ArchiveProblem(
                ProblemKind.POLICY_MISMATCH,
                MANIFEST_NAME,
                f"the policy hash is {str(recorded)[:16]}…, the sheet was checked against "
                f"{stamp.get('name')} v{stamp.get('version')} with hash {str(stamped)[:16]}…",
            )
        )


def _read_back(
    snapshot: object, manifest: Mapping[str, object], problems: list[ArchiveProblem], checked: list[str]
) -> SummarySheet | None:
    """The sheet of the snapshot, with the scales the manifest records; ``None`` (and a problem or
    a note in ``checked``) when it cannot be rebuilt."""
    try:
        scales = _scales_from(manifest.get("scales"))
    except InvalidInput as e:
        problems.append(ArchiveProblem(ProblemKind.MANIFEST_INVALID, MANIFEST_NAME, f"{e.where}: {e.reason}"))
        return None
    unknown = sorted(_scale_ids(snapshot) - set(BUILTIN_SCALES) - set(scales))
    if unknown:
        checked.append(f"snapshot read back (skipped: the manifest does not record the scales {', '.join(unknown)})")
        return None
    checked.append("snapshot read back")
    try:
        return SummarySheet.from_dict(snapshot, scales=scales)
    except InvalidInput as e:
        problems.append(
            ArchiveProblem(ProblemKind.SNAPSHOT_INVALID, SNAPSHOT_NAME, f"not a summary sheet: {e.where}: {e.reason}")
        )
        return None


def _check_rendering(
    sheet: SummarySheet,
    pdf: bytes,
    embedded: str | None,
    manifest: Mapping[str, object],
    signed: Mapping[str, object] | None,
    problems: list[ArchiveProblem],
    checked: list[str],
) -> bool:
    """Re-render ``sheet`` with the manifest's options and compare with the archived rendering.

    The archived rendering is the PDF itself, or for a signed PDF the rendering recorded before
    signing (its SHA-256 in the manifest).  Skipped (returns False) when the manifest was written
    by another library version, whose renderer may lay out the same data differently.  Returns
    True when a problem was added.
    """
    version = manifest.get("library_version")
    if version != __version__:
        checked.append(
            f"PDF re-rendered from the snapshot (skipped: made by ejournal {version}, this is {__version__})"
        )
        return False
    checked.append("PDF re-rendered from the snapshot")
    try:
        layout = SheetLayout(manifest.get("layout"))
        options = RenderOptions(locale=str(manifest.get("locale")), layout=layout)
        rendering = PdfRenderer().render(sheet, options)
    except (ValueError, EjournalError) as e:
        problems.append(
            ArchiveProblem(ProblemKind.MANIFEST_INVALID, MANIFEST_NAME, f"cannot re-render the snapshot: {e}")
        )
        return False
    if signed is None:
        if rendering == pdf:
            return False
        detail = _first_difference(rendering, pdf)
    else:
        recorded = signed.get("unsigned_pdf_sha256")
        if _sha256(rendering) == recorded:
            return False
        detail = f"its SHA-256 is {_sha256(rendering)[:16]}…, the manifest records {str(recorded)[:16]}… before signing"
    if embedded != sheet.content_hash:
        detail += f"; the PDF was rendered from data with hash {str(embedded)[:16]}…"
    problems.append(
        ArchiveProblem(
            ProblemKind.PDF_MISMATCH,
            PDF_NAME,
            f"the PDF does not match its snapshot: rendering snapshot.json again gives other bytes ({detail})",
        )
    )
    return True


def _first_difference(expected: bytes, actual: bytes) -> str:
    """Where two renderings part: the first differing byte, or the lengths."""
    for i, (a, b) in enumerate(zip(expected, actual, strict=False)):
        if a != b:
            return f"the first difference is at byte {i}"
    return f"{len(actual)} bytes instead of {len(expected)}"
