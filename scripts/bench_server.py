"""Load benchmark of the HTTP API: latency of ``POST /v1/check`` against a running server.

    .venv/bin/python scripts/bench_server.py                    # starts `omtanke serve` itself
    .venv/bin/python scripts/bench_server.py -n 2000 -c 1 16 --data ../shared/eval/dev.jsonl
    .venv/bin/python scripts/bench_server.py --url http://127.0.0.1:8000   # a server already up

Unless ``--url`` is given, the script starts ``omtanke serve`` in a subprocess on a free port
of 127.0.0.1 with one worker (and a throw-away register in a temporary folder), waits for
``/v1/health``, warms up, and stops the server at the end. The posts are the ``post`` items of
the corpus (text and context), repeated to N requests. For each concurrency level it sends N
requests from an httpx async client (keep-alive, one connection per concurrent sender) and
prints p50/p95/p99 latency (milliseconds, send to full response) and the error count (any
answer but 200, and any transport error). ``--pin`` puts the server on the first CPU and the
client on the second, so they do not compete for one core. ``--json`` prints the figures as
JSON too. The exit code is 1 if a target is missed: p95 under ``--target-p95-ms`` (20) at
concurrency 1, no errors at any concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "dev.jsonl"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _posts(path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item.get("kind", "post") != "post":
            continue
        ctx = item.get("context") or {}
        body: dict[str, Any] = {
            "text": item["text"],
            "municipality": ctx.get("municipality", "vejle"),
            "channel": ctx.get("channel") or "private_profile",
            "public_event": bool(ctx.get("public_event", False)),
        }
        if ctx.get("role"):
            body["role"] = ctx["role"]
        out.append(body)
    if not out:
        raise SystemExit(f"fejl: ingen opslag (kind 'post') i {path}")
    return out


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


async def _run(url: str, bodies: list[dict[str, Any]], n: int, concurrency: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    statuses: dict[str, int] = {}
    next_index = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30.0) as client:

        async def sender() -> None:
            nonlocal next_index, errors
            while next_index < n:
                i = next_index
                next_index += 1
                body = bodies[i % len(bodies)]
                start = time.perf_counter()
                try:
                    response = await client.post("/v1/check", json=body)
                    await response.aread()
                    ok = response.status_code == 200
                    key = str(response.status_code)
                except httpx.HTTPError as exc:
                    ok = False
                    key = type(exc).__name__
                latencies.append((time.perf_counter() - start) * 1000)
                if not ok:
                    errors += 1
                    statuses[key] = statuses.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "error_kinds": statuses,
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "p99_ms": round(percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
    }


def _start_server(port: int, folder: Path, pin: bool) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "omtanke",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--db",
        str(folder / "register.sqlite3"),
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = (folder / "server.log").open("wb")

    def preexec() -> None:
        if pin and hasattr(os, "sched_setaffinity"):
            cpus = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpus[0]})

    return subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO, preexec_fn=preexec
    )


def _wait_ready(url: str, proc: subprocess.Popen[bytes] | None, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"fejl: serveren stoppede (exitkode {proc.returncode})")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"fejl: serveren svarede ikke inden for {seconds:.0f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Belastningstest af POST /v1/check.")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON Lines (id, text, context)")
    p.add_argument("-n", "--requests", type=int, default=2000, help="forespørgsler pr. niveau")
    p.add_argument(
        "-c", "--concurrency", type=int, nargs="+", default=[1, 16], help="samtidige afsendere"
    )
    p.add_argument("--warmup", type=int, default=200, help="forespørgsler før målingen")
    p.add_argument("--url", help="en server, der allerede kører (ellers startes en)")
    p.add_argument("--pin", action="store_true", help="server på første CPU, klient på anden")
    p.add_argument("--target-p95-ms", type=float, default=20.0)
    p.add_argument("--json", action="store_true", help="skriv også tallene som JSON")
    args = p.parse_args(argv)

    bodies = _posts(args.data)
    proc: subprocess.Popen[bytes] | None = None
    tmp = tempfile.TemporaryDirectory(prefix="omtanke-bench-")
    try:
        if args.url:
            url = args.url.rstrip("/")
        else:
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            proc = _start_server(port, Path(tmp.name), args.pin)
        if args.pin and hasattr(os, "sched_setaffinity"):
            cpus = sorted(os.sched_getaffinity(0))
            os.sched_setaffinity(0, {cpus[-1]})
        _wait_ready(url, proc)
        if args.warmup:
            asyncio.run(_run(url, bodies, args.warmup, max(args.concurrency)))
        results = [asyncio.run(_run(url, bodies, args.requests, c)) for c in args.concurrency]
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        tmp.cleanup()

    mean_chars = sum(len(b["text"]) for b in bodies) / len(bodies)
    print(
        f"POST /v1/check – {args.requests} forespørgsler pr. niveau, {len(bodies)} opslag "
        f"(gns. {mean_chars:.0f} tegn) fra {args.data.name}, én arbejdsproces"
    )
    print(
        f"{'samtidige':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'maks ms':>8} "
        f"{'req/s':>8} {'fejl':>6}"
    )
    for r in results:
        print(
            f"{r['concurrency']:>10} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} "
            f"{r['max_ms']:>8.2f} {r['requests_per_s']:>8.1f} {r['errors']:>6}"
        )
        if r["error_kinds"]:
            print(f"{'':>10} fejl: {r['error_kinds']}")
    if args.json:
        print(json.dumps(results, indent=2))
    ok = all(r["errors"] == 0 for r in results)
    ok &= all(r["p95_ms"] < args.target_p95_ms for r in results if r["concurrency"] == 1)
    print("Mål nået." if ok else "Mål IKKE nået (p95 ved 1 samtidig, eller fejl).")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
