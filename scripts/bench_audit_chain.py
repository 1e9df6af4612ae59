"""Audit chain cost: append entries one transaction at a time and in batches, then verify the chain.

    .venv/bin/python scripts/bench_audit_chain.py [--url postgresql+psycopg://…] [--entries 20000]

Prints entries per second for each step. Without --url it uses a fresh SQLite file in a
temporary folder; a PostgreSQL URL must name an empty database made for the benchmark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session

from storage.audit import verify_chain
from storage.db import open_engine, upgrade
from storage.models import AuditLog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url")
    parser.add_argument("--entries", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        engine = open_engine(url)
        now = dt.datetime.now(dt.UTC)
        single = min(1000, args.entries)
        started = time.perf_counter()
        for i in range(single):
            with Session(engine) as session:
                session.add(AuditLog(at=now, actor="bench", action="bench.single", subject=f"s:{i}", detail="{}"))
                session.commit()
        took = time.perf_counter() - started
        print(f"append, one entry per transaction: {single} in {took:.2f} s ({single / took:.0f}/s)")
        batched = args.entries - single
        started = time.perf_counter()
        with Session(engine) as session:
            for i in range(batched):
                session.add(AuditLog(at=now, actor="bench", action="bench.batch", subject=f"b:{i}",
                                     detail=f'{{"n": {i}}}'))
                if i % 1000 == 999:
                    session.flush()
            session.commit()
        took = time.perf_counter() - started
        print(f"append, batched in one transaction: {batched} in {took:.2f} s ({batched / max(took, 1e-9):.0f}/s)")
        started = time.perf_counter()
        with Session(engine) as session:
            report = verify_chain(session)
        took = time.perf_counter() - started
        print(f"verify: {report.entries} entries in {took:.2f} s ({report.entries / took:.0f}/s), "
              f"{'intact' if report.ok else 'BROKEN at ' + str(report.broken_at)}")
        engine.dispose()


if __name__ == "__main__":
    main()
