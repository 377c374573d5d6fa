"""Signing the archived PDF (PAdES with pyHanko, an invisible signature that keeps it PDF/A-2b)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ejournal.archive._common import (
    _sha256,
)
from ejournal.core.errors import InvalidInput


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
