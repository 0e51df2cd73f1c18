"""The web UI's pages through FastAPI's TestClient: structure, escaping, log-in, roles, CSRF."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from web_support import (
    COMPLAINT,
    CPR,
    POST,
    THREAT,
    WebEnv,
    assert_accessible_structure,
    check,
    csrf_of,
    logged_in,
    triage_and_register,
)

from omtanke.register import Register

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# -- structure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "nav"),
    [
        ("/", "Tjek opslag"),
        ("/retningslinjer", "Retningslinjer"),
        ("/retningslinjer/vejle", "Retningslinjer"),
        ("/retningslinjer/hjoerring", "Retningslinjer"),
        ("/retningslinjer/base", "Retningslinjer"),
        ("/regler/vejle.cpr", "Retningslinjer"),
        ("/regler/base.indbakke_klage", "Retningslinjer"),
        ("/log-ind", None),
    ],
)
def test_public_pages_render_with_the_layout(
    client: TestClient, path: str, nav: str | None
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert_accessible_structure(response.text)
    if nav:
        assert f'aria-current="page">{nav}</a>' in response.text


def test_static_files_are_served_locally(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and ":focus-visible" in css.text
    assert "@import" not in css.text and "url(http" not in css.text
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "clipboard" in js.text
    assert "http" not in js.text.replace("http on a LAN", "")


def test_check_page_form_is_post_and_has_no_text_in_urls(client: TestClient) -> None:
    html = client.get("/").text
    form = re.search(r'<form method="(\w+)" action="([^"]*)"[^>]*id="tjek-form"', html)
    assert form is not None and form.group(1) == "post"
    for option in ("aabenraa", "hjoerring", "soenderborg", "vejle"):
        assert f'<option value="{option}"' in html
    assert '<option value="official_page"' in html and '<option value="paedagog"' in html


# -- the check page -------------------------------------------------------------------------


def test_check_highlights_the_cpr_by_code_points(client: TestClient) -> None:
    html = check(client, POST)
    page = assert_accessible_structure(html)
    cpr_marks = [m for m in page.marks if "CPR" in str(m.get("data-label", "")).split()]
    assert len(cpr_marks) == 1
    mark = cpr_marks[0]
    assert mark["text"] == CPR
    assert mark["data-start"] == str(POST.index(CPR))
    assert mark["data-end"] == str(POST.index(CPR) + len(CPR))
    assert "vejle.cpr" in str(mark["data-rule"]).split()
    assert "hl-stop" in str(mark["class"])
    assert 'class="verdict verdict-stop"' in html and ">STOP</p>" in html
    assert "Opslaget indeholder et CPR-nummer." in html
    assert "databeskyttelsesloven § 11" in html  # the law is quoted
    assert 'href="/retningslinjer/vejle#afsnit-3"' in html  # the guideline section, linked
    assert 'id="omskrivning"' in html and "[cpr-nummer]" in html
    assert 'aria-live="polite"' in html


def test_check_escapes_html_in_the_post(client: TestClient) -> None:
    text = f'<script>alert("x")</script> "><img src=x onerror=alert(1)> Ring til Birthe på 22 87 44 10 {CPR}'
    html = check(client, text)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # the textarea is filled again, escaped too
    assert re.search(r"<textarea id=\"felt-tekst\"[^>]*>&lt;script&gt;", html)


def test_an_ok_post_gets_an_ok_banner_and_no_marks(client: TestClient) -> None:
    html = check(client, "Sikke en dejlig dag i skoven med masser af sol og leg ☀️")
    assert 'class="verdict verdict-ok"' in html
    assert "<mark" not in html
    assert "Teksten behøver ingen omskrivning." in html


def test_check_form_errors_are_shown_and_linked(client: TestClient) -> None:
    response = client.post("/", data={"kommune": "", "kanal": "private_profile", "tekst": "  "})
    assert response.status_code == 422
    html = response.text
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#felt-kommune">Vælg din kommune.</a>' in html
    assert '<a href="#felt-tekst">' in html
    assert 'aria-invalid="true"' in html
    response = client.post("/", data={"kommune": "atlantis", "kanal": "moon", "tekst": "hej"})
    assert response.status_code == 422
    assert "Ukendt kommune" in response.text and "Ukendt kanal" in response.text


def test_check_text_over_the_limit_is_refused_without_echoing_it(
    client: TestClient, web: WebEnv
) -> None:
    limit = web.app.state.engine.max_chars
    response = client.post("/", data={"kommune": "vejle", "tekst": "æ" * (limit + 1)})
    assert response.status_code == 422
    assert "for lang" in response.text.lower()


def test_the_checked_text_is_not_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Hemmelighedsfulde Mikkelsen 070761-4285"
    with caplog.at_level(logging.DEBUG):
        check(client, secret)
    assert all("Hemmelighedsfulde" not in r.getMessage() for r in caplog.records)


# -- log-in and log-out --------------------------------------------------------------------


def test_login_sets_a_strict_httponly_cookie_and_logout_clears_it(
    client: TestClient, web: WebEnv
) -> None:
    page = client.get("/log-ind?neste=/register")
    response = client.post(
        "/log-ind",
        data={
            "token": web.tokens["manager"],
            "csrf_token": csrf_of(page.text),
            "neste": "/register",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/register"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("omtanke_token=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    html = client.get("/").text
    assert "Logget ind som <strong>Mette Leder</strong> (leder)" in html
    assert web.tokens["manager"] not in html  # the token is never put in a page

    # log-out is a form post with a CSRF token
    assert client.post("/log-ud", data={}, follow_redirects=False).status_code == 403
    assert "Logget ind som" in client.get("/").text
    response = client.post(
        "/log-ud", data={"csrf_token": csrf_of(client.get("/").text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert 'omtanke_token=""' in response.headers["set-cookie"]
    assert "Logget ind som" not in client.get("/").text


def test_a_wrong_token_is_refused(client: TestClient) -> None:
    page = client.get("/log-ind")
    response = client.post(
        "/log-ind", data={"token": "x" * 43, "csrf_token": csrf_of(page.text), "neste": "/"}
    )
    assert response.status_code == 401
    assert "Tokenet blev ikke genkendt" in response.text
    assert "set-cookie" not in response.headers or "omtanke_token=" not in response.headers.get(
        "set-cookie", ""
    )


def test_login_only_redirects_to_local_pages(client: TestClient, web: WebEnv) -> None:
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:1"):
        page = client.get("/log-ind")
        response = client.post(
            "/log-ind",
            data={"token": web.tokens["employee"], "csrf_token": csrf_of(page.text), "neste": evil},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/indbakke", evil


def test_login_form_needs_its_csrf_token(client: TestClient, web: WebEnv) -> None:
    client.get("/log-ind")
    response = client.post(
        "/log-ind", data={"token": web.tokens["manager"], "neste": "/"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Logget ind som" not in client.get("/").text


# -- roles ----------------------------------------------------------------------------------


def test_anonymous_users_get_a_login_prompt(client: TestClient) -> None:
    for path, prompt in (
        ("/indbakke", "Log ind for at bruge indbakken"),
        ("/register", "Log ind for at se registret"),
        ("/register/klager.csv", "Log ind for at se registret"),
    ):
        response = client.get(path)
        assert response.status_code == 401, path
        assert prompt in response.text
        assert 'name="token" type="password"' in response.text


def test_an_employee_may_triage_but_not_see_or_write_the_register(
    client: TestClient, web: WebEnv
) -> None:
    logged_in(client, web, "employee")
    inbox = client.get("/indbakke")
    assert inbox.status_code == 200
    response = client.post(
        "/indbakke",
        data={
            "kommune": "hjoerring",
            "kanal": "official_page",
            "tekst": COMPLAINT,
            "csrf_token": csrf_of(inbox.text),
        },
    )
    assert response.status_code == 200
    assert "Din rolle (medarbejder) kan ikke registrere" in response.text
    assert 'action="/indbakke/registrer' not in response.text
    register = client.get("/register")
    assert register.status_code == 403 and "Ingen adgang" in register.text
    response = client.post(
        "/indbakke/registrer",
        data={"kommune": "hjoerring", "tekst": COMPLAINT, "csrf_token": csrf_of(inbox.text)},
    )
    assert response.status_code == 403


def test_a_page_admin_registers_and_changes_status_but_neither_assigns_nor_exports(
    client: TestClient, web: WebEnv
) -> None:
    logged_in(client, web, "page_admin")
    refs = triage_and_register(client, COMPLAINT)
    assert len(refs) == 1 and refs[0].startswith("HJO-")
    html = client.get("/register").text
    assert f'data-reference="{refs[0]}"' in html
    assert f'action="/register/{refs[0]}/status"' in html
    assert "/tildel" not in html and "klager.csv" not in html
    assert client.get("/register/klager.csv").status_code == 403
    page = client.get(f"/register/{refs[0]}")
    response = client.post(
        f"/register/{refs[0]}/tildel",
        data={"sagsbehandler": "Ole", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 403


def test_a_manager_assigns_and_exports(client: TestClient, web: WebEnv) -> None:
    logged_in(client, web, "manager")
    ref = triage_and_register(client, COMPLAINT + " Mvh. en vred borger")[0]
    page = client.get(f"/register/{ref}")
    response = client.post(
        f"/register/{ref}/tildel",
        data={
            "sagsbehandler": "Ole Olsen",
            "csrf_token": csrf_of(page.text),
            "tilbage": "/register",
        },
        follow_redirects=False,
    )
    assert (
        response.status_code == 303 and response.headers["location"] == "/register?besked=tildelt"
    )
    html = client.get(f"/register/{ref}").text
    assert "Ole Olsen" in html and "Mette Leder" in html  # handler, and who did it (audit trail)
    csv = client.get("/register/klager.csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv.headers["content-disposition"]
    body = csv.content.decode("utf-8")
    assert body.startswith("\ufeffReferencenummer;") and ref in body
    assert "98 12 34 56" not in body
    assert client.get("/register/eskaleringer.csv").status_code == 200


# -- CSRF -----------------------------------------------------------------------------------


def test_state_changing_forms_reject_missing_wrong_or_cross_site_tokens(
    client: TestClient, web: WebEnv
) -> None:
    logged_in(client, web, "page_admin")
    with Register(web.register_url) as reg:
        before = reg.counts()["complaints"]
    token = csrf_of(client.get("/indbakke").text)
    data = {"kommune": "hjoerring", "kanal": "official_page", "tekst": COMPLAINT}
    for form, headers in (
        (data, {}),
        ({**data, "csrf_token": "0" * 64}, {}),
        ({**data, "csrf_token": token}, {"origin": "https://evil.example"}),
        ({**data, "csrf_token": token}, {"origin": "null"}),
    ):
        response = client.post("/indbakke/registrer", data=form, headers=headers)
        assert response.status_code == 403
        assert "Formularen er udløbet" in response.text
    with Register(web.register_url) as reg:
        assert reg.counts()["complaints"] == before

    # a token made for another log-in (another browser) does not work either
    other = logged_in(TestClient(web.app), web, "manager")
    foreign = csrf_of(other.get("/indbakke").text)
    response = client.post("/indbakke/registrer", data={**data, "csrf_token": foreign})
    assert response.status_code == 403

    # the same origin with the right token is accepted
    response = client.post(
        "/indbakke/registrer",
        data={**data, "csrf_token": token},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_status_change_needs_csrf_and_a_valid_transition(client: TestClient, web: WebEnv) -> None:
    logged_in(client, web, "page_admin")
    ref = triage_and_register(client, COMPLAINT + " Det er tredje gang.")[0]
    assert client.post(f"/register/{ref}/status", data={"status": "besvaret"}).status_code == 403
    token = csrf_of(client.get(f"/register/{ref}").text)
    response = client.post(
        f"/register/{ref}/status",
        data={"status": "lukket", "csrf_token": token},
    )
    assert response.status_code == 409
    assert "lukket" in response.text and 'class="error-summary"' in response.text
    response = client.post(
        f"/register/{ref}/status",
        data={"status": "besvaret", "notat": "Svaret pr. Digital Post", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    html = client.get(response.headers["location"]).text
    assert "Status er ændret." in html and "Svaret pr. Digital Post" in html
    assert ">Besvaret</span>" in html


# -- the inbox and the register ------------------------------------------------------------


def test_inbox_shows_categories_actions_reply_and_escalations(
    client: TestClient, web: WebEnv
) -> None:
    logged_in(client, web, "page_admin")
    page = client.get("/indbakke")
    response = client.post(
        "/indbakke",
        data={
            "kommune": "hjoerring",
            "kanal": "official_page",
            "modtaget": "2026-11-21T21:15",
            "tekst": f"{COMPLAINT}\n---\n{THREAT}",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert response.status_code == 200
    html = response.text
    assert_accessible_structure(html)
    assert "2 beskeder vurderet" in html
    assert ">Klage</span>" in html and ">Trussel</span>" in html
    assert "Registrér klagen" in html  # the action from triage.yml
    assert 'id="svar-1"' in html and "Digital Post" in html
    assert "Svar ikke offentligt på trusler eller chikane." in html
    assert html.count('action="/indbakke/registrer') == 2
    # both messages are carried in hidden fields of their own register form (POST only)
    assert 'value="Jeg ved hvor du bor, og jeg kommer efter dig i aften."' in html

    refs = triage_and_register(client, THREAT)
    assert len(refs) == 1 and "-E" in refs[0]
    shown = client.get(f"/indbakke?registreret={refs[0]}")
    assert "Eskalering (trussel)" in shown.text
    register = client.get("/register").text
    assert f'data-reference="{refs[0]}"' in register
    detail = client.get(f"/register/{refs[0]}")
    assert detail.status_code == 200
    assert "Eskalering: trussel" in detail.text and "Revisionsspor" in detail.text
    assert "Frist" not in detail.text  # escalations have no deadline


def test_register_filters_and_overdue_rows(client: TestClient, web: WebEnv) -> None:
    with Register(web.register_url) as reg:
        old = reg.register_complaint(
            municipality="aabenraa",
            channel="official_page",
            masked_text="Gammel klage fra [navn].",
            text_hash="a" * 64,
            received_at=datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
            actor="test",
        )
    logged_in(client, web, "manager")
    html = client.get("/register").text
    row = re.search(rf'<tr class="([^"]*)" data-reference="{old.reference}">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "row-overdue" in row.group(1)
    assert "Overskredet" in row.group(2)  # in words, not colour only

    html = client.get("/register?overskredet=ja").text
    assert f'data-reference="{old.reference}"' in html
    assert "Eskaleringer har ingen frist" in html
    html = client.get("/register?kommune=hjoerring").text
    assert f'data-reference="{old.reference}"' not in html
    html = client.get("/register?fra=2025-01-01&til=2025-01-31&kategori=complaint").text
    assert f'data-reference="{old.reference}"' in html
    html = client.get("/register?status=besvaret").text
    assert f'data-reference="{old.reference}"' not in html

    response = client.get("/register?fra=igår&status=slettet")
    assert response.status_code == 422
    assert "ÅÅÅÅ-MM-DD" in response.text and "Ukendt status." in response.text
    response = client.get("/register?fra=2025-02-01&til=2025-01-01")
    assert response.status_code == 422


def test_unknown_pages_get_a_danish_html_error(client: TestClient, web: WebEnv) -> None:
    for path in ("/regler/findes.ikke", "/retningslinjer/atlantis", "/ingen-side"):
        response = client.get(path, headers={"accept": "text/html"})
        assert response.status_code == 404, path
        assert '<html lang="da">' in response.text
    logged_in(client, web, "manager")
    response = client.get("/register/HJO-2099-99999")
    assert response.status_code == 404 and "findes ikke" in response.text


def test_guideline_aliases_redirect_and_every_rule_link_resolves(
    client: TestClient, web: WebEnv
) -> None:
    response = client.get("/retningslinjer/paddehatten", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/retningslinjer/vejle"
    links: set[str] = set()
    for pid in ["base", *web.app.state.engine.municipalities()]:
        html = client.get(f"/retningslinjer/{pid}").text
        assert "Kun råd" in html or pid == "base"
        links.update(re.findall(r'href="(/regler/[^"#]+)"', html))
    assert len(links) > 50
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, link
        assert "Hvad reglen gør" in response.text and "Skriv i stedet" in response.text
