"""The synthetic generator: deterministic, covers the taxonomy, honours its realism controls, and
plants bugs that are real code differences (pure core, no database)."""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from diagnosis.core.code_signals import extract_code_signals
from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_OF_SUBTYPE, validate_pair
from training.core.synthetic import (
    DEFAULT_CONFIG,
    DISTRACTOR_STYLES,
    FAILED_VERDICTS,
    TYPICAL_VERDICTS,
    VERDICTS,
    SyntheticAttempt,
    SyntheticConfig,
    SyntheticDataset,
    generate,
    template_counts,
    to_records,
)

ROOT = Path(__file__).resolve().parents[3]
EFFICIENCY_SUBTYPES = {s for s, root in ROOT_OF_SUBTYPE.items() if root == "efficiency"}


def _digest(dataset: SyntheticDataset) -> str:
    return hashlib.sha256(json.dumps(to_records(dataset), sort_keys=True).encode()).hexdigest()


def _failed(dataset: SyntheticDataset) -> list[SyntheticAttempt]:
    return [a for a in dataset.attempts if a.verdict != "accepted"]


def _distractor(attempt: SyntheticAttempt) -> tuple[str, str, str] | None:
    """(kind, decoy subtype, style) of an attempt's look-alike, from its audit field."""
    if attempt.distractor is None:
        return None
    kind, subtype, style = attempt.distractor.split(":")
    return kind, subtype, style


def _share_and_tolerance(
    dataset: SyntheticDataset, kind: str, rate: float
) -> tuple[float, float, int]:
    """Observed share of failed attempts with a distractor of ``kind``, four standard errors of
    that share when the true rate is ``rate``, and the number of failed attempts.

    A retry reuses its draft (and so its distractor), so attempts of one learner's session on a
    problem are correlated. Treating each session as fully correlated bounds the variance of the
    share by rate·(1 - rate)·Σ n_s² / N² (sessions are independent); the tolerance uses that bound.
    """
    failed = _failed(dataset)
    sessions = Counter((a.user_id, a.problem_id) for a in failed)
    hits = sum(1 for a in failed if (_distractor(a) or ("",))[0] == kind)
    n = len(failed)
    bound = math.sqrt(rate * (1 - rate) * sum(size * size for size in sessions.values())) / n
    return hits / n, 4 * bound, n


@pytest.fixture(scope="module")
def dataset() -> SyntheticDataset:
    return generate(learners=120, seed=5)


# Determinism.


def test_same_seed_gives_identical_attempts() -> None:
    first, second = generate(learners=15, seed=9), generate(learners=15, seed=9)

    assert to_records(first) == to_records(second)
    assert first.attempts == second.attempts


def test_a_different_seed_gives_different_attempts() -> None:
    assert _digest(generate(learners=15, seed=9)) != _digest(generate(learners=15, seed=10))


def test_output_does_not_depend_on_the_hash_seed_of_the_process() -> None:
    script = (
        "import hashlib, json\n"
        "from training.core.synthetic import generate, to_records\n"
        "rows = to_records(generate(learners=20, seed=3))\n"
        "print(hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest())\n"
    )
    digests = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(  # noqa: S603 - fixed argv, our own interpreter
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.append(done.stdout.strip())

    assert len(digests[0]) == 64
    assert digests[0] == digests[1] == _digest(generate(learners=20, seed=3))


# Coverage and validity.


def test_every_subtype_is_planted_and_python_carries_all_of_them(dataset) -> None:
    failed = _failed(dataset)

    assert {a.subtype for a in failed} == set(ALL_SUBTYPES)
    assert {a.subtype for a in failed if a.language == "python"} == set(ALL_SUBTYPES)
    assert {a.language for a in dataset.attempts} & {"cpp", "java", "javascript"}
    counts = template_counts()
    assert set(counts) == set(ALL_SUBTYPES)
    assert all(counts[subtype]["python"] >= 1 for subtype in ALL_SUBTYPES)
    assert dataset.class_counts() == Counter(f"{a.root_cause}/{a.subtype}" for a in failed)


def test_labels_and_verdicts_are_valid(dataset) -> None:
    assert dataset.attempts
    for attempt in dataset.attempts:
        assert attempt.verdict in VERDICTS
        if attempt.verdict == "accepted":
            assert attempt.root_cause is None and attempt.subtype is None
        else:
            assert attempt.verdict in FAILED_VERDICTS
            assert attempt.root_cause is not None and attempt.subtype is not None
            validate_pair(attempt.root_cause, attempt.subtype)
    seen = {a.verdict for a in dataset.attempts}
    assert {"accepted", "wrong_answer", "time_limit_exceeded", "runtime_error"} <= seen


def test_attempts_are_sorted_and_each_learner_moves_forward_in_time(dataset) -> None:
    keys = [(a.submitted_at, a.external_id) for a in dataset.attempts]
    assert keys == sorted(keys)
    assert len({a.external_id for a in dataset.attempts}) == len(dataset.attempts)
    by_learner: dict[str, list[datetime]] = defaultdict(list)
    for attempt in dataset.attempts:
        by_learner[attempt.user_id].append(attempt.submitted_at)
    assert len(by_learner) == 120
    end = DEFAULT_CONFIG.start + timedelta(days=DEFAULT_CONFIG.days)
    for times in by_learner.values():
        assert all(earlier < later for earlier, later in pairwise(times))
        assert DEFAULT_CONFIG.start <= times[0] and times[-1] < end
    low, high = DEFAULT_CONFIG.attempts_per_learner
    assert all(low <= len(times) <= high for times in by_learner.values())


def test_problems_referenced_by_attempts_exist_with_their_tags(dataset) -> None:
    problems = {p.external_id: p for p in dataset.problems}
    assert len(problems) == DEFAULT_CONFIG.problems
    rows = to_records(dataset)
    for row in rows:
        problem = problems[row["problem_id"]]
        assert row["problem_tags"] == list(problem.tags) and problem.tags
        assert datetime.fromisoformat(row["submitted_at"]).utcoffset() == timedelta(0)


# Realism controls.


def test_cross_root_distractors_appear_at_the_ambiguous_template_rate() -> None:
    dataset = generate(learners=300, seed=21)

    rate = DEFAULT_CONFIG.ambiguous_template_rate
    share, tolerance, n = _share_and_tolerance(dataset, "cross", rate)

    assert n > 2000 and tolerance < 0.1
    assert abs(share - rate) < tolerance


def test_intra_root_distractors_appear_at_the_intra_root_rate() -> None:
    dataset = generate(learners=300, seed=21)

    rate = DEFAULT_CONFIG.intra_root_template_rate
    share, tolerance, _ = _share_and_tolerance(dataset, "intra", rate)

    assert tolerance < 0.08
    assert abs(share - rate) < tolerance


def test_a_distractor_mimics_another_root_cause_or_a_sibling_subtype(dataset) -> None:
    kinds = Counter()
    for attempt in dataset.attempts:
        distractor = _distractor(attempt)
        if distractor is None:
            continue
        kind, decoy, style = distractor
        kinds[kind] += 1
        assert style in DISTRACTOR_STYLES
        if attempt.verdict == "accepted":
            assert kind == "harmless"
        elif kind == "cross":
            assert ROOT_OF_SUBTYPE[decoy] != attempt.root_cause
        else:
            assert kind == "intra"
            assert ROOT_OF_SUBTYPE[decoy] == attempt.root_cause and decoy != attempt.subtype
    assert kinds["cross"] and kinds["intra"] and kinds["harmless"]
    assert {_distractor(a)[2] for a in dataset.attempts if a.distractor} == set(DISTRACTOR_STYLES)


def test_zero_rates_give_no_ambiguous_or_intra_root_distractors() -> None:
    config = replace(DEFAULT_CONFIG, ambiguous_template_rate=0.0, intra_root_template_rate=0.0)

    dataset = generate(learners=60, seed=4, config=config)

    assert all(a.distractor is None for a in _failed(dataset))
    assert any(a.distractor for a in dataset.attempts if a.verdict == "accepted")


def test_a_rate_of_one_gives_every_failed_attempt_a_cross_root_distractor() -> None:
    config = replace(DEFAULT_CONFIG, ambiguous_template_rate=1.0, intra_root_template_rate=0.0)

    failed = _failed(generate(learners=20, seed=4, config=config))

    assert failed and all((_distractor(a) or ("",))[0] == "cross" for a in failed)


def test_distractor_styles_come_from_the_configured_set_only() -> None:
    config = replace(DEFAULT_CONFIG, distractor_styles=("recursion", "indexing"))

    dataset = generate(learners=60, seed=6, config=config)

    styles = {_distractor(a)[2] for a in dataset.attempts if a.distractor}
    assert styles == {"recursion", "indexing"}


def test_without_label_noise_every_verdict_is_typical_of_its_subtype() -> None:
    clean = _failed(
        generate(learners=80, seed=8, config=replace(DEFAULT_CONFIG, label_noise_rate=0))
    )
    noisy = _failed(
        generate(learners=80, seed=8, config=replace(DEFAULT_CONFIG, label_noise_rate=0.5))
    )

    assert all(a.verdict in TYPICAL_VERDICTS[a.subtype] for a in clean)
    atypical = sum(a.verdict not in TYPICAL_VERDICTS[a.subtype] for a in noisy) / len(noisy)
    assert 0.35 < atypical < 0.65


def test_the_language_setting_is_honoured() -> None:
    config = replace(DEFAULT_CONFIG, languages=("java",))

    dataset = generate(learners=30, seed=2, config=config)

    # Java lacks templates for some subtypes; those fall back to Python (template_counts says so).
    java_less = {s for s, by_language in template_counts().items() if not by_language["java"]}
    languages = Counter(a.language for a in dataset.attempts)
    assert languages["java"] > 0 and set(languages) <= {"java", "python"}
    assert all(a.subtype in java_less for a in _failed(dataset) if a.language == "python")


@pytest.mark.parametrize(
    ("overrides", "learners", "message"),
    [
        ({"ambiguous_template_rate": 1.5}, 5, "ambiguous_template_rate must be in [0, 1]"),
        ({"intra_root_template_rate": -0.1}, 5, "intra_root_template_rate must be in [0, 1]"),
        (
            {"ambiguous_template_rate": 0.7, "intra_root_template_rate": 0.4},
            5,
            "ambiguous_template_rate + intra_root_template_rate must be <= 1",
        ),
        ({"distractor_styles": ("spiral",)}, 5, "distractor_styles must be"),
        ({"distractor_styles": ()}, 5, "distractor_styles must be"),
        ({"languages": ("cobol",)}, 5, "languages must be"),
        ({"attempts_per_learner": (5, 2)}, 5, "attempts_per_learner must be"),
        ({"start": datetime(2026, 1, 5)}, 5, "start must be an aware UTC datetime"),  # noqa: DTZ001
        ({}, -1, "learners must be >= 0"),
    ],
)
def test_an_invalid_config_is_refused_with_a_message(overrides, learners, message) -> None:
    with pytest.raises(ValueError, match="invalid synthetic config") as raised:
        generate(learners=learners, seed=1, config=replace(DEFAULT_CONFIG, **overrides))

    assert message in str(raised.value)


def test_the_default_config_carries_the_seed_realism_rates() -> None:
    assert SyntheticConfig() == DEFAULT_CONFIG
    assert DEFAULT_CONFIG.ambiguous_template_rate == 0.40
    assert DEFAULT_CONFIG.intra_root_template_rate == 0.20
    assert set(DEFAULT_CONFIG.distractor_styles) == {
        "flat",
        "nested",
        "recursion",
        "indexing",
        "mixed",
    }


# Planted bugs are real.


def test_every_python_attempt_is_valid_python(dataset) -> None:
    python = [a for a in dataset.attempts if a.language == "python"]

    assert len(python) > 500
    for attempt in python:
        ast.parse(attempt.code)


def test_brace_languages_have_balanced_brackets(dataset) -> None:
    others = [a for a in dataset.attempts if a.language != "python"]

    assert others
    for attempt in others:
        code = attempt.code
        for opener, closer in ("{}", "()", "[]"):
            assert code.count(opener) == code.count(closer), (attempt.external_id, opener)


def test_the_accepted_fix_differs_from_every_failed_attempt_of_its_session(dataset) -> None:
    sessions: dict[tuple[str, str], list[SyntheticAttempt]] = defaultdict(list)
    for attempt in dataset.attempts:
        sessions[(attempt.user_id, attempt.problem_id)].append(attempt)
    compared = same_template = 0
    for attempts in sessions.values():
        fixes = [a for a in attempts if a.verdict == "accepted"]
        failures = [a for a in attempts if a.verdict != "accepted"]
        if not fixes or not failures:
            continue
        # A session ends at its accepted attempt.
        assert attempts[-1] is fixes[0] and len(fixes) == 1
        for failure in failures:
            assert failure.code != fixes[0].code
            compared += 1
        same_template += fixes[0].template == failures[-1].template + "+fix"
    assert compared > 200
    assert same_template > 50


def test_off_by_one_bugs_show_off_by_one_risk_more_than_efficiency_bugs() -> None:
    config = replace(DEFAULT_CONFIG, languages=("python",))
    failed = _failed(generate(learners=150, seed=12, config=config))

    def flagged_share(subtypes: set[str]) -> tuple[float, int]:
        risks = [
            extract_code_signals(code=a.code, language="python").off_by_one_risk > 0
            for a in failed
            if a.subtype in subtypes
        ]
        return sum(risks) / len(risks), len(risks)

    off_by_one, n_obo = flagged_share({"off_by_one"})
    efficiency, n_eff = flagged_share(EFFICIENCY_SUBTYPES)

    assert n_obo > 100 and n_eff > 100
    # Shares are far apart (≈0.5 vs ≈0.05 at these seeds); 0.2 leaves room for template edits.
    assert off_by_one - efficiency > 0.2
