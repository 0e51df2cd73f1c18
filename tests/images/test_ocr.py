"""Text in images: read by Tesseract (Danish), with word boxes; a missing, slow or failing
Tesseract is reported and the rest of the check goes on."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from image_factory import DEJAVU, encode, needs_tesseract, text_image

from omtanke.images import analyse_image
from omtanke.images import ocr as ocr_module


@needs_tesseract
def test_text_and_word_boxes_are_read(cpr_png: bytes) -> None:
    result = analyse_image(cpr_png, name="brev.png")
    assert result.ocr.status == "ok" and result.ocr.language == "dan"
    assert "010203-1234" in result.ocr.text
    assert "Noah" in result.ocr.text
    start = result.ocr.text.index("010203-1234")
    boxes = result.boxes_for(start, start + len("010203-1234"))
    assert len(boxes) == 1
    x, y, w, h = boxes[0]
    # drawn at x=80 on the first line (y=100), 52-pixel letters
    assert 80 < x < 400 and 80 < y < 150 and w > 200 and 30 < h < 80


@needs_tesseract
def test_a_photo_of_people_gives_no_text(portrait_jpeg: bytes) -> None:
    result = analyse_image(portrait_jpeg)
    assert result.ocr.status == "ok"
    assert len(result.ocr.text.split()) <= 2  # at most a stray word from the name badge


@needs_tesseract
@pytest.mark.skipif(not Path(DEJAVU).is_file(), reason="DejaVu-skrifttypen (med æ, ø, å) mangler")
def test_danish_letters_are_read() -> None:
    data = encode(text_image(["Bjørnegruppen går på tur", "Søstrene Ærø"]), "PNG")
    text = analyse_image(data).ocr.text
    assert "Bjørnegruppen" in text and "Ærø" in text


def test_missing_tesseract_is_a_notice_not_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cpr_png: bytes
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on PATH
    monkeypatch.delenv("OMTANKE_TESSERACT", raising=False)
    result = analyse_image(cpr_png)
    assert result.ocr.status == "unavailable"
    assert result.ocr.text == ""
    assert result.ocr.notice is not None and "tesseract-ocr-dan" in result.ocr.notice


def _fake_tesseract(tmp_path: Path, body: str, langs: str = "dan") -> Path:
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        f"  echo 'List of available languages (1):'; echo {langs}; exit 0\n"
        "fi\n"
        f"{body}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_hanging_tesseract_is_stopped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cpr_png: bytes
) -> None:
    script = _fake_tesseract(tmp_path, "exec sleep 30")
    monkeypatch.setenv("OMTANKE_TESSERACT", str(script))
    monkeypatch.setattr(ocr_module, "TIMEOUT", 0.5)
    result = analyse_image(cpr_png)
    assert result.ocr.status == "timeout"


def test_a_failing_tesseract_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cpr_png: bytes
) -> None:
    script = _fake_tesseract(tmp_path, "echo 'Error' >&2; exit 1")
    monkeypatch.setenv("OMTANKE_TESSERACT", str(script))
    assert analyse_image(cpr_png).ocr.status == "failed"


def test_without_danish_data_english_is_used_with_a_notice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cpr_png: bytes
) -> None:
    tsv = (
        "level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth"
        "\\theight\\tconf\\ttext\\n5\\t1\\t1\\t1\\t1\\t1\\t10\\t10\\t50\\t20\\t95.0\\tHej\\n"
    )
    script = _fake_tesseract(tmp_path, f"printf '{tsv}'", langs="eng")
    monkeypatch.setenv("OMTANKE_TESSERACT", str(script))
    result = analyse_image(cpr_png)
    assert (result.ocr.status, result.ocr.language, result.ocr.text) == ("ok", "eng", "Hej")
    assert result.ocr.notice is not None and "tesseract-ocr-dan" in result.ocr.notice


def test_tesseract_runs_on_one_thread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cpr_png: bytes
) -> None:
    out = tmp_path / "env.txt"
    script = _fake_tesseract(tmp_path, f'echo "$OMP_THREAD_LIMIT" > {out}')
    monkeypatch.setenv("OMTANKE_TESSERACT", str(script))
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    analyse_image(cpr_png)
    assert out.read_text().strip() == "1"
    assert os.environ["OMP_THREAD_LIMIT"] == "8"  # only the child's environment is set
