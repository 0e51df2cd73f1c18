"""8 processes × 500 complaints each, on SQLite and PostgreSQL: none lost, none duplicated.

All processes register for the same municipality and year, so every one of the 4,000
transactions competes for the same reference counter. Uses ``omtanke.register.bench`` (the
same code as ``python -m omtanke.register.bench``), with the 'spawn' start method and one
engine per process.

Speed: each complaint is one transaction that must wait for the previous one's commit (the
numbers are gapless), so the run is bound by commit latency. The test therefore runs SQLite
with ``synchronous=NORMAL`` (WAL: safe against a killed process, not against a power cut)
and uses the test server, which skips disk flushes; the durable defaults are measured with
the benchmark command (see docs/REGISTER.md).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from omtanke.register import Register
from omtanke.register.bench import run_benchmark
from omtanke.register.db import ENV_SQLITE_SYNC

PROCESSES = 8
PER_PROCESS = 500


@pytest.mark.slow
def test_eight_processes_register_500_complaints_each(
    db_url: str, backend: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if backend == "sqlite":
        monkeypatch.setenv(ENV_SQLITE_SYNC, "NORMAL")  # inherited by the spawned processes
    result = run_benchmark(db_url, PROCESSES, PER_PROCESS)
    with capsys.disabled():
        print(f"\n  [{result.summary()}]")
    total = PROCESSES * PER_PROCESS
    assert len(result.references) == total
    assert result.unique_references == total, "a reference number was handed out twice"
    assert result.complaints_added == total, "complaints were lost"
    assert result.audit_events_added == total
    with Register(db_url, migrate=False) as reg, reg.engine.connect() as conn:
        numbers = conn.execute(sa.text("SELECT number FROM complaints ORDER BY number"))
        assert numbers.scalars().all() == list(range(1, total + 1))
        assert (
            conn.execute(sa.text("SELECT COUNT(DISTINCT reference) FROM complaints")).scalar()
            == total
        )
        counter = (
            conn.execute(sa.text("SELECT last_number FROM reference_counters")).scalars().all()
        )
        assert counter == [total]
        created = conn.execute(
            sa.text("SELECT COUNT(DISTINCT reference) FROM audit_events WHERE action = 'oprettet'")
        ).scalar()
        assert created == total


def test_one_register_shared_by_threads(register: Register) -> None:
    from concurrent.futures import ThreadPoolExecutor

    digest = register.fingerprint("x")

    def add(i: int) -> str:
        return register.register_complaint(
            municipality="vejle",
            masked_text=f"Klage {i}",
            text_hash=digest,
            channel="official_page",
            actor=f"tråd-{i % 8}",
        ).reference

    with ThreadPoolExecutor(8) as pool:
        refs = list(pool.map(add, range(200)))
    assert len(set(refs)) == 200
    assert register.counts() == {"complaints": 200, "escalations": 0, "audit_events": 200}
