"""Concurrency benchmark of the register: N processes registering M complaints each.

    python -m omtanke.register.bench --db postgresql://omtanke@127.0.0.1:5432/omtanke -p 8 -n 500

Each process opens its own engine; all start writing at the same moment (a start signal),
and all register complaints for the same municipality and year, so that every one of them
competes for the same reference counter. Afterwards it checks that nothing was lost and no
reference number was handed out twice. The test suite runs it on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import multiprocessing
import queue
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BenchResult", "run_benchmark"]


@dataclass(frozen=True, slots=True)
class BenchResult:
    backend: str
    processes: int
    per_process: int
    seconds: float
    references: tuple[str, ...]
    complaints_added: int
    audit_events_added: int

    @property
    def total(self) -> int:
        return self.processes * self.per_process

    @property
    def unique_references(self) -> int:
        return len(set(self.references))

    @property
    def per_second(self) -> float:
        return self.total / self.seconds if self.seconds > 0 else float("inf")

    @property
    def ok(self) -> bool:
        return (
            len(self.references) == self.total
            and self.unique_references == self.total
            and self.complaints_added == self.total
            and self.audit_events_added == self.total
        )

    def summary(self) -> str:
        verdict = "OK" if self.ok else "FEJL"
        return (
            f"{verdict}: {self.backend}, {self.processes} processer × {self.per_process} klager = "
            f"{self.total} på {self.seconds:.1f} s ({self.per_second:.0f}/s); "
            f"{self.unique_references} unikke referencenumre, {self.complaints_added} nye rækker, "
            f"{self.audit_events_added} nye revisionshændelser."
        )


def _worker(
    url: str, municipality: str, count: int, worker: int, ready: Any, go: Any, results: Any
) -> None:
    from .service import Register

    refs: list[str] = []
    try:
        reg = Register(url, migrate=False)
        digest = reg.fingerprint(f"benchmark {worker}")
        ready.put(worker)
        if not go.wait(timeout=600):
            raise TimeoutError("startsignalet kom ikke")
        for i in range(count):
            rec = reg.register_complaint(
                municipality=municipality,
                masked_text=f"Klage {i} fra proces {worker} om [navn] og [adresse].",
                text_hash=digest,
                channel="official_page",
                categories=("complaint", "personal_data") if i % 3 == 0 else ("complaint",),
                actor=f"bench-{worker}",
            )
            refs.append(rec.reference)
        reg.close()
        results.put((worker, refs, None))
    except BaseException as exc:  # reported to the parent, which fails the run
        results.put((worker, refs, f"{type(exc).__name__}: {exc}"))


def run_benchmark(
    url: str, processes: int = 8, per_process: int = 500, municipality: str = "hjoerring"
) -> BenchResult:
    """Run the benchmark against ``url`` (migrated first) and return what it found.

    The time measured is from the start signal until the last process has reported, so
    process start-up and imports are not counted.
    """
    from .db import migrate
    from .service import Register

    migrate(url)
    with Register(url, migrate=False) as reg:
        before = reg.counts()
        backend = reg.dialect
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Queue()
    go = ctx.Event()
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=_worker,
            args=(url, municipality, per_process, w, ready, go, results),
            daemon=True,
        )
        for w in range(processes)
    ]
    for p in procs:
        p.start()
    waiting = processes
    started = time.monotonic()
    while waiting:
        try:
            ready.get(timeout=0.5)
            waiting -= 1
        except queue.Empty:
            if time.monotonic() - started > 300 or any(p.exitcode is not None for p in procs):
                break
    go.set()
    start = time.perf_counter()
    refs: list[str] = []
    errors: list[str] = []
    pending = processes
    while pending:
        try:
            _worker_id, got, error = results.get(timeout=1.0)
        except queue.Empty:
            # A process that died without reporting (killed, or failed to start) ends the run.
            if all(p.exitcode is not None for p in procs) or time.perf_counter() - start > 1800:
                errors.append(f"{pending} proces(ser) stoppede uden at svare")
                break
            continue
        pending -= 1
        refs.extend(got)
        if error:
            errors.append(error)
    seconds = time.perf_counter() - start
    for p in procs:
        p.join(timeout=60)
        if p.is_alive():
            p.kill()
    if errors:
        raise RuntimeError("benchmark-proces fejlede: " + "; ".join(errors))
    with Register(url, migrate=False) as reg:
        after = reg.counts()
    return BenchResult(
        backend=backend,
        processes=processes,
        per_process=per_process,
        seconds=seconds,
        references=tuple(refs),
        complaints_added=after["complaints"] - before["complaints"],
        audit_events_added=after["audit_events"] - before["audit_events"],
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m omtanke.register.bench", description=__doc__)
    p.add_argument("--db", required=True, metavar="URL", help="databasen (brug en testdatabase)")
    p.add_argument("-p", "--processes", type=int, default=8)
    p.add_argument("-n", "--per-process", type=int, default=500)
    p.add_argument("--kommune", default="hjoerring")
    args = p.parse_args(argv)
    result = run_benchmark(args.db, args.processes, args.per_process, args.kommune)
    print(result.summary())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
