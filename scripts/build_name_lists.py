#!/usr/bin/env python3
"""Build the compact name lists shipped with the name detector.

Reads Danmarks Statistik's name statistics (1 January 2014, as staged in
``shared/data/names/``: ``name<TAB>count`` with a header line, upper case) and writes

* ``src/omtanke/detectors/data/firstnames.tsv.gz``: women's and men's first names merged
  (counts summed), kept when at least ``--min-first`` people bear the name;
* ``src/omtanke/detectors/data/surnames.tsv.gz``: surnames without junk rows (digits,
  punctuation only, fewer than two letters), kept from ``--min-surname`` bearers;
* ``src/omtanke/detectors/data/names.LICENSE.txt``: source and licence.

Names are NFC-normalised and lower-cased; stray apostrophes and hyphens at the ends
("RENE'", "HANS-") are dropped and spaced hyphens ("LARSEN - RASMUSSEN") closed up, merging
counts. The output is sorted ``name<TAB>count`` with a header line, gzip with mtime 0, so a
rebuild from the same input is byte-identical.

Usage: ``python scripts/build_name_lists.py [--source DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "names"
DEFAULT_OUT = ROOT / "src" / "omtanke" / "detectors" / "data"

WOMEN = "firstnames_women_dst_2014.tsv"
MEN = "firstnames_men_dst_2014.tsv"
SURNAMES = "surnames_dst_2014.tsv"

#: A name: letters, with single inner hyphens, apostrophes or spaces ("anne-sofie",
#: "o'connor", "la cour").
_VALID = re.compile(r"[^\W\d_]+(?:[-' ][^\W\d_]+)*")

LICENSE_TEXT = """\
Name lists: firstnames.tsv.gz, surnames.tsv.gz
==============================================

Kilde: Danmarks Statistik.
Danish first names (women and men) and surnames with the number of bearers on
1 January 2014 ("Danmarks Statistiks liste over navne pr. 1. januar 2014").

Obtained via the OS2webscanner repository (github.com/os2datascanner/os2webscanner,
scrapy-webscanner/data/, commit 5cdc05fcaa21bd39f340d890da5580dfab699628), which is
distributed under the Mozilla Public License 2.0. Danmarks Statistik's data may be reused
with attribution ("Kilde: Danmarks Statistik").

Derived by scripts/build_name_lists.py: converted to UTF-8 (NFC), lower-cased, women's and
men's first names merged (counts summed), junk rows removed (digits, punctuation, fewer than
two letters), stray end apostrophes/hyphens dropped, and thresholded: first names with at
least {min_first} bearers, surnames with at least {min_surname} bearers.

Input SHA-256:
{hashes}
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def normalise(raw: str) -> str | None:
    """The lower-cased NFC form of a raw list entry, or ``None`` for junk."""
    name = unicodedata.normalize("NFC", raw).strip().lower()
    name = re.sub(r"\s*-\s*", "-", name)  # "larsen - rasmussen" -> "larsen-rasmussen"
    name = re.sub(r"\s+", " ", name)
    name = name.strip("-' ")
    name = re.sub(r"-{2,}", "-", name)
    if not _VALID.fullmatch(name):
        return None
    if sum(c.isalpha() for c in name) < 2:
        return None
    return name


def read_counts(path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if [h.lower() for h in header] != ["name", "count"]:
            raise SystemExit(f"{path}: unexpected header {header!r}")
        for line_no, line in enumerate(fh, start=2):
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                raw, count = line.rsplit("\t", 1)
                n = int(count)
            except ValueError:
                raise SystemExit(f"{path}:{line_no}: malformed row") from None
            name = normalise(raw)
            if name is not None:
                counts[name] += n
    return counts


def write_tsv_gz(path: Path, counts: dict[str, int]) -> bytes:
    body = "name\tcount\n" + "".join(f"{k}\t{counts[k]}\n" for k in sorted(counts))
    data = gzip.compress(body.encode("utf-8"), compresslevel=9, mtime=0)
    path.write_bytes(data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--min-first", type=int, default=5)
    parser.add_argument("--min-surname", type=int, default=10)
    args = parser.parse_args(argv)

    inputs = [args.source / WOMEN, args.source / MEN, args.source / SURNAMES]
    for path in inputs:
        if not path.is_file():
            print(f"missing input: {path}", file=sys.stderr)
            return 1
    hashes = {p.name: sha256(p) for p in inputs}
    for name, digest in hashes.items():
        print(f"sha256 {digest}  {name}")

    first = read_counts(args.source / WOMEN) + read_counts(args.source / MEN)
    surnames = read_counts(args.source / SURNAMES)
    first_kept = {k: v for k, v in first.items() if v >= args.min_first}
    sur_kept = {k: v for k, v in surnames.items() if v >= args.min_surname}

    args.out.mkdir(parents=True, exist_ok=True)
    fdata = write_tsv_gz(args.out / "firstnames.tsv.gz", first_kept)
    sdata = write_tsv_gz(args.out / "surnames.tsv.gz", sur_kept)
    (args.out / "names.LICENSE.txt").write_text(
        LICENSE_TEXT.format(
            min_first=args.min_first,
            min_surname=args.min_surname,
            hashes="\n".join(f"  {d}  {n}" for n, d in hashes.items()),
        ),
        encoding="utf-8",
    )
    print(
        f"first names: {len(first)} distinct, {len(first_kept)} kept (>= {args.min_first}),"
        f" {len(fdata)} bytes gzipped"
    )
    print(
        f"surnames:    {len(surnames)} distinct, {len(sur_kept)} kept (>= {args.min_surname}),"
        f" {len(sdata)} bytes gzipped"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
