"""What the archive's writer and verifier share: file names, the manifest's format and statement, hashes, scales."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from ejournal.core.errors import InvalidInput
from ejournal.core.scales import BUILTIN_SCALES, Scale, Status
from ejournal.core.summary import SummarySheet

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


def _retain_until(certified_on: date, years: int) -> date:
    try:
        return certified_on.replace(year=certified_on.year + years)
    except ValueError:  # 29 February
        return certified_on.replace(year=certified_on.year + years, day=28)
