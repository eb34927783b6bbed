"""`python -m bench [complaints] [webhook]`: run the named benchmarks (all by default)."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("webhook", "e2e", "sender", "complaints")


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        module = importlib.import_module(f"bench.{name}")
        module.run()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
