"""Helpers shared by the web UI tests (a module of its own, so that no test module imports
another, and no name clashes with the other test folders' conftest modules)."""

from __future__ import annotations

import io
import os
import re
import socket
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import piexif
from fastapi.testclient import TestClient
from PIL import Image
from skimage import data

from _paths import REPO
from omtanke.register import Register
from omtanke.server.app import create_app
from omtanke.server.settings import Settings
from omtanke.server.users import add_user

CHROMIUM = Path(os.environ.get("OMTANKE_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@dataclass
class WebEnv:
    """An app with a temporary register and a token per role."""

    app: Any
    register_url: str
    tokens: dict[str, str]  # role → token
    names: dict[str, str]  # role → user name


def make_env(tmp: Path) -> WebEnv:
    url = str(tmp / "register.sqlite3")
    tokens: dict[str, str] = {}
    names: dict[str, str] = {}
    with Register(url) as reg:
        for role, name in (
            ("employee", "Ea Medarbejder"),
            ("page_admin", "Per Sideadmin"),
            ("manager", "Mette Leder"),
        ):
            _record, token = add_user(reg, name, role)
            tokens[role] = token
            names[role] = name
    app = create_app(Settings(register_url=url, warm_up=True))
    return WebEnv(app, url, tokens, names)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client: TestClient, token: str) -> None:
    page = client.get("/log-ind")
    response = client.post(
        "/log-ind",
        data={"token": token, "csrf_token": csrf_of(page.text), "neste": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    env: WebEnv


CPR = "070761-4285"
POST = f"Godmorgen 😀👩‍👧 fra turen! Mit CPR-nummer er {CPR}, hvis I skal bruge det."
COMPLAINT = (
    "Det er simpelthen for dårligt, at min mors hjemmehjælp ikke er kommet i tre dage. "
    "Jeg vil klage! Ring til mig på 98 12 34 56."
)
THREAT = "Jeg ved hvor du bor, og jeg kommer efter dig i aften."


class _Page(HTMLParser):
    """Collects what the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.external: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self._mark: dict[str, str | None] | None = None
        self._mark_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.label_for.add(str(a["for"]))
        for key in ("src", "href", "action"):
            value = a.get(key) or ""
            if tag in ("script", "link", "img", "form") and re.match(r"^(https?:)?//", value):
                self.external.append(value)
        if tag == "mark":
            self._mark, self._mark_text = a, []

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.marks.append({**self._mark, "text": "".join(self._mark_text)})
            self._mark = None


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def assert_accessible_structure(html: str) -> _Page:
    page = parse(html)
    assert '<html lang="da">' in html
    assert '<a class="skip-link" href="#indhold">' in html
    assert '<main id="indhold"' in html
    assert '<nav class="main-nav" aria-label="Hovedmenu">' in html
    assert 'name="viewport"' in html
    unlabelled = [c for c in page.controls if c.get("id") not in page.label_for]
    assert not unlabelled, f"inputs without a label: {unlabelled}"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert not page.external, f"external resources: {page.external}"
    return page


def logged_in(client: TestClient, web: WebEnv, role: str) -> TestClient:
    login(client, web.tokens[role])
    return client


def check(client: TestClient, text: str, **fields: str) -> str:
    data = {"kommune": "vejle", "kanal": "private_profile", "tekst": text, **fields}
    response = client.post("/", data=data)
    assert response.status_code == 200, response.text[:300]
    return response.text


def triage_and_register(client: TestClient, text: str, **fields: str) -> list[str]:
    page = client.get("/indbakke")
    data = {
        "kommune": "hjoerring",
        "kanal": "official_page",
        "tekst": text,
        "csrf_token": csrf_of(page.text),
        **fields,
    }
    response = client.post("/indbakke/registrer", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    return re.findall(r"registreret=([A-Z]+-\d{4}-E?\d+)", location)


def astronaut_jpeg(gps: bool = True) -> bytes:
    """A portrait photo (one face), with a GPS position and a name in its EXIF."""
    exif = {
        "0th": {piexif.ImageIFD.Artist: b"Mette Holm"},
        "GPS": {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((55, 1), (42, 1), (3000, 100)),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: ((9, 1), (32, 1), (1200, 100)),
        },
    }
    buffer = io.BytesIO()
    image = Image.fromarray(data.astronaut())
    if gps:
        image.save(buffer, "JPEG", exif=piexif.dump(exif))
    else:
        image.save(buffer, "JPEG")
    return buffer.getvalue()
