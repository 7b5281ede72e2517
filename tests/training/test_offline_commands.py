"""The offline checks as commands with JSON output: dataset snapshot, feature audit, evaluate."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from governance.models import ModelVersion
from training.core.dataset import snapshot_read
from training.core.synthetic import generate
from training.core.trainer import TrainParams
from training.models import TrainingRun
from training.services import synthetic_dataset_load, training_run_create, training_run_execute

FAST = TrainParams(num_iterations=40, subtype_num_iterations=30, cv_folds=3, num_threads=1)


@pytest.fixture
def snapshot(db, tmp_path):
    synthetic_dataset_load(dataset=generate(learners=30, seed=11))
    out = StringIO()
    call_command("mim_dataset", output_dir=tmp_path / "ds", stdout=out)
    metadata = json.loads(out.getvalue())
    return metadata


@pytest.fixture
def version(snapshot) -> ModelVersion:
    run = training_run_execute(
        run=training_run_create(trigger=TrainingRun.Trigger.COMMAND), params=FAST
    )
    assert run.status == "succeeded", run.log
    return run.model_version


def test_dataset_snapshot_holds_the_verified_rows_and_their_metadata(snapshot) -> None:
    frame, metadata = snapshot_read(snapshot["snapshot_path"])

    assert len(frame) == snapshot["row_count"] == metadata["row_count"] > 150
    assert metadata["data_sha256"] == snapshot["data_sha256"]
    assert sum(metadata["class_counts"]["root_cause"].values()) == len(frame)
    assert frame["submitted_at"].is_monotonic_increasing
    assert not frame["learner"].str.startswith("syn").any()  # pseudonyms, not ids


def test_feature_audit_writes_the_report_and_passes_the_gate(snapshot, tmp_path) -> None:
    output = tmp_path / "audit" / "report.json"
    call_command(
        "mim_feature_audit", data=snapshot["snapshot_path"], output=output, stdout=StringIO()
    )

    report = json.loads(output.read_text())
    assert report["gate"]["passed"] is True
    assert report["blocking_issues"] == []
    assert 70 <= report["health_score"] <= 100
    assert report["dataset"]["data_sha256"] == snapshot["data_sha256"]
    assert set(report["action_lists"]) == {"REMOVE", "FIX", "KEEP", "REVIEW"}
    listed = [name for names in report["action_lists"].values() for name in names]
    assert sorted(listed) == sorted(report["features"])  # every feature gets one action


def test_feature_audit_refuses_a_file_that_is_not_a_snapshot(db, tmp_path) -> None:
    bogus = tmp_path / "x.parquet"
    bogus.write_bytes(b"not parquet")

    with pytest.raises(CommandError, match="cannot read"):
        call_command("mim_feature_audit", data=bogus, output=tmp_path / "r.json")
    assert not (tmp_path / "r.json").exists()


def test_evaluate_writes_metrics_and_plots(version, snapshot, tmp_path) -> None:
    output = tmp_path / "eval" / "metrics.json"
    call_command(
        "mim_evaluate",
        model=version.version,
        data=snapshot["snapshot_path"],
        output=output,
        stdout=StringIO(),
    )

    metrics = json.loads(output.read_text())
    assert metrics["model_version"] == version.version
    assert metrics["test_rows"] == snapshot["row_count"]
    for key in ("root_cause_accuracy", "root_cause_macro_f1", "subtype_accuracy", "ece", "mce"):
        assert 0.0 <= metrics[key] <= 1.0
    assert len(metrics["reliability_curve"]) == 10
    assert sum(b["count"] for b in metrics["reliability_curve"]) == snapshot["row_count"]
    assert len(metrics["root_cause_report"]["confusion"]) == 4
    for plot in ("confusion_root_cause", "confusion_subtype", "reliability"):
        assert (tmp_path / "eval" / f"metrics.{plot}.svg").read_text().startswith("<svg")


def test_evaluate_names_an_unknown_version(db, tmp_path) -> None:
    with pytest.raises(CommandError, match="no model version 'nope'"):
        call_command("mim_evaluate", model="nope", data=tmp_path / "x", output=tmp_path / "o")
