"""Training data: the minimum-sample gate, the time-ordered split, snapshot metadata.

Rows are split by time, never at random across a learner's history: the earliest rows train,
the next ones calibrate, the latest ones test, so no model sees the future of what it is
evaluated on (no temporal leakage).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

LABEL_ROOT = "root_cause"
LABEL_SUBTYPE = "subtype"
TIME_COLUMN = "submitted_at"


class InsufficientDataError(ValueError):
    """Too few labelled rows to train; the message says how many are missing and where."""


@dataclass(frozen=True, slots=True)
class SampleGate:
    min_rows: int = 200
    min_rows_per_root_cause: int = 20


def check_minimum_samples(
    root_causes: Sequence[str], *, gate: SampleGate, classes: Sequence[str]
) -> None:
    """Seed 004's minimum-sample gate: refuse with the exact shortfall, overall and per class."""
    counts = Counter(root_causes)
    problems = []
    if len(root_causes) < gate.min_rows:
        problems.append(
            f"{len(root_causes)} labelled rows, need {gate.min_rows} "
            f"({gate.min_rows - len(root_causes)} missing)"
        )
    for label in classes:
        have = counts.get(label, 0)
        if have < gate.min_rows_per_root_cause:
            problems.append(
                f"root cause {label!r}: {have} rows, need {gate.min_rows_per_root_cause} "
                f"({gate.min_rows_per_root_cause - have} missing)"
            )
    if problems:
        raise InsufficientDataError("Not enough verified labels to train: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Split:
    train: pd.DataFrame
    calibration: pd.DataFrame
    test: pd.DataFrame


def time_split(
    frame: pd.DataFrame, *, calibration_share: float = 0.15, test_share: float = 0.15
) -> Split:
    """Earliest rows train, the next calibrate, the latest test (ties broken by row id)."""
    ordered = frame.sort_values([TIME_COLUMN, "id"], kind="stable").reset_index(drop=True)
    n = len(ordered)
    test_start = round(n * (1 - test_share))
    calibration_start = round(n * (1 - test_share - calibration_share))
    return Split(
        train=ordered.iloc[:calibration_start],
        calibration=ordered.iloc[calibration_start:test_start],
        test=ordered.iloc[test_start:],
    )


def feature_matrix(frame: pd.DataFrame, feature_names: Sequence[str]) -> np.ndarray:
    return frame.loc[:, list(feature_names)].to_numpy(dtype=np.float64)


def data_sha256(frame: pd.DataFrame, feature_names: Sequence[str]) -> str:
    """A content hash of the labelled rows (ids, labels, features), independent of row order."""
    ordered = frame.sort_values("id", kind="stable")
    digest = hashlib.sha256()
    digest.update(ordered["id"].to_numpy(dtype=np.int64).tobytes())
    for column in (LABEL_ROOT, LABEL_SUBTYPE):
        digest.update("\n".join(ordered[column].astype(str)).encode())
    digest.update(feature_matrix(ordered, feature_names).tobytes())
    return digest.hexdigest()


def snapshot_metadata(
    frame: pd.DataFrame,
    *,
    feature_names: Sequence[str],
    schema_version: str,
    schema_sha256: str,
    code_present: Sequence[bool],
    created_at: str,
) -> dict[str, object]:
    """The 000 appendix's snapshot metadata, extended with class counts and a data hash."""
    return {
        "schema_version": schema_version,
        "feature_schema_v2_sha256": schema_sha256,
        "row_count": len(frame),
        "code_present_rate": round(float(np.mean(code_present)) if len(code_present) else 0.0, 6),
        "class_counts": {
            "root_cause": dict(sorted(Counter(frame[LABEL_ROOT]).items())),
            "subtype": dict(sorted(Counter(frame[LABEL_SUBTYPE]).items())),
        },
        "data_sha256": data_sha256(frame, feature_names),
        "created_at_utc": created_at,
    }
