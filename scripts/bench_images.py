"""Photo benchmark: time per image for a 12-megapixel photo on one core.

    .venv/bin/python scripts/bench_images.py [--runs 10] [--ocr-runs 5] [--json]

The photo is made from real photographs shipped with scikit-image: the astronaut portrait
on the coffee photo, enlarged to 4000 × 3000 (12 megapixels), with sensor-like noise, a
sign with text on it (a group name, a child's name and a CPR number), and GPS, owner and
timestamp in EXIF; saved as a JPEG of quality 90, as a phone would.

The process is pinned to one CPU, OpenCV runs on one thread, and Tesseract is started with
OMP_THREAD_LIMIT=1 (as Omtanke always does). After one warm-up run, each step is timed
``--runs`` times (OCR ``--ocr-runs`` times); the median, mean and worst wall-clock time are
printed, and the median CPU time (this process and Tesseract): on a shared machine the CPU
time shows what the work costs when other processes compete for the core.

* analyse (no OCR)   decode, metadata and faces: what `check --no-ocr` adds per image
* analyse (OCR)      the same plus reading the text with Tesseract
* check (no OCR/OCR) Engine.check with the photo: analysis, image rules, text checks
* redact             omtanke redact-image (thorough face detection, blur, re-encode)

Targets (issue 6): under 300 ms without OCR, under 2 s with OCR.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

TARGETS_MS = {"analyse (no OCR)": 300.0, "analyse (OCR)": 2000.0}


def _pin() -> int | None:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None


def make_photo() -> bytes:
    """A 12-megapixel JPEG of a person, a sign with text, and EXIF with GPS."""
    import numpy as np
    import piexif
    from PIL import Image, ImageDraw, ImageFont
    from skimage import data

    width, height = 4000, 3000
    photo = Image.fromarray(data.coffee()).resize((width, height), Image.Resampling.BICUBIC)
    person = Image.fromarray(data.astronaut()).resize((2400, 2400), Image.Resampling.BICUBIC)
    photo.paste(person, (300, 600))
    draw = ImageDraw.Draw(photo)
    draw.rectangle((2800, 400, 3900, 1300), fill=(245, 245, 240))
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = (
        ImageFont.truetype(str(dejavu), 90) if dejavu.is_file() else ImageFont.load_default(size=90)
    )
    for i, line in enumerate(["Bjørnegruppen", "Noah: allergi", "CPR 010203-1234"]):
        draw.text((2870, 480 + 260 * i), line, fill=(20, 20, 20), font=font)
    rng = np.random.default_rng(6)
    noisy = np.asarray(photo).astype(np.int16) + rng.normal(0, 4, (height, width, 3)).astype(
        np.int16
    )
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    exif = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Artist: b"Mette Holm"},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:05:01 10:11:12"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((55, 1), (42, 1), (3000, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"E",
                piexif.GPSIFD.GPSLongitude: ((9, 1), (32, 1), (1200, 100)),
            },
        }
    )
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (Tesseract)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _time(fn: Callable[[], Any], runs: int) -> tuple[dict[str, float], Any]:
    result = fn()  # warm-up: first use loads the cascades and the packs
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), _cpu()
        result = fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((_cpu() - cpu_started) * 1000)
    return {
        "median_ms": round(statistics.median(wall), 1),
        "mean_ms": round(statistics.fmean(wall), 1),
        "max_ms": round(max(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "runs": runs,
    }, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--ocr-runs", type=int, default=5)
    parser.add_argument("--no-redact", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    cpu = _pin()
    import cv2

    cv2.setNumThreads(1)
    from omtanke.engine import Engine
    from omtanke.images import ImageInput, analyse_image, redact
    from omtanke.images.ocr import tesseract_path

    photo = make_photo()
    engine = Engine()
    context = engine.make_context("vejle", "work_profile")
    text = "Tur i skoven med Bjørnegruppen 🌲"
    image = [ImageInput(photo, "tur.jpg")]
    rows: dict[str, dict[str, float]] = {}
    facts: dict[str, Any] = {
        "photo": "4000×3000 JPEG (12.0 MP), quality 90",
        "bytes": len(photo),
        "cpu": cpu,
        "tesseract": tesseract_path() or "missing",
    }

    rows["analyse (no OCR)"], analysis = _time(
        lambda: analyse_image(photo, name="tur.jpg", ocr=False), args.runs
    )
    facts["faces"] = [list(f.box) for f in analysis.faces]
    facts["gps"] = analysis.metadata.gps
    rows["check (no OCR)"], report = _time(
        lambda: engine.check(text, context, images=image, ocr=False), args.runs
    )
    facts["verdict (no OCR)"] = report.verdict.id
    if tesseract_path() is not None:
        rows["analyse (OCR)"], analysis = _time(
            lambda: analyse_image(photo, name="tur.jpg", ocr=True), args.ocr_runs
        )
        facts["ocr words"] = len(analysis.ocr.text.split())
        rows["check (OCR)"], report = _time(
            lambda: engine.check(text, context, images=image, ocr=True), args.ocr_runs
        )
        facts["verdict (OCR)"] = report.verdict.id
        facts["rules (OCR)"] = sorted({f.rule for f in report.findings})
    if not args.no_redact:
        rows["redact"], redaction = _time(lambda: redact(photo), max(1, args.ocr_runs))
        facts["faces blurred"] = len(redaction.faces)

    if args.json:
        json.dump({"facts": facts, "times": rows}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"photo: {facts['photo']}, {len(photo) / 1e6:.1f} MB, one core (CPU {cpu})")
    print(f"tesseract: {facts['tesseract']}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) while measuring: {load:.2f} on {os.cpu_count()} CPUs")
    print(
        f"{'step':<20}{'median ms':>11}{'mean ms':>10}{'worst ms':>10}{'CPU ms':>9}{'runs':>6}"
        "   target"
    )
    for name, row in rows.items():
        target = TARGETS_MS.get(name)
        mark = ""
        if target is not None:
            mark = f"< {target:.0f} ms " + ("ok" if row["median_ms"] < target else "MISSED")
        print(
            f"{name:<20}{row['median_ms']:>11.1f}{row['mean_ms']:>10.1f}{row['max_ms']:>10.1f}"
            f"{row['cpu_median_ms']:>9.1f}{row['runs']:>6}   {mark}"
        )
    for key in ("faces", "gps", "ocr words", "verdict (no OCR)", "verdict (OCR)", "rules (OCR)"):
        if key in facts:
            print(f"{key}: {facts[key]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
