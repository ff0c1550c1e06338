"""The press a campaign's print files are made for: its ICC output profile, and every colour through it.

LittleCMS (Pillow's ImageCms) converts sRGB (or an image's embedded profile) to the profile's CMYK with
the stated rendering intent; the same profile, back to sRGB, is the soft proof a designer looks at. The
default profile, profiles/FOGRA39L_coated.icc, is built from Fogra's free FOGRA39L characterisation
data (tools/make-print-profile): ISO 12647-2 offset on coated paper, the common reference condition of
offset printing, with a total ink limit of 300 %.
"""

from __future__ import annotations

import functools
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageCms

from assets_pipeline.core.color import CMYK, full_gcr_pixels, hex_rgb, linear_srgb
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.i18n import _

if TYPE_CHECKING:
    import numpy as np

DEFAULT_PROFILE = str(Path(__file__).parent / "profiles" / "FOGRA39L_coated.icc")
# The ICC registry's name of the characterisation the default profile is built from.
DEFAULT_CONDITION = ("FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1, offset, coated paper)")
REGISTRY = "http://www.color.org"
INTENTS = {"perceptual": ImageCms.Intent.PERCEPTUAL, "relative-colorimetric": ImageCms.Intent.RELATIVE_COLORIMETRIC}


@dataclass(frozen=True)
class Press:
    """What a print file is made for. A job holds one: its key follows the profile's content."""

    profile_path: str
    identifier: str  # OutputConditionIdentifier: a registered condition (FOGRA39) or the profile's name
    condition: str  # the condition in words, for the output intent's Info
    registry: str  # where `identifier` is registered ("" for a print shop's own profile)
    intent: str  # a key of INTENTS
    ink_limit: float  # the most C+M+Y+K, in percent
    conversion: str  # "profile", "full-gcr" (an explicit opt-in) or "none": how RGB becomes CMYK
    pdfx: str  # "x-4" or "x-1a"
    dated: str  # the files' creation date (ISO): the campaign's first day, so a build is the same byte for byte


class ProfileProblem(Exception):
    """Why a profile cannot be used, in a phrase that follows "profile 'x' …"."""


def read_profile(path: str) -> ImageCms.ImageCmsProfile:
    """The CMYK output profile at `path` (once per content)."""
    return _profile(path, content_digest(path))


@functools.lru_cache(maxsize=4)
def _profile(path: str, digest: str) -> ImageCms.ImageCmsProfile:
    # read into memory: LittleCMS reads a profile opened from a file lazily, through one file offset
    # that the worker processes forked from this one would share, and their reads would interleave
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(Path(path).read_bytes()))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ProfileProblem(_("is not an ICC profile: {problem}", problem=exc)) from None
    if profile.profile.xcolor_space.strip() != "CMYK" or profile.profile.device_class != "prtr":
        raise ProfileProblem(_("is not a CMYK output (printer) profile")) from None
    return profile


def profile_name(path: str) -> str:
    return ImageCms.getProfileDescription(read_profile(path)).strip()


@functools.cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@functools.lru_cache(maxsize=16)
def _to_cmyk(path: str, digest: str, intent: str, source: bytes | None) -> ImageCms.ImageCmsTransform:
    src = ImageCms.ImageCmsProfile(io.BytesIO(source)) if source else _srgb()
    return ImageCms.buildTransform(src, _profile(path, digest), "RGB", "CMYK", renderingIntent=INTENTS[intent],
                                   flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)


@functools.lru_cache(maxsize=8)
def _to_screen(path: str, digest: str) -> ImageCms.ImageCmsTransform:
    """CMYK as printed, seen on an sRGB screen: relative colorimetric, paper white shown as white."""
    return ImageCms.buildTransform(_profile(path, digest), _srgb(), "CMYK", "RGB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def cmyk_pixels(rgb: np.ndarray, press: Press, icc: bytes | None = None) -> np.ndarray:
    """H × W × 3 uint8 RGB (sRGB, or the embedded profile `icc`) as H × W × 4 uint8 CMYK (0…255 = 0…100 %),
    within the press's ink limit."""
    import numpy as np

    if press.conversion == "full-gcr":
        cmyk = full_gcr_pixels(rgb)
    else:
        transform = _to_cmyk(press.profile_path, content_digest(press.profile_path), press.intent, icc)
        cmyk = np.asarray(_apply(transform, Image.fromarray(np.ascontiguousarray(rgb), "RGB"), "CMYK"))
    return limit_ink(cmyk, press.ink_limit)


def limit_ink(cmyk: np.ndarray, limit_percent: float) -> np.ndarray:
    """Take C, M and Y down together, K kept, where a pixel's total is over the limit: a profile's own
    separation keeps within it, but rounding, a print shop's profile with a higher limit or the
    full-gcr formula may not."""
    import numpy as np

    limit = limit_percent * 255 / 100
    values = cmyk.astype(np.int32)
    total = values.sum(axis=2)
    over = total > math.floor(limit)
    if not over.any():
        return cmyk
    cmy, k = values[..., :3][over], values[..., 3][over]
    room = np.maximum(math.floor(limit) - k, 0)
    factor = room / np.maximum(cmy.sum(axis=1), 1)
    values[..., :3][over] = np.floor(cmy * factor[:, None]).astype(np.int32)
    return values.astype(np.uint8)


def cmyk_of(color: str, press: Press) -> CMYK:
    """One `#RRGGBB` colour's CMYK (0…1) through the press (once per profile content: every piece asks)."""
    return _cmyk_of(color, press, content_digest(press.profile_path))


@functools.lru_cache(maxsize=256)
def _cmyk_of(color: str, press: Press, digest: str) -> CMYK:
    import numpy as np

    pixel = cmyk_pixels(np.array([[hex_rgb(color)]], dtype=np.uint8), press)[0, 0]
    c, m, y, k = (round(int(v) / 255, 4) for v in pixel)
    return c, m, y, k


def screen_pixels(cmyk: np.ndarray, press: Press) -> np.ndarray:
    """H × W × 4 uint8 CMYK as the press prints it, in sRGB: the soft proof."""
    import numpy as np

    transform = _to_screen(press.profile_path, content_digest(press.profile_path))
    image = Image.fromarray(np.ascontiguousarray(cmyk), "CMYK")
    return np.asarray(_apply(transform, image, "RGB"))


def _apply(transform: ImageCms.ImageCmsTransform, image: Image.Image, mode: str) -> Image.Image:
    """`transform` applied to `image`: LittleCMS's own call, without the copy of the output profile
    that ImageCms.applyTransform serialises into every result (and that LittleCMS now and then fails
    to size, in a worker process)."""
    result = Image.new(mode, image.size)
    transform.transform.apply(image.getim(), result.getim())
    return result


@functools.lru_cache(maxsize=8)
def _proof(path: str, digest: str, intent: str) -> ImageCms.ImageCmsTransform:
    """sRGB through the press and back to sRGB in one pass: LittleCMS joins the two conversions into
    one table, three times faster than going through a CMYK image."""
    return ImageCms.buildProofTransform(_srgb(), _srgb(), _profile(path, digest), "RGB", "RGB",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                        proofRenderingIntent=INTENTS[intent],
                                        flags=ImageCms.Flags.SOFTPROOFING | ImageCms.Flags.BLACKPOINTCOMPENSATION)


def printed_pixels(rgb: np.ndarray, press: Press) -> np.ndarray:
    """H × W × 3 uint8 sRGB as the press prints it when converted through its profile, in sRGB."""
    import numpy as np

    if press.conversion == "full-gcr":
        return screen_pixels(cmyk_pixels(rgb, press), press)
    transform = _proof(press.profile_path, content_digest(press.profile_path), press.intent)
    return np.asarray(_apply(transform, Image.fromarray(np.ascontiguousarray(rgb), "RGB"), "RGB"))


def screen_color(cmyk: CMYK, press: Press) -> str:
    """A print value (0…1) as it prints, as `#RRGGBB`."""
    import numpy as np

    pixel = np.array([[[round(v * 255) for v in cmyk]]], dtype=np.uint8)
    r, g, b = (int(v) for v in screen_pixels(pixel, press)[0, 0])
    return f"#{r:02X}{g:02X}{b:02X}"


def lab(color: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (linear_srgb(v) for v in hex_rgb(color))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar ** 7 / (c_bar ** 7 + 25 ** 7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_bar - 30)) + 0.24 * math.cos(math.radians(2 * h_bar))
         + 0.32 * math.cos(math.radians(3 * h_bar + 6)) - 0.20 * math.cos(math.radians(4 * h_bar - 63)))
    d_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar ** 7 / (cp_bar ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h))


def color_shift(color: str, cmyk: CMYK, press: Press) -> tuple[float, str]:
    """How far a colour moves from its screen value when printed with `cmyk` (ΔE2000), and the colour
    it prints as (`#RRGGBB`): once per profile content, as every piece asks of the same few colours."""
    return _color_shift(color, cmyk, press, content_digest(press.profile_path))


@functools.lru_cache(maxsize=256)
def _color_shift(color: str, cmyk: CMYK, press: Press, digest: str) -> tuple[float, str]:
    printed = screen_color(cmyk, press)
    return delta_e2000(lab(color), lab(printed)), printed
