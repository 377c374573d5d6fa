"""Writing the certified archive package of a summary sheet."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ejournal.__about__ import __version__
from ejournal.archive._common import (
    _REASON_PREFIX,
    MANIFEST_FORMAT,
    MANIFEST_FORMAT_VERSION,
    MANIFEST_NAME,
    PDF_NAME,
    SNAPSHOT_NAME,
    _retain_until,
    _scale_records,
    _sha256,
    _signing_time,
    _statement_hash,
)
from ejournal.archive._sign import Signer
from ejournal.core.errors import InvalidInput
from ejournal.core.summary import SummarySheet
from ejournal.render.base import RenderOptions
from ejournal.render.pdf import PdfRenderer
from ejournal.render.pdfa import PDFA_PROFILE


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
