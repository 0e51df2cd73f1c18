#!/usr/bin/env python3
"""Build ``src/omtanke/detectors/data/streets.txt.gz`` from the Post Danmark street list.

Usage::

    python scripts/build_street_list.py [INPUT] [--out-dir DIR]

``INPUT`` defaults to ``/work/shared/data/streets/streetnames_postdanmark_2015.txt`` (one
street name per line, UTF-8; from github.com/os2datascanner/os2webscanner, MPL-2.0).

What the script does, so the shipped file can be re-derived and checked:

1. strips every line, applies Unicode NFC and collapses inner whitespace;
2. drops junk rows: names shorter than three characters, rows with a comma, slash or
   parenthesis (allotment associations such as ``"Enghaven, Havef"``, ``"H/F Rosen"``,
   truncated entries), rows whose last word contains a digit (``"Bro 1"``, ``"Pier 3"``,
   ``"S12"``, ``"Hovedlandevej 327"`` would collide with house numbers) and administrative
   placeholders (``"Uden Fast Bopæl"``, ``"Ukendt Adresse"``, ``"Folkeregistret 1"``,
   ``"Københavns Kommune 3"``, ``"Retur Til Afsender1"`` ...);
3. removes exact duplicates and sorts by code point;
4. writes one name per line, gzip-compressed with ``mtime=0`` so the output is byte-for-byte
   reproducible, plus ``streets.LICENSE.txt`` with the attribution.

Postcodes are not derived from any data: the detector accepts any four-digit number
1000–9990 followed by a capitalised town name.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import re
import sys
import unicodedata
from pathlib import Path

DEFAULT_INPUT = Path("/work/shared/data/streets/streetnames_postdanmark_2015.txt")
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT_DIR = REPO / "src" / "omtanke" / "detectors" / "data"

_WS_RE = re.compile(r"\s+")
_BAD_CHARS_RE = re.compile(r"[,/()&]")
_LAST_WORD_DIGIT_RE = re.compile(r"\d\S*$")
_PLACEHOLDER_RE = re.compile(
    r"folkeregist|kommune\b|kommunekontor|uden fast bop|ukendt adresse|retur til afsender"
    r"|forsvundet|post restante|unavngiven|udgåede|\bnr\.?$|\bnr\.? ?\d|\bp\.? ?pl(?:ads)?\b"
    r"|haveforening|\bhaveselskab\b"
    r"|havekoloni|\bhavef\b|\bhf\.|stisystem|localizer|\bhangar \d|p-box",
    re.IGNORECASE,
)

LICENSE_TEXT = """\
streets.txt.gz — Danish street names

Source: the Post Danmark street-name list (c. 2015), as distributed in
github.com/os2datascanner/os2webscanner (scrapy-webscanner/data/), licensed under the
Mozilla Public License 2.0 (https://mozilla.org/MPL/2.0/).

Derived work: the names were normalised (whitespace stripped and collapsed, Unicode NFC),
junk rows were removed (allotment associations, administrative placeholders such as
"Uden Fast Bopæl" and "Folkeregistret 1", entries ending in a number), duplicates were
removed and the list was sorted. Produced by scripts/build_street_list.py.

Note: the upstream list truncates names to 20 characters and abbreviates some of them
("H.C. Andersens Boul"); the detector treats 20-character entries as possible prefixes.

This file is made available under the terms of the Mozilla Public License 2.0.
"""


def is_junk(name: str) -> bool:
    return (
        len(name) < 3
        or _BAD_CHARS_RE.search(name) is not None
        or _LAST_WORD_DIGIT_RE.search(name) is not None
        or _PLACEHOLDER_RE.search(name) is not None
    )


def normalise(line: str) -> str:
    return _WS_RE.sub(" ", unicodedata.normalize("NFC", line)).strip()


def build(raw: bytes) -> list[str]:
    names: set[str] = set()
    for line in raw.decode("utf-8").splitlines():
        name = normalise(line)
        if name and not is_junk(name):
            names.add(name)
    return sorted(names)


def gzip_bytes(text: str) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    args = parser.parse_args(argv)

    raw = args.input.read_bytes()
    input_rows = sum(1 for line in raw.decode("utf-8").splitlines() if line.strip())
    names = build(raw)
    payload = gzip_bytes("".join(f"{n}\n" for n in names))

    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "streets.txt.gz"
    out.write_bytes(payload)
    (out_dir / "streets.LICENSE.txt").write_text(LICENSE_TEXT, encoding="utf-8")

    print(f"input:  {args.input}")
    print(f"        {input_rows} rows, sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"output: {out}")
    print(
        f"        {len(names)} names ({input_rows - len(names)} junk/duplicate rows dropped), "
        f"{len(payload)} bytes, sha256 {hashlib.sha256(payload).hexdigest()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
