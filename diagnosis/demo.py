"""A small demo data set for `make run`: a few learners' attempts through the real service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from diagnosis.services import SubmissionInput, submission_process

_START = datetime(2026, 11, 1, 9, tzinfo=UTC)

_OFF_BY_ONE = """def solve(arr):
    total = 0
    for i in range(len(arr) - 1):
        total += arr[i]
    return total
"""
_FIXED = """def solve(arr):
    total = 0
    for x in arr:
        total += x
    return total
"""
_NESTED = """def count_pairs(nums, target):
    count = 0
    for i in range(len(nums)):
        for j in range(len(nums)):
            if i < j and nums[i] + nums[j] == target:
                count += 1
    return count
"""
_FIB = """def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
"""
_CPP = """#include <vector>
int sum(std::vector<int>& a) {
    int total = 0;
    for (int i = 0; i <= a.size(); i++) {
        total += a[i];
    }
    return total;
}
"""

# (learner, problem, category, language, code, verdict, day offset)
_ATTEMPTS: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    ("demo-ada", "sum-array", "arrays", "python", _OFF_BY_ONE, "wrong_answer", 0),
    ("demo-ada", "sum-array", "arrays", "python", _OFF_BY_ONE, "wrong_answer", 1),
    ("demo-ada", "sum-array", "arrays", "python", _FIXED, "accepted", 2),
    ("demo-ada", "two-sum-count", "arrays", "python", _NESTED, "time_limit_exceeded", 3),
    ("demo-ada", "fibonacci", "recursion", "python", _FIB, "time_limit_exceeded", 4),
    ("demo-bo", "sum-array", "arrays", "cpp", _CPP, "runtime_error", 0),
    ("demo-bo", "sum-array", "arrays", "cpp", _CPP, "wrong_answer", 1),
    ("demo-bo", "fibonacci", "recursion", "python", _FIB, "time_limit_exceeded", 2),
    ("demo-cy", "sum-array", "arrays", "python", _FIXED, "accepted", 0),
    ("demo-cy", "two-sum-count", "arrays", "python", _NESTED, "accepted", 1),
)


def demo_data_load() -> int:
    """Submit the demo attempts (idempotent by external id); returns how many were new."""
    created = 0
    for index, (user, problem, category, language, code, verdict, day) in enumerate(_ATTEMPTS):
        result = submission_process(
            data=SubmissionInput(
                external_id=f"demo-{index:03d}",
                user_id=user,
                problem_id=problem,
                problem_title=problem.replace("-", " ").title(),
                problem_category=category,
                problem_tags=(category,),
                problem_difficulty=2,
                language=language,
                code=code,
                verdict=verdict,
                submitted_at=_START + timedelta(days=day, minutes=index),
            )
        )
        created += int(result.created)
    return created
