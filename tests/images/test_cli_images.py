"""`omtanke check --image` and `omtanke redact-image`: output, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from image_factory import astronaut, encode, gps_exif, needs_tesseract

from omtanke.cli import main

Write = Callable[[str, bytes], Path]


def test_check_with_a_portrait_shows_the_face_box(
    write: Write, portrait_jpeg: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write("portræt.jpg", portrait_jpeg)
    code = main(
        ["check", "--kommune", "vejle", "--kanal", "work_profile", "--no-ocr", "--image", str(path)]
    )
    out = capsys.readouterr().out
    assert code == 1  # warning ≥ --fail-on warning
    assert "vejle.foto_naerbillede" in out
    assert "portræt.jpg (billede 1): ansigt ved x=" in out
    assert "Billede 1: portræt.jpg – JPEG 512×512 px · 1 ansigt (1 nærbillede)" in out


@needs_tesseract
def test_check_json_with_text_and_two_images(
    write: Write, portrait_jpeg: bytes, cpr_png: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = write("a.jpg", portrait_jpeg), write("b.png", cpr_png)
    code = main(
        ["check", "--kommune", "hjoerring", "--format", "json", "--image", str(a),
         "--billede", str(b), "Tak for i dag"]
    )  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["verdict"] == "stop"
    assert [i["name"] for i in data["images"]] == ["a.jpg", "b.png"]
    assert {f["image"]["source"] for f in data["findings"]} == {"image", "ocr"}


def test_missing_image_file_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--kommune", "vejle", "--image", str(tmp_path / "mangler.jpg")])
    err = capsys.readouterr().err
    assert code == 2 and "findes ikke" in err and "Traceback" not in err


def test_not_an_image_is_exit_2(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("opslag.jpg", b"Mikkel har cpr 150620-4127")
    code = main(["check", "--kommune", "vejle", "--image", str(path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "fejl: Filen 'opslag.jpg' er ikke et billede" in err
    assert "150620" not in err


def test_image_and_batch_do_not_mix(write: Write, portrait_jpeg: bytes, tmp_path: Path) -> None:
    path = write("a.jpg", portrait_jpeg)
    batch = write("in.jsonl", b'{"id": 1, "text": "hej"}\n')
    assert main(["check", "--kommune", "vejle", "--batch", str(batch), "--image", str(path)]) == 2


def test_redact_image_writes_a_clean_copy(
    write: Write, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gps_jpeg = encode(astronaut(256), exif=gps_exif())
    src = write("tur.jpg", gps_jpeg)
    dst = tmp_path / "tur-renset.jpg"
    assert main(["redact-image", str(src), str(dst)]) == 0
    out = capsys.readouterr().out
    assert "1 ansigt sløret" in out and "EXIF" in out
    assert b"Mette Holm" not in dst.read_bytes()
    assert src.read_bytes() == gps_jpeg  # the original is untouched
    # again: refuses to overwrite without --force
    assert main(["redact-image", str(src), str(dst)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["redact-image", "--force", str(src), str(dst)]) == 0


def test_redact_image_refuses_bad_targets(
    write: Write, portrait_jpeg: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write("tur.jpg", portrait_jpeg)
    assert main(["redact-image", "--force", str(src), str(src)]) == 2
    assert "originalen" in capsys.readouterr().err
    assert main(["redact-image", str(src), str(tmp_path / "tur.png")]) == 2
    assert ".jpg" in capsys.readouterr().err
    assert not (tmp_path / "tur.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tur.jpg"]  # no temporary files left


def test_redact_image_bad_input_is_exit_2_without_traceback(write: Write) -> None:
    src = write("bombe.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    proc = subprocess.run(
        [sys.executable, "-m", "omtanke", "redact-image", str(src), str(src.with_name("ud.png"))],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.startswith("fejl: Billedet 'bombe.png'") and "Traceback" not in err


def test_the_command_module_imports_only_the_standard_library() -> None:
    """`omtanke --help` stays fast: OpenCV, Pillow and NumPy load only when a photo does."""
    code = (
        "import sys, omtanke.images.cli, omtanke.images\n"
        "heavy = {'cv2', 'PIL', 'numpy'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=True)
    assert proc.stdout.decode().strip() == "[]"
