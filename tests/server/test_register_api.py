"""The register through the API: triage → register → list → status → assign → export, roles,
and the same round trip on a real PostgreSQL server."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from server_support import Api

from omtanke.register import CSV_COLUMNS, ESCALATION_CSV_COLUMNS, Register
from omtanke.server.app import open_register

COMPLAINT = (
    "Jeg har sukkersyge og KOL og min hjemmehjælp er ikke kommet i 3 dage!!! Jeg bor på "
    "Åvej 9, 9800 Hjørring, cpr 030591-6021. Ring til mig på 98 12 34 56"
)
THREAT = (
    "Næste gang I slæber min bil væk fra p-pladsen, sætter jeg ild til jeres kontor. Jeg mener det."
)
QUESTION = "Hvornår har genbrugspladsen åbent i julen?"
LINK = "https://www.facebook.com/hjoerringkommune/posts/1?comment_id=2"


def _register(api: Api, text: str, role: str = "page_admin", **extra: Any) -> Any:
    body = {"text": text, "municipality": "hjoerring", "channel": "official_page", **extra}
    return api.client.post("/v1/register", json=body, headers=api.auth(role))


def test_round_trip(api: Api) -> None:
    # triage → create
    r = _register(api, COMPLAINT, source_url=LINK, received_at="2026-11-20T10:00:00+01:00")
    assert r.status_code == 201, r.text
    data = r.json()
    assert "complaint" in data["triage"]["categories"]
    [entry] = data["registered"]
    assert entry["type"] == "complaint" and entry["duplicate"] is False
    reference = entry["reference"]
    assert reference == "HJO-2026-00001"
    assert entry["deadline"] == "2026-12-04"  # 10 working days after Friday 20 November

    # list
    listed = api.client.get("/v1/register/complaints", headers=api.auth("page_admin")).json()
    assert listed["count"] == 1
    [item] = listed["items"]
    assert item["reference"] == reference
    assert item["status"] == "modtaget" and item["source_url"] == LINK
    masked = item["masked_text"]
    for secret in ("030591-6021", "98 12 34 56", "Åvej 9"):
        assert secret not in masked
    assert "[cpr-nummer]" in masked
    assert len(item["text_hash"]) == 64

    # status
    r = api.client.post(
        f"/v1/register/{reference}/status",
        json={"status": "under_behandling", "note": "ringet op"},
        headers=api.auth("page_admin"),
    )
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["type"] == "complaint"
    assert view["record"]["status"] == "under behandling"
    assert [(a["action"], a["actor"]) for a in view["audit"]] == [
        ("oprettet", "page_admin-bruger"),
        ("status", "page_admin-bruger"),
    ]
    assert view["audit"][1]["note"] == "ringet op"

    # assign (manager only)
    r = api.client.post(
        f"/v1/register/{reference}/assign",
        json={"assignee": "Mette Holm"},
        headers=api.auth("manager"),
    )
    assert r.status_code == 200
    assert r.json()["record"]["assignee"] == "Mette Holm"
    assert r.json()["audit"][-1]["actor"] == "manager-bruger"

    # get, case-insensitively
    shown = api.client.get(f"/v1/register/{reference.lower()}", headers=api.auth("page_admin"))
    assert shown.status_code == 200
    assert [a["action"] for a in shown.json()["audit"]] == ["oprettet", "status", "tildelt"]

    # export (manager only)
    r = api.client.get("/v1/register/export", headers=api.auth("manager"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith('attachment; filename="klager-')
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0][:3] == ["Referencenummer", "Modtaget", "Kanal"]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Referencenummer"] == reference
    assert record["Status"] == "under behandling"
    assert record["Sagsbehandler"] == "Mette Holm"
    assert "klage" in record["Kategorier"].split(", ")
    assert "030591" not in r.text


def test_the_same_message_is_registered_once(api: Api) -> None:
    first = _register(api, COMPLAINT, source_url=LINK)
    second = _register(api, COMPLAINT, source_url=LINK)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["registered"][0]["duplicate"] is True
    assert second.json()["registered"][0]["reference"] == first.json()["registered"][0]["reference"]


def test_nothing_to_register(api: Api) -> None:
    r = _register(api, QUESTION)
    assert r.status_code == 200
    assert r.json()["registered"] == []
    assert r.json()["triage"]["categories"] == ["question"]


def test_threat_is_an_escalation(api: Api) -> None:
    r = _register(api, THREAT)
    assert r.status_code == 201
    kinds = {(e["type"], e.get("kind")) for e in r.json()["registered"]}
    assert ("escalation", "threat") in kinds
    esc = next(e for e in r.json()["registered"] if e["type"] == "escalation")
    assert esc["reference"].startswith("HJO-") and "-E" in esc["reference"]
    listed = api.client.get(
        "/v1/register/escalations", params={"kind": "trussel"}, headers=api.auth("manager")
    ).json()
    assert [e["reference"] for e in listed["items"]] == [esc["reference"]]
    assert listed["items"][0]["kind"] == "threat"
    shown = api.client.get(f"/v1/register/{esc['reference']}", headers=api.auth("manager"))
    assert shown.json()["type"] == "escalation"
    export = api.client.get(
        "/v1/register/export", params={"type": "escalations"}, headers=api.auth("manager")
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == ESCALATION_CSV_COLUMNS
    assert 'filename="eskaleringer-' in export.headers["content-disposition"]
    assert rows[1][2] == "trussel"


def test_filters(api: Api) -> None:
    _register(api, COMPLAINT, received_at="2026-03-02T09:00:00+01:00")
    _register(api, THREAT, received_at="2026-05-04T09:00:00+02:00")
    auth = api.auth("manager")

    def refs(**params: Any) -> list[str]:
        r = api.client.get("/v1/register/complaints", params=params, headers=auth)
        assert r.status_code == 200, r.text
        return [c["reference"] for c in r.json()["items"]]

    assert refs() == ["HJO-2026-00001", "HJO-2026-00002"]
    assert refs(received_from="2026-04-01") == ["HJO-2026-00002"]
    assert refs(received_to="2026-03-02") == ["HJO-2026-00001"]
    assert refs(category="personoplysninger") == ["HJO-2026-00001"]
    assert refs(status="modtaget", municipality="Hjørring", limit=1) == ["HJO-2026-00001"]
    assert refs(municipality="vejle") == []
    assert refs(assignee="Ingen") == []
    assert refs(overdue=True) == ["HJO-2026-00001", "HJO-2026-00002"]  # both long past
    r = api.client.get("/v1/register/complaints", params={"status": "afvist"}, headers=auth)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_register_input"
    assert "afvist" in r.json()["error"]["message"]
    r = api.client.get(
        "/v1/register/complaints",
        params={"received_from": "2026-05-01", "received_to": "2026-01-01"},
        headers=auth,
    )
    assert r.status_code == 422
    r = api.client.get("/v1/register/complaints", params={"received_from": "i går"}, headers=auth)
    assert r.json()["error"]["code"] == "invalid_request"
    assert "'received_from'" in r.json()["error"]["message"]
    r = api.client.get("/v1/register/complaints", params={"limit": 0}, headers=auth)
    assert r.status_code == 422


def test_status_errors(api: Api) -> None:
    reference = _register(api, COMPLAINT).json()["registered"][0]["reference"]
    auth = api.auth("page_admin")
    r = api.client.post(f"/v1/register/{reference}/status", json={"status": "lukket"}, headers=auth)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict"
    assert "Tilladt herfra" in r.json()["error"]["message"]
    r = api.client.post(f"/v1/register/{reference}/status", json={"status": "væk"}, headers=auth)
    assert r.status_code == 422
    r = api.client.post(
        f"/v1/register/{reference}/status",
        json={"status": "besvaret", "note": "svar sendt til 030591-6021"},
        headers=auth,
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "unmasked_data"
    assert "030591" not in r.text
    for path in ("/v1/register/HJO-2026-09999", "/v1/register/HJO-2026-E09999"):
        r = api.client.get(path, headers=auth)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.client.get("/v1/register/ikke-en-reference", headers=auth)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_register_input"
    r = api.client.post(
        "/v1/register/HJO-2026-09999/status", json={"status": "besvaret"}, headers=auth
    )
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "allowed"),
    [
        ("employee", "get", "/v1/register/complaints", None, False),
        ("employee", "get", "/v1/register/escalations", None, False),
        ("employee", "post", "/v1/register", {"text": QUESTION, "municipality": "vejle"}, False),
        ("employee", "get", "/v1/register/export", None, False),
        ("page_admin", "get", "/v1/register/complaints", None, True),
        ("page_admin", "post", "/v1/register", {"text": QUESTION, "municipality": "vejle"}, True),
        ("page_admin", "get", "/v1/register/export", None, False),
        ("page_admin", "post", "/v1/register/HJO-2026-00001/assign", {"assignee": "X"}, False),
        ("manager", "get", "/v1/register/export", None, True),
        ("manager", "get", "/v1/register/escalations", None, True),
        ("manager", "post", "/v1/register/HJO-2026-00001/assign", {"assignee": "X"}, True),
    ],
)
def test_roles(
    api: Api, role: str, method: str, path: str, body: dict[str, Any] | None, allowed: bool
) -> None:
    _register(api, COMPLAINT)  # HJO-2026-00001 exists
    kwargs: dict[str, Any] = {"headers": api.auth(role)}
    if body is not None:
        kwargs["json"] = body
    r = getattr(api.client, method)(path, **kwargs)
    if allowed:
        assert r.status_code < 300, r.text
    else:
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "forbidden"
        assert r.json()["error"]["message"].startswith("Som ")
    # And without any token: 401 everywhere in the register.
    kwargs.pop("headers")
    assert getattr(api.client, method)(path, **kwargs).status_code == 401


def test_removed_user_loses_access_at_once(api: Api) -> None:
    from omtanke.server.users import remove_user

    auth = api.auth("manager")
    assert api.client.get("/v1/register/complaints", headers=auth).status_code == 200
    remove_user(open_register(api.app), "manager-bruger")
    r = api.client.get("/v1/register/complaints", headers=auth)
    assert r.status_code == 401
    assert "ukendt eller fjernet" in r.json()["error"]["message"]


def test_register_unavailable_is_503(make_api: Callable[..., Api], tmp_path: Any) -> None:
    api = make_api()
    token = api.tokens["manager"]
    reg: Register = open_register(api.app)
    # Point the app at a register whose database cannot be opened.
    blocked = tmp_path / "blocked"
    blocked.write_text("not a directory")
    api.app.state.register = None
    api.app.state.settings = type(api.app.state.settings)(
        register_url=str(blocked / "register.sqlite3"), warm_up=False
    )
    r = api.client.get("/v1/register/complaints", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "register_unavailable"
    reg.close()


# -- PostgreSQL ----------------------------------------------------------------------------------


def test_round_trip_on_postgresql(make_api: Callable[..., Api], pg_url: str, tmp_path: Any) -> None:
    api = make_api(register_url=pg_url)
    assert open_register(api.app).dialect == "postgresql"
    r = _register(api, COMPLAINT, source_url=LINK)
    assert r.status_code == 201
    reference = r.json()["registered"][0]["reference"]
    auth = api.auth("manager")
    r = api.client.post(
        f"/v1/register/{reference}/status", json={"status": "besvaret"}, headers=auth
    )
    assert r.json()["record"]["status"] == "besvaret"
    listed = api.client.get("/v1/register/complaints", headers=auth).json()
    assert [c["reference"] for c in listed["items"]] == [reference]
    export = api.client.get("/v1/register/export", headers=auth)
    assert export.content.decode("utf-8-sig").splitlines()[0] == ";".join(CSV_COLUMNS)
