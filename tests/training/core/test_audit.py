"""The feature sanity audit: what it flags, how it scores, and that its report is stable JSON."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from training.core.audit import AuditThresholds, feature_audit

ROOT_CAUSES = np.array(["correctness", "efficiency", "implementation", "understanding_gap"])
FEATURES = [f"f{i}" for i in range(8)]


def clean_frame(n: int = 3000, seed: int = 1) -> pd.DataFrame:
    """Random features, a noisy label, timestamps in shuffled row order."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, len(FEATURES))), columns=FEATURES)
    frame["f7"] = rng.integers(0, 5, size=n)
    scores = frame[["f0", "f1", "f2", "f3"]].to_numpy() + rng.normal(scale=1.5, size=(n, 4))
    frame["root_cause"] = ROOT_CAUSES[np.argmax(scores, axis=1)]
    start = pd.Timestamp("2026-01-01", tz="UTC")
    frame["submitted_at"] = start + pd.to_timedelta(rng.permutation(n), unit="min")
    return frame


def audit(frame: pd.DataFrame, names: list[str] | None = None, **kwargs: object) -> dict:
    return feature_audit(frame, feature_names=names or list(FEATURES), **kwargs)


def test_clean_frame_passes_with_a_healthy_score() -> None:
    report = audit(clean_frame())
    assert report["gate"] == {"passed": True, "min_health_score": 70.0}
    assert report["health_score"] >= 70
    assert report["blocking_issues"] == []
    assert report["action_lists"]["KEEP"] == FEATURES
    assert report["row_count"] == 3000
    stats = report["features"]["f7"]
    assert stats["unique_count"] == 5
    assert stats["min"] == 0 and stats["max"] == 4
    assert stats["missing_rate"] == 0
    assert stats["variance"] == pytest.approx(stats["std"] ** 2, rel=1e-5)
    assert set(stats) >= {"p01", "p25", "p50", "p75", "p99", "constant", "near_constant"}


def test_constant_column_is_removed_without_blocking() -> None:
    frame = clean_frame()
    frame["f5"] = 2.0
    report = audit(frame)
    assert report["features"]["f5"]["constant"]
    assert report["action_lists"]["REMOVE"] == ["f5"]
    assert report["blocking_issues"] == []
    assert report["gate"]["passed"]
    assert report["health_score"] == 100 - AuditThresholds().penalty_constant


def test_near_constant_column_is_reviewed() -> None:
    frame = clean_frame()
    frame["f6"] = 0.0
    frame.loc[:9, "f6"] = 1.0
    report = audit(frame)
    assert report["features"]["f6"]["near_constant"]
    assert "f6" in report["action_lists"]["REVIEW"]


def test_nan_is_a_blocking_fix_and_fails_the_gate() -> None:
    frame = clean_frame()
    frame.loc[5, "f4"] = np.nan
    frame.loc[6, "f3"] = np.inf
    report = audit(frame)
    assert report["action_lists"]["FIX"] == ["f3", "f4"]
    assert not report["gate"]["passed"]
    assert any(issue.startswith("f4:") for issue in report["blocking_issues"])
    assert any(issue.startswith("f3:") for issue in report["blocking_issues"])
    assert report["features"]["f4"]["missing_rate"] == pytest.approx(1 / 3000, abs=1e-6)
    assert report["features"]["f3"]["infinite_rate"] > 0


def test_identical_columns_form_a_pair_and_the_later_one_is_reviewed() -> None:
    frame = clean_frame()
    frame["f6"] = frame["f2"]
    report = audit(frame)
    assert report["correlation"]["pairs_above_threshold"] == [["f2", "f6", 1.0]]
    assert report["action_lists"]["REVIEW"] == ["f6"]
    assert "f2" in report["action_lists"]["KEEP"]
    assert report["gate"]["passed"]


def test_planted_label_proxy_is_blocking_and_named() -> None:
    frame = clean_frame()
    codes = pd.Series(frame["root_cause"]).map({rc: i for i, rc in enumerate(ROOT_CAUSES)})
    frame["f4"] = codes + np.random.default_rng(3).normal(scale=0.01, size=len(frame))
    report = audit(frame)
    leakage = report["temporal_leakage"]["label_leakage"]
    assert leakage["flagged"] == ["f4"]
    assert leakage["macro_f1"]["f4"] > 0.95
    assert any("f4" in issue and "label leakage" in issue for issue in report["blocking_issues"])
    assert "f4" in report["action_lists"]["REMOVE"]
    assert not report["gate"]["passed"]


def test_feature_that_grows_with_time_is_reviewed() -> None:
    frame = clean_frame()
    minutes = (frame["submitted_at"] - frame["submitted_at"].min()).dt.total_seconds() / 60
    frame["f6"] = minutes + np.random.default_rng(4).normal(scale=50, size=len(frame))
    report = audit(frame)
    trend = report["temporal_leakage"]["time_trend"]
    assert trend["flagged"] == ["f6"]
    assert trend["rho"]["f6"] > 0.9
    assert "f6" in report["action_lists"]["REVIEW"]
    # without the time column, shuffled row order shows no trend
    assert audit(frame, time_column=None)["temporal_leakage"]["time_trend"]["flagged"] == []


def test_many_minor_issues_lower_the_score_below_the_gate() -> None:
    frame = clean_frame()
    extra = {}
    for i in range(6):
        extra[f"const{i}"] = np.zeros(len(frame))
        extra[f"near{i}"] = (np.arange(len(frame)) < 10).astype(float)
        extra[f"dup{i}"] = frame[f"f{i}"] * 2
    frame = pd.concat([frame, pd.DataFrame(extra)], axis=1)
    report = audit(frame, [*FEATURES, *extra])
    assert report["blocking_issues"] == []
    # constants 6 x 3 and pairs 6 x 3 are each capped at 15; near-constants 6 x 2
    assert report["health_score"] == 100 - 15 - 15 - 12
    assert not report["gate"]["passed"]


def test_missing_column_is_blocking() -> None:
    report = audit(clean_frame(), [*FEATURES, "absent"])
    assert "absent" in report["action_lists"]["FIX"]
    assert not report["gate"]["passed"]


def test_report_is_json_and_deterministic() -> None:
    frame = clean_frame()
    frame.loc[1, "f1"] = np.nan
    frame["f5"] = 1.0
    first = json.dumps(audit(frame), allow_nan=False, sort_keys=True)
    second = json.dumps(audit(frame.copy()), allow_nan=False, sort_keys=True)
    assert first == second
    assert "timestamp" not in json.loads(first)


def test_missing_time_or_label_column_is_refused() -> None:
    frame = clean_frame().drop(columns=["submitted_at"])
    with pytest.raises(ValueError, match="time_column=None"):
        audit(frame)
    with pytest.raises(ValueError, match="label column"):
        audit(frame, time_column=None, label_column="subtype")
    skipped = audit(frame, time_column=None, label_column=None)
    assert skipped["temporal_leakage"]["label_leakage"]["skipped"] == "no label column"
