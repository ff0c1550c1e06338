"""The PDF/X rules a print shop's preflight holds a file to, checked on the file as written (pikepdf).

Each rule is one line when broken: the output intent present with its profile embedded, the version
keys of the level (ISO 15930-1 for X-1a:2001, ISO 15930-7 for X-4), XMP metadata, a trailer ID,
`Trapped`, TrimBox inside BleedBox inside MediaBox, every font embedded under a subset tag that names one
subset only, no RGB (X-1a: only DeviceCMYK, DeviceGray, Separation and DeviceN), no transparency in X-1a,
and the total ink of every fill and image pixel within the limit the file was made for.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any, cast

import pikepdf

from assets_pipeline.core.i18n import _
from assets_pipeline.render.pdfx import VERSIONS

X1A_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Separation", "/DeviceN", "/Pattern", "/Indexed"}
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
INK_SLACK = 0.5  # percent: 8-bit image values and 4-decimal fills round


def pdfx_problems(path: Any, level: str, ink_limit: float | None, output_intent: str | None) -> list[str]:
    """The rules of `level` the file breaks, one line each."""
    try:
        pdf = pikepdf.open(path)
    except Exception as exc:  # noqa: BLE001 — any reader error is the finding
        return [_("not a readable PDF: {problem}", problem=exc)]
    with pdf:
        reader = _Reader(pdf, level, ink_limit)
        reader.document(output_intent)
        for number, page in enumerate(pdf.pages, start=1):
            reader.page(number, page)
        reader.fonts()
        return reader.problems


class _Reader:
    def __init__(self, pdf: pikepdf.Pdf, level: str, ink_limit: float | None):
        self.pdf, self.level, self.ink_limit = pdf, level, ink_limit
        self.problems: list[str] = []
        self.subsets: dict[str, str] = {}
        self.seen: set[tuple[int, int]] = set()
        self.found: set[str] = set()

    def say(self, problem: str) -> None:
        if problem not in self.found:
            self.found.add(problem)
            self.problems.append(problem)

    # the document

    def document(self, output_intent: str | None) -> None:
        pdf, (version, conformance, pdf_version) = self.pdf, VERSIONS[self.level]
        if pdf.is_encrypted:
            self.say(_("is encrypted"))
        if pdf.pdf_version > pdf_version:
            self.say(_("is PDF {version}, {level} allows {allowed} at most", version=pdf.pdf_version, level=version,
                       allowed=pdf_version))
        info = pdf.trailer.get("/Info")
        info = info if isinstance(info, pikepdf.Dictionary) else pikepdf.Dictionary()
        if str(info.get("/GTS_PDFXVersion", "")) != version:
            self.say(_("{key} is {value}, expected {want}", key="GTS_PDFXVersion",
                       value=str(info.get("/GTS_PDFXVersion", "")) or _("missing"), want=version))
        if conformance and str(info.get("/GTS_PDFXConformance", "")) != conformance:
            self.say(_("{key} is {value}, expected {want}", key="GTS_PDFXConformance",
                       value=str(info.get("/GTS_PDFXConformance", "")) or _("missing"), want=conformance))
        if info.get("/Trapped") not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
            self.say(_("Trapped is not set to True or False"))
        for key in ("/Title", "/CreationDate", "/ModDate"):
            if key not in info:
                self.say(_("document information has no {key}", key=key[1:]))
        if "/ID" not in pdf.trailer:
            self.say(_("has no document ID in its trailer"))
        metadata = pdf.Root.get("/Metadata")
        xmp = metadata.read_bytes().decode("utf-8", "replace") if isinstance(metadata, pikepdf.Stream) else ""
        if f"<pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>" not in xmp:
            self.say(_("XMP metadata does not identify the file as {level}", level=version))
        intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == pikepdf.Name("/GTS_PDFX")]
        if len(intents) != 1:
            self.say(_("has {count} PDF/X output intents, expected 1", count=len(intents)))
            return
        intent = intents[0]
        identifier = str(intent.get("/OutputConditionIdentifier", ""))
        if not identifier:
            self.say(_("the output intent has no OutputConditionIdentifier"))
        elif output_intent and identifier != output_intent:
            self.say(_("the output intent is {intent}, manifest says {want}", intent=identifier, want=output_intent))
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            self.say(_("the output intent's ICC profile is not embedded (DestOutputProfile)"))
        elif not _is_cmyk_output_profile(profile.read_bytes()):
            self.say(_("the output intent's profile is not a CMYK output profile"))

    # pages and what they draw

    def page(self, number: int, page: pikepdf.Page) -> None:
        where = _("page {number}", number=number)
        media = _box(page.obj.get("/MediaBox"))
        bleed = _box(page.obj.get("/BleedBox")) or media
        trim = _box(page.obj.get("/TrimBox")) or _box(page.obj.get("/ArtBox"))
        if media is None:
            self.say(_("{where}: has no MediaBox", where=where))
            return
        if trim is None:
            self.say(_("{where}: has neither TrimBox nor ArtBox", where=where))
        if bleed is not None and not _inside(bleed, media):
            self.say(_("{where}: {inner} {box} is not inside the {outer} {outer_box}", where=where, inner="BleedBox",
                       box=_text(bleed), outer="MediaBox", outer_box=_text(media)))
        if trim is not None and bleed is not None and not _inside(trim, bleed):
            self.say(_("{where}: {inner} {box} is not inside the {outer} {outer_box}", where=where, inner="TrimBox",
                       box=_text(trim), outer="BleedBox", outer_box=_text(bleed)))
        group = page.obj.get("/Group")
        if self.level == "x-1a" and isinstance(group, pikepdf.Dictionary) and group.get("/S") == pikepdf.Name("/Transparency"):
            self.say(_("{where}: has a transparency group, which PDF/X-1a forbids", where=where))
        self.content(where, page.obj, page.obj.get("/Resources", pikepdf.Dictionary()))

    def content(self, where: str, holder: pikepdf.Object, resources: pikepdf.Object) -> None:
        spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
        for instruction in pikepdf.parse_content_stream(holder):
            operands, op = instruction.operands, str(instruction.operator)
            if op in ("rg", "RG"):
                self.say(_("{where}: paints in DeviceRGB, which an output intent in CMYK does not allow", where=where))
            elif op in ("k", "K") and self.ink_limit is not None:
                total = sum(float(v) for v in operands) * 100
                if total > self.ink_limit + INK_SLACK:
                    self.say(_("{where}: a fill carries {ink:.0f} % ink, more than the {limit:g} % limit", where=where,
                               ink=total, limit=self.ink_limit))
            elif op in ("cs", "CS"):
                name = str(operands[0])
                self.space(where, spaces.get(name, pikepdf.Name(name)))
        for state in resources.get("/ExtGState", pikepdf.Dictionary()).values():
            self.graphics_state(where, state)
        for name, xobject in resources.get("/XObject", pikepdf.Dictionary()).items():
            self.xobject(f"{where} {name[1:]}", xobject, resources)

    def space(self, where: str, space: pikepdf.Object) -> None:
        family = str(space[0]) if isinstance(space, pikepdf.Array) else str(space)
        if family in RGB_SPACES or (family == "/ICCBased" and int(space[1].get("/N", 0)) == 3):
            self.say(_("{where}: uses an RGB colour space ({space})", where=where, space=family[1:]))
        elif self.level == "x-1a" and family not in X1A_SPACES:
            self.say(_("{where}: uses the colour space {space}, which PDF/X-1a forbids", where=where, space=family[1:]))
        elif family == "/Indexed":
            self.space(where, space[1])

    def graphics_state(self, where: str, state: pikepdf.Object) -> None:
        if self.level != "x-1a" or not isinstance(state, pikepdf.Dictionary):
            return
        soft_mask = state.get("/SMask", pikepdf.Name("/None"))
        blend = state.get("/BM", pikepdf.Name("/Normal"))
        if (soft_mask != pikepdf.Name("/None") or float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1
                or str(blend) not in ("/Normal", "/Compatible")):
            self.say(_("{where}: uses transparency (a soft mask, opacity or blend mode), which PDF/X-1a forbids",
                       where=where))

    def xobject(self, where: str, xobject: pikepdf.Object, parent: pikepdf.Object) -> None:
        key = xobject.objgen
        if key != (0, 0) and key in self.seen:
            return
        self.seen.add(key)
        subtype = xobject.get("/Subtype")
        if subtype == pikepdf.Name("/Image"):
            self.image(where, cast(pikepdf.Stream, xobject))  # an image XObject is a stream
        elif subtype == pikepdf.Name("/Form"):
            group = xobject.get("/Group")
            if self.level == "x-1a" and isinstance(group, pikepdf.Dictionary) \
                    and group.get("/S") == pikepdf.Name("/Transparency"):
                self.say(_("{where}: has a transparency group, which PDF/X-1a forbids", where=where))
            self.content(where, xobject, xobject.get("/Resources", parent))

    def image(self, where: str, image: pikepdf.Stream) -> None:
        if "/SMask" in image and self.level == "x-1a":
            self.say(_("{where}: an image has a soft mask (transparency), which PDF/X-1a forbids", where=where))
        space = image.get("/ColorSpace")
        if space is not None:
            self.space(_("{where}: an image", where=where), space)
        if self.ink_limit is None or space != pikepdf.Name("/DeviceCMYK"):
            return
        try:
            total = _most_ink(hashlib.sha256(image.read_raw_bytes()).digest(), image)
        except Exception as exc:  # noqa: BLE001
            self.say(_("{where}: an image cannot be decoded: {problem}", where=where, problem=exc))
            return
        if total > self.ink_limit + INK_SLACK:
            self.say(_("{where}: an image carries up to {ink:.0f} % ink, more than the {limit:g} % limit", where=where,
                       ink=total, limit=self.ink_limit))

    # fonts

    def fonts(self) -> None:
        """Every font embedded, every subset under a tag of its own: in the file, one name, one program."""
        for font in self.pdf.objects:
            if not isinstance(font, pikepdf.Dictionary) or font.get("/Type") != pikepdf.Name("/Font"):
                continue
            subtype = str(font.get("/Subtype", ""))
            if subtype == "/Type3":
                continue
            descendant = font.DescendantFonts[0] if subtype == "/Type0" else font
            name = str(descendant.get("/BaseFont", font.get("/BaseFont", "")))[1:]
            descriptor = descendant.get("/FontDescriptor")
            program = None
            if isinstance(descriptor, pikepdf.Dictionary):
                program = next((descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor), None)
            if program is None:
                self.say(_("font {name} is not embedded", name=name))
                continue
            if len(name) < 8 or name[6] != "+" or not (name[:6].isalpha() and name[:6].isupper()):
                continue  # a whole font, not a subset
            digest = hashlib.sha256(program.read_raw_bytes()).hexdigest()[:16]
            if self.subsets.setdefault(name, digest) != digest:
                self.say(_("font subset tag {name} names two different subsets", name=name))


_MOST_INK: dict[bytes, float] = {}  # one emblem is in hundreds of files


def _most_ink(digest: bytes, image: pikepdf.Stream) -> float:
    """The most C+M+Y+K of any pixel of a CMYK image, in percent."""
    import numpy as np

    if digest not in _MOST_INK:
        if len(_MOST_INK) > 256:
            _MOST_INK.clear()
        pixels = np.asarray(pikepdf.PdfImage(image).as_pil_image())
        _MOST_INK[digest] = float(pixels.sum(axis=2, dtype=np.uint16).max()) * 100 / 255
    return _MOST_INK[digest]


def _is_cmyk_output_profile(data: bytes) -> bool:
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    except (OSError, ImageCms.PyCMSError):
        return False
    return profile.xcolor_space.strip() == "CMYK" and profile.device_class == "prtr"


def _box(value: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    slack = 0.01  # points: reportlab writes boxes to two decimals
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[2] <= outer[2] + slack and inner[3] <= outer[3] + slack)


def _text(box: tuple[float, ...]) -> str:
    return "[" + " ".join(f"{v:g}" for v in box) + "]"
