"""Settings from the environment, ``omtanke users``, and ``omtanke serve`` as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from omtanke.cli import main
from omtanke.engine import DEFAULT_MAX_CHARS
from omtanke.register import Register
from omtanke.server.app import STATIC_DIR, create_app
from omtanke.server.auth import authenticate_token
from omtanke.server.settings import Settings, SettingsError

# -- settings ------------------------------------------------------------------------------------


def test_defaults() -> None:
    s = Settings()
    assert (s.host, s.port, s.workers) == ("127.0.0.1", 8000, 1)
    assert s.register_url is None
    assert s.max_body_bytes == 1_000_000
    assert s.request_timeout_s == 10
    assert s.max_chars == DEFAULT_MAX_CHARS
    assert s.pack_paths == ()
    assert s.url == "http://127.0.0.1:8000"
    assert Settings(host="::1", port=9).url == "http://[::1]:9"


def test_from_env_and_back(tmp_path: Path) -> None:
    env = {
        "OMTANKE_HOST": "0.0.0.0",
        "OMTANKE_PORT": "8080",
        "OMTANKE_WORKERS": "3",
        "OMTANKE_REGISTER_URL": "postgresql://omtanke@db/omtanke",
        "OMTANKE_MAX_BODY_BYTES": "2048",
        "OMTANKE_REQUEST_TIMEOUT": "2.5",
        "OMTANKE_MAX_CHARS": "1000",
        "OMTANKE_PACKS": os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]),
        "OMTANKE_ENGINE_THREADS": "3",
        "OMTANKE_WARM_UP": "nej",
    }
    s = Settings.from_env(env)
    assert s == Settings(
        host="0.0.0.0",
        port=8080,
        workers=3,
        register_url="postgresql://omtanke@db/omtanke",
        max_body_bytes=2048,
        request_timeout_s=2.5,
        max_chars=1000,
        pack_paths=(tmp_path / "a", tmp_path / "b"),
        engine_threads=3,
        warm_up=False,
    )
    assert Settings.from_env(s.to_env()) == s
    assert Settings.from_env({}, port=1234).port == 1234
    assert Settings.from_env({}) == Settings()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OMTANKE_PORT": "otte"}, "OMTANKE_PORT skal være et helt tal"),
        ({"OMTANKE_PORT": "70000"}, "Porten"),
        ({"OMTANKE_WORKERS": "0"}, "mindst 1"),
        ({"OMTANKE_REQUEST_TIMEOUT": "nan"}, "Tidsgrænsen"),
        ({"OMTANKE_REQUEST_TIMEOUT": "-1"}, "Tidsgrænsen"),
        ({"OMTANKE_MAX_BODY_BYTES": "0"}, "størrelse"),
        ({"OMTANKE_MAX_CHARS": "0"}, "tekstlængde"),
        ({"OMTANKE_WARM_UP": "måske"}, "1 eller 0"),
    ],
)
def test_bad_settings(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_app_state_and_static_mount(tmp_path: Path) -> None:
    settings = Settings(register_url=str(tmp_path / "r.sqlite3"), warm_up=False, max_chars=77)
    app = create_app(settings)
    assert app.state.settings is settings
    assert app.state.engine.max_chars == 77
    assert app.state.register is None  # opened on first use
    mounted = {getattr(r, "path", None) for r in app.routes}
    assert ("/static" in mounted) == STATIC_DIR.is_dir()
    assert app.docs_url is None and app.redoc_url is None


# -- omtanke users -------------------------------------------------------------------------------


def test_users_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "register.sqlite3")
    assert main(["users", "add", "Mette Holm", "--role", "page_admin", "--db", db]) == 0
    out, err = capsys.readouterr()
    token = out.strip()
    assert "\n" not in token and len(token) >= 40  # the token alone on stdout
    assert "vises kun denne gang" in err and "sideadministrator" in err
    with Register(db) as reg:
        user = authenticate_token(token, reg)
    assert user is not None and (user.name, user.role) == ("Mette Holm", "page_admin")

    assert main(["users", "add", "Mette Holm", "--role", "manager", "--db", db]) == 2
    assert "findes allerede" in capsys.readouterr().err
    assert main(["users", "add", "x", "--role", "chef", "--db", db]) == 2
    assert "Ukendt rolle 'chef'" in capsys.readouterr().err

    assert main(["users", "add", "Leder", "--rolle", "leder", "--db", db]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Leder" in out and "manager" in out and "Mette Holm" in out and "2 brugere." in out
    assert token not in out

    assert main(["users", "remove", "Mette Holm", "--db", db]) == 0
    assert "fjernet" in capsys.readouterr().out
    with Register(db) as reg:
        assert authenticate_token(token, reg) is None
    assert main(["users", "remove", "Mette Holm", "--db", db]) == 2
    assert "ingen bruger" in capsys.readouterr().err
    assert main(["users", "list", "--db", db]) == 0
    assert "1 bruger." in capsys.readouterr().out


def test_help_lists_serve_and_users(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "serve" in out and "users" in out
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "--workers" in out and "--db" in out
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", "nul"])
    assert info.value.code == 2


def test_help_does_not_import_the_server_stack() -> None:
    code = (
        "import sys\n"
        "from omtanke.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('fastapi', 'uvicorn', 'sqlalchemy', 'starlette') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "HEAVY:"


# -- omtanke serve -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_starts_a_real_server(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "OMTANKE_WARM_UP": "0", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "omtanke",
                "serve",
                "--port",
                str(port),
                "--db",
                str(tmp_path / "register.sqlite3"),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            health = None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    health = httpx.get(f"{base}/v1/health", timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert health is not None, log.read_text()
            assert health.status_code == 200 and health.json()["status"] == "ok"
            secret = "Mikkel på stuen har CPR 010190-1234"
            r = httpx.post(
                f"{base}/v1/check", json={"text": secret, "municipality": "vejle"}, timeout=30
            )
            assert r.json()["verdict"] == "stop"
            httpx.get(f"{base}/v1/rules", params={"municipality": "vejle", "q": "010190-1234"})
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    output = log.read_text()
    assert f"Omtanke kører på http://127.0.0.1:{port}" in output
    assert '"GET /v1/health HTTP/1.1" 200' in output
    assert '"GET /v1/rules HTTP/1.1" 200' in output  # the path, without its query
    assert "010190" not in output and "Mikkel" not in output
