"""The certified archive package of a summary sheet, and its verification.

:func:`create_archive` writes, into a directory or a ``.zip`` file:

- ``summary-sheet.pdf`` — the PDF, always PDF/A-2b (:mod:`ejournal.render.pdfa`; checked by
  pikepdf's validator before it is written), optionally signed (PAdES, with pyHanko, an
  invisible signature that keeps it PDF/A-2b);
- ``snapshot.json`` — the sheet's canonical JSON, the very data the PDF was rendered from;
- ``manifest.json`` — the SHA-256 of each file, the sheet's content hash, the grading policy's
  hash (which must be the one stamped on the sheet, when the sheet records a policy), the
  library version, the PDF profile (``"PDF/A-2b"``), the certification date, the retention period and, when signed,
  the signer certificate's fingerprint (for information, never trusted), the signing time and
  the hash of the PDF as rendered before signing.  A signed PDF's ``/Reason`` holds the hash of
  the manifest's statement, so the signature covers the manifest too.  Files are written 0600.

:func:`verify_archive` checks all of it and returns a :class:`VerificationReport` that is valid
or says exactly what differs: a missing file, a file whose hash changed, a snapshot whose
content no longer matches the content hash or that cannot be read back as a sheet, a PDF that
does not match its snapshot (the sheet is rebuilt from the snapshot with
:meth:`~ejournal.core.summary.SummarySheet.from_dict` and rendered again with the manifest's
options; the bytes must equal the archived PDF, or for a signed PDF hash to the rendering
recorded before signing), a PDF whose embedded content hash is not the manifest's, a manifest
whose policy hash is not the one stamped on the snapshot's sheet or whose fields disagree with the
snapshot, a PDF that is not PDF/A-2b (pikepdf's validator, and for the signature field the
checks of :func:`ejournal.render.pdfa.pdfa_findings`), unlisted files, a damaged ZIP, a missing,
invalid or untrusted signature.  A signature
is trusted only when it chains to a certificate the verifier passes as ``trust_roots``.

Signing adds the signing time, so a signed PDF is not byte-identical between runs; the
rendering under the signature is, and the manifest records both.  Without a signature the
manifest is not protected: whoever can rewrite all three files consistently can forge the package.
"""

from __future__ import annotations

import enum
import hashlib
import io
import json
import logging
import os
import zipfile
import zlib
from collections.abc import Mapping, Sequence
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
from ejournal.render.pdfa import PDFA_PROFILE, pdfa_findings
from ejournal.render.pdfdoc import CONTENT_HASH_KEY

__all__ = [
    "MANIFEST_FORMAT",
    "ArchiveProblem",
    "ProblemKind",
    "SignatureStatus",
    "Signer",
    "VerificationReport",
    "create_archive",
    "load_trust_roots",
    "verify_archive",
]

MANIFEST_FORMAT = "ejournal.archive"
"""The ``format`` tag of ``manifest.json``."""

MANIFEST_FORMAT_VERSION = 2
"""Version 2: a signed package binds its manifest to the signature (``/Reason``)."""

_REASON_PREFIX = "ejournal archive manifest sha256:"

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
    (DER, hex), recorded in the manifest for information; verification trusts only the anchors
    the verifier names.
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

    def sign(self, pdf: bytes, *, reason: str | None = None) -> bytes:
        """``pdf`` with a PAdES signature appended as an incremental update (the original bytes are kept).

        ``reason`` goes into the signature dictionary (``/Reason``), which the signature covers;
        :func:`create_archive` puts the hash of the manifest's statement there.  The signature is
        invisible and the PDF keeps declaring version 1.7 (see :func:`_archival_writer`), so a
        PDF/A-2b input stays PDF/A-2b.
        """
        from pyhanko.sign import fields, signers

        writer = _archival_writer(pdf)
        meta = signers.PdfSignatureMetadata(
            field_name="ejournal-certification",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
        )
        out = signers.sign_pdf(writer, meta, signer=self._signer)
        data: bytes = out.getvalue()
        return data


_PDF_A2_VERSION = (1, 7)
"""PDF/A-2 is based on PDF 1.7: its files never declare a later version."""


def _archival_writer(pdf: bytes) -> Any:
    """pyHanko's incremental writer over ``pdf`` that keeps the PDF version at 1.7.

    pyHanko declares PDF 2.0 (``/Version`` in the catalog) when the key is on a curve of
    ISO 32002 (e.g. ECDSA P-256), and PDF/A-2 forbids any version above 1.7.  The extension is
    still registered in the catalog's ``/Extensions``, which PDF 1.7 has; the signature itself
    is the same.  The signature field pyHanko adds is invisible (a zero rectangle, no
    appearance), so it draws no text and references no font.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class _PdfA2Writer(IncrementalPdfFileWriter):
        def ensure_output_version(self, version: tuple[int, int]) -> None:
            super().ensure_output_version(min(tuple(version), _PDF_A2_VERSION))  # type: ignore[no-untyped-call]

    return _PdfA2Writer(io.BytesIO(pdf))


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
    collation: str = "",
) -> Path:
    """Write the certified package of ``sheet`` and return its path.

    ``collation`` names the collation that ordered the sheet's students (``collator.engine``,
    e.g. ``"icu-74.2"`` or the UCA's name and tailoring version); the manifest records it
    (``"unrecorded"`` when not given), and the signature covers it.

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
    options = RenderOptions(locale=locale, layout=sheet.layout, pdfa=True)
    unsigned = PdfRenderer().render(sheet, options)
    snapshot = sheet.canonical_json()
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "format_version": MANIFEST_FORMAT_VERSION,
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
        "collation": collation.strip() or "unrecorded",
        "pdf_profile": PDFA_PROFILE,
        "scales": _scale_records(sheet),
        "files": {SNAPSHOT_NAME: {"sha256": _sha256(snapshot), "size": len(snapshot)}},
        "signature": None,
    }
    pdf = unsigned
    if signer is not None:
        manifest["signature"] = {
            "type": "PAdES",
            "signer_fingerprint_sha256": signer.fingerprint,
            "signer_subject": signer.subject,
            "unsigned_pdf_sha256": _sha256(unsigned),
            "unsigned_pdf_size": len(unsigned),
        }
        pdf = signer.sign(unsigned, reason=_REASON_PREFIX + _statement_hash(manifest))
        manifest["signature"]["signed_at"] = _signing_time(pdf)
    manifest["files"][PDF_NAME] = {"sha256": _sha256(pdf), "size": len(pdf)}
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
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name in (MANIFEST_NAME, SNAPSHOT_NAME, PDF_NAME):
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100600 & 0xFFFF) << 16
                zf.writestr(info, files[name])
        _write_private(target, buffer.getvalue())
        return target
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InvalidInput("archive.path", "must be a new or empty directory (or a path ending in .zip)", str(target))
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target, 0o700)
    for name, data in files.items():
        _write_private(target / name, data)
    return target


def _write_private(path: Path, data: bytes) -> None:
    """Write a new file readable by its owner only (mode 0600 from the start, never wider):
    the package holds students' personal data.  A failed write leaves no file behind."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)  # the umask may only narrow it; make it exact
            out.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _statement(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What the signature vouches for: the whole manifest but the parts known only after signing
    (the signed PDF's own hash and size, the signing time)."""
    statement = {key: value for key, value in manifest.items() if key not in ("files", "signature")}
    files = manifest.get("files")
    statement["files"] = {k: v for k, v in files.items() if k != PDF_NAME} if isinstance(files, dict) else files
    signature = manifest.get("signature")
    statement["signature"] = (
        {k: v for k, v in signature.items() if k != "signed_at"} if isinstance(signature, dict) else signature
    )
    return statement


def _statement_hash(manifest: Mapping[str, Any]) -> str:
    return _sha256(_canonical(_statement(manifest)))


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

    ARCHIVE_INVALID = "archive_invalid"
    UNLISTED_FILE = "unlisted_file"
    MANIFEST_INVALID = "manifest_invalid"
    MANIFEST_MISMATCH = "manifest_mismatch"
    FILE_MISSING = "file_missing"
    HASH_MISMATCH = "hash_mismatch"
    SNAPSHOT_CHANGED = "snapshot_changed"
    SNAPSHOT_INVALID = "snapshot_invalid"
    POLICY_MISMATCH = "policy_mismatch"
    PDF_MISMATCH = "pdf_mismatch"
    PDF_NOT_ARCHIVAL = "pdf_not_archival"
    SIGNATURE_MISSING = "signature_missing"
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_UNTRUSTED = "signature_untrusted"
    SIGNATURE_WRONG_KEY = "signature_wrong_key"
    SIGNATURE_UNEXPECTED = "signature_unexpected"


class SignatureStatus(enum.Enum):
    """What the signature check found: no signature, intact and trusted (by an anchor the
    verifier named), intact but the signer not trusted, or broken."""

    ABSENT = "absent"
    TRUSTED = "trusted"
    UNTRUSTED = "untrusted"
    BROKEN = "broken"


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
    that ran; ``signature`` says what the signature check found.
    """

    path: str
    problems: tuple[ArchiveProblem, ...]
    manifest: Mapping[str, object]
    checked: tuple[str, ...]
    signature: SignatureStatus = SignatureStatus.ABSENT

    @property
    def valid(self) -> bool:
        """True when every check passed."""
        return not self.problems

    def kinds(self) -> set[ProblemKind]:
        """The kinds of the problems found."""
        return {p.kind for p in self.problems}

    def __str__(self) -> str:
        if self.valid:
            return f"{self.path}: valid, signature {self.signature.value} ({', '.join(self.checked)})"
        return f"{self.path}: INVALID\n" + "\n".join(f"  {p}" for p in self.problems)


def load_trust_roots(items: Sequence[bytes | str | Path]) -> list[Any]:
    """The certificates of ``items`` (PEM or DER bytes, or paths of such files), for
    :func:`verify_archive`'s ``trust_roots``.

    Raises :class:`InvalidInput` naming the item that is missing or holds no certificate.
    """
    from pyhanko.keys import load_certs_from_pemder_data

    out: list[Any] = []
    for item in items:
        where = "trust_roots"
        if isinstance(item, bytes):
            data = item
        else:
            where = f"trust_roots: {item}"
            try:
                data = Path(item).read_bytes()
            except OSError as e:
                raise InvalidInput(where, f"cannot read the certificate: {e.strerror or e}", str(item)) from e
        try:
            certs = list(load_certs_from_pemder_data(data))
        except Exception as e:  # asn1crypto raises ValueError, TypeError and more on garbage
            raise InvalidInput(where, f"not a PEM or DER certificate: {e}", None) from e
        if not certs:
            raise InvalidInput(where, "holds no certificate", None)
        out += certs
    return out


_ALLOWED_NAMES = (MANIFEST_NAME, SNAPSHOT_NAME, PDF_NAME)

MAX_PACKAGE_BYTES = 256 * 1024 * 1024
"""The most a ZIP package may unpack to; a larger one is reported, not read into memory."""


def _read_files(path: Path, problems: list[ArchiveProblem]) -> dict[str, bytes] | None:
    """The members of the package; ``None`` (and a problem) when it cannot be read as a whole.

    Raises :class:`InvalidInput` only when ``path`` does not exist.
    """
    if path.is_dir():
        out: dict[str, bytes] = {}
        for entry in sorted(path.iterdir()):
            if entry.is_file() and not entry.is_symlink():
                out[entry.name] = entry.read_bytes()
            else:
                problems.append(
                    ArchiveProblem(ProblemKind.UNLISTED_FILE, entry.name, "not a regular file of the package")
                )
        return out
    if not path.is_file():
        raise InvalidInput("archive.path", "not an archive directory or ZIP file", str(path))
    try:
        with zipfile.ZipFile(path) as zf:
            names = [info.filename for info in zf.infolist()]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                problems.append(
                    ArchiveProblem(
                        ProblemKind.ARCHIVE_INVALID,
                        path.name,
                        f"the ZIP holds more than one entry named {', '.join(duplicates)}",
                    )
                )
                return None
            declared = sum(info.file_size for info in zf.infolist())
            if declared > MAX_PACKAGE_BYTES:
                problems.append(
                    ArchiveProblem(
                        ProblemKind.ARCHIVE_INVALID,
                        path.name,
                        f"the ZIP unpacks to {declared} bytes, more than a package can hold ({MAX_PACKAGE_BYTES})",
                    )
                )
                return None
            return {info.filename: zf.read(info) for info in zf.infolist()}
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError) as e:
        problems.append(ArchiveProblem(ProblemKind.ARCHIVE_INVALID, path.name, f"not a readable ZIP file: {e}"))
        return None


def _pdf_info(pdf: bytes) -> tuple[str | None, str | None]:
    """The content hash and the library version the PDF records (``None`` when it cannot tell)."""
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(pdf)).metadata
    except Exception:  # pypdf raises many kinds on a damaged file
        return None, None
    if info is None:
        return None, None
    value = info.get("/" + CONTENT_HASH_KEY)
    creator = info.get("/Creator")
    version = str(creator).removeprefix("ejournal ") if creator is not None else None
    return (None if value is None else str(value)), version


def _check_signature(
    pdf: bytes,
    manifest: Mapping[str, Any],
    expected: Mapping[str, object] | None,
    trust_roots: Sequence[Any],
    problems: list[ArchiveProblem],
) -> SignatureStatus:
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
        return SignatureStatus.BROKEN
    for name in ("pyhanko", "pyhanko_certvalidator"):
        # pyHanko logs an untrusted signer with its traceback; the report says it in one line,
        # so keep the traceback off stderr unless the application configured logging itself
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as e:  # pyHanko raises many kinds on a damaged file
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, f"cannot read the PDF: {e}"))
        return SignatureStatus.BROKEN
    if expected is None:
        if signatures:
            problems.append(
                ArchiveProblem(
                    ProblemKind.SIGNATURE_UNEXPECTED, PDF_NAME, "signed, but the manifest records no signature"
                )
            )
            return SignatureStatus.BROKEN
        return SignatureStatus.ABSENT
    if not signatures:
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_MISSING, PDF_NAME, "the manifest expects a signature"))
        return SignatureStatus.BROKEN
    if len(signatures) > 1:
        problems.append(
            ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "the PDF carries more than one signature")
        )
        return SignatureStatus.BROKEN
    sig = signatures[0]
    try:
        fingerprint = _sha256(sig.signer_cert.dump())
        reason = sig.sig_object.get("/Reason")
        context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
        status = validate_pdf_signature(sig, context)
    except Exception as e:  # a broken signature makes pyHanko raise rather than report
        problems.append(
            ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, f"the signature cannot be checked: {e}")
        )
        return SignatureStatus.BROKEN
    recorded = expected.get("signer_fingerprint_sha256")
    if fingerprint != recorded:  # a consistency check only: the manifest's fingerprint is never trusted
        problems.append(
            ArchiveProblem(
                ProblemKind.SIGNATURE_WRONG_KEY,
                PDF_NAME,
                f"signed by certificate {fingerprint[:16]}…, the manifest names {str(recorded)[:16]}…",
            )
        )
    if not (status.intact and status.valid):
        problems.append(ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "the signature does not match the PDF"))
        return SignatureStatus.BROKEN
    if status.coverage is not SignatureCoverageLevel.ENTIRE_FILE:
        problems.append(
            ArchiveProblem(ProblemKind.SIGNATURE_INVALID, PDF_NAME, "the PDF was changed after it was signed")
        )
        return SignatureStatus.BROKEN
    when = sig.self_reported_timestamp
    if expected.get("signed_at") != ("" if when is None else when.isoformat()):
        problems.append(
            ArchiveProblem(
                ProblemKind.MANIFEST_MISMATCH,
                MANIFEST_NAME,
                f"signed_at is {expected.get('signed_at')!r}, the signature says {when}",
            )
        )
    if reason is None or str(reason) != _REASON_PREFIX + _statement_hash(manifest):
        problems.append(
            ArchiveProblem(
                ProblemKind.MANIFEST_MISMATCH,
                MANIFEST_NAME,
                "the manifest is not the one the signature vouches for (it was changed after signing)",
            )
        )
    if not (status.trusted and status.bottom_line):
        anchors = "no trust anchor was given" if not trust_roots else "it does not chain to a given trust anchor"
        problems.append(
            ArchiveProblem(
                ProblemKind.SIGNATURE_UNTRUSTED,
                PDF_NAME,
                f"signature intact, signer not trusted ({sig.signer_cert.subject.human_friendly}: {anchors})",
            )
        )
        return SignatureStatus.UNTRUSTED
    return SignatureStatus.TRUSTED


_MANIFEST_KEYS = frozenset(
    {
        "format", "format_version", "library_version", "school", "class_label", "academic_year",
        "content_hash", "policy_hash", "certified_on", "retention_years", "retain_until", "locale",
        "layout", "scales", "files", "signature", "collation", "pdf_profile",
    }
)  # fmt: skip
_SIGNATURE_KEYS = frozenset(
    {"type", "signer_fingerprint_sha256", "signer_subject", "signed_at", "unsigned_pdf_sha256", "unsigned_pdf_size"}
)


def _check_manifest_shape(manifest: Mapping[str, Any], problems: list[ArchiveProblem]) -> None:
    """The manifest has exactly the fields :func:`create_archive` writes, with sane values."""

    def bad(message: str) -> None:
        problems.append(ArchiveProblem(ProblemKind.MANIFEST_INVALID, MANIFEST_NAME, message))

    extra, missing = sorted(set(manifest) - _MANIFEST_KEYS), sorted(_MANIFEST_KEYS - set(manifest))
    if extra:
        bad(f"unknown fields {', '.join(extra)}")
    if missing:
        bad(f"missing fields {', '.join(missing)}")
    if manifest.get("format_version") != MANIFEST_FORMAT_VERSION:
        bad(f"format_version is {manifest.get('format_version')!r}, this library reads {MANIFEST_FORMAT_VERSION}")
    files = manifest.get("files")
    if isinstance(files, dict) and set(files) != {PDF_NAME, SNAPSHOT_NAME}:
        bad(f"lists the files {', '.join(sorted(files))}, expected {PDF_NAME}, {SNAPSHOT_NAME}")
    policy = manifest.get("policy_hash")
    if not isinstance(policy, str) or not policy.strip():
        bad("policy_hash must be a non-empty string")
    if manifest.get("pdf_profile", PDFA_PROFILE) != PDFA_PROFILE:
        bad(f"pdf_profile is {manifest.get('pdf_profile')!r}, this library writes {PDFA_PROFILE!r}")
    collation = manifest.get("collation")
    if "collation" in manifest and (not isinstance(collation, str) or not collation.strip()):
        bad("collation must name the collation that ordered the students")
    years = manifest.get("retention_years")
    try:
        certified = date.fromisoformat(str(manifest.get("certified_on")))
    except ValueError:
        bad(f"certified_on is not a date: {manifest.get('certified_on')!r}")
        return
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        bad(f"retention_years must be a whole number ≥ 1, not {years!r}")
    elif manifest.get("retain_until") != _retain_until(certified, years).isoformat():
        bad(
            f"retain_until is {manifest.get('retain_until')!r}, but certified on {certified.isoformat()} "
            f"and kept {years} years gives {_retain_until(certified, years).isoformat()}"
        )
    signature = manifest.get("signature")
    if signature is not None and (not isinstance(signature, dict) or set(signature) != _SIGNATURE_KEYS):
        bad("signature must be null or the record create_archive writes")


def _check_against_snapshot(
    snapshot: object, manifest: Mapping[str, Any], problems: list[ArchiveProblem], checked: list[str]
) -> None:
    """Every manifest field that the snapshot also states must state the same."""
    if not isinstance(snapshot, dict):
        return
    checked.append("manifest fields against the snapshot")
    found = snapshot.get("header")
    header: dict[str, Any] = found if isinstance(found, dict) else {}
    certification = snapshot.get("certification")
    expected: dict[str, object] = {
        "school": header.get("school_name_ru"),
        "class_label": header.get("class_label"),
        "academic_year": header.get("academic_year"),
        "layout": snapshot.get("layout"),
    }
    if isinstance(certification, dict):
        expected["certified_on"] = certification.get("date")
    for field, value in expected.items():
        if manifest.get(field) != value:
            problems.append(
                ArchiveProblem(
                    ProblemKind.MANIFEST_MISMATCH,
                    MANIFEST_NAME,
                    f"{field} is {manifest.get(field)!r}, the snapshot says {value!r}",
                )
            )
    start = header.get("year_start")
    certified = manifest.get("certified_on")
    if isinstance(start, str) and isinstance(certified, str) and certified < start:
        problems.append(
            ArchiveProblem(
                ProblemKind.MANIFEST_MISMATCH, MANIFEST_NAME, f"certified_on {certified} precedes the school year"
            )
        )


def verify_archive(
    path: str | Path,
    *,
    trust_roots: Sequence[Any] | None = None,
    require_signature: bool | None = None,
) -> VerificationReport:
    """Check an archive written by :func:`create_archive` (a directory or a ZIP file).

    ``trust_roots`` are the certificates the verifier trusts (from :func:`load_trust_roots`, or
    PEM/DER bytes or file paths); a signature is trusted only when the signer's certificate
    chains to one of them (pyHanko, no fetching).  The certificate embedded in the package and
    the fingerprint in the manifest are never trusted.  A signed package checked without a
    matching anchor is reported as ``SIGNATURE_UNTRUSTED`` ("signature intact, signer not
    trusted") and is not valid.  ``require_signature`` (default: true when ``trust_roots`` are
    given) makes an unsigned package (``"signature": null``) a ``SIGNATURE_MISSING``.

    Besides the hashes and the signature, every manifest field the snapshot also states (school,
    class, year, layout, certification date) must agree with it, the retention dates must agree
    with each other, and the manifest must have exactly the known fields.  The sheet is read back
    from the snapshot and rendered again with the manifest's locale and layout; a rendering that
    differs from the archived one (for a signed PDF: from the hash recorded before signing) is a
    ``PDF_MISMATCH``.  That comparison is skipped (and ``checked`` says so) only when the PDF
    itself was made by another library version; a manifest claiming another version than the
    PDF is a ``MANIFEST_MISMATCH``.  A signed manifest must hash to the value in the signature.

    Never raises for a damaged archive (a corrupt or truncated ZIP, duplicate entries, extra
    files): every problem is in the report.  Raises :class:`InvalidInput` when ``path`` does not
    exist or a trust root is not a certificate.
    """
    target = Path(path)
    roots = load_trust_roots([r for r in trust_roots or () if isinstance(r, (bytes, str, Path))]) + [
        r for r in trust_roots or () if not isinstance(r, (bytes, str, Path))
    ]
    if require_signature is None:
        require_signature = bool(roots)
    problems: list[ArchiveProblem] = []
    checked: list[str] = []
    manifest: dict[str, Any] = {}
    status = SignatureStatus.ABSENT

    def report() -> VerificationReport:
        return VerificationReport(str(target), tuple(problems), manifest, tuple(checked), status)

    read = _read_files(target, problems)
    if read is None:
        return report()
    files = read
    for name in sorted(set(files) - set(_ALLOWED_NAMES)):
        problems.append(ArchiveProblem(ProblemKind.UNLISTED_FILE, name, "a file the manifest does not list"))
    raw = files.get(MANIFEST_NAME)
    if raw is None:
        problems.append(ArchiveProblem(ProblemKind.FILE_MISSING, MANIFEST_NAME, "the manifest is missing"))
        return report()
    try:
        loaded = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
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
    _check_manifest_shape(manifest, problems)
    checked.append("file hashes")
    for name, entry in sorted(manifest["files"].items()):
        data = files.get(name)
        if data is None:
            problems.append(ArchiveProblem(ProblemKind.FILE_MISSING, name, "listed in the manifest but missing"))
            continue
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        actual = _sha256(data)
        if actual != expected or size != len(data):
            problems.append(
                ArchiveProblem(
                    ProblemKind.HASH_MISMATCH,
                    name,
                    f"SHA-256 is {actual[:16]}… ({len(data)} bytes), "
                    f"the manifest says {str(expected)[:16]}… ({size} bytes)",
                )
            )
    content_hash = manifest.get("content_hash")
    snapshot = files.get(SNAPSHOT_NAME)
    sheet: SummarySheet | None = None
    if snapshot is not None:
        checked.append("snapshot content hash")
        try:
            parsed = json.loads(snapshot)
        except (ValueError, UnicodeDecodeError, RecursionError) as e:
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
            _check_against_snapshot(parsed, manifest, problems, checked)
            sheet = _read_back(parsed, manifest, problems, checked)
            _check_policy(parsed, manifest, problems, checked)
    pdf = files.get(PDF_NAME)
    signature = manifest.get("signature")
    signed = signature if isinstance(signature, dict) else None
    if pdf is not None:
        embedded, made_by = _pdf_info(pdf)
        if made_by != manifest.get("library_version"):
            problems.append(
                ArchiveProblem(
                    ProblemKind.MANIFEST_MISMATCH,
                    MANIFEST_NAME,
                    f"library_version is {manifest.get('library_version')!r}, the PDF was made by ejournal {made_by}",
                )
            )
        mismatch = False
        if sheet is not None:
            mismatch = _check_rendering(sheet, pdf, embedded, made_by, manifest, signed, problems, checked)
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
        checked.append(f"PDF is {PDFA_PROFILE}")
        for finding in pdfa_findings(pdf, signed=signed is not None):
            problems.append(ArchiveProblem(ProblemKind.PDF_NOT_ARCHIVAL, PDF_NAME, f"not {PDFA_PROFILE}: {finding}"))
        checked.append("signature")
        if signed is not None:
            size = signed.get("unsigned_pdf_size")
            if (
                isinstance(size, bool)
                or not isinstance(size, int)
                or _sha256(pdf[:size]) != signed.get("unsigned_pdf_sha256")
            ):
                problems.append(
                    ArchiveProblem(
                        ProblemKind.PDF_MISMATCH, PDF_NAME, "the signed PDF does not start with the rendering"
                    )
                )
        status = _check_signature(pdf, manifest, signed, roots, problems)
    if require_signature and signed is None and not any(p.kind is ProblemKind.SIGNATURE_UNEXPECTED for p in problems):
        problems.append(
            ArchiveProblem(
                ProblemKind.SIGNATURE_MISSING, PDF_NAME, "a signed package is required, this one records no signature"
            )
        )
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
        problems.append(
            ArchiveProblem(
                ProblemKind.MANIFEST_INVALID,
                MANIFEST_NAME,
                f"does not record the scales {', '.join(unknown)} the snapshot names, so it cannot be read back",
            )
        )
        return None
    checked.append("snapshot read back")
    try:
        sheet = SummarySheet.from_dict(snapshot, scales=scales)
    except InvalidInput as e:
        problems.append(
            ArchiveProblem(ProblemKind.SNAPSHOT_INVALID, SNAPSHOT_NAME, f"not a summary sheet: {e.where}: {e.reason}")
        )
        return None
    if manifest.get("scales") != _scale_records(sheet):
        problems.append(
            ArchiveProblem(
                ProblemKind.MANIFEST_MISMATCH, MANIFEST_NAME, "scales are not exactly the custom scales the sheet uses"
            )
        )
    return sheet


def _check_rendering(
    sheet: SummarySheet,
    pdf: bytes,
    embedded: str | None,
    made_by: str | None,
    manifest: Mapping[str, object],
    signed: Mapping[str, object] | None,
    problems: list[ArchiveProblem],
    checked: list[str],
) -> bool:
    """Re-render ``sheet`` with the manifest's options and compare with the archived rendering.

    The archived rendering is the PDF itself, or for a signed PDF the rendering recorded before
    signing (its SHA-256 in the manifest).  Skipped (returns False) when the PDF itself (its
    ``/Creator``, not the manifest) says it was made by another library version, whose renderer
    may lay out the same data differently.  Returns True when a problem was added.
    """
    version = made_by
    if version != __version__:
        checked.append(
            f"PDF re-rendered from the snapshot (skipped: made by ejournal {version}, this is {__version__})"
        )
        return False
    checked.append("PDF re-rendered from the snapshot")
    try:
        layout = SheetLayout(manifest.get("layout"))
        options = RenderOptions(locale=str(manifest.get("locale")), layout=layout, pdfa=True)
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
