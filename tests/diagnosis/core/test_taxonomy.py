"""The fixed taxonomy of 001 §3.2."""

import pytest

from diagnosis.core.taxonomy import (
    ALL_SUBTYPES,
    ROOT_CAUSES,
    ROOT_OF_SUBTYPE,
    SubtypeValidationError,
    subtypes_of,
    validate_pair,
)


def test_four_root_causes_and_sixteen_subtypes_exactly_as_specified() -> None:
    assert ROOT_CAUSES == ("correctness", "efficiency", "implementation", "understanding_gap")
    assert subtypes_of("correctness") == (
        "off_by_one",
        "boundary_condition",
        "comparison_error",
        "wrong_invariant",
        "partial_case_handling",
    )
    assert subtypes_of("efficiency") == (
        "wrong_complexity",
        "suboptimal_data_structure",
        "redundant_operations",
        "missing_memoization",
    )
    assert subtypes_of("implementation") == (
        "null_reference",
        "type_mismatch",
        "state_mutation",
        "resource_leak",
    )
    assert subtypes_of("understanding_gap") == (
        "misread_constraints",
        "wrong_problem_entirely",
        "missing_requirements",
    )
    assert len(ALL_SUBTYPES) == len(set(ALL_SUBTYPES)) == 16


@pytest.mark.parametrize("subtype", ALL_SUBTYPES)
def test_every_subtype_validates_only_under_its_own_root(subtype: str) -> None:
    validate_pair(ROOT_OF_SUBTYPE[subtype], subtype)
    for root in ROOT_CAUSES:
        if root != ROOT_OF_SUBTYPE[subtype]:
            with pytest.raises(SubtypeValidationError):
                validate_pair(root, subtype)


def test_unknown_root_cause_raises() -> None:
    with pytest.raises(SubtypeValidationError, match="unknown root cause"):
        validate_pair("style", "off_by_one")
