"""The JSON API: check, triage, rules, policies, health, and the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from server_support import Api

from omtanke.engine import Engine

POST = "Sikke en dag på stuen 😩 Mikkel fra Bjørnegruppen kastede op, hans CPR er 010190-1234"


def _error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message and "Traceback" not in message
    return message


# -- check -------------------------------------------------------------------------------------


def test_check_returns_the_output_contract_of_the_engine(api: Api, engine: Engine) -> None:
    r = api.client.post("/v1/check", json={"text": POST, "municipality": "vejle"})
    assert r.status_code == 200
    body = r.json()
    expected = engine.check(POST, municipality="vejle").to_dict()
    assert body == expected
    assert body["verdict"] == "stop"
    assert set(body) == {"verdict", "findings", "entities", "rewrite", "policy"}
    cpr = next(e for e in body["entities"] if e["label"] == "CPR")
    assert POST[cpr["start"] : cpr["end"]] == "010190-1234"  # code-point offsets
    assert "010190-1234" not in body["rewrite"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_check_uses_the_context(api: Api) -> None:
    text = "Ring til Birthe på 22 87 44 10"
    private = api.client.post(
        "/v1/check", json={"text": text, "municipality": "Hjørring", "channel": "privat"}
    ).json()
    official = api.client.post(
        "/v1/check",
        json={
            "text": text,
            "municipality": "hjoerring",
            "channel": "official_page",
            "role": "kommunikation",
            "public_event": False,
        },
    ).json()
    assert private["policy"]["id"] == official["policy"]["id"] == "hjoerring"
    # A name and a number on the municipality's own page is more serious than on one's own.
    assert (private["verdict"], official["verdict"]) == ("warning", "stop")


def test_check_needs_no_token_and_ignores_a_bad_one(api: Api) -> None:
    r = api.client.post(
        "/v1/check",
        json={"text": "God weekend!", "municipality": "vejle"},
        headers={"Authorization": "Bearer not-a-real-token-at-all-xxxxxxxx"},
    )
    assert r.status_code == 200
    assert r.json()["verdict"] == "ok"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": "", "municipality": "vejle"}, 422, "empty_text"),
        ({"text": "   \n ", "municipality": "vejle"}, 422, "empty_text"),
        ({"text": "Hej", "municipality": "Odense"}, 422, "invalid_context"),
        ({"text": "Hej", "municipality": "vejle", "channel": "tiktok"}, 422, "invalid_context"),
        ({"text": "Hej", "municipality": "vejle", "role": "astronaut"}, 422, "invalid_context"),
        ({"text": "Hej"}, 422, "invalid_request"),
        ({"municipality": "vejle"}, 422, "invalid_request"),
        ({"text": 42, "municipality": "vejle"}, 422, "invalid_request"),
        ({"text": "Hej", "municipality": "vejle", "public_event": "måske"}, 422, "invalid_request"),
        ({"text": "Hej", "municipality": "vejle", "extra": 1}, 422, "invalid_request"),
        ({"text": "Hej\x00", "municipality": "vejle"}, 422, "invalid_request"),
        ({"text": "Hej \ud800", "municipality": "vejle"}, 400, "invalid_json"),  # not Unicode
        ({"text": "Hej", "municipality": "v" * 101}, 422, "invalid_request"),
    ],
)
def test_check_rejects_bad_input_with_a_danish_error(
    api: Api, body: dict[str, Any], status: int, code: str
) -> None:
    # json.dumps escapes a lone surrogate as \ud800, as a client in another language might
    raw = json.dumps(body).encode("ascii")
    response = api.client.post(
        "/v1/check", content=raw, headers={"Content-Type": "application/json"}
    )
    message = _error(response, status, code)
    assert any(w in message for w in ("Teksten", "Ukendt", "Forespørgslen", "gyldig"))


def test_check_validation_messages_name_the_field_not_the_value(api: Api) -> None:
    message = _error(
        api.client.post("/v1/check", json={"text": ["CPR 010190-1234"], "municipality": "vejle"}),
        422,
        "invalid_request",
    )
    assert "'text'" in message and "skal være tekst" in message
    assert "010190" not in message
    message = _error(api.client.post("/v1/check", json={"text": "x"}), 422, "invalid_request")
    assert "'municipality' mangler" in message


def test_check_text_over_the_limit(make_api: Any) -> None:
    api = make_api(share_engine=False, max_chars=100)
    message = _error(
        api.client.post("/v1/check", json={"text": "a" * 101, "municipality": "vejle"}),
        422,
        "text_too_long",
    )
    assert "101" in message and "100" in message
    ok = api.client.post("/v1/check", json={"text": "a " * 50, "municipality": "vejle"})
    assert ok.status_code == 200


def test_malformed_json_and_unreadable_bodies(api: Api) -> None:
    headers = {"Content-Type": "application/json"}
    _error(api.client.post("/v1/check", content=b'{"text": ', headers=headers), 400, "invalid_json")
    bad_utf8 = b'{"text": "\xff\xfe", "municipality": "vejle"}'
    message = _error(
        api.client.post("/v1/check", content=bad_utf8, headers=headers), 400, "invalid_encoding"
    )
    assert "UTF-8" in message
    _error(api.client.post("/v1/check", content=b"", headers=headers), 422, "invalid_request")
    _error(api.client.post("/v1/check", content=b"[1, 2]", headers=headers), 422, "invalid_request")
    # Neither JSON nor a form with photos.
    r = api.client.post("/v1/check", content=b"text=hej", headers={"Content-Type": "text/plain"})
    _error(r, 415, "unsupported_media_type")
    # No Content-Type at all: read as JSON (what curl -d sends is a form type, though).
    r = api.client.post("/v1/check", content=b'{"text": "Hej", "municipality": "vejle"}')
    assert r.status_code == 200


# -- triage ------------------------------------------------------------------------------------

COMPLAINT = (
    "Det er simpelthen for dårligt at min hjemmehjælp ikke er kommet i 3 dage. Ring på 98 12 34 56"
)


def test_triage_needs_a_token(api: Api) -> None:
    body = {"text": COMPLAINT, "municipality": "hjoerring"}
    message = _error(api.client.post("/v1/triage", json=body), 401, "unauthenticated")
    assert "Authorization: Bearer" in message
    r = api.client.post("/v1/triage", json=body)
    assert r.headers["www-authenticate"] == "Bearer"
    bad = {"Authorization": "Bearer " + "x" * 43}
    message = _error(api.client.post("/v1/triage", json=body, headers=bad), 401, "unauthenticated")
    assert "ukendt" in message


@pytest.mark.parametrize("role", ["employee", "page_admin", "manager"])
def test_triage_for_every_role(api: Api, engine: Engine, role: str) -> None:
    body = {
        "text": COMPLAINT,
        "municipality": "hjoerring",
        "received_at": "2026-11-22T21:15:00+01:00",
    }
    r = api.client.post("/v1/triage", json=body, headers=api.auth(role))
    assert r.status_code == 200, r.text
    data = r.json()
    assert set(data) == {
        "categories",
        "verdict",
        "actions",
        "reply",
        "entities",
        "findings",
        "policy",
    }
    assert "complaint" in data["categories"]
    assert "98 12 34 56" not in data["reply"]
    assert any(a["category"] == "after_hours" for a in data["actions"])
    expected = engine.triage(COMPLAINT, municipality="hjoerring").to_dict()
    assert data["categories"] == expected["categories"]


def test_triage_accepts_the_cookie_of_the_web_ui(api: Api) -> None:
    api.client.cookies.set("omtanke_token", api.tokens["employee"])
    try:
        r = api.client.post("/v1/triage", json={"text": COMPLAINT, "municipality": "hjoerring"})
    finally:
        api.client.cookies.clear()
    assert r.status_code == 200


def test_triage_rejects_a_bad_time(api: Api) -> None:
    body = {"text": COMPLAINT, "municipality": "hjoerring", "received_at": "i går"}
    message = _error(
        api.client.post("/v1/triage", json=body, headers=api.auth("employee")),
        422,
        "invalid_request",
    )
    assert "'received_at'" in message and "tidspunkt" in message


# -- rules, policies, health -------------------------------------------------------------------


def test_rules_list_all_and_per_municipality(api: Api, engine: Engine) -> None:
    everything = api.client.get("/v1/rules").json()
    assert everything["count"] == len(everything["rules"]) > 20
    ids = [r["id"] for r in everything["rules"]]
    assert ids == sorted(set(ids))
    assert {"base.cpr", "vejle.tavshedspligt", "hjoerring.cpr"} <= set(ids)
    vejle = api.client.get("/v1/rules", params={"municipality": "Paddehatten"}).json()
    assert {r["id"] for r in vejle["rules"]} == set(engine.pack("vejle").rules)
    rule = next(r for r in vejle["rules"] if r["id"] == "vejle.tavshedspligt")
    assert rule["pack"] == "vejle"
    assert rule["severity"] == {
        "private_profile": "stop",
        "work_profile": None,
        "official_page": None,
    }
    assert rule["citations"] and rule["citations"][0]["quote"]
    _error(api.client.get("/v1/rules", params={"municipality": "Odense"}), 422, "invalid_context")


def test_rule_detail_with_examples(api: Api) -> None:
    r = api.client.get("/v1/rules/vejle.tavshedspligt")
    assert r.status_code == 200
    rule = r.json()
    assert rule["id"] == "vejle.tavshedspligt"
    bad = rule["bad_examples"][0]
    assert (
        bad["spans"]
        and bad["text"][bad["spans"][0]["start"] : bad["spans"][0]["end"]]
        == (bad["spans"][0]["text"])
    )
    assert rule["good_examples"] and rule["good_examples"][0]["spans"] == []
    assert rule["applies_when"]["kinds"] == ["post"]
    # Aabenraa inherits base.cpr; Vejle replaces it with its own rule.
    base = api.client.get("/v1/rules/base.cpr", params={"municipality": "aabenraa"})
    assert base.status_code == 200 and base.json()["pack"] == "base"
    _error(api.client.get("/v1/rules/base.cpr", params={"municipality": "vejle"}), 404, "not_found")
    assert api.client.get("/v1/rules/base.cpr").json()["id"] == "base.cpr"
    message = _error(api.client.get("/v1/rules/vejle.findes_ikke"), 404, "not_found")
    assert "vejle.findes_ikke" in message


def test_policies_with_sections_and_coverage(api: Api, engine: Engine) -> None:
    data = api.client.get("/v1/policies").json()
    ids = [p["id"] for p in data["policies"]]
    assert ids == sorted(engine.loader.available())
    assert {"base", "vejle", "hjoerring", "aabenraa", "soenderborg"} <= set(ids)
    vejle = next(p for p in data["policies"] if p["id"] == "vejle")
    assert vejle["extends"] == "base"
    assert len(vejle["sections"]) == len(engine.pack("vejle").sections)
    covered = [s for s in vejle["sections"] if s["coverage"] and s["coverage"]["rules"]]
    advice = [s for s in vejle["sections"] if s["coverage"] and s["coverage"]["advice_only"]]
    assert covered and advice
    one = api.client.get("/v1/policies/Hjørring")
    assert one.status_code == 200 and one.json()["id"] == "hjoerring"
    assert api.client.get("/v1/policies/base").json()["name"]
    message = _error(api.client.get("/v1/policies/odense"), 404, "not_found")
    assert "Odense" in message or "odense" in message


def test_health(api: Api) -> None:
    r = api.client.get("/v1/health")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "ok"
    assert set(data["municipalities"]) == {"aabenraa", "hjoerring", "soenderborg", "vejle"}


# -- errors ------------------------------------------------------------------------------------


def test_unknown_path_and_method(api: Api) -> None:
    _error(api.client.get("/v1/findes-ikke"), 404, "not_found")
    message = _error(api.client.get("/v1/check"), 405, "method_not_allowed")
    assert "Metoden" in message
    assert "POST" in api.client.get("/v1/check").headers["allow"]
    _error(api.client.delete("/v1/health"), 405, "method_not_allowed")


def test_unexpected_errors_give_500_without_details(api: Api, monkeypatch: Any) -> None:
    class Broken:
        def check(self, text: str, **kwargs: Any) -> None:
            raise RuntimeError(f"intern fejl med teksten {text}")

    api.app.state.engine = Broken()
    r = api.client.post("/v1/check", json={"text": "CPR 010190-1234", "municipality": "vejle"})
    message = _error(r, 500, "internal_error")
    assert "010190" not in r.text and "RuntimeError" not in r.text
    assert "intern fejl" in message


def test_openapi_schema_has_examples_and_no_cdn_docs(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/v1/check",
        "/v1/triage",
        "/v1/rules",
        "/v1/rules/{rule_id}",
        "/v1/policies",
        "/v1/health",
        "/v1/register",
        "/v1/register/complaints",
        "/v1/register/escalations",
        "/v1/register/export",
        "/v1/register/{reference}",
        "/v1/register/{reference}/status",
        "/v1/register/{reference}/assign",
    ):
        assert path in paths, path
    check = schema["components"]["schemas"]["CheckRequest"]
    assert check["examples"][0]["municipality"] == "vejle"
    assert schema["components"]["schemas"]["TriageRequest"]["examples"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "401" in paths["/v1/triage"]["post"]["responses"]
    assert "security" in paths["/v1/triage"]["post"]
    assert "security" not in paths["/v1/check"]["post"]
    assert api.client.get("/docs").status_code == 404
    assert api.client.get("/redoc").status_code == 404
