"""Benchmark PostgreSQL's plan cache mode on the diagnosis request: re-planning against one plan.

The hot path's statements are prepared (mimsite.db). With PostgreSQL's default
``plan_cache_mode = auto`` a prepared statement is re-planned on every run for as long as its
generic plan's estimated cost looks worse than the custom plans', which is what the memory
recall does; MIM sets ``force_generic_plan`` (``MIM_DB_PLAN_CACHE_MODE``). This alternates
blocks of `submission_process` requests (memory on, the model of the `mim_bench` database that
`bench/diagnose.py` leaves behind) between the two modes on one connection, so a noisy machine
slows both alike, and reports per mode the service's and the recall statement's latency and
how PostgreSQL planned each prepared statement. Writes bench/results/plan_cache.json.

Whether ``auto`` re-plans depends on the database's statistics: on a bench database used for
a while it re-planned the recall on every request; on one freshly made by `make bench` it may
settle on the generic plan by itself, and then both modes run the same plans and the two
medians differ only by the machine's noise. ``plans_in_measured_blocks`` says which happened.

    .venv/bin/python bench/plan_cache.py [--blocks 12] [--per-block 60]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

from common import RESULTS_DIR, percentiles, prepare_database, result_header
from diagnose import BENCH_DB, hundred_line_program, service_input

RESULTS = RESULTS_DIR / "plan_cache.json"
MODES = ("auto", "force_generic_plan")
WARMUP_BLOCKS = 2
LEARNERS = 15


def run(blocks: int, per_block: int) -> dict[str, object]:
    from django.conf import settings
    from django.db import connection

    from diagnosis.services import submission_process

    settings.MIM_MEMORY_IN_DIAGNOSIS = True
    code = hundred_line_program()
    run_id = datetime.now(tz=UTC).strftime("%Y%m%d%H%M%S")
    base = datetime(2027, 6, 1, tzinfo=UTC)
    service: dict[str, list[float]] = {mode: [] for mode in MODES}
    recall: dict[str, list[float]] = {mode: [] for mode in MODES}
    current = [MODES[0]]

    def time_recall(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if sql.startswith("WITH nearest AS"):
                recall[current[0]].append((time.perf_counter() - started) * 1000)

    def plan_counts() -> dict[str, tuple[str, int, int]]:
        """Per prepared statement (by name; variants of the write share their opening): its
        opening, generic plans and custom plans so far on this connection."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, left(statement, 40), generic_plans, custom_plans "
                "FROM pg_prepared_statements WHERE NOT from_sql"
            )
            return {name: (start, generic, custom) for name, start, generic, custom in cursor}

    connection.ensure_connection()
    # Per mode and statement: [generic plans, custom plans] made in the measured blocks.
    plans: dict[str, dict[str, list[int]]] = {mode: {} for mode in MODES}
    request = 0
    with connection.execute_wrapper(time_recall):
        for block in range(blocks):
            mode = MODES[block % 2]
            current[0] = mode
            with connection.cursor() as cursor:
                cursor.execute(f"SET plan_cache_mode = {mode}")
            before = plan_counts()
            for i in range(per_block):
                request += 1
                data = service_input(
                    external_id=f"plan-{run_id}-{request}",
                    user_id=f"plan-{run_id}-{i % LEARNERS}",
                    problem_id=f"prob-{i % 7}",
                    code=code,
                    verdict="wrong_answer",
                    submitted_at=base + timedelta(minutes=request),
                )
                started = time.perf_counter()
                submission_process(data=data)
                if block >= WARMUP_BLOCKS:
                    service[mode].append((time.perf_counter() - started) * 1000)
            if block >= WARMUP_BLOCKS:
                for name, (start, generic, custom) in plan_counts().items():
                    _, generic_before, custom_before = before.get(name, (start, 0, 0))
                    total = plans[mode].setdefault(start, [0, 0])
                    total[0] += generic - generic_before
                    total[1] += custom - custom_before
    return {
        mode: {
            "service": percentiles(service[mode]),
            "recall_statement": percentiles(recall[mode][WARMUP_BLOCKS * per_block // 2 :]),
            "plans_in_measured_blocks": [
                {"statement": start, "generic_plans": generic, "custom_plans": custom}
                for start, (generic, custom) in sorted(plans[mode].items())
            ],
        }
        for mode in MODES
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=12, help="blocks, alternating the mode")
    parser.add_argument("--per-block", type=int, default=60, help="requests per block")
    args = parser.parse_args()
    prepare_database(BENCH_DB, fresh=False)
    measured = run(args.blocks, args.per_block)
    result = {
        **result_header("plan_cache"),
        "blocks": args.blocks,
        "requests_per_block": args.per_block,
        **measured,
        "service_p50_saved_ms": round(
            measured["auto"]["service"]["p50_ms"]  # type: ignore[index]
            - measured["force_generic_plan"]["service"]["p50_ms"],  # type: ignore[index]
            3,
        ),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
