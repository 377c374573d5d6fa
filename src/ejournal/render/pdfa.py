"""PDF/A-2b: the archival form of a PDF (ISO 19005-2, level B), made and checked with pikepdf.

:func:`to_pdfa` takes a PDF written by :class:`~ejournal.render.pdfdoc.PdfDocument` (every font
embedded, no transparency, no JavaScript, no encryption) and returns it as PDF/A-2b: an output
intent with the sRGB ICC profile shipped with pikepdf, XMP metadata that declares
``pdfaid:part=2`` and ``pdfaid:conformance=B`` and states the document information (title,
author, subject, keywords, dates), and a file identifier in the trailer.  pikepdf's PDF/A
validator (``pikepdf.pdfa``) checks the bytes it writes; a file it does not approve is an error,
never a file that only claims to be PDF/A.

The result is reproducible: the same input gives the same bytes (the metadata date is the
document's own modification date and the file identifier is derived from the content), so an
archive can render its sheet again and compare.  :func:`pdfa_findings` checks any PDF (a signed
one, too) and lists what keeps it from being PDF/A-2b.
"""

from __future__ import annotations

import io
from typing import Any

from ejournal.core.errors import InvalidInput

__all__ = ["PDFA_FLAVOUR", "PDFA_PROFILE", "pdfa_findings", "signature_form_findings", "to_pdfa"]

PDFA_PROFILE = "PDF/A-2b"
"""The name of the profile the archive writes (recorded in its manifest)."""

PDFA_FLAVOUR = "2b"
"""The same profile in pikepdf's spelling."""

_XMP_MODIFY = "xmp:ModifyDate"
_XMP_METADATA_DATE = "xmp:MetadataDate"
_XMP_PRODUCER = "pdf:Producer"


def _strip_empty_transitions(pdf: Any) -> None:
    """reportlab writes an empty page transition (``/Trans << >>``) on every page; it means the
    default and nothing else, and the validator approves only what it knows, so drop it."""
    for page in pdf.pages:
        trans = page.obj.get("/Trans")
        if trans is not None and len(trans.keys()) == 0:
            del page.obj["/Trans"]


def to_pdfa(pdf: bytes) -> bytes:
    """``pdf`` as PDF/A-2b, validated (see the module doc).

    In: the bytes of a PDF whose fonts are all embedded (every PDF ejournal writes).
    Out: the PDF/A-2b bytes; the same input always gives the same output.
    Raises :class:`InvalidInput` (``pdfa``) when the input is not a readable PDF, or when the
    written file is not approved as PDF/A-2b (the message lists the validator's findings, e.g. a
    font that is not embedded).
    """
    import pikepdf
    from pikepdf import pdfa

    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as e:
        raise InvalidInput("pdfa", f"not a readable PDF: {e}", None) from e
    with document:
        _strip_empty_transitions(document)
        pdfa.prepare(document, PDFA_FLAVOUR, output_intent="sRGB")
        # prepare() stamps the wall-clock time as the metadata date; the document's own
        # modification date keeps the output reproducible (and is when the metadata was made).
        # The producer is optional and left out: a signature (pyHanko) then writes the same
        # producer into the document information and the XMP, which PDF/A needs to agree.
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            modified = meta.get(_XMP_MODIFY)
            if modified:
                meta[_XMP_METADATA_DATE] = modified
            if _XMP_PRODUCER in meta:
                del meta[_XMP_PRODUCER]
        if "/Producer" in document.docinfo:
            del document.docinfo["/Producer"]
        out = io.BytesIO()
        try:
            pdfa.save(document, out, PDFA_FLAVOUR, repair=False, deterministic_id=True)
        except pdfa.PdfaError as e:
            raise InvalidInput("pdfa", f"the PDF is not PDF/A-2b: {e.report.summary()}", None) from e
    return out.getvalue()


def pdfa_findings(pdf: bytes, *, signed: bool = False) -> list[str]:
    """What keeps ``pdf`` from being PDF/A-2b (empty: nothing found).

    In: the bytes of any PDF.  pikepdf's validator checks it; it does not check interactive
    forms, so for a ``signed`` PDF the form the signature adds is checked here instead
    (:func:`signature_form_findings`).  Out: one line per finding, each naming the rule (a
    veraPDF rule id or pikepdf's own) and the place.  Never raises for a damaged file: the damage
    is a finding.
    """
    import pikepdf
    from pikepdf import pdfa

    report = pdfa.validate_written(io.BytesIO(pdf), PDFA_FLAVOUR)
    out: list[str] = []
    form_unchecked = False
    for finding in report.findings:
        if signed and _about_the_form(finding.rule, finding.where, finding.kind):
            form_unchecked = True
            continue
        out.append(str(finding))
    if form_unchecked:
        try:
            with pikepdf.open(io.BytesIO(pdf)) as document:
                out += signature_form_findings(document)
        except pikepdf.PdfError as e:
            out.append(f"[violation] ejournal:signature-form at catalog: cannot read the PDF: {e}")
    return out


_FORM_RULES = frozenset(
    {
        "ISO_19005_2:6.1.12-2", "ISO_19005_2:6.3.3-3", "ISO_19005_2:6.4.1-1", "ISO_19005_2:6.4.1-2",
        "ISO_19005_2:6.4.1-3", "ISO_19005_2:6.4.2-1", "ISO_19005_2:6.4.3-1", "ISO_19005_2:6.4.3-2",
        "ISO_19005_2:6.4.3-3",
    }
)  # fmt: skip
"""The rules on forms, widgets and signatures that pikepdf's validator does not check (it reports
the construct as unsupported); :func:`signature_form_findings` checks them for a signed PDF."""


def _about_the_form(rule: str, where: str, kind: str) -> bool:
    """A finding that only says the validator does not check the signature's form."""
    return kind == "unsupported" and (rule in _FORM_RULES or where.endswith("/AcroForm"))


_FORBIDDEN_FLAGS = {1: "Invisible", 2: "Hidden", 32: "NoView", 256: "ToggleNoView"}
_PRINT = 4


def signature_form_findings(document: Any) -> list[str]:
    """The PDF/A-2b rules (ISO 19005-2, 6.3 and 6.4) for a form that holds only signatures.

    In: an open ``pikepdf.Pdf``.  Checked: the form has no XFA and does not ask for appearances
    to be generated (``/NeedAppearances``); every field is a signature field whose widget is
    printable and not hidden, has no actions, and either has no area (an invisible signature)
    or an appearance with only the normal (``/N``) entry.  Out: one line per violation.
    """
    out: list[str] = []

    def bad(where: str, message: str) -> None:
        out.append(f"[violation] ejournal:signature-form at {where}: {message}")

    form = document.Root.get("/AcroForm")
    if form is None:
        return out
    if "/XFA" in form:
        bad("/AcroForm", "XFA forms are not allowed (6.4.2)")
    if bool(form.get("/NeedAppearances", False)):
        bad("/AcroForm", "/NeedAppearances must not be true (6.4.1)")
    for number, field in enumerate(form.get("/Fields", [])):
        where = f"/AcroForm /Fields[{number}]"
        if field.get("/FT") != "/Sig":
            bad(where, f"a field of type {field.get('/FT')}, only signature fields are expected")
        widgets = list(field.get("/Kids", [])) or [field]
        for widget in widgets:
            flags = int(widget.get("/F", 0))
            if not flags & _PRINT:
                bad(where, "the widget is not printable (6.3.2)")
            for bit, name in _FORBIDDEN_FLAGS.items():
                if flags & bit:
                    bad(where, f"the widget is {name} (6.3.2)")
            if "/A" in widget or "/AA" in widget:
                bad(where, "the widget has actions (6.6.1)")
            rect = [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])]
            appearance = widget.get("/AP")
            if appearance is None:
                if rect[0] != rect[2] or rect[1] != rect[3]:
                    bad(where, "a visible widget without an appearance (6.3.3)")
            elif set(appearance.keys()) != {"/N"}:
                bad(where, "the appearance must have only the /N entry (6.3.3)")
    return out
