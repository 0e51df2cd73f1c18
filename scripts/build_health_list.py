"""Build the shipped health word list from the OS2datascanner Lægehåndbog list.

The source list (shared/data/health) still holds generic words, Latin anatomy and eponym
fragments that are also person names ("henoch", "gilles"). This keeps the words that mean a
condition, a diagnosis or a treatment, drops the rest, and adds everyday Danish health words
that the medical list lacks ("blodprop", "sukkersyge", "tynd mave").

    python scripts/build_health_list.py [SOURCE.jsonl]
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SRC = REPO.parent / "shared" / "data" / "health" / "health_terms_laegehaandbog_2026.jsonl"
STOPWORDS = REPO.parent / "shared" / "data" / "stopwords"
OUT = REPO / "src" / "omtanke" / "detectors" / "data" / "health_terms.txt"
NAMES = REPO / "src" / "omtanke" / "detectors" / "data" / "firstnames.tsv.gz"

# Short abbreviations worth keeping (others of 2-3 letters collide with ordinary words).
KEEP_SHORT = {"kol", "ocd", "adhd", "aids", "hiv", "mrsa", "pcos", "add"} - {"add"}
# Generic, anatomical or ambiguous words in the source list.
DROP = {
    "abdomen",
    "abdominal",
    "oral",
    "orale",
    "barr",
    "borne",
    "tick",
    "legg",
    "gilles",
    "simplex",
    "medius",
    "solaris",
    "hævet",
    "seksuel",
    "rehabilitering",
    "førstehjælpsprincipper",
    "urinvejene",
    "mundhule",
    "mavesæk",
    "blære",
    "humerus",
    "femur",
    "ulna",
    "caput",
    "vena",
    "vasa",
    "coli",
    "lichen",
    "thoracic",
    "thoracicus",
    "olecranon",
    "tuberositas",
    "ischiadicus",
    "bicuspid",
    "kutan",
    "menstruel",
    "calcanei",
    "aortæ",
    "mundtørhed",
    "halspulsåren",
    "blodlegemer",
    "retentio",
    "læsio",
    "molle",
    "churg",
    "freys",
    "budd",
    "henoch",
    "whipples",
    "feltys",
    "kienbøck",
    "down",
    "downs",
    "lewy",
    "cor",
    "beh",
    "ets",
    "ilo",
    "sle",
    "tbe",
    "tca",
    "tci",
    "tfc",
    "tms",
    "tss",
    "ønh",
    "diar",
    "vira",
    "b12",
    "alfa1",
    "coma",
    "svie",
    "hæs",
    "mani",
    "tics",
    "ards",
    "bpsd",
    "mbkt",
    "mbsr",
    "mers",
    "mgus",
    "eswl",
    "hellp",
    "g6pd",
    "parasitære",
    "pyogent",
    "refleksmedieret",
    "vesikulære",
    "kardiovaskulær",
    "aldringstegn",
    "hoste",
    "vægtøgning",
    "smertebehandling",
    "rygning",
    "motion",
    "kost",
    "søvn",
    "graviditetsgener",
    "svangerskabsomsorg",
    "præmedicinering",
    "undersøgelse",
    "behandling",
    "symptomer",
}
EVERYDAY = [
    "syg",
    "sygdom",
    "sygemeldt",
    "sygemelding",
    "sygefravær",
    "indlagt",
    "indlæggelse",
    "hospital",
    "sygehus",
    "psykiatrien",
    "psykiatrisk",
    "psykisk syg",
    "psykisk lidelse",
    "psykisk sårbar",
    "diagnose",
    "diagnosen",
    "demens",
    "dement",
    "demente",
    "alzheimer",
    "blodprop",
    "hjerneblødning",
    "hjerteanfald",
    "sukkersyge",
    "diabetes",
    "insulin",
    "adhd",
    "autisme",
    "autist",
    "asperger",
    "angst",
    "depression",
    "deprimeret",
    "kræft",
    "cancer",
    "kemo",
    "kemoterapi",
    "epilepsi",
    "allergi",
    "nøddeallergi",
    "astma",
    "misbrug",
    "misbruger",
    "alkoholiker",
    "alkoholisme",
    "narkoman",
    "stoffer",
    "hash",
    "skizofreni",
    "bipolar",
    "spiseforstyrrelse",
    "anoreksi",
    "bulimi",
    "medicin",
    "afføringsmedicin",
    "lykkepiller",
    "antidepressiva",
    "operation",
    "opereret",
    "hofteoperation",
    "feber",
    "influenza",
    "corona",
    "covid",
    "kastede op",
    "kaster op",
    "tynd mave",
    "diarre",
    "gravid",
    "graviditet",
    "abort",
    "ufrivillig barnløs",
    "fertilitetsbehandling",
    "handicap",
    "handicappet",
    "handicapbil",
    "rollator",
    "kørestol",
    "ordblind",
    "ordblindhed",
    "udviklingshæmmet",
    "hjerneskade",
    "selvskade",
    "selvmord",
    "selvmordsforsøg",
    "blind",
    "døv",
    "hørehæmmet",
    "inkontinens",
    "udredning",
    "psykolog",
    "psykiater",
    "genoptræning",
    "terminal",
    "palliativ",
    "sov stille ind",
    "flænge",
    "hjernerystelse",
    "brækket",
    "brækkede",
    "forstuvet",
    "skadestuen",
    "skadestue",
]


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    raw = src.read_bytes()
    words = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    stop: set[str] = set()
    for f in STOPWORDS.rglob("*.txt"):
        stop.update(w.strip().lower() for w in f.read_text(encoding="utf-8").splitlines())
    with gzip.open(NAMES, "rt", encoding="utf-8") as fh:
        names = {line.split("\t")[0] for line in fh if line.strip()}
    kept: set[str] = set()
    dropped = 0
    for w in words:
        w = str(w).strip().lower()
        too_short = len(w) < 5 and w not in KEEP_SHORT
        latin = w.endswith(("us", "um", "ae", "is")) and not w.endswith(("itis", "osis"))
        if too_short or w in DROP or w in stop or w in names or latin:
            dropped += 1
            continue
        kept.add(w)
    kept.update(EVERYDAY)
    OUT.write_text(
        "# Danish health words (see health_terms.LICENSE.txt). One term per line.\n"
        + "\n".join(sorted(kept))
        + "\n",
        encoding="utf-8",
    )
    print(f"source {src} sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"{len(words)} source words, {dropped} dropped, {len(kept)} written to {OUT}")


if __name__ == "__main__":
    main()
