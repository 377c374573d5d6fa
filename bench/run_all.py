"""Run every benchmark script in turn and print their figures (``make bench``).

Each script measures its own baseline in the same run and prints the ratio; this runner only
sequences them.  ``bench_table.py`` is issue 12's table (whole-process jobs against their floors);
the others are the in-process micro-benchmarks.  ``--small`` passes each script its quick mode.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "bench_table.py": (["--classes", "4", "--students", "100", "--repeat", "1"], ["--scale", "1"]),
    "bench_grading.py": (["--students", "100"], []),
    "bench_validate.py": (["--small"], []),
    "bench_storage.py": (["--small"], []),
    "bench_render.py": (["--classes", "4", "--repeat", "2"], []),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="quick runs on small data")
    args = parser.parse_args()
    failed = []
    for script, (small, full) in SCRIPTS.items():
        print(f"\n==== {script} {'(small)' if args.small else ''}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(HERE / script), *(small if args.small else full)])
        print(f"---- {script}: exit {code}, {time.perf_counter() - started:.1f} s wall", flush=True)
        if code:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
