"""``omtanke redact-image IND UD``: a copy of a photo with faces blurred and metadata gone.

Only the standard library is imported at module level (``omtanke --help`` stays fast); the
image code is loaded when the command runs.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["add_parsers", "read_image_file"]

_SUFFIXES = {"JPEG": (".jpg", ".jpeg", ".jpe", ".jfif"), "PNG": (".png",)}
_EXIT_OK, _EXIT_USAGE = 0, 2


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    del parser_class  # no nested sub-commands here
    p = sub.add_parser(
        "redact-image",
        help="lav en kopi af et billede med slørede ansigter og uden metadata",
        description=(
            "Lav en kopi af et billede (JPEG eller PNG), hvor ansigterne er sløret, og hvor\n"
            "alle metadata er fjernet: GPS-position, tidspunkter, fotograf og ejer (EXIF,\n"
            "XMP, IPTC), kommentarer og farveprofil. Kopien får samme format som originalen."
        ),
        epilog="Eksempel:\n  omtanke redact-image tur.jpg tur-renset.jpg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", type=Path, metavar="IND", help="billedet (JPEG eller PNG)")
    p.add_argument("output", type=Path, metavar="UD", help="den rensede kopi (samme format)")
    p.add_argument("-f", "--force", action="store_true", help="overskriv UD, hvis filen findes")
    p.set_defaults(handler=_cmd_redact)


def read_image_file(path: Path) -> bytes:
    """The bytes of an image file, with Danish errors (the size limit is checked first)."""
    from ..errors import ImageTooLargeError, InputError
    from .probe import DEFAULT_LIMITS

    try:
        size = path.stat().st_size
        if size > DEFAULT_LIMITS.max_bytes:
            mb = DEFAULT_LIMITS.max_bytes // (1024 * 1024)
            raise ImageTooLargeError(str(path), f"filen er over {mb} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Billedet '{path}' findes ikke.") from None
    except IsADirectoryError:
        raise InputError(f"'{path}' er en mappe, ikke et billede.") from None
    except OSError as exc:
        raise InputError(f"Billedet '{path}' kan ikke læses ({exc.strerror}).") from None


def _cmd_redact(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from .probe import probe
    from .redaction import redact

    src: Path = args.input
    dst: Path = args.output
    if dst.exists() and src.exists() and dst.resolve() == src.resolve():
        raise InputError("UD må ikke være den samme fil som IND: originalen skal bevares.")
    if dst.exists() and not args.force:
        raise InputError(f"'{dst}' findes allerede. Brug --force for at overskrive den.")
    data = read_image_file(src)
    fmt = probe(data, src.name).format
    if dst.suffix.lower() not in _SUFFIXES[fmt]:
        wanted = " eller ".join(_SUFFIXES[fmt][:2])
        raise InputError(
            f"Billedet er {fmt}, og kopien får samme format: giv UD endelsen {wanted}."
        )
    result = redact(data, name=src.name)
    _write_atomically(dst, result.data)
    faces = len(result.faces)
    what = (
        "ingen ansigter fundet"
        if faces == 0
        else f"{faces} ansigt{'er' if faces > 1 else ''} sløret"
    )
    removed = ", ".join(result.removed) if result.removed else "ingen fundet"
    print(f"Renset kopi gemt i {dst} ({result.width} × {result.height} px): {what}.")
    print(f"Metadata fjernet: {removed}.")
    return _EXIT_OK


def _write_atomically(dst: Path, data: bytes) -> None:
    """Write to a temporary file beside ``dst`` and rename it: never a half-written copy."""
    from ..errors import InputError

    folder = dst.parent if str(dst.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".omtanke-", suffix=dst.suffix, dir=folder)
    except OSError as exc:
        raise InputError(f"'{dst}' kan ikke skrives ({exc.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a copy is an ordinary file
        os.replace(tmp, dst)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"'{dst}' kan ikke skrives ({exc.strerror}).") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
