"""scripts/bench_server.py: its statistics, and a short run against a server it starts."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from _paths import REPO

SCRIPT = REPO / "scripts" / "bench_server.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_server", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_percentiles() -> None:
    bench = _module()
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 50) == 50.5
    assert bench.percentile(values, 95) == 95.05
    assert bench.percentile(values, 100) == 100
    assert bench.percentile([3.0], 99) == 3.0


def test_only_posts_are_sent(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [
        {"id": 1, "kind": "post", "text": "a", "context": {"municipality": "vejle"}},
        {"id": 2, "kind": "inbox", "text": "b", "context": {"municipality": "vejle"}},
        {"id": 3, "text": "c", "context": {"municipality": "hjoerring", "role": "it"}},
    ]
    corpus.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    bodies = _module()._posts(corpus)
    assert [b["text"] for b in bodies] == ["a", "c"]
    assert bodies[1] == {
        "text": "c",
        "municipality": "hjoerring",
        "channel": "private_profile",
        "public_event": False,
        "role": "it",
    }


def test_short_run_against_a_server_it_starts(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps(
            {
                "kind": "post",
                "text": "Mikkel har CPR 010190-1234",
                "context": {"municipality": "vejle"},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--data",
            str(corpus),
            "-n",
            "30",
            "-c",
            "1",
            "4",
            "--warmup",
            "5",
            "--target-p95-ms",
            "100000",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(result.stdout[result.stdout.index("[") : result.stdout.rindex("]") + 1])
    assert [(r["concurrency"], r["requests"], r["errors"]) for r in data] == [
        (1, 30, 0),
        (4, 30, 0),
    ]
    assert all(0 < r["p50_ms"] <= r["p95_ms"] <= r["p99_ms"] for r in data)
    assert "p95 ms" in result.stdout and "Mål nået." in result.stdout
