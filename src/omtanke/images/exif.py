"""A strict reader for the EXIF fields Omtanke needs.

Pillow reads damaged EXIF leniently: it warns and returns what it could, so a damaged GPS
block would look like "no GPS". Omtanke must know the difference, because it tells the user
whether the photo reveals where it was taken. This reader checks the structure (byte order,
IFD offsets and entry counts inside the data, no loops) and reads only the tags below from
the main IFD, the Exif IFD and the GPS IFD. Any structural fault raises
:class:`ExifFormatError`. It never reads outside the data and stops after a fixed number
of entries, so a crafted block cannot make it hang.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EXIF_TAGS", "GPS_TAGS", "ExifData", "ExifFormatError", "parse_exif"]


class ExifFormatError(ValueError):
    """The EXIF data is damaged."""


#: main IFD and Exif IFD tags that are read: tag → name
EXIF_TAGS: dict[int, str] = {
    0x010E: "ImageDescription",
    0x010F: "Make",
    0x0110: "Model",
    0x0112: "Orientation",
    0x0131: "Software",
    0x0132: "DateTime",
    0x013B: "Artist",
    0x8298: "Copyright",
    0x9C9B: "XPTitle",
    0x9C9C: "XPComment",
    0x9C9D: "XPAuthor",
    0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject",
    0x9003: "DateTimeOriginal",
    0x9004: "DateTimeDigitized",
    0x9286: "UserComment",
    0xA430: "CameraOwnerName",
    0xA431: "BodySerialNumber",
}
#: GPS IFD tags that are read
GPS_TAGS: dict[int, str] = {
    0x0001: "GPSLatitudeRef",
    0x0002: "GPSLatitude",
    0x0003: "GPSLongitudeRef",
    0x0004: "GPSLongitude",
    0x0005: "GPSAltitudeRef",
    0x0006: "GPSAltitude",
    0x0007: "GPSTimeStamp",
    0x001D: "GPSDateStamp",
}
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# type → size in bytes of one value
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
_MAX_ENTRIES = 2000  # per IFD; real ones have a few dozen
_MAX_VALUE_COUNT = 65536  # values of one tag that are decoded


@dataclass(slots=True)
class ExifData:
    """The tags read, by name. Rationals are ``(numerator, denominator)`` pairs."""

    main: dict[str, Any] = field(default_factory=dict)
    exif: dict[str, Any] = field(default_factory=dict)
    gps: dict[str, Any] = field(default_factory=dict)
    has_gps_ifd: bool = False


def parse_exif(raw: bytes) -> ExifData:
    """Parse an EXIF block (with or without the ``Exif\\0\\0`` prefix of JPEG's APP1)."""
    if raw.startswith(b"Exif\x00\x00"):
        raw = raw[6:]
    if len(raw) < 8:
        raise ExifFormatError("too short")
    if raw[:2] == b"II":
        bo = "<"
    elif raw[:2] == b"MM":
        bo = ">"
    else:
        raise ExifFormatError("byte order")
    magic, ifd0 = struct.unpack(bo + "HI", raw[2:8])
    if magic != 42:
        raise ExifFormatError("magic")
    reader = _Reader(raw, bo)
    out = ExifData()
    pointers = reader.ifd(ifd0, EXIF_TAGS, out.main)
    if _EXIF_IFD in pointers:
        reader.ifd(pointers[_EXIF_IFD], EXIF_TAGS, out.exif)
    if _GPS_IFD in pointers:
        out.has_gps_ifd = True
        reader.ifd(pointers[_GPS_IFD], GPS_TAGS, out.gps)
    return out


class _Reader:
    def __init__(self, data: bytes, bo: str) -> None:
        self.data = data
        self.bo = bo
        self.seen: set[int] = set()

    def ifd(self, offset: int, wanted: dict[int, str], out: dict[str, Any]) -> dict[int, int]:
        """Read the wanted tags of the IFD at ``offset`` into ``out``; return the sub-IFD
        pointers found (Exif, GPS)."""
        data, bo = self.data, self.bo
        if offset in self.seen:
            raise ExifFormatError("loop")
        self.seen.add(offset)
        if offset < 8 or offset + 2 > len(data):
            raise ExifFormatError("IFD offset")
        (count,) = struct.unpack(bo + "H", data[offset : offset + 2])
        if count > _MAX_ENTRIES or offset + 2 + 12 * count > len(data):
            raise ExifFormatError("IFD size")
        pointers: dict[int, int] = {}
        for i in range(count):
            entry = offset + 2 + 12 * i
            tag, typ, n = struct.unpack(bo + "HHI", data[entry : entry + 8])
            if tag in (_EXIF_IFD, _GPS_IFD) and wanted is EXIF_TAGS:
                if typ not in (4, 13) or n != 1:
                    raise ExifFormatError("sub-IFD pointer")
                (pointers[tag],) = struct.unpack(bo + "I", data[entry + 8 : entry + 12])
                continue
            name = wanted.get(tag)
            if name is None or typ not in _TYPE_SIZES:
                continue  # not needed (MakerNote and the like are never followed)
            size = _TYPE_SIZES[typ] * n
            if n > _MAX_VALUE_COUNT:
                raise ExifFormatError("value count")
            if size <= 4:
                value = data[entry + 8 : entry + 8 + size]
            else:
                (at,) = struct.unpack(bo + "I", data[entry + 8 : entry + 12])
                if at + size > len(data):
                    raise ExifFormatError("value offset")
                value = data[at : at + size]
            out[name] = self._decode(typ, n, value)
        return pointers

    def _decode(self, typ: int, n: int, value: bytes) -> Any:
        bo = self.bo
        if typ == 2:  # ASCII
            return _text(value.split(b"\x00", 1)[0])
        if typ in (1, 6, 7):  # bytes
            return value
        if typ in (3, 8):
            vals: tuple[Any, ...] = struct.unpack(f"{bo}{n}{'H' if typ == 3 else 'h'}", value)
        elif typ in (4, 9, 13):
            vals = struct.unpack(f"{bo}{n}{'I' if typ in (4, 13) else 'i'}", value)
        elif typ in (5, 10):
            flat = struct.unpack(f"{bo}{2 * n}{'I' if typ == 5 else 'i'}", value)
            vals = tuple(zip(flat[::2], flat[1::2], strict=True))
        elif typ == 11:
            vals = struct.unpack(f"{bo}{n}f", value)
        else:
            vals = struct.unpack(f"{bo}{n}d", value)
        return vals[0] if n == 1 else vals


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return raw.decode("latin-1").strip()
