"""The photo upload on the check page, and the question and compare pages of the guidelines."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from web_support import assert_accessible_structure, astronaut_jpeg

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _data_url(html: str, attribute: str, marker: str) -> bytes:
    match = re.search(rf'{attribute}="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"[^>]*{marker}', html)
    assert match, f"no data URL before {marker}"
    return base64.b64decode(match.group(1))


def test_a_photo_gets_face_boxes_over_a_preview_and_a_redacted_copy(client: TestClient) -> None:
    response = client.post(
        "/",
        data={"kommune": "hjoerring", "kanal": "official_page", "tekst": ""},
        files={"billede": ("astronaut.jpg", astronaut_jpeg(), "image/jpeg")},
    )
    assert response.status_code == 200, response.text[-2000:]
    html = response.text
    assert_accessible_structure(html)
    # a face box over the preview, in the photo's own pixels (the SVG's viewBox)
    assert '<svg viewBox="0 0 512 512"' in html
    boxes = re.findall(
        r'<rect class="face-box" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"', html
    )
    assert len(boxes) == 1
    x, y, w, h = map(int, boxes[0])
    assert 130 < x + w / 2 < 320 and 50 < y + h / 2 < 200  # the astronaut's face
    assert "Placering (GPS)</dt>\n      <dd>Ja: 55.70833" in html
    assert "Om billedet" in html  # a finding card about the photo
    # the preview has no metadata; the redacted copy has the face blurred and no GPS
    preview = Image.open(io.BytesIO(_data_url(html, "src", "alt=")))
    assert not preview.getexif()
    copy = _data_url(html, "href", 'download="astronaut-sloeret.jpg"')
    redacted = Image.open(io.BytesIO(copy))
    assert redacted.size == (512, 512)
    assert not redacted.getexif()
    assert "Hent sløret kopi" in html
    assert "1 ansigt sløret" in html
    # the photo is never given a URL of its own
    assert "/billede" not in html.replace('name="billede"', "")


def test_a_photo_without_faces_or_metadata_has_nothing_to_redact(client: TestClient) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (90, 160, 90)).save(buffer, "PNG")
    response = client.post(
        "/",
        data={"kommune": "vejle", "kanal": "private_profile", "tekst": "Skovtur 🌲"},
        files={"billede": ("skov.png", buffer.getvalue(), "image/png")},
    )
    assert response.status_code == 200
    assert "<rect" not in response.text
    assert "intet at sløre eller fjerne" in response.text
    assert 'download="' not in response.text


def test_a_file_that_is_not_a_photo_is_refused_in_danish(client: TestClient) -> None:
    response = client.post(
        "/",
        data={"kommune": "vejle", "kanal": "private_profile", "tekst": ""},
        files={"billede": ("brev.jpg", b"%PDF-1.4 not an image", "image/jpeg")},
    )
    assert response.status_code == 422
    assert '<a href="#felt-billede">' in response.text
    assert "brev.jpg" in response.text and "JPEG eller PNG" in response.text
    assert re.search(r'id="felt-billede"[^>]*aria-invalid="true"', response.text)


def test_no_photo_and_no_text_asks_for_the_text(client: TestClient) -> None:
    response = client.post(
        "/",
        data={"kommune": "vejle", "tekst": ""},
        files={"billede": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "Skriv eller indsæt det opslag" in response.text


# -- guidance -------------------------------------------------------------------------------


def test_ask_a_question_restricted_to_one_municipality(client: TestClient) -> None:
    page = client.get("/retningslinjer/vejle").text
    assert 'action="/retningslinjer/sog#resultat"' in page
    assert '<input type="hidden" name="kommune" value="vejle">' in page
    response = client.post(
        "/retningslinjer/sog",
        data={"q": "må jeg være ven med forældrene på Facebook?", "kommune": "vejle"},
    )
    assert response.status_code == 200
    html = response.text
    assert_accessible_structure(html)
    assert "Svar fra Vejle Kommune – Paddehatten og loven" in html
    links = re.findall(r'<a href="/retningslinjer/(\w+)#(afsnit-[\w-]+)">', html)
    assert links and all(pid in ("vejle", "base") for pid, _ in links)
    assert any(pid == "vejle" for pid, _ in links)
    for pid, anchor in links:  # every passage links to its section on the guideline page
        assert f'id="{anchor}"' in client.get(f"/retningslinjer/{pid}").text
    assert re.search(r'href="/regler/vejle\.\w+"', html)
    # the question is not put in the URL: the form posts
    assert re.search(r'<form method="post" action="/retningslinjer/sog#resultat"', html)


def test_a_question_the_guidelines_do_not_cover(client: TestClient) -> None:
    response = client.post("/retningslinjer/sog", data={"q": "hvad koster en rumraket?"})
    assert response.status_code == 200
    assert "Retningslinjerne dækker ikke spørgsmålet" in response.text
    response = client.post("/retningslinjer/sog", data={"q": "  "})
    assert response.status_code == 422
    assert '<a href="#felt-sporgsmaal">' in response.text
    response = client.post("/retningslinjer/sog", data={"q": "kodeord", "kommune": "atlantis"})
    assert response.status_code == 422 and "Ukendt kommune" in response.text


def test_compare_the_municipalities_on_a_topic(client: TestClient, web: object) -> None:
    overview = client.get("/retningslinjer/sammenlign")
    assert overview.status_code == 200
    assert 'href="/retningslinjer/sammenlign?emne=billeder#resultat"' in overview.text
    response = client.get("/retningslinjer/sammenlign?emne=billeder")
    assert response.status_code == 200
    html = response.text
    assert_accessible_structure(html)
    for name in ("Aabenraa Kommune", "Hjørring Kommune", "Sønderborg Kommune", "Vejle Kommune"):
        assert name in html
    assert html.count('class="compare-col"') == 4
    assert 'aria-current="true">Billeder og video</a>' in html
    response = client.get("/retningslinjer/sammenlign?emne=rumraketter")
    assert response.status_code == 422 and "Ukendt emne" in response.text


def test_asking_needs_no_login_and_no_form_token(client: TestClient) -> None:
    # asking is read-only: a plain form post works, also for a visitor who is not logged in
    response = client.post("/retningslinjer/sog", data={"q": "må jeg skifte mit kodeord?"})
    assert response.status_code == 200
    assert 'class="card passage' in response.text
