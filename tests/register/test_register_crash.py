"""A process killed mid-write leaves no half record (SQLite and PostgreSQL).

A child process registers a few complaints, then stops inside the transaction of the next
one (after the reference counter was bumped, after the row was inserted, or after the audit
event was inserted, just before commit) and is killed with SIGKILL. Nothing of that
transaction may remain, the counter must agree with the rows, and the next complaint must get
the next number. A second test kills a child at a random moment of a tight write loop.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from omtanke.register import Register

YEAR = datetime.now(ZoneInfo("Europe/Copenhagen")).year

_CHILD = r"""
import sys, time
from omtanke.register import Register

url, stage, kind, before = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
reg = Register(url, migrate=False)
digest = reg.fingerprint("original")


def add():
    if kind == "escalation":
        return reg.register_escalation(
            municipality="hjoerring", kind="threat", masked_text="Trussel mod [navn]",
            evidence_hash=digest, channel="official_page", categories=["harassment"],
            actor="crash")
    return reg.register_complaint(
        municipality="hjoerring", masked_text="Klage om [navn]", text_hash=digest,
        channel="official_page", categories=["complaint", "personal_data"], actor="crash")


if stage == "loop":
    add()
    print("STARTED", flush=True)
    while True:
        add()

for _ in range(before):
    add()


def hook(name):
    if name == stage:
        print("PAUSED", flush=True)
        time.sleep(600)


reg._stage_hook = hook
add()
print("NOT KILLED", flush=True)
"""


def _start(url: str, stage: str, kind: str = "complaint", before: int = 3) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, stage, kind, str(before)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(proc: subprocess.Popen[str], word: str, timeout: float = 120) -> None:
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
    finally:
        timer.cancel()
    if line != word:
        proc.kill()
        _out, err = proc.communicate(timeout=30)
        pytest.fail(f"child said {line!r} instead of {word!r}:\n{err[-3000:]}")


def _kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _check_consistent(reg: Register, series: str = "K") -> int:
    """Every row has its audit event and categories; the counter equals the row count."""
    table, cat_table, cat_fk = (
        ("complaints", "complaint_categories", "complaint_id")
        if series == "K"
        else ("escalations", "escalation_categories", "escalation_id")
    )
    with reg.engine.connect() as conn:
        numbers = sorted(
            conn.execute(sa.text(f"SELECT number FROM {table} WHERE municipality='hjoerring'"))
            .scalars()
            .all()
        )
        refs = set(conn.execute(sa.text(f"SELECT reference FROM {table}")).scalars().all())
        created = (
            conn.execute(sa.text("SELECT reference FROM audit_events WHERE action = 'oprettet'"))
            .scalars()
            .all()
        )
        orphans = conn.execute(
            sa.text(
                f"SELECT COUNT(*) FROM {cat_table} WHERE {cat_fk} NOT IN (SELECT id FROM {table})"
            )
        ).scalar_one()
        without_categories = conn.execute(
            sa.text(
                f"SELECT COUNT(*) FROM {table} WHERE id NOT IN (SELECT {cat_fk} FROM {cat_table})"
            )
        ).scalar_one()
        counter = conn.execute(
            sa.text(
                "SELECT last_number FROM reference_counters "
                "WHERE series = :s AND municipality_code = 'HJO' AND year = :y"
            ),
            {"s": series, "y": YEAR},
        ).scalar()
        if reg.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    n = len(numbers)
    assert numbers == list(range(1, n + 1)), "numbers must be gapless"
    assert (counter or 0) == n, "the counter must agree with the rows"
    assert {r for r in created if r in refs} == refs and len(created) == reg.counts()[
        "audit_events"
    ]
    assert sorted(created) == sorted(refs), "exactly one 'oprettet' audit event per row"
    assert orphans == 0 and without_categories == 0
    return n


@pytest.mark.parametrize(
    ("stage", "kind"),
    [
        ("counter", "complaint"),
        ("row", "complaint"),
        ("audit", "complaint"),
        ("audit", "escalation"),
    ],
)
def test_killed_mid_transaction_leaves_no_half_record(
    register: Register, stage: str, kind: str
) -> None:
    proc = _start(register.url, stage, kind)
    _wait_for(proc, "PAUSED")
    _kill(proc)
    series = "E" if kind == "escalation" else "K"
    assert _check_consistent(register, series) == 3
    assert register.counts()["audit_events"] == 3
    # The lock the dead process held is gone, and the next number follows on.
    if kind == "escalation":
        rec = register.register_escalation(
            municipality="hjoerring",
            kind="threat",
            masked_text="[navn]",
            evidence_hash="a" * 64,
            channel="x",
            actor="t",
        )
        assert rec.reference == f"HJO-{YEAR}-E00004"
    else:
        rec2 = register.register_complaint(
            municipality="hjoerring",
            masked_text="[navn]",
            text_hash="a" * 64,
            channel="x",
            actor="t",
        )
        assert rec2.reference == f"HJO-{YEAR}-00004"
    assert _check_consistent(register, series) == 4


def test_killed_at_a_random_moment_of_a_write_loop(register: Register) -> None:
    rng = random.Random(20260301)
    for _round in range(3):
        proc = _start(register.url, "loop")
        _wait_for(proc, "STARTED")
        time.sleep(rng.uniform(0.05, 0.6))
        _kill(proc)
        _check_consistent(register)
    assert register.counts()["complaints"] >= 3
