"""Training data: the minimum-sample gate, the time-ordered split, snapshot metadata.

Rows are split by time, never at random across a learner's history: the earliest rows train,
the next ones calibrate, the latest ones test, so no model sees the future of what it is
evaluated on (no temporal leakage).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

LABEL_ROOT = "root_cause"
LABEL_SUBTYPE = "subtype"
TIME_COLUMN = "submitted_at"
# A learner's pseudonym (a hash of the opaque id): groups cross-validation folds, never a feature.
LEARNER_COLUMN = "learner"
SNAPSHOT_METADATA_KEY = b"mim.snapshot"


def learner_pseudonym(user_id: str) -> str:
    return hashlib.sha256(f"mim-learner:{user_id}".encode()).hexdigest()[:16]


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


def snapshot_write(frame: pd.DataFrame, metadata: dict[str, object], path: Path) -> Path:
    """Write the labelled frame as parquet with its metadata in the file's schema metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(
        {
            **(table.schema.metadata or {}),
            SNAPSHOT_METADATA_KEY: json.dumps(metadata, sort_keys=True).encode(),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def snapshot_read(path: Path) -> tuple[pd.DataFrame, dict[str, object]]:
    """Read a snapshot written by ``snapshot_write``; its metadata comes back with it."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    raw = (table.schema.metadata or {}).get(SNAPSHOT_METADATA_KEY)
    if raw is None:
        raise ValueError(f"{path} is not a MIM dataset snapshot (no {SNAPSHOT_METADATA_KEY!r})")
    return table.to_pandas(), json.loads(raw)
