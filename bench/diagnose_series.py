"""Run bench/diagnose.py several times, memory on and off alternating; medians and ranges.

One run of bench/diagnose.py is at the mercy of the machine's speed at that moment (2-vCPU
cloud machines drift by tens of per cent within an hour), so the README quotes this series:
each metric's median, minimum and maximum over the runs of each memory setting, the runs
interleaved so that a drift slows both settings alike. Every run is a fresh process on a fresh
`mim_bench` database, exactly as `make bench`. Writes bench/results/diagnose_series.json; the
last memory-on run also leaves its full report in bench/results/diagnose.json.

    .venv/bin/python bench/diagnose_series.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

from common import RESULTS_DIR, ROOT, result_header

RESULTS = RESULTS_DIR / "diagnose_series.json"
DIAGNOSE_REPORT = RESULTS_DIR / "diagnose.json"

METRICS = {
    "decision_path_p50_ms": ("decision_path", "p50_ms"),
    "decision_path_rules_engine_p50_ms": ("decision_path_rules_engine", "p50_ms"),
    "floor_ast_parse_and_walk_p50_ms": ("floor_ast_parse_and_walk", "p50_ms"),
    "service_p50_ms": ("service_with_writes", "p50_ms"),
    "service_p99_ms": ("service_with_writes", "p99_ms"),
    "http_one_client_p50_ms": ("http_post_submissions", "one_client", "p50_ms"),
    "http_one_client_p99_ms": ("http_post_submissions", "one_client", "p99_ms"),
    "http_four_clients_per_s": ("http_post_submissions", "four_clients", "throughput_per_s"),
}


def _value(report: dict, path: tuple[str, ...]) -> float:
    for key in path:
        report = report[key]
    return float(report)  # type: ignore[arg-type]


def run_once(memory_on: bool) -> dict:
    env = {**os.environ, "MIM_MEMORY_IN_DIAGNOSIS": "1" if memory_on else "0"}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "diagnose.py")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def summarise(reports: list[dict]) -> dict:
    summary = {}
    for name, path in METRICS.items():
        values = [_value(report, path) for report in reports]
        summary[name] = {
            "median": round(statistics.median(values), 3),
            "min": round(min(values), 3),
            "max": round(max(values), 3),
            "runs": values,
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per memory setting")
    args = parser.parse_args()
    reports: dict[bool, list[dict]] = {True: [], False: []}
    last_on = None
    for index in range(args.runs):
        for memory_on in (True, False):
            report = run_once(memory_on)
            reports[memory_on].append(report)
            if memory_on:
                last_on = report
            print(
                f"run {index + 1} memory {'on ' if memory_on else 'off'}: "
                + ", ".join(
                    f"{name} {_value(report, path)}" for name, path in list(METRICS.items())[:6]
                ),
                flush=True,
            )
    targets = reports[True][0]["targets"]
    result = {
        **result_header("diagnose_series", database=False),
        "runs_per_setting": args.runs,
        "order": "memory on, then off, repeated",
        "memory_on": summarise(reports[True]),
        "memory_off": summarise(reports[False]),
        "targets": targets,
        "run_times": {
            "memory_on": [r["created_at"] for r in reports[True]],
            "memory_off": [r["created_at"] for r in reports[False]],
        },
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    # bench/diagnose.py rewrites diagnose.json on every run; keep a memory-on report there.
    DIAGNOSE_REPORT.write_text(json.dumps(last_on, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("memory_on", "memory_off")}, indent=1))


if __name__ == "__main__":
    main()
