"""Benchmark what memory adds to a diagnosis: `submission_process` with memory on and off, paired.

Requests alternate between memory on and off in one process (separate learners for each), so a
noisy machine slows both alike and the difference is memory's cost. Runs on the `mim_bench`
database that `bench/diagnose.py` leaves behind (its activated model decides; without one the
rules engine does, which the result says). Writes bench/results/memory_cost.json.

    .venv/bin/python bench/memory_cost.py [--n 800]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

from common import RESULTS_DIR, percentiles, prepare_database, result_header
from diagnose import BENCH_DB, hundred_line_program, service_input

RESULTS = RESULTS_DIR / "memory_cost.json"
WARMUP = 40


def run(n: int) -> dict[str, object]:
    from django.conf import settings

    from diagnosis.models import Diagnosis
    from diagnosis.services import submission_process

    code = hundred_line_program()
    run_id = datetime.now(tz=UTC).strftime("%Y%m%d%H%M%S")
    base = datetime(2027, 1, 1, tzinfo=UTC)
    samples: dict[bool, list[float]] = {True: [], False: []}
    for i in range(n):
        memory_on = i % 2 == 0
        settings.MIM_MEMORY_IN_DIAGNOSIS = memory_on
        data = service_input(
            external_id=f"cost-{run_id}-{i}",
            user_id=f"cost-{run_id}-{'on' if memory_on else 'off'}-{(i // 2) % 50}",
            problem_id=f"prob-{i % 20}",
            code=code,
            verdict="accepted" if (i // 2) % 4 == 3 else "wrong_answer",
            submitted_at=base + timedelta(minutes=i),
        )
        started = time.perf_counter()
        submission_process(data=data)
        samples[memory_on].append((time.perf_counter() - started) * 1000)
    on = percentiles(samples[True][WARMUP // 2 :])
    off = percentiles(samples[False][WARMUP // 2 :])
    engines = Diagnosis.objects.filter(submission__external_id__startswith=f"cost-{run_id}-")
    return {
        "memory_on": on,
        "memory_off": off,
        "added_by_memory_p50_ms": round(on["p50_ms"] - off["p50_ms"], 3),
        "added_by_memory_mean_ms": round(on["mean_ms"] - off["mean_ms"], 3),
        "engines": sorted(set(engines.values_list("engine", flat=True))),
        "rag_used": engines.filter(submission__result__rag__used=True).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=800, help="requests, half with memory on")
    args = parser.parse_args()
    if args.n < WARMUP + 2:
        # Each setting drops its first WARMUP // 2 requests and needs at least one measured.
        parser.error(f"--n must be at least {WARMUP + 2}: the first {WARMUP} are warm-up")
    prepare_database(BENCH_DB, fresh=False)
    result = {
        **result_header("memory_cost"),
        "requests": args.n,
        **run(args.n),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
