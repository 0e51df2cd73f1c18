"""Metadata in a photo: where (GPS, place names), who (photographer, owner, people tagged),
when (timestamps), and descriptive text (captions, comments, keywords).

Sources: EXIF (JPEG APP1, PNG eXIf or ImageMagick's raw profile; read by the strict reader
in :mod:`.exif`), XMP (JPEG APP1, PNG iTXt), IPTC (JPEG APP13), PNG text chunks and the
JPEG comment. Damaged EXIF, XMP or IPTC raises
:class:`~omtanke.errors.ImageMetadataError`: Omtanke cannot say what such a photo reveals.
Values never appear in an error message.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ImageMetadataError
from .exif import ExifFormatError, parse_exif

__all__ = ["ImageMetadata", "MetadataItem", "parse_xmp", "read_metadata"]

_MAX_XMP = 2 * 1024 * 1024
_MAX_VALUE = 500  # characters kept of one value


@dataclass(frozen=True, slots=True)
class MetadataItem:
    field: str  # e.g. "EXIF Artist", "XMP dc:creator", "PNG Author"
    value: str


@dataclass(frozen=True, slots=True)
class ImageMetadata:
    orientation: int = 1
    #: (latitude, longitude) in decimal degrees
    gps: tuple[float, float] | None = None
    gps_field: str = ""
    people: tuple[MetadataItem, ...] = ()
    places: tuple[MetadataItem, ...] = ()
    timestamps: tuple[MetadataItem, ...] = ()
    #: descriptive text: captions, comments, titles, keywords
    texts: tuple[MetadataItem, ...] = ()
    #: every metadata field present, by name
    fields: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The descriptive texts, one paragraph each (what the text checks read)."""
        return "\n\n".join(item.value for item in self.texts)


class _Collector:
    def __init__(self) -> None:
        self.people: list[MetadataItem] = []
        self.places: list[MetadataItem] = []
        self.times: list[MetadataItem] = []
        self.texts: list[MetadataItem] = []
        self.fields: list[str] = []
        self.gps: tuple[float, float] | None = None
        self.gps_field = ""

    def field(self, name: str) -> None:
        if name not in self.fields:
            self.fields.append(name)

    def add(self, kind: str, name: str, value: Any) -> None:
        text = _clean(value)
        if not text:
            return
        self.field(name)
        target = {
            "people": self.people,
            "places": self.places,
            "time": self.times,
            "text": self.texts,
        }[kind]
        if kind == "time":
            text = _iso_time(text)
        if not any(item.value.casefold() == text.casefold() for item in target):
            target.append(MetadataItem(name, text))

    def set_gps(self, position: tuple[float, float] | None, name: str) -> None:
        self.field(name)
        if position is not None and self.gps is None:
            self.gps, self.gps_field = position, name


def read_metadata(im: Any, name: str) -> ImageMetadata:
    """Read the metadata of an opened (not necessarily decoded) Pillow image."""
    info: Mapping[str, Any] = im.info
    out = _Collector()
    orientation = 1
    try:
        raw_exif = _raw_exif(info)
        if raw_exif:
            orientation = _read_exif(raw_exif, out)
        for xmp in _raw_xmp(info):
            _read_xmp(xmp, out)
        if im.format in ("JPEG", "MPO"):
            _read_iptc(im, out)
            if info.get("comment"):
                out.add("text", "JPEG-kommentar", info["comment"])
        elif im.format == "PNG":
            _read_png_text(info, out)
    except (ExifFormatError, ET.ParseError, ValueError, SyntaxError, IndexError, TypeError):
        raise ImageMetadataError(name) from None
    return ImageMetadata(
        orientation=orientation,
        gps=out.gps,
        gps_field=out.gps_field,
        people=tuple(out.people),
        places=tuple(out.places),
        timestamps=tuple(out.times),
        texts=tuple(out.texts),
        fields=tuple(out.fields),
    )


# -- EXIF ------------------------------------------------------------------------------
_EXIF_PEOPLE = ("Artist", "XPAuthor", "CameraOwnerName", "Copyright")
_EXIF_TIMES = ("DateTimeOriginal", "DateTimeDigitized", "DateTime")
_EXIF_TEXTS = ("ImageDescription", "XPTitle", "XPSubject", "XPComment", "XPKeywords", "UserComment")
_EXIF_OTHER = ("Make", "Model", "Software", "BodySerialNumber")


def _raw_exif(info: Mapping[str, Any]) -> bytes | None:
    raw = info.get("exif")
    if isinstance(raw, bytes) and raw:
        return raw
    for key in ("Raw profile type exif", "Raw profile type APP1"):
        profile = info.get(key)
        if isinstance(profile, str) and profile.strip():
            # ImageMagick: "\nexif\n    LENGTH\nHEX…"
            return bytes.fromhex("".join(profile.split("\n")[3:]))
    return None


def _read_exif(raw: bytes, out: _Collector) -> int:
    data = parse_exif(raw)
    tags = {**data.main, **data.exif}
    for key in _EXIF_PEOPLE:
        if key in tags:
            out.add("people", f"EXIF {key}", _exif_text(key, tags[key]))
    for key in _EXIF_TIMES:
        if key in tags:
            out.add("time", f"EXIF {key}", tags[key])
    for key in _EXIF_TEXTS:
        if key in tags:
            out.add("text", f"EXIF {key}", _exif_text(key, tags[key]))
    for key in _EXIF_OTHER:
        if key in tags and _clean(tags[key]):
            out.field(f"EXIF {key}")
    if data.has_gps_ifd:
        out.set_gps(_exif_gps(data.gps), "EXIF GPS")
        date, stamp = data.gps.get("GPSDateStamp"), data.gps.get("GPSTimeStamp")
        if isinstance(date, str) and date.strip():
            when = date.strip()
            if isinstance(stamp, tuple) and len(stamp) == 3:
                hms = [_rational(v) for v in stamp]
                if all(v is not None for v in hms):
                    when += " {:02d}:{:02d}:{:02d}".format(*(int(v or 0) for v in hms))
            out.add("time", "EXIF GPSDateStamp", when)
    orientation = tags.get("Orientation", 1)
    return orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1


def _exif_text(key: str, value: Any) -> str:
    if not isinstance(value, bytes):
        return _clean(value)
    if key.startswith("XP"):  # Windows: UTF-16LE, NUL-terminated
        return value.decode("utf-16-le", errors="replace").split("\x00", 1)[0]
    if key == "UserComment":  # 8-byte character code, then the text
        code, body = value[:8], value[8:]
        if code.startswith(b"UNICODE"):
            enc = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
            return body.decode(enc, errors="replace").split("\x00", 1)[0]
        return body.split(b"\x00", 1)[0].decode("latin-1")
    return value.split(b"\x00", 1)[0].decode("latin-1")


def _rational(value: Any) -> float | None:
    if isinstance(value, tuple) and len(value) == 2:
        num, den = value
        return None if den == 0 else float(num) / float(den)
    if isinstance(value, (int, float)):
        return float(value)
    return None


def _exif_gps(gps: Mapping[str, Any]) -> tuple[float, float] | None:
    def degrees(key: str, ref_key: str, negative: str) -> float | None:
        value = gps.get(key)
        if not isinstance(value, tuple) or not value:
            return None
        parts = [_rational(v) for v in (value if isinstance(value[0], tuple) else [value])]
        if any(p is None for p in parts) or len(parts) > 3:
            return None
        total = sum((p or 0.0) / 60.0**i for i, p in enumerate(parts))
        ref = gps.get(ref_key)
        return -total if isinstance(ref, str) and ref.strip().upper() == negative else total

    return _position(
        degrees("GPSLatitude", "GPSLatitudeRef", "S"),
        degrees("GPSLongitude", "GPSLongitudeRef", "W"),
    )


def _position(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """A usable position, or None: missing, out of range, or exactly 0,0 (no fix)."""
    if lat is None or lon is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return (lat, lon)


# -- XMP -------------------------------------------------------------------------------
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "tiff": "http://ns.adobe.com/tiff/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
    "MPReg": "http://ns.microsoft.com/photo/1.2/t/Region#",
}
_XMP_PROPS: dict[tuple[str, str], str] = {
    ("dc", "creator"): "people",
    ("xmpRights", "Owner"): "people",
    ("photoshop", "Credit"): "people",
    ("photoshop", "CaptionWriter"): "people",
    ("tiff", "Artist"): "people",
    ("Iptc4xmpExt", "PersonInImage"): "people",
    ("mwg-rs", "Name"): "people",
    ("MPReg", "PersonDisplayName"): "people",
    ("photoshop", "City"): "places",
    ("Iptc4xmpCore", "Location"): "places",
    ("Iptc4xmpExt", "City"): "places",
    ("Iptc4xmpExt", "Sublocation"): "places",
    ("Iptc4xmpExt", "LocationName"): "places",
    ("xmp", "CreateDate"): "time",
    ("photoshop", "DateCreated"): "time",
    ("exif", "DateTimeOriginal"): "time",
    ("dc", "description"): "text",
    ("dc", "title"): "text",
    ("dc", "subject"): "text",
    ("dc", "rights"): "text",
    ("photoshop", "Headline"): "text",
    ("tiff", "ImageDescription"): "text",
    ("Iptc4xmpCore", "CiEmailWork"): "text",
    ("Iptc4xmpCore", "CiTelWork"): "text",
    ("Iptc4xmpCore", "CiAdrExtadr"): "text",
    ("exif", "GPSLatitude"): "lat",
    ("exif", "GPSLongitude"): "lon",
}
_BY_URI = {(_NS[p], local): (f"{p}:{local}", kind) for (p, local), kind in _XMP_PROPS.items()}
_RDF_LI = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li"
_TAG_RE = re.compile(r"^\{([^}]*)\}(.*)$")


def _raw_xmp(info: Mapping[str, Any]) -> list[bytes]:
    found: list[bytes] = []
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = info.get(key)
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, bytes) and value.strip() and value not in found:
            found.append(value)
    return found


def parse_xmp(raw: bytes) -> ET.Element:
    """Parse an XMP packet safely: bounded size, no DTD (so no entity expansion)."""
    if len(raw) > _MAX_XMP or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise ValueError("XMP")
    return ET.fromstring(raw.strip(b"\x00 \t\r\n"))


def _read_xmp(raw: bytes, out: _Collector) -> None:
    root = parse_xmp(raw)
    lat = lon = None
    for el in root.iter():
        for key, value in el.attrib.items():
            prop = _BY_URI.get(_split(key))
            if prop is not None:
                lat, lon = _xmp_value(prop, [value], out, lat, lon)
        prop = _BY_URI.get(_split(el.tag))
        if prop is not None:
            items = [li.text or "" for li in el.iter(_RDF_LI)] or [el.text or ""]
            lat, lon = _xmp_value(prop, items, out, lat, lon)
    if lat is not None or lon is not None:
        out.set_gps(_position(lat, lon), "XMP exif:GPSLatitude/GPSLongitude")


def _split(tag: str) -> tuple[str, str]:
    m = _TAG_RE.match(tag)
    return (m.group(1), m.group(2)) if m else ("", tag)


def _xmp_value(
    prop: tuple[str, str],
    values: Iterable[str],
    out: _Collector,
    lat: float | None,
    lon: float | None,
) -> tuple[float | None, float | None]:
    label, kind = prop
    for value in values:
        if kind == "lat":
            lat = _xmp_degrees(value)
        elif kind == "lon":
            lon = _xmp_degrees(value)
        else:
            out.add(kind, f"XMP {label}", value)
    return lat, lon


_XMP_GPS_RE = re.compile(
    r"^\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$"
)


def _xmp_degrees(value: str) -> float | None:
    """XMP GPS coordinates: "DDD,MM,SSk" or "DDD,MM.mmk" (k = N, S, E or W)."""
    m = _XMP_GPS_RE.match(value.upper())
    if not m:
        return None
    total = int(m.group(1)) + float(m.group(2)) / 60 + float(m.group(3) or 0) / 3600
    return -total if m.group(4) in "SW" else total


# -- IPTC, PNG text ----------------------------------------------------------------------
_IPTC: dict[tuple[int, int], tuple[str, str]] = {
    (2, 80): ("people", "By-line"),
    (2, 122): ("people", "Writer-Editor"),
    (2, 116): ("people", "CopyrightNotice"),
    (2, 90): ("places", "City"),
    (2, 92): ("places", "Sub-location"),
    (2, 55): ("time", "DateCreated"),
    (2, 120): ("text", "Caption-Abstract"),
    (2, 105): ("text", "Headline"),
    (2, 25): ("text", "Keywords"),
    (2, 5): ("text", "ObjectName"),
}


def _read_iptc(im: Any, out: _Collector) -> None:
    if not im.info.get("photoshop"):
        return
    from PIL import IptcImagePlugin

    iptc = IptcImagePlugin.getiptcinfo(im)
    if not iptc:
        return
    for key, (kind, label) in _IPTC.items():
        values = iptc.get(key)
        if values is None:
            continue
        for value in values if isinstance(values, list) else [values]:
            out.add(kind, f"IPTC {label}", value)


_PNG_TEXT = {
    "Author": "people",
    "Copyright": "people",
    "Creation Time": "time",
    "date:create": "time",
    "Title": "text",
    "Description": "text",
    "Comment": "text",
    "Disclaimer": "text",
}
_PNG_TECHNICAL = {
    "exif",
    "xmp",
    "XML:com.adobe.xmp",
    "Raw profile type exif",
    "Raw profile type APP1",
    "icc_profile",
    "dpi",
    "gamma",
    "transparency",
    "aspect",
    "srgb",
    "chromaticity",
}


def _read_png_text(info: Mapping[str, Any], out: _Collector) -> None:
    for key, value in info.items():
        if key in _PNG_TECHNICAL or not isinstance(value, str):
            continue
        kind = _PNG_TEXT.get(key)
        if kind is not None:
            out.add(kind, f"PNG {key}", value)
        elif key in ("Software", "Source") or key.startswith("date:"):
            out.field(f"PNG {key}")
        else:
            out.add("text", f"PNG {key}", value)


# -- values ------------------------------------------------------------------------------
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    text = _CTRL_RE.sub(" ", value).strip()
    return text[:_MAX_VALUE]


_EXIF_TIME_RE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)")


def _iso_time(value: str) -> str:
    """EXIF's "2024:05:01 10:11:12" as "2024-05-01T10:11:12"; other forms as they are."""
    m = _EXIF_TIME_RE.match(value)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}T{m.group(4)}"
    return value[:64]
