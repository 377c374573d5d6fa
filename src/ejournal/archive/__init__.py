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

from ejournal.archive._common import MANIFEST_FORMAT
from ejournal.archive._create import create_archive
from ejournal.archive._sign import Signer
from ejournal.archive._verify import (
    ArchiveProblem,
    ProblemKind,
    SignatureStatus,
    VerificationReport,
    load_trust_roots,
    verify_archive,
)

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
