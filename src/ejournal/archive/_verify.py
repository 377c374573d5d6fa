"""Verifying a certified archive package against the certificates the verifier trusts."""

from __future__ import annotations

import enum
import io
import json
import logging
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from attrs import frozen

from ejournal.__about__ import __version__
from ejournal.archive._common import (
    _REASON_PREFIX,
    MANIFEST_FORMAT,
    MANIFEST_FORMAT_VERSION,
    MANIFEST_NAME,
    PDF_NAME,
    SNAPSHOT_NAME,
    _canonical,
    _retain_until,
    _scale_ids,
    _scale_records,
    _scales_from,
    _sha256,
    _statement_hash,
)
from ejournal.core.errors import EjournalError, InvalidInput
from ejournal.core.scales import BUILTIN_SCALES
from ejournal.core.summary import SheetLayout, SummarySheet
from ejournal.render.base import RenderOptions
from ejournal.render.pdf import PdfRenderer
from ejournal.render.pdfa import PDFA_PROFILE, pdfa_findings
from ejournal.render.pdfdoc import CONTENT_HASH_KEY


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
