"""The web UI in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn server with a temporary SQLite register (see conftest.py).

Screenshots of every page are saved to ``test-artifacts/screenshots/`` (gitignored).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from web_support import COMPLAINT, CPR, POST, LiveServer, astronaut_jpeg

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _shot(page: Any, screenshots: Path, name: str) -> None:
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page: Any) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"horizontal scroll at {page.url}: {widths}"


def _check(page: Any, base: str, text: str, municipality: str = "vejle") -> None:
    page.goto(base + "/")
    page.get_by_label("Kommune").select_option(municipality)
    page.get_by_label("Dit opslag").fill(text)
    page.get_by_role("button", name="Tjek opslaget").click()
    page.wait_for_selector("#vurdering")


def _login(page: Any, base: str, token: str, next_path: str = "/indbakke") -> None:
    page.goto(f"{base}/log-ind?neste={next_path}")
    page.get_by_label("Dit token").fill(token)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}{next_path}*")


def test_highlight_covers_exactly_the_cpr_after_emoji(
    live_server: LiveServer, page: Any, screenshots: Path
) -> None:
    _check(page, live_server.url, POST)
    marks = page.locator("mark[data-label~='CPR']")
    assert marks.count() == 1
    assert marks.first.text_content() == CPR
    start, end = POST.index(CPR), POST.index(CPR) + len(CPR)
    assert marks.first.get_attribute("data-start") == str(start)
    assert marks.first.get_attribute("data-end") == str(end)
    assert "vejle.cpr" in (marks.first.get_attribute("data-rule") or "").split()
    # the whole text round-trips: the marked text is exactly what was checked
    assert page.locator("[data-testid='markeret-tekst']").text_content() == POST
    assert "STOP" in page.locator("#vurdering").inner_text()
    rewrite = page.locator("#omskrivning").input_value()
    assert CPR not in rewrite and "[cpr-nummer]" in rewrite
    _shot(page, screenshots, "tjek-opslag-resultat")


def test_copy_button_copies_the_rewrite(live_server: LiveServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        _check(page, live_server.url, POST)
        page.get_by_role("button", name="Kopiér teksten").click()
        page.get_by_text("Kopieret til udklipsholderen.").wait_for()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.locator("#omskrivning").input_value()
        assert CPR not in copied
    finally:
        context.close()


def test_check_page_works_without_javascript(
    live_server: LiveServer, browser: Any, screenshots: Path
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        _shot(page, screenshots, "tjek-opslag")
        _check(page, live_server.url, POST)
        assert page.locator("mark[data-label~='CPR']").text_content() == CPR
        # the copy button is only shown when the script can make it work
        assert page.locator(".js-copy").is_hidden()
    finally:
        context.close()


def test_keyboard_reaches_the_submit_button(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    first = page.evaluate("() => document.activeElement.className")
    assert "skip-link" in first
    assert page.locator(".skip-link").is_visible()
    reached = False
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "tjek-knap":
            reached = True
            break
    assert reached, "Tab never reached the submit button"
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert outline[0] != "none" or outline[2] != "none", "no visible focus on the button"
    # Enter on the focused button submits (the browser's own validation is off: the
    # server answers, with the errors linked to the fields)
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary a[href='#felt-tekst']").count() == 1


def test_inbox_flow_register_and_see_it_in_the_register(
    live_server: LiveServer, page: Any, screenshots: Path
) -> None:
    base = live_server.url
    _login(page, base, live_server.env.tokens["page_admin"])
    page.get_by_label("Kommune").select_option("hjoerring")
    page.get_by_label("Beskeden", exact=True).fill(COMPLAINT)
    page.get_by_role("button", name="Vurdér beskeden").click()
    page.wait_for_selector(".triage-item")
    chips = page.locator(".chips").inner_text()
    assert "Klage" in chips and "Personoplysninger" in chips
    assert "Digital Post" in page.locator("#svar-1").input_value()
    assert page.locator("mark[data-label~='PHONE']").text_content() == "98 12 34 56"
    _shot(page, screenshots, "indbakke-vurdering")

    page.get_by_role("button", name="Registrér").click()
    page.wait_for_selector("#registreret")
    reference = page.locator("#registreret .reference").first.text_content() or ""
    assert re.fullmatch(r"HJO-\d{4}-\d{5}", reference), reference
    assert COMPLAINT not in page.url and "98" not in page.url.split("?", 1)[-1].replace(
        reference, ""
    )
    _shot(page, screenshots, "indbakke-registreret")

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Register").click()
    row = page.locator(f"tr[data-reference='{reference}']")
    row.wait_for()
    assert "Modtaget" in row.inner_text()
    assert "98 12 34 56" not in page.content()  # only masked text is stored
    _shot(page, screenshots, "register")

    row.get_by_role("link", name=reference).click()
    page.get_by_role("heading", name="Revisionsspor").wait_for()
    assert page.locator(".masked-text").inner_text().endswith("Ring til mig på [telefonnummer].")
    page.get_by_label("Ny status").select_option("under behandling")
    page.get_by_role("button", name="Skift status").click()
    page.get_by_text("Status er ændret.").wait_for()
    assert "Under behandling" in page.locator(".facts").inner_text()
    _shot(page, screenshots, "register-detalje")


def test_guideline_rule_and_login_pages(
    live_server: LiveServer, page: Any, screenshots: Path
) -> None:
    base = live_server.url
    page.goto(base + "/retningslinjer")
    _shot(page, screenshots, "retningslinjer")
    page.get_by_role("link", name="Vejle Kommune – Paddehatten").click()
    section = page.locator("#afsnit-3")
    assert "Læg ikke billeder eller oplysninger ud om andre" in section.inner_text()
    assert section.locator("a.rule-chip").count() >= 1
    assert page.locator("#afsnit-7 .tag-advice").inner_text() == "Kun råd"
    _shot(page, screenshots, "retningslinje-vejle")
    section.get_by_role("link", name=re.compile("vejle.cpr")).click()
    page.get_by_role("heading", name="Hvorfor").wait_for()
    _shot(page, screenshots, "regel")
    page.goto(base + "/log-ind")
    _shot(page, screenshots, "log-ind")
    page.goto(base + "/register")
    assert "Log ind for at se registret" in page.content()
    _shot(page, screenshots, "register-log-ind")


def test_phone_width_has_no_horizontal_scroll(
    live_server: LiveServer, browser: Any, screenshots: Path
) -> None:
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    try:
        _check(page, base, POST + " Ring til Birthe på 22 87 44 10, hun bor på Vestergade 12.")
        _no_horizontal_scroll(page)
        _shot(page, screenshots, "mobil-tjek-opslag")
        for path, name in (
            ("/retningslinjer", "mobil-retningslinjer"),
            ("/retningslinjer/hjoerring", "mobil-retningslinje-hjoerring"),
            ("/regler/vejle.cpr", "mobil-regel"),
        ):
            page.goto(base + path)
            _no_horizontal_scroll(page)
            _shot(page, screenshots, name)
        _login(page, base, live_server.env.tokens["manager"])
        page.get_by_label("Kommune").select_option("hjoerring")
        page.get_by_label("Beskeden", exact=True).fill(COMPLAINT)
        page.get_by_role("button", name="Vurdér beskeden").click()
        page.wait_for_selector(".triage-item")
        _no_horizontal_scroll(page)
        _shot(page, screenshots, "mobil-indbakke")
        page.get_by_role("button", name="Registrér").click()
        page.wait_for_selector("#registreret")
        page.goto(base + "/register")
        page.wait_for_selector("#klager")
        _no_horizontal_scroll(page)
        _shot(page, screenshots, "mobil-register")
    finally:
        context.close()


def test_photo_face_box_is_drawn_over_the_face_and_the_redacted_copy_downloads(
    live_server: LiveServer, page: Any, screenshots: Path
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_label("Kommune").select_option("hjoerring")
    page.get_by_label("Hvor vil du poste?").select_option("official_page")
    page.get_by_label("Dit opslag").fill("Besøg fra rummet i dag 🚀")
    page.get_by_label("Billede (valgfrit)").set_input_files(
        {"name": "astronaut.jpg", "mimeType": "image/jpeg", "buffer": astronaut_jpeg()}
    )
    page.get_by_role("button", name="Tjek opslaget").click()
    page.wait_for_selector(".image-card", timeout=30_000)  # the first photo loads the models
    _shot(page, screenshots, "tjek-opslag-billede")
    page.locator(".image-preview img").scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.image-preview img').complete")
    # both boxes measured in one go, so a layout shift in between cannot skew them
    image, box = page.evaluate(
        """() => [".image-preview img", "rect.face-box"].map(sel => {
            const r = document.querySelector(sel).getBoundingClientRect();
            return {x: r.x, y: r.y, width: r.width, height: r.height};
        })"""
    )
    assert image and box
    # the box sits over the astronaut's face: x 176–272, y 66–162 of 512 × 512
    cx = (box["x"] + box["width"] / 2 - image["x"]) / image["width"]
    cy = (box["y"] + box["height"] / 2 - image["y"]) / image["height"]
    assert 0.35 < cx < 0.55 and 0.12 < cy < 0.35, (
        cx,
        cy,
        image,
        box,
        page.locator(".image-preview svg").bounding_box(),
    )
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent sløret kopi").click()
    download = info.value
    assert download.suggested_filename == "astronaut-sloeret.jpg"
    with open(download.path(), "rb") as fh:
        assert fh.read(3) == b"\xff\xd8\xff"  # a JPEG


def test_a_photo_over_the_size_limit_is_caught_before_upload(
    live_server: LiveServer, page: Any
) -> None:
    page.goto(live_server.url + "/")
    limit = live_server.env.app.state.settings.max_body_bytes
    page.get_by_label("Billede (valgfrit)").set_input_files(
        {"name": "stor.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (limit + 1)}
    )
    message = page.locator("#felt-billede-stoerrelse")
    message.wait_for()
    assert "for stort" in message.inner_text()
    assert page.get_by_label("Billede (valgfrit)").input_value() == ""


def test_ask_and_compare_the_guidelines(
    live_server: LiveServer, page: Any, screenshots: Path
) -> None:
    page.goto(live_server.url + "/retningslinjer/vejle")
    page.get_by_label("Spørg Vejle Kommune – Paddehatten").fill(
        "må jeg være ven med forældrene på Facebook?"
    )
    page.get_by_role("button", name="Søg").click()
    page.wait_for_selector(".passage")
    assert page.locator(".passage").count() >= 1
    _shot(page, screenshots, "sporg-retningslinjerne")
    page.get_by_role("link", name="Sammenlign kommunerne om et emne").click()
    page.get_by_role("link", name="Billeder og video").click()
    page.wait_for_selector(".compare-col")
    assert page.locator(".compare-col").count() == 4
    _shot(page, screenshots, "sammenlign")
