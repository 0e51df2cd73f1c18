"""Text in a photo, read with Tesseract and its Danish language data.

Tesseract is a Debian package (``tesseract-ocr``, ``tesseract-ocr-dan``), run as a
separate process with a time limit and one thread. When it is missing, :func:`read_text`
says so (status ``unavailable`` and a Danish notice) and the rest of the check goes on.
``OMTANKE_TESSERACT`` names a ``tesseract`` binary that is not on ``PATH``.

The words come back with their boxes; the text is rebuilt from them (a line per line, a
blank line between blocks), so every character offset maps back to a word box in the photo.
The text is never logged and never put in an error message.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

import numpy as np

__all__ = ["OcrResult", "OcrWord", "read_text", "tesseract_path"]

#: seconds before Tesseract is stopped
TIMEOUT = 20.0
_MIN_CONFIDENCE = 45.0  # Tesseract's 0-100; below this, photos of people give noise
_OCR_MIN_SIDE = 1200  # smaller images are enlarged: Tesseract wants tall letters

_UNAVAILABLE = (
    "Tekst i billeder er ikke læst: Tesseract (tekstgenkendelse) er ikke installeret. "
    "Installér Debian-pakkerne tesseract-ocr og tesseract-ocr-dan (se README). "
    "Resten af tjekket er udført."
)
_NO_DANISH = (
    "Tesseract mangler dansk sprogdata (Debian-pakken tesseract-ocr-dan); teksten i "
    "billedet er læst med engelsk sprogdata, så æ, ø og å kan være læst forkert."
)
_NO_LANGUAGE = (
    "Tekst i billeder er ikke læst: Tesseract har hverken dansk eller engelsk sprogdata. "
    "Installér Debian-pakken tesseract-ocr-dan. Resten af tjekket er udført."
)


@dataclass(frozen=True, slots=True)
class OcrWord:
    start: int  # offsets into OcrResult.text
    end: int
    box: tuple[int, int, int, int]  # x, y, w, h in the grey image given to read_text
    confidence: float


@dataclass(frozen=True, slots=True)
class OcrResult:
    #: ok, off (not asked for), unavailable (no Tesseract or no language data), failed,
    #: timeout
    status: str
    text: str = ""
    words: tuple[OcrWord, ...] = ()
    language: str | None = None
    notice: str | None = None


def tesseract_path() -> str | None:
    """The ``tesseract`` binary: ``$OMTANKE_TESSERACT``, else the one on ``PATH``."""
    explicit = os.environ.get("OMTANKE_TESSERACT")
    if explicit is not None:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    return shutil.which("tesseract")


@functools.lru_cache(maxsize=8)
def _languages(binary: str) -> frozenset[str]:
    try:
        proc = subprocess.run(
            [binary, "--list-langs"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def read_text(gray: np.ndarray, *, timeout: float | None = None) -> OcrResult:
    """Read the text in a 2-D uint8 grey image (``timeout`` seconds at most, default
    :data:`TIMEOUT`). Boxes are in that image's pixels."""
    binary = tesseract_path()
    if binary is None:
        return OcrResult("unavailable", notice=_UNAVAILABLE)
    langs = _languages(binary)
    if "dan" in langs:
        lang, notice = "dan", None
    elif "eng" in langs:
        lang, notice = "eng", _NO_DANISH
    else:
        return OcrResult("unavailable", notice=_NO_LANGUAGE)

    import cv2

    h, w = gray.shape[:2]
    factor = 2.0 if max(h, w) < _OCR_MIN_SIDE else 1.0
    img = (
        cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        if (factor != 1.0)
        else gray
    )
    ok, pgm = cv2.imencode(".pgm", img)
    if not ok:  # pragma: no cover - encoding a uint8 array does not fail
        return OcrResult("failed", language=lang)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        proc = subprocess.run(
            [binary, "stdin", "stdout", "-l", lang, "--dpi", "300", "--psm", "3", "tsv"],
            input=pgm.tobytes(),
            capture_output=True,
            timeout=TIMEOUT if timeout is None else timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return OcrResult("timeout", language=lang)
    except OSError:
        return OcrResult("failed", language=lang)
    if proc.returncode != 0:
        return OcrResult("failed", language=lang)
    text, words = _parse_tsv(proc.stdout.decode("utf-8", "replace"), factor)
    return OcrResult("ok", text, words, lang, notice)


def _parse_tsv(tsv: str, factor: float) -> tuple[str, tuple[OcrWord, ...]]:
    """Rebuild the text from Tesseract's TSV: words joined by spaces, lines by newlines,
    blocks and paragraphs by a blank line (a sentence break for the text checks)."""
    parts: list[str] = []
    words: list[OcrWord] = []
    length = 0
    last_line: tuple[str, str, str] | None = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        try:
            conf = float(cols[10])
            left, top, width, height = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        if not word or conf < _MIN_CONFIDENCE or not any(ch.isalnum() for ch in word):
            continue
        line = (cols[2], cols[3], cols[4])
        if last_line is not None:
            sep = " " if line == last_line else ("\n" if line[:2] == last_line[:2] else "\n\n")
            parts.append(sep)
            length += len(sep)
        last_line = line
        box = (
            round(left / factor),
            round(top / factor),
            max(1, round(width / factor)),
            max(1, round(height / factor)),
        )
        words.append(OcrWord(length, length + len(word), box, conf))
        parts.append(word)
        length += len(word)
    return "".join(parts), tuple(words)
