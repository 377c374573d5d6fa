"""A checker of the PDF/A-2b rules that matter for ejournal's PDFs, written here with pikepdf
(not a test module).

It is independent of :mod:`ejournal.render.pdfa` (which relies on pikepdf's validator), so the
two check each other.  veraPDF is the full validator; it is not installed here (no Debian
package), see docs/archive.md for what this covers and what it does not.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime

import pikepdf

STANDARD_14 = frozenset(
    {
        "Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique",
        "Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique",
        "Times-Roman", "Times-Bold", "Times-BoldItalic", "Times-Italic", "Symbol", "ZapfDingbats",
    }
)  # fmt: skip
"""The base fonts every PDF reader has, which a PDF may name without embedding them."""

_PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def _base_name(font: pikepdf.Dictionary) -> str:
    name = str(font.get("/BaseFont", ""))
    name = name.removeprefix("/")
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


def font_dicts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary of the file (in page resources, forms, annotations: all objects)."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font":
            yield obj


def _descendants(font: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    if font.get("/Subtype") == "/Type0":
        return list(font.get("/DescendantFonts", []))
    return [font]


def font_problems(data: bytes) -> list[str]:
    """Fonts that are not embedded (no FontFile, FontFile2 or FontFile3) or are a standard-14
    font, and any mention of a standard-14 name in the file's raw bytes or its content streams."""
    out: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = list(font_dicts(pdf))
        if not fonts:
            out.append("no font at all (nothing to check)")
        for font in fonts:
            name = _base_name(font)
            if name in STANDARD_14:
                out.append(f"standard font {name}")
            for face in _descendants(font):
                if font.get("/Subtype") == "/Type3":
                    continue
                descriptor = face.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    out.append(f"font {name} is not embedded")
        for page in pdf.pages:
            for key, resource in page.Resources.get("/Font", {}).items():
                if _base_name(resource) in STANDARD_14:
                    out.append(f"page resource {key} names a standard font")
    for name in STANDARD_14:
        if f"/{name}".encode() in data:
            out.append(f"the bytes name /{name}")
    return out


def _xmp_date(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _info_date(value: str) -> datetime:
    raw = value.removeprefix("D:")
    digits = raw[:14]
    when = datetime.strptime(digits, "%Y%m%d%H%M%S")
    zone = raw[14:]
    if zone in ("", "Z"):
        return when.replace(tzinfo=UTC)
    from datetime import timedelta, timezone

    sign = 1 if zone[0] == "+" else -1
    hours, minutes = zone[1:].replace("'", " ").split()[:2]
    return when.replace(tzinfo=timezone(sign * timedelta(hours=int(hours), minutes=int(minutes))))


def pdfa2b_problems(data: bytes, *, signed: bool = False) -> list[str]:
    """The PDF/A-2b rules this project relies on, each a line when broken (empty: all hold).

    - the header is a PDF 1.x header with a binary comment; the catalog declares no version above 1.7;
    - the XMP metadata says pdfaid:part 2, conformance B, and its title, creator (author),
      description (subject), producer, dates and keywords agree with the document information;
    - one output intent GTS_PDFA1 with an embedded ICC profile of 3 components (RGB, device class
      mntr or prtr, version 2 or 4);
    - every font embedded, none of the standard 14 (:func:`font_problems`);
    - no encryption, no JavaScript, no transparency group on a page, no /Trans with effects
      other than the default; no embedded files;
    - the trailer has an /ID of two strings;
    - for a ``signed`` file: one signature field, invisible (zero rectangle, no appearance) and
      printable, and the signature covers the whole file but its /Contents.
    """
    out: list[str] = []
    if not data.startswith(b"%PDF-1."):
        out.append(f"header {data[:8]!r}")
    second_line = data[data.find(b"\n") + 1 :][:5]
    if not (second_line.startswith(b"%") and all(b > 127 for b in second_line[1:5])):
        out.append("no binary comment (four bytes above 127) on the line after the header")
    out += font_problems(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root, info = pdf.Root, pdf.docinfo
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            out.append("encrypted")
        version = root.get("/Version")
        if version is not None and str(version) not in {f"/1.{n}" for n in range(8)}:
            out.append(f"catalog /Version {version}")
        ids = pdf.trailer.get("/ID")
        if ids is None or len(ids) != 2 or not all(isinstance(i, pikepdf.String) and bytes(i) for i in ids):
            out.append("no trailer /ID of two strings")
        names = root.get("/Names")
        if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
            out.append("document JavaScript or embedded files")
        if "/OpenAction" in root or "/AA" in root:
            out.append("document actions")
        for number, page in enumerate(pdf.pages, start=1):
            if "/Group" in page.obj:
                out.append(f"page {number} has a transparency group")
            if "/Trans" in page.obj:
                out.append(f"page {number} has a page transition")
            if "/AA" in page.obj:
                out.append(f"page {number} has actions")
        intents = list(root.get("/OutputIntents", []))
        pdfa = [oi for oi in intents if oi.get("/S") == "/GTS_PDFA1"]
        if len(pdfa) != 1:
            out.append(f"{len(pdfa)} PDF/A output intents")
        else:
            profile = pdfa[0].get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                out.append("the output intent has no ICC profile")
            else:
                icc = profile.read_bytes()
                if int(profile.get("/N", 0)) != 3:
                    out.append(f"ICC /N is {profile.get('/N')}")
                if len(icc) < 132 or icc[36:40] != b"acsp" or int.from_bytes(icc[:4], "big") != len(icc):
                    out.append("the ICC profile is not a whole ICC profile")
                elif icc[16:20] != b"RGB " or icc[12:16] not in (b"mntr", b"prtr") or icc[8] not in (2, 4):
                    out.append(f"ICC profile {icc[12:20]!r} version {icc[8]}")
            if not str(pdfa[0].get("/OutputConditionIdentifier", "")):
                out.append("the output intent has no /OutputConditionIdentifier")
        metadata = root.get("/Metadata")
        if not isinstance(metadata, pikepdf.Stream) or "/Filter" in metadata:
            out.append("no uncompressed XMP metadata stream")
        else:
            meta = pdf.open_metadata()
            if meta.get(f"{_PDFAID}part") != "2" or meta.get(f"{_PDFAID}conformance") != "B":
                out.append(f"pdfaid {meta.get(f'{_PDFAID}part')}/{meta.get(f'{_PDFAID}conformance')}")
            texts = {
                "/Title": meta.get("dc:title"),
                "/Subject": meta.get("dc:description"),
                "/Keywords": meta.get("pdf:Keywords"),
                "/Creator": meta.get("xmp:CreatorTool"),
                "/Producer": meta.get("pdf:Producer"),
            }
            creators = meta.get("dc:creator")
            texts["/Author"] = creators[0] if isinstance(creators, list) and len(creators) == 1 else creators
            for key, value in texts.items():
                if key in info and str(info[key]) != value:
                    out.append(f"{key} is {str(info[key])!r} in the document information, {value!r} in the XMP")
            for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
                if key in info:
                    xmp = meta.get(prop)
                    if xmp is None or _info_date(str(info[key])) != _xmp_date(xmp):
                        out.append(f"{key} is {info[key]} in the document information, {xmp} in the XMP")
        form = root.get("/AcroForm")
        if signed:
            fields = list(form.get("/Fields", [])) if form is not None else []
            if len(fields) != 1 or fields[0].get("/FT") != "/Sig":
                out.append("expected exactly one signature field")
            else:
                widget = fields[0]
                rect = [float(v) for v in widget.get("/Rect", [1, 1, 2, 2])]
                if rect[0] != rect[2] or rect[1] != rect[3] or "/AP" in widget:
                    out.append("the signature is visible (it would need an appearance and its font)")
                if not int(widget.get("/F", 0)) & 4 or int(widget.get("/F", 0)) & (1 | 2 | 32):
                    out.append(f"signature widget flags {widget.get('/F')}")
                ranges = [int(v) for v in widget.V.ByteRange]
                if ranges[0] != 0 or ranges[2] + ranges[3] != len(data):
                    out.append("the signature does not cover the whole file")
            if form is not None and ("/XFA" in form or bool(form.get("/NeedAppearances", False))):
                out.append("XFA or NeedAppearances")
        elif form is not None:
            out.append("an interactive form in an unsigned sheet")
    return out
