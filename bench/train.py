"""Benchmark a full training run at 10k and 100k labelled rows; record the synthetic benchmark.

Writes bench/results/train.json (wall time per step and peak memory per size) and
bench/results/synthetic_benchmark.json (the evaluation of the largest run: the committed
synthetic benchmark, with its generator settings, gates and metrics; plots beside it as SVG).

Data: the synthetic generator's learners (settings below, committed) loaded through the real
diagnosis service into a dedicated `mim_bench_train` database, two loader processes sharded by
learner. Loading is set-up, not part of the measured run, and is reused while the database
holds enough labelled rows of the current feature schema (--reload forces it). Each measured
run is a fresh child process (`--child`) so its peak RSS is its own.

    .venv/bin/python bench/train.py [--rows 10000 100000] [--reload]
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from common import RESULTS_DIR, ROOT, prepare_database, result_header

BENCH_DB = "mim_bench_train"
SEED = 2026
# Labelled (failed) attempts per synthetic learner with the default generator settings,
# measured: 12,387 labelled rows from 1,000 learners. A margin keeps the largest size covered.
LABELLED_PER_LEARNER = 12.0
LOADERS = 2
TARGETS = {"rows_100000_wall_s": 120, "rows_100000_peak_gib": 4.0}


def _labelled_rows() -> int:
    from diagnosis.core.features import load_feature_schema
    from diagnosis.models import Diagnosis

    return Diagnosis.objects.filter(
        verified_root_cause__isnull=False,
        feature_schema_version=load_feature_schema().version,
    ).count()


def _load_shard(args: tuple[str, int, int, int]) -> dict[str, int]:
    """Load every learner whose number falls in this shard (a learner's history stays in order
    in one process; different learners never share state, so shards run concurrently)."""
    url, learners, shard, shards = args
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mimsite.settings")
    import django

    django.setup()
    from training.core.synthetic import SyntheticDataset, generate
    from training.services import synthetic_dataset_load

    dataset = generate(learners=learners, seed=SEED)
    users = sorted({a.user_id for a in dataset.attempts})
    mine = set(users[shard::shards])
    part = SyntheticDataset(
        problems=dataset.problems,
        attempts=tuple(a for a in dataset.attempts if a.user_id in mine),
    )
    return synthetic_dataset_load(dataset=part)


def ensure_data(rows: int, *, reload: bool) -> dict[str, object]:
    url = prepare_database(BENCH_DB, fresh=reload)
    learners = math.ceil(rows / LABELLED_PER_LEARNER)
    have = _labelled_rows()
    if have >= rows and not reload:
        return {"learners": learners, "seed": SEED, "labelled_rows": have, "load_s": None}
    if have:
        url = prepare_database(BENCH_DB, fresh=True)
    started = time.perf_counter()
    # spawn, not fork: a forked loader would share this process's database connection.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=LOADERS, mp_context=spawn) as pool:
        shards = list(
            pool.map(_load_shard, [(url, learners, shard, LOADERS) for shard in range(LOADERS)])
        )
    return {
        "learners": learners,
        "seed": SEED,
        "attempts": sum(s["attempts"] for s in shards),
        "labelled_rows": _labelled_rows(),
        "load_s": round(time.perf_counter() - started, 1),
        "loaders": LOADERS,
    }


def child(rows: int) -> None:
    """One measured training run; prints its report as JSON on the last line."""
    prepare_database(BENCH_DB, fresh=False)
    from training.services import training_run_create, training_run_execute

    started = time.perf_counter()
    run = training_run_execute(run=training_run_create(trigger="command"), max_rows=rows)
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "rows": rows,
        "status": run.status,
        "blocked_reason": run.blocked_reason,
        "wall_s": round(wall, 2),
        "steps_s": run.timings,
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "dataset": {k: run.dataset.get(k) for k in ("row_count", "split", "data_sha256")},
        "model_version": run.model_version.version if run.model_version else None,
        "metrics": run.metrics,
        "audit": {k: run.audit_report.get(k) for k in ("health_score", "gate")},
        "leakage_gate": run.gate_report,
    }
    print(json.dumps(report, default=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--reload", action="store_true", help="regenerate the data set")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return

    data = ensure_data(max(args.rows), reload=args.reload)
    runs = []
    for rows in sorted(args.rows):
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(rows)],
            cwd=ROOT,
            env={**os.environ},
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{rows} rows: {report['status']} in {report['wall_s']} s, "
            f"peak {report['peak_rss_mib']} MiB, steps {report['steps_s']}",
            flush=True,
        )
        runs.append(report)

    largest = runs[-1]
    summary_keys = ("root_cause_macro_f1", "root_cause_accuracy", "subtype_accuracy", "ece")
    result = {
        **result_header("train"),
        "data": data,
        "runs": [
            {k: v for k, v in run.items() if k not in ("metrics", "leakage_gate")}
            | {"metrics": {k: run["metrics"].get(k) for k in summary_keys}}
            for run in runs
        ],
        "targets": TARGETS,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "train.json").write_text(json.dumps(result, indent=2) + "\n")
    benchmark = {
        "benchmark": "synthetic",
        "created_at": result["created_at"],
        "generator": {
            "command": f"manage.py mim_generate_synthetic --learners {data['learners']} "
            f"--seed {SEED}",
            "config": "training.core.synthetic.DEFAULT_CONFIG",
        },
        "rows": largest["rows"],
        "model_version": largest["model_version"],
        "split": largest["dataset"]["split"],
        "quality_bar": {
            "root_cause_macro_f1_min": 0.80,
            "root_cause_accuracy_gt": 0.75,
            "subtype_accuracy_gt": 0.65,
            "ece_lt": 0.05,
        },
        "metrics": largest["metrics"],
        "feature_audit": largest["audit"],
        "leakage_gate": largest["leakage_gate"],
    }
    (RESULTS_DIR / "synthetic_benchmark.json").write_text(json.dumps(benchmark, indent=2) + "\n")
    _write_plots(largest["model_version"])
    print(json.dumps(result, indent=2))


def _write_plots(version: str | None) -> None:
    """The largest run's plots as stored with its model version."""
    if version is None:
        return
    from governance.models import ModelArtifact

    for artifact in ModelArtifact.objects.filter(
        model_version__version=version, name__endswith=".svg"
    ):
        (RESULTS_DIR / f"synthetic_benchmark.{artifact.name}").write_text(artifact.content)


if __name__ == "__main__":
    main()
