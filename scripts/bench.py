"""Speed and quality benchmark: Omtanke's full check against Presidio, on one core.

    make bench                      # installs the bench extra (presidio-analyzer) and runs this
    .venv/bin/python scripts/bench.py [--corpus ../shared/eval/dev.jsonl] [--n 5000]
    .venv/bin/python scripts/bench.py --corpus tests/data/dev2.jsonl --chars 250-350
    .venv/bin/python scripts/bench.py --join 2     # dev.jsonl's posts two at a time

Each tool runs in its own subprocess pinned to CPU 0 and prints JSON; this script prints the
table. Measured per tool: start-up (import, load, first check), posts per second and
p50/p95/p99 latency over the corpus repeated to at least N posts, peak resident memory, and
entity precision/recall/F1 on the corpus (overlap with a gold occurrence of the same label).
Also the time of ``omtanke --help`` (best of 5).

Presidio (presidio-analyzer from PyPI) is set up as the issue asks: its NoOp NLP engine (so no
model is downloaded), regex recognisers for CPR, phone and e-mail, and the same Danish name
lists Omtanke ships as deny lists for PERSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "eval" / "dev.jsonl"
LABELS = ("PERSON", "CPR", "PHONE", "EMAIL", "ADDRESS")


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _load(corpus: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line]


def _entity_scores(
    items: list[dict[str, Any]], predicted: list[list[tuple[int, int, str]]]
) -> dict[str, Any]:
    table: dict[str, list[int]] = {label: [0, 0, 0] for label in LABELS}
    for item, pred in zip(items, predicted, strict=True):
        text = item["text"]
        gold: dict[str, set[tuple[int, int]]] = {label: set() for label in LABELS}
        for ent in item.get("entities", []):
            needle = ent["text"]
            start = text.find(needle)
            while start != -1:
                gold.setdefault(ent["label"], set()).add((start, start + len(needle)))
                start = text.find(needle, start + 1)
        for label in LABELS:
            p = {(s, e) for s, e, lab in pred if lab == label}
            g = gold.get(label, set())
            tp = sum(1 for gs, ge in g if any(ps < ge and gs < pe for ps, pe in p))
            table[label][0] += tp
            table[label][1] += sum(
                1 for ps, pe in p if not any(ps < ge and gs < pe for gs, ge in g)
            )
            table[label][2] += len(g) - tp
    out: dict[str, Any] = {}
    total = [0, 0, 0]
    for label, (tp, fp, fn) in table.items():
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        out[label] = round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
    tp, fp, fn = total
    prec, rec = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
    out["micro_f1"] = round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0
    out["found"] = tp
    out["false"] = fp
    return out


def _omtanke_worker(items: list[dict[str, Any]]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    from omtanke.engine import Engine

    engine = Engine()
    contexts = [
        engine.make_context(
            it["context"]["municipality"],
            it["context"]["channel"],
            it["context"].get("role"),
            kind=it.get("kind", "post"),
        )
        for it in items
    ]
    for pid in {c.municipality for c in contexts}:
        engine.pack(pid)
    engine.check(items[0]["text"], contexts[0])  # loads every detector
    startup = time.perf_counter() - t0

    def run(i: int) -> list[tuple[int, int, str]]:
        report = engine.check(items[i]["text"], contexts[i])
        return [(e.start, e.end, e.label) for e in report.entities]

    return startup, run


def _presidio_worker(items: list[dict[str, Any]]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    data = REPO / "src" / "omtanke" / "detectors" / "data"

    def names(file: str) -> list[str]:
        with gzip.open(data / file, "rt", encoding="utf-8") as fh:
            return [line.split("\t")[0].title() for line in fh if line.strip()]

    registry = RecognizerRegistry(supported_languages=["da"])
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="CPR",
            supported_language="da",
            patterns=[Pattern("cpr", r"\b[0-3]\d[01]\d\d\d[-\s]?\d{4}\b", 0.6)],
            context=["cpr", "personnummer", "cpr-nr", "født"],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="PHONE",
            supported_language="da",
            patterns=[
                Pattern(
                    "phone",
                    r"(?<!\d)(?:\+45|0045)?\s?(?:\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}|\d{4}\s\d{4})(?!\d)",
                    0.5,
                )
            ],
            context=["tlf", "telefon", "mobil", "ring", "sms", "nr"],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="EMAIL",
            supported_language="da",
            patterns=[Pattern("email", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0.9)],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="ADDRESS",
            supported_language="da",
            patterns=[
                Pattern(
                    "street",
                    r"\b[A-ZÆØÅ][a-zæøå]+(?:vej|gade|allé|alle|plads|stræde|torv|vænget)\s\d{1,3}[A-Za-z]?\b",
                    0.6,
                )
            ],
        )
    )
    registry.add_recognizer(
        PatternRecognizer(
            supported_entity="PERSON",
            supported_language="da",
            deny_list=names("firstnames.tsv.gz") + names("surnames.tsv.gz"),
        )
    )
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=NoOpNlpEngine(models=[{"lang_code": "da", "model_name": "noop"}]),
        supported_languages=["da"],
    )
    analyzer.analyze(text=items[0]["text"], language="da")
    startup = time.perf_counter() - t0

    def run(i: int) -> list[tuple[int, int, str]]:
        results = analyzer.analyze(text=items[i]["text"], language="da")
        return [(r.start, r.end, r.entity_type) for r in results if r.score >= 0.5]

    return startup, run


def _joined(items: list[dict[str, Any]], join: int) -> list[dict[str, Any]]:
    """Posts of the same kind joined ``join`` at a time (for ~300-character posts)."""
    if join <= 1:
        return items
    out: list[dict[str, Any]] = []
    for start in range(0, len(items) - join + 1, join):
        group = items[start : start + join]
        out.append({**group[0], "text": " ".join(it["text"] for it in group)})
    return out


def _length_range(spec: str) -> tuple[int, int]:
    """``"250-350"`` → (250, 350)."""
    lo, _, hi = spec.partition("-")
    try:
        return int(lo), int(hi)
    except ValueError:
        raise argparse.ArgumentTypeError("skriv længden som MIN-MAX, fx 250-350") from None


def worker(tool: str, corpus: Path, n: int, join: int = 1, chars: str | None = None) -> None:
    _pin()
    items = _load(corpus)
    if chars:  # only posts of this many characters (timing and entity scores)
        lo, hi = _length_range(chars)
        items = [it for it in items if lo <= len(it["text"]) <= hi]
    startup, run = (_omtanke_worker if tool == "omtanke" else _presidio_worker)(items)
    predicted = [run(i) for i in range(len(items))]
    if join > 1:  # entity scores on the corpus as it is; timing on the joined posts
        scores = _entity_scores(items, predicted)
        items = _joined(items, join)
        startup2, run = (_omtanke_worker if tool == "omtanke" else _presidio_worker)(items)
        del startup2
    order = [i % len(items) for i in range(max(n, len(items)))]
    latencies: list[float] = []
    t0 = time.perf_counter()
    for i in order:
        s = time.perf_counter()
        run(i)
        latencies.append(time.perf_counter() - s)
    wall = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    print(
        json.dumps(
            {
                "tool": tool,
                "posts": len(order),
                "mean_chars": round(sum(len(items[i]["text"]) for i in order) / len(order)),
                "startup_s": round(startup, 3),
                "posts_per_s": round(len(order) / wall, 1),
                "p50_ms": round(q[49] * 1000, 3),
                "p95_ms": round(q[94] * 1000, 3),
                "p99_ms": round(q[98] * 1000, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "entities": scores if join > 1 else _entity_scores(items, predicted),
            }
        )
    )


def _help_time() -> float:
    exe = REPO / ".venv" / "bin" / "omtanke"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "omtanke"]
    best = 1e9
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([*cmd, "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=5000, help="posts to time (the corpus is repeated)")
    ap.add_argument("--no-presidio", action="store_true", help="only Omtanke")
    ap.add_argument("--worker", choices=["omtanke", "presidio"], help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the raw JSON results")
    ap.add_argument(
        "--join",
        type=int,
        default=1,
        help="time posts joined N at a time (2 gives ~275 characters on dev.jsonl)",
    )
    ap.add_argument(
        "--chars",
        type=str,
        metavar="MIN-MAX",
        help="only the posts of MIN to MAX characters (e.g. 250-350 for natural ~300-character "
        "posts; the SPEC's speed target is for posts of about 300 characters)",
    )
    args = ap.parse_args()
    if args.chars:
        try:
            _length_range(args.chars)  # a clear error before any worker starts
        except argparse.ArgumentTypeError as exc:
            ap.error(str(exc))
    if args.worker:
        worker(args.worker, args.corpus, args.n, args.join, args.chars)
        return
    if not args.corpus.is_file():
        sys.exit(f"fejl: korpus '{args.corpus}' findes ikke (angiv --corpus).")
    tools = ["omtanke"] if args.no_presidio else ["omtanke", "presidio"]
    results: dict[str, dict[str, Any]] = {}
    for tool in tools:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                tool,
                "--corpus",
                str(args.corpus),
                "--join",
                str(args.join),
                "--n",
                str(args.n),
                *(["--chars", args.chars] if args.chars else []),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{tool}: fejlede\n{proc.stderr[-2000:]}", file=sys.stderr)
            continue
        results[tool] = json.loads(proc.stdout.strip().splitlines()[-1])
    help_s = _help_time()
    if args.json:
        print(json.dumps({"results": results, "help_s": round(help_s, 3)}, indent=2))
        return
    cols = list(results)
    rows = [
        ("posts timed", "posts"),
        ("mean characters", "mean_chars"),
        ("start-up (s)", "startup_s"),
        ("posts/s (1 core)", "posts_per_s"),
        ("p50 latency (ms)", "p50_ms"),
        ("p95 latency (ms)", "p95_ms"),
        ("p99 latency (ms)", "p99_ms"),
        ("peak RSS (MB)", "peak_rss_mb"),
    ]
    print(f"{'':<22}" + "".join(f"{c:>12}" for c in cols))
    for title, key in rows:
        print(f"{title:<22}" + "".join(f"{results[c][key]:>12}" for c in cols))
    for label in (*LABELS, "micro_f1", "found", "false"):
        title = (
            f"entity F1 {label}" if label in LABELS or label == "micro_f1" else f"entities {label}"
        )
        print(f"{title:<22}" + "".join(f"{results[c]['entities'][label]:>12}" for c in cols))
    if "presidio" in results and "omtanke" in results:
        ratio = results["omtanke"]["posts_per_s"] / results["presidio"]["posts_per_s"]
        print(f"\nOmtanke/Presidio throughput ratio: {ratio:.2f}x")
    print(f"omtanke --help: {help_s * 1000:.0f} ms (best of 5)")


if __name__ == "__main__":
    main()
