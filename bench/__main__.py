"""`python -m bench [webhook] [e2e] [sender] [complaints] [register] [notices] [dispatch]`:
run the named benchmarks (all by default; `make bench BENCH=e2e` for one).

Each prints a small table, its figures as ratios against anchors measured in the same run.
Sizes, rounds and time-outs come from the environment, so a quick run stays small:

    BENCH_ROUNDS=1 BENCH_WEBHOOK_SECONDS=3 BENCH_E2E_CHATS=100 \\
        BENCH_SENDER_MESSAGES=1000 BENCH_SENDER_TIMEOUT=20 BENCH_COMPLAINTS=20000 \\
        BENCH_NOTICE_RECIPIENTS=5000 python -m bench

webhook: BENCH_WEBHOOK_SECONDS (8), BENCH_WEBHOOK_ROUNDS, BENCH_WEBHOOK_CONCURRENCY (16),
    BENCH_WEBHOOK_DRAIN (60 s), BENCH_LOADGEN=python (no wrk);
e2e: BENCH_E2E_CHATS (1000), BENCH_E2E_IN_FLIGHT (32), BENCH_E2E_ROUNDS, BENCH_E2E_TIMEOUT
    (300 s), BENCH_E2E_SEND_RATE (1000);
sender: BENCH_SENDER_MESSAGES (10000), BENCH_SENDER_RATE (1000), BENCH_SENDER_TIMEOUT (60 s),
    BENCH_SENDER_SLOW_SECONDS (0.08);
complaints: BENCH_COMPLAINTS (1000000);
register: BENCH_REGISTER_ROWS (100000; 0 skips the CSV), BENCH_REGISTER_XLSX_ROWS (100000; 0 skips
    the XLSX), BENCH_REGISTER_ANCHOR (1; 0 skips timing openpyxl on the same workbook).
notices: BENCH_NOTICE_RECIPIENTS (100000), BENCH_NOTICE_CHUNK (2000);
dispatch: BENCH_DISPATCH_RECIPIENTS (100000), BENCH_DISPATCH_WHATSAPP_RATE (400),
    BENCH_DISPATCH_TELEGRAM_RATE (30).
BENCH_ROUNDS (3) is every benchmark's rounds unless its own variable says otherwise;
BENCH_DATABASE_URL (or TEST_DATABASE_URL) is the PostgreSQL to use, when reachable.
"""

from __future__ import annotations

import importlib
import signal
import sys

BENCHMARKS = ("webhook", "e2e", "sender", "complaints", "register", "notices", "dispatch")


def main(names: list[str]) -> None:
    # Stopped from outside, a run still stops the servers and fakes it started (their
    # context managers run on SystemExit, not on a bare SIGTERM).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    for name in names or list(BENCHMARKS):
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        module = importlib.import_module(f"bench.{name}")
        module.run()
        print(flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
