"""Training data rules without a database: time split, minimum-sample gate, snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from training.core.dataset import (
    LABEL_ROOT,
    LABEL_SUBTYPE,
    LEARNER_COLUMN,
    TIME_COLUMN,
    InsufficientDataError,
    SampleGate,
    check_minimum_samples,
    data_sha256,
    learner_pseudonym,
    snapshot_metadata,
    snapshot_read,
    snapshot_write,
    time_split,
)

NAMES = ("f1", "f2")


def _frame(n: int = 100) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    order = rng.permutation(n)  # rows arrive out of time order
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            TIME_COLUMN: [start + timedelta(hours=int(i)) for i in order],
            LEARNER_COLUMN: [learner_pseudonym(f"u{i % 7}") for i in range(n)],
            LABEL_ROOT: ["correctness", "efficiency"] * (n // 2),
            LABEL_SUBTYPE: ["off_by_one", "wrong_complexity"] * (n // 2),
            "f1": rng.normal(size=n),
            "f2": rng.normal(size=n),
        }
    )


def test_time_split_never_tests_on_the_past_of_training() -> None:
    split = time_split(_frame(), calibration_share=0.15, test_share=0.15)

    assert (len(split.train), len(split.calibration), len(split.test)) == (70, 15, 15)
    assert split.train[TIME_COLUMN].max() < split.calibration[TIME_COLUMN].min()
    assert split.calibration[TIME_COLUMN].max() < split.test[TIME_COLUMN].min()


def test_minimum_sample_gate_says_how_many_rows_are_missing() -> None:
    with pytest.raises(InsufficientDataError) as refused:
        check_minimum_samples(
            ["correctness"] * 30 + ["efficiency"] * 5,
            gate=SampleGate(min_rows=50, min_rows_per_root_cause=10),
            classes=("correctness", "efficiency", "implementation"),
        )

    message = str(refused.value)
    assert "35 labelled rows, need 50 (15 missing)" in message
    assert "'efficiency': 5 rows, need 10 (5 missing)" in message
    assert "'implementation': 0 rows, need 10 (10 missing)" in message
    assert "'correctness'" not in message


def test_minimum_sample_gate_passes_at_the_threshold() -> None:
    check_minimum_samples(
        ["correctness"] * 10 + ["efficiency"] * 10,
        gate=SampleGate(min_rows=20, min_rows_per_root_cause=10),
        classes=("correctness", "efficiency"),
    )


def test_data_hash_ignores_row_order_but_not_content() -> None:
    frame = _frame()
    shuffled = frame.sample(frac=1.0, random_state=3)
    changed = frame.copy()
    changed.loc[5, "f2"] += 1e-9

    assert data_sha256(frame, NAMES) == data_sha256(shuffled, NAMES)
    assert data_sha256(frame, NAMES) != data_sha256(changed, NAMES)


def test_learner_pseudonym_is_stable_and_hides_the_id() -> None:
    assert learner_pseudonym("learner-42") == learner_pseudonym("learner-42")
    assert learner_pseudonym("learner-42") != learner_pseudonym("learner-43")
    pseudonym = learner_pseudonym("learner-42")
    assert len(pseudonym) == 16 and set(pseudonym) <= set("0123456789abcdef")
    assert "learner" not in pseudonym


def test_snapshot_round_trips_rows_and_metadata(tmp_path) -> None:
    frame = _frame()
    metadata = snapshot_metadata(
        frame,
        feature_names=NAMES,
        schema_version="v-test",
        schema_sha256="ab" * 32,
        code_present=[True] * 90 + [False] * 10,
        created_at="2026-11-23T00:00:00+00:00",
    )

    path = snapshot_write(frame, metadata, tmp_path / "deep" / "snap.parquet")
    read, read_metadata = snapshot_read(path)

    assert read_metadata == metadata
    assert metadata["row_count"] == 100 and metadata["code_present_rate"] == 0.9
    assert metadata["class_counts"]["root_cause"] == {"correctness": 50, "efficiency": 50}
    pd.testing.assert_frame_equal(read, frame)
    assert data_sha256(read, NAMES) == metadata["data_sha256"]


def test_a_parquet_file_that_is_not_a_snapshot_is_refused(tmp_path) -> None:
    path = tmp_path / "plain.parquet"
    _frame().to_parquet(path)

    with pytest.raises(ValueError, match="not a MIM dataset snapshot"):
        snapshot_read(path)
