"""PDF/X: reportlab writes the pages, pikepdf (qpdf) finishes the file as the standard asks.

reportlab has no notion of an output intent, XMP metadata or subset tags; qpdf rewrites a PDF's objects
exactly and deterministically, so the finishing is a small pass over the catalogue, the document
information and the fonts, not a second PDF writer. What it adds:

- the output intent: `/OutputIntents` with `/S /GTS_PDFX`, the condition's identifier and the press's ICC
  profile embedded as `DestOutputProfile`;
- `GTS_PDFXVersion` (and `GTS_PDFXConformance` for X-1a) in the document information, `Trapped` False;
- XMP metadata with the same identification, the title and a document ID;
- subset tags unique to each subset's content: reportlab names the first subset of every font `AAAAAA+`,
  and two files imposed on one sheet would put different glyphs under one name;
- the PDF version each standard is built on (X-1a:2001: 1.3; X-4: 1.6), and a trailer ID.

Dates are the campaign's first day, so that a build is the same byte for byte whenever it runs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import uuid
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf

from assets_pipeline import __version__
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.press import Press

# each level's GTS_PDFXVersion, its GTS_PDFXConformance, and the newest PDF version it allows
VERSIONS = {"x-4": ("PDF/X-4", None, "1.6"), "x-1a": ("PDF/X-1:2001", "PDF/X-1a:2001", "1.3")}
TAG_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def finish(pdf_bytes: bytes, press: Press, path: Path) -> dict:
    """Write `pdf_bytes` (reportlab's, with its title, subject and keywords) to `path` as a PDF/X file of
    the press's level; the manifest's fields for it."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        title, subject, keywords = (str(pdf.docinfo.get(key, "")) for key in ("/Title", "/Subject", "/Keywords"))
        _unique_subset_tags(pdf)
        return save(pdf, press, path, title=title, subject=subject, keywords=keywords,
                    document_id=hashlib.sha256(pdf_bytes).digest())


def combine(parts: list[Path], press: Press | None, path: Path, *, title: str) -> dict:
    """The pages of several PDF/X files of one press, one after the other, as one PDF/X file (a plain
    PDF for RGB files, which have no press)."""
    with pikepdf.new() as pdf, contextlib.ExitStack() as sources:
        digest = hashlib.sha256()
        described: set[tuple[str, str]] = set()
        for part in parts:  # each source stays open until the file is saved: its streams are read then
            source = sources.enter_context(pikepdf.open(part))
            pdf.pages.extend(source.pages)
            described.add((str(source.docinfo.get("/Subject", "")), str(source.docinfo.get("/Keywords", ""))))
            digest.update(part.read_bytes())
        _share_fonts(pdf)
        subject, keywords = described.pop() if len(described) == 1 else ("", "")
        if press is None:
            pdf.docinfo.Title = pikepdf.String(title)
            buffer = io.BytesIO()
            pdf.save(buffer, deterministic_id=True, compress_streams=True)
            path.write_bytes(buffer.getvalue())
            return {}
        return save(pdf, press, path, title=title, subject=subject, keywords=keywords, document_id=digest.digest())


def save(pdf: pikepdf.Pdf, press: Press, path: Path, *, title: str, subject: str, keywords: str,
         document_id: bytes) -> dict:
    version, conformance, pdf_version = VERSIONS[press.pdfx]
    date = press.dated.replace("-", "")
    profile = pikepdf.Stream(pdf, b"")
    profile.write(_compressed_profile(press.profile_path, content_digest(press.profile_path)),
                  filter=pikepdf.Name.FlateDecode)
    profile.N = 4
    profile.Alternate = pikepdf.Name.DeviceCMYK
    intent = pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String(press.identifier), OutputCondition=pikepdf.String(press.condition),
        RegistryName=pikepdf.String(press.registry), Info=pikepdf.String(press.condition),
        DestOutputProfile=profile)
    pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
    producer = f"assets_pipeline {__version__}, pikepdf {pikepdf.__version__}"
    info = pikepdf.Dictionary(
        Title=pikepdf.String(title), Subject=pikepdf.String(subject), Keywords=pikepdf.String(keywords),
        Creator=pikepdf.String(f"assets_pipeline {__version__}"), Producer=pikepdf.String(producer),
        CreationDate=pikepdf.String(f"D:{date}000000+00'00'"), ModDate=pikepdf.String(f"D:{date}000000+00'00'"),
        Trapped=pikepdf.Name("/False"), GTS_PDFXVersion=pikepdf.String(version))
    if conformance:
        info.GTS_PDFXConformance = pikepdf.String(conformance)
    pdf.trailer.Info = pdf.make_indirect(info)
    xmp = _xmp(title=title, subject=subject, keywords=keywords, version=version, conformance=conformance,
               date=press.dated, document_id=uuid.UUID(bytes=document_id[:16], version=4), producer=producer)
    pdf.Root.Metadata = pdf.make_stream(xmp.encode("utf-8"), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    # written to memory first: qpdf's own writing cannot fail softly (a full disk ends the process), Python's can
    buffer = io.BytesIO()
    pdf.save(buffer, force_version=pdf_version, deterministic_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.disable)
    path.write_bytes(buffer.getvalue())
    return {"pdfx": press.pdfx, "output_intent": press.identifier, "ink_limit": press.ink_limit}


@functools.lru_cache(maxsize=4)
def _compressed_profile(path: str, digest: str) -> bytes:
    """The profile, deflated once per process rather than once per file (it is most of a small PDF)."""
    return zlib.compress(Path(path).read_bytes(), 9)


def subset_tag(name: str, program: bytes) -> str:
    """Six capital letters from the subset's name and font program: the same subset has the same tag in
    every file, a different one another."""
    value = int.from_bytes(hashlib.sha256(name.encode() + b"\0" + program).digest()[:8], "big")
    letters = []
    for _ in range(6):
        value, index = divmod(value, 26)
        letters.append(TAG_LETTERS[index])
    return "".join(letters)


def _share_fonts(pdf: pikepdf.Pdf) -> None:
    """One font object per subset: pages that came from several files each bring their own copy of a
    subset, under the same tag (the tag follows the subset's content); the first copy serves them all."""
    first: dict[str, pikepdf.Object] = {}
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font")
        if not isinstance(fonts, pikepdf.Dictionary):
            continue
        for key in list(fonts.keys()):
            name = str(fonts[key].get("/BaseFont", ""))
            if name[7:8] != "+":
                continue
            if name in first:
                fonts[key] = first[name]
            else:
                first[name] = fonts[key]


def _unique_subset_tags(pdf: pikepdf.Pdf) -> None:
    for font in pdf.objects:
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != pikepdf.Name.Font:
            continue
        base = str(font.get("/BaseFont", ""))[1:]
        descriptor = font.get("/FontDescriptor")
        if len(base) < 8 or base[6] != "+" or descriptor is None:
            continue
        program = next((descriptor[key] for key in ("/FontFile2", "/FontFile", "/FontFile3") if key in descriptor), None)
        if program is None:
            continue
        name = base[7:]
        tagged = f"{subset_tag(name, program.read_raw_bytes())}+{name}"
        font.BaseFont = pikepdf.Name("/" + tagged)
        descriptor.FontName = pikepdf.Name("/" + tagged)


def _xmp(*, title: str, subject: str, keywords: str, version: str, conformance: str | None, date: str,
         document_id: uuid.UUID, producer: str) -> str:
    stamp = f"{date}T00:00:00Z"
    conformance_line = f"\n   <pdfx:GTS_PDFXConformance>{conformance}</pdfx:GTS_PDFXConformance>" if conformance else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>
   <xmp:CreateDate>{stamp}</xmp:CreateDate>
   <xmp:ModifyDate>{stamp}</xmp:ModifyDate>
   <xmp:MetadataDate>{stamp}</xmp:MetadataDate>
   <xmp:CreatorTool>assets_pipeline {__version__}</xmp:CreatorTool>
   <xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{document_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdf:Producer>{escape(producer)}</pdf:Producer>
   <pdf:Keywords>{escape(keywords)}</pdf:Keywords>
   <pdf:Trapped>False</pdf:Trapped>
   <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>{conformance_line}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
