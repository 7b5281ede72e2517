"""The fixed root-cause/subtype taxonomy of MIM (001 §3.1–3.2); changes need a version bump."""

from __future__ import annotations

from enum import StrEnum

TAXONOMY_VERSION = "mim-taxonomy-v1"
MIM_VERSION = "mim-v3.3"


class RootCause(StrEnum):
    CORRECTNESS = "correctness"
    EFFICIENCY = "efficiency"
    IMPLEMENTATION = "implementation"
    UNDERSTANDING_GAP = "understanding_gap"


SUBTYPES: dict[RootCause, tuple[str, ...]] = {
    RootCause.CORRECTNESS: (
        "off_by_one",
        "boundary_condition",
        "comparison_error",
        "wrong_invariant",
        "partial_case_handling",
    ),
    RootCause.EFFICIENCY: (
        "wrong_complexity",
        "suboptimal_data_structure",
        "redundant_operations",
        "missing_memoization",
    ),
    RootCause.IMPLEMENTATION: (
        "null_reference",
        "type_mismatch",
        "state_mutation",
        "resource_leak",
    ),
    RootCause.UNDERSTANDING_GAP: (
        "misread_constraints",
        "wrong_problem_entirely",
        "missing_requirements",
    ),
}

ROOT_CAUSES: tuple[str, ...] = tuple(rc.value for rc in RootCause)
ALL_SUBTYPES: tuple[str, ...] = tuple(s for subs in SUBTYPES.values() for s in subs)
ROOT_OF_SUBTYPE: dict[str, str] = {s: rc.value for rc, subs in SUBTYPES.items() for s in subs}


class SubtypeValidationError(ValueError):
    """A (root cause, subtype) pair that is not part of the taxonomy."""


def subtypes_of(root_cause: str) -> tuple[str, ...]:
    """The valid subtypes of a root cause, in taxonomy order; raises for an unknown root cause."""
    try:
        return SUBTYPES[RootCause(root_cause)]
    except ValueError as exc:
        raise SubtypeValidationError(f"unknown root cause {root_cause!r}") from exc


def validate_pair(root_cause: str, subtype: str) -> None:
    """Raise SubtypeValidationError unless `subtype` belongs to `root_cause`."""
    valid = subtypes_of(root_cause)
    if subtype not in valid:
        raise SubtypeValidationError(
            f"subtype {subtype!r} does not belong to root cause {root_cause!r}; "
            f"valid subtypes: {', '.join(valid)}"
        )
